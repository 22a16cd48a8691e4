"""The editorial rules of a claim's wording: it opens with its year, in natural English too,
and it is one sentence in both languages (tests/broken/year-stated.yaml and sentence*.yaml
hold the problems at their lines; these hold what the rules let through and what they stop)."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhashui_cli.factfile.sentence import sentence_problem

from .conftest import base_problems

LOANS_EN = "In 2023 the county arranged 924 million yuan of loans."


@pytest.mark.parametrize(
    "opening",
    [
        "In 2023",
        "By the end of 2023",
        "In the first half of 2023",
        "In the second half of 2023",
        "During 2023",
        "Over 2023",
    ],
)
def test_an_english_claim_may_open_with_any_phrase_of_its_year(tmp_path: Path, opening: str) -> None:
    claim_en = LOANS_EN.replace("In 2023", opening)
    assert base_problems(tmp_path, LOANS_EN, claim_en) == []


@pytest.mark.parametrize("opening", ["In the first", "Since 2023", "In 2024", "Over the 2023"])
def test_an_english_claim_that_opens_otherwise_is_a_problem(tmp_path: Path, opening: str) -> None:
    claim_en = LOANS_EN.replace("In 2023", opening)
    [message] = base_problems(tmp_path, LOANS_EN, claim_en)
    assert message.endswith("not its year; open it with 'In 2023' (a total: 'By the end of 2023')")


@pytest.mark.parametrize(
    "claim",
    [
        "2023年测试县协调金融贷款9.24亿元。",
        "2023年《数字赋能。木耳产业》入选案例。",
        "2023年“柞水木耳！”品牌价值突破30亿元。",
        "2023年测试县（含县城。）新改建户厕。",
    ],
)
def test_a_chinese_claim_of_one_sentence(claim: str) -> None:
    assert sentence_problem(claim, "zh") is None


@pytest.mark.parametrize(
    "claim_en",
    [
        "In 2023 the key projects completed 101.5% of their planned investment.",
        "In 2023 Panlong Pharmaceutical Co. Ltd. was named a model, e.g. for exports.",
        'In 2023 "Red Guzigou. An opera" was selected at the 10th festival.',
        "In 2023 the county (i.e. its towns. All of them) grew.",
    ],
)
def test_an_english_claim_of_one_sentence(claim_en: str) -> None:
    assert sentence_problem(claim_en, "en") is None


@pytest.mark.parametrize(
    ("claim", "language", "shown"),
    [
        ("2023年接待游客320万人次。全年目标为六百万人次。", "zh", "…游客320万人次。"),
        ("2023年接待游客320万人次！群众满意。", "zh", "…游客320万人次！"),
        ("In 2023 it received 3.2 million visits. The target was higher.", "en", "…3.2 million visits."),
        ("In 2023 it grew? It did.", "en", "…2023 it grew?"),
    ],
)
def test_a_claim_of_two_sentences_is_a_problem(claim: str, language: str, shown: str) -> None:
    assert str(sentence_problem(claim, language)) == (
        f"is more than one sentence (one ends at «{shown}»); make it one sentence, or split the fact"
    )
