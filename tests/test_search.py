from __future__ import annotations

from decimal import Decimal
from functools import cache

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhashui_cli import search, store
from zhashui_cli.index import Corpus
from zhashui_cli.search import Filters, Query, QueryError, SortKey
from zhashui_cli.text import query_terms
from zhashui_cli.units import Kind

from .conftest import FACTS


@cache
def corpus() -> Corpus:
    return store.open_corpus(FACTS, use_cache=False)


def ids(words: list[str] | None = None, **options: object) -> list[str]:
    filters = Filters(**options.pop("filters", {}))  # type: ignore[arg-type]
    query = Query(query_terms(words or []), filters, **options)  # type: ignore[arg-type]
    return [record["id"] for record in search.search(corpus(), query).records]


def test_no_query_lists_every_fact_in_bulletin_order() -> None:
    found = ids()
    assert len(found) == corpus().count > 100
    assert found[:2] == ["2023-guiding-thought", "2023-three-years-campaign"]


def test_terms_must_all_match() -> None:
    assert "2023-fungus-brand-value" in ids(["木耳"])
    assert ids(["木耳", "品牌价值"]) == ["2023-fungus-brand-value"]
    assert ids(["木耳", "no-such-word"]) == []


def test_english_is_case_and_width_insensitive() -> None:
    assert ids(["LOANS"]) == ids(["loans"]) == ids(["ｌｏａｎｓ"]) == ["2023-loans-coordinated"]


def test_traditional_finds_what_simplified_finds() -> None:
    assert ids(["專項債"]) == ids(["专项债"]) == ["2023-special-bonds"]


def test_claim_and_tag_matches_rank_above_quote_only_matches() -> None:
    # 13.59 is only in the quote of the special-bonds fact, but in the claim of special-funds.
    assert ids(["13.59"]) == ["2023-special-funds", "2023-special-bonds"]


def test_category_year_and_kind_filters() -> None:
    found = ids(
        filters={"categories": frozenset({"rural"}), "years": frozenset({2024}), "kinds": frozenset({Kind.TARGET})}
    )
    assert found == ["2024-ten-million-model-villages", "2024-rural-labour-transfer"]


def test_repeated_values_of_one_filter_are_alternatives() -> None:
    both = ids(filters={"years": frozenset({2023, 2024})})
    assert len(both) == corpus().count


def test_tag_filter_folds_like_the_query() -> None:
    assert ids(filters={"tags": frozenset({"TOILETS"})}) == ["2023-toilets"]


def test_amount_filter_on_base_values() -> None:
    found = ids(filters={"unit": "元", "minimum": Decimal("1e8")}, sort=SortKey.VALUE)
    assert found == [
        "2023-fungus-brand-value",  # >30亿元
        "2023-special-funds",  # 13.59亿元
        "2023-loans-coordinated",  # 9.24亿元
        "2023-special-bonds",  # 3.8亿元
        "2023-online-sales",  # >3亿元
        "2023-linkage-funds",  # 1.99亿元
    ]


def test_a_written_unit_means_its_base_unit() -> None:
    # 3000余万元 and 6700万元 are the only amounts of money up to 70 million yuan.
    found = ids(filters={"unit": "亿元", "maximum": Decimal(70_000_000)})
    assert found == ["2023-tax-fee-cuts", "2023-subsistence-allowances"]


def test_sort_by_year_then_bulletin_order() -> None:
    found = ids(["年"], sort=SortKey.YEAR)
    years = [corpus().record(corpus().column("id").index(i))["year"] for i in found]
    assert years == sorted(years)


def test_limit_keeps_the_total() -> None:
    result = search.search(corpus(), Query(limit=3))
    assert len(result.records) == 3
    assert result.total == corpus().count


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"categories": frozenset({"nope"})}, "unknown category 'nope'; known: economy, reform"),
        ({"sources": frozenset({"nope"})}, "unknown source 'nope'; known: zhashui-2024-02-07"),
        ({"unit": "吨"}, "unknown unit '吨'; base units: 元"),
    ],
)
def test_filter_values_that_cannot_exist_are_errors(filters: dict[str, object], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        ids(filters=filters)


@pytest.mark.parametrize("text", ["abc", "nan", "inf", "", "1e"])
def test_amounts_must_be_finite_numbers(text: str) -> None:
    with pytest.raises(QueryError, match="is not a number"):
        search.parse_amount(text, "--min")


def test_find_fact_and_suggestions() -> None:
    assert search.find_fact(corpus(), "2023-loans-coordinated")["claim_en"].startswith("In 2023 Zhashui arranged")
    assert search.find_fact(corpus(), "loans") is None
    assert search.suggest_ids(corpus(), "loans") == ["2023-loans-coordinated"]
    suggestions = search.suggest_ids(corpus(), "2023-loans-coordinatd")
    assert suggestions[0] == "2023-loans-coordinated"
    assert len(suggestions) <= 3


def test_stats_add_up() -> None:
    stats = search.stats(corpus())
    assert sum(row["facts"] for row in stats["by_category"]) == stats["facts"] == corpus().count
    assert sum(row["facts"] for row in stats["by_year"]) == stats["facts"]
    assert stats["largest_amounts"][0]["id"] == "2023-fungus-brand-value"
    values = [amount["base_value"] for amount in stats["largest_amounts"]]
    assert values == sorted(values, reverse=True)
    assert all(amount["base_unit"] == "元" for amount in stats["largest_amounts"])


# -- properties ---------------------------------------------------------------------------
_WORDS = st.one_of(st.text(max_size=12), st.sampled_from(["木耳", "loans", "2023", "亿元", "县", "专项", "柞水"]))
_ALL = frozenset(ids())


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS, max_size=4))
def test_search_never_raises_and_returns_a_subset(words: list[str]) -> None:
    found = ids(words)
    assert set(found) <= _ALL
    assert len(found) == len(set(found))


@settings(max_examples=150)
@given(st.lists(_WORDS, max_size=3), _WORDS)
def test_adding_a_term_never_adds_results(words: list[str], extra: str) -> None:
    assert set(ids([*words, extra])) <= set(ids(words))


_S2T = opencc.OpenCC("s2t")
_CLAIMS = [record["claim"] for record in search.search(corpus(), Query()).records]


@settings(max_examples=150)
@given(st.sampled_from(_CLAIMS), st.integers(0, 30), st.integers(1, 6))
def test_a_traditional_query_finds_exactly_what_its_simplified_form_finds(claim: str, start: int, length: int) -> None:
    simplified = claim[start : start + length]
    assert ids([_S2T.convert(simplified)]) == ids([simplified])
