"""The strict parser: from loaded YAML to the model's types, with every problem at once.

Parsing never stops at the first mistake: a curator editing a few hundred facts by hand needs
every problem at once, each at the line of the field that is wrong, with what to do about it.
An entry with a problem is left out of the result, so that the provenance rules
(rules.py) still check every entry that parsed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from zhashui_cli._i18n import N_, Message
from zhashui_cli.records import FIGURE_FIELDS, Problem

from .fields import Located, Reader, describe_type
from .folding import fold_many
from .layout import CATEGORY, FACT, FIGURE, NAME, SECTION, SOURCE, TOP_LEVEL, UNIT, Entry, Field, names, optional
from .model import Category, Fact, Figure, Name, Section, Source
from .units import BUILT_IN, Unit, Units, UnknownUnitError, declaration_problem
from .vocabulary import KINDS_WITH_FIGURES, KINDS_WITHOUT_FIGURES, Kind, Qualifier
from .yamlfile import Ambiguous, Places

_CHINESE_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千万亿点]+")

TOP_LEVEL_FIELDS = names(TOP_LEVEL)
# The figure record's fields beyond those a fact file writes (base_value, base_unit) are derived.
DERIVED_FIELDS = frozenset(FIGURE_FIELDS) - set(names(FIGURE))
_KINDS = {k.value: k for k in Kind}
_QUALIFIERS = {q.value: q for q in Qualifier}


class Parsed(NamedTuple):
    sources: tuple[Source, ...]
    categories: tuple[Category, ...]
    facts: tuple[Fact, ...]
    problems: list[Problem]
    units: Units = BUILT_IN


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _not_a_pattern(pattern: str) -> str | None:
    """What keeps a name's pattern from compiling, or None. Besides its syntax errors, re
    overflows on a huge repetition (a{99999999999}) and recurses too deep on deep nesting."""
    try:
        re.compile(pattern)
    except (re.error, OverflowError) as error:
        return str(error)
    except RecursionError:
        return "nested too deeply"
    return None


class _Parser(Reader):
    """Walks a fact file's YAML, building the entries that have no problem."""

    derived = DERIVED_FIELDS
    units = BUILT_IN  # the file's table, once its units list is read

    # -- entries ----------------------------------------------------------------------------
    # Each builder notes how many problems had been found before it (Reader.found), reads every
    # field, and builds its entry only if no new problem came up.

    def fields(self, item: object, path: tuple[Any, ...], entry: Entry) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        """An entry's mapping (None if it is none), and the values of its single fields read
        by their types in layout.py; references and lists are the builders' to read."""
        data = self.mapping(item, path, names(entry), optional(entry))
        if data is None:
            return None, {}
        for field in entry:  # a source's sections: without one, its facts can name none and coverage checks nothing
            if field.non_empty and data.get(field.name) == []:
                self.problem((*path, field.name), Message("is empty; list at least one"))
        return data, {f.name: self.value(data, path, f) for f in entry if f.type not in ("reference", "list")}

    def value(self, data: dict[str, Any], path: tuple[Any, ...], field: Field) -> Any:
        """One field's value, read as its type says, or None with its problem reported."""
        key = field.name
        if field.type == "id":
            return self.identifier(data, path, key)
        if field.type == "year":
            return self.year(data, path, field.required)
        if field.type in ("number", "positive"):
            number = self.number(data, path, key)
            if field.type == "positive" and number is not None and not number > 0:
                message = Message("{value} is not a positive number; give how many base units one is", value=data[key])
                self.problem((*path, key), message)
                return None
            return number
        if field.type in ("kind", "qualifier"):
            return self.choice(data, path, key, _KINDS if field.type == "kind" else _QUALIFIERS)
        value = self.text(data, path, key) if field.required else self.optional_text(data, path, key)
        if value is not None and field.pattern is not None and not field.pattern.fullmatch(value):
            self.problem((*path, key), Message("{value} is not {like}", value=repr(value), like=Message(field.like)))
        if value is not None and field.type == "regex" and (wrong := _not_a_pattern(value)):
            self.problem((*path, key), Message("not a regular expression: {error}", error=wrong))
        return value

    def source(self, n: int, entry: object, seen: dict[str, tuple[Any, ...]]) -> Source | None:
        path, before = ("sources", n), self.found
        data, values = self.fields(entry, path, SOURCE)
        if data is None:
            return None
        seen_sections: dict[str, tuple[Any, ...]] = {}
        sections = [
            self.section((*path, "sections", i), item, seen_sections)
            for i, item in enumerate(self.listing(data, path, "sections"))
        ]
        names_ = [
            self.name((*path, "names", i), item) for i, item in enumerate(self.listing(data, path, "names", False))
        ]
        values["sections"] = tuple(section for section in sections if section is not None)
        values["names"] = tuple(name for name in names_ if name is not None)
        self.unique(seen, values["id"], path, N_("source"))
        return Source(**values) if self.found == before else None

    def section(self, path: tuple[Any, ...], entry: object, seen: dict[str, tuple[Any, ...]]) -> Section | None:
        before = self.found
        data, values = self.fields(entry, path, SECTION)
        if data is None:
            return None
        self.unique(seen, values["id"], path, N_("section"))
        return Section(**values) if self.found == before else None

    def name(self, path: tuple[Any, ...], entry: object) -> Name | None:
        before = self.found
        data, values = self.fields(entry, path, NAME)
        return Name(**values) if data is not None and self.found == before else None

    def category(self, n: int, entry: object, seen: dict[str, tuple[Any, ...]]) -> Category | None:
        path, before = ("categories", n), self.found
        data, values = self.fields(entry, path, CATEGORY)
        if data is None:
            return None
        self.unique(seen, values["id"], path, N_("category"))
        return Category(**values) if self.found == before else None

    def fact(
        self,
        n: int,
        entry: object,
        seen: dict[str, tuple[Any, ...]],
        sources: Mapping[str, Source | None],
        categories: Mapping[str, object],
    ) -> Fact | None:
        path, before = ("facts", n), self.found
        data, values = self.fields(entry, path, FACT)
        if data is None:
            return None
        values.update(
            source=self.reference(data, path, "source", sources, "sources"),
            category=self.reference(data, path, "category", categories, "categories"),
            figures=self.figures(data, path),
            tags=self.tags(data, path),
        )
        source = sources.get(values["source"] or "")
        if source is not None and values["section"] is not None:
            declared = {section.id: section for section in source.sections}
            where = f"sources[{list(sources).index(source.id)}].sections"
            self.reference(data, path, "section", declared, where)
        self.unique(seen, values["id"], path, N_("fact"))
        if values["kind"] is not None and values["figures"] is not None:
            self.kind_matches_figures(path, values["kind"], values["figures"])
        return Fact(**values) if self.found == before else None

    def figure(self, path: tuple[Any, ...], entry: object) -> Figure | None:
        before = self.found
        data, values = self.fields(entry, path, FIGURE)
        if data is None:
            return None
        if values["unit"] is not None:
            try:
                values["scale"] = self.units.unit(values["unit"])
            except UnknownUnitError as error:
                self.problem((*path, "unit"), error.message)
        if self.found == before:
            self.representable(path, values["value"], values["scale"])
        return Figure(**values) if self.found == before else None

    def representable(self, path: tuple[Any, ...], value: Decimal, scale: Unit) -> None:
        """Figures are output as JSON floats: a base value beyond the largest float would be
        written as Infinity, which is no JSON."""
        if not math.isfinite(float(value * scale.factor)):
            message = Message(
                "is too large: in {unit} it is more than 1.8e308, the largest number JSON output holds; correct it",
                unit=scale.base,
            )
            self.problem((*path, "value"), message)

    # -- units -------------------------------------------------------------------------------
    def unit_table(self, items: list[Any]) -> Units:
        """The built-in units with those the file declares: each declared unit is checked as a
        whole, and one with a problem is left out (its figures are then unknown units)."""
        entries: list[tuple[tuple[Any, ...], Unit]] = []
        seen: dict[str, tuple[Any, ...]] = {}
        for n, item in enumerate(items):
            path, before = ("units", n), self.found
            data, values = self.fields(item, path, UNIT)
            if data is None:
                continue
            unit = values["unit"]
            if unit is not None and unit in seen:
                first = self.located.position(seen[unit])
                if first:
                    message = Message(
                        "'{unit}' is declared twice (first at line {line}); keep one entry", unit=unit, line=first[0]
                    )
                else:
                    message = Message("'{unit}' is declared twice; keep one entry", unit=unit)
                self.problem((*path, "unit"), message, "unique")
            elif unit is not None:
                seen[unit] = (*path, "unit")
            if self.found == before:
                entries.append((path, Unit(unit, values["base_unit"], values["factor"], values["en"])))
        new_bases = {entry.unit for _, entry in entries if entry.base == entry.unit}
        declared = []
        for path, entry in entries:
            if wrong := declaration_problem(entry, new_bases):
                self.problem((*path, wrong[0]), wrong[1])
            else:
                declared.append(entry)
        return Units(declared)

    # -- typed fields --------------------------------------------------------------------------
    def number(self, data: dict[str, Any], path: tuple[Any, ...], key: str) -> Any:
        if key not in data:
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if isinstance(value, str) and _CHINESE_NUMBER.fullmatch(value.strip()):
                template = N_("expected a number, got {type}; write the number in digits (七千一百六十八 → 7168)")
            elif isinstance(value, str):
                template = N_("expected a number, got {type}; write it without quotes")
            else:
                template = N_("expected a number, got {type}")
            self.problem((*path, key), Message(template, type=describe_type(value)))
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem((*path, key), Message("must be a finite number"))
            return None
        # repr() is the shortest text that round-trips, so 9.24 stays 9.24 and not 9.2400000000000002.
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)

    def figures(self, data: dict[str, Any], path: tuple[Any, ...]) -> tuple[Figure, ...] | None:
        if "figures" not in data:
            return None
        items = self.listing(data, path, "figures")
        if not isinstance(data["figures"], list):
            return None
        parsed = [self.figure((*path, "figures", i), item) for i, item in enumerate(items)]
        return None if None in parsed else tuple(figure for figure in parsed if figure is not None)

    def tags(self, data: dict[str, Any], path: tuple[Any, ...]) -> tuple[str, ...] | None:
        if "tags" not in data:
            return None
        items = self.listing(data, path, "tags")
        if not isinstance(data["tags"], list):
            return None
        before = self.found
        # Folded as the index folds them, so that two tags that search, --tag and the tags
        # counts take for one are one tag written twice.
        folded = iter(fold_many([tag for tag in items if _is_text(tag)]))
        first: dict[str, int] = {}
        for i, tag in enumerate(items):
            if not _is_text(tag):
                got = Message("empty text") if isinstance(tag, str) else describe_type(tag)
                message = Message("expected a non-empty text, got {type}; quote numbers, dates, yes/no", type=got)
                self.problem((*path, "tags", i), message)
            elif (key := next(folded)) in first:
                message = Message(
                    "{tag} repeats tags[{n}] ({first}) once folded (case, width, traditional and simplified); keep one",
                    tag=repr(tag),
                    n=first[key],
                    first=repr(items[first[key]]),
                )
                self.problem((*path, "tags", i), message)
            else:
                first[key] = i
        return tuple(items) if self.found == before else None

    def kind_matches_figures(self, path: tuple[Any, ...], kind: Kind, figures: tuple[Figure, ...]) -> None:
        if kind in KINDS_WITH_FIGURES and not figures:
            message = Message("'{kind}' needs at least one figure (use 'measure' or 'plan' without)", kind=kind.value)
            self.problem((*path, "kind"), message, "kind-figures")
        if kind in KINDS_WITHOUT_FIGURES and figures:
            message = Message("'{kind}' takes no figures (use 'outcome' or 'target' with figures)", kind=kind.value)
            self.problem((*path, "kind"), message, "kind-figures")

    # -- the file ----------------------------------------------------------------------------
    def fact_file(self, data: object) -> Parsed:
        if not isinstance(data, dict):
            got = describe_type(data)
            required = ", ".join(key for key in TOP_LEVEL_FIELDS if key not in optional(TOP_LEVEL))
            self.problem((), Message("expected a mapping with {fields}, got {type}", fields=required, type=got))
            return Parsed((), (), (), self.problems)
        top = self.mapping(data, (), TOP_LEVEL_FIELDS, optional(TOP_LEVEL)) or {}
        lists = {key: self.listing(top, (), key, key not in optional(TOP_LEVEL)) for key in TOP_LEVEL_FIELDS}
        self.units = self.unit_table(lists["units"])
        seen_sources: dict[str, tuple[Any, ...]] = {}
        sources = [self.source(i, entry, seen_sources) for i, entry in enumerate(lists["sources"])]
        # Facts are checked against every declared id, so that one broken source or category
        # is reported once rather than again on every fact that names it.
        by_id = {s.id: s for s in sources if s is not None}
        declared_sources = {key: by_id.get(key) for key in seen_sources}
        seen_categories: dict[str, tuple[Any, ...]] = {}
        categories = [self.category(i, entry, seen_categories) for i, entry in enumerate(lists["categories"])]
        seen_facts: dict[str, tuple[Any, ...]] = {}
        facts = [
            self.fact(i, entry, seen_facts, declared_sources, seen_categories) for i, entry in enumerate(lists["facts"])
        ]
        return Parsed(
            tuple(s for s in sources if s is not None),
            tuple(c for c in categories if c is not None),
            tuple(f for f in facts if f is not None),
            self.problems,
            self.units,
        )


def parse(
    data: object, file: str, places: Places | Located | None = None, ambiguous: Sequence[Ambiguous] = ()
) -> Parsed:
    """The entries of loaded YAML that are valid, and a problem for everything that is not,
    placed by places (or a Located that knows them, or will)."""
    parser = _Parser(file, places if isinstance(places, Located) else Located(data, places or {}))
    parser.ambiguous(ambiguous)
    return parser.fact_file(data)
