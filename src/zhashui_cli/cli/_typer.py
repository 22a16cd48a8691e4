"""What zhashui takes from typer's private modules, and only here.

typer ships click inside itself and exports none of its exception classes; its public
completion options cannot name a shell; and building one command at a time (so that a run
pays for the one command it names, not eleven) needs its command-building function and the
app's list of registered commands. tests/test_shell.py::test_typer_still_has_the_internals_we_use
fails loudly when typer moves any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

import typer
import typer.core

# Click's classes for a parameter type of zhashui's own: refusing a value in zhashui's words,
# with its did-you-mean, rather than click's (options.Choice, options.Count). `import typer`
# has imported these modules already.
from typer._click.exceptions import UsageError
from typer._click.formatting import HelpFormatter
from typer._click.shell_completion import CompletionItem
from typer._click.types import ParamType

from zhashui_cli import _i18n
from zhashui_cli._i18n import _, translated

G = TypeVar("G")

# typer's core.py writes the headings and brackets of help ("Options", "[default: …]") through
# the stdlib's gettext.gettext, bound as its `_`, in gettext's default domain. The command line,
# and only it, gives that module zhashui's catalogue instead, which carries those messages
# (scripts/gen_catalogue.py extracts them): the library and any other user of typer are left
# as they are. Its vendored click has no gettext at all; click_message() translates its errors.
if _i18n.CHINESE:
    typer.core._ = _  # type: ignore[attr-defined]
__all__ = [
    "CompletionItem",
    "ParamType",
    "TyperInternals",
    "UsageError",
    "build_command",
    "group_without_commands",
    "typer_internals",
]


class CellsHelpFormatter(HelpFormatter):
    """Click's help formatter, with the options' help wrapped by the cells a text takes on a
    terminal (a Chinese character is two) and by wrap.py's breaks: click counts characters,
    so a line of `--unit`'s help with 元 and 平方米 in it ran past an 80-column terminal."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}" + _("{heading}:").format(heading=heading) + "\n")

    def write_text(self, text: str) -> None:
        """Paragraphs wrapped by cells in Chinese, which has no spaces for click's wrapping to
        break at (a line of it ran to twice the terminal's width); English as click wraps it.
        A paragraph that starts with a \\b line is kept as it is, as click keeps it."""
        if not _i18n.CHINESE:
            super().write_text(text)
            return
        import re

        from zhashui_cli.terminal.wrap import wrap_offsets

        indent = " " * self.current_indent
        paragraphs = []
        for paragraph in re.split(r"\n\s*\n", text.strip("\n")):
            lines = paragraph.splitlines()
            if lines and lines[0].strip() == "\b":
                paragraphs.append("\n".join(indent + line for line in lines[1:]))
                continue
            joined = " ".join(line.strip() for line in lines)
            room = max(self.width - len(indent), 10)
            paragraphs.append("\n".join(indent + joined[start:end] for start, end in wrap_offsets(joined, room)))
        self.write("\n\n".join(paragraphs) + "\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        from zhashui_cli.terminal.tables import width_of
        from zhashui_cli.terminal.wrap import wrap_offsets

        rows = [(row[0], row[1] if len(row) > 1 else "") for row in rows]
        first_col = min(max((width_of(first) for first, _ in rows), default=0), col_max) + col_spacing
        hanging = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if width_of(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width_of(first)))
            else:
                self.write("\n" + hanging)
            text = second.replace("\n", " ")
            lines = [text[start:end] for start, end in wrap_offsets(text, max(self.width - first_col - 2, 10))]
            self.write("\n".join(lines or [""]).replace("\n", "\n" + hanging) + "\n")


class HelpContext(typer.Context):
    """The context of zhashui's group and commands: help formatted by CellsHelpFormatter."""

    formatter_class = CellsHelpFormatter


class TranslatedHelp:
    """For zhashui's group and commands: their help, held in English until then (_i18n.deferred),
    translated when it is drawn (--help, `zhashui help`) or describes a completion (zsh, fish)."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        translate_help(self, ctx)
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        translate_help(self, ctx)
        return super().shell_complete(ctx, incomplete)  # type: ignore[misc, no-any-return]


def translate_help(command: Any, ctx: Any) -> None:
    """The help of command, of its parameters and, for a group, of its commands, in the language
    of the run, in place, once."""
    if not _i18n.CHINESE or getattr(command, "help_translated", False):
        return
    command.help_translated = True
    for name in ("help", "short_help"):
        if getattr(command, name, None):
            setattr(command, name, translated(getattr(command, name)))
    for param in command.get_params(ctx):
        if getattr(param, "help", None):
            param.help = translated(param.help)
    for name in getattr(command, "list_commands", lambda ctx: [])(ctx):
        translate_help(command.get_command(ctx, name), ctx)


def click_message(message: str) -> str:
    """One of click's usage errors, as click words it in English, in the language of the run.

    The vendored click formats its messages in place, in English, so they are recognised by
    their wording (typer is pinned below 0.29, and tests/test_i18n.py checks each wording)."""
    import re

    if not _i18n.CHINESE:
        return message
    patterns = (
        (r"Missing argument '(?P<name>[^']*)'", _("missing argument '{name}'")),
        (r"Missing option '(?P<name>[^']*)'", _("missing option '{name}'")),
        (r"Missing parameter:? '?(?P<name>[^'.]*)'?", _("missing parameter '{name}'")),
        (r"Missing command", _("missing command")),
        (r"Got unexpected extra argument\(s\) \((?P<args>.*)\)", _("unexpected extra argument(s): {args}")),
        (r"Option '(?P<name>[^']*)' requires an argument", _("option '{name}' needs a value")),
        (r"Option '(?P<name>[^']*)' requires (?P<count>\d+) arguments", _("option '{name}' needs {count} values")),
        (r"Option '(?P<name>[^']*)' does not take a value", _("option '{name}' takes no value")),
        (r"Invalid value for (?P<name>.+?): (?P<reason>.*)", _("invalid value for {name}: {reason}")),
    )
    for pattern, chinese in patterns:
        found = re.fullmatch(pattern + r"\.?", message)
        if found:
            return chinese.format(**found.groupdict())
    return message


class TyperInternals(NamedTuple):
    click_errors: tuple[type[Exception], type[Exception], type[Exception]]
    completion_init: Callable[[], None]
    get_completion_script: Callable[..., str]
    bash_complete: type[Any]  # typer's bash completion, which writes values unquoted
    add_completion_class: Callable[..., Any]


def typer_internals() -> TyperInternals:
    """Click's usage errors and the completion machinery."""
    from typer._click.exceptions import BadOptionUsage, ClickException, NoSuchOption
    from typer._click.shell_completion import add_completion_class
    from typer._completion_classes import BashComplete, completion_init
    from typer._completion_shared import get_completion_script

    errors = (ClickException, NoSuchOption, BadOptionUsage)
    return TyperInternals(errors, completion_init, get_completion_script, BashComplete, add_completion_class)


def build_command(app: typer.Typer, info: Any) -> Any:
    """The click command of one of app's registered commands."""
    from typer.main import get_command_from_info

    return get_command_from_info(
        info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode
    )


def group_without_commands(app: typer.Typer, group_class: type[G]) -> G:
    """The app's click group with its root options and callback but none of its commands built,
    for them to be built when the command line names one (build_command)."""
    from typer.main import get_command

    registered, app.registered_commands = app.registered_commands, []
    try:
        group = get_command(app)
    finally:
        app.registered_commands = registered
    assert isinstance(group, group_class)
    return group
