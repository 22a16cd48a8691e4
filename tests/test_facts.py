"""The fact base itself: complete, typed, bilingual, and every claim traceable to its source."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache

import jsonschema
import pytest
import yaml

from zhashui_cli.model import FactBase, parse_fact_base
from zhashui_cli.store import load_fact_base
from zhashui_cli.units import BASE_UNITS, Kind, Qualifier, figure_pattern, known_units

from .conftest import FACTS, REPO, SOURCE_TEXT

SCHEMA = json.loads((REPO / "schema" / "facts.schema.json").read_text(encoding="utf-8"))
NAMES = yaml.safe_load((REPO / "sources" / "zhashui-2024-02-07.names.yaml").read_text(encoding="utf-8"))
# A quantity: digits, or a run of Chinese numerals (the restored text writes none above 十).
NUMBER = re.compile(r"\d+(?:\.\d+)?|[零一二两三四五六七八九十]+")
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
CJK = re.compile(r"[\u3400-\u9fff]")


@cache
def base() -> FactBase:
    return load_fact_base(FACTS)


@cache
def source_body() -> str:
    return SOURCE_TEXT.read_text(encoding="utf-8").split("\n", 1)[1]


def test_the_file_validates_against_its_json_schema() -> None:
    data = yaml.safe_load(FACTS.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data))
    assert errors == []
    assert list(data) == ["sources", "categories", "facts"]


def test_editors_find_the_schema_through_the_modeline() -> None:
    first = FACTS.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema/facts.schema.json"
    assert (FACTS.parent / "schema" / "facts.schema.json").is_file()


def test_the_schema_and_the_loader_share_their_vocabularies() -> None:
    definitions = SCHEMA["$defs"]
    assert definitions["figure"]["properties"]["unit"]["enum"] == list(known_units())
    assert definitions["figure"]["properties"]["qualifier"]["enum"] == [q.value for q in Qualifier]
    assert definitions["fact"]["properties"]["kind"]["enum"] == [k.value for k in Kind]


@pytest.mark.parametrize(
    "broken",
    [
        {"facts": [{"id": "x"}]},
        {"sources": [], "categories": [], "facts": [], "extra": 1},
    ],
)
def test_the_schema_rejects_what_the_loader_rejects(broken: dict[str, object]) -> None:
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(broken))
    assert parse_fact_base(broken)[1]


def test_the_whole_bulletin_is_covered() -> None:
    facts = base().facts
    assert len(facts) > 150
    assert {f.year for f in facts} == {2023, 2024}
    sections = {f.section for f in facts}
    expected = {"preamble", "2024-outlook-preamble"} | {f"2023-highlight-{n}" for n in range(1, 9)}
    assert sections == expected | {f"2024-outlook-{n}" for n in range(1, 9)}


def test_every_category_has_facts_for_both_years() -> None:
    for category in base().categories:
        assert {f.year for f in base().facts if f.category == category.id} == {2023, 2024}, category.id


def test_sections_ids_and_years_agree() -> None:
    for fact in base().facts:
        year = 2024 if fact.section.startswith("2024-") else 2023
        assert fact.year == year, fact.id
        assert fact.id.startswith(f"{year}-"), fact.id


def test_every_quote_stands_once_in_its_source() -> None:
    body = source_body()
    for fact in base().facts:
        assert body.count(fact.quote) == 1, fact.id


def test_every_figure_stands_in_its_quote_with_the_right_qualifier() -> None:
    for fact in base().facts:
        for figure in fact.figures:
            match = figure_pattern(figure.value, figure.unit).search(fact.quote)
            assert match, (fact.id, figure)
            before, written, after = fact.quote[: match.start()], match.group(), fact.quote[match.end() :]
            if "余" in written or before.endswith("突破"):
                expected = Qualifier.MORE_THAN
            elif after.startswith("以上"):
                expected = Qualifier.AT_LEAST
            else:
                expected = Qualifier.EXACT
            assert figure.qualifier is expected, (fact.id, written)


def test_every_number_of_the_bulletin_is_a_figure_or_a_listed_name() -> None:
    body = source_body()
    named: set[int] = set()
    for entry in NAMES:
        matches = list(re.finditer(entry["pattern"], body))
        assert matches, f"stale entry {entry['pattern']!r}"
        assert entry["reason"].strip()
        named.update(i for m in matches for i in range(m.start(), m.end()))
    figured: set[int] = set()
    for fact in base().facts:
        start = body.index(fact.quote)
        for figure in fact.figures:
            figured.update(start + m.start() for m in figure_pattern(figure.value, figure.unit).finditer(fact.quote))
    uncovered = [
        f"{m.group()} in …{body[max(0, m.start() - 8) : m.end() + 4]}…"
        for m in NUMBER.finditer(body)
        if m.start() not in figured and m.start() not in named
    ]
    assert uncovered == []


def test_figures_and_base_values() -> None:
    figures = {(f.id, g.label_en): g for f in base().facts for g in f.figures}
    loans = figures["2023-loans-coordinated", "bank loans arranged"]
    assert (loans.value, loans.unit, loans.base_value, loans.base_unit) == (
        Decimal("9.24"),
        "亿元",
        Decimal(924_000_000),
        "元",
    )
    brand = figures["2023-fungus-brand-value", "brand value of Zhashui wood ear fungus"]
    assert (brand.base_value, brand.qualifier) == (Decimal(3_000_000_000), Qualifier.MORE_THAN)
    assert len(figures) == sum(len(f.figures) for f in base().facts) >= 50
    assert {g.base_unit for g in figures.values()} <= set(BASE_UNITS)


def test_claims_are_simplified_chinese_and_english() -> None:
    for fact in base().facts:
        for text in (fact.claim, fact.quote):
            assert not PINYIN.search(text) and "?" not in text and "/p>" not in text, fact.id
            for char in text:
                assert char.isascii() or char in "·—" or char.encode("gb2312", errors="ignore"), (fact.id, char)
        assert fact.claim.endswith("。"), fact.id
        assert fact.claim_en.strip() and fact.claim_en.endswith("."), fact.id
        assert not CJK.search(fact.claim_en), fact.id


def test_tags_are_in_both_languages() -> None:
    for fact in base().facts:
        assert any(CJK.search(tag) for tag in fact.tags), fact.id
        assert any(tag.isascii() for tag in fact.tags), fact.id
        assert len(set(fact.tags)) == len(fact.tags), fact.id
