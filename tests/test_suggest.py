"""The one did-you-mean rule (suggest.py), as every unknown name meets it."""

from __future__ import annotations

import pytest

from zhashui_cli.suggest import close_to

IDS = ["2023-loans-coordinated", "2023-toilets", "2024-toilet-plan", "2023-labour-brand"]


@pytest.mark.parametrize(
    ("typed", "known", "expected"),
    [
        ("2023-toi", IDS, ["2023-toilets"]),  # beginning with it: nearer than anything else
        ("toilet", IDS, ["2023-toilets", "2024-toilet-plan"]),  # containing it
        ("2023-TOILETS", IDS, ["2023-toilets"]),  # folded
        ("2023-tolets", IDS, ["2023-toilets", "2024-toilet-plan"]),  # looking like it, the likest first
        ("lo", IDS, []),  # two characters contain too much to mean anything
        ("--bogus", ["--bom", "--json"], []),  # the dashes are no likeness
        ("--sectoin", ["--section", "--source"], ["--section"]),
        ("econ", ["economy", "reform"], ["economy"]),
        ("zzzz", IDS, []),
    ],
)
def test_the_nearest_kind_of_match_and_only_it(typed: str, known: list[str], expected: list[str]) -> None:
    assert close_to(typed, known) == expected


def test_at_most_limit_and_a_fold_of_the_callers() -> None:
    assert close_to("2023", IDS, limit=2) == IDS[:2]
    assert close_to("貸款", ["贷款", "旅游"], fold=lambda text: text.replace("貸", "贷")) == ["贷款"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("经济", ["经济发展"]),  # the start of a Chinese name
        ("经", ["经济发展"]),  # one Chinese character says as much as two letters
        ("城乡", ["生态与城乡建设"]),  # two of them, inside a name
        ("乡", []),  # one inside a name is too little to mean anything
        ("e", []),  # as one letter is
    ],
)
def test_a_chinese_character_counts_as_two_letters(typed: str, expected: list[str]) -> None:
    assert close_to(typed, ["economy", "经济发展", "生态与城乡建设"]) == expected


def test_several_spellings_of_one_thing_offer_it_once() -> None:
    spellings = {"rural": "rural", "Rural revitalisation": "rural", "乡村振兴": "乡村振兴", "reform": "reform"}
    assert close_to("rur", spellings) == ["rural"]
    assert close_to("乡村", spellings) == ["乡村振兴"]


def test_nothing_known_is_nothing_close() -> None:
    assert close_to("--bogus", []) == []  # difflib refuses to look among none


def test_every_refusal_words_the_names_alike() -> None:
    from zhashui_cli.suggest import did_you_mean

    assert str(did_you_mean("jsn", ["json", "jsonl", "csv"])) == " (did you mean json, jsonl?)"  # a Message
    assert did_you_mean("zzz", ["json"]) == ""
