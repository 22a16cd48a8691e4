"""The fact base itself: complete, typed, bilingual, and every claim traceable to its source.

The rules of the format (rules.py) are checked by `verify`, here through the library;
this file checks what is particular to the packaged base and its JSON Schema.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache

import jsonschema
import pytest
import yaml

import zhashui_cli
from zhashui_cli.factfile import store
from zhashui_cli.factfile.model import FactFile
from zhashui_cli.factfile.parse import TOP_LEVEL_FIELDS, parse
from zhashui_cli.factfile.units import BASE_UNITS, BUILT_IN
from zhashui_cli.factfile.vocabulary import Kind, Qualifier
from zhashui_cli.records import (
    FACT_FIELDS,
    FIGURE_FIELDS,
    UNIT_FIELDS,
    NameRecord,
    SectionRecord,
    SourceRecord,
    fields_of,
)

from .conftest import FACT_COUNT, FACTS, FIGURE_COUNT, REPO, load_script

SCHEMA = json.loads((REPO / "schema" / "facts.schema.json").read_text(encoding="utf-8"))
CJK = re.compile(r"[\u3400-\u9fff]")


@cache
def base() -> FactFile:
    return store.require(store.load(FACTS)).file


def test_every_rule_of_the_format_holds() -> None:
    """The packaged base's own check (tests/test_verify.py checks the rules on broken files):
    no problem, and every number of the source covered by a fact."""
    base = zhashui_cli.open(FACTS)
    report = base.verify()
    assert (report["ok"], report["problems"]) == (True, [])
    assert (report["facts"], report["figures"], report["sources"]) == (FACT_COUNT, FIGURE_COUNT, 1)
    assert base.uncovered() == []


def test_the_file_validates_against_its_json_schema() -> None:
    data = yaml.safe_load(FACTS.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data)) == []
    assert list(data) == ["sources", "categories", "facts"]


def test_editors_find_the_schema_through_the_modeline() -> None:
    first = FACTS.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema/facts.schema.json"
    assert (FACTS.parent / "schema" / "facts.schema.json").is_file()


def test_the_schema_is_generated_from_the_layout_the_parser_reads() -> None:
    text = (REPO / "schema" / "facts.schema.json").read_text(encoding="utf-8")
    assert load_script("gen_schemas").fact_file_schema() == text, "run python scripts/gen_schemas.py"


def test_the_schema_names_the_fields_the_loader_reads_in_the_same_order() -> None:
    definitions = SCHEMA["$defs"]
    assert tuple(definitions["fact"]["properties"]) == FACT_FIELDS
    assert tuple(definitions["figure"]["properties"]) == FIGURE_FIELDS[:5]  # base values are derived
    assert tuple(definitions["source"]["properties"]) == fields_of(SourceRecord)
    assert tuple(definitions["section"]["properties"]) == fields_of(SectionRecord)
    assert tuple(definitions["name"]["properties"]) == fields_of(NameRecord)
    assert definitions["figure"]["properties"]["unit"]["anyOf"][0]["enum"] == list(BUILT_IN.known())
    assert tuple(definitions["unit"]["properties"]) == UNIT_FIELDS
    assert tuple(SCHEMA["properties"]) == TOP_LEVEL_FIELDS
    assert definitions["figure"]["properties"]["qualifier"]["enum"] == [q.value for q in Qualifier]
    assert definitions["fact"]["properties"]["kind"]["enum"] == [k.value for k in Kind]
    assert set(definitions["fact"]["required"]) == set(FACT_FIELDS) - {"note"}


@pytest.mark.parametrize(
    "broken",
    [
        {"facts": [{"id": "x"}]},
        {"sources": [], "categories": [], "facts": [], "extra": 1},
        {"units": [{"unit": "千袋", "base_unit": "袋", "factor": 1000}], "sources": [], "categories": [], "facts": []},
        {
            "units": [{"unit": "千袋", "base_unit": "袋", "factor": 0, "en": "x"}],
            "sources": [],
            "categories": [],
            "facts": [],
        },
        {
            "sources": [
                {"id": "s", "title": "t", "title_en": "t", "published": "2024-01-01", "language": "zh", "text": "t"}
            ],
            "categories": [],
            "facts": [],
        },
    ],
)
def test_the_schema_rejects_what_the_loader_rejects(broken: dict[str, object]) -> None:
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(broken))
    assert parse(broken, "facts.yaml").problems


def test_the_schema_accepts_declared_units() -> None:
    declared = yaml.safe_load((REPO / "tests" / "declared-units" / "facts.yaml").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(declared)) == []
    assert parse(declared, "facts.yaml").problems == []


def test_the_whole_bulletin_is_covered() -> None:
    facts = base().facts
    assert {f.year for f in facts} == {2023, 2024}
    declared = {section.id for source in base().sources for section in source.sections}
    assert {f.section for f in facts} == declared  # every section has facts
    assert len(declared) == 18  # the preamble, 8 highlights, the outlook's preamble and 8 areas


def test_every_category_has_facts_for_both_years() -> None:
    for category in base().categories:
        assert {f.year for f in base().facts if f.category == category.id} == {2023, 2024}, category.id


def test_figures_and_base_values() -> None:
    figures = {(f.id, g.label_en): g for f in base().facts for g in f.figures}
    loans = figures["2023-loans-coordinated", "bank loans arranged"]
    assert (loans.value, loans.unit, loans.base_value, loans.base_unit) == (
        Decimal("9.24"),
        "亿元",
        Decimal(924_000_000),
        "元",
    )
    brand = next(g for (fact, _), g in figures.items() if fact == "2023-fungus-brand-value")
    assert (brand.base_value, brand.qualifier) == (Decimal(3_000_000_000), Qualifier.MORE_THAN)
    assert len(figures) == FIGURE_COUNT
    assert {g.base_unit for g in figures.values()} <= set(BASE_UNITS)


def test_tags_are_in_both_languages() -> None:
    for fact in base().facts:
        assert any(CJK.search(tag) for tag in fact.tags), fact.id
        assert any(tag.isascii() for tag in fact.tags), fact.id
