from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhashui_cli.factfile.as_records import number, unit_record
from zhashui_cli.factfile.units import (
    BASE_UNITS,
    BUILT_IN,
    AmountError,
    Unit,
    Units,
    UnknownUnitError,
    chinese_numeral,
    declaration_problem,
    figure_pattern,
    written_number,
)
from zhashui_cli.factfile.vocabulary import Qualifier


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
        ("1.33", "万公顷", 13_300, "公顷"),
        ("12.5", "万立方米", 125_000, "立方米"),
        ("3.2", "万千瓦", 32_000, "千瓦"),
        ("1.08", "亿千瓦时", 108_000_000, "千瓦时"),
        ("260", "辆", 260, "辆"),
        ("45", "台", 45, "台"),
        ("1200", "套", 1200, "套"),
        ("3.6", "万名", 36_000, "名"),
        ("580", "张", 580, "张"),
        ("12", "条", 12, "条"),
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
        ("300", "人", "培训300多人"),  # 多, like 余, stands between the number and its unit
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


@pytest.mark.parametrize(
    ("exact", "written", "grouped"),
    [
        ("9.24", "9.24", "9.24"),
        ("3000", "3000", "3,000"),
        ("101.5", "101.5", "101.5"),
        ("924000000", "924000000", "924,000,000"),
        ("1234.5", "1234.5", "1,234.5"),
        ("-1234.5", "-1234.5", "-1,234.5"),
        ("-0.5", "-0.5", "-0.5"),  # the sign of a number below one survives grouping
        ("0.00001", "0.00001", "0.00001"),  # repr would write 1e-05
        ("1E+16", "10000000000000000", "10,000,000,000,000,000"),  # repr would write 1e+16
        ("1.2345678901234567E+30", "1234567890123456700000000000000", "1,234,567,890,123,456,700,000,000,000,000"),
    ],
)
def test_written_number_writes_a_decimal_and_its_float_alike(exact: str, written: str, grouped: str) -> None:
    """The fact file's Decimals and the records' floats are one number each, written one way:
    digits as the bulletins write them, never an exponent or a needless .0."""
    for value in (Decimal(exact), float(exact)):
        assert written_number(value) == written, value
        assert written_number(value, grouped=True) == grouped, value


def test_written_number_groups_a_whole_number() -> None:
    assert written_number(1_048_576, grouped=True) == "1,048,576"
    assert written_number(7168) == "7168"


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_is_written_as_the_shortest_digits_that_read_back(value: float) -> None:
    text = written_number(value)
    assert "e" not in text and float(text) == value
    assert text == written_number(Decimal(repr(value))).removesuffix(".0")  # 7168, never 7168.0
    assert written_number(value, grouped=True).replace(",", "") == text


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
        ("ha", "公顷"),
        ("hectares", "公顷"),
        ("m3", "立方米"),
        ("kWh", "千瓦时"),
        ("kw", "千瓦"),
        ("vehicles", "辆"),
        ("%", "%"),
        (" yuan\t", "元"),  # as a shell variable or a pasted cell brings it
        (" 万元 ", "元"),
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
        (" 1亿 ", "100000000"),  # the magnitude word is found after the blanks are gone
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


@pytest.mark.parametrize(
    ("typed", "unit", "value", "base"),
    [
        ("5000", "万元", "50000000", "元"),  # a bare number in the unit given: 5000万元
        ("0.5", "亿元", "50000000", "元"),
        ("1亿", "万元", "100000000", "元"),  # a magnitude word: in the unit's base unit
        ("1亿元", "万元", "100000000", "元"),  # its own unit, as written
        ("1亿元", None, "100000000", "元"),
        ("3万亩", "元", "30000", "亩"),  # named, for the caller to refuse
        ("12.5%", None, "12.5", "%"),
        ("5000", None, "5000", None),  # no unit: a base value of any base unit
        (" 3万亩\n", None, "30000", "亩"),  # and so is its own unit
    ],
)
def test_amounts_are_read_in_the_unit_given(typed: str, unit: str | None, value: str, base: str | None) -> None:
    given = BUILT_IN.typed(unit) if unit is not None else None
    assert BUILT_IN.amount(typed, given) == (Decimal(value), base)


def test_a_declared_unit_joins_the_table() -> None:
    table = Units([Unit("千袋", "袋", 1000, "thousand bags"), Unit("公斤", "吨", Decimal("0.001"), "kilograms")])
    assert table.base_value(Decimal("350"), "千袋") == 350_000
    assert table.base_value(Decimal("1200"), "公斤") == Decimal("1.2")
    assert table.typed("Thousand Bags") == table.unit("千袋")
    assert table.amount("1000公斤") == (Decimal("1"), "吨")
    assert table.amount("1万", table.typed("公斤")) == (Decimal("10"), "吨")  # 1万公斤, not 1万吨
    assert table.known()[-2:] == ("千袋", "公斤") and set(BUILT_IN.known()) < set(table.known())
    with pytest.raises(UnknownUnitError, match="declared: 千袋, 公斤, or declare it under units"):
        table.unit("斤")
    with pytest.raises(UnknownUnitError) as raised:
        table.typed("斤")
    assert "declare it" not in str(raised.value)  # a query cannot declare a unit


def test_a_table_is_read_back_from_its_records() -> None:
    declared = [Unit("千袋", "袋", 1000, "thousand bags"), Unit("公斤", "吨", Decimal("0.001"), "kilograms")]
    records = [unit_record(unit) for unit in declared]
    assert Units.of_records(records) == Units(declared)
    assert Units.of_records(records).base_value(Decimal("1200"), "公斤") == Decimal("1.2")


@pytest.mark.parametrize(
    ("declared", "problem"),
    [
        (Unit("千袋", "袋", 1000, "thousand bags"), None),
        (Unit("箱", "箱", 1, "boxes"), None),  # a new base unit
        (Unit("万箱", "箱", 10000, "ten thousand boxes"), None),  # counted in it
        (Unit("万袋", "袋", 10000, "ten thousand bags"), ("unit", "'万袋' is built in (10000 袋); remove this entry")),
        (Unit("%", "%", 1, "percent"), ("unit", "'%' is built in (1 %); remove this entry")),
        (Unit("箱", "箱", 2, "boxes"), ("factor", "a unit that is its own base unit has factor 1")),
        (Unit("千件", "箱子", 1000, "boxes"), ("base_unit", "unknown unit '箱子'")),
        (Unit("百万元", "万元", 100, "million yuan"), ("base_unit", "'万元' is not a base unit (10000 元)")),
    ],
)
def test_what_a_declaration_may_not_be(declared: Unit, problem: tuple[str, str] | None) -> None:
    found = declaration_problem(declared, new_bases={"箱"})
    if problem is None:
        assert found is None
    else:
        assert found is not None and found[0] == problem[0] and str(found[1]).startswith(problem[1])
