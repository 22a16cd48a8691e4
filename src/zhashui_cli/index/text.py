"""Folding: the one normal form that queries and fact texts are compared in.

Both sides go through the same steps, so a query matches whatever it would match if the
fact base had been written the way the user typed: Unicode NFKC (full-width letters and
digits, compatibility ideographs), case folding, invisible format characters dropped,
control characters and runs of white space made one space, and traditional Chinese
converted to simplified with OpenCC, so that 專項債 finds 专项债.

OpenCC costs tens of milliseconds to import and set up, more than the rest of a search. A
query only needs it when it holds a key of OpenCC's t2s dictionaries that converts to
something else; t2s_triggers.txt lists those keys (scripts/gen_t2s_triggers.py derives it
from OpenCC's own dictionaries, and a test checks it), so most queries never load OpenCC.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import opencc

# Patterns are kept as text: re compiles each when it is first used (and caches it), so that a
# run pays only for the ones it needs.
# Unicode's format characters (category Cf): bidi marks, zero-width joiners and spaces, the
# byte order mark, soft hyphens, tags. A test checks this class against the Unicode database.
_FORMAT = (
    "["
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "]+"
)
_SPACE = r"[\s\x00-\x1f\x7f-\x9f]+"
_SURROGATE = "[\ud800-\udfff]"


def normalise(text: str) -> str:
    """Every folding step but the Chinese conversion."""
    text = unicodedata.normalize("NFKC", re.sub(_SURROGATE, "\ufffd", text)).casefold()
    return re.sub(_SPACE, " ", re.sub(_FORMAT, "", text)).strip()


@cache
def _converter() -> opencc.OpenCC:
    import opencc

    return opencc.OpenCC("t2s")


@cache
def t2s_triggers() -> tuple[frozenset[str], tuple[str, ...]]:
    """The t2s keys that change a text: single characters, and phrases."""
    listing = (Path(__file__).parent / "t2s_triggers.txt").read_text(encoding="utf-8")
    chars, *phrases = (line for line in listing.splitlines() if line and not line.startswith("#"))
    return frozenset(chars), tuple(phrases)


def needs_t2s(text: str) -> bool:
    """Whether OpenCC's t2s would change this text (exactly; see the module docstring)."""
    if text.isascii():
        return False
    chars, phrases = t2s_triggers()
    return any(char in chars for char in text) or any(phrase in text for phrase in phrases)


def fold(text: str) -> str:
    folded = normalise(text)
    return str(_converter().convert(folded)) if needs_t2s(folded) else folded


def fold_many(texts: Sequence[str]) -> list[str]:
    """fold() for many texts at once: one OpenCC call instead of one per text."""
    normalised = [normalise(text) for text in texts]
    joined = "\n".join(normalised)  # normalise() leaves no newline inside a text
    if joined.isascii():
        return normalised
    return str(_converter().convert(joined)).split("\n")


# -- words ------------------------------------------------------------------------------------
# Punctuation of any script, straight or curly quotes included (Unicode categories P* and S*
# that are not letters, digits or CJK): ignored when matching, but a decimal point between
# digits and a per cent sign after one stay, since 101.5% is a number.
_PUNCTUATION = r"(?!(?<=\d)\.(?=\d)|(?<=\d)%)[^\w\s]|_"
# Chinese characters and the punctuation around them: CJK blocks of the basic plane and the
# ideographs beyond it. (A regular expression of these ranges takes milliseconds to compile.)
_CJK_RANGES = (("\u2e80", "\u9fff"), ("\uf900", "\ufaff"), ("\U00020000", "\U0003134f"))
# A query chunk: Latin letters (with digits, as in 5a or mu4er3), or anything else.
_CHUNK = r"[a-z0-9.]*[a-z][a-z0-9.]*|[^a-z\s]+"
_LATIN_WORD = r"[a-z0-9]+(?:\.[0-9]+)?"
_TONE_MARKS = "[\u0300-\u036f]"
_POSSESSIVE = r"(?<=[a-z])['’]s\b"


def without_punctuation(folded: str) -> str:
    """Folded text with its punctuation removed: beside Chinese characters it simply goes
    (“柞水木耳”品牌 → 柞水木耳品牌), as does a thousands separator (7,168), elsewhere it
    becomes a space (wood-ear → wood ear)."""

    def replace(match: re.Match[str]) -> str:
        before, after = folded[match.start() - 1 : match.start()], folded[match.end() : match.end() + 1]
        if match.group() == "," and before.isdigit() and after.isdigit():
            return ""  # a thousands separator: 7,168 is 7168
        return "" if is_cjk(before) or is_cjk(after) else " "

    return re.sub(_SPACE, " ", re.sub(_PUNCTUATION, replace, folded)).strip()


def latin_words(folded: str) -> list[str]:
    """The Latin words and numbers of folded text: the units English and pinyin match by."""
    return re.findall(_LATIN_WORD, re.sub(_POSSESSIVE, "", folded))


def is_cjk(char: str) -> bool:
    return any(low <= char <= high for low, high in _CJK_RANGES) if len(char) == 1 else False


def has_cjk(text: str) -> bool:
    return any(is_cjk(char) for char in text if char > "\u2e7f")


def toneless(word: str) -> str:
    """A Latin word without tone marks or tone numbers, ü written v: lǜ, lü, lu:4 → lv."""
    decomposed = unicodedata.normalize("NFD", word.replace("u:", "v")).replace("u\u0308", "v")
    stripped = re.sub(_TONE_MARKS, "", decomposed)
    return re.sub(r"(?<=[a-z])[1-5]", "", stripped) if re.search(r"[a-z]", stripped) else stripped


def query_tokens(word: str) -> list[str]:
    """A query word as the tokens search matches: folded, tones and punctuation dropped, and
    cut where Latin letters meet Chinese (zhashui贷款 → zhashui, 贷款; 9.24亿 stays whole)."""
    cleaned = without_punctuation(re.sub(_POSSESSIVE, "", toneless(fold(word))))
    return re.findall(_CHUNK, cleaned)


def query_terms(words: Sequence[str]) -> tuple[str, ...]:
    """The folded terms of an exact query: one per word, empty ones dropped."""
    return tuple(term for term in (fold(word) for word in words) if term)
