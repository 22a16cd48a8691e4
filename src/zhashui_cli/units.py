"""The vocabularies of a fact: units as written and their base units, qualifiers, kinds.

A figure keeps its value and unit exactly as the source writes them (9.24亿元) so that it can
be checked against its quote; comparisons and sorting use the base value, derived here with
exact decimal arithmetic (9.24亿元 → 924000000 元), never typed by hand.

Every run imports this module (the CLI offers the kinds as choices), so it stays light:
no dataclasses, and decimal only for type checking; the values handed in are Decimals.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from decimal import Decimal


class Kind(str, Enum):
    """What sort of claim a fact is."""

    OUTCOME = "outcome"  # a measured result; has at least one figure
    HONOUR = "honour"  # an honour, award, designation, pilot status or first
    MEASURE = "measure"  # a qualitative action or result; no figures
    PLAN = "plan"  # an intention without a quantitative target; no figures
    TARGET = "target"  # a plan with at least one quantitative target


class Qualifier(str, Enum):
    """How the written value bounds the real one."""

    EXACT = "exact"
    MORE_THAN = "more_than"  # 余, 突破, 超过, 多
    AT_LEAST = "at_least"  # 以上, 不少于
    APPROXIMATELY = "approximately"  # 约, 近, 左右

    @property
    def symbol(self) -> str:
        """A prefix for compact display: >3000万元, ≥1680人."""
        return _QUALIFIER_SYMBOLS[self]


_QUALIFIER_SYMBOLS = {
    Qualifier.EXACT: "",
    Qualifier.MORE_THAN: ">",
    Qualifier.AT_LEAST: "≥",
    Qualifier.APPROXIMATELY: "≈",
}

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
    "个",
    "家",
    "座",
    "所",
    "件",
    "项",
    "期",
    "次",
    "年",
    "%",
)
MAGNITUDES = {"万": 10**4, "亿": 10**8}
MONEY_UNIT = "元"
_UNPREFIXABLE = {"%", "年"}


class UnknownUnitError(ValueError):
    """A unit that is neither a base unit nor a magnitude word followed by one."""


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


def base_value(value: Decimal, unit: str) -> Decimal:
    """The value in the base unit, exact: Decimal('9.24') 亿元 → Decimal('924000000')."""
    scaled = value * parse_unit(unit).multiplier
    return scaled.to_integral_value() if scaled == scaled.to_integral_value() else scaled.normalize()


def json_number(value: Decimal) -> int | float:
    """A JSON-ready number: integral values as int, others as the shortest float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


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
    """Where a figure stands in its quote: its number as written, then an optional 余, then its unit.

    The number may be written in digits (9.24亿元) or, for small integers, in Chinese (六项,
    连续五年); it must not be part of a longer number.
    """
    spellings = [re.escape(written_number(value))]
    if value == value.to_integral_value():
        numeral = chinese_numeral(int(value))
        if numeral is not None:
            spellings.append(numeral)
    return re.compile(rf"(?<![\d.{_CHINESE_DIGITS}十])(?:{'|'.join(spellings)})(?![\d.])余?{re.escape(unit)}")
