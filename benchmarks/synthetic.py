"""Synthetic fact bases of any size whose vocabulary grows as real text does.

    python benchmarks/synthetic.py FOLDER --facts 100000   # FOLDER/facts.yaml, FOLDER/sources/

A base made by repeating the real 190 facts keeps a vocabulary of ~1.5k Chinese and ~2k
English words at any size, which flatters every cost that grows with the vocabulary (typos,
pinyin, postings). Here each fact is one of the real facts, written about a new place and
organisation of a new bulletin: every fact gains a clause naming a village or town, a company and
a person, drawn from Faker's zh_CN and en_US word lists by a Zipf law, so that a few names are
common and most are rare and the number of distinct words grows with the size of the base like
Heaps' law (about as the square root of the text). Half of the clauses also count something (新增
企业12家), a figure with its own number. The English claim names the same clause in pinyin and
English names, as county bulletins translated into English do.

Every base it writes can be searched, and passes every rule of `zhashui verify` but coverage (a
real quote that overlaps another, 户厕7168座 in 户厕7168座、土坯房953户, is written twice, so the
longer one repeats numbers no fact of it covers): one source of SOURCE_FACTS facts per bulletin,
its text the facts' quotes under the real section headings, each quote standing once in its
section; the claims hold their figures in both languages. The same arguments always write the same base
(seeded), so that runs are comparable.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import random
import re
from collections import Counter
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from faker.providers.address.zh_CN import Provider as ChineseAddress
from faker.providers.company.zh_CN import Provider as ChineseCompany
from faker.providers.person.en_US import Provider as EnglishPerson
from faker.providers.person.zh_CN import Provider as ChinesePerson
from pypinyin import lazy_pinyin

from zhashui_cli.factfile.rules import in_gb2312

REPO = Path(__file__).resolve().parent.parent
SOURCE_FACTS = 200  # facts per synthetic bulletin: about as many as the real one has
SEED = 20240207
_NAME = re.compile(r"[\u4e00-\u9fff]+")
_NUMERALS = frozenset("〇零一二两三四五六七八九十百千万亿")


@dataclass(frozen=True)
class Clause:
    """What a synthetic fact adds to the real fact it is written from."""

    zh: str  # 在金城村，宏达科技有限公司王伟新增企业12家
    en: str  # in Jincheng village, with Smith Hongda Co. (Wang Wei), 12 enterprises were added
    figure: dict[str, object] | None


def zipf(pool: Sequence[str], rng: random.Random) -> Iterator[str]:
    """Words of pool, the word of rank r drawn with weight 1/(r + 2.7) (Zipf–Mandelbrot, as
    word frequencies in text fall)."""
    weights = list(itertools.accumulate(1 / (rank + 2.7) for rank in range(len(pool))))
    while True:
        yield from rng.choices(pool, cum_weights=weights, k=1024)


def shuffled(words: Iterator[str], rng: random.Random) -> list[str]:
    """Distinct words in a random order, so that a word's rank says nothing of its form."""
    unique = list(dict.fromkeys(words))
    rng.shuffle(unique)
    return unique


def pools(rng: random.Random) -> dict[str, list[str]]:
    """Place names, companies and people, Chinese and English, from Faker's word lists."""
    given = simplified(ChinesePerson.first_names)
    places = shuffled((a + b + suffix for a in given for b in given if a != b for suffix in ("村", "镇", "社区")), rng)
    prefixes = simplified([*ChineseAddress.cities, *ChineseAddress.districts, *ChineseCompany.company_prefixes])
    trades = ("科技", "农业", "食品", "林业", "旅游", "建材", "物流", "医药", "电子", "文化")
    companies = shuffled((p + t + "有限公司" for p in prefixes for t in trades), rng)
    people = shuffled((s + g for s in simplified(ChinesePerson.last_names) for g in given), rng)
    english = shuffled(
        (f"{first} {last}" for last in EnglishPerson.last_names for first in EnglishPerson.first_names), rng
    )
    return {"places": places, "companies": companies, "people": people, "english": english}


def simplified(names: Iterable[str]) -> list[str]:
    """The names written in GB 2312, as a fact file's Chinese must be, and holding no number
    (a claim's numbers are its figures)."""
    return [name for name in names if _NAME.fullmatch(name) and _NUMERALS.isdisjoint(name) and in_gb2312(name)]


@functools.cache
def pinyin(words: str) -> str:
    """A Chinese name as an English text writes it: 金城村 → Jinchengcun."""
    return "".join(lazy_pinyin(words)).capitalize()


def clauses(rng: random.Random) -> Generator[Clause, bool, None]:
    """Clauses for facts; sent True, one that counts something (for kinds that take figures)."""
    draws = {name: zipf(pool, rng) for name, pool in pools(rng).items()}
    counts = False
    while True:
        place, company, person, english = (next(draws[name]) for name in ("places", "companies", "people", "english"))
        zh = f"{place}{company}{person}"
        en = f"in {pinyin(place)} the company of {english} ({pinyin(person)})"
        if not counts or rng.random() < 0.5:
            counts = yield Clause(zh, en, None)
            continue
        count = rng.randint(2, 999)
        label = f"{place}新增企业"
        figure = {"value": count, "unit": "家", "qualifier": "exact", "label": label, "label_en": "new enterprises"}
        counts = yield Clause(f"{zh}新增企业{count}家", f"{en} added {count} enterprises", figure)


def templates() -> tuple[dict[str, object], list[dict[str, object]]]:
    """The real fact file's top level and its facts."""
    data = yaml.load((REPO / "facts.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return data, data.pop("facts")


def written(fact: dict[str, object], clause: Clause, fact_id: str, source: str) -> dict[str, object]:
    """The real fact about the clause's place, under a new id, in a new source."""
    claim, claim_en = str(fact["claim"]), str(fact["claim_en"])
    figures = list(fact["figures"]) + ([clause.figure] if clause.figure else [])  # type: ignore[call-overload]
    return {
        **fact,
        "id": fact_id,
        "source": source,
        "claim": f"{claim.rstrip('。')}，{clause.zh}。",
        "claim_en": f"{claim_en.rstrip('.')}; {clause.en}.",
        "quote": f"{fact['quote']}，{clause.zh}",
        "figures": figures,
    }


def source_text(sections: list[dict[str, object]], quotes: dict[str, list[str]]) -> str:
    """A bulletin's text: each section's heading, then its quotes, one paragraph each."""
    parts = []
    for section in sections:
        start, title = str(section["start"]), str(section["title"])
        parts.append(title if title.startswith(start) else start + title)
        parts.extend(f"{quote}。" for quote in quotes.get(str(section["id"]), []))
    return "\n".join(parts) + "\n"


def names_in(names: list[dict[str, str]], text: str) -> list[dict[str, str]]:
    """The real source's declared names that the text holds (one that matches nothing is an error)."""
    return [name for name in names if re.search(name["pattern"], text)]


class _Dumper(yaml.CSafeDumper):
    """Every value written out: a fact file allows no aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def fact_yaml(fact: dict[str, object]) -> str:
    """One fact in a fact file's block style, as the real one is written (PyYAML's emitter
    takes minutes for 100,000 facts): strings double-quoted, figures and tags in flow style."""
    lines = []
    for n, (key, value) in enumerate(fact.items()):
        lead = "  - " if n == 0 else "    "
        if key == "figures":
            lines.append(f"{lead}figures:" + (" []" if not value else ""))
            lines += [f"      - {_flow(figure)}" for figure in value]  # type: ignore[attr-defined]
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _scalar(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(map(_scalar, value)) + "]"
    return json.dumps(value, ensure_ascii=False)


def _flow(mapping: dict[str, object]) -> str:
    return "{" + ", ".join(f"{key}: {_scalar(value)}" for key, value in mapping.items()) + "}"


def unique_clause(stream: Generator[Clause, bool, None], counts: bool, quote: str, held: list[str]) -> Clause:
    """A clause that makes quote one that stands once among a section's quotes held (and adds it)."""
    while True:
        clause = stream.send(counts)
        new = f"{quote}，{clause.zh}"
        if not any(new in other or other in new for other in held):
            held.append(new)
            return clause


def build(folder: Path, count: int) -> Path:
    """Write a base of count facts in folder; return its fact file."""
    rng = random.Random(SEED)
    top, facts = templates()
    real_source = top["sources"][0]  # type: ignore[index]
    clause_stream = clauses(rng)
    next(clause_stream)  # started
    shared = {quote for quote, n in Counter(str(fact["quote"]) for fact in facts).items() if n > 1}
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    sources, out_facts = [], []
    for number, start in enumerate(range(0, count, SOURCE_FACTS), 1):
        source_id = f"bulletin-{number:04d}"
        quotes: dict[str, list[str]] = {}
        clause_of: dict[tuple[int, str], Clause] = {}  # facts that share a quote share its clause
        for n in range(start, min(count, start + SOURCE_FACTS)):
            fact = facts[n % len(facts)]
            key = (n // len(facts), str(fact["quote"]))
            if key not in clause_of:
                counts = fact["kind"] in ("outcome", "target") and key[1] not in shared
                clause_of[key] = unique_clause(
                    clause_stream, counts, key[1], quotes.setdefault(str(fact["section"]), [])
                )
            out_facts.append(written(fact, clause_of[key], f"{fact['id']}-{number}-{n}", source_id))
        text = f"sources/{source_id}.txt"
        body = source_text(real_source["sections"], quotes)
        (folder / text).write_text(body, encoding="utf-8")
        title = f"{real_source['title']}（{number}）"
        names = names_in(real_source["names"], body)
        sources.append({**real_source, "id": source_id, "text": text, "title": title, "names": names})
    head = yaml.dump({**top, "sources": sources}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    path = folder / "facts.yaml"
    path.write_text(head + "facts:\n" + "".join(map(fact_yaml, out_facts)), encoding="utf-8")
    return path


def vocabulary(fact_file: Path) -> tuple[int, int]:
    """Distinct Chinese runs and English words in a base's claims: how its vocabulary grew."""
    text = fact_file.read_text(encoding="utf-8")
    return len(set(re.findall(r"[\u4e00-\u9fff]{2,}", text))), len(set(re.findall(r"[A-Za-z]{2,}", text)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--facts", type=int, default=100_000)
    args = parser.parse_args()
    build(args.folder, args.facts)


if __name__ == "__main__":
    main()
