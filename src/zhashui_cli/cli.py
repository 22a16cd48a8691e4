"""The zhashui command line: options in, the library (api.py) called, records rendered, an exit
code out. The commands live in cli_find.py (search, show, tags, figures), cli_overview.py
(categories, stats, sources) and cli_curate.py (verify, coverage, export); this module holds
the app, what they share, and `completion`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer
from typer.core import TyperGroup

from . import __version__, exits, options, render, tables, terminal
from .api import FactBase
from .api import open as open_base
from .exits import ExitCode, UsageProblem, emit
from .render import OutputFormat

if TYPE_CHECKING:
    from rich.console import RenderableType

SHELLS = ("bash", "zsh", "fish", "powershell")
# The commands in the order --help lists them: finding, describing, curating, the shell.
COMMANDS = (
    "search",
    "show",
    "tags",
    "figures",
    "categories",
    "stats",
    "sources",
    "verify",
    "coverage",
    "export",
    "completion",
)


class ZhashuiGroup(TyperGroup):
    """The command group. Its main() turns every failure into one line on stderr and an exit
    code, so the console script, `python -m zhashui_cli` and CliRunner all behave alike.

    Built by command_group(), it makes a command's click parameters only when the command
    line names it: turning a command's signature into them is most of typer's start-up, and
    a run needs one command, not eleven. (CliRunner, given the Typer app, builds them all.)
    """

    unbuilt: dict[str, Any]

    def list_commands(self, ctx: Any) -> list[str]:
        names = {*super().list_commands(ctx), *getattr(self, "unbuilt", {})}
        return sorted(names, key=lambda name: COMMANDS.index(name) if name in COMMANDS else len(COMMANDS))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        unbuilt = getattr(self, "unbuilt", {})
        if cmd_name not in self.commands and cmd_name in unbuilt:
            self.commands[cmd_name] = typer_internals().build_command(unbuilt[cmd_name])
        return super().get_command(ctx, cmd_name)

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> int:
        def invoke() -> Any:
            if os.environ.get("_ZHASHUI_COMPLETE"):  # a shell asks for completions
                typer_internals().completion_init()
            return TyperGroup.main(self, args, "zhashui", complete_var, standalone_mode=False, **extra)

        words = sys.argv[1:] if args is None else args
        known = {*self.commands, *getattr(self, "unbuilt", {})}
        command = next((word for word in words if word in known), None)
        code = exits.run(invoke, lambda error: usage_message(error, command))
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    name="zhashui",
    epilog=exits.epilog(),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    cls=ZhashuiGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# -- what the commands share ------------------------------------------------------------------
def output_format(fmt: OutputFormat, as_json: bool) -> OutputFormat:
    if as_json and fmt not in (OutputFormat.TABLE, OutputFormat.JSON):
        raise UsageProblem(f"--json and --format {fmt.value} contradict each other; use one of them")
    return OutputFormat.JSON if as_json else fmt


def out(bom: bool = False) -> render.Output:
    stdout = sys.stdout
    tty = terminal.forced_tty() or stdout.isatty()
    return render.Output(stdout.buffer, stdout, terminal.width(stdout), terminal.height(stdout), tty, bom)


@contextmanager
def fact_base(ctx: typer.Context) -> Iterator[FactBase]:
    """The fact base of the command line, with progress on stderr should its first load be slow."""
    with terminal.Progress(sys.stderr) as progress:
        yield open_base(options.facts_in_use(ctx), progress=progress)


class View(NamedTuple):
    """What a command prints, in every format."""

    rows: Sequence[Mapping[str, Any]]  # its records
    fields: Sequence[str]  # every field of a record: what machine formats carry
    chosen: Sequence[str] | None  # --fields
    columns: Sequence[str]  # what a table, a pipe and Markdown show
    table: Callable[[int], RenderableType | str] | None = None  # for a terminal of that width; text as it is
    document: Mapping[str, Any] | None = None  # JSON and YAML write this object instead of the rows
    lines: Sequence[bytes] | None = None  # the rows as JSON lines already, to pass through
    plain: Callable[[], str] | None = None  # the text for a pipe, when it is no tab-separated table
    markdown: Callable[[], str] | None = None  # the Markdown, when it is more than a table of the rows


def show(view: View, fmt: OutputFormat, pager: bool = True, bom: bool = False) -> None:
    """Write a view to stdout in a format; a failed write becomes an exit code (exits.emit)."""
    emit(lambda: _write(view, fmt, out(bom), pager))


def _write(view: View, fmt: OutputFormat, target: render.Output, pager: bool) -> None:
    fields = view.chosen or view.fields
    if fmt in (OutputFormat.JSON, OutputFormat.JSONL) and view.lines is not None and not view.chosen:
        target.binary.write(render.json_list(view.lines, fmt))
    elif fmt in (OutputFormat.JSON, OutputFormat.YAML) and view.document is not None and not view.chosen:
        render.document(view.document, fmt, view.rows, fields, target)
    elif fmt is OutputFormat.MARKDOWN and view.markdown is not None and not view.chosen:
        target.write(view.markdown())
    elif fmt is OutputFormat.MARKDOWN:
        render.listing(render.project(view.rows, view.chosen or view.columns), fmt, view.chosen or view.columns, target)
    elif fmt is not OutputFormat.TABLE:
        render.listing(render.project(view.rows, fields), fmt, fields, target)
    elif not target.terminal:
        text = view.plain() if view.plain and not view.chosen else None
        columns = view.chosen or view.columns
        target.text.write(
            text if text is not None else render.tsv([[row.get(c) for c in columns] for row in view.rows])
        )
    elif view.rows or view.document or view.plain is not None:  # a text of its own says something even without rows
        table = view.table if view.table is not None and not view.chosen else None
        drawn = (
            table(target.width)
            if table is not None
            else tables.generic(view.rows, view.chosen or view.columns, width=target.width)
        )
        text = drawn if isinstance(drawn, str) else tables.draw(drawn, target.width)
        tall = text.count("\n") >= target.height
        if not (pager and tall and target.text.isatty() and terminal.page(text, target.text)):
            target.text.write(text)


def row_limit(limit: int | None, fmt: OutputFormat) -> int | None:
    """How many rows to print: --limit (0: all); a table, and its lines in a pipe, 20 unless
    told otherwise; every other format all of them."""
    if limit is None and fmt is OutputFormat.TABLE:
        return tables.DEFAULT_LIMIT
    return limit or None


def note_limited(shown: int, total: int, what: str, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.TABLE and total > shown:
        exits.note(f"showing {shown} of {total} {what}; --limit 0 shows all")


def words_of(query: Sequence[str]) -> list[str]:
    """The query as UTF-8 text. In a C locale Python decodes arguments as ASCII, escaping
    each other byte; bytes that are UTF-8 after all are decoded as such."""
    decoded = []
    for n, word in enumerate(query, 1):
        try:
            decoded.append(os.fsencode(word).decode("utf-8"))
        except UnicodeDecodeError:
            raise UsageProblem(f"query word {n} is not valid UTF-8; check the terminal's encoding") from None
    return decoded


# -- the root and completion ----------------------------------------------------------------------
def _version(value: bool) -> None:
    if value:
        emit(lambda: sys.stdout.write(f"zhashui {__version__}\n"))
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    facts: options.Facts = None,
) -> None:
    """Search the claims of the Zhashui County (柞水县) bulletin of 2024-02-07: a curated,
    verifiable fact base of its 2023 results and 2024 plans.

    \b
    Examples:
      zhashui search 木耳                        what did Zhashui claim about wood ear?
      zhashui search how many toilets were built
      zhashui show 2023-toilets                  a fact in full, with its source
    """


@app.command("completion")
def completion_command(
    shell: Annotated[str, typer.Argument(metavar=f"<{'|'.join(SHELLS)}>", help="The shell to complete in.")],
    install: Annotated[
        bool, typer.Option("--install", help="Install it for this user instead of printing it.")
    ] = False,
) -> None:
    """Print the shell completion script for SHELL (or --install it). Completion offers
    commands, options, and values from the fact base in use: categories, years, kinds, tags,
    units, sources, sections, fields and fact ids.

    \b
    Examples:
      eval "$(zhashui completion bash)"              in ~/.bashrc
      zhashui completion zsh > ~/.zfunc/_zhashui     with fpath+=~/.zfunc in ~/.zshrc
      zhashui completion fish --install
    """
    chosen = shell.strip().lower()
    if chosen not in SHELLS:
        raise UsageProblem(f"unknown shell '{shell}'; use one of {', '.join(SHELLS)}")
    internals = typer_internals()
    internals.completion_init()
    if install:
        installed, path = internals.install(shell=chosen, prog_name="zhashui", complete_var="_ZHASHUI_COMPLETE")
        exits.note(f"{installed} completion installed in {path}; it takes effect in a new shell")
        return
    script = internals.get_completion_script(prog_name="zhashui", complete_var="_ZHASHUI_COMPLETE", shell=chosen)
    emit(lambda: sys.stdout.write(script.rstrip("\n") + "\n"))


# -- running ----------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """Run the app on argv (default: the command line) and return its exit code."""
    return int(command_group().main(args=argv, standalone_mode=False))


def command_group() -> ZhashuiGroup:
    """The app as a click group whose commands are built when they are named."""
    from typer.main import get_command

    registered, app.registered_commands = app.registered_commands, []
    try:
        group = get_command(app)  # the root's options and callback
    finally:
        app.registered_commands = registered
    assert isinstance(group, ZhashuiGroup)
    group.unbuilt = {str(info.name): info for info in registered}
    return group


def usage_message(error: Exception, command_name: str | None = None) -> str | None:
    """Click's message for a usage error, on one line, with the help to read (the command's,
    when the command line names one); None when the error is not one of click's."""
    internals = typer_internals()
    click_error, no_args_is_help, no_such_option, missing_value = internals.click_errors
    failure: Any = error  # click's errors carry format_message() and their context
    if isinstance(error, no_args_is_help):
        sys.stderr.write(failure.format_message() + "\n")
        return ""
    if not isinstance(error, click_error):
        return None
    context = getattr(error, "ctx", None)
    if context is not None and context.parent is not None:
        command_name = context.info_name
    command = f"zhashui {command_name}" if command_name else "zhashui"
    message = " ".join(failure.format_message().split()).rstrip(".")
    name = getattr(error, "option_name", "") or ""
    if message.startswith("No such command '"):  # typer may have added its own guess; ours is the one
        typed = message.split("'")[1]
        message = f"No such command '{typed}'{_close_option(typed, COMMANDS)}"
    if isinstance(error, no_such_option):
        if command == "zhashui search" and not name.startswith("--"):
            hint = "to search for text that starts with '-', put -- before it: zhashui search -- -5%"
            return f"No such option: {name}; {hint}"
        message = f"No such option: {name}{_close_option(name, failure.possibilities or [])}"
    if isinstance(error, missing_value) and name == "--fields" and _fields_of(command_name):
        return f"--fields needs a value; valid fields: {','.join(_fields_of(command_name))}"
    return f"{message}; see {command} --help"


def _close_option(name: str, possibilities: Sequence[str]) -> str:
    """The option (or command) meant, when one is close enough to be a likely typo (click's
    own guess, at difflib's default cutoff, offers --bom for --bogus)."""
    import difflib

    close = difflib.get_close_matches(name, possibilities, n=1, cutoff=0.75)
    return f" (did you mean {close[0]}?)" if close else ""


def _fields_of(command: str | None) -> Sequence[str]:
    from .cli_find import FIELDS as FIND_FIELDS
    from .cli_overview import FIELDS as OVERVIEW_FIELDS

    return {**FIND_FIELDS, **OVERVIEW_FIELDS}.get(command or "", ())


class TyperInternals(NamedTuple):
    click_errors: tuple[type[Exception], type[Exception], type[Exception], type[Exception]]
    completion_init: Callable[[], None]
    get_completion_script: Callable[..., str]
    install: Callable[..., tuple[str, Any]]
    build_command: Callable[[Any], Any]


def typer_internals() -> TyperInternals:
    """What zhashui takes from typer's private modules: click's usage errors (typer ships click
    inside itself and exports none of its exception classes), the completion machinery
    (typer's public completion options cannot name a shell), and the building of one command
    (for ZhashuiGroup). Taken here, and only here; tests/test_shell.py::
    test_typer_still_has_the_internals_we_use fails loudly when typer moves them."""
    from typer._click.exceptions import BadOptionUsage, ClickException, NoArgsIsHelpError, NoSuchOption
    from typer._completion_classes import completion_init
    from typer._completion_shared import get_completion_script, install
    from typer.main import get_command_from_info

    def build_command(info: Any) -> Any:
        return get_command_from_info(
            info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode
        )

    errors = (ClickException, NoArgsIsHelpError, NoSuchOption, BadOptionUsage)
    return TyperInternals(errors, completion_init, get_completion_script, install, build_command)


# The commands register themselves on app when imported; they import this module first.
from . import cli_curate, cli_find, cli_overview  # noqa: E402, F401
