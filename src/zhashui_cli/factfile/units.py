"""Units as the bulletin writes them, their base units, and amounts as people type them.

A figure keeps its value and unit exactly as the source writes them (9.24亿元) so that it can
be checked against its quote; comparisons and sorting use the base value, derived here with
exact decimal arithmetic (9.24亿元 → 924000000 元), never typed by hand.

Every run imports this module, so it stays light: decimal is imported only where text is
turned into an amount; the values handed in are Decimals.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from decimal import Decimal

# Base units a figure may be counted in. Magnitude words (万, 亿) are prefixes, so 万人次 and
# 亿元 need no entry of their own; a new base unit is a one-word addition here and in the schema.
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
    "percent": "%",
}


class UnknownUnitError(ValueError):
    """A unit that is neither a base unit, nor a magnitude word followed by one, nor an alias."""

    def __init__(self, unit: str) -> None:
        super().__init__(
            f"unknown unit '{unit}'; use a base unit ({', '.join(BASE_UNITS)}), or one after 万 or 亿 (万元, 亿元)"
        )
        self.unit = unit


class AmountError(ValueError):
    """Text that is not an amount."""


_AMOUNT_EXAMPLES = "write it like 100000000, 1e8 or 1亿"


class Unit(NamedTuple):
    multiplier: int
    base: str


def known_units() -> tuple[str, ...]:
    """Every unit a figure may be written in, base units first."""
    prefixed = tuple(magnitude + base for magnitude in MAGNITUDES for base in BASE_UNITS if base not in _UNPREFIXABLE)
    return BASE_UNITS + prefixed


def parse_unit(written: str) -> Unit:
    if written in BASE_UNITS:
        return Unit(1, written)
    magnitude, base = written[:1], written[1:]
    if magnitude in MAGNITUDES and base in BASE_UNITS and base not in _UNPREFIXABLE:
        return Unit(MAGNITUDES[magnitude], base)
    raise UnknownUnitError(written)


def base_unit(written: str) -> str:
    """The base unit of a written or base unit: 亿元 → 元, 元 → 元."""
    return parse_unit(written).base


def typed_unit(typed: str) -> str:
    """The base unit meant by what someone typed: a unit as written (亿元), or an alias (RMB)."""
    cleaned = typed.strip()
    alias = UNIT_ALIASES.get(cleaned.casefold())
    return alias if alias is not None else base_unit(cleaned)


def base_value(value: Decimal, unit: str) -> Decimal:
    """The value in the base unit, exact: Decimal('9.24') 亿元 → Decimal('924000000')."""
    scaled = value * parse_unit(unit).multiplier
    return scaled.to_integral_value() if scaled == scaled.to_integral_value() else scaled.normalize()


def parse_amount(text: str) -> Decimal:
    """An amount as typed: 924000000, 9.24e8, 1_000, or with a magnitude word, 1亿 or 3000万.
    An exponent beyond what decimal computes with (1e999999999) is out of range, not an
    overflow for the caller to catch."""
    from decimal import Decimal, InvalidOperation, Overflow

    cleaned = text.strip().replace("_", "").replace(",", "")
    multiplier = 1
    if cleaned[-1:] in MAGNITUDES:
        cleaned, multiplier = cleaned[:-1], MAGNITUDES[cleaned[-1]]
    try:
        value = Decimal(cleaned) * multiplier
    except InvalidOperation:
        value = Decimal("NaN")
    except Overflow:
        raise AmountError(f"'{text}' is out of range; {_AMOUNT_EXAMPLES}") from None
    if not value.is_finite():
        raise AmountError(f"'{text}' is not a number; {_AMOUNT_EXAMPLES}")
    return value


def written_number(value: Decimal) -> str:
    """The number as the bulletins write it in digits: 9.24, 3000, 101.5."""
    return format(value, "f")


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
    连续五年); it must not be part of a longer number.
    """
    spellings = [re.escape(written_number(value))]
    if value == value.to_integral_value():
        numeral = chinese_numeral(int(value))
        if numeral is not None:
            spellings.append(numeral)
    return re.compile(rf"(?<![\d.{_CHINESE_DIGITS}十])(?:{'|'.join(spellings)})(?![\d.])[余多]?{re.escape(unit)}")
