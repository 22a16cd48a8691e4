"""The fact file's layout: every entry's fields in order, each with its type, whether it is
required and what it means for a curator.

This is the one definition of the format's shape. parse.py reads a file field by field from
these tables, and scripts/gen_schemas.py writes schema/facts.schema.json from them (the
editor's schema), so that the two cannot disagree on a field's name, presence, type or
allowed values; tests/test_facts.py holds the field names to records.py's, in which the
parsed entries are output.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from zhashui_cli._i18n import N_

# Whole values, matched with fullmatch: a $ would also match before a final line break ("2023-loans\n").
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
YEAR_RANGE = range(1949, 2101)
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
PUBLISHED_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?: [0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?")
URL_PATTERN = re.compile(r"https?://[^\s/]+\S*")
ACCESSED_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# What a field holds, as parse.py reads it:
#   text       non-empty text;  id  an id (ID_PATTERN);  reference  the id of an entry declared elsewhere
#   formatted  text matching the field's pattern;  regex  a regular expression;  year  a year in YEAR_RANGE
#   number     a finite number;  positive  a number above 0;  kind, qualifier  one of the model's enums
#   unit       a unit of the file's table (built-in or declared);  list  a list of `items`
FieldType = Literal[
    "text", "id", "reference", "formatted", "regex", "year", "number", "positive", "kind", "qualifier", "unit", "list"
]


class Field(NamedTuple):
    """One field of an entry."""

    name: str
    type: FieldType
    required: bool = True
    description: str | None = None  # for the editor: the schema's description of the field
    pattern: re.Pattern[str] | None = None  # a formatted field's whole value
    like: str = ""  # a formatted field's example, for the problem of a value that is not like it
    items: str | None = None  # a list's items: "text" or an entry of ENTRIES
    non_empty: bool = False  # a list that needs at least one item


Entry = tuple[Field, ...]


def names(entry: Entry) -> tuple[str, ...]:
    return tuple(each.name for each in entry)


def optional(entry: Entry) -> frozenset[str]:
    return frozenset(each.name for each in entry if not each.required)


def find(entry: Entry, name: str) -> Field:
    return next(found for found in entry if found.name == name)


UNIT: Entry = (
    Field("unit", "text", description="The unit as figures write it: 万袋. Not a built-in unit."),
    Field(
        "base_unit",
        "text",
        description=(
            "The base unit it counts in: a built-in base unit (袋), or the unit itself for a new base unit "
            "(with factor 1)."
        ),
    ),
    Field("factor", "positive", description="How many base units one of it is: 10000."),
    Field(
        "en",
        "text",
        description="Its English name, as English claims may write it after the value: ten thousand bags.",
    ),
)
SECTION: Entry = (
    Field("id", "id"),
    Field("title", "text"),
    Field("title_en", "text"),
    Field(
        "year",
        "year",
        required=False,
        description="The year the section is about, when it is about one; the facts in it must be about that year.",
    ),
    Field("start", "text", description="The text the section starts with; it must stand once in the source."),
)
NAME: Entry = (
    Field("pattern", "regex", description="A regular expression over the source text."),
    Field("reason", "text", description="Why its numbers are no quantities."),
    Field(
        "en",
        "regex",
        required=False,
        description=(
            "A regular expression over the English claims: the name as they write it, so that its numbers are no "
            "figures either."
        ),
    ),
)
SOURCE: Entry = (
    Field("id", "id"),
    Field("title", "text"),
    Field("title_en", "text"),
    Field(
        "published",
        "formatted",
        description='Publication date or time, quoted: "2024-02-07 09:41:58".',
        pattern=PUBLISHED_PATTERN,
        like=N_("like 2024-02-07 or 2024-02-07 09:41:58"),
    ),
    Field(
        "publisher",
        "text",
        required=False,
        description="Who published it, as the source says; left out when it does not say.",
    ),
    Field(
        "url",
        "formatted",
        required=False,
        description="Where it was read online.",
        pattern=URL_PATTERN,
        like=N_("like https://…"),
    ),
    Field(
        "accessed",
        "formatted",
        required=False,
        description='The date it was read at its url, quoted: "2024-02-08".',
        pattern=ACCESSED_PATTERN,
        like=N_("like 2024-02-08"),
    ),
    Field("language", "formatted", pattern=LANGUAGE_PATTERN, like=N_("a language tag like zh-Hans")),
    Field("text", "text", description="Path of the restored source text, relative to the fact file."),
    Field(
        "sections",
        "list",
        items="section",
        non_empty=True,
        description=(
            "The parts of the text that facts name as their section, in text order; each runs from its start to the "
            "next one's."
        ),
    ),
    Field(
        "names",
        "list",
        required=False,
        items="name",
        description=(
            "Numbers in the text that are names, not quantities (二十大, 5A级), so that no fact needs to cover them."
        ),
    ),
)
CATEGORY: Entry = (
    Field("id", "id"),
    Field("name", "text"),
    Field("name_en", "text"),
    Field("description", "text", required=False),
)
FIGURE: Entry = (
    Field("value", "number", description="The number as written in the quote: 9.24 for 9.24亿元."),
    Field(
        "unit",
        "unit",
        description=(
            "The unit as written: 亿元, 万平方米, %, 个 … A built-in unit, or one the file declares under units."
        ),
    ),
    Field(
        "qualifier",
        "qualifier",
        description="exact; more_than for 余/突破/超过; at_least for 以上; approximately for 约/近/左右.",
    ),
    Field("label", "text"),
    Field("label_en", "text"),
)
FACT: Entry = (
    Field("id", "id"),
    Field("source", "reference"),
    Field(
        "section", "id", description="Where the claim sits in the source: preamble, 2023-highlight-2, 2024-outlook-3 …"
    ),
    Field("category", "reference"),
    Field("year", "year", description="The year the claim is about."),
    Field(
        "kind",
        "kind",
        description=(
            "outcome (measured, with figures), honour (honour, designation, pilot, first), measure (qualitative, no "
            "figures), plan (no figures), target (a plan with figures)."
        ),
    ),
    Field("claim", "text"),
    Field("claim_en", "text"),
    Field("quote", "text", description="The exact span of the source text that supports the claim."),
    Field(
        "note",
        "text",
        required=False,
        description=(
            "Optional: what a reader should know about the claim beside its quote, such as an emendation of the source."
        ),
    ),
    Field("tags", "list", items="text"),
    Field("figures", "list", items="figure"),
)
TOP_LEVEL: Entry = (
    Field(
        "units",
        "list",
        required=False,
        items="unit",
        description=(
            "Units the figures count in beyond the built-in ones (元, 万元, 人次, % …), each with its base unit."
        ),
    ),
    Field("sources", "list", items="source"),
    Field("categories", "list", items="category"),
    Field("facts", "list", items="fact"),
)
# Every entry a list may hold, by the name the schema defines it under.
ENTRIES: dict[str, Entry] = {
    "source": SOURCE,
    "category": CATEGORY,
    "figure": FIGURE,
    "fact": FACT,
    "section": SECTION,
    "name": NAME,
    "unit": UNIT,
}
