"""Claims held to their figures: each number a claim states is read in the claim's own
notation and must be a figure of its fact (tests/broken/claim-figures*.yaml hold the
problems at their lines; these hold the notations that agree)."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhashui_cli.factfile.claims import en_numbers, en_qualifier, zh_numbers
from zhashui_cli.factfile.model import Name
from zhashui_cli.factfile.store import load
from zhashui_cli.factfile.vocabulary import Qualifier

from .conftest import FACTS, REPO, base_problems


@pytest.mark.parametrize(
    "claim_en",
    [
        "In 2023 the county arranged 924 million yuan of loans.",
        "In 2023 the county arranged RMB 924m of loans.",
        "In 2023 the county arranged 924,000,000 yuan of loans.",
        "In 2023 the county arranged 0.924 billion yuan of loans.",
    ],
)
def test_an_english_claim_states_a_figure_in_any_english_notation(tmp_path: Path, claim_en: str) -> None:
    assert base_problems(tmp_path, "In 2023 the county arranged 924 million yuan of loans.", claim_en) == []


@pytest.mark.parametrize(
    ("claim_en", "number"),
    [
        ("In 2023 the county arranged 92.4 million yuan of loans.", "'92.4 million'"),
        ("In 2023 the county arranged RMB 924bn of loans.", "'924bn'"),
        ("In 2023 the county arranged 942 million yuan of loans.", "'942 million'"),
    ],
)
def test_an_english_claim_with_another_number_is_a_problem(tmp_path: Path, claim_en: str, number: str) -> None:
    messages = base_problems(tmp_path, "In 2023 the county arranged 924 million yuan of loans.", claim_en)
    assert messages == [f"states {number}, but figures[0] is 9.24亿元 = 924,000,000; correct the number"]


def test_numbers_in_words_count_in_english() -> None:
    numbers = list(
        en_numbers("In 2023 the county ran eight courses for twenty-one villages in one of its towns.", {2023}, ())
    )
    assert [(number.written, int(number.value)) for number in numbers] == [("eight", 8), ("twenty-one", 21)]


def test_ordinals_rank_and_are_no_count() -> None:
    numbers = list(en_numbers("In 2023 it was first, at the 10th festival, for the fifth year running.", {2023}, ()))
    assert [(number.written, number.ordinal) for number in numbers] == [
        ("first", True),
        ("10th", True),
        ("fifth", True),
    ]


def test_a_declared_name_covers_its_numbers_in_both_claims() -> None:
    name = Name("“五大产业”", "A name.", "five major industries")
    assert list(en_numbers("In 2024 it will grow its five major industries.", {2024}, (name,))) == []
    assert list(zh_numbers("2024年柞水县将发展“五大产业”。", 2024, (name,))) == []
    assert [m.group() for m in zh_numbers("2024年柞水县将发展五大产业。", 2024, (name,))] == ["五"]


@pytest.mark.parametrize(
    ("before", "qualifier"),
    [
        ("more than ", Qualifier.MORE_THAN),
        ("over ", Qualifier.MORE_THAN),
        ("exceeded ", Qualifier.MORE_THAN),
        ("at least ", Qualifier.AT_LEAST),
        ("about ", Qualifier.APPROXIMATELY),
        ("nearly RMB ", Qualifier.APPROXIMATELY),
        ("", Qualifier.EXACT),
    ],
)
def test_english_words_before_a_number_are_its_qualifier(before: str, qualifier: Qualifier) -> None:
    claim = f"It raised {before}30 million yuan."
    assert en_qualifier(claim, claim.index("30")) is qualifier


def test_a_chinese_qualifier_in_the_claim_agrees_with_the_figure(tmp_path: Path) -> None:
    assert base_problems(tmp_path, "2023年品牌价值突破30亿元。", "2023年品牌价值超30亿元。") == []
    assert base_problems(tmp_path, "2023年品牌价值突破30亿元。", "2023年品牌价值约30亿元。") == [
        "«约30亿元» reads approximately, but figures[0] is more_than; word it as the quote does"
    ]


def test_every_claim_number_of_the_fact_base_is_checked() -> None:
    """How many numbers the claims of facts.yaml state beyond their year and names: each is a
    figure (or, in English, an ordinal), or verify would not hold."""
    loaded = load(FACTS)
    assert loaded.problems == []
    names = loaded.file.sources[0].names
    chinese = sum(len(list(zh_numbers(fact.claim, fact.year, names))) for fact in loaded.file.facts)
    english = [number for fact in loaded.file.facts for number in en_numbers(fact.claim_en, {fact.year}, names)]
    assert (chinese, len(english), sum(number.ordinal for number in english)) == (50, 67, 19)


def test_a_control_sequence_states_no_number() -> None:
    """A terminal shows no number in an escape sequence, so a claim states none there."""
    claim = "In 2023 it grew\x1b]52;c;Y3Vyb\x07\x1b[2J\x9b31m by 14%."
    assert [number.written for number in en_numbers(claim, {2023}, ())] == ["14"]
    assert [m.group() for m in zh_numbers("2023年\x1b[2J增长14%。", 2023, ())] == ["14"]


@pytest.mark.parametrize(
    ("patterns", "claim", "numbers"),
    [
        (["二十大", "(?i:5a)级"], "2023年学习二十大，建成3号线和5A级景区12个。", ["3", "12"]),  # looked for together
        # a group another pattern refers to by number, and a flag of the whole pattern: one by one
        ([r"(\d)号楼", r"(\d)\1号线"], "2023年建成33号线。", []),
        (["二十大", "(?i)5a级"], "2023年建成5A级景区12个。", ["12"]),
    ],
)
def test_a_number_inside_a_name_is_none_whatever_the_names_patterns(
    patterns: list[str], claim: str, numbers: list[str]
) -> None:
    names = [Name(pattern, "a name") for pattern in patterns]
    assert [m.group() for m in zh_numbers(claim, 2023, names)] == numbers


def test_two_figures_of_one_value_are_two_numbers_of_the_claim_and_the_quote(tmp_path: Path) -> None:
    """7家 certified and 7家 new: each figure is found where the one before it is not, in the
    claim and in the quote, so neither 7 is a number without a figure, and the second figure's
    qualifier is read from its own wording (超过)."""
    base = (REPO / "tests" / "broken" / "base.yaml").read_text(encoding="utf-8")
    fact = """  - id: 2023-enterprises
    source: sample
    section: 2023-highlight-1
    category: economy
    year: 2023
    kind: outcome
    claim: 2023年测试县认定企业7家，新增企业超过7家。
    claim_en: In 2023 the county certified 7 enterprises and added more than 7 others.
    quote: 认定企业7家，新增企业超过7家
    figures:
      - {value: 7, unit: 家, qualifier: exact, label: 认定企业, label_en: certified enterprises}
      - {value: 7, unit: 家, qualifier: more_than, label: 新增企业, label_en: new enterprises}
    tags: [企业, enterprises]
"""
    sample = (REPO / "tests" / "broken" / "sample.txt").read_text(encoding="utf-8")
    (tmp_path / "sample.txt").write_text(
        sample.replace("。\n亮点二", "，认定企业7家，新增企业超过7家。\n亮点二"), encoding="utf-8"
    )
    (tmp_path / "facts.yaml").write_text(base + fact, encoding="utf-8")
    assert load(tmp_path / "facts.yaml").problems == []
