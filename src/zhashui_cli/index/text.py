"""Words and tokens: the text rules the index is built with and queries follow.

Both sides are folded first (factfile/folding.py: width, case, invisible characters,
traditional Chinese); here folded text loses its punctuation, is cut into the Latin words and
numbers English and pinyin match by, and a query word becomes the tokens search matches.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import pairwise

from zhashui_cli.factfile.folding import SPACE, fold

# Words that ask rather than say (a common English stop list). A search counts them only when
# they match (a fact need not hold them), and a thesaurus word never means one (restroom is not
# can, though WordNet names a toilet so).
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing done down during each few for from further had has have
    having he her here hers him his how i if in into is it its itself just many me more most much my no nor not now of
    off on once only or other our ours out over own same she should so some such than that the their theirs
    them then there these they this those through to too under until up very was we were what when where
    which while who whom whose why will with would you your""".split()
)

# -- words ------------------------------------------------------------------------------------
# Punctuation of any script, straight or curly quotes included (Unicode categories P* and S*
# that are not letters, digits or CJK): ignored when matching, but a decimal point between
# digits and a per cent sign after one stay, since 101.5% is a number.
_PUNCTUATION = r"(?!(?<=\d)\.(?=\d)|(?<=\d)%)[^\w\s]|_"
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

    return re.sub(SPACE, " ", re.sub(_PUNCTUATION, replace, folded)).strip()


def latin_words(folded: str) -> list[str]:
    """The Latin words and numbers of folded text: the units English and pinyin match by."""
    return re.findall(_LATIN_WORD, re.sub(_POSSESSIVE, "", folded))


def is_cjk(char: str) -> bool:
    """Whether one character is Chinese or the punctuation around it: the CJK blocks of the
    basic plane and the ideographs beyond it. Compared inline, as the index build asks millions
    of times (a regular expression of these ranges takes 15 ms to compile, too long for a warm
    search)."""
    return len(char) == 1 and (
        "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\U00020000" <= char <= "\U0003134f"
    )


def has_cjk(text: str) -> bool:
    return any(is_cjk(char) for char in text if char > "\u2e7f")


def cjk_keys(text: str) -> set[int]:
    """What the index keeps the facts of for a text (array.pairs.*): its pairs of adjacent
    Chinese characters (cjk_pairs) and each of its Chinese characters alone, as its code point,
    below every pair's number (县, which no pair finds alone)."""
    return {ord(char) for char in text if is_cjk(char)} | cjk_pairs(text)


def cjk_pairs(text: str) -> set[int]:
    """The pairs of adjacent Chinese characters of a text (is_cjk), each as one number: what
    the index keeps postings of, so that the facts that may hold a Chinese word are those
    holding every pair of it, found without reading the text (索引 → 索引; 专项债 → 专项, 项债)."""
    return {ord(first) << 21 | ord(second) for first, second in pairwise(text) if is_cjk(first) and is_cjk(second)}


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
