from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from zhashui_cli.factfile.parse import Parsed, parse
from zhashui_cli.factfile.vocabulary import Kind, Qualifier
from zhashui_cli.factfile.yamlfile import Place
from zhashui_cli.records import Problem, describe

from .conftest import sample


def parse_fact_base(data: object) -> Parsed:
    return parse(data, "facts.yaml")


def problems_of(edit: Callable[[dict[str, Any]], object]) -> list[Problem]:
    data = sample()
    edit(data)
    return parse_fact_base(data).problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def test_the_sample_is_valid_and_typed() -> None:
    base = parse_fact_base(sample())
    assert base.problems == []
    loans = base.facts[0]
    assert loans.kind is Kind.OUTCOME
    assert loans.figures[0].value == Decimal("9.24")
    assert loans.figures[0].qualifier is Qualifier.EXACT
    assert loans.figures[0].base_value == Decimal(924_000_000)
    assert loans.tags == ("贷款", "loans")


def test_unknown_field_names_the_fact_and_suggests() -> None:
    problem = only(problems_of(lambda d: d["facts"][0].update(clam="x")))
    assert (problem["fact"], problem["field"], problem["rule"]) == ("2023-loans", "clam", "schema")
    assert "did you mean 'claim'" in problem["message"]


def test_missing_field() -> None:
    problem = only(problems_of(lambda d: d["facts"][1].pop("quote")))
    assert (problem["fact"], problem["field"]) == ("2023-toilets", "quote")
    assert "missing" in problem["message"]


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        (dt.date(2024, 2, 7), "got a date; put it in quotes"),
        (True, "got a yes/no value; put it in quotes"),
        (42, "got a number"),
    ],
)
def test_text_fields_refuse_what_yaml_turned_into_something_else(value: object, hint: str) -> None:
    problem = only(problems_of(lambda d: d["facts"][0].update(claim_en=value)))
    assert problem["field"] == "claim_en"
    assert hint in problem["message"]


def test_published_must_be_quoted_text() -> None:
    problem = only(problems_of(lambda d: d["sources"][0].update(published=dt.date(2024, 1, 1))))
    assert (problem["fact"], problem["field"]) == (None, "sources[0].published")


def test_duplicate_fact_ids() -> None:
    def duplicate(d: dict[str, Any]) -> None:
        d["facts"][1]["id"] = "2023-loans"

    problem = only(problems_of(duplicate))
    assert (problem["field"], problem["rule"]) == ("id", "unique")
    assert "duplicate fact id '2023-loans'" in problem["message"]


@pytest.mark.parametrize("bad", ["Loans", "2023_loans", "loans-", "贷款", "a--b", "2023-loans\n"])
def test_ids_are_lowercase_ascii_kebab_case(bad: str) -> None:
    problem = only(problems_of(lambda d: d["facts"][0].update(id=bad)))
    assert problem["field"] == "facts[0].id"  # an id that is no id does not name the fact
    assert "kebab-case" in problem["message"]


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        ("published", "2024-01-01\n", "'2024-01-01\\n' is not like 2024-02-07 or 2024-02-07 09:41:58"),
        ("language", "zh-Hans\n", "'zh-Hans\\n' is not a language tag like zh-Hans"),
    ],
)
def test_a_final_line_break_is_part_of_the_value(field: str, bad: str, message: str) -> None:
    """Whole values are matched to their end (fullmatch), not to a final line break ($);
    the line break is shown escaped, so that the problem stays one line."""
    problem = only(problems_of(lambda d: d["sources"][0].update({field: bad})))
    assert (problem["field"], problem["message"]) == (f"sources[0].{field}", message)


def test_unknown_category_and_source_list_the_known_ones() -> None:
    problems = problems_of(lambda d: d["facts"][0].update(category="econ", source="nope"))
    messages = {p["field"]: p["message"] for p in problems}
    assert messages["category"] == "unknown category 'econ'; known: economy, ecology"
    assert messages["source"] == "unknown source 'nope'; known: sample"


def test_figure_value_must_be_a_number() -> None:
    problem = only(problems_of(lambda d: d["facts"][0]["figures"][0].update(value="9.24")))
    assert problem["field"] == "figures[0].value"
    assert "expected a number, got text; write it without quotes" in problem["message"]


def test_unknown_unit_lists_the_known_ones() -> None:
    problem = only(problems_of(lambda d: d["facts"][0]["figures"][0].update(unit="亿斤")))
    assert problem["field"] == "figures[0].unit"
    assert problem["message"].startswith("unknown unit '亿斤'; use a base unit (元, 平方米, 公里")
    assert problem["message"].endswith(
        "or one after 万 or 亿 (万元, 亿元), or declare it under units: {unit: 亿斤, base_unit: …, factor: …, en: …}"
    )


def test_unknown_qualifier() -> None:
    problem = only(problems_of(lambda d: d["facts"][0]["figures"][0].update(qualifier="about")))
    assert "use one of exact, more_than, at_least, approximately" in problem["message"]


@pytest.mark.parametrize(
    ("kind", "figures", "message"), [("outcome", [], "needs at least one figure"), ("plan", None, "takes no figures")]
)
def test_kind_and_figures_agree(kind: str, figures: list[object] | None, message: str) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["facts"][0]["kind"] = kind
        if figures is not None:
            d["facts"][0]["figures"] = figures

    problem = only(problems_of(edit))
    assert (problem["field"], problem["rule"]) == ("kind", "kind-figures")
    assert message in problem["message"]


def test_year_must_be_a_plausible_integer() -> None:
    assert "outside" in only(problems_of(lambda d: d["facts"][0].update(year=20230)))["message"]
    assert "expected a year" in only(problems_of(lambda d: d["facts"][0].update(year="2023")))["message"]


def test_every_problem_is_collected_not_just_the_first() -> None:
    def break_everything(d: dict[str, Any]) -> None:
        d["facts"][0].update(year="x", kind="rumour")
        d["facts"][1]["figures"][0].update(unit="斤")
        d["categories"][1]["name"] = ""

    problems = problems_of(break_everything)
    assert {(p["fact"], p["field"]) for p in problems} == {
        ("2023-loans", "year"),
        ("2023-loans", "kind"),
        ("2023-toilets", "figures[0].unit"),
        (None, "categories[1].name"),
    }


def test_a_broken_category_is_reported_once_not_on_every_fact() -> None:
    problems = problems_of(lambda d: d["categories"][0].update(name_en=None))
    assert [(p["fact"], p["field"]) for p in problems] == [(None, "categories[0].name_en")]


@pytest.mark.parametrize("data", [None, [], "text", 3])
def test_the_file_must_be_a_mapping(data: object) -> None:
    parsed = parse_fact_base(data)
    assert parsed.facts == ()
    assert "expected a mapping with sources, categories, facts" in only(parsed.problems)["message"]


def test_a_missing_top_level_list_is_a_problem_not_a_crash() -> None:
    problems = problems_of(lambda d: d.pop("sources"))
    assert (problems[0]["field"], problems[0]["message"]) == ("sources", "missing; every entry needs it")
    assert [p["message"] for p in problems[1:]] == [
        "unknown source 'sample'; known: none yet, declare it under sources"
    ] * 2


def test_top_level_lists() -> None:
    problem = only(problems_of(lambda d: d.update(facts={"a": 1})))
    assert (problem["field"], problem["message"]) == ("facts", "expected a list (use [] for none), got a mapping")


def test_problems_point_at_the_line_of_their_field() -> None:
    data = sample()
    data["facts"][0]["kind"] = "rumour"
    places = {
        id(data): Place((1, 1), {"facts": (20, 1)}),
        id(data["facts"]): Place((21, 3), {0: (21, 5)}),
        id(data["facts"][0]): Place((21, 5), {"kind": (27, 5)}),
    }
    problem = only(parse(data, "facts.yaml", places).problems)
    assert describe(problem) == (
        "facts.yaml:27:5: fact '2023-loans': kind: unknown kind 'rumour'; "
        "use one of outcome, honour, measure, plan, target"
    )


def test_a_missing_field_is_reported_once_and_the_rest_still_checked() -> None:
    def edit(d: dict[str, Any]) -> None:
        del d["facts"][0]["claim_en"]
        del d["facts"][0]["figures"][0]["label"]
        d["facts"][0]["figures"][0]["unit"] = "斤"
        d["facts"][0]["bogus"] = 1

    problems = problems_of(edit)
    assert sorted((p["field"], p["message"].split(";")[0]) for p in problems) == [
        ("bogus", "unknown field"),
        ("claim_en", "missing"),
        ("figures[0].label", "missing"),
        ("figures[0].unit", "unknown unit '斤'"),
    ]
