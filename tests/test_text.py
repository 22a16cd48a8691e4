from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhashui_cli.factfile import folding
from zhashui_cli.factfile.folding import fold, needs_t2s, normalise
from zhashui_cli.index import text
from zhashui_cli.index.text import query_terms

from .conftest import REPO, load_script

T2S = opencc.OpenCC("t2s")


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("ＬＯＡＮＳ", "loans"),  # full-width letters
        ("１２３", "123"),  # full-width digits
        ("Loans", "loans"),
        ("專項債", "专项债"),  # traditional → simplified
        ("柞水木耳", "柞水木耳"),
        ("\u200f木耳\u200e", "木耳"),  # right-to-left and left-to-right marks
        ("a\tb\n\x00c", "a b c"),  # controls and runs of white space → one space
        ("  spaced   out  ", "spaced out"),
        ("\ud800x", "\ufffdx"),  # a lone surrogate, as from a mis-decoded argument
    ],
)
def test_fold(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_traditional_and_simplified_fold_alike() -> None:
    assert fold("專項債") == fold("专项债")
    assert fold("乾佑") == fold("干佑")  # OpenCC's own reading; both sides of a search agree


def test_query_terms_drop_what_folds_to_nothing() -> None:
    assert query_terms(["木耳", "  ", "\u200b", "LOANS"]) == ("木耳", "loans")


def test_the_common_query_does_not_need_opencc() -> None:
    assert not needs_t2s("柞水木耳")
    assert needs_t2s("專項債")
    assert needs_t2s("耳沈")  # a phrase key: neither character alone triggers


# Characters around the triggers: t2s keys and their neighbours in the CJK block.
_CHARS, _PHRASES = folding.t2s_triggers()
_ALPHABET = sorted(_CHARS)[:400] + [chr(c) for c in range(0x4E00, 0x4E00 + 400)] + list("".join(_PHRASES))


@given(st.text(alphabet=_ALPHABET, max_size=12))
def test_needs_t2s_is_exact(sample: str) -> None:
    """Skipping OpenCC is only safe if OpenCC would not have changed the text."""
    if not needs_t2s(sample):
        assert T2S.convert(sample) == sample


@pytest.mark.process  # scripts/gen_t2s_triggers.py runs opencc in a process of its own
def test_trigger_list_matches_the_installed_opencc() -> None:
    generator = load_script("gen_t2s_triggers")
    committed = (REPO / "src" / "zhashui_cli" / "factfile" / "t2s_triggers.txt").read_text(encoding="utf-8")
    assert generator.render() == committed


def test_every_changing_character_is_a_trigger() -> None:
    """Independent of the generator: convert every BMP ideograph one by one."""
    ideographs = [chr(c) for c in range(0x3400, 0xA000) if unicodedata.category(chr(c)) == "Lo"]
    converted = T2S.convert("\n".join(ideographs)).split("\n")
    changing = {a for a, b in zip(ideographs, converted, strict=True) if a != b}
    assert changing <= _CHARS


def test_format_characters_are_all_dropped() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) == "Cf":
            assert normalise(f"a{char}b") == "ab", hex(code)
    assert normalise("a\u00adb") == "ab"


def test_the_folding_does_not_load_opencc_for_plain_queries(tmp_path: Path) -> None:
    import subprocess

    code = (
        "import sys; from zhashui_cli.factfile.folding import fold; "
        "fold('柞水木耳 LOANS'); print('opencc' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("word", "tokens"),
    [
        ("“柞水木耳”品牌价值", ["柞水木耳品牌价值"]),  # quotation marks ignored
        ("101.5%", ["101.5%"]),  # a decimal point and a per cent sign belong to the number
        ("9.24亿", ["9.24亿"]),  # a number stays with the Chinese unit after it
        ("zhashui贷款", ["zhashui", "贷款"]),  # Latin letters and Chinese are cut apart
        ("5A级景区", ["5a", "级景区"]),
        ("mù", ["mu"]),  # tone marks
        ("mu4er3", ["muer"]),  # tone numbers
        ("lǚyóu", ["lvyou"]),  # ü as v
        ("wood-ear", ["wood", "ear"]),
        ("Zhashui's", ["zhashui"]),
        ("7,168", ["7168"]),
    ],
)
def test_query_tokens(word: str, tokens: list[str]) -> None:
    assert text.query_tokens(word) == tokens


def test_punctuation_goes_beside_chinese_and_becomes_a_space_elsewhere() -> None:
    assert text.without_punctuation("“柞水木耳”品牌价值，wood-ear 7,168.") == "柞水木耳品牌价值wood ear 7168"


def test_latin_words_of_a_text() -> None:
    assert text.latin_words(fold("In 2023 Zhashui's 9.24亿元 EOD项目 5A级")) == [
        "in",
        "2023",
        "zhashui",
        "9.24",
        "eod",
        "5a",
    ]
