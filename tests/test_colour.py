"""Matches marked, and --color (issue 19, item 5), tested in process through the injected
terminal: what a search found is marked where the terminal has styles, as --color says, and
nothing that goes to a pipe or a machine format ever carries a style."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from zhashui_cli.cli.app import app
from zhashui_cli.terminal.screen import Environment

MARK, BOLD = "\x1b[1;30;43m", "\x1b[1m"


def on(styling: str, *args: str, terminal: bool = True) -> str:
    result = CliRunner().invoke(app, list(args), obj=Environment(terminal, 120, 100_000, styling))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_words_a_search_found_are_marked_not_the_query() -> None:
    """muer is pinyin for 木耳 and labor another spelling of labour: the search's match says
    so, and the table marks what the fact says."""
    assert f"柞水{MARK}木耳\x1b[0m" in on("colour", "search", "muer", "--lang", "zh")
    labour = on("colour", "search", "labor", "--lang", "en")
    assert f"{MARK}labour" in labour.lower() and MARK + "labor " not in labour


def test_matches_are_marked_in_the_tables_of_fields_too() -> None:
    shown = on("colour", "search", "hospitals", "--fields", "claim_en")
    assert f"{MARK}hospitals\x1b[0m" in shown and "2023-school-hospital-pairing" in shown


@pytest.mark.parametrize(
    ("styling", "colour", "marked"),
    [
        ("colour", "auto", MARK),
        ("bold", "auto", BOLD),  # NO_COLOR: bold, no colour
        ("", "auto", None),  # no terminal styles (TERM=dumb)
        ("colour", "never", None),
        ("bold", "always", MARK),
        ("", "always", MARK),
    ],
)
def test_color_never_auto_always(styling: str, colour: str, marked: str | None) -> None:
    for command in (["search", "木耳"], ["show", "2023-fungus-brand-value"]):
        shown = on(styling, *command, "--color", colour)
        if marked is None:
            assert "\x1b" not in shown
        else:
            assert marked in shown and (marked == MARK or "43m" not in shown)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "yaml", "markdown"])
def test_machine_formats_and_pipes_never_carry_styles(fmt: str) -> None:
    for command in (["search", "木耳"], ["figures", "木耳"], ["show", "2023-fungus-brand-value"]):
        assert "\x1b" not in on("colour", *command, "--format", fmt, "--color", "always")
    piped = on("colour", "search", "木耳", "--color", "always", terminal=False)
    assert "\x1b" not in piped and piped.count("\t") > 0
    assert json.loads(on("colour", "search", "木耳", "--json", "--color", "always"))[0]["match"]["terms"]


def test_every_command_that_draws_takes_color() -> None:
    for command in (["tags", "-n", "3"], ["figures", "-n", "3"], ["categories"], ["stats"], ["sources"]):
        assert "\x1b" not in on("colour", *command, "--color", "never")
        assert "\x1b[" in on("", *command, "--color", "always")
