"""Search through the library: words, forms, spellings, pinyin, typos, questions, filters, order."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zhashui_cli
from zhashui_cli import QueryError

from .conftest import FACT_COUNT, FACTS, load_script


@cache
def base() -> zhashui_cli.FactBase:
    return zhashui_cli.open(FACTS, cache=False)


def ids(query: str | list[str] = "", **options: Any) -> list[str]:
    return base().search(query, **options).ids


def how(query: str, fact: str) -> Any:
    """The match object of one fact of a search."""
    return next(record["match"] for record in base().search(query).records if record["id"] == fact)


def test_no_query_lists_every_fact_in_bulletin_order() -> None:
    found = ids()
    assert len(found) == FACT_COUNT
    assert found[:2] == ["2023-guiding-thought", "2023-three-years-campaign"]


def test_facts_with_every_word_come_alone() -> None:
    assert "2023-fungus-brand-value" in ids("木耳")
    assert ids("木耳 品牌价值") == ["2023-fungus-brand-value"]


def test_when_no_fact_has_every_word_the_best_partial_matches_are_shown() -> None:
    hits = base().search("toilets hospital")
    assert hits.partial and hits.best == 1 and hits.words == ["toilets", "hospital"]
    assert "2023-toilets" in hits.ids and "2023-county-hospital-ward" in hits.ids
    assert not base().search("toilets 厕所").partial


def test_case_width_and_script_fold() -> None:
    assert ids("LOANS") == ids("loans") == ids("ｌｏａｎｓ")
    assert ids("專項債") == ids("专项债") == ["2023-special-bonds"]


def test_punctuation_and_quotation_marks_are_ignored() -> None:
    assert ids("柞水木耳品牌价值") == ["2023-fungus-brand-value"]  # the claim has “柞水木耳”品牌价值
    assert ids("“柞水木耳”") == ids("柞水木耳")


def test_latin_words_match_whole_words_or_their_start_never_their_middle() -> None:
    assert ids("tea")[:2] == ["2024-specialty-industries", "2024-tea-planting"]  # the tea facts first
    assert how("tea", "2023-field-teaching")["terms"]["tea"] == {"as": "teaching", "how": "prefix"}
    assert "2023-new-zhashui-progress" not in ids("road")  # nothing "abroad"
    assert all("agriculture" not in str(r["match"]) for r in base().search("culture").records)


@pytest.mark.parametrize(
    ("query", "fact", "found_as", "kind"),
    [
        ("hospitals", "2023-county-hospital-ward", "hospital", "form"),
        ("taxes", "2023-tax-fee-cuts", "tax", "form"),
        ("labor", "2023-labour-brand", "labour", "spelling"),
        ("revitalization", "2023-rural-revitalisation", "revitalisation", "spelling"),
        ("organized", "2023-crime-crackdown", "organised", "spelling"),
        ("specialized", "2024-specialised-towns", "specialised", "spelling"),
        ("toliets", "2023-toilets", "toilets", "typo"),
        ("hospitl", "2023-county-hospital-ward", "hospital", "typo"),
        ("muer", "2023-fungus-brand-value", "木耳", "pinyin"),
        ("lvyou", "2023-tourism-routes", "旅游", "pinyin"),
        ("luyou", "2023-tourism-routes", "旅游", "pinyin"),
        ("zsme", "2023-fungus-brand-value", "柞水木耳", "pinyin"),
    ],
)
def test_words_are_found_as_forms_spellings_typos_and_pinyin(query: str, fact: str, found_as: str, kind: str) -> None:
    assert fact in ids(query)
    assert how(query, fact)["terms"][query] == {"as": found_as, "how": kind}


@pytest.mark.parametrize("query", ["muer", "mu er", "zhashuimuer", "zha shui mu er", "mù ěr", "mu4 er3", "zsme"])
def test_pinyin_in_every_form_finds_the_wood_ear(query: str) -> None:
    assert "2023-fungus-brand-value" in ids(query)


@pytest.mark.parametrize(
    ("query", "fact"), [("he zhang zhi", "2023-chief-systems"), ("an quan", "2023-drinking-water-experience")]
)
def test_a_stop_word_is_a_syllable_too_when_it_spells_pinyin_with_its_neighbours(query: str, fact: str) -> None:
    assert ids(query)[0] == fact  # he, an: English stop words, and the first syllables of 河长制, 安全


def test_pinyin_aligns_to_syllables() -> None:
    """安 and 案 are "an"; 线 and 县 are "xian", which holds "an" but is another syllable."""
    from pypinyin import lazy_pinyin

    from zhashui_cli.search import matching

    corpus = zhashui_cli.open()._open()
    spelled = matching.pinyin_words(corpus, "an")
    assert spelled and all("an" in lazy_pinyin(word) for word in spelled)
    assert "一线" in matching.pinyin_words(corpus, "xian") and "一线" not in spelled


@pytest.mark.parametrize(
    ("query", "corrections"),
    [
        ("toliets", {"toliets": {"as": "toilets", "how": "typo"}}),
        ("木耳子", {"木耳子": {"as": "木耳", "how": "partial"}}),  # the word typed, not the part
        ("toilets", {}),
    ],
)
def test_corrections_say_what_each_word_typed_was_found_as(query: str, corrections: dict[str, Any]) -> None:
    assert base().search(query).corrections == corrections


def test_did_you_mean_allows_one_edit_more_than_search_and_no_tiny_words() -> None:
    assert ids("tolietss") == [] and base().suggest_words("tolietss") == ["toilets"]  # 2 edits, 8 letters
    assert all(len(word) > 2 for word in base().suggest_words("mue") if word.isascii())  # not mu, be, e


@pytest.mark.parametrize("query", ["木耳", "贷款", "fungus", "tourism"])
def test_facts_that_say_it_in_their_claims_come_before_facts_only_tagged_with_it(query: str) -> None:
    in_claims = [bool({"claim", "claim_en"} & set(r["match"]["fields"])) for r in base().search(query).records]
    assert in_claims == sorted(in_claims, reverse=True) and in_claims[0] and not in_claims[-1]


def test_a_stem_gets_the_typos_its_own_length_allows() -> None:
    # punishing (9 letters) may have 2 typos, but its stem punish (6) only 1: push and polish
    # are 2 edits from punish, so they are no typo of punishing. Nor is it found as a synonym:
    # punishing is hard, heavy and laborious to WordNet, whose adjectives are left out as too
    # loose, and the fact base's disciplined is none of them.
    assert ids("punishing") == []
    assert ids("hospitls") and how("hospitls", ids("hospitls")[0])["terms"]["hospitls"]["as"].startswith("hospital")


def test_typos_follow_the_length_rule() -> None:
    assert ids("tolets")  # 6 letters: one edit
    assert ids("tea") and not ids("txa")  # under 5 letters: none
    assert ids("revitalisaton")  # 13 letters: two edits allowed, one made
    assert not ids("tioolets")  # 8 letters, two edits: too many


@pytest.mark.parametrize("query", ["zhashuimuerr", "zhasuimuer", "zhashiumuer", "zhashuimuar"])
def test_long_pinyin_with_one_slip_is_found_as_a_typo(query: str) -> None:
    assert how(query, "2023-fungus-brand-value")["terms"][query] == {"as": "柞水木耳", "how": "typo"}


def test_pinyin_slips_follow_the_length_rule_of_typos() -> None:
    assert how("muerr", "2023-fungus-brand-value")["terms"]["muerr"] == {"as": "木耳", "how": "typo"}
    assert not base().search("muee")  # under 5 letters: no slip allowed


@pytest.mark.parametrize(("query", "found_as"), [("柞水木尔", "柞水木耳"), ("品牌价直", "品牌价值")])
def test_a_chinese_word_with_a_wrong_character_of_the_same_sound_is_found_as_a_typo(query: str, found_as: str) -> None:
    assert how(query, "2023-fungus-brand-value")["terms"][query] == {"as": found_as, "how": "typo"}


def test_a_chinese_word_the_text_holds_is_never_read_as_a_sound_alike() -> None:
    assert {found["how"] for found in (how("木耳", fact)["terms"]["木耳"] for fact in ids("木耳"))} == {"exact"}


@pytest.mark.parametrize(
    ("query", "fact", "mainland"),
    [("智慧財產權", "2023-ip-pilot-county", "知识产权"), ("網路銷售", "2023-online-sales", "网络销售")],
)
def test_taiwan_and_hong_kong_words_are_read_as_the_mainland_ones_the_text_uses(
    query: str, fact: str, mainland: str
) -> None:
    assert how(query, fact)["terms"] == {mainland: {"as": mainland, "how": "exact"}}


def test_a_traditional_word_the_text_holds_keeps_its_plain_conversion() -> None:
    assert ids("線上") == ids("线上")  # Taiwan's 線上 is the mainland's 在线; the text says 线上


def test_an_exact_word_ranks_before_a_typo() -> None:
    found = base().search("hospital").records
    assert found[0]["match"]["terms"]["hospital"]["how"] == "exact"


def test_questions_count_only_the_words_that_match() -> None:
    assert ids("柞水木耳品牌价值是多少") == ["2023-fungus-brand-value"]
    assert "2023-loans-coordinated" in ids("贷款有多少")
    assert ids("how many toilets were built") == ["2023-toilets"]
    assert ids("what is the brand value of zhashui wood ear") == ["2023-fungus-brand-value"]


def test_a_rare_word_decides_and_a_word_in_most_facts_only_counts_when_it_matches() -> None:
    hits = base().search("hotels in Zhashui")
    assert hits.words == ["hotels"] and hits.common == ["zhashui"]
    assert how("toilets zhashui", "2023-toilets")["terms"]["toilets"]["how"] == "exact"
    assert ids("toilets zhashui")[0] == "2023-toilets"
    assert not base().search("Zhashui earthquake")  # the county's name alone answers nothing in particular
    assert len(ids("Zhashui")) > FACT_COUNT / 2  # alone, a common word is still a search


def test_of_facts_with_as_many_words_those_with_rarer_ones_come_first() -> None:
    hits = base().search("toilets 发展")  # no fact has both; 发展 stands in a quarter of the facts
    assert hits.partial and hits.ids[0] == "2023-toilets"


def test_chinese_ways_of_asking_a_price_are_cut_out() -> None:
    assert base().search("木耳品牌价值值多少钱").words == ["木耳品牌价值"]


def test_a_long_chinese_query_is_split_into_known_words() -> None:
    hits = base().search("柞水县的木耳品牌价值")
    assert hits.words == ["木耳", "品牌价值"] and hits.common == ["柞水县"]
    assert how("柞水县的木耳品牌价值", "2023-fungus-brand-value")["terms"]["品牌价值"] == {
        "as": "品牌价值",
        "how": "partial",
    }


def test_a_chinese_word_found_nowhere_is_found_by_its_rare_characters_as_a_partial_answer() -> None:
    hits = base().search("标准厂区")
    assert hits.ids[0] == "2023-standard-factories" and hits.partial  # 标准化厂房
    assert how("标准厂区", "2023-standard-factories")["terms"]["厂"] == {"as": "厂", "how": "partial"}


def test_a_chinese_word_found_nowhere_is_found_by_a_part_that_begins_or_ends_a_word_of_the_text() -> None:
    # 妇幼 is no word of its own, but begins 妇幼保健院; 固体 begins 固体废物
    assert ids("妇幼医院") == ["2023-hospital-upgrades"]
    assert how("妇幼医院", "2023-hospital-upgrades")["terms"]["妇幼"] == {"as": "妇幼", "how": "partial"}
    assert how("固体垃圾", "2024-pollution-prevention")["terms"] == {"固体": {"as": "固体", "how": "partial"}}
    # a run that stands only inside a word is no part of it: 力发 of 大力发展 is not in 风力发电
    assert "力发" not in base().search("风力发电").words


def test_a_part_that_is_a_chinese_stop_word_is_not_looked_for() -> None:
    # 在, 能 and 用 are rare in the facts but say nothing: the question asks about 西安's 医保
    hits = base().search("在柞水看病能用西安的医保卡吗")
    assert hits.words == ["西安", "医保", "在柞水看病能用西安的医保卡"] and hits.partial
    assert "2023-medical-insurance-settlement" in hits.ids[:5]


def test_facts_found_by_a_small_part_of_a_long_chinese_word_are_a_partial_answer() -> None:
    # 地方 is all that the fact base holds of 每个村都有看病的地方 (the rest: stop words, and 看病
    # found nowhere): the facts about 地方 do not answer the question, and the note says so
    hits = base().search("每个村都有看病的地方")
    assert hits.words == ["地方", "每个村都有看病的地方"] and hits.partial


def test_the_vendored_chinese_stop_words_are_what_their_script_derives() -> None:
    """src/zhashui_cli/search/zh_stop_words.txt is stopwords-iso's list as the stopwordsiso
    package (a test extra) ships it; a newer package makes it stale until the script is run."""
    script = load_script("gen_zh_stop_words")
    assert script.render() == script.TARGET.read_text(encoding="utf-8"), "run python scripts/gen_zh_stop_words.py"


def test_one_argument_with_spaces_is_the_same_as_separate_words() -> None:
    assert ids("loan 贷款") == ids(["loan", "贷款"]) == ids(["loan 贷款"])
    assert ids("loans finance") == ids("finance loans")


def test_the_match_says_where_words_were_found() -> None:
    match = how("13.59", "2023-special-bonds")
    assert match["fields"] == ["quote"]
    assert how("13.59", "2023-special-funds")["fields"][0] == "claim"


def test_claim_and_tag_matches_rank_above_quote_only_matches() -> None:
    assert ids("13.59") == ["2023-special-funds", "2023-special-bonds"]


def test_numbers_match_whole() -> None:
    assert "2023-toilets" in ids("7168")
    assert ids("168") == []


# -- exact --------------------------------------------------------------------------------------
def test_exact_is_a_folded_substring_and_nothing_else() -> None:
    assert ids("muer", exact=True) == []
    assert ids("toliets", exact=True) == []
    assert ids("專項債", exact=True) == ["2023-special-bonds"]
    assert "2023-field-teaching" in ids("tea", exact=True)  # a substring anywhere


# -- filters ------------------------------------------------------------------------------------
def test_category_year_and_kind_filters() -> None:
    found = ids(category="rural", year=2024, kind="target")
    assert found == ["2024-ten-million-model-villages", "2024-rural-labour-transfer"]


def test_filter_values_are_read_as_people_type_them() -> None:
    """Blanks around a value (a shell variable, a pasted cell) and its case are not part of it."""
    targets = ids(kind="target")
    assert targets and ids(kind=" Target\t") == ids(kind="TARGET") == ids(kind="目标") == targets
    assert ids(year=" 2024 ") == ids(year=2024)


def test_a_category_is_named_by_id_or_name_in_any_case() -> None:
    assert ids(category="ECONOMY") == ids(category="经济发展") == ids(category="economy and investment")


def test_several_values_of_one_filter_are_alternatives() -> None:
    assert len(ids(year=["2023", "2024"])) == FACT_COUNT


def test_tag_filter_folds_like_the_query() -> None:
    assert ids(tag="TOILETS") == ["2023-toilets"]


def test_amount_filters_on_base_values() -> None:
    found = ids(unit="元", minimum=Decimal("1e8"), sort="value")
    assert found == [
        "2023-fungus-brand-value",  # >30亿元
        "2023-special-funds",  # 13.59亿元
        "2023-loans-coordinated",  # 9.24亿元
        "2023-special-bonds",  # 3.8亿元
        "2023-online-sales",  # >3亿元
        "2023-linkage-funds",  # 1.99亿元
    ]
    assert ids(unit="yuan", minimum="1亿", sort="value") == found
    assert ids(unit="RMB", minimum="10000万", sort="value", reverse=True) == found[::-1]


def test_a_written_unit_means_its_base_unit() -> None:
    # 3000余万元 and 6700万元 are the only amounts of money up to 70 million yuan.
    assert ids(unit="亿元", maximum="7000万") == ["2023-tax-fee-cuts", "2023-subsistence-allowances"]


def test_a_bare_amount_is_read_in_the_unit_given() -> None:
    # issue 19: --unit 万元 --min 5000 is 5000万元, so 3000余万元 is left out and 6700万元 kept.
    found = ids(unit="万元", minimum=5000)
    assert "2023-tax-fee-cuts" not in found and "2023-subsistence-allowances" in found
    assert found == ids(unit="元", minimum=50_000_000) == ids(unit="万元", minimum=Decimal(5000))
    assert ids(unit="亿元", maximum=0.7) == ["2023-tax-fee-cuts", "2023-subsistence-allowances"]
    assert ids(unit="亿元", maximum="0.7") == ids(unit="亿元", maximum="7000万")


def test_an_amount_with_its_own_unit_is_read_as_written() -> None:
    found = ids(unit="元", minimum="1亿", sort="value")
    assert ids(unit="万元", minimum="1亿元", sort="value") == found
    assert ids(minimum="1亿元", sort="value") == found  # its unit is the unit filter
    assert ids(minimum="10000万元", maximum="30亿元", sort="value") == found
    # 10 万人次 names the unit too: figures in 人次 alone, not every figure up to 100000
    assert ids(maximum="10万人次") == ids(unit="人次", maximum=100_000) != ids(maximum=100_000)


def test_a_bare_amount_without_a_unit_is_a_base_value_in_any_unit() -> None:
    assert set(ids(minimum=Decimal("1e8"))) == set(ids(unit="元", minimum=Decimal("1e8")))
    assert "2023-rural-labour-transfer" in ids(minimum=30_000)  # 3.55万人次: not money, and kept


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"unit": "元", "minimum": "3万亩"}, "minimum '3万亩' is in 亩, but the unit is 元; give it in 元"),
        ({"minimum": "1亿元", "maximum": "3万亩"}, "maximum '3万亩' is in 亩, but the unit is 元"),
        ({"unit": "万元", "minimum": "万元"}, "minimum '万元' is not a number"),
    ],
)
def test_an_amount_in_another_unit_is_refused(filters: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        base().search(**filters)  # type: ignore[arg-type]


def test_a_value_sort_without_a_unit_keeps_each_unit_together() -> None:
    units = [base().get(i)["figures"][0]["base_unit"] for i in ids(sort="value") if base().get(i)["figures"]]  # type: ignore[index]
    seen: list[str] = []
    for unit in units:
        if not seen or seen[-1] != unit:
            assert unit not in seen, units  # each unit's facts in one run
            seen.append(unit)


def test_sort_by_year_then_bulletin_order() -> None:
    years = [base().get(i)["year"] for i in ids("年", sort="year")]  # type: ignore[index]
    assert years == sorted(years)


def test_a_section_filter() -> None:
    assert set(ids(section="2023-highlight-1")) == {f for f in ids() if f.startswith("2023-")} & set(
        ids(section="2023-highlight-1")
    )
    assert len(ids(section="2023-highlight-1")) == 9


@pytest.mark.parametrize(
    "given",
    [
        {"section": " 2023-highlight-1 "},
        {"category": " economy"},
        {"tag": "木耳 "},
        {"year": " 2023"},
        {"kind": "plan\t"},
        {"source": " zhashui-2024-02-07"},
    ],
)
def test_a_filter_value_means_the_same_without_the_white_space_around_it(given: dict[str, str]) -> None:
    ((name, value),) = given.items()
    assert ids(**{name: value}) == ids(**{name: value.strip()}) != []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"category": "econ"}, "unknown category 'econ' (did you mean economy?); known: economy, reform"),
        ({"category": "经济发展s"}, "unknown category '经济发展s' (did you mean 经济发展?); known: economy"),
        ({"category": "economy and investmen"}, "unknown category 'economy and investmen' (did you mean economy?)"),
        ({"source": "nope"}, "unknown source 'nope'; known: zhashui-2024-02-07"),
        ({"unit": "斤"}, "unknown unit '斤'; use a base unit (元"),
        ({"year": "twenty"}, "'twenty' is not a year; give one in digits: 2023, 2024"),
        ({"kind": "rumour"}, "unknown kind 'rumour'; use one of outcome (成果), honour (荣誉)"),
        ({"kind": "目标值"}, "unknown kind '目标值' (did you mean 目标?); use one of"),  # offered as typed: in Chinese
        ({"section": "2023-highlight-9"}, "unknown section '2023-highlight-9' (did you mean 2023-highlight-"),
        ({"minimum": "lots"}, "minimum 'lots' is not a number; write it like 100000000, 1e8 or 1亿"),
    ],
)
def test_filter_values_that_cannot_match_are_errors_that_say_what_would(options: dict[str, Any], message: str) -> None:
    with pytest.raises(QueryError) as caught:
        ids(**options)
    assert str(caught.value).startswith(message)


def test_an_unknown_tag_offers_the_near_ones_not_every_tag() -> None:
    """The tags are hundreds: an unknown one is answered with those that look like it only."""
    with pytest.raises(QueryError) as caught:
        ids(tag="loan")
    assert str(caught.value).startswith("unknown tag 'loan' (did you mean loans") and "known:" not in str(caught.value)


def test_a_year_no_fact_is_about_finds_nothing_and_the_command_line_says_which_are() -> None:
    from typer.testing import CliRunner

    from zhashui_cli.cli.app import app

    assert ids(year=2025) == [] and ids(year=["2024", "2025"]) == ids(year=2024)
    result = CliRunner().invoke(app, ["search", "-y", "2025"])
    assert (result.exit_code, result.stderr) == (
        1,
        "zhashui: no facts match; no facts are about 2025; years present: 2023, 2024\n",
    )


def test_get_and_suggestions() -> None:
    fact = base().get("2023-loans-coordinated")
    assert fact is not None and fact["claim_en"].startswith("In 2023 Zhashui arranged")
    assert base().get("loans") is None
    assert base().suggest("loans") == ["2023-loans-coordinated"]
    assert base().suggest("2023-loans-coordinatd")[0] == "2023-loans-coordinated"


def test_words_for_a_search_that_found_nothing() -> None:
    assert base().suggest_words("toiletz hospitel")[:2] == ["toilets", "hospital"]
    assert "木耳" in base().suggest_words("木尔")
    assert "木耳" in base().suggest_words("muerr")


# -- properties (under --exact, whose semantics they state) -----------------------------------------
_WORDS = st.one_of(st.text(max_size=12), st.sampled_from(["木耳", "loans", "2023", "亿元", "县", "专项", "柞水"]))
_ALL = frozenset(ids())


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS, max_size=4))
def test_search_never_raises_and_returns_a_subset(words: list[str]) -> None:
    for exact in (False, True):
        found = ids(words, exact=exact)
        assert set(found) <= _ALL
        assert len(found) == len(set(found))


@settings(max_examples=150)
@given(st.lists(_WORDS, max_size=3), _WORDS)
def test_adding_a_word_never_adds_results(words: list[str], extra: str) -> None:
    assert set(ids([*words, extra], exact=True)) <= set(ids(words, exact=True))


_S2T = opencc.OpenCC("s2t")
_CLAIMS = [record["claim"] for record in base().search().records]


@settings(max_examples=150)
@given(st.sampled_from(_CLAIMS), st.integers(0, 30), st.integers(1, 6))
def test_a_traditional_query_finds_exactly_what_its_simplified_form_finds(claim: str, start: int, length: int) -> None:
    simplified = claim[start : start + length]
    assert ids(_S2T.convert(simplified), exact=True) == ids(simplified, exact=True)
    assert ids(_S2T.convert(simplified)) == ids(simplified)


# -- synonyms (docs/search.md: tier 2, json.synonyms from CC-CEDICT, Cilin and WordNet) --------
@pytest.mark.parametrize(
    ("query", "fact", "found_as"),
    [
        ("restroom", "2023-toilets", "toilets"),  # WordNet: a restroom is a toilet
        ("graft", "2023-anti-corruption", "corruption"),  # WordNet: graft is bribery, to corrupt
        ("smog", "2024-air-and-water-pollution", "air pollution"),  # WordNet, a phrase of the text
        ("洗手间", "2023-toilets", "toilets"),  # CC-CEDICT: 洗手间 is a toilet, in the English claim
        ("借款", "2023-loans-coordinated", "loans"),  # CC-CEDICT: 借款 is a loan
    ],
)
def test_a_word_found_nowhere_is_found_as_what_a_thesaurus_says_it_means(query: str, fact: str, found_as: str) -> None:
    hits = base().search(query)
    assert fact in hits.ids[:5]
    assert how(query, fact)["terms"][query] == {"as": found_as, "how": "synonym"}
    assert hits.corrections[query]["how"] == "synonym"


def test_a_part_of_a_chinese_word_is_found_through_its_synonyms() -> None:
    # 蘑菇种植: neither the text nor its pinyin holds 蘑菇; its part 蘑菇 is a mushroom to CC-CEDICT
    assert how("蘑菇种植", "2024-fungus-industry")["terms"]["蘑菇"]["how"] == "synonym"


def test_two_english_words_are_joined_only_through_a_chinese_word_of_few_senses() -> None:
    # restroom → 厕 → toilet joins two English words; 熏 (to smoke, to fumigate, to educate …)
    # would make fumigation mean education, as a word of many senses joins words of none in common
    assert not {term["as"] for hit in base().search("fumigation") for term in hit["match"]["terms"].values()} & {
        "education"
    }
    assert how("restroom", "2023-toilets")["terms"]["restroom"]["as"] == "toilets"


def test_a_synonym_ranks_below_the_words_own_forms() -> None:
    from zhashui_cli.search.matching import TIER

    assert TIER["synonym"] > TIER["form"] == TIER["spelling"] == TIER["pinyin"] > TIER["exact"]
    # toilet restroom: the fact holding toilet as a form of toilets and restroom as a synonym is
    # found, and its match says which word came how
    terms = how("toilet restroom", "2023-toilets")["terms"]
    assert terms["toilet"]["how"] == "form" and terms["restroom"]["how"] == "synonym"
