"""Every record zhashui outputs, defined once: a TypedDict per record, in JSON key order.

These types are the output contract. The library returns them, the renderers print them,
the index stores fact records as JSON lines and schema/output/ describes them for other
tools; tests check the schemas against the fields here. A TypedDict is a plain dict at run
time, so records cost nothing to make or to pass through, and their key order is the order
in which they are built and written.

The builders turn the model's types into records; json_line() and json_text() are the one
way a record becomes JSON.
"""

import json
import re
from collections.abc import Mapping
from typing import Any, Literal, TypedDict

from ._i18n import N_, Message, Translate, Worded, worded

# The kinds of claim and the qualifiers of a figure, as records spell them (the values of
# factfile/model.py's Kind and Qualifier, which tests/test_library.py holds them to).
KindName = Literal["outcome", "honour", "measure", "plan", "target"]
QualifierName = Literal["exact", "more_than", "at_least", "approximately"]


class FigureRecord(TypedDict):
    value: float  # the number as written, beside its unit as written: 9.24 亿元
    unit: str  # a built-in unit (亿元, 人次, %) or one the fact file declares under units
    qualifier: QualifierName
    label: str
    label_en: str
    base_value: float  # exact in base_unit: 924000000 元
    base_unit: str


class FactRecord(TypedDict):
    id: str
    source: str
    section: str
    category: str
    year: int
    kind: KindName
    claim: str
    claim_en: str
    quote: str
    note: str | None
    tags: list[str]
    figures: list[FigureRecord]


# How a query word was found: "as" is a keyword in Python, hence the functional form.
TermMatch = TypedDict("TermMatch", {"as": str, "how": str})


class MatchRecord(TypedDict):
    terms: dict[str, TermMatch]  # query word → the word of the fact it matched, and how
    fields: list[str]  # the fields of the fact where the query words were found


class SearchRecord(FactRecord):
    match: MatchRecord


class ShowRecord(FactRecord):
    paragraph: str  # the paragraph of the source that holds the quote


class FigureRow(TypedDict):
    """One figure with its fact: the flat view of `zhashui figures`, and the largest amounts."""

    fact_id: str
    n: int  # the figure's position among its fact's figures, from 0
    year: int
    category: str
    claim: str
    claim_en: str
    value: float
    unit: str  # a built-in unit (亿元, 人次, %) or one the fact file declares under units
    qualifier: QualifierName
    label: str
    label_en: str
    base_value: float
    base_unit: str


class CategoryRecord(TypedDict):
    id: str
    name: str
    name_en: str
    description: str | None


class YearCount(TypedDict):
    year: int
    facts: int


class CategoryRow(CategoryRecord):
    facts: int
    years: list[YearCount]


class CategoryCount(TypedDict):
    key: str
    name: str
    name_en: str
    facts: int
    years: list[YearCount]


class KeyCount(TypedDict):
    key: str | int
    facts: int


class Stats(TypedDict):
    facts: int
    figures: int
    by_category: list[CategoryCount]
    by_year: list[KeyCount]
    by_kind: list[KeyCount]
    largest_amounts: list[FigureRow]


class StatsRow(TypedDict):
    """A count of Stats as a flat row, for JSON Lines and CSV."""

    dimension: str  # category, year, kind
    key: str | int
    name: str | None
    name_en: str | None
    facts: int


class TagRow(TypedDict):
    tag: str
    facts: int


class SectionRecord(TypedDict):
    id: str
    title: str
    title_en: str
    year: int | None  # the year the section is about, when it is about one
    start: str  # the text the section starts with in its source


class NameRecord(TypedDict):
    pattern: str  # a regular expression over the source text (and the Chinese claims)
    reason: str
    en: str | None  # a regular expression over the English claims


class SourceRecord(TypedDict):
    id: str
    title: str
    title_en: str
    published: str
    publisher: str | None
    url: str | None
    accessed: str | None
    language: str
    text: str  # the restored text, relative to the fact file
    sections: list[SectionRecord]
    names: list[NameRecord]


class UnitRecord(TypedDict):
    """A unit a fact file declares (its `units:` list), beside the built-in ones."""

    unit: str  # as figures write it: 万袋
    base_unit: str  # the base unit it counts in: 袋
    factor: float  # how many base units one of it is: 10000
    en: str  # its English name, as English claims write it: ten thousand bags


class Problem(TypedDict):
    """One thing wrong with a fact file, as precisely located as the file allows."""

    file: str
    line: int | None  # 1-based
    column: int | None
    fact: str | None  # the fact's id, when the problem is in a fact that has one
    field: str  # "quote", "figures[0].unit", "sources[0].text"; "" for the file itself
    rule: str  # which rule of the format it breaks (docs: README, "Checking a fact file")
    severity: Literal["error", "warning"]  # a warning is editorial: the file can still be searched
    message: str  # what is wrong and how to fix it, in English in every language (verify's lines follow the locale)


class VerifyReport(TypedDict):
    ok: bool
    facts: int
    figures: int
    sources: int
    warnings: int  # how many of the problems are warnings
    problems: list[Problem]


class Uncovered(TypedDict):
    """A number in a source that no fact covers: the curator's to-do list."""

    source: str
    file: str
    line: int
    column: int
    number: str
    context: str


class CachedIndexRecord(TypedDict):
    """An index in the cache, newest first in `zhashui cache info --json`."""

    name: str  # its file in the cache folder
    fact_file: str | None  # the fact file it indexes; null when its header cannot be read
    exists: bool  # whether that fact file still exists (if not, the next index written removes it)
    size: int  # bytes, with its note's
    written: str  # when, ISO 8601 in UTC: 2026-12-01T23:00:00Z


class CacheInfo(TypedDict):
    """The object of `zhashui cache info --json`."""

    folder: str | None  # null without a home folder (and XDG_CACHE_HOME not an absolute path)
    usable: bool  # false when the folder is not the user's alone: zhashui neither reads nor writes it
    size: int  # bytes of the cache's own files in all
    kept_per_file: int  # the indexes kept per fact file at most
    indexes: list[CachedIndexRecord]


def fields_of(record: type) -> tuple[str, ...]:
    """The keys of a record type, in JSON order (base class keys first)."""
    return tuple(record.__annotations__)


FACT_FIELDS = fields_of(FactRecord)
FIGURE_FIELDS = fields_of(FigureRecord)
SEARCH_FIELDS = fields_of(SearchRecord)
SHOW_FIELDS = fields_of(ShowRecord)
FIGURE_ROW_FIELDS = fields_of(FigureRow)
CATEGORY_FIELDS = fields_of(CategoryRow)
STATS_ROW_FIELDS = fields_of(StatsRow)
TAG_FIELDS = fields_of(TagRow)
SOURCE_FIELDS = fields_of(SourceRecord)
UNIT_FIELDS = fields_of(UnitRecord)
PROBLEM_FIELDS = fields_of(Problem)
UNCOVERED_FIELDS = fields_of(Uncovered)


def figure_row(fact: FactRecord, n: int) -> FigureRow:
    figure = fact["figures"][n]
    return {
        "fact_id": fact["id"],
        "n": n,
        "year": fact["year"],
        "category": fact["category"],
        "claim": fact["claim"],
        "claim_en": fact["claim_en"],
        **figure,
    }


# The editorial rules: how a claim reads (its year opening, one sentence, tags a reader of
# either language can find it by). A draft that breaks only these can still be searched; every
# other rule is about integrity (the quote in its source, figures in quote and claims, ids,
# references, the schema) and a file that breaks one is refused.
EDITORIAL_RULES = frozenset({"year-stated", "sentence", "tags-languages"})


def problem(
    file: str,
    message: Message | str,
    *,
    rule: str,
    field: str = "",
    fact: str | None = None,
    place: tuple[int, int] | None = None,
) -> Problem:
    line, column = place if place is not None else (None, None)
    return {
        "file": file,
        "line": line,
        "column": column,
        "fact": fact,
        "field": field,
        "rule": rule,
        "severity": "warning" if rule in EDITORIAL_RULES else "error",
        "message": Worded(message) if isinstance(message, Message) else message,
    }


def integrity_errors(problems: list[Problem]) -> list[Problem]:
    """The problems that keep a fact file from being searched."""
    return [entry for entry in problems if entry["severity"] == "error"]


def describe(problem: Problem, translate: Translate = N_) -> str:
    """A problem on one line, the way compilers print them: file:line:col: fact: field: message;
    in English, or made with the command line's translate."""
    place = problem["file"] if problem["line"] is None else f"{problem['file']}:{problem['line']}:{problem['column']}"
    subject = Message("fact '{id}'", id=problem["fact"]).worded(translate) if problem["fact"] else ""
    severity = Message("warning").worded(translate) if problem["severity"] == "warning" else ""
    message = worded(problem["message"], translate)
    return ": ".join(part for part in (place, severity, subject, problem["field"], message) if part)


# -- JSON ----------------------------------------------------------------------------------
# The characters no text from a fact file may carry raw to a terminal or a line reader: the
# controls (C0, DEL, C1), the format characters (bidi controls, zero-width ones, the word
# joiner, the BOM, tag characters …) and the line and paragraph separators, i.e. Unicode's
# Cc, Cf, Zl and Zp (tests/test_hostile_output.py holds this to unicodedata), and the lone
# surrogates (Cs) by which Python keeps the bytes of a path or an argument that are not UTF-8.
# A terminal would obey a control; the others are invisible, or reorder or split what is shown.
_C0 = "\x00-\x1f"
_UNSAFE_BEYOND_C0 = (
    "\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\ud800-\udfff"  # lone surrogates: a byte of a path or argument that was not UTF-8
)
UNSAFE_CHARACTERS = _C0 + _UNSAFE_BEYOND_C0  # the inside of a regex character class
# What json.dumps leaves raw (it escapes C0 itself, so a raw one is the layout's own newline).
_JSON_RAW = f"[{_UNSAFE_BEYOND_C0}]"  # compiled by re when first used


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def json_text(value: object, *, indent: int | None = None) -> str:
    """JSON as zhashui writes it: UTF-8 text, but every unsafe character (UNSAFE_CHARACTERS)
    escaped, so that a record is one line for line readers (U+2028 is a line break to
    JavaScript and str.splitlines) and nothing in it can steer a terminal it is shown on."""
    text = json.dumps(value, ensure_ascii=False, indent=indent, separators=None if indent else (",", ":"))
    return re.sub(_JSON_RAW, _json_escape, text)


def json_line(record: Mapping[str, Any]) -> bytes:
    """A record as JSON output writes it, on one line, UTF-8, without the newline."""
    return json_text(record).encode()
