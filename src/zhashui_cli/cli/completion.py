"""`zhashui completion`: the shell completion script, printed or installed."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from . import exits
from ._typer import typer_internals
from .exits import UsageProblem, emit

SHELLS = ("bash", "zsh", "fish", "powershell")


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
