"""The fact file's types as the records the index stores and the library returns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhashui_cli.records import (
    CategoryRecord,
    FactRecord,
    FigureRecord,
    SectionRecord,
    SourceRecord,
    UnitRecord,
)

if TYPE_CHECKING:
    from decimal import Decimal

    from .model import Category, Fact, Figure, Section, Source
    from .units import Unit


def number(value: Decimal) -> float:
    """A figure's number for JSON: always a float (924000000.0), so that its type never depends
    on which facts a query found; the shortest one that reads back as the decimal."""
    return float(value)


def figure_record(figure: Figure) -> FigureRecord:
    return {
        "value": number(figure.value),
        "unit": figure.unit,
        "qualifier": figure.qualifier.value,
        "label": figure.label,
        "label_en": figure.label_en,
        "base_value": number(figure.base_value),
        "base_unit": figure.base_unit,
    }


def unit_record(unit: Unit) -> UnitRecord:
    """A declared unit (which has an English name) as the index and the exports keep it."""
    return {"unit": unit.unit, "base_unit": unit.base, "factor": float(unit.factor), "en": unit.en or ""}


def fact_record(fact: Fact) -> FactRecord:
    return {
        "id": fact.id,
        "source": fact.source,
        "section": fact.section,
        "category": fact.category,
        "year": fact.year,
        "kind": fact.kind.value,
        "claim": fact.claim,
        "claim_en": fact.claim_en,
        "quote": fact.quote,
        "note": fact.note,
        "tags": list(fact.tags),
        "figures": [figure_record(figure) for figure in fact.figures],
    }


def category_record(category: Category) -> CategoryRecord:
    return {"id": category.id, "name": category.name, "name_en": category.name_en, "description": category.description}


def section_record(section: Section) -> SectionRecord:
    return {
        "id": section.id,
        "title": section.title,
        "title_en": section.title_en,
        "year": section.year,
        "start": section.start,
    }


def source_record(source: Source) -> SourceRecord:
    return {
        "id": source.id,
        "title": source.title,
        "title_en": source.title_en,
        "published": source.published,
        "publisher": source.publisher,
        "url": source.url,
        "accessed": source.accessed,
        "language": source.language,
        "text": source.text,
        "sections": [section_record(section) for section in source.sections],
        "names": [{"pattern": name.pattern, "reason": name.reason, "en": name.en} for name in source.names],
    }
