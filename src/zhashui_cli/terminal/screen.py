"""The terminal: its size, a progress display for slow first loads, and the pager.

Quiet by default: the progress display (and its cursor escapes) appears only when a load is
actually slow, and the pager only when a table is taller than the screen of a terminal.
"""

from __future__ import annotations

import os
import shutil
import time
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from zhashui_cli._i18n import _
from zhashui_cli.errors import ZhashuiError

if TYPE_CHECKING:
    from types import TracebackType

_MIN_WIDTH, _DEFAULT_WIDTH, _DEFAULT_HEIGHT = 20, 80, 24
PROGRESS_DELAY = 0.5  # seconds of loading before a progress display is worth its noise


def _size(variable: str, measured: int, stream: TextIO, default: int) -> int:
    configured = os.environ.get(variable, "").strip()
    if configured.isdigit() and int(configured) > 0:
        return min(int(configured), 10_000)
    return measured if stream.isatty() else default


def forced_tty() -> bool:
    """ZHASHUI_FORCE_TTY (as gh's GH_FORCE_TTY): draw tables even when stdout is no terminal,
    as wide as its value when that is a number."""
    return bool(os.environ.get("ZHASHUI_FORCE_TTY", "").strip())


def width(stream: TextIO) -> int:
    """COLUMNS (or ZHASHUI_FORCE_TTY) when it is a usable number, else the terminal's width,
    else 80."""
    forced = os.environ.get("ZHASHUI_FORCE_TTY", "").strip()
    if forced.isdigit() and int(forced) > 0:
        return max(_MIN_WIDTH, min(int(forced), 10_000))
    measured = shutil.get_terminal_size((_DEFAULT_WIDTH, _DEFAULT_HEIGHT)).columns
    return max(_MIN_WIDTH, _size("COLUMNS", measured, stream, _DEFAULT_WIDTH))


def styling(stream: TextIO) -> str:
    """How far text written to stream may be styled: "colour", "bold" (NO_COLOR), or "" (no
    terminal, or a dumb one). These are rich's rules, so that a table drawn here without rich
    looks as one rich draws; a test holds the two to the same answers."""
    environ = os.environ
    compatible, forced = environ.get("TTY_COMPATIBLE", ""), environ.get("FORCE_COLOR")
    if compatible in ("0", "1"):
        terminal = compatible == "1"
    elif forced is not None:
        terminal = forced != ""
    else:
        terminal = stream.isatty()
    if not terminal or environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return ""
    return "bold" if environ.get("NO_COLOR", "") else "colour"


def height(stream: TextIO) -> int:
    """LINES when it is a usable number, else the terminal's height, else 24."""
    return _size("LINES", shutil.get_terminal_size((_DEFAULT_WIDTH, _DEFAULT_HEIGHT)).lines, stream, _DEFAULT_HEIGHT)


class Colour(str, Enum):
    """--color: never style; style as the terminal allows (auto); style even where the process
    would not (always: a terminal rich takes for dumb, ZHASHUI_FORCE_TTY, NO_COLOR)."""

    NEVER = "never"
    AUTO = "auto"
    ALWAYS = "always"


class Environment(NamedTuple):
    """What a run knows of the terminal it writes to, read once (as httpie's Environment).
    The commands take it from the command line's context instead of asking the process, so a
    test hands one in (CliRunner().invoke(app, args, obj=Environment(...))) to see what a
    terminal of any size and kind would show."""

    terminal: bool  # draw tables: stdout is a terminal (or ZHASHUI_FORCE_TTY says to)
    width: int
    height: int
    styling: str  # "colour", "bold" (NO_COLOR) or "" (no terminal, or a dumb one)

    @classmethod
    def of(cls, stream: TextIO) -> Environment:
        """The environment of a process writing to stream, by the rules above."""
        return cls(forced_tty() or stream.isatty(), width(stream), height(stream), styling(stream))

    def coloured(self, choice: Colour) -> Environment:
        """The environment as --color has it: auto leaves it as the process found it. Styling
        is for drawn tables only: what goes to a pipe (tab-separated lines, machine formats)
        never carries it, whatever --color says."""
        if choice is Colour.AUTO:
            return self
        return self._replace(styling="colour" if choice is Colour.ALWAYS else "")


def _stage_name(stage: str) -> str:
    """A stage of a load, as the library names it (factfile/store.py, base.py), in the language of the run."""
    names = {
        "Reading facts": _("Reading facts"),
        "Checking facts": _("Checking facts"),
        "Indexing facts": _("Indexing facts"),
    }
    return names.get(stage, stage)


class Progress:
    """A progress callback for loading that draws on a terminal only once loading has taken
    longer than PROGRESS_DELAY; a context manager that clears it when the load is done."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.began: float | None = None
        self.display: Any = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if self.began is None:
            self.began = now
        if self.display is None:
            if now - self.began < PROGRESS_DELAY or not self.stream.isatty():
                return
            self.display = self._start()
        if stage not in self.tasks:
            self.tasks[stage] = self.display.add_task(_stage_name(stage), total=total)
        self.display.update(self.tasks[stage], completed=done, total=total)

    def _start(self) -> Any:
        from rich.console import Console
        from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Display

        display = Display(
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=Console(file=self.stream),
            transient=True,
        )
        display.start()
        return display

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self.display is not None:
            self.display.stop()


def page(text: str, stream: TextIO, header: int = 0) -> int | None:
    """Show text through the user's pager ($ZHASHUI_PAGER, else $PAGER, else less) and return
    its exit status; None when there is none to run, and the caller writes the text itself.

    As git and gh do, zhashui ignores Ctrl-C while the pager runs (the pager, which has the
    terminal, handles it) and waits for the pager to end: exiting first would leave it
    reading the terminal behind the shell. header lines stay on screen in a less that can
    (less --header, since less 600)."""
    import shlex
    import signal
    import subprocess

    configured = (os.environ.get("ZHASHUI_PAGER") or os.environ.get("PAGER") or "").strip() or "less"
    try:
        command = shlex.split(configured)
    except ValueError as error:
        raise PagerError(
            _("the pager command {command!r} cannot be read ({error}); fix ZHASHUI_PAGER or PAGER").format(
                command=configured, error=error
            )
        ) from None
    if command in ([], ["cat"]):
        return None
    environment = dict(os.environ)
    environment.setdefault("LESS", "FRX")  # quit if one screen, keep colours, leave the screen as it is
    if header and Path(command[0]).name == "less" and _less_version(command[0]) >= 600:
        command.append(f"--header={header}")
    stream.flush()
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=environment)
    except OSError:
        return None
    interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)  # the pager was started with the default
    try:
        assert pager.stdin is not None
        try:
            pager.stdin.write(text.encode(stream.encoding or "utf-8", errors="backslashreplace"))
            pager.stdin.close()
        except BrokenPipeError:
            pass  # the reader quit the pager early
        return pager.wait()
    finally:
        signal.signal(signal.SIGINT, interrupt)


class PagerError(ZhashuiError):
    """The pager the environment names cannot be read as a command line (an unbalanced quote)."""


def _less_version(less: str) -> int:
    import subprocess

    try:
        shown = subprocess.run([less, "--version"], capture_output=True, text=True, timeout=5, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return 0
    words = shown.split()
    return int(words[1]) if len(words) > 1 and words[0] == "less" and words[1].isdigit() else 0
