"""Measure how well `zhashui search` finds what people mean: hit@1, hit@5 and MRR per group.

    python benchmarks/findability.py                 # the table, per group and overall
    python benchmarks/findability.py --misses        # also every query whose answer is not first
    python benchmarks/findability.py --set meaning   # the held-out set in the reader's own words

The queries are benchmarks/findability.yaml (the bulletin's own words, in every form) and
benchmarks/findability-meaning.yaml (the reader's own words: synonyms, broader topics, regional
vocabulary, questions), each written as users ask, from the facts and the bulletin, by someone
who had not seen the engine. A query hits at rank k when any of the facts that answer it is
among the first k results. A query of the group `negative` asks for what the bulletin never
mentions: it is answered right (a hit at every k) when the search finds nothing, or only facts
that have some of its words (the partial-match note); the overall row leaves negatives out.
The test suite runs evaluate() and fails when the tables differ from what docs/search.md
records.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

import yaml

import zhashui_cli

SETS = {
    "words": Path(__file__).resolve().parent / "findability.yaml",
    "meaning": Path(__file__).resolve().parent / "findability-meaning.yaml",
}
NEGATIVE = "negative"


class Score(NamedTuple):
    queries: int
    hit1: float
    hit5: float
    mrr: float


def rank_of(expected: set[str], found: list[str]) -> int | None:
    """The 1-based rank of the first expected fact in the results, or None."""
    return next((n for n, fact in enumerate(found, 1) if fact in expected), None)


def evaluate(
    base: zhashui_cli.FactBase | None = None, queries: str = "words"
) -> tuple[dict[str, Score], Score, list[tuple[str, str, int | None]]]:
    """Scores per group, overall (negatives left out), and each query not answered first."""
    base = base or zhashui_cli.open()
    entries = yaml.safe_load(SETS[queries].read_text(encoding="utf-8"))["queries"]
    ranks: dict[str, list[int | None]] = defaultdict(list)
    misses = []
    for entry in entries:
        hits = base.search(entry["query"])
        if entry["group"] == NEGATIVE:
            rank = 1 if not len(hits) or hits.partial else None
        else:
            rank = rank_of(set(entry["expect"]), hits.ids)
        ranks[entry["group"]].append(rank)
        if rank != 1:
            misses.append((entry["group"], entry["query"], rank))
    every = [rank for group, values in ranks.items() if group != NEGATIVE for rank in values]
    return {group: _score(values) for group, values in ranks.items()}, _score(every), misses


def _score(ranks: list[int | None]) -> Score:
    count = len(ranks)
    return Score(
        count,
        sum(rank == 1 for rank in ranks) / count,
        sum(rank is not None and rank <= 5 for rank in ranks) / count,
        sum(1 / rank for rank in ranks if rank) / count,
    )


def table(groups: dict[str, Score], overall: Score) -> str:
    rows = ["| group | queries | hit@1 | hit@5 | MRR |", "|---|---:|---:|---:|---:|"]
    for name, score in [*groups.items(), ("**overall**", overall)]:
        rows.append(f"| {name} | {score.queries} | {score.hit1:.2f} | {score.hit5:.2f} | {score.mrr:.2f} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the queries whose answer is not first")
    parser.add_argument("--set", choices=list(SETS), default="words", help="which set of queries (default: words)")
    args = parser.parse_args()
    groups, overall, misses = evaluate(queries=args.set)
    print(table(groups, overall))
    if args.misses:
        print()
        for group, query, rank in misses:
            print(f"{group}\t{query}\t{'not found' if rank is None else f'rank {rank}'}")


if __name__ == "__main__":
    main()
