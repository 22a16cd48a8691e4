from __future__ import annotations

import csv
import io
import json
import re
from functools import cache
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from zhashui_cli import render, search, store
from zhashui_cli.render import FACT_FIELDS, FIGURE_FIELDS, Lang, OutputFormat, SearchView, UnknownFieldError

from .conftest import FACTS


@cache
def records() -> tuple[dict[str, Any], ...]:
    return search.search(store.open_corpus(FACTS, use_cache=False), search.Query()).records


def output(width: int = 80) -> tuple[render.Output, io.BytesIO, io.StringIO]:
    binary, text = io.BytesIO(), io.StringIO()
    return render.Output(binary, text, width), binary, text


def rendered(view: SearchView, fmt: OutputFormat, width: int = 80) -> str:
    out, binary, text = output(width)
    render.write_search(view, fmt, out)
    return binary.getvalue().decode("utf-8") + text.getvalue()


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
    parsed = parse(rendered(SearchView(records(), len(records())), fmt), fmt)
    assert [r["id"] for r in parsed] == [r["id"] for r in records()]
    for record in parsed:
        assert tuple(record) == FACT_FIELDS
        for figure in record["figures"]:
            assert tuple(figure) == FIGURE_FIELDS


def test_csv_has_a_header_and_one_row_per_fact_with_figures_flattened() -> None:
    rows = parse(rendered(SearchView(records(), len(records())), OutputFormat.CSV), OutputFormat.CSV)
    assert len(rows) == len(records())
    assert tuple(rows[0]) == FACT_FIELDS
    loans = next(row for row in rows if row["id"] == "2023-loans-coordinated")
    assert loans["figures"] == "协调金融贷款 9.24亿元"
    assert loans["tags"].startswith("贷款; 金融")
    cuts = next(row for row in rows if row["id"] == "2023-tax-fee-cuts")
    assert cuts["figures"] == "减税降费 >3000万元"


def test_json_is_utf8_not_escaped_and_empty_is_a_list() -> None:
    document = rendered(SearchView(records()[:1], 1), OutputFormat.JSON)
    assert "柞水县" in document and "\\u" not in document
    assert rendered(SearchView((), 0), OutputFormat.JSON) == "[]\n"


@pytest.mark.parametrize("fmt", [OutputFormat.JSON, OutputFormat.CSV, OutputFormat.JSONL, OutputFormat.YAML])
def test_fields_pick_the_keys_in_every_format(fmt: OutputFormat) -> None:
    parsed = parse(rendered(SearchView(records()[:3], 3, fields=("id", "year")), fmt), fmt)
    assert [tuple(r) for r in parsed] == [("id", "year")] * 3


def test_unknown_fields_list_the_valid_ones() -> None:
    with pytest.raises(UnknownFieldError, match="unknown field\\(s\\) nope; valid fields: id,source,section"):
        render.parse_fields("id,nope", FACT_FIELDS)
    assert render.parse_fields(" claim , id,claim", FACT_FIELDS) == ("claim", "id")


def hostile(claim: str) -> dict[str, Any]:
    return dict(records()[0], claim=claim, claim_en=claim)


@pytest.mark.parametrize("text", ["[red]x[/red]", "[link=https://example.com]click[/link]", "[bold]", ":smile:"])
def test_rich_markup_in_a_fact_prints_literally(text: str) -> None:
    table = rendered(SearchView([hostile(text)], 1, lang=Lang.ZH), OutputFormat.TABLE, width=200)
    assert text in table


def test_terminal_escapes_in_a_fact_are_shown_not_obeyed() -> None:
    table = rendered(
        SearchView([hostile("bad\x1b[31mred\x1b]8;;x\x07\u202eevil")], 1, lang=Lang.ZH), OutputFormat.TABLE, width=200
    )
    assert "\x1b" not in table and "\x07" not in table and "\u202e" not in table
    assert "bad\\x1b[31mred\\x1b]8;;x\\x07\\u202eevil" in table


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_neutralises_spreadsheet_formulas(cell: str) -> None:
    rows = parse(rendered(SearchView([hostile(cell)], 1, fields=("claim",)), OutputFormat.CSV), OutputFormat.CSV)
    assert rows[0]["claim"] == "'" + cell


def test_csv_keeps_plain_negative_numbers() -> None:
    rows = parse(rendered(SearchView([hostile("-3.5")], 1, fields=("claim",)), OutputFormat.CSV), OutputFormat.CSV)
    assert rows[0]["claim"] == "-3.5"


def test_tables_wrap_long_chinese_instead_of_cutting_it() -> None:
    record = next(r for r in records() if r["id"] == "2023-four-platforms")
    table = rendered(SearchView([record], 1, lang=Lang.ZH), OutputFormat.TABLE, width=80)
    assert "…" not in table
    assert all(len(line) <= 80 for line in table.splitlines())
    assert (
        "".join(line.split("2023")[-1].strip() for line in table.splitlines()[2:]).replace(" ", "").find("凝聚奋进力量")
        >= 0
    )


def test_lang_picks_the_claim_columns() -> None:
    record = next(r for r in records() if r["id"] == "2023-loans-coordinated")
    zh = rendered(SearchView([record], 1, lang=Lang.ZH), OutputFormat.TABLE, width=200)
    en = rendered(SearchView([record], 1, lang=Lang.EN), OutputFormat.TABLE, width=200)
    both = rendered(SearchView([record], 1, lang=Lang.BOTH), OutputFormat.TABLE, width=200)
    assert record["claim"] in zh and record["claim_en"] not in zh
    assert record["claim_en"] in en and record["claim"] not in en
    assert record["claim"] in both and record["claim_en"] in both


def test_auto_lang_follows_width_then_query() -> None:
    assert render.resolve_lang(Lang.AUTO, ["loans"], 80) is Lang.EN
    assert render.resolve_lang(Lang.AUTO, ["木耳"], 80) is Lang.ZH
    assert render.resolve_lang(Lang.AUTO, [], 80) is Lang.ZH
    assert render.resolve_lang(Lang.AUTO, ["loans"], 160) is Lang.BOTH


def test_highlighter_matches_typed_and_folded_forms() -> None:
    pattern = render.highlighter(["專項債", "LOANS"], ["专项债", "loans"])
    assert pattern is not None
    assert pattern.findall("专项债 and Loans") == ["专项债", "Loans"]
    assert render.highlighter([], []) is None


def test_a_fact_shows_its_quote_in_its_paragraph() -> None:
    record = next(r for r in records() if r["id"] == "2023-loans-coordinated")
    out, binary, text = output(100)
    category = {"id": "economy", "name": "经济发展", "name_en": "Economy and investment"}
    source = {"title": "柞水县", "published": "2024-02-07 09:41:58"}
    paragraph = "落实减税降费3000余万元，协调金融贷款9.24亿元，向上争取"
    render.write_fact(render.FactView(record, paragraph, category, source), OutputFormat.TABLE, out)
    shown = text.getvalue()
    assert "924,000,000 元" in shown
    assert "协调金融贷款9.24亿元" in shown and "落实减税降费" in shown
    out, binary, _ = output()
    render.write_fact(render.FactView(record, "context", category, source), OutputFormat.JSON, out)
    document = json.loads(binary.getvalue())
    assert tuple(document) == (*FACT_FIELDS, "paragraph")
    assert document["paragraph"] == "context"


def test_markdown_escapes_pipes() -> None:
    document = rendered(SearchView([hostile("a|b")], 1), OutputFormat.MARKDOWN)
    assert "a\\|b" in document
    assert document.splitlines()[0] == "| id | year | category | claim | claim_en |"


def test_stats_rows_flatten_every_count() -> None:
    stats = search.stats(store.open_corpus(FACTS, use_cache=False))
    rows = render.stats_rows(stats)
    assert {row["dimension"] for row in rows} == {"category", "year", "kind"}
    for dimension in ("category", "year", "kind"):
        assert sum(r["facts"] for r in rows if r["dimension"] == dimension) == stats["facts"]


@given(st.text(max_size=40))
def test_printable_leaves_no_control_characters(value: str) -> None:
    shown = render.printable(value)
    assert not any(
        ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        for c in shown
    )


_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


@given(
    st.lists(
        st.fixed_dictionaries({"claim": _TEXT, "claim_en": _TEXT, "tags": st.lists(_TEXT, max_size=3)}), max_size=4
    )
)
def test_every_format_parses_back(changes: list[dict[str, Any]]) -> None:
    rows = [dict(records()[n], **change) for n, change in enumerate(changes)]
    fields = ("id", "claim", "claim_en", "tags")
    for fmt in (OutputFormat.JSON, OutputFormat.JSONL, OutputFormat.YAML):
        parsed = parse(rendered(SearchView(rows, len(rows), fields=fields), fmt), fmt)
        assert parsed == [{name: row[name] for name in fields} for row in rows]
    table = parse(rendered(SearchView(rows, len(rows), fields=fields), OutputFormat.CSV), OutputFormat.CSV)
    assert [row["id"] for row in table] == [row["id"] for row in rows]
    for row, written in zip(rows, table, strict=True):
        claim = row["claim"].replace("\x00", "\\x00")  # CSV cannot carry a NUL
        assert written["claim"] in (claim, "'" + claim)  # a formula gets its quote


def test_matches_are_highlighted_on_a_colour_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    record = next(r for r in records() if r["id"] == "2023-fungus-brand-value")
    shown = rendered(SearchView([record], 1, words=["木耳"], terms=["木耳"], lang=Lang.ZH), OutputFormat.TABLE)
    assert re.search(r"\x1b\[[0-9;]*m木耳\x1b\[0m", shown)
    assert "\x1b" not in rendered(SearchView([record], 1, words=["木耳"], terms=["木耳"]), OutputFormat.JSON)


def lines_of(text: str, width: int) -> list[str]:
    return [text[start:end] for start, end in render.wrap_offsets(text, width)]


def test_chinese_wraps_between_characters_but_not_inside_numbers_or_before_closing_punctuation() -> None:
    lines = lines_of("全年151个重点项目完成投资占比101.5%，招商到位资金增长14%。", 12)
    assert "".join(lines) == "全年151个重点项目完成投资占比101.5%，招商到位资金增长14%。"
    assert all(render.wrap_offsets(line, 12) == [(0, len(line))] for line in lines)  # each fits
    assert not any(line.startswith(("，", "。", "%", ".5")) for line in lines)
    assert any(line.endswith("101.5%，") or line.startswith("101.5%，") for line in lines)


def test_english_wraps_at_spaces_and_ids_at_hyphens() -> None:
    assert lines_of("In 2023 Zhashui arranged loans.", 12) == ["In 2023", "Zhashui", "arranged", "loans."]
    assert lines_of("2023-loans-coordinated", 12) == ["2023-loans-", "coordinated"]


_WRAPPABLE = st.text(alphabet=st.sampled_from(list("柞水木耳县亿元 abc12.%，。“”（）-")), max_size=60)


@given(_WRAPPABLE, st.integers(2, 30))
def test_wrapping_loses_nothing_and_keeps_punctuation_where_it_belongs(text: str, width: int) -> None:
    from rich.cells import cell_len

    offsets = render.wrap_offsets(text, width)
    lines = [text[start:end] for start, end in offsets]
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # only spaces at breaks go
    for start, end in offsets:
        line = text[start:end]
        assert line == line.strip()
        fits = cell_len(line) <= width
        assert fits or len(render.wrap_offsets(line, 10_000)) == 1  # only one unbreakable span overflows
        if start and not text[start - 1].isspace():  # a break inside running text
            assert line[0] not in "，。”）%"
            assert text[start - 1] not in "“（"
