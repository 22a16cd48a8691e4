"""What callers type, turned into search filters: categories by id or name, years, kinds, tags,
sections, units and amounts as people write them. A value that can match nothing is a
QueryError that says what would (did you mean …; known: …)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from zhashui_cli._i18n import Message
from zhashui_cli.errors import NAMED, QueryError
from zhashui_cli.factfile.folding import fold
from zhashui_cli.factfile.units import AmountError, Unit, Units, UnknownUnitError
from zhashui_cli.factfile.vocabulary import KIND_NAMES_ZH, Kind
from zhashui_cli.index.corpus import Corpus
from zhashui_cli.suggest import did_you_mean

from .engine import Filters, SortKey

if TYPE_CHECKING:
    from decimal import Decimal

Values = str | int | Iterable[str | int] | None  # one filter value, or any of several
E = TypeVar("E", SortKey, Kind)


def filters(
    corpus: Corpus,
    *,
    category: Values = None,
    year: Values = None,
    kind: Values = None,
    tag: Values = None,
    source: Values = None,
    section: Values = None,
    unit: str | None = None,
    minimum: object = None,
    maximum: object = None,
) -> Filters:
    """The filters callers give (base.SearchFilters) as the engine tests them."""
    base_unit, low, high = _on_figures(corpus, unit, minimum, maximum)
    return Filters(
        categories=_categories(corpus, _values(category)),
        sources=_sources(corpus, _values(source)),
        years=_years(corpus, _values(year)),
        kinds=frozenset(_kind(value) for value in _values(kind)),
        sections=frozenset(_sections(corpus, _values(section))),
        tags=_tags(corpus, _values(tag)),
        unit=base_unit,
        minimum=low,
        maximum=high,
    )


def _values(value: Values) -> list[str]:
    """The values a filter was given, each without the white space around it (" 2023-highlight-2 "
    names the section as "2023-highlight-2" does, as every other filter reads it)."""
    if value is None:
        return []
    if isinstance(value, (str, int)):
        return [str(value).strip()]
    return [str(item).strip() for item in value]


def choice(enum: type[E], value: object, what: str, names: Mapping[str, E] | None = None) -> E:
    """The member of enum that value names: its value in any case, or one of names (another
    spelling of a member, such as a kind's Chinese name)."""
    text = value.value if isinstance(value, enum) else str(value).strip().lower()
    spellings = {member.value: member for member in enum} | dict(names or {})
    if text in spellings:
        return spellings[text]
    offered = {
        spelling: spelling if spelling in (names or {}) else member.value for spelling, member in spellings.items()
    }
    other = {member: spelling for spelling, member in (names or {}).items()}
    known = [f"{m.value} ({other[m]})" if m in other else m.value for m in enum]
    raise _unknown(what, str(value), known, suggested=offered, choose=True)


def _kind(value: str) -> Kind:
    """A kind by its name in English or Chinese (plan, 计划)."""
    return choice(Kind, value, "kind", {name: kind for kind, name in KIND_NAMES_ZH.items()})


def _unknown(
    what: str,
    value: str,
    known: Sequence[str],
    *,
    listed: bool = True,
    suggested: Mapping[str, str] | None = None,
    choose: bool = False,
) -> QueryError:
    """An unknown filter value, with the known values that look like it (or like one of the
    other spellings suggested maps to what it offers), and all of them (to choose from, when
    choose: a closed list such as the kinds)."""
    parts = {
        "what": NAMED.get(what, what),
        "value": value,
        "hint": did_you_mean(value, known if suggested is None else suggested, fold=fold),
        "known": ", ".join(known),
    }
    if not listed:
        return QueryError(Message("unknown {what} '{value}'{hint}", **parts))
    if choose:
        return QueryError(Message("unknown {what} '{value}'{hint}; use one of {known}", **parts))
    return QueryError(Message("unknown {what} '{value}'{hint}; known: {known}", **parts))


def _sources(corpus: Corpus, values: list[str]) -> frozenset[int]:
    """Sources named by id, in any case; the sources are read only when one is named."""
    if not values:
        return frozenset()
    known = [source["id"] for source in corpus.sources]
    folded = [fold(k) for k in known]
    numbers = set()
    for value in values:
        if fold(value) not in folded:
            raise _unknown("source", value, known)
        numbers.add(folded.index(fold(value)))
    return frozenset(numbers)


def _categories(corpus: Corpus, values: list[str]) -> frozenset[int]:
    """Categories named by id, Chinese name or English name, in any case."""
    if not values:
        return frozenset()
    names = {fold(name): n for n, c in enumerate(corpus.categories) for name in (c["id"], c["name"], c["name_en"])}
    # A near miss is offered by its id, or by its Chinese name when that is what it is near.
    offered = {name: c["id"] for c in corpus.categories for name in (c["id"], c["name_en"])}
    offered |= {c["name"]: c["name"] for c in corpus.categories}
    for value in values:
        if fold(value) not in names:
            raise _unknown("category", value, [c["id"] for c in corpus.categories], suggested=offered)
    return frozenset(names[fold(value)] for value in values)


def _years(corpus: Corpus, values: list[str]) -> frozenset[int]:
    """Years in digits. A year no fact is about is a valid filter that finds nothing, as a
    query for a word no fact has: 2025 is a year, "twenty" is not."""
    if not values:
        return frozenset()
    wanted = set()
    for value in values:
        if not value.strip().isdigit():
            from .counts import years

            present = ", ".join(map(str, years(corpus)))
            raise QueryError(
                Message("'{value}' is not a year; give one in digits: {years}", value=value, years=present)
            )
        wanted.add(int(value))
    return frozenset(wanted)


def _sections(corpus: Corpus, values: list[str]) -> set[str]:
    if not values:
        return set()
    known = [section["id"] for s in corpus.sources for section in s["sections"]]
    for value in values:
        if value not in known:
            raise _unknown("section", value, known)
    return set(values)


def _tags(corpus: Corpus, values: list[str]) -> frozenset[str]:
    if not values:
        return frozenset()
    known = {tag for tags in corpus.json("tags") for tag in tags}
    for value in values:
        if fold(value) not in known:
            raise _unknown("tag", value, sorted(known), listed=False)
    return frozenset(fold(value) for value in values)


def _on_figures(
    corpus: Corpus, unit: str | None, minimum: object, maximum: object
) -> tuple[str | None, Decimal | None, Decimal | None]:
    """The unit and amount filters together, as a base unit and base values. A bare number is
    read in the unit (unit 万元, minimum 5000: 5000万元, so 50000000 元); one with a magnitude
    word in its base unit (1亿: 1亿元); one with a unit of its own as written (1亿元, 3万亩).
    An amount's own unit is the unit filter when none is given, and must agree with it."""
    if unit is None and minimum is None and maximum is None:
        return None, None, None
    table = corpus.memo("units", lambda indexed: Units.of_records(indexed.units))
    wanted = _unit(table, unit)
    base = wanted.base if wanted is not None else None
    amounts: list[Decimal | None] = []
    for value, what in ((minimum, "minimum"), (maximum, "maximum")):
        amount, named = _amount(table, value, what, wanted)
        if named is not None and base is not None and named != base:
            raise QueryError(
                Message(
                    "{what} '{value}' is in {named}, but the unit is {base};"
                    " give it in {base}, or as a bare number in the unit",
                    what=NAMED[what],
                    value=value,
                    named=named,
                    base=base,
                )
            )
        base = base or named
        amounts.append(amount)
    return base, amounts[0], amounts[1]


def _unit(table: Units, unit: str | None) -> Unit | None:
    if unit is None:
        return None
    try:
        return table.typed(unit)
    except UnknownUnitError as error:
        raise QueryError(error.message) from None


def _amount(table: Units, value: object, what: str, unit: Unit | None) -> tuple[Decimal | None, str | None]:
    """An amount as a base value, with the base unit it names itself (None if it names none)."""
    if value is None:
        return None, None
    from decimal import Decimal

    if isinstance(value, Decimal):
        return value * (unit.factor if unit is not None else 1), None
    try:
        return table.amount(str(value), unit)
    except AmountError as error:
        raise QueryError(Message("{what} {reason}", what=NAMED[what], reason=error.message)) from None
