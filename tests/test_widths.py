"""Tables at every width: a number, a unit or an id is never cut (issue 19, item 2).

Every command that draws for a terminal is drawn in process (an injected Environment) at 30 to
200 columns. A line may be no wider than the terminal, which would wrap it wherever it
reaches the edge (`202` / `3`), unless it holds nothing but one thing that cannot be broken,
an id longer than the terminal is wide; and every figure as written (>30亿元), every base
value with its unit (3,000,000,000 元) and every id shown appears whole on one line.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from zhashui_cli.cli.app import app
from zhashui_cli.factfile.units import written_number
from zhashui_cli.output.render import base_text, figure_text
from zhashui_cli.terminal.screen import Environment
from zhashui_cli.terminal.tables import width_of

from .conftest import sample

WIDTHS = (30, 40, 60, 80, 120, 200)
_STYLE = re.compile(r"\x1b\[[0-9;]*m")


def drawn(args: Iterable[str], width: int) -> str:
    result = CliRunner().invoke(app, list(args), obj=Environment(True, width, 100_000, ""))
    assert result.exit_code in (0, 1), result.output
    return _STYLE.sub("", result.stdout)


def records(*args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(app, [*args, "--format", "jsonl"])
    return [json.loads(line) for line in result.stdout.splitlines()]


def largest_amounts() -> list[dict[str, Any]]:
    stats = json.loads(CliRunner().invoke(app, ["stats", "--json"]).stdout)
    return list(stats["largest_amounts"])


def whole_lines(text: str, width: int) -> list[str]:
    """Lines no wider than the terminal, or a lone word (an id) that is wider; the lines."""
    lines = text.splitlines()
    for line in lines:
        shown = line.strip(" │╭╮╰╯─")
        assert width_of(line) <= width or " " not in shown, f"{width_of(line)} > {width}: {line!r}"
        assert line == line.rstrip(), f"trailing spaces: {line!r}"  # copy-paste picks them up
    return lines


def assert_whole(text: str, width: int, needles: Iterable[str]) -> None:
    lines = whole_lines(text, width)
    for needle in dict.fromkeys(needles):
        assert any(needle in line for line in lines), f"{needle!r} is cut at {width} columns:\n{text}"


def figure_needles(record: dict[str, Any], shown: bool = True) -> list[str]:
    """A fact's id, its figures as written and with their base values (where shown), and a
    figure as its claim writes it (30亿元 in 突破30亿元)."""
    found = [record["id"]]
    for figure in record["figures"]:
        found += [figure_text(figure), base_text(figure)] if shown else []
        plain = written_number(figure["value"]) + figure["unit"]
        found += [plain] if plain in record["claim"] else []
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_show_keeps_figures_and_ids_whole(width: int) -> None:
    ids = [
        "2023-fungus-brand-value",
        "2023-loans-coordinated",
        "2023-tax-fee-cuts",
        "2023-fungus-geographical-indication",
    ]
    shown = drawn(["show", *ids], width)
    assert_whole(shown, width, [n for record in records("show", *ids) for n in figure_needles(record)])


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("query", [["木耳"], ["亿元"], ["hospitals", "--lang", "both"]])
def test_search_keeps_ids_years_and_figures_whole(width: int, query: list[str]) -> None:
    found = records("search", *query)
    needles = [n for record in found for n in figure_needles(record, shown=False)]
    assert_whole(drawn(["search", *query], width), width, [*needles, *(str(r["year"]) for r in found)])


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("fields", [[], ["--fields", "value,unit,base_value"], ["--fields", "claim,label"]])
def test_figures_keep_their_numbers_units_and_ids_whole(width: int, fields: list[str]) -> None:
    rows = records("figures", "-n", "0")
    needles = [row["fact_id"] for row in rows]
    if not fields:
        needles += [figure_text(row) for row in rows] + [base_text(row) for row in rows]
    assert_whole(drawn(["figures", "-n", "0", *fields], width), width, needles)


@pytest.mark.parametrize("width", WIDTHS)
def test_search_fields_keep_the_id(width: int) -> None:
    """--fields figures draws each row with its id, or the rows could not be told apart."""
    found = records("search", "亿元")
    needles = [n for record in found for n in [record["id"], *map(figure_text, record["figures"])]]
    assert_whole(drawn(["search", "亿元", "--fields", "figures"], width), width, needles)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["stats"], lambda: [n for r in largest_amounts() for n in (r["fact_id"], figure_text(r))]),
        (
            ["categories"],
            lambda: [r["id"] for r in records("categories")] + [str(r["facts"]) for r in records("categories")],
        ),
        (["tags", "-n", "30"], lambda: [r["tag"] for r in records("tags", "-n", "30") if width_of(r["tag"]) <= 20]),
        (["sources"], lambda: [s["id"] for r in records("sources") for s in r["sections"]]),
        (["verify"], lambda: []),
    ],
)
def test_overviews_keep_counts_amounts_and_ids_whole(
    width: int, args: list[str], needles: Callable[[], list[str]]
) -> None:
    assert_whole(drawn(args, width), width, needles())


@pytest.mark.parametrize("width", WIDTHS)
def test_curators_lines_keep_numbers_whole(width: int, write_facts: Callable[..., Path]) -> None:
    """coverage and verify write a line per number or problem; a terminal gets them wrapped
    at its width, the number whole."""
    facts = sample()
    del facts["facts"][1]  # 7168座 is now covered by no fact
    facts["facts"][0]["figures"][0]["value"] = 9.25  # and 9.25亿元 is not in the source
    path = str(write_facts(facts))
    assert_whole(drawn(["coverage", "--facts", path], width), width, ["7168座"])
    assert_whole(drawn(["verify", "--facts", path], width), width, ["9.25亿元"])


def help_at(command: str, columns: int) -> str:
    """A command's help as the console script writes it for a terminal of that width (click's
    CliRunner holds help to 80 columns, whatever the terminal)."""
    env = {**os.environ, "COLUMNS": str(columns)}
    script = Path(sys.executable).with_name("zhashui")
    done = subprocess.run([script, command, "--help"], capture_output=True, text=True, env=env, check=True)
    return done.stdout


@pytest.mark.parametrize("command", ["search", "figures", "show", "tags", "stats"])
def test_help_fits_the_terminal_in_cells_and_uses_a_wide_one(command: str) -> None:
    """At 80 columns no line of the options runs past the edge, though `--unit`'s help holds
    Chinese (two cells a character); at 160 the help is not held to click's 80."""
    narrow = help_at(command, 80)
    options = narrow[narrow.index("Options:") :]
    assert max(map(width_of, options.splitlines())) <= 80
    wide = help_at(command, 160)
    assert 80 < max(map(width_of, wide.splitlines())) <= 160
    if command == "search":
        unit = next(line for line in options.splitlines() if "--unit" in line)
        assert width_of(unit) > 70  # filled, not broken early
        assert "元 (yuan), 万元, 公里 (km)" in wide.replace("\n", " ")


def test_a_line_breaks_inside_a_hyphenated_word_not_after_an_options_dashes() -> None:
    from zhashui_cli.terminal.wrap import wrap_offsets

    def lines(text: str, width: int) -> list[str]:
        return [text[start:end] for start, end in wrap_offsets(text, width)]

    assert lines("see --fields", 8) == ["see", "--fields"]  # not "see --" / "fields"
    assert lines("high-quality", 8) == ["high-", "quality"]
