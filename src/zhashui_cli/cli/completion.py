"""`zhashui completion`: the shell completion script, printed or installed; and the quoting
of what completion offers bash."""

from __future__ import annotations

import re
import stat
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from zhashui_cli._i18n import N_, _
from zhashui_cli.errors import OutputWriteError

from . import exits, options
from ._typer import typer_internals
from .exits import UsageProblem, emit

SHELLS = ("bash", "zsh", "fish", "powershell")
_PROGRAM, _VARIABLE = "zhashui", "_ZHASHUI_COMPLETE"
# What bash would read as something else in a word: all but letters (of any script), digits
# and the marks that mean nothing to it.
_BASH_SPECIAL = re.compile(r"([^\w\-.,:/@%+=])")


def bash_word(value: str) -> str:
    """A value as bash must insert it to read it back as one word: `wood\\ ear`, not `wood ear`
    (which it would read as two, the tag wood and a query)."""
    return _BASH_SPECIAL.sub(r"\\\1", value)


def init() -> None:
    """Make the shells' completion classes known to click: typer's, with bash's values quoted."""
    internals = typer_internals()
    internals.completion_init()

    class QuotedBash(internals.bash_complete):  # type: ignore[misc, name-defined]
        def format_completion(self, item: Any) -> str:
            return bash_word(item.value)

    internals.add_completion_class(QuotedBash, "bash")


def completion_command(
    shell: Annotated[
        str,
        typer.Argument(
            metavar=f"<{'|'.join(SHELLS)}>", click_type=options.Choice(SHELLS), help=N_("The shell to complete in.")
        ),
    ],
    install: Annotated[
        bool,
        typer.Option(
            "--install", help=N_("Install it for this user instead of printing it (says which files it changed).")
        ),
    ] = False,
) -> None:
    """Print the shell completion script for SHELL (or --install it). Completion offers
    commands, options, and values from the fact base in use: categories (by id or Chinese
    name), years, kinds, tags, units, sources, sections, fields and fact ids (with their
    claims, in zsh and fish).

    \b
    Examples:
      eval "$(zhashui completion bash)"            in ~/.bashrc
      zhashui completion zsh > ~/.zfunc/_zhashui   and fpath+=~/.zfunc in ~/.zshrc
      zhashui completion fish --install
    """
    init()
    script = typer_internals().get_completion_script(prog_name=_PROGRAM, complete_var=_VARIABLE, shell=shell)
    script = script.strip("\n") + "\n"
    if install:
        _install(shell, script)
        return
    emit(lambda: sys.stdout.write(script))


# -- installing ---------------------------------------------------------------------------------
def _install(shell: str, script: str) -> None:
    """Write the script where the shell looks for it, and the line that loads it into the
    shell's start-up file where it needs one; say on stderr what changed, and nothing more
    the second time (the line is added once)."""
    home = Path.home()
    if shell == "powershell":
        raise UsageProblem(
            _("--install does not change PowerShell's profile; add this line to $PROFILE yourself: {line}").format(
                line="zhashui completion powershell | Out-String | Invoke-Expression"
            )
        )
    places = {
        "bash": (home / ".bash_completions" / "zhashui.sh", home / ".bashrc"),
        "zsh": (home / ".zfunc" / "_zhashui", home / ".zshrc"),
        "fish": (home / ".config" / "fish" / "completions" / "zhashui.fish", None),
    }
    script_path, rc_path = places[shell]
    if rc_path is not None:
        _text_of(rc_path)  # a start-up file that is no file is refused before anything is written
    wrote = _("wrote {path}") if _write_whole(script_path, script) else _("left unchanged {path}")
    said = [wrote.format(path=script_path)]
    if rc_path is not None:
        line = f"source '{script_path}'" if shell == "bash" else "fpath+=~/.zfunc; autoload -Uz compinit; compinit"
        added = _add_line(rc_path, line)
        done = _("added `{line}` to {path}") if added else _("found `{line}` in {path}")
        said.append(done.format(line=line, path=rc_path))
    separator = _("; ")
    exits.note(
        _("{shell} completion: {changes}; it takes effect in a new shell").format(
            shell=shell, changes=separator.join(said)
        )
    )


def _add_line(path: Path, line: str) -> bool:
    """Add a line at the end of a start-up file (with a final newline) unless it is there."""
    old = _text_of(path)
    if old is not None and line in old.splitlines():
        return False
    before = old or ""
    _write_whole(path, f"{before}{'' if not before or before.endswith(chr(10)) else chr(10)}{line}\n")
    return True


def _text_of(path: Path) -> str | None:
    """A start-up file's text, None when there is none; a special file or a folder is refused
    (a ~/.bashrc that leads to /dev/null is no file to add a line to)."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise OutputWriteError(_("cannot read {path}: {reason}").format(path=path, reason=error.strerror)) from error
    if not stat.S_ISREG(status.st_mode):
        leads = _(" (it leads to {target})").format(target=path.resolve()) if path.is_symlink() else ""
        raise UsageProblem(
            _("{path} is not a regular file{leads}, so --install leaves it alone; print the script instead").format(
                path=path, leads=leads
            )
        )
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise OutputWriteError(_("cannot read {path}: {reason}").format(path=path, reason=error)) from error


def _write_whole(path: Path, text: str) -> bool:
    """Write a file whole or not at all (a temporary beside it, then a rename), through a
    symbolic link to the file it names (a dotfiles link stays a link), keeping its mode.
    False when it held that text already."""
    from zhashui_cli.export import target

    real = path.resolve()
    old = _text_of(real)
    if old == text:
        return False
    temporary = target.temporary_beside(real)
    try:
        temporary.write_text(text, encoding="utf-8")
        if old is not None:
            temporary.chmod(stat.S_IMODE(real.stat().st_mode))
        target.put_file(temporary, real)
    except OSError as error:
        target.discard(temporary)
        reason = error.strerror or error
        raise OutputWriteError(_("cannot write {path}: {reason}").format(path=path, reason=reason)) from error
    return True
