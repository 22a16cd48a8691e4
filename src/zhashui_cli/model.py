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

from .units import Kind, Qualifier, UnknownUnitError, base_unit, base_value, known_units

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
    "figures",
    "tags",
)
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
    """Walks the loaded YAML, collecting problems and building what is valid."""

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
    ) -> dict[str, Any] | None:
        if not isinstance(entry, dict):
            self.problem(entry, subject, "", f"expected a mapping, got {_describe_type(entry)}")
            return None
        ok = True
        for key in entry:
            if key not in fields:
                self.problem(entry, subject, str(key), self._unknown_field(str(key), fields))
                ok = False
        for key in fields:
            if key not in optional and key not in entry:
                self.problem(entry, subject, key, "missing; every entry needs it")
                ok = False
        return entry if ok else None

    @staticmethod
    def _unknown_field(key: str, fields: tuple[str, ...]) -> str:
        import difflib  # only on the error path

        close = difflib.get_close_matches(key, fields, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"unknown field{hint}; allowed: {', '.join(fields)}"

    def text(self, entry: dict[str, Any], subject: str, key: str) -> str | None:
        value = entry.get(key)
        if isinstance(value, str):
            if value.strip():
                return value
            self.problem(entry, subject, key, "must not be empty")
            return None
        hint = "; put it in quotes" if isinstance(value, (bool, int, float, _dt.date)) else ""
        self.problem(entry, subject, key, f"expected text, got {_describe_type(value)}{hint}")
        return None

    def optional_text(self, entry: dict[str, Any], subject: str, key: str) -> str | None:
        return self.text(entry, subject, key) if entry.get(key) is not None else None

    def identifier(self, entry: dict[str, Any], subject: str, key: str) -> str | None:
        value = self.text(entry, subject, key)
        if value is not None and not ID_PATTERN.match(value):
            self.problem(
                entry,
                subject,
                key,
                f"'{value}' is not lowercase ASCII kebab-case (like 2023-loans-coordinated)",
            )
            return None
        return value

    def choice(self, entry: dict[str, Any], subject: str, key: str, allowed: Mapping[str, Any]) -> Any:
        value = self.text(entry, subject, key)
        if value is None:
            return None
        if value not in allowed:
            self.problem(entry, subject, key, f"unknown {key} '{value}'; use one of {', '.join(allowed)}")
            return None
        return allowed[value]

    def unique(self, seen: dict[str, object], value: str | None, entry: object, subject: str, what: str) -> bool:
        if value is None:
            return False
        if value in seen:
            first = self.locate(seen[value])
            where = f" (first at line {first[0]})" if first else ""
            self.problem(entry, subject, "id", f"duplicate {what} id '{value}'{where}; ids must be unique")
            return False
        seen[value] = entry
        return True

    # -- entries ----------------------------------------------------------------------------
    def source(self, index: int, entry: object, seen: dict[str, object]) -> Source | None:
        subject = f"sources[{index}]"
        data = self.mapping(entry, subject, SOURCE_FIELDS, SOURCE_OPTIONAL)
        if data is None:
            return None
        values = {key: self.text(data, subject, key) for key in SOURCE_FIELDS if key not in SOURCE_OPTIONAL}
        values["id"] = self.identifier(data, subject, "id") if values["id"] is not None else None
        publisher = self.optional_text(data, subject, "publisher")
        published, language = values["published"], values["language"]
        if published is not None and not PUBLISHED_PATTERN.match(published):
            self.problem(data, subject, "published", f"'{published}' is not like 2024-02-07 or 2024-02-07 09:41:58")
            values["published"] = None
        if language is not None and not LANGUAGE_PATTERN.match(language):
            self.problem(data, subject, "language", f"'{language}' is not a language tag like zh-Hans")
            values["language"] = None
        if not self.unique(seen, values["id"], data, subject, "source") or None in values.values():
            return None
        return Source(publisher=publisher, **{key: str(value) for key, value in values.items()})

    def category(self, index: int, entry: object, seen: dict[str, object]) -> Category | None:
        subject = f"categories[{index}]"
        data = self.mapping(entry, subject, CATEGORY_FIELDS, CATEGORY_OPTIONAL)
        if data is None:
            return None
        category_id = self.identifier(data, subject, "id")
        name, name_en = self.text(data, subject, "name"), self.text(data, subject, "name_en")
        description = self.optional_text(data, subject, "description")
        if not self.unique(seen, category_id, data, subject, "category") or name is None or name_en is None:
            return None
        assert category_id is not None
        return Category(category_id, name, name_en, description)

    def figure(self, entry: object, subject: str, prefix: str) -> Figure | None:
        data = self.mapping(entry, subject, FIGURE_FIELDS)
        if data is None:
            return None
        value = self.number(data, subject, f"{prefix}.value")
        unit = self.text(data, subject, "unit")
        if unit is not None:
            try:
                base_unit(unit)
            except UnknownUnitError:
                self.problem(
                    data, subject, f"{prefix}.unit", f"unknown unit '{unit}'; use one of {', '.join(known_units())}"
                )
                unit = None
        qualifier = self.choice(data, subject, "qualifier", {q.value: q for q in Qualifier})
        label, label_en = self.text(data, subject, "label"), self.text(data, subject, "label_en")
        if value is None or unit is None or qualifier is None or label is None or label_en is None:
            return None
        return Figure(value, unit, qualifier, label, label_en)

    def number(self, data: dict[str, Any], subject: str, field_: str) -> Decimal | None:
        value = data.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            hint = "; write it without quotes" if isinstance(value, str) else ""
            self.problem(data, subject, field_, f"expected a number, got {_describe_type(value)}{hint}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(data, subject, field_, "must be a finite number")
            return None
        # repr() is the shortest text that round-trips, so 9.24 stays 9.24 and not 9.2400000000000002.
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)

    def fact(
        self,
        index: int,
        entry: object,
        seen: dict[str, object],
        sources: Mapping[str, object],
        categories: Mapping[str, object],
    ) -> Fact | None:
        subject = f"facts[{index}]"
        if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"].strip():
            subject = f"fact '{entry['id']}'"
        data = self.mapping(entry, subject, FACT_FIELDS)
        if data is None:
            return None
        fact_id = self.identifier(data, subject, "id")
        unique = self.unique(seen, fact_id, data, subject, "fact")
        source = self.reference(data, subject, "source", sources, "sources")
        category = self.reference(data, subject, "category", categories, "categories")
        section = self.identifier(data, subject, "section")
        year = self.year(data, subject)
        kind = self.choice(data, subject, "kind", {k.value: k for k in Kind})
        texts = [self.text(data, subject, key) for key in ("claim", "claim_en", "quote")]
        figures = self.figures(data, subject)
        tags = self.tags(data, subject)
        if kind is not None and figures is not None:
            self.kind_matches_figures(data, subject, kind, figures)
        fields_ = (fact_id, source, category, section, year, kind, *texts, figures, tags)
        if not unique or any(value is None for value in fields_):
            return None
        claim, claim_en, quote = (str(text) for text in texts)
        assert (
            fact_id and source and category and section and year and kind and figures is not None and tags is not None
        )
        return Fact(fact_id, source, section, category, year, kind, claim, claim_en, quote, figures, tags)

    def reference(
        self, data: dict[str, Any], subject: str, key: str, declared: Mapping[str, object], section: str
    ) -> str | None:
        value = self.text(data, subject, key)
        if value is not None and value not in declared:
            choices = ", ".join(declared) or f"none yet, declare it under {section}"
            self.problem(data, subject, key, f"unknown {key} '{value}'; known: {choices}")
            return None
        return value

    def year(self, data: dict[str, Any], subject: str) -> int | None:
        value = data.get("year")
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(data, subject, "year", f"expected a year like 2023, got {_describe_type(value)}")
            return None
        if value not in YEAR_RANGE:
            self.problem(data, subject, "year", f"{value} is outside {YEAR_RANGE.start}..{YEAR_RANGE.stop - 1}")
            return None
        return value

    def figures(self, data: dict[str, Any], subject: str) -> tuple[Figure, ...] | None:
        value = data.get("figures")
        if not isinstance(value, list):
            self.problem(data, subject, "figures", f"expected a list (use [] for none), got {_describe_type(value)}")
            return None
        parsed = [self.figure(item, subject, f"figures[{i}]") for i, item in enumerate(value)]
        return None if None in parsed else tuple(figure for figure in parsed if figure is not None)

    def tags(self, data: dict[str, Any], subject: str) -> tuple[str, ...] | None:
        value = data.get("tags")
        if not isinstance(value, list) or not all(isinstance(tag, str) and tag.strip() for tag in value):
            self.problem(data, subject, "tags", "expected a list of non-empty texts (quote numbers, dates, yes/no)")
            return None
        return tuple(value)

    def kind_matches_figures(self, data: dict[str, Any], subject: str, kind: Kind, figures: tuple[Figure, ...]) -> None:
        if kind in KINDS_WITH_FIGURES and not figures:
            self.problem(
                data, subject, "kind", f"'{kind.value}' needs at least one figure (use 'measure' or 'plan' without)"
            )
        if kind in KINDS_WITHOUT_FIGURES and figures:
            self.problem(
                data, subject, "kind", f"'{kind.value}' takes no figures (use 'outcome' or 'target' with figures)"
            )

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
        value = top[key]
        if isinstance(value, list):
            return value
        self.problem(top, "", key, f"expected a list, got {_describe_type(value)}")
        return []


def parse_fact_base(data: object, locate: Locate = lambda _: None) -> tuple[FactBase, list[Problem]]:
    """Build a FactBase from loaded YAML; the problems list is empty when the file is valid."""
    parser = _Parser(locate)
    base = parser.fact_base(data)
    return base, parser.problems
