"""Claims held to their figures: every number a claim states is a figure of its fact, read in
the claim's own notation, and every figure is stated in both claims.

A quote proves a figure and a figure proves nothing to a reader who reads only the claim, so
the claims are where a wrong number would do harm. Chinese claims write a figure as the
quote does (9.24亿元, 突破30亿元); English claims write it as English does (924 million yuan,
RMB 924m, 7,168, 101.5 percent, eight), with the qualifier in words (more than, at least,
about). A number that is no quantity is a declared name (its `pattern` over the Chinese text,
its `en` over the English), a year of the source's sections, or an ordinal (第十届, the 20th, the first), which
ranks rather than counts. "one of" is membership, not a count, and is not read as a number.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from .model import Figure, Name
from .units import figure_pattern, written_number
from .vocabulary import Qualifier

ZH_NUMBER = re.compile(r"\d+(?:\.\d+)?|[零一二两三四五六七八九十]+")  # also what coverage reads in a source
_ZH_ORDINAL = "第"
# Terminal control sequences (OSC, CSI in its 7- and 8-bit forms, other escapes): a reader is
# shown no number in them, so a claim states none there.
_CONTROL = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|(?:\x1b\[|\x9b)[0-9;?]*[ -/]*[@-~]|\x1b.")

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
).split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORDS = {word: n for n, word in enumerate(_ONES)} | _TENS
_SCALES = {"hundred": 10**2, "thousand": 10**3, "million": 10**6, "billion": 10**9, "m": 10**6, "bn": 10**9}
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "twentieth": 20,
}  # fmt: skip
_WORD = "|".join(sorted(_WORDS, key=len, reverse=True))
_EN_NUMBER = re.compile(
    rf"(?<![\w.,])(?:(?P<digits>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<ordinal>st|nd|rd|th)?"
    rf"|(?P<word>(?:{'|'.join(_TENS)})-(?:{'|'.join(_ONES[1:10])})|{_WORD})\b"
    rf"|(?P<nth>{'|'.join(_ORDINAL_WORDS)})\b)"
    rf"(?:\s?(?P<scale>hundred|thousand|million|billion)\b|(?P<short>m|bn)\b)?",
    re.IGNORECASE,
)
# Words before a number that say how it bounds the real value, as QUALIFIER_WORDS do in Chinese.
EN_QUALIFIER_WORDS: dict[Qualifier, tuple[str, ...]] = {
    Qualifier.MORE_THAN: ("more than", "over", "exceeded", "exceeding", "exceeds", "surpassed", "above"),
    Qualifier.AT_LEAST: ("at least", "no fewer than", "no less than", "not less than"),
    Qualifier.APPROXIMATELY: ("about", "around", "approximately", "nearly", "almost", "roughly", "close to"),
}


class Number(NamedTuple):
    """A number a claim states: where, as written, its value, and whether it only ranks."""

    start: int
    written: str
    value: Decimal
    ordinal: bool


def zh_numbers(claim: str, year: int, names: Sequence[Name]) -> Iterator[re.Match[str]]:
    """The numbers of a Chinese claim that are to be figures: not the year, a name or an ordinal."""
    covered = _covered(claim, [name.pattern for name in names]) | _covered(claim, [rf"{year}年"])
    for match in ZH_NUMBER.finditer(_visible(claim)):
        if match.start() not in covered and not claim[: match.start()].endswith(_ZH_ORDINAL):
            yield match


def en_numbers(
    claim: str, years: Collection[int], names: Sequence[Name], figures: Sequence[Figure] = ()
) -> Iterator[Number]:
    """The numbers of an English claim, with their values: not a year of its source (its own,
    or the one a wrong opening names, which the year rule reports), a name, 'one of', or a
    word of the English name of a figure's unit ("ten thousand bags" names 万袋)."""
    unit_names = [rf"\b{re.escape(en)}\b" for en in {figure.scale.en for figure in figures} if en]
    covered = _covered(claim, [name.en for name in names if name.en] + unit_names)
    for match in _EN_NUMBER.finditer(_visible(claim)):
        membership = match.group().lower() == "one" and claim[match.end() :].startswith(" of ")
        if match.start() in covered or membership or match.group("digits") in {str(year) for year in years}:
            continue
        yield Number(match.start(), match.group(), _en_value(match, Decimal), _is_ordinal(match))


def _visible(claim: str) -> str:
    """The claim with its control sequences blanked, every other character where it was."""
    return _CONTROL.sub(lambda m: " " * len(m.group()), claim)


def _is_ordinal(match: re.Match[str]) -> bool:
    return bool(match.group("ordinal") or match.group("nth"))


def _en_value(match: re.Match[str], decimal: type[Decimal]) -> Decimal:
    if digits := match.group("digits"):
        value = decimal(digits.replace(",", ""))
    elif nth := match.group("nth"):
        value = decimal(_ORDINAL_WORDS[nth.lower()])
    else:
        tens, _, ones = match.group("word").lower().partition("-")
        value = decimal(_WORDS[tens] + (_WORDS[ones] if ones else 0))
    scale = match.group("scale") or match.group("short")
    return value * _SCALES[scale.lower()] if scale else value


def _covered(text: str, patterns: Sequence[str]) -> set[int]:
    """Where in text the patterns match (each of them, where their matches overlap too)."""
    either, each = _matchers(tuple(patterns))
    if either is not None and not either.search(text):
        return set()
    return {i for pattern in each for m in pattern.finditer(text) for i in range(m.start(), m.end())}


@lru_cache(maxsize=256)
def _matchers(patterns: tuple[str, ...]) -> tuple[re.Pattern[str] | None, tuple[re.Pattern[str], ...]]:
    """The patterns compiled once (a fact file's names are looked for in each of its claims),
    and one pattern that matches where any of them does, which _covered() tries first: most
    claims hold no name, and one search says so where one per name did. None for one pattern
    (it would be searched twice), and where a pattern has a group, which another could refer
    to by number, or a flag, which stands only at the start of a pattern."""
    each = tuple(re.compile(pattern) for pattern in patterns)
    combinable = len(each) > 1 and all(not pattern.groups and pattern.flags == re.UNICODE for pattern in each)
    either = re.compile("|".join(f"(?:{pattern})" for pattern in patterns)) if combinable else None
    return either, each


def en_qualifier(claim: str, start: int) -> Qualifier:
    """The qualifier the words just before a number imply in English."""
    before = claim[:start].rstrip().lower()
    before = before.removesuffix("rmb").rstrip()
    for qualifier, words in EN_QUALIFIER_WORDS.items():
        if any(re.search(rf"\b{word}$", before) for word in words):
            return qualifier
    return Qualifier.EXACT


def en_states(claim: str, number: Number, figure: Figure) -> bool:
    """Whether a number of an English claim states a figure: by its value in its base unit
    (924 million for 9.24亿元), or by its value before the English name of its unit, where the
    unit has one (a declared unit: "2,000 ten thousand bags" for 2000万袋)."""
    if number.value == figure.base_value:
        return True
    en = figure.scale.en
    after = claim[number.start + len(number.written) :]
    return en is not None and number.value == figure.value and _names_unit(after, en)


def _names_unit(after: str, en: str) -> bool:
    return re.match(rf"\s*{re.escape(en)}\b", after, re.IGNORECASE) is not None


def shown(figure: Figure) -> str:
    """The figure as a problem names it: 9.24亿元 = 924,000,000, the value English states."""
    written = f"{written_number(figure.value)}{figure.unit}"
    base = figure.base_value
    return written if base == figure.value else f"{written} = {written_number(base, grouped=True)}"


def figure_match(text: str, figure: Figure, taken: Collection[int] = ()) -> re.Match[str] | None:
    """Where a Chinese text (a claim, a quote) states a figure, as the quote writes it: the
    first place not taken by another figure, so that two figures of one value (7家, and 7家
    more) are two numbers of the text, not one."""
    pattern = figure_pattern(figure.value, figure.unit)
    return next((match for match in pattern.finditer(text) if match.start() not in taken), None)
