from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhashui_cli.factfile.as_records import number
from zhashui_cli.factfile.model import Qualifier
from zhashui_cli.factfile.units import (
    BASE_UNITS,
    BUILT_IN,
    AmountError,
    UnknownUnitError,
    chinese_numeral,
    figure_pattern,
    written_number,
)


@pytest.mark.parametrize(
    ("value", "unit", "expected", "base"),
    [
        ("9.24", "亿元", 924_000_000, "元"),
        ("13.59", "亿元", 1_359_000_000, "元"),
        ("3000", "万元", 30_000_000, "元"),
        ("3.55", "万人次", 35_500, "人次"),
        ("1.58", "万平方米", 15_800, "平方米"),
        ("1.7", "万户", 17_000, "户"),
        ("16.4", "%", 16.4, "%"),
        ("85.1", "公里", 85.1, "公里"),
        ("151", "个", 151, "个"),
        # units county reports count in
        ("2000", "万袋", 20_000_000, "袋"),
        ("1", "万亩", 10_000, "亩"),
        ("1.2", "万吨", 12_000, "吨"),
        ("350", "吨", 350, "吨"),
        ("500", "头", 500, "头"),
        ("3.6", "万只", 36_000, "只"),
        ("120", "户次", 120, "户次"),
        ("1.5", "万户次", 15_000, "户次"),
        ("10", "万株", 100_000, "株"),
    ],
)
def test_base_values_are_exact(value: str, unit: str, expected: float, base: str) -> None:
    result = BUILT_IN.base_value(Decimal(value), unit)
    assert result == Decimal(str(expected))
    assert number(result) == expected
    assert type(number(result)) is float  # whole or not: a column's type never depends on the query
    assert BUILT_IN.unit(unit).base == base


@given(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False))
def test_yi_is_exactly_ten_to_the_eighth(value: Decimal) -> None:
    result = BUILT_IN.base_value(value, "亿元")
    assert result == value * 10**8
    assert result == result.to_integral_value()  # four decimal places of 亿 are whole yuan
    assert number(result) == float(value * 10**8)


def test_numbers_round_trip_to_the_written_value() -> None:
    assert number(Decimal("9.24")) == 9.24
    assert repr(number(Decimal("9.24"))) == "9.24"
    assert number(Decimal("101.5")) == 101.5


@pytest.mark.parametrize("unit", ["斤", "万%", "亿年", "", "元元", "万"])
def test_unknown_units_are_refused(unit: str) -> None:
    with pytest.raises(UnknownUnitError):
        BUILT_IN.unit(unit)


def test_every_known_unit_parses_to_a_base_unit() -> None:
    for unit in BUILT_IN.known():
        assert BUILT_IN.unit(unit).base in BASE_UNITS
    assert {"亿元", "万元", "万人次", "万平方米", "万亩", "%"} <= set(BUILT_IN.known())


@pytest.mark.parametrize(
    ("number", "numeral"), [(0, "零"), (3, "三"), (6, "六"), (10, "十"), (15, "十五"), (21, "二十一")]
)
def test_chinese_numerals(number: int, numeral: str) -> None:
    assert chinese_numeral(number) == numeral


def test_no_chinese_numeral_beyond_ninety_nine() -> None:
    assert chinese_numeral(100) is None
    assert chinese_numeral(-1) is None


@pytest.mark.parametrize(
    ("value", "unit", "quote"),
    [
        ("9.24", "亿元", "协调金融贷款9.24亿元"),
        ("3000", "万元", "落实减税降费3000余万元"),
        ("6", "项", "农村宅基地制度等六项国省改革试点"),
        ("5", "年", "连续五年获评"),
        ("1680", "人", "城镇新增就业1680人以上"),
    ],
)
def test_figure_pattern_finds_the_number_as_written(value: str, unit: str, quote: str) -> None:
    assert figure_pattern(Decimal(value), unit).search(quote)


@pytest.mark.parametrize(
    ("value", "unit", "quote"),
    [
        ("3", "家", "培育“五上”企业13家"),  # part of a longer number
        ("5", "年", "连续十五年"),
        ("9.2", "亿元", "贷款9.24亿元"),
        ("9.24", "万元", "贷款9.24亿元"),  # the unit differs
        ("9.24", "亿元", "贷款9.24，亿元"),  # not adjacent
    ],
)
def test_figure_pattern_rejects_near_misses(value: str, unit: str, quote: str) -> None:
    assert not figure_pattern(Decimal(value), unit).search(quote)


def test_written_number_keeps_the_digits_as_written() -> None:
    assert written_number(Decimal("9.24")) == "9.24"
    assert written_number(Decimal("3000")) == "3000"


def test_qualifier_symbols() -> None:
    assert [q.symbol for q in Qualifier] == ["", ">", "≥", "≈"]


@pytest.mark.parametrize(
    ("typed", "base"),
    [
        ("元", "元"),
        ("亿元", "元"),
        ("yuan", "元"),
        ("RMB", "元"),
        ("cny", "元"),
        ("km", "公里"),
        ("m2", "平方米"),
        ("sqm", "平方米"),
        ("mu", "亩"),
        ("tonnes", "吨"),
        ("bags", "袋"),
        ("head", "头"),
        ("万袋", "袋"),
        ("%", "%"),
    ],
)
def test_units_people_type(typed: str, base: str) -> None:
    assert BUILT_IN.typed(typed).base == base


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1e8", "100000000"),
        ("1亿", "100000000"),
        ("3000万", "30000000"),
        ("9.24亿", "924000000"),
        ("1_000", "1000"),
        ("1,000", "1000"),
    ],
)
def test_amounts_people_type(typed: str, value: str) -> None:
    assert BUILT_IN.amount(typed) == (Decimal(value), None)


@pytest.mark.parametrize("typed", ["abc", "nan", "inf", "", "1e", "亿"])
def test_amounts_must_be_finite_numbers(typed: str) -> None:
    with pytest.raises(AmountError, match="is not a number; write it like 100000000, 1e8 or 1亿"):
        BUILT_IN.amount(typed)


@pytest.mark.parametrize("typed", ["1e999999999", "-1e999999999", "9e999999亿"])
def test_amounts_beyond_every_decimal_are_out_of_range(typed: str) -> None:
    with pytest.raises(AmountError, match=f"^'{typed}' is out of range; write it like 100000000, 1e8 or 1亿$"):
        BUILT_IN.amount(typed)
