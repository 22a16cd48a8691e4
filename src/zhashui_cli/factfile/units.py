"""Units as the bulletin writes them, their base units, and amounts as people type them.

A figure keeps its value and unit exactly as the source writes them (9.24亿元) so that it can
be checked against its quote; comparisons and sorting use the base value, derived here with
exact decimal arithmetic (9.24亿元 → 924000000 元), never typed by hand.

Every run imports this module, so it stays light: decimal is imported only where text is
turned into an amount; the values handed in are Decimals.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from zhashui_cli._i18n import Message

if TYPE_CHECKING:
    from decimal import Decimal

    from zhashui_cli.records import UnitRecord

# Base units a figure may be counted in. Magnitude words (万, 亿) are prefixes, so 万人次 and
# 亿元 need no entry of their own; a new base unit is a one-word addition here (then run
# scripts/gen_schemas.py, which lists BUILT_IN.known() in schema/facts.schema.json). A fact file
# declares the units it needs beyond these (its `units:` list), which join the same table.
BASE_UNITS = (
    "元",
    "平方米",
    "公里",
    "亩",
    "人",
    "人次",
    "户",
    "户次",
    "个",
    "家",
    "座",
    "所",
    "件",
    "项",
    "期",
    "次",
    "年",
    "袋",  # bags, as county reports count edible-fungus substrate (2000万袋)
    "吨",
    "头",  # head of livestock
    "只",  # poultry and other small animals
    "株",  # plants and trees
    "公顷",  # hectares, beside 亩 in forestry and land figures
    "立方米",  # cubic metres: timber, water, earthworks
    "千瓦",  # kilowatts of installed capacity (万千瓦)
    "千瓦时",  # kilowatt-hours of electricity (亿千瓦时)
    "辆",  # vehicles
    "台",  # machines and sets of equipment
    "套",  # sets, and dwellings of housing projects
    "名",  # people counted by name: trainees, staff, students
    "张",  # beds of hospitals and homes
    "条",  # roads, lines, routes
    "%",
)
MAGNITUDES = {"万": 10**4, "亿": 10**8}
MONEY_UNIT = "元"
_UNPREFIXABLE = {"%", "年"}

# What people type for a base unit: the one table behind --unit and its completion.
UNIT_ALIASES = {
    "yuan": "元",
    "rmb": "元",
    "cny": "元",
    "km": "公里",
    "m2": "平方米",
    "m²": "平方米",
    "sqm": "平方米",
    "㎡": "平方米",
    "mu": "亩",
    "tonne": "吨",
    "tonnes": "吨",
    "bags": "袋",
    "head": "头",
    "ha": "公顷",
    "hectares": "公顷",
    "m3": "立方米",
    "m³": "立方米",
    "kw": "千瓦",
    "kwh": "千瓦时",
    "vehicles": "辆",
    "percent": "%",
}


class UnknownUnitError(ValueError):
    """A unit that is neither in the table (a base unit, one after a magnitude word, a declared
    unit) nor an alias."""

    def __init__(self, unit: str, declared: Sequence[str] = (), *, in_file: bool = True) -> None:
        listed = Message("; declared: {units}", units=", ".join(declared)) if declared else ""
        hint = Message(", or declare it under units: {{unit: {unit}, base_unit: …, factor: …, en: …}}", unit=unit)
        self.message = Message(
            "unknown unit '{unit}'; use a base unit ({bases}), or one after 万 or 亿 (万元, 亿元){listed}{hint}",
            unit=unit,
            bases=", ".join(BASE_UNITS),
            listed=listed,
            hint=hint if in_file else "",
        )
        super().__init__(str(self.message))
        self.unit = unit


class AmountError(ValueError):
    """Text that is not an amount."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


_AMOUNT_EXAMPLES = Message("write it like 100000000, 1e8 or 1亿")


class Unit(NamedTuple):
    """A unit of the table: as a figure writes it, its base unit, how many base units one of
    it is, and its English name where English claims write it (a declared unit; the built-in
    ones are stated in English by their base value)."""

    unit: str
    base: str
    factor: int | Decimal
    en: str | None = None


def _built_in() -> dict[str, Unit]:
    table = {base: Unit(base, base, 1) for base in BASE_UNITS}
    for magnitude, factor in MAGNITUDES.items():
        table.update((magnitude + b, Unit(magnitude + b, b, factor)) for b in BASE_UNITS if b not in _UNPREFIXABLE)
    return table


_BUILT_IN = _built_in()


class Units:
    """The unit table a fact file's figures are read in: the built-in units, and the ones the
    file declares, looked up alike. BUILT_IN is the table of a file that declares none."""

    def __init__(self, declared: Sequence[Unit] = ()) -> None:
        self.declared = tuple(declared)
        self._table = _BUILT_IN | {unit.unit: unit for unit in self.declared}
        self._english = {unit.en.casefold(): unit for unit in self.declared if unit.en}

    @classmethod
    def of_records(cls, records: Iterable[UnitRecord]) -> Units:
        """The table of a fact file whose declared units are these records (as the index keeps
        them); a factor that is not whole is read back as the decimal it was written as."""

        def factor(value: float) -> int | Decimal:
            from decimal import Decimal  # only for a factor that is not whole: --unit stays light

            return int(value) if value.is_integer() else Decimal(repr(value))

        return cls([Unit(r["unit"], r["base_unit"], factor(float(r["factor"])), r["en"]) for r in records])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Units) and other.declared == self.declared

    def __hash__(self) -> int:
        return hash(self.declared)

    def __repr__(self) -> str:
        return f"Units({list(self.declared)!r})"

    def known(self) -> tuple[str, ...]:
        """Every unit a figure may be written in: base units first, declared ones last."""
        return tuple(self._table)

    def unit(self, written: str) -> Unit:
        """The unit a figure writes: 亿元 → 10**8 元."""
        found = self._table.get(written)
        if found is None:
            raise UnknownUnitError(written, [unit.unit for unit in self.declared])
        return found

    def typed(self, typed: str) -> Unit:
        """The unit meant by what someone typed: a unit as written (万元), an alias of a base
        unit (RMB), or the English name of a declared unit (ten thousand bags)."""
        cleaned = typed.strip()
        alias = UNIT_ALIASES.get(cleaned.casefold())
        found = self._table.get(alias if alias is not None else cleaned) or self._english.get(cleaned.casefold())
        if found is None:
            raise UnknownUnitError(typed, [unit.unit for unit in self.declared], in_file=False)
        return found

    def base_value(self, value: Decimal, unit: str) -> Decimal:
        """The value in its base unit, exact: Decimal('9.24') 亿元 → Decimal('924000000')."""
        return exact(value * self.unit(unit).factor)

    def amount(self, text: str, unit: Unit | None = None) -> tuple[Decimal, str | None]:
        """An amount as typed, as a base value, with the base unit it names (None if none): a
        number (924000000, 9.24e8, 1_000, 1,000) read in `unit` (--unit 万元: 5000 is 5000万元);
        with a magnitude word (1亿, 3000万), in `unit` without its own (1亿 in 万元 is 1亿元); or
        with a unit of its own (1亿元, 3万亩), as written. An exponent beyond what decimal computes with (1e999999999)
        is out of range, not an overflow for the caller to catch."""
        cleaned = text.strip().replace(",", "")  # Decimal reads 1_000 itself
        named = next((u for u in sorted(self._table, key=len, reverse=True) if cleaned.endswith(u)), None)
        if named is not None:
            written = self._table[named]
            return _number(text, cleaned[: -len(named)], written.factor), written.base
        if cleaned[-1:] in MAGNITUDES:
            plain = self._without_magnitude(unit) if unit else None
            return _number(
                text, cleaned[:-1], MAGNITUDES[cleaned[-1]] * (plain.factor if plain else 1)
            ), plain.base if plain else None
        return _number(text, cleaned, unit.factor if unit else 1), unit.base if unit else None

    def _without_magnitude(self, unit: Unit) -> Unit:
        """The unit without its magnitude word, where it has one: 万元 → 元, 万箱 → 箱 (if
        known), 公斤 → 公斤. A number with 万 or 亿 of its own is in this unit (--unit 万元 --min
        1亿 is 1亿元, not 1亿万元; --unit 公斤 --min 1万 is 1万公斤)."""
        rest = self._table.get(unit.unit[1:]) if unit.unit[:1] in MAGNITUDES else None
        return rest if rest is not None else unit


BUILT_IN = Units()


def declaration_problem(declared: Unit, new_bases: Collection[str]) -> tuple[str, Message] | None:
    """What is wrong with a unit a fact file declares, as (its field, a message), or None.
    new_bases: the units the file declares as their own base units, which others may count in."""
    if (built_in := _BUILT_IN.get(declared.unit)) is not None:
        message = Message(
            "'{unit}' is built in ({factor} {base}); remove this entry",
            unit=declared.unit,
            factor=built_in.factor,
            base=built_in.base,
        )
        return "unit", message
    if declared.base == declared.unit:
        return None if declared.factor == 1 else ("factor", Message("a unit that is its own base unit has factor 1"))
    if declared.base in new_bases:
        return None
    base = _BUILT_IN.get(declared.base)
    if base is None:
        message = Message(
            "unknown unit '{unit}'; use a base unit, or declare it as its own: "
            "{{unit: {unit}, base_unit: {unit}, factor: 1, en: …}}",
            unit=declared.base,
        )
        return "base_unit", message
    if base.base != base.unit:
        message = Message(
            "'{unit}' is not a base unit ({factor} {base}); "
            "write base_unit: {base} and multiply the factor by {factor}",
            unit=base.unit,
            factor=base.factor,
            base=base.base,
        )
        return "base_unit", message
    return None


def exact(value: Decimal) -> Decimal:
    """A Decimal in its shortest exact form: whole numbers without an exponent (924000000)."""
    return value.to_integral_value() if value == value.to_integral_value() else value.normalize()


def _number(text: str, digits: str, factor: int | Decimal) -> Decimal:
    from decimal import Decimal, InvalidOperation, Overflow

    try:
        value = Decimal(digits) * factor
    except InvalidOperation:
        value = Decimal("NaN")
    except Overflow:
        raise AmountError(
            Message("'{text}' is out of range; {examples}", text=text, examples=_AMOUNT_EXAMPLES)
        ) from None
    if not value.is_finite():
        raise AmountError(Message("'{text}' is not a number; {examples}", text=text, examples=_AMOUNT_EXAMPLES))
    return value


def written_number(value: Decimal | float, *, grouped: bool = False) -> str:
    """A number for people, the one way zhashui writes one: in digits as the bulletins write
    them (9.24, 3000, 101.5), never with an exponent or a needless fraction (not 3E+3, 3000.0,
    1e-05); grouped, in thousands as English writes them (924,000,000; 1,234.5).

    Figures are exact Decimals in the fact file and floats in records (JSON): both read the
    same, so that a check's message, a table and a pipe never show one number two ways. A float
    is written as the shortest digits that read back as it (repr's), without importing decimal
    on the warm path unless repr would use an exponent."""
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = repr(value)
        if "e" in text:
            from decimal import Decimal

            text = format(Decimal(text), "f")
        elif text.endswith(".0"):
            text = text[:-2]
    else:
        text = format(value, "f")
    if not grouped:
        return text
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, point, fraction = digits.partition(".")
    return f"{sign}{int(whole):,}{point}{fraction}"


_CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str | None:
    """The Chinese numeral of 0..99 (六, 十, 二十一), or None beyond that range."""
    if not 0 <= number < 100:
        return None
    tens, units = divmod(number, 10)
    if tens == 0:
        return _CHINESE_DIGITS[units]
    head = "" if tens == 1 else _CHINESE_DIGITS[tens]
    return head + "十" + (_CHINESE_DIGITS[units] if units else "")


def figure_pattern(value: Decimal, unit: str) -> re.Pattern[str]:
    """Where a figure stands in its quote: its number as written, then an optional 余 or 多,
    then its unit.

    The number may be written in digits (9.24亿元) or, for small integers, in Chinese (六项,
    连续五年); it must not be part of a longer number: no digit, point or numeral stands before
    it, and its unit (or 余, 多) right after it, so none can follow it either.
    """
    spellings = [re.escape(written_number(value))]
    if value == value.to_integral_value():
        numeral = chinese_numeral(int(value))
        if numeral is not None:
            spellings.append(numeral)
    return re.compile(rf"(?<![\d.{_CHINESE_DIGITS}十])(?:{'|'.join(spellings)})[余多]?{re.escape(unit)}")
