"""What zhashui says about itself: its short usage (zhashui alone), help on a command
(zhashui help COMMAND) and its version with the data's (zhashui version, --version)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from zhashui_cli._i18n import N_, Translate, _
from zhashui_cli._version import __version__
from zhashui_cli.cli import options
from zhashui_cli.cli._typer import UsageError
from zhashui_cli.cli.exits import did_you_mean, emit
from zhashui_cli.cli.views import counted, fact_base
from zhashui_cli.output.render import printable

# The examples `zhashui` alone and `zhashui --help` lead with (a question in Chinese, one in
# English, a fact in full), each with what it shows.
_EXAMPLES = (
    ("zhashui search 木耳", N_("what did Zhashui claim about wood ear?")),
    ("zhashui search how many toilets were built", ""),
    ("zhashui show 2023-toilets", N_("a fact in full, with its source")),
)


def examples(_: Translate = _) -> str:
    """The examples, their explanations (through _) aligned by cells (木耳 takes four columns).
    Counted with unicodedata, not terminal.tables.width_of, which brings rich's cell tables:
    this runs when the app is built, on every run, and a JSON search imports no rich."""
    import unicodedata

    def width_of(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)

    column = max(width_of(command) for command, said in _EXAMPLES if said) + 2  # a long one alone runs past
    lines = [
        f"  {command}{' ' * (column - width_of(command))}{_(said)}" if said else f"  {command}"
        for command, said in _EXAMPLES
    ]
    return "\n".join(lines)


def summary(_: Translate = _) -> str:
    return _("Search the claims of the Zhashui County (柞水县) bulletin of 2024-02-07")


def root_help(_: Translate) -> str:
    """What `zhashui --help` says of zhashui, each message through _ (N_ when the app is built,
    the run's language when the help is drawn: _i18n.deferred)."""
    summary_line = _("{summary}: a curated, verifiable fact base of its 2023 results and 2024 plans.")
    return summary_line.format(summary=summary(_)) + "\n\n\b\n" + _("Examples:") + f"\n{examples(_)}"


def usage(commands: Sequence[str]) -> str:
    """What `zhashui` alone prints: how to call it, the examples and the commands, short
    enough to read at a glance (gh's way); --help has the rest."""
    import textwrap

    listing = textwrap.fill(", ".join(commands), width=78, initial_indent="  ", subsequent_indent="  ")
    return (
        _("{summary}.").format(summary=summary())
        + "\n\n"
        + _("Usage: ")
        + "zhashui COMMAND [ARGS]...\n\n"
        + _("Examples:")
        + f"\n{examples()}\n\n"
        + _("Commands:")
        + f"\n{listing}\n\n"
        + _("`zhashui help COMMAND` (or COMMAND --help) says more of a command; `zhashui --help` lists them all.")
        + "\n"
    )


def version(ctx: typer.Context) -> None:
    """zhashui's version, then the fact base's: its counts, file and SHA-256, and its sources."""
    with fact_base(ctx) as base:
        stats = base.stats()
        sources = base.sources()
        digest = base.sha256()
        where = _("{path} (packaged)").format(path=base.path) if base.packaged else str(base.path)
    published = _(", ").join(_("{id} published {date}").format(id=s["id"], date=s["published"]) for s in sources)
    data = _("data: {facts}, {figures} from {sources}: {published}")
    lines = [
        f"zhashui {__version__}",
        data.format(**counted(stats["facts"], stats["figures"], len(sources)), published=published),
        _("fact file: {where}, sha256 {digest}").format(where=where, digest=digest[:12]),
    ]
    emit(lambda: sys.stdout.write("".join(printable(line) + "\n" for line in lines)))


def version_command(ctx: typer.Context, facts: options.Facts = None) -> None:
    """Show the version of zhashui and of the fact base in use: its facts, figures, sources and
    the SHA-256 of its file (what --version shows).

    \b
    Examples:
      zhashui version
      zhashui version --facts my-base/facts.yaml
    """
    version(ctx)


def no_such_command(name: str, commands: Sequence[str], ctx: Any) -> Exception:
    """The usage error for a command zhashui does not have, with the one it likely means (by
    suggest.py's rule, not typer's difflib guess)."""
    return UsageError(_("No such command '{name}'").format(name=name) + did_you_mean(name, commands, limit=1), ctx)


def _command_names(ctx: typer.Context, incomplete: str) -> list[str]:
    root = ctx.find_root()
    return [name for name in root.command.list_commands(root) if name.startswith(incomplete)]  # type: ignore[attr-defined]


def help_command(
    ctx: typer.Context,
    command: Annotated[
        str | None,
        typer.Argument(
            metavar="[COMMAND]", autocompletion=_command_names, show_default=False, help=N_("The command to explain.")
        ),
    ] = None,
) -> None:
    """Show the help of a command (the same as COMMAND --help), or of zhashui.

    \b
    Examples:
      zhashui help search
      zhashui help
    """
    root = ctx.find_root()
    group = root.command
    if command is None:
        text = group.get_help(root)
    else:
        chosen = group.get_command(root, command)  # type: ignore[attr-defined]
        if chosen is None:
            raise no_such_command(command, group.list_commands(root), root)  # type: ignore[attr-defined]
        text = chosen.get_help(chosen.context_class(chosen, info_name=command, parent=root))
    emit(lambda: sys.stdout.write(text + "\n"))
