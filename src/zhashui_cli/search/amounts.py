"""The amount filters (--unit, --min, --max) on the figures as the index stores them: numbers.

A filter on amounts alone runs over every figure of the base, so it must not parse them: the
index keeps each base unit's figures sorted by base value as doubles (index/corpus.py,
array.figures.*), and a filter bisects the block of each unit it admits. Doubles order
decimals as the decimals order (rounding is monotonic), so only a figure whose double equals a
bound's may fall on the wrong side; those few are decided on their exact decimal text.
"""

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Protocol

from zhashui_cli.index.corpus import Corpus

if TYPE_CHECKING:
    from decimal import Decimal


class AmountFilters(Protocol):
    """What of engine.Filters this module reads."""

    @property
    def unit(self) -> str | None: ...
    @property
    def minimum(self) -> "Decimal | None": ...
    @property
    def maximum(self) -> "Decimal | None": ...


def facts_within(corpus: Corpus, filters: AmountFilters) -> set[int]:
    """The facts with a figure in the unit and between the amounts of the filters."""
    units: list[str] = corpus.json("units")
    blocks, values, facts = (corpus.numbers(f"figures.{name}") for name in ("blocks", "values", "facts"))
    found: set[int] = set()
    for n, unit in enumerate(units):
        if filters.unit is not None and unit != filters.unit:
            continue
        low, high = blocks[n], blocks[n + 1]
        if filters.minimum is not None:
            bound = float(filters.minimum)
            low = _first(corpus, bisect_left(values, bound, low, high), high, bound, filters.minimum)
        if filters.maximum is not None:
            bound = float(filters.maximum)
            high = _last(corpus, bisect_right(values, bound, low, high), low, bound, filters.maximum)
        found.update(facts[low:high])
    return found


def _first(corpus: Corpus, at: int, end: int, bound: float, minimum: "Decimal") -> int:
    """The first figure at or after at whose exact value is at least minimum: past those whose
    double equals the bound's but whose decimal is smaller."""
    values = corpus.numbers("figures.values")
    while at < end and values[at] == bound and _exact(corpus, at) < minimum:
        at += 1
    return at


def _last(corpus: Corpus, at: int, start: int, bound: float, maximum: "Decimal") -> int:
    """The end of the figures before at whose exact value is at most maximum."""
    values = corpus.numbers("figures.values")
    while at > start and values[at - 1] == bound and _exact(corpus, at - 1) > maximum:
        at -= 1
    return at


def _exact(corpus: Corpus, at: int) -> "Decimal":
    from decimal import Decimal

    return Decimal(corpus.json("figures.exact")[at])
