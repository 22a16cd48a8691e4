"""Counts over an index: the categories table, stats, tags, and the flat view of figures.

Pure, like search.py: everything comes from the Corpus (and the records) handed in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from zhashui_cli.factfile.units import MONEY_UNIT
from zhashui_cli.factfile.vocabulary import Kind
from zhashui_cli.index.corpus import Corpus
from zhashui_cli.records import (
    CategoryCount,
    CategoryRow,
    FactRecord,
    FigureRow,
    KeyCount,
    Stats,
    StatsRow,
    TagRow,
    YearCount,
    figure_row,
)

from .engine import Filters

LARGEST_AMOUNTS = 10


def years(corpus: Corpus, among: Sequence[int] | None = None) -> list[int]:
    values = corpus.numbers("year")
    return sorted({values[i] for i in (range(corpus.count) if among is None else among)})


def category_rows(corpus: Corpus) -> list[CategoryRow]:
    categories, facts_years = corpus.numbers("category"), corpus.numbers("year")
    per_category = Counter(categories)
    per_year = Counter(zip(categories, facts_years, strict=True))
    all_years = years(corpus)
    return [
        {
            **category,
            "facts": per_category[n],
            "years": [YearCount(year=year, facts=per_year[n, year]) for year in all_years if per_year[n, year]],
        }
        for n, category in enumerate(corpus.categories)
    ]


def stats(corpus: Corpus) -> Stats:
    kinds = Counter(corpus.numbers("kind"))
    per_year = Counter(corpus.numbers("year"))
    amounts = corpus.json("amounts")
    by_category: list[CategoryCount] = [
        {"key": row["id"], "name": row["name"], "name_en": row["name_en"], "facts": row["facts"], "years": row["years"]}
        for row in category_rows(corpus)
    ]
    return {
        "facts": corpus.count,
        "figures": sum(len(figures) for figures in amounts),
        "by_category": by_category,
        "by_year": [KeyCount(key=year, facts=per_year[year]) for year in sorted(per_year)],
        "by_kind": [KeyCount(key=kind.value, facts=kinds[n]) for n, kind in enumerate(Kind) if kinds[n]],
        "largest_amounts": _largest_amounts(corpus, amounts),
    }


def stats_rows(document: Stats) -> list[StatsRow]:
    """The counts of stats as flat rows, for JSON Lines and CSV."""
    rows: list[StatsRow] = [
        {"dimension": "category", "key": c["key"], "name": c["name"], "name_en": c["name_en"], "facts": c["facts"]}
        for c in document["by_category"]
    ]
    for dimension in ("year", "kind"):
        rows += [
            {"dimension": dimension, "key": row["key"], "name": None, "name_en": None, "facts": row["facts"]}
            for row in document[f"by_{dimension}"]  # type: ignore[literal-required]
        ]
    return rows


def _largest_amounts(corpus: Corpus, amounts: list[list[list[str]]]) -> list[FigureRow]:
    from decimal import Decimal

    money = sorted(
        (
            (Decimal(value), i, n)
            for i, figures in enumerate(amounts)
            for n, (unit, value) in enumerate(figures)
            if unit == MONEY_UNIT
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )[:LARGEST_AMOUNTS]
    return [figure_row(corpus.record(i), n) for _, i, n in money]


def tag_rows(corpus: Corpus, indices: Sequence[int]) -> list[TagRow]:
    """Each tag of the given facts, as written in the fact file, with how many facts carry it;
    most used first, then in order of first use. Tags are told apart folded, as --tag and the
    fact file's rule of one tag once do: a fact counts once for 贷款 and 貸款."""
    counts: Counter[str] = Counter()
    written: dict[str, str] = {}
    folded = corpus.json("tags")
    for i, record in zip(indices, corpus.records(indices), strict=True):
        for tag, key in zip(record["tags"], folded[i], strict=True):
            written.setdefault(key, tag)
        counts.update(set(folded[i]))
    order = {key: n for n, key in enumerate(written)}
    return [
        {"tag": written[key], "facts": count}
        for key, count in sorted(counts.items(), key=lambda item: (-item[1], order[item[0]]))
    ]


def figure_rows(records: Sequence[FactRecord], filters: Filters) -> list[FigureRow]:
    """One row per figure of the given facts that passes the unit and amount filters."""
    from decimal import Decimal

    rows = []
    for record in records:
        for n, figure in enumerate(record["figures"]):
            if filters.admits(figure["base_unit"], Decimal(str(figure["base_value"]))):
                rows.append(figure_row(record, n))
    return rows
