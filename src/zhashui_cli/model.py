"""The fact base as frozen dataclasses, and the strict parsing that builds them.

Parsing never stops at the first mistake: a curator editing a few hundred facts by hand needs
every problem at once, each with the fact, the field and what to do about it.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .units import BASE_UNITS, Kind, Qualifier, UnknownUnitError, base_unit, base_value

KINDS_WITH_FIGURES = frozenset({Kind.OUTCOME, Kind.TARGET})
KINDS_WITHOUT_FIGURES = frozenset({Kind.MEASURE, Kind.PLAN})


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    title_en: str
    published: str
    language: str
    text: str  # path of the restored text, relative to the fact file
    publisher: str | None = None


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    name_en: str
    description: str | None = None


@dataclass(frozen=True)
class Figure:
    value: Decimal
    unit: str
    qualifier: Qualifier
    label: str
    label_en: str

    @property
    def base_value(self) -> Decimal:
        return base_value(self.value, self.unit)

    @property
    def base_unit(self) -> str:
        return base_unit(self.unit)


@dataclass(frozen=True)
class Fact:
    id: str
    source: str
    section: str
    category: str
    year: int
    kind: Kind
    claim: str
    claim_en: str
    quote: str
    figures: tuple[Figure, ...]
    tags: tuple[str, ...]
    note: str | None = None  # what a reader should know about the claim beside its quote


@dataclass(frozen=True)
class FactBase:
    sources: tuple[Source, ...]
    categories: tuple[Category, ...]
    facts: tuple[Fact, ...]
    texts: Mapping[str, str] = field(default_factory=dict)  # source id → restored text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a fact file, located as precisely as the file allows."""

    subject: str  # "fact '2023-loans-coordinated'", "facts[3]", "sources[0]", "" for the file
    field: str  # "figures[0].unit", "" when the whole subject is at fault
    message: str
    line: int | None = None  # 1-based
    column: int | None = None

    def describe(self, path: str) -> str:
        place = path if self.line is None else f"{path}:{self.line}:{self.column}"
        return ": ".join(part for part in (place, self.subject, self.field, self.message) if part)


# Where a parsed YAML mapping started, as (line, column), 1-based; None when unknown.
Locate = Callable[[object], "tuple[int, int] | None"]

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
PUBLISHED_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?$")
YEAR_RANGE = range(1949, 2101)

TOP_LEVEL_FIELDS = ("sources", "categories", "facts")
SOURCE_FIELDS = ("id", "title", "title_en", "published", "publisher", "language", "text")
SOURCE_OPTIONAL = frozenset({"publisher"})
CATEGORY_FIELDS = ("id", "name", "name_en", "description")
CATEGORY_OPTIONAL = frozenset({"description"})
FACT_FIELDS = (
    "id",
    "source",
    "section",
    "category",
    "year",
    "kind",
    "claim",
    "claim_en",
    "quote",
    "note",
    "figures",
    "tags",
)
FACT_OPTIONAL = frozenset({"note"})
FIGURE_FIELDS = ("value", "unit", "qualifier", "label", "label_en")


# What YAML made of a value, in a curator's words; bool before int, since True is an int too.
_TYPE_NAMES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (type(None), "nothing"),
    (bool, "a yes/no value"),
    (_dt.date, "a date"),
    ((int, float), "a number"),
    (str, "text"),
    (list, "a list"),
    (dict, "a mapping"),
)


def _describe_type(value: object) -> str:
    return next((name for kind, name in _TYPE_NAMES if isinstance(value, kind)), type(value).__name__)


class _Parser:
    """Walks the loaded YAML, collecting every problem and building the entries that have none.

    An entry's absent fields are reported once, by mapping(); the readers below then skip
    them, and report what is wrong with the fields that are there.
    """

    def __init__(self, locate: Locate) -> None:
        self.locate = locate
        self.problems: list[Problem] = []

    def problem(self, entry: object, subject: str, field_: str, message: str) -> None:
        place = self.locate(entry)
        line, column = place if place is not None else (None, None)
        self.problems.append(Problem(subject, field_, message, line, column))

    # -- shapes ---------------------------------------------------------------------------
    def mapping(
        self,
        entry: object,
        subject: str,
        fields: tuple[str, ...],
        optional: frozenset[str] = frozenset(),
        prefix: str = "",
    ) -> dict[str, Any] | None:
        """The entry if it is a mapping, with its unknown and missing fields reported."""
        if not isinstance(entry, dict):
            self.problem(entry, subject, prefix, f"expected a mapping, got {_describe_type(entry)}")
            return None
        for key in entry:
            if key not in fields:
                self.problem(entry, subject, f"{prefix}{key}", self._unknown_field(str(key), fields))
        for key in fields:
            if key not in optional and key not in entry:
                self.problem(entry, subject, f"{prefix}{key}", "missing; every entry needs it")
        return entry

    @staticmethod
    def _unknown_field(key: str, fields: tuple[str, ...]) -> str:
        import difflib  # only on the error path

        close = difflib.get_close_matches(key, fields, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"unknown field{hint}; allowed: {', '.join(fields)}"

    def text(self, entry: dict[str, Any], subject: str, key: str, prefix: str = "") -> str | None:
        if key not in entry:
            return None
        value = entry[key]
        if isinstance(value, str):
            if value.strip():
                return value
            self.problem(entry, subject, f"{prefix}{key}", "must not be empty")
            return None
        hint = "; put it in quotes" if isinstance(value, (bool, int, float, _dt.date)) else ""
        self.problem(entry, subject, f"{prefix}{key}", f"expected text, got {_describe_type(value)}{hint}")
        return None

    def optional_text(self, entry: dict[str, Any], subject: str, key: str) -> str | None:
        return self.text(entry, subject, key) if entry.get(key) is not None else None

    def identifier(self, entry: dict[str, Any], subject: str, key: str) -> str | None:
        value = self.text(entry, subject, key)
        if value is not None and not ID_PATTERN.match(value):
            message = f"'{value}' is not lowercase ASCII kebab-case (like 2023-loans-coordinated)"
            self.problem(entry, subject, key, message)
            return None
        return value

    def choice(
        self, entry: dict[str, Any], subject: str, key: str, allowed: Mapping[str, Any], prefix: str = ""
    ) -> Any:
        value = self.text(entry, subject, key, prefix)
        if value is not None and value not in allowed:
            self.problem(entry, subject, f"{prefix}{key}", f"unknown {key} '{value}'; use one of {', '.join(allowed)}")
            return None
        return None if value is None else allowed[value]

    def unique(self, seen: dict[str, object], value: str | None, entry: object, subject: str, what: str) -> None:
        if value is None:
            return
        if value in seen:
            first = self.locate(seen[value])
            where = f" (first at line {first[0]})" if first else ""
            self.problem(entry, subject, "id", f"duplicate {what} id '{value}'{where}; ids must be unique")
            return
        seen[value] = entry

    def reference(
        self, data: dict[str, Any], subject: str, key: str, declared: Mapping[str, object], section: str
    ) -> str | None:
        value = self.text(data, subject, key)
        if value is not None and value not in declared:
            choices = ", ".join(declared) or f"none yet, declare it under {section}"
            self.problem(data, subject, key, f"unknown {key} '{value}'; known: {choices}")
            return None
        return value

    # -- entries ----------------------------------------------------------------------------
    # Each builder notes how many problems there were before it, reads every field, and builds
    # its entry only if no new problem came up.

    def source(self, index: int, entry: object, seen: dict[str, object]) -> Source | None:
        subject, before = f"sources[{index}]", len(self.problems)
        data = self.mapping(entry, subject, SOURCE_FIELDS, SOURCE_OPTIONAL)
        if data is None:
            return None
        values: dict[str, Any] = {key: self.text(data, subject, key) for key in ("title", "title_en", "text")}
        values.update(id=self.identifier(data, subject, "id"), publisher=self.optional_text(data, subject, "publisher"))
        published = values["published"] = self.text(data, subject, "published")
        language = values["language"] = self.text(data, subject, "language")
        if published is not None and not PUBLISHED_PATTERN.match(published):
            self.problem(data, subject, "published", f"'{published}' is not like 2024-02-07 or 2024-02-07 09:41:58")
        if language is not None and not LANGUAGE_PATTERN.match(language):
            self.problem(data, subject, "language", f"'{language}' is not a language tag like zh-Hans")
        self.unique(seen, values["id"], data, subject, "source")
        return Source(**values) if len(self.problems) == before else None

    def category(self, index: int, entry: object, seen: dict[str, object]) -> Category | None:
        subject, before = f"categories[{index}]", len(self.problems)
        data = self.mapping(entry, subject, CATEGORY_FIELDS, CATEGORY_OPTIONAL)
        if data is None:
            return None
        values: dict[str, Any] = {key: self.text(data, subject, key) for key in ("name", "name_en")}
        values.update(
            id=self.identifier(data, subject, "id"), description=self.optional_text(data, subject, "description")
        )
        self.unique(seen, values["id"], data, subject, "category")
        return Category(**values) if len(self.problems) == before else None

    def fact(
        self,
        index: int,
        entry: object,
        seen: dict[str, object],
        sources: Mapping[str, object],
        categories: Mapping[str, object],
    ) -> Fact | None:
        subject, before = f"facts[{index}]", len(self.problems)
        if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"].strip():
            subject = f"fact '{entry['id']}'"
        data = self.mapping(entry, subject, FACT_FIELDS, FACT_OPTIONAL)
        if data is None:
            return None
        values: dict[str, Any] = {key: self.text(data, subject, key) for key in ("claim", "claim_en", "quote")}
        values.update(
            id=self.identifier(data, subject, "id"),
            note=self.optional_text(data, subject, "note"),
            source=self.reference(data, subject, "source", sources, "sources"),
            category=self.reference(data, subject, "category", categories, "categories"),
            section=self.identifier(data, subject, "section"),
            year=self.year(data, subject),
            kind=self.choice(data, subject, "kind", {k.value: k for k in Kind}),
            figures=self.figures(data, subject),
            tags=self.tags(data, subject),
        )
        self.unique(seen, values["id"], data, subject, "fact")
        if values["kind"] is not None and values["figures"] is not None:
            self.kind_matches_figures(data, subject, values["kind"], values["figures"])
        return Fact(**values) if len(self.problems) == before else None

    def figure(self, entry: object, subject: str, prefix: str) -> Figure | None:
        before = len(self.problems)
        data = self.mapping(entry, subject, FIGURE_FIELDS, prefix=prefix)
        if data is None:
            return None
        values: dict[str, Any] = {key: self.text(data, subject, key, prefix) for key in ("unit", "label", "label_en")}
        values.update(
            value=self.number(data, subject, prefix),
            qualifier=self.choice(data, subject, "qualifier", {q.value: q for q in Qualifier}, prefix),
        )
        unit = values["unit"]
        if unit is not None:
            try:
                base_unit(unit)
            except UnknownUnitError:
                units = ", ".join(BASE_UNITS)
                message = f"unknown unit '{unit}'; use a base unit ({units}), or one after 万 or 亿 (万元, 亿元)"
                self.problem(data, subject, f"{prefix}unit", message)
        return Figure(**values) if len(self.problems) == before else None

    # -- typed fields --------------------------------------------------------------------------
    def number(self, data: dict[str, Any], subject: str, prefix: str) -> Decimal | None:
        if "value" not in data:
            return None
        value = data["value"]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            hint = "; write it without quotes" if isinstance(value, str) else ""
            self.problem(data, subject, f"{prefix}value", f"expected a number, got {_describe_type(value)}{hint}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(data, subject, f"{prefix}value", "must be a finite number")
            return None
        # repr() is the shortest text that round-trips, so 9.24 stays 9.24 and not 9.2400000000000002.
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)

    def year(self, data: dict[str, Any], subject: str) -> int | None:
        if "year" not in data:
            return None
        value = data["year"]
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(data, subject, "year", f"expected a year like 2023, got {_describe_type(value)}")
            return None
        if value not in YEAR_RANGE:
            self.problem(data, subject, "year", f"{value} is outside {YEAR_RANGE.start}..{YEAR_RANGE.stop - 1}")
            return None
        return value

    def figures(self, data: dict[str, Any], subject: str) -> tuple[Figure, ...] | None:
        if "figures" not in data:
            return None
        value = data["figures"]
        if not isinstance(value, list):
            self.problem(data, subject, "figures", f"expected a list (use [] for none), got {_describe_type(value)}")
            return None
        parsed = [self.figure(item, subject, f"figures[{n}].") for n, item in enumerate(value)]
        return None if None in parsed else tuple(figure for figure in parsed if figure is not None)

    def tags(self, data: dict[str, Any], subject: str) -> tuple[str, ...] | None:
        if "tags" not in data:
            return None
        value = data["tags"]
        if not isinstance(value, list) or not all(isinstance(tag, str) and tag.strip() for tag in value):
            self.problem(data, subject, "tags", "expected a list of non-empty texts (quote numbers, dates, yes/no)")
            return None
        return tuple(value)

    def kind_matches_figures(self, data: dict[str, Any], subject: str, kind: Kind, figures: tuple[Figure, ...]) -> None:
        if kind in KINDS_WITH_FIGURES and not figures:
            message = f"'{kind.value}' needs at least one figure (use 'measure' or 'plan' without)"
            self.problem(data, subject, "kind", message)
        if kind in KINDS_WITHOUT_FIGURES and figures:
            message = f"'{kind.value}' takes no figures (use 'outcome' or 'target' with figures)"
            self.problem(data, subject, "kind", message)

    # -- the file ----------------------------------------------------------------------------
    def fact_base(self, data: object) -> FactBase:
        top = self.mapping(data, "", TOP_LEVEL_FIELDS) if isinstance(data, dict) else None
        if top is None:
            if not isinstance(data, dict):
                self.problem(
                    data, "", "", f"expected a mapping with {', '.join(TOP_LEVEL_FIELDS)}, got {_describe_type(data)}"
                )
            return FactBase((), (), ())
        lists = {key: self.listing(top, key) for key in TOP_LEVEL_FIELDS}
        seen_sources: dict[str, object] = {}
        sources = [self.source(i, e, seen_sources) for i, e in enumerate(lists["sources"])]
        seen_categories: dict[str, object] = {}
        categories = [self.category(i, e, seen_categories) for i, e in enumerate(lists["categories"])]
        # Facts are checked against every declared id, so that one broken source or category
        # is reported once rather than again on every fact that names it.
        seen_facts: dict[str, object] = {}
        facts = [
            self.fact(i, entry, seen_facts, seen_sources, seen_categories) for i, entry in enumerate(lists["facts"])
        ]
        return FactBase(
            tuple(s for s in sources if s is not None),
            tuple(c for c in categories if c is not None),
            tuple(f for f in facts if f is not None),
        )

    def listing(self, top: dict[str, Any], key: str) -> list[Any]:
        value = top.get(key, [])  # a missing list is already reported by mapping()
        if isinstance(value, list):
            return value
        self.problem(top, "", key, f"expected a list, got {_describe_type(value)}")
        return []


def parse_fact_base(data: object, locate: Locate = lambda _: None) -> tuple[FactBase, list[Problem]]:
    """Build a FactBase from loaded YAML; the problems list is empty when the file is valid."""
    parser = _Parser(locate)
    base = parser.fact_base(data)
    return base, parser.problems
