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
from typing import TYPE_CHECKING, Any, NamedTuple

from zhashui_cli.records import (
    FACT_FIELDS,
    FIGURE_FIELDS,
    CategoryRecord,
    NameRecord,
    Problem,
    SectionRecord,
    SourceRecord,
    UnitRecord,
    fields_of,
)

from .fields import Located, Reader, describe_type
from .folding import fold_many
from .model import (
    KINDS_WITH_FIGURES,
    KINDS_WITHOUT_FIGURES,
    Category,
    Fact,
    Figure,
    Kind,
    Name,
    Qualifier,
    Section,
    Source,
)
from .units import BUILT_IN, Unit, Units, UnknownUnitError, declaration_problem
from .yamlfile import Ambiguous, Places

if TYPE_CHECKING:
    from decimal import Decimal

# Whole values, matched with fullmatch (a $ would also match before a final line break).
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
PUBLISHED_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?: [0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?")
_CHINESE_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千万亿点]+")

TOP_LEVEL_FIELDS = ("units", "sources", "categories", "facts")
TOP_LEVEL_OPTIONAL = frozenset({"units"})
UNIT_FIELDS = fields_of(UnitRecord)
SOURCE_FIELDS = fields_of(SourceRecord)
SOURCE_OPTIONAL = frozenset({"publisher", "url", "accessed", "names"})
URL_PATTERN = re.compile(r"https?://[^\s/]+\S*")
ACCESSED_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SECTION_FIELDS = fields_of(SectionRecord)
SECTION_OPTIONAL = frozenset({"year"})
NAME_FIELDS = fields_of(NameRecord)
NAME_OPTIONAL = frozenset({"en"})
CATEGORY_FIELDS = fields_of(CategoryRecord)
CATEGORY_OPTIONAL = frozenset({"description"})
FACT_OPTIONAL = frozenset({"note"})
FIGURE_INPUT_FIELDS = FIGURE_FIELDS[:5]  # the record's last two, base_value and base_unit, are derived
DERIVED_FIELDS = frozenset(FIGURE_FIELDS[5:])


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

    def source(self, n: int, entry: object, seen: dict[str, tuple[Any, ...]]) -> Source | None:
        path, before = ("sources", n), self.found
        data = self.mapping(entry, path, SOURCE_FIELDS, SOURCE_OPTIONAL)
        if data is None:
            return None
        values: dict[str, Any] = {key: self.text(data, path, key) for key in ("title", "title_en", "text")}
        values.update(id=self.identifier(data, path), publisher=self.optional_text(data, path, "publisher"))
        for key, pattern, example in (("url", URL_PATTERN, "https://…"), ("accessed", ACCESSED_PATTERN, "2024-02-08")):
            value = values[key] = self.optional_text(data, path, key)
            if value is not None and not pattern.fullmatch(value):
                self.problem((*path, key), f"{value!r} is not like {example}")
        published = values["published"] = self.text(data, path, "published")
        language = values["language"] = self.text(data, path, "language")
        if published is not None and not PUBLISHED_PATTERN.fullmatch(published):
            self.problem((*path, "published"), f"{published!r} is not like 2024-02-07 or 2024-02-07 09:41:58")
        if language is not None and not LANGUAGE_PATTERN.fullmatch(language):
            self.problem((*path, "language"), f"{language!r} is not a language tag like zh-Hans")
        seen_sections: dict[str, tuple[Any, ...]] = {}
        sections = [
            self.section((*path, "sections", i), item, seen_sections)
            for i, item in enumerate(self.listing(data, path, "sections"))
        ]
        names = [
            self.name((*path, "names", i), item) for i, item in enumerate(self.listing(data, path, "names", False))
        ]
        values["sections"] = tuple(section for section in sections if section is not None)
        values["names"] = tuple(name for name in names if name is not None)
        self.unique(seen, values["id"], path, "source")
        return Source(**values) if self.found == before else None

    def section(self, path: tuple[Any, ...], entry: object, seen: dict[str, tuple[Any, ...]]) -> Section | None:
        before = self.found
        data = self.mapping(entry, path, SECTION_FIELDS, SECTION_OPTIONAL)
        if data is None:
            return None
        values: dict[str, Any] = {key: self.text(data, path, key) for key in ("title", "title_en", "start")}
        values.update(id=self.identifier(data, path), year=self.year(data, path, required=False))
        self.unique(seen, values["id"], path, "section")
        return Section(**values) if self.found == before else None

    def name(self, path: tuple[Any, ...], entry: object) -> Name | None:
        before = self.found
        data = self.mapping(entry, path, NAME_FIELDS, NAME_OPTIONAL)
        if data is None:
            return None
        pattern, reason = self.text(data, path, "pattern"), self.text(data, path, "reason")
        en = self.optional_text(data, path, "en")
        for key, value in (("pattern", pattern), ("en", en)):
            if value is not None and (wrong := _not_a_pattern(value)):
                self.problem((*path, key), f"not a regular expression: {wrong}")
        if pattern is None or reason is None or self.found != before:
            return None
        return Name(pattern, reason, en)

    def category(self, n: int, entry: object, seen: dict[str, tuple[Any, ...]]) -> Category | None:
        path, before = ("categories", n), self.found
        data = self.mapping(entry, path, CATEGORY_FIELDS, CATEGORY_OPTIONAL)
        if data is None:
            return None
        values: dict[str, Any] = {key: self.text(data, path, key) for key in ("name", "name_en")}
        values.update(id=self.identifier(data, path), description=self.optional_text(data, path, "description"))
        self.unique(seen, values["id"], path, "category")
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
        data = self.mapping(entry, path, FACT_FIELDS, FACT_OPTIONAL)
        if data is None:
            return None
        values: dict[str, Any] = {key: self.text(data, path, key) for key in ("claim", "claim_en", "quote")}
        values.update(
            id=self.identifier(data, path),
            note=self.optional_text(data, path, "note"),
            source=self.reference(data, path, "source", sources, "sources"),
            category=self.reference(data, path, "category", categories, "categories"),
            section=self.identifier(data, path, "section"),
            year=self.year(data, path),
            kind=self.choice(data, path, "kind", {k.value: k for k in Kind}),
            figures=self.figures(data, path),
            tags=self.tags(data, path),
        )
        source = sources.get(values["source"] or "")
        if source is not None and values["section"] is not None:
            declared = {section.id: section for section in source.sections}
            where = f"sources[{list(sources).index(source.id)}].sections"
            self.reference(data, path, "section", declared, where)
        self.unique(seen, values["id"], path, "fact")
        if values["kind"] is not None and values["figures"] is not None:
            self.kind_matches_figures(path, values["kind"], values["figures"])
        return Fact(**values) if self.found == before else None

    def figure(self, path: tuple[Any, ...], entry: object) -> Figure | None:
        before = self.found
        data = self.mapping(entry, path, FIGURE_INPUT_FIELDS)
        if data is None:
            return None
        values: dict[str, Any] = {key: self.text(data, path, key) for key in ("unit", "label", "label_en")}
        values.update(
            value=self.number(data, path),
            qualifier=self.choice(data, path, "qualifier", {q.value: q for q in Qualifier}),
        )
        if values["unit"] is not None:
            try:
                values["scale"] = self.units.unit(values["unit"])
            except UnknownUnitError as error:
                self.problem((*path, "unit"), str(error))
        if self.found == before:
            self.representable(path, values["value"], values["scale"])
        return Figure(**values) if self.found == before else None

    def representable(self, path: tuple[Any, ...], value: Decimal, scale: Unit) -> None:
        """Figures are output as JSON floats: a base value beyond the largest float would be
        written as Infinity, which is no JSON."""
        if not math.isfinite(float(value * scale.factor)):
            largest = "1.8e308, the largest number JSON output holds"
            self.problem((*path, "value"), f"is too large: in {scale.base} it is more than {largest}; correct it")

    # -- units -------------------------------------------------------------------------------
    def unit_table(self, items: list[Any]) -> Units:
        """The built-in units with those the file declares: each declared unit is checked as a
        whole, and one with a problem is left out (its figures are then unknown units)."""
        entries: list[tuple[tuple[Any, ...], Unit]] = []
        seen: dict[str, tuple[Any, ...]] = {}
        for n, item in enumerate(items):
            path, before = ("units", n), self.found
            data = self.mapping(item, path, UNIT_FIELDS)
            if data is None:
                continue
            values = [self.text(data, path, key) for key in ("unit", "base_unit")]
            factor, en = self.factor(data, path), self.text(data, path, "en")
            unit, base = values
            if unit is not None and unit in seen:
                first = self.located.position(seen[unit])
                where = f" (first at line {first[0]})" if first else ""
                self.problem((*path, "unit"), f"'{unit}' is declared twice{where}; keep one entry", "unique")
            elif unit is not None:
                seen[unit] = (*path, "unit")
            if unit is not None and base is not None and factor is not None and en is not None and self.found == before:
                entries.append((path, Unit(unit, base, factor, en)))
        new_bases = {entry.unit for _, entry in entries if entry.base == entry.unit}
        declared = []
        for path, entry in entries:
            if wrong := declaration_problem(entry, new_bases):
                self.problem((*path, wrong[0]), wrong[1])
            else:
                declared.append(entry)
        return Units(declared)

    def factor(self, data: dict[str, Any], path: tuple[Any, ...]) -> Any:
        """How many base units one declared unit is: a positive number, exact."""
        value = self.number(data, path, "factor")
        if value is not None and not value > 0:
            self.problem(
                (*path, "factor"), f"{data['factor']} is not a positive number; give how many base units one is"
            )
            return None
        return value

    # -- typed fields --------------------------------------------------------------------------
    def number(self, data: dict[str, Any], path: tuple[Any, ...], key: str = "value") -> Any:
        if key not in data:
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if isinstance(value, str) and _CHINESE_NUMBER.fullmatch(value.strip()):
                hint = "; write the number in digits (七千一百六十八 → 7168)"
            else:
                hint = "; write it without quotes" if isinstance(value, str) else ""
            self.problem((*path, key), f"expected a number, got {describe_type(value)}{hint}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem((*path, key), "must be a finite number")
            return None
        from decimal import Decimal

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
                got = "empty text" if isinstance(tag, str) else describe_type(tag)
                self.problem((*path, "tags", i), f"expected a non-empty text, got {got}; quote numbers, dates, yes/no")
            elif (key := next(folded)) in first:
                message = f"{tag!r} repeats tags[{first[key]}] ({items[first[key]]!r}) once folded"
                self.problem((*path, "tags", i), f"{message} (case, width, traditional and simplified); keep one")
            else:
                first[key] = i
        return tuple(items) if self.found == before else None

    def kind_matches_figures(self, path: tuple[Any, ...], kind: Kind, figures: tuple[Figure, ...]) -> None:
        if kind in KINDS_WITH_FIGURES and not figures:
            message = f"'{kind.value}' needs at least one figure (use 'measure' or 'plan' without)"
            self.problem((*path, "kind"), message, "kind-figures")
        if kind in KINDS_WITHOUT_FIGURES and figures:
            message = f"'{kind.value}' takes no figures (use 'outcome' or 'target' with figures)"
            self.problem((*path, "kind"), message, "kind-figures")

    # -- the file ----------------------------------------------------------------------------
    def fact_file(self, data: object) -> Parsed:
        if not isinstance(data, dict):
            got = describe_type(data)
            required = ", ".join(key for key in TOP_LEVEL_FIELDS if key not in TOP_LEVEL_OPTIONAL)
            self.problem((), f"expected a mapping with {required}, got {got}")
            return Parsed((), (), (), self.problems)
        top = self.mapping(data, (), TOP_LEVEL_FIELDS, TOP_LEVEL_OPTIONAL) or {}
        lists = {key: self.listing(top, (), key, key not in TOP_LEVEL_OPTIONAL) for key in TOP_LEVEL_FIELDS}
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


def parse(data: object, file: str, places: Places | None = None, ambiguous: Sequence[Ambiguous] = ()) -> Parsed:
    """The entries of loaded YAML that are valid, and a problem for everything that is not."""
    parser = _Parser(file, Located(data, places or {}))
    parser.ambiguous(ambiguous)
    return parser.fact_file(data)
