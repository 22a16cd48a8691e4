"""The fact base's types: what a fact file holds once parse.py has checked it.

Immutable NamedTuples rather than dataclasses, which cost several times more to define. The
kinds and qualifiers are vocabulary.py's. Values are exact Decimals; base values are derived
here, never typed by hand.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from .units import BUILT_IN, Unit, Units, exact
from .vocabulary import Kind, Qualifier

if TYPE_CHECKING:
    from decimal import Decimal


class Section(NamedTuple):
    """A part of a source: facts name the section their quote stands in."""

    id: str
    title: str
    title_en: str
    year: int | None  # the year the section is about, when it is about one
    start: str  # the text it starts with; it runs to the start of the next section


class Name(NamedTuple):
    """Numbers in a source that are names, not quantities (二十大, 5A级): no fact covers them."""

    pattern: str  # a regular expression over the source text (and the Chinese claims)
    reason: str
    en: str | None = None  # a regular expression over the English claims: the name as they write it


class Source(NamedTuple):
    id: str
    title: str
    title_en: str
    published: str
    language: str  # a BCP 47 tag such as zh-Hans: it decides which characters belong in a quote
    text: str  # path of the restored text, relative to the fact file
    publisher: str | None = None
    url: str | None = None  # where it was read online, for a citation
    accessed: str | None = None  # the date it was read there, 2024-02-08
    sections: tuple[Section, ...] = ()
    names: tuple[Name, ...] = ()


class Category(NamedTuple):
    id: str
    name: str
    name_en: str
    description: str | None = None


class Figure(NamedTuple):
    value: "Decimal"
    unit: str
    qualifier: Qualifier
    label: str
    label_en: str
    scale: Unit  # the unit of the file's table that `unit` names: its base unit and factor

    @property
    def base_value(self) -> "Decimal":
        return exact(self.value * self.scale.factor)

    @property
    def base_unit(self) -> str:
        return self.scale.base


class Fact(NamedTuple):
    """One claim; its fields are records.FactRecord's, in the same order."""

    id: str
    source: str
    section: str
    category: str
    year: int
    kind: Kind
    claim: str
    claim_en: str
    quote: str
    note: str | None
    tags: tuple[str, ...]
    figures: tuple[Figure, ...]


class FactFile(NamedTuple):
    """A fact file's contents, with the texts of its sources."""

    path: str
    sources: tuple[Source, ...]
    categories: tuple[Category, ...]
    facts: tuple[Fact, ...]
    texts: Mapping[str, str]  # source id → restored text
    units: Units = BUILT_IN  # the built-in units and those the file declares
