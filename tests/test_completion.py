"""Completion in real shells (issue 19, item 7): values quoted as the shell reads them, the
shells offered for `completion`, categories by Chinese name, ids with their claims, and an
--install that says what it changed and changes it once. bash, zsh and fish must be installed
(apt-get install -y zsh fish): each test drives the shell itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from zhashui_cli.cli.app import app
from zhashui_cli.cli.completion import bash_word

BIN = str(Path(sys.executable).parent)  # where the zhashui console script is


def shell(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is not installed; these tests drive it (apt-get install -y zsh fish)"
    return found


def run(*command: str, script: str | None = None) -> str:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        [*command, *([script] if script else [])], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def bash_reply(*words: str) -> list[str]:
    """What bash's completion function puts in COMPREPLY for the last word of a command line."""
    script = (
        'source <(zhashui completion bash); COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); '
        '_zhashui_completion zhashui; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    return run(shell("bash"), "--norc", "--noprofile", "-c", script, "bash", *words).splitlines()


def fish_offers(line: str) -> list[str]:
    """What fish offers for a command line (complete -C), each with its description after a tab."""
    command = f"zhashui completion fish | source; complete -C {line!r}"
    return run(shell("fish"), "--no-config", "-c", command).splitlines()


def zsh_line_after_tab(line: str, expected: str) -> str:
    """The command line an interactive zsh shows once Tab is pressed after line (in a zpty)."""
    script = """
zmodload zsh/zpty
zpty -b z 'zsh -f -i'
zpty -w z 'PS1="> "; autoload -Uz compinit; compinit -u -D; source <(zhashui completion zsh)'
zpty -w -n z "$1"$'\\t'
all=
for i in {1..600}; do
  if zpty -r -t z chunk; then all+=$chunk; [[ $all == *"$2"* ]] && break; else sleep 0.1; fi
done
zpty -d z
print -r -- $all
"""
    return run(shell("zsh"), "-f", "-c", script, "zsh", line, expected)


# -- values quoted for the shell ----------------------------------------------------------------
def test_bash_inserts_a_value_with_a_space_as_one_word() -> None:
    reply = bash_reply("zhashui", "search", "-t", "wood")
    assert reply == ["wood\\ ear"]
    words = run(shell("bash"), "--norc", "-c", f'eval "set -- {reply[0]}"; echo "$#:$1"')
    assert words == "1:wood ear\n"  # one word, the tag


def test_bash_words_keep_chinese_and_escape_what_bash_would_read() -> None:
    assert bash_word("乡村振兴") == "乡村振兴"
    assert bash_word("2023-highlight-5") == "2023-highlight-5"
    assert bash_word("a b'c$(d)") == "a\\ b\\'c\\$\\(d\\)"


def test_zsh_and_fish_insert_it_quoted_too() -> None:
    assert "zhashui search -t wood\\ ear" in zsh_line_after_tab("zhashui search -t wood", "wood\\ ear")
    assert fish_offers("zhashui search -t wood") == ["wood ear"]  # fish escapes what it inserts


# -- what is offered ------------------------------------------------------------------------------
def test_completion_offers_the_shells() -> None:
    assert bash_reply("zhashui", "completion", "") == ["bash", "zsh", "fish", "powershell"]
    assert sorted(fish_offers("zhashui completion ")) == ["bash", "fish", "powershell", "zsh"]


def test_a_category_completes_from_its_chinese_name() -> None:
    assert bash_reply("zhashui", "search", "-c", "乡") == ["乡村振兴"]
    assert fish_offers("zhashui search -c 乡") == ["乡村振兴\trural · Rural revitalisation"]
    assert "rural" in bash_reply("zhashui", "search", "-c", "r")  # ids while an id starts so


def test_ids_come_with_their_claims_in_fish_and_zsh() -> None:
    assert fish_offers("zhashui show 2023-toi") == [
        "2023-toilets\t2023年柞水县新建和改建农村公厕和旅游厕所98座、户厕7168座。"
    ]
    variables = {"_ZHASHUI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "zhashui show 2023-toi"}
    spec = subprocess.run(
        [f"{BIN}/zhashui"], capture_output=True, text=True, env={**os.environ, **variables}, check=False
    ).stdout
    stub = '_arguments() { print -r -- "$@" }; eval "$1"'  # what zsh's _arguments is handed
    assert run(shell("zsh"), "-f", "-c", stub, "zsh", spec) == (
        '*: :(("2023-toilets":"2023年柞水县新建和改建农村公厕和旅游厕所98座、户厕7168座。"))\n'
    )
    assert bash_reply("zhashui", "show", "2023-toi") == ["2023-toilets"]  # bash shows no descriptions


# -- --install ------------------------------------------------------------------------------------
def install(home: Path, shell_name: str) -> Any:
    return CliRunner().invoke(app, ["completion", shell_name, "--install"], env={"HOME": str(home)})


def test_install_for_bash_says_which_files_it_changed_and_changes_them_once(tmp_path: Path) -> None:
    rc = tmp_path / ".bashrc"
    rc.write_text("alias ll='ls -l'")  # no final newline
    script, line = tmp_path / ".bash_completions" / "zhashui.sh", f"source '{tmp_path}/.bash_completions/zhashui.sh'"
    first = install(tmp_path, "bash")
    assert (first.exit_code, first.stdout) == (0, "")
    assert (
        first.stderr
        == f"zhashui: bash completion: wrote {script}; added `{line}` to {rc}; it takes effect in a new shell\n"
    )
    assert rc.read_text() == f"alias ll='ls -l'\n{line}\n"
    assert "_zhashui_completion" in script.read_text() and script.read_text().endswith("\n")
    second = install(tmp_path, "bash")
    assert second.stderr == (
        f"zhashui: bash completion: left unchanged {script}; found `{line}` in {rc}; it takes effect in a new shell\n"
    )
    assert rc.read_text() == f"alias ll='ls -l'\n{line}\n"  # not twice


def test_install_keeps_a_linked_startup_file_a_link(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "zshrc").write_text("export EDITOR=vi\n")
    (tmp_path / ".zshrc").symlink_to(dotfiles / "zshrc")
    result = install(tmp_path, "zsh")
    assert result.exit_code == 0 and f"to {tmp_path / '.zshrc'}" in result.stderr
    assert (tmp_path / ".zshrc").is_symlink()
    assert (dotfiles / "zshrc").read_text() == "export EDITOR=vi\nfpath+=~/.zfunc; autoload -Uz compinit; compinit\n"
    assert (tmp_path / ".zfunc" / "_zhashui").read_text().startswith("#compdef zhashui")


def test_install_refuses_a_startup_file_that_is_no_file(tmp_path: Path) -> None:
    (tmp_path / ".bashrc").symlink_to(os.devnull)  # looked at, never written: refused before any write
    result = install(tmp_path, "bash")
    assert result.exit_code == 2 and result.stderr == (
        f"zhashui: {tmp_path}/.bashrc is not a regular file (it leads to {os.devnull}), so --install leaves it "
        "alone; print the script instead\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == [".bashrc"]  # nor the script written


def test_install_for_fish_writes_only_its_completions_file(tmp_path: Path) -> None:
    result = install(tmp_path, "fish")
    written = tmp_path / ".config" / "fish" / "completions" / "zhashui.fish"
    assert result.stderr == f"zhashui: fish completion: wrote {written}; it takes effect in a new shell\n"
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == [
        ".config/fish/completions/zhashui.fish"
    ]


def test_install_for_powershell_says_what_to_add_instead_of_changing_a_profile(tmp_path: Path) -> None:
    result = install(tmp_path, "powershell")
    assert result.exit_code == 2 and "zhashui completion powershell | Out-String | Invoke-Expression" in result.stderr
    assert list(tmp_path.iterdir()) == []
