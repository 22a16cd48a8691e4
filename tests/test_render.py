"""The output formats: each carries the whole contract, reads back losslessly in the tools
that consume it, and shows what the data says, never markup or escape sequences."""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from ruamel.yaml import YAML

import zhashui_cli
from zhashui_cli.errors import UnknownFieldError
from zhashui_cli.factfile import yamlfile
from zhashui_cli.output import render
from zhashui_cli.output.render import OutputFormat
from zhashui_cli.records import FACT_FIELDS, FIGURE_FIELDS, SEARCH_FIELDS, json_line
from zhashui_cli.terminal import results, tables

from .conftest import FACTS


@cache
def records() -> tuple[dict[str, Any], ...]:
    return tuple(zhashui_cli.open(FACTS, cache=False).search().records)  # type: ignore[arg-type]


def record(fact_id: str) -> dict[str, Any]:
    return next(r for r in records() if r["id"] == fact_id)


def output(width: int = 80, bom: bool = False) -> tuple[render.Output, io.BytesIO, io.StringIO]:
    binary, text = io.BytesIO(), io.StringIO()
    return render.Output(binary, text, width, 24, False, bom), binary, text


def listed(rows: Any, fmt: OutputFormat, fields: Any = SEARCH_FIELDS, bom: bool = False) -> str:
    out, binary, _ = output(bom=bom)
    render.listing(render.project(rows, fields), fmt, fields, out)
    return binary.getvalue().decode("utf-8")


def parse(document: str, fmt: OutputFormat) -> Any:
    if fmt is OutputFormat.JSON:
        return json.loads(document)
    if fmt is OutputFormat.JSONL:
        return [json.loads(line) for line in document.splitlines()]
    if fmt is OutputFormat.CSV:
        return list(csv.DictReader(io.StringIO(document, newline="")))
    return yaml.safe_load(document)


@pytest.mark.parametrize("fmt", [OutputFormat.JSON, OutputFormat.JSONL, OutputFormat.YAML])
def test_structured_formats_carry_the_whole_contract(fmt: OutputFormat) -> None:
    parsed = parse(listed(records(), fmt), fmt)
    assert [r["id"] for r in parsed] == [r["id"] for r in records()]
    for row in parsed:
        assert tuple(row) == SEARCH_FIELDS
        assert tuple(row)[: len(FACT_FIELDS)] == FACT_FIELDS
        for figure in row["figures"]:
            assert tuple(figure) == FIGURE_FIELDS
            assert isinstance(figure["base_value"], float) and isinstance(figure["value"], float)


def test_json_is_utf8_not_escaped_and_empty_is_a_list() -> None:
    document = listed(records()[:1], OutputFormat.JSON)
    assert "柞水县" in document and "\\u" not in document
    assert listed([], OutputFormat.JSON) == "[]\n"


@pytest.mark.parametrize("count", [0, 1, 3])
def test_records_in_pieces_make_a_json_list_of_one_record_a_line_or_json_lines(count: int) -> None:
    lines = [json_line(row) for row in records()[:count]]
    ends = [b',"n":' + str(n % 2).encode() + b"}" for n in range(count)]  # what a search adds: its match
    in_a_list = b"[\n" + b",\n".join(lines) + b"\n]\n" if lines else b"[]\n"
    assert b"".join(render.json_pieces(lines, None, OutputFormat.JSON)) == in_a_list
    assert b"".join(render.json_pieces(lines, None, OutputFormat.JSONL)) == b"".join(line + b"\n" for line in lines)
    heads = [memoryview(line)[:-1] for line in lines]
    ended = [{**row, "n": n % 2} for n, row in enumerate(records()[:count])]
    in_lines = b"".join(render.json_pieces(heads, ends, OutputFormat.JSONL))
    assert [json.loads(line) for line in in_lines.splitlines()] == ended
    listed_ended = b"".join(render.json_pieces(heads, ends, OutputFormat.JSON))
    assert listed_ended == (b"[\n" + b",\n".join(in_lines.splitlines()) + b"\n]\n" if lines else b"[]\n")


def test_pieces_written_to_a_file_follow_what_was_written_before(tmp_path: Path) -> None:
    with (tmp_path / "out").open("wb") as stream:
        stream.write(b"before:")  # buffered, not yet flushed
        output_to(stream).write_pieces([b"a", memoryview(b"xbcx")[1:3], b"", b"d"])
    assert (tmp_path / "out").read_bytes() == b"before:abcd"


def test_pieces_cut_short_by_the_system_are_written_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """writev() may write less than it was given (a signal, a full pipe): the rest follows."""
    import os

    monkeypatch.setattr(os, "writev", lambda fd, pieces: os.write(fd, b"".join(pieces)[:5]))
    pieces = [bytes([65 + n % 26]) * (n % 3) for n in range(3000)]  # three calls' worth, some empty
    with (tmp_path / "out").open("wb") as stream:
        output_to(stream).write_pieces(pieces)
    assert (tmp_path / "out").read_bytes() == b"".join(pieces)


def test_pieces_go_to_a_stream_without_a_descriptor_through_it() -> None:
    out, binary, _ = output()
    out.write_pieces([b"a", memoryview(b"bc")])
    assert binary.getvalue() == b"abc"


def output_to(stream: Any) -> render.Output:
    return render.Output(stream, io.StringIO(), 80, 24, False)


@pytest.mark.parametrize("fmt", [OutputFormat.JSON, OutputFormat.CSV, OutputFormat.JSONL, OutputFormat.YAML])
def test_fields_pick_the_keys_in_every_format(fmt: OutputFormat) -> None:
    parsed = parse(listed(records()[:3], fmt, ("id", "year")), fmt)
    assert [tuple(r) for r in parsed] == [("id", "year")] * 3


def test_fields_may_be_repeated_and_comma_separated() -> None:
    assert render.parse_fields(["id", "year,claim", " claim , id"], FACT_FIELDS) == ("id", "year", "claim")
    with pytest.raises(UnknownFieldError, match="unknown field nope \\(did you mean note\\?\\); valid fields: id,"):
        render.parse_fields(["id,nope"], FACT_FIELDS)


# -- CSV ----------------------------------------------------------------------------------------
def test_csv_holds_lists_and_figures_as_json_and_reads_back_losslessly() -> None:
    rows = parse(listed(records(), OutputFormat.CSV), OutputFormat.CSV)
    assert len(rows) == len(records()) and tuple(rows[0]) == SEARCH_FIELDS
    for written, original in zip(rows, records(), strict=True):
        assert json.loads(written["tags"]) == original["tags"]
        assert json.loads(written["figures"]) == original["figures"]
        assert int(written["year"]) == original["year"]
    loans = next(row for row in rows if row["id"] == "2023-loans-coordinated")
    assert json.loads(loans["figures"])[0]["base_value"] == 924_000_000
    assert next(row for row in rows if row["id"] == "2023-guiding-thought")["figures"] == "[]"  # empty, not missing
    assert next(row for row in rows if row["id"] == "2023-guiding-thought")["note"] == ""  # missing


def test_csv_numbers_keep_their_type_whatever_the_rows() -> None:
    document = listed(
        [{"value": 7168.0, "year": 2023}, {"value": 9.24, "year": 2024}], OutputFormat.CSV, ("value", "year")
    )
    assert document.splitlines() == ["value,year", "7168.0,2023", "9.24,2024"]


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_neutralises_spreadsheet_formulas_in_text(cell: str) -> None:
    rows = parse(
        listed([{"claim": cell, "value": -3.5, "tags": [cell]}], OutputFormat.CSV, ("claim", "value", "tags")),
        OutputFormat.CSV,
    )
    assert rows[0]["claim"] == "'" + cell
    assert rows[0]["value"] == "-3.5"  # a number is never prefixed
    assert json.loads(rows[0]["tags"]) == [cell]  # a list cell starts with [: no formula, data intact


def test_csv_for_excel_starts_with_a_byte_order_mark() -> None:
    assert listed(records()[:1], OutputFormat.CSV, ("id",), bom=True).startswith("\ufeffid\r\n")


# -- YAML ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "1e5",
        "-1.5e3",
        "0o17",
        "1_000",
        "1:20",
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "n",
        "~",
        "null",
        "true",
        "2024-02-07",
        ".inf",
        "0x1F",
        "017",
    ],
)
def test_yaml_output_means_the_same_to_yaml_11_and_12_readers(text: str) -> None:
    document = yamlfile.yaml_text([{"claim": text, "tags": [text]}])
    assert yaml.safe_load(document) == [{"claim": text, "tags": [text]}]  # PyYAML: YAML 1.1
    assert YAML(typ="safe", pure=True).load(document) == [{"claim": text, "tags": [text]}]  # ruamel: 1.2


def test_yaml_round_trips_the_whole_base_in_both_versions() -> None:
    document = listed(records(), OutputFormat.YAML)
    assert yaml.safe_load(document) == [dict(r) for r in records()]
    assert YAML(typ="safe", pure=True).load(document) == [dict(r) for r in records()]


# -- Markdown -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "a|b",
        "a\\|b",
        "**x**",
        "_y_",
        "`code`",
        "<img src=x onerror=alert(1)>",
        "[link](http://x)",
        "~~gone~~",
        "&amp;",
        "# heading",
    ],
)
def test_markdown_renders_what_the_data_says(text: str) -> None:
    document = listed([{"id": "x", "claim": text}], OutputFormat.MARKDOWN, ("id", "claim"))
    html = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(document)
    cells = re.findall(r"<td>(.*?)</td>", html)
    assert len(cells) == 2, html  # the pipe did not split the cell
    assert cells[1] == text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# -- text ---------------------------------------------------------------------------------------
@given(st.text(max_size=40))
def test_printable_leaves_no_control_characters(value: str) -> None:
    shown = render.printable(value)
    assert not any(
        ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        for c in shown
    )


def test_a_figure_shows_its_qualifier_with_its_value_and_base_value() -> None:
    cuts = record("2023-tax-fee-cuts")["figures"][0]
    assert render.figure_text(cuts) == ">3000万元"
    assert render.base_text(cuts) == ">30,000,000 元"
    assert render.figure_text(record("2023-toilets")["figures"][1]) == "7168座"


def test_tab_separated_lines_have_one_record_per_line() -> None:
    assert (
        render.tsv([["2023-a", 2023, "a\tb\nc  d "], ["x", None, ["t1", "t2"]]])
        == "2023-a\t2023\ta b c d\nx\t\tt1, t2\n"
    )


_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)


@given(
    st.lists(
        st.fixed_dictionaries({"claim": _TEXT, "claim_en": _TEXT, "tags": st.lists(_TEXT, max_size=3)}), max_size=4
    )
)
def test_every_format_parses_back(changes: list[dict[str, Any]]) -> None:
    rows = [dict(records()[n], **change) for n, change in enumerate(changes)]
    fields = ("id", "claim", "claim_en", "tags")
    for fmt in (OutputFormat.JSON, OutputFormat.JSONL, OutputFormat.YAML):
        assert parse(listed(rows, fmt, fields), fmt) == [{name: row[name] for name in fields} for row in rows]
    table = parse(listed(rows, OutputFormat.CSV, fields), OutputFormat.CSV)
    for row, written in zip(rows, table, strict=True):
        claim = row["claim"].replace("\x00", "\\x00")  # CSV cannot carry a NUL
        assert written["claim"] == ("'" + claim if claim.startswith(("=", "+", "-", "@", "\t", "\r")) else claim)
        assert json.loads(written["tags"]) == row["tags"]


# -- tables -------------------------------------------------------------------------------------
def drawn(renderable: Any, width: int = 80) -> str:
    return tables.draw(renderable, width)


@pytest.mark.parametrize("text", ["[red]x[/red]", "[link=https://example.com]click[/link]", "[bold]", ":smile:"])
def test_rich_markup_in_a_fact_prints_literally(text: str) -> None:
    shown = results.search([dict(records()[0], claim=text)], tables.Lang.ZH, 200, "colour")  # type: ignore[list-item]
    assert text in shown


def test_terminal_escapes_in_a_fact_are_shown_not_obeyed() -> None:
    hostile = dict(records()[0], claim="bad\x1b[31mred\x1b]8;;x\x07\u202eevil")
    shown = results.search([hostile], tables.Lang.ZH, 200, "")  # type: ignore[list-item]
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "bad\\x1b[31mred\\x1b]8;;x\\x07\\u202eevil" in shown
    found = {"terms": {"bad": {"as": "bad", "how": "exact"}}, "fields": ["claim"]}
    coloured = results.search([dict(hostile, match=found)], tables.Lang.ZH, 200, "colour")  # type: ignore[list-item]
    assert "\x1b[1;30;43mbad\x1b[0m\\x1b[31mred\\x1b]8;;x" in coloured  # only the mark is an escape


def test_lang_picks_the_claim_columns() -> None:
    loans = record("2023-loans-coordinated")
    zh, en, both = (
        results.search([loans], lang, 200, "")  # type: ignore[list-item]
        for lang in (tables.Lang.ZH, tables.Lang.EN, tables.Lang.BOTH)
    )
    assert loans["claim"] in zh and loans["claim_en"] not in zh
    assert loans["claim_en"] in en and loans["claim"] not in en
    assert loans["claim"] in both and loans["claim_en"] in both


def test_auto_lang_follows_width_then_query() -> None:
    assert tables.resolve_lang(tables.Lang.AUTO, ["loans"], 80) is tables.Lang.EN
    assert tables.resolve_lang(tables.Lang.AUTO, ["木耳"], 80) is tables.Lang.ZH
    assert tables.resolve_lang(tables.Lang.AUTO, [], 80) is tables.Lang.ZH
    assert tables.resolve_lang(tables.Lang.AUTO, ["loans"], 160) is tables.Lang.BOTH


def test_marks_are_the_words_the_search_found_not_the_query() -> None:
    """muer was found as 木耳 and labor as labour: those are marked, in any case, a Latin word
    whole (hospital marks hospitals); a record no search found marks nothing."""
    found = {"terms": {"muer": {"as": "木耳", "how": "pinyin"}, "labor": {"as": "labour", "how": "spelling"}}}
    pattern = tables.marks({"match": found})
    assert pattern is not None
    assert pattern.findall("柞水木耳 Labour-service muer labor") == ["木耳", "Labour"]
    hospital = tables.marks({"match": {"terms": {"hospitals": {"as": "hospital", "how": "form"}}}})
    assert hospital is not None and hospital.findall("schools and hospitals") == ["hospitals"]
    assert tables.marks({"match": {"terms": {}}}) is None and tables.marks({"id": "x"}) is None


def test_a_fact_shows_its_quote_in_its_paragraph() -> None:
    loans = record("2023-loans-coordinated")
    category = {"id": "economy", "name": "经济发展", "name_en": "Economy and investment"}
    source = {"title": "柞水县", "published": "2024-02-07 09:41:58", "sections": []}
    paragraph = "落实减税降费3000余万元，协调金融贷款9.24亿元，向上争取"
    shown = drawn(tables.fact({**loans, "paragraph": paragraph}, category, source, 100), 100)  # type: ignore[typeddict-item]
    assert "924,000,000 元" in shown
    assert "协调金融贷款9.24亿元" in shown and "落实减税降费" in shown
