"""The zhashui command line: the app, its commands in the order --help lists them, and the
running of it (every failure one line on stderr and an exit code). The commands themselves
live in commands/ (find: search, show, tags, figures; overview: categories, stats, sources;
curate: verify, coverage, export; cache; about: help, version and the usage of zhashui
alone) and completion.py; what they share, in views.py and options.py.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from zhashui_cli._i18n import N_, _, deferred

from . import exits, options
from ._typer import (
    HelpContext,
    TranslatedHelp,
    build_command,
    click_message,
    group_without_commands,
    typer_internals,
)
from .commands import about
from .exits import ExitCode, did_you_mean, emit
from .fields import FIELDS

# The commands in the order --help lists them (finding, describing, curating, the shell), each
# as the module under cli/ that defines it and its function. A run imports only the module of
# the command it names (command_function): the others cost a search a few milliseconds.
COMMANDS: dict[str, str] = {
    "search": "commands.find:search_command",
    "show": "commands.find:show_command",
    "cite": "commands.cite:cite_command",
    "tags": "commands.find:tags_command",
    "figures": "commands.find:figures_command",
    "categories": "commands.overview:categories_command",
    "stats": "commands.overview:stats_command",
    "sources": "commands.overview:sources_command",
    "verify": "commands.curate:verify_command",
    "coverage": "commands.curate:coverage_command",
    "export": "commands.curate:export_command",
    "completion": "completion:completion_command",
    "cache": "commands.cache:cache_command",
    "help": "commands.about:help_command",
    "version": "commands.about:version_command",
}
ORDER = list(COMMANDS)


def command_function(name: str) -> Callable[..., None]:
    """The function of the command called name, its module imported now."""
    module, function = COMMANDS[name].split(":")
    return getattr(importlib.import_module(f"{__package__}.{module}"), function)  # type: ignore[no-any-return]


class ZhashuiGroup(TranslatedHelp, TyperGroup):
    """The command group. Its main() turns every failure into one line on stderr and an exit
    code, so the console script, `python -m zhashui_cli` and CliRunner all behave alike.

    Built by command_group(), it makes a command's click parameters only when the command
    line names it: turning a command's signature into them is most of typer's start-up, and
    a run needs one command, not eleven. (CliRunner, given the Typer app, builds them all.)
    """

    unbuilt: Sequence[str]  # the commands not built until the command line names one
    context_class = HelpContext

    def list_commands(self, ctx: Any) -> list[str]:
        names = {*super().list_commands(ctx), *getattr(self, "unbuilt", ())}
        return sorted(names, key=lambda name: ORDER.index(name) if name in ORDER else len(ORDER))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        unbuilt = getattr(self, "unbuilt", ())
        if cmd_name not in self.commands and cmd_name in unbuilt:
            self.commands[cmd_name] = build_command(_app, _registered(cmd_name))
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """The command named first, or one line saying there is none, with zhashui's guess
        (suggest.py) rather than typer's, which difflib makes at its own cutoff."""
        name = args[0]
        if not ctx.resilient_parsing and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise about.no_such_command(name, self.list_commands(ctx), ctx)
        return super().resolve_command(ctx, args)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        """The exit codes, where click would write an epilog."""
        with formatter.section(_("Exit codes")):
            formatter.write_dl(exits.described())

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
                from . import completion

                completion.init()
            return TyperGroup.main(self, args, "zhashui", complete_var, standalone_mode=False, **extra)

        words = sys.argv[1:] if args is None else args
        known = {*self.commands, *getattr(self, "unbuilt", ())}
        command = next((word for word in words if word in known), None)
        code = exits.run(invoke, lambda error: usage_message(error, command))
        if standalone_mode:
            sys.exit(code)
        return code


class ZhashuiCommand(TranslatedHelp, TyperCommand):
    """A command whose help is formatted as the group's (HelpContext)."""

    context_class = HelpContext


_app = typer.Typer(
    name="zhashui",
    invoke_without_command=True,  # zhashui alone: a short usage (_root), as gh prints
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    cls=ZhashuiGroup,
    # help as wide as the terminal, not click's 80 columns at most
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 10_000},
)


# -- the root ----------------------------------------------------------------------------------
@_app.callback(help=deferred(about.root_help))
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help=N_("Show the version of zhashui and of the fact base, with its counts, and exit.")
        ),
    ] = False,
    facts: options.Facts = None,
    max_size: options.MaxSize = None,
) -> None:
    """The root: its options, then `zhashui` alone (a short usage, exit 0, as gh does),
    --version (which reads the fact base that --facts, parsed by now, names), or the command."""
    if ctx.resilient_parsing:  # a shell asking for completions: nothing to print
        return
    if version:
        about.version(ctx)
        raise typer.Exit(ExitCode.OK)
    if ctx.invoked_subcommand is None:
        emit(lambda: sys.stdout.write(about.usage(ORDER)))


def _registered(name: str) -> Any:
    """Command name registered on the app (once), as typer keeps it until it is built. Its
    docstring is its help, translated when it is drawn (scripts/gen_catalogue.py extracts the
    docstrings as messages)."""
    for info in _app.registered_commands:
        if info.name == name:
            return info
    command = command_function(name)
    doc = inspect.getdoc(command) or ""
    short = deferred(lambda _: first_sentence(_(doc)))
    _app.command(name, cls=ZhashuiCommand, help=doc, short_help=short)(command)
    return _app.registered_commands[-1]


def first_sentence(help_text: str) -> str:
    """What `zhashui --help` lists a command with, and zsh and fish describe it by: the first
    sentence of its help, whole (click's own cuts it at a width with "...", and knows no 。)."""
    paragraph = " ".join(help_text.split("\n\n", 1)[0].split())
    found = re.match(r".+?(\.(?=\s|$)|。)", paragraph)
    return found.group() if found else paragraph


def __getattr__(name: str) -> typer.Typer:
    """`app`: the Typer app with every command registered, as typer's CliRunner and the
    generated docs take it. A run registers and builds only the command it names
    (command_group), so that it imports no other command's module."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    for command in ORDER:
        _registered(command)
    _app.registered_commands.sort(key=lambda info: ORDER.index(str(info.name)))
    return _app


# -- running ----------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """Run the app on argv (default: the command line) and return its exit code."""
    return int(command_group().main(args=argv, standalone_mode=False))


def command_group() -> ZhashuiGroup:
    """The app as a click group whose commands are imported and built when they are named."""
    group = group_without_commands(_app, ZhashuiGroup)
    group.unbuilt = ORDER
    return group


def usage_message(error: Exception, command_name: str | None = None) -> str | None:
    """Click's message for a usage error, on one line, with the help to read (the command's,
    when the command line names one); None when the error is not one of click's."""
    internals = typer_internals()
    click_error, no_such_option, missing_value = internals.click_errors
    failure: Any = error  # click's errors carry format_message() and their context
    if not isinstance(error, click_error):
        return None
    context = getattr(error, "ctx", None)
    if context is not None:  # the command whose parsing failed; the root's is zhashui's own
        command_name = context.info_name if context.parent is not None else None
    command = f"zhashui {command_name}" if command_name else "zhashui"
    message = click_message(" ".join(failure.format_message().split()).rstrip("."))
    name = getattr(error, "option_name", "") or ""
    if isinstance(error, no_such_option):
        if command == "zhashui search" and not name.startswith("--"):
            hint = _("to search for text that starts with '-', put -- before it: zhashui search -- -5%")
            return _("No such option: {name}; {hint}").format(name=name, hint=hint)
        # click's own guess, at difflib's default cutoff and with the dashes, offers --bom for --bogus
        message = _("No such option: {name}").format(name=name)
        message += did_you_mean(name, failure.possibilities or [], limit=1)
    if isinstance(error, missing_value) and name == "--fields" and _fields_of(command_name):
        fields = ",".join(_fields_of(command_name))
        return _("--fields needs a value; valid fields: {fields}").format(fields=fields)
    return _("{message}; see {command} --help").format(message=message, command=command)


def _fields_of(command: str | None) -> Sequence[str]:
    return FIELDS.get(command or "", ())
