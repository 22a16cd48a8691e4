"""The fact base's types: what a fact file holds once parse.py has checked it.

Immutable NamedTuples rather than dataclasses: every run imports this module (the command
line offers the kinds as choices and prints qualifiers as signs), and NamedTuples cost a
fraction of what dataclasses cost to define. Values are exact Decimals; base values are
derived here, never typed by hand.
"""

from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

from .units import BUILT_IN, Unit, Units, exact

if TYPE_CHECKING:
    from decimal import Decimal


class Kind(str, Enum):
    """What sort of claim a fact is."""

    OUTCOME = "outcome"  # a measured result; has at least one figure
    HONOUR = "honour"  # an honour, award, designation, pilot status or first
    MEASURE = "measure"  # a qualitative action or result; no figures
    PLAN = "plan"  # an intention without a quantitative target; no figures
    TARGET = "target"  # a plan with at least one quantitative target


# What each kind is called in Chinese: --kind takes these too (-k 计划 is -k plan).
KIND_NAMES_ZH = {
    Kind.OUTCOME: "成果",
    Kind.HONOUR: "荣誉",
    Kind.MEASURE: "举措",
    Kind.PLAN: "计划",
    Kind.TARGET: "目标",
}
KINDS_WITH_FIGURES = frozenset({Kind.OUTCOME, Kind.TARGET})
KINDS_WITHOUT_FIGURES = frozenset({Kind.MEASURE, Kind.PLAN})


class Qualifier(str, Enum):
    """How the written value bounds the real one."""

    EXACT = "exact"
    MORE_THAN = "more_than"  # 余, 突破, 超过, 多
    AT_LEAST = "at_least"  # 以上, 至少, 不少于
    APPROXIMATELY = "approximately"  # 约, 近, 左右

    @property
    def symbol(self) -> str:
        """A prefix for compact display: >3000万元, ≥1680人."""
        return {"exact": "", "more_than": ">", "at_least": "≥", "approximately": "≈"}[self.value]


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
