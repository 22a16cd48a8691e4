"""Folding: the one normal form that fact texts, tags and queries are compared in.

Every side goes through the same steps, so a query matches whatever it would match if the
fact base had been written the way the user typed, and two tags of one fact that fold alike
are one tag written twice: Unicode NFKC (full-width letters and digits, compatibility
ideographs), case folding, invisible format characters dropped, control characters and
runs of white space made one space, and traditional Chinese converted to simplified with
OpenCC, so that 專項債 finds 专项债. It lives with the fact file, the lowest layer that
needs it: the fact file's rules fold tags, and the index (index/text.py) builds on it.

OpenCC costs tens of milliseconds to import and set up, more than the rest of a search. A
text only needs it when it holds a key of OpenCC's t2s dictionaries that converts to
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
SPACE = r"[\s\x00-\x1f\x7f-\x9f]+"  # white space and control characters: one space
_SURROGATE = "[\ud800-\udfff]"


def normalise(text: str) -> str:
    """Every folding step but the Chinese conversion."""
    text = unicodedata.normalize("NFKC", re.sub(_SURROGATE, "\ufffd", text)).casefold()
    return re.sub(SPACE, " ", re.sub(_FORMAT, "", text)).strip()


@cache
def _converter() -> opencc.OpenCC:
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _regional_converter(config: str) -> opencc.OpenCC:
    import opencc

    return opencc.OpenCC(config)


def regional(text: str) -> list[str]:
    """The text folded with the vocabulary of Taiwan and of Hong Kong made the mainland's
    (軟體 → 软件, 網路 → 网络; OpenCC's tw2sp and hk2sp phrase conversions), each form once:
    what a reader there means by words the plain conversion keeps (软体)."""
    normalised = normalise(text)
    return list(dict.fromkeys(str(_regional_converter(config).convert(normalised)) for config in ("tw2sp", "hk2sp")))


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
    """The text in the normal form everything is compared in (see the module docstring)."""
    folded = normalise(text)
    return str(_converter().convert(folded)) if needs_t2s(folded) else folded


# Joins many texts into one for normalise(): a private-use character, which NFKC, case folding
# and the white space and format classes all leave alone, and across which nothing composes.
_BETWEEN = "\ue000"


def _normalise_many(texts: Sequence[str]) -> list[str]:
    """normalise() of each text, in one pass over them all (the index build folds every field)."""
    joined = _BETWEEN.join(texts)
    if not texts or joined.count(_BETWEEN) != len(texts) - 1:  # a text holds the joiner itself
        return [normalise(text) for text in texts]
    return [part.strip() for part in normalise(joined).split(_BETWEEN)]


def fold_many(texts: Sequence[str]) -> list[str]:
    """fold() for many texts at once: one OpenCC call instead of one per text."""
    normalised = _normalise_many(texts)
    joined = "\n".join(normalised)  # normalise() leaves no newline inside a text
    if joined.isascii():
        return normalised
    return str(_converter().convert(joined)).split("\n")
