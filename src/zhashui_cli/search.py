"""Queries over an index: match, filter, rank, and the counts behind `categories` and `stats`.

Pure: everything comes from the Corpus handed in, nothing is printed or read from disk here.
decimal is imported only where amounts are compared, to keep it off the plain search path.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, NamedTuple

from .index import Corpus
from .text import fold
from .units import BASE_UNITS, MONEY_UNIT, Kind, UnknownUnitError, base_unit

if TYPE_CHECKING:
    from decimal import Decimal


class SortKey(str, Enum):
    RELEVANCE = "relevance"  # terms in the claims or tags first, then bulletin order
    BULLETIN = "bulletin"  # the order of the fact file
    VALUE = "value"  # largest (matching) figure first; facts without figures last
    YEAR = "year"  # oldest year first, then bulletin order


class QueryError(ValueError):
    """A filter value that cannot match anything in this fact base, with what would."""


class Filters(NamedTuple):
    """Each filter keeps facts that match any of its values; filters combine with AND."""

    categories: frozenset[str] = frozenset()
    years: frozenset[int] = frozenset()
    kinds: frozenset[Kind] = frozenset()
    tags: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    unit: str | None = None  # a base unit; a written unit (亿元) means its base (元)
    minimum: Decimal | None = None  # on base values
    maximum: Decimal | None = None

    @property
    def on_figures(self) -> bool:
        return self.unit is not None or self.minimum is not None or self.maximum is not None


class Query(NamedTuple):
    terms: tuple[str, ...] = ()  # folded (text.query_terms)
    filters: Filters = Filters()
    sort: SortKey | None = None  # None: relevance with terms, bulletin without
    limit: int | None = None


class Result(NamedTuple):
    records: tuple[dict[str, Any], ...]
    total: int  # matches before the limit


def parse_amount(text: str, option: str) -> Decimal:
    """A --min/--max value: a plain or scientific number (1e8, 924000000, 9.24e8)."""
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(text.strip().replace("_", ""))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise QueryError(f"{option} '{text}' is not a number; write it like 100000000 or 1e8")
    return value


def search(corpus: Corpus, query: Query) -> Result:
    chosen, total = rank(corpus, query)
    return Result(tuple(corpus.record(i) for i in chosen), total)


def rank(corpus: Corpus, query: Query) -> tuple[list[int], int]:
    """The indices of the facts to show, in order, and how many matched before the limit."""
    scores = _match(corpus, query.terms)
    candidates = _filter(corpus, query.filters, scores.keys() if scores is not None else range(corpus.count))
    ranked = _rank(corpus, query, candidates, scores or {})
    return (ranked if query.limit is None else ranked[: query.limit]), len(ranked)


def _match(corpus: Corpus, terms: Sequence[str]) -> dict[int, int] | None:
    """Fact → number of terms found in its primary text; None when there are no terms."""
    if not terms:
        return None
    scores: dict[int, int] | None = None
    for term in sorted(set(terms), key=len, reverse=True):  # longer terms tend to be rarer
        previous = scores or {}
        hits = corpus.find(term, among=previous.keys() if scores is not None else None)
        scores = {i: previous.get(i, 0) + primary for i, primary in hits.items()}
        if not scores:
            break
    return scores


def _filter(corpus: Corpus, filters: Filters, candidates: Iterable[int]) -> list[int]:
    kept = list(candidates)
    checks = [
        ("category", _indices(filters.categories, [c["id"] for c in corpus.categories], "category")),
        ("source", _indices(filters.sources, [s["id"] for s in corpus.sources], "source")),
        ("year", filters.years),
        ("kind", {kind.value for kind in filters.kinds}),
    ]
    for column, wanted in checks:
        if wanted:
            values = corpus.column(column)
            kept = [i for i in kept if values[i] in wanted]
    if filters.tags:
        wanted_tags = {fold(tag) for tag in filters.tags}
        tags = corpus.column("tags")
        kept = [i for i in kept if not wanted_tags.isdisjoint(tags[i])]
    if filters.on_figures:
        unit = _base_unit(filters.unit)
        amounts = corpus.column("amounts")
        kept = [i for i in kept if _amounts(amounts[i], unit, filters)]
    return kept


def _indices(wanted: frozenset[str], known: list[str], what: str) -> set[int]:
    unknown = sorted(wanted.difference(known))
    if unknown:
        raise QueryError(f"unknown {what} '{unknown[0]}'; known: {', '.join(known)}")
    return {known.index(value) for value in wanted}


def _base_unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    try:
        return base_unit(unit)
    except UnknownUnitError:
        raise QueryError(f"unknown unit '{unit}'; base units: {', '.join(BASE_UNITS)}") from None


def _amounts(amounts: list[list[str]], unit: str | None, filters: Filters) -> list[Decimal]:
    """The fact's base values that pass the unit, minimum and maximum filters."""
    from decimal import Decimal

    values = (Decimal(value) for amount_unit, value in amounts if unit is None or amount_unit == unit)
    return [
        value
        for value in values
        if (filters.minimum is None or value >= filters.minimum)
        and (filters.maximum is None or value <= filters.maximum)
    ]


def _rank(corpus: Corpus, query: Query, candidates: list[int], scores: dict[int, int]) -> list[int]:
    sort = query.sort or (SortKey.RELEVANCE if query.terms else SortKey.BULLETIN)
    if sort is SortKey.RELEVANCE:
        return sorted(candidates, key=lambda i: (-scores.get(i, 0), i))
    if sort is SortKey.YEAR:
        years = corpus.column("year")
        return sorted(candidates, key=lambda i: (years[i], i))
    if sort is SortKey.VALUE:
        amounts = corpus.column("amounts")
        unit = _base_unit(query.filters.unit)
        largest = {i: max(_amounts(amounts[i], unit, query.filters), default=None) for i in candidates}
        return sorted(candidates, key=lambda i: (largest[i] is None, -(largest[i] or 0), i))
    return sorted(candidates)


# -- show --------------------------------------------------------------------------------------
def find_fact(corpus: Corpus, fact_id: str) -> dict[str, Any] | None:
    ids = corpus.column("id")
    try:
        return corpus.record(ids.index(fact_id))
    except ValueError:
        return None


def suggest_ids(corpus: Corpus, fact_id: str, limit: int = 3) -> list[str]:
    """Ids that contain what was typed (three characters or more), else ids that look like it."""
    ids = corpus.column("id")
    wanted = fact_id.strip().lower()
    containing = [i for i in ids if len(wanted) >= 3 and wanted in i]
    if containing:
        return containing[:limit]
    import difflib  # only when an id was not found

    return difflib.get_close_matches(wanted, ids, n=limit, cutoff=0.6)


# -- categories and stats ---------------------------------------------------------------------
def years(corpus: Corpus) -> list[int]:
    return sorted(set(corpus.column("year")))


def category_rows(corpus: Corpus) -> list[dict[str, Any]]:
    per_category = Counter(corpus.column("category"))
    per_year = Counter(zip(corpus.column("category"), corpus.column("year"), strict=True))
    all_years = years(corpus)
    return [
        dict(
            category,
            facts=per_category[i],
            years={str(year): per_year[i, year] for year in all_years if per_year[i, year]},
        )
        for i, category in enumerate(corpus.categories)
    ]


def stats(corpus: Corpus, largest: int = 10) -> dict[str, Any]:
    from decimal import Decimal

    amounts = corpus.column("amounts")
    money = sorted(
        (
            (Decimal(value), i, n)
            for i, figures in enumerate(amounts)
            for n, (unit, value) in enumerate(figures)
            if unit == MONEY_UNIT
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )[:largest]
    kinds = Counter(corpus.column("kind"))
    per_year = Counter(corpus.column("year"))
    return {
        "facts": corpus.count,
        "figures": sum(len(figures) for figures in amounts),
        "by_category": [
            {
                "key": row["id"],
                "name": row["name"],
                "name_en": row["name_en"],
                "facts": row["facts"],
                "years": row["years"],
            }
            for row in category_rows(corpus)
        ],
        "by_year": [{"key": year, "facts": per_year[year]} for year in sorted(per_year)],
        "by_kind": [{"key": kind.value, "facts": kinds[kind.value]} for kind in Kind if kinds[kind.value]],
        "largest_amounts": [_amount(corpus.record(i), n) for _, i, n in money],
    }


def _amount(record: dict[str, Any], figure: int) -> dict[str, Any]:
    return {"id": record["id"], **record["figures"][figure]}
