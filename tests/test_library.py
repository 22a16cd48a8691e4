"""The library as a Python programmer uses it (issue 17): Hits is a sequence, a FactBase a
read-only collection of facts keyed by id, lookups of unknown ids raise one NotFoundError,
and limit, filters and open() behave the same as on the command line."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
import yaml

import zhashui_cli
from zhashui_cli import FactFileError, NotFoundError, QueryError, ZhashuiError

from .conftest import FACTS

FACT_IDS = [fact["id"] for fact in yaml.safe_load(FACTS.read_text(encoding="utf-8"))["facts"]]


@pytest.fixture(scope="module")
def base() -> zhashui_cli.FactBase:
    return zhashui_cli.open()


def test_hits_are_a_sequence_of_records(base: zhashui_cli.FactBase) -> None:
    hits = base.search("木耳")
    assert isinstance(hits, Sequence) and len(hits) == hits.total > 2
    assert [fact["id"] for fact in hits] == hits.ids == [record["id"] for record in hits.records]
    assert hits[0]["id"] == hits.ids[0] and hits[-1]["id"] == hits.ids[-1]
    assert [fact["id"] for fact in hits[1:3]] == hits.ids[1:3]
    assert "2023-fungus-brand-value" in hits.ids and hits.index(hits[1]) == 1
    with pytest.raises(IndexError):
        hits[len(hits)]


def test_hits_say_what_they_are(base: zhashui_cli.FactBase) -> None:
    hits = base.search("木耳", limit=2)
    assert repr(hits) == f"<Hits 2 of {hits.total} for '木耳': [{hits.ids[0]}, {hits.ids[1]}]>"
    partial = base.search("loans qwertyuiop")
    assert partial.partial and ", partial: 1 of 2 words:" in repr(partial)
    assert not hasattr(hits, "indices") and not hasattr(hits, "filters")  # the index's internals stay inside


def test_a_fact_base_is_a_collection_of_its_facts_by_id(base: zhashui_cli.FactBase) -> None:
    assert len(base) == len(FACT_IDS)
    assert [fact["id"] for fact in base] == FACT_IDS  # in the fact file's order
    assert FACT_IDS[0] in base and "2023-toilet" not in base and 2023 not in base
    assert base[FACT_IDS[0]] == base.get(FACT_IDS[0]) and base.get("2023-toilet") is None


def test_every_lookup_of_an_unknown_id_raises_not_found(base: zhashui_cli.FactBase) -> None:
    with pytest.raises(NotFoundError) as fact:
        base["2023-TOILET"]
    assert str(fact.value) == "no fact with id '2023-TOILET'; did you mean 2023-toilets?"
    assert isinstance(fact.value, KeyError) and isinstance(fact.value, ZhashuiError)
    assert (fact.value.what, fact.value.key, fact.value.close) == ("fact", "2023-TOILET", ["2023-toilets"])
    assert base["2023-TOILETS"]["id"] == "2023-toilets" and "2023-Toilets" in base  # ids are lower case
    with pytest.raises(NotFoundError, match=r"^no category with id 'econ'; did you mean economy\?$"):
        base.category("econ")
    with pytest.raises(NotFoundError, match=r"^no source with id 'nope'$"):
        base.source("nope")
    assert base.category("economy")["name"] == "经济发展"


def test_limit_means_what_it_means_on_the_command_line(base: zhashui_cli.FactBase) -> None:
    everything = base.search()
    assert len(everything) == everything.total == len(FACT_IDS)
    assert len(base.search(limit=0)) == len(base.search(limit=None)) == len(FACT_IDS)
    two = base.search(limit=2)
    assert (len(two), two.total, two.ids) == (2, len(FACT_IDS), everything.ids[:2])
    with pytest.raises(QueryError, match=r"^limit -1 is negative"):
        base.search(limit=-1)


def test_filters_are_the_same_keywords_for_search_tags_and_figures(base: zhashui_cli.FactBase) -> None:
    filters: zhashui_cli.SearchFilters = {"category": "economy", "unit": "yuan", "minimum": "1亿"}
    found = base.search(**filters)
    assert found.total and all(fact["category"] == "economy" for fact in found)
    rows = base.figures(**filters)
    assert rows and all(row["base_unit"] == "元" and row["base_value"] >= 1e8 for row in rows)
    assert {row["tag"] for row in base.tags(**filters)} >= {tag for fact in found for tag in fact["tags"]}


def test_open_of_a_missing_file_raises_at_once() -> None:
    with pytest.raises(FactFileError, match=r"/nonexistent\.yaml: no such file; check the path"):
        zhashui_cli.open("/nonexistent.yaml")


def test_the_package_root_loads_its_names_when_first_used() -> None:
    import subprocess
    import sys

    code = "import sys, zhashui_cli; print(len([m for m in sys.modules if m.startswith('zhashui_cli.')]))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded == "1\n"  # _version alone: the console script can catch Ctrl-C before the rest loads
    assert zhashui_cli.open is zhashui_cli.base.open and "FactBase" in dir(zhashui_cli)
    with pytest.raises(AttributeError, match="has no attribute 'opne'"):
        zhashui_cli.opne  # noqa: B018


def test_kinds_and_qualifiers_are_literals_of_the_models_values() -> None:
    from typing import get_args

    from zhashui_cli.factfile.vocabulary import Kind, Qualifier
    from zhashui_cli.records import KindName, QualifierName

    assert get_args(KindName) == tuple(kind.value for kind in Kind)
    assert get_args(QualifierName) == tuple(qualifier.value for qualifier in Qualifier)


def test_sources_are_given_with_the_fields_a_source_record_has_and_no_path() -> None:
    """Where the index read a source's text from is the index's business, not the record's."""
    from zhashui_cli.records import SOURCE_FIELDS

    base = zhashui_cli.open(FACTS)
    sources = base.sources()
    assert sources and all(set(source) == set(SOURCE_FIELDS) for source in sources)
    assert [base.source(source["id"]) for source in sources] == sources
