"""The terminal: its size, and progress that appears only when a load is slow."""

from __future__ import annotations

import io
import re
import time
import unicodedata

import pytest

from zhashui_cli.terminal import screen


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_appears_only_once_a_load_is_slow(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    stream = FakeTerminal()
    with screen.Progress(stream) as progress:
        progress("Reading facts", 10, 100)
        clock[0] += screen.PROGRESS_DELAY / 2
        progress("Reading facts", 50, 100)
        assert stream.getvalue() == ""  # nothing, not even a cursor escape, while it is quick
        clock[0] += screen.PROGRESS_DELAY
        progress("Reading facts", 60, 100)
        assert progress.display is not None
    assert "Reading facts" in stream.getvalue()


def test_progress_never_draws_on_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [0.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    stream = io.StringIO()
    with screen.Progress(stream) as progress:
        progress("Reading facts", 1, 2)
        clock[0] += 10
        progress("Reading facts", 2, 2)
    assert stream.getvalue() == ""


@pytest.mark.parametrize(("columns", "width"), [("0", 80), ("abc", 80), ("5", 20), ("60", 60), ("150", 150)])
def test_width_follows_columns(monkeypatch: pytest.MonkeyPatch, columns: str, width: int) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    assert screen.width(io.StringIO()) == width


class Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize("stream", [FakeTerminal, Pipe])
@pytest.mark.parametrize(
    "env",
    [
        {},
        {"NO_COLOR": "1"},
        {"NO_COLOR": ""},
        {"TERM": "dumb"},
        {"TERM": "unknown", "NO_COLOR": "1"},
        {"FORCE_COLOR": "1"},
        {"FORCE_COLOR": ""},
        {"FORCE_COLOR": "1", "NO_COLOR": "1"},
        {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"},
        {"TTY_COMPATIBLE": "1"},
    ],
)
def test_tables_drawn_without_rich_are_styled_as_rich_styles_the_others(
    monkeypatch: pytest.MonkeyPatch, stream: type[io.StringIO], env: dict[str, str]
) -> None:
    from rich.console import Console

    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "TERM", "JUPYTER_COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    rich = Console(file=stream())
    expected = "" if rich.color_system is None else "bold" if rich.no_color else "colour"
    assert screen.styling(stream()) == expected


def test_a_terminal_is_injected_so_its_behaviour_is_tested_in_process() -> None:
    """No pty and no environment variable: the run is handed the terminal it writes to."""
    from typer.testing import CliRunner

    from zhashui_cli.cli.app import app
    from zhashui_cli.terminal.screen import Environment

    def widest(text: str) -> int:
        lines = re.sub(r"\x1b\[[0-9;]*m", "", text).splitlines()  # as wide as it shows, styles aside
        return max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in lines)

    narrow = CliRunner().invoke(app, ["search", "木耳"], obj=Environment(True, 60, 1000, ""))
    assert narrow.exit_code == 0 and widest(narrow.stdout) <= 60 and "\t" not in narrow.stdout  # a table, 60 wide
    assert "\x1b[" not in narrow.stdout  # styled not at all, as told
    wide = CliRunner().invoke(app, ["search", "木耳"], obj=Environment(True, 160, 1000, "colour"))
    assert "\x1b[" in wide.stdout and 60 < widest(wide.stdout) <= 160
    piped = CliRunner().invoke(app, ["search", "木耳"], obj=Environment(False, 80, 24, ""))
    assert all(line.count("\t") == 2 for line in piped.stdout.splitlines())  # lines for a pipe
