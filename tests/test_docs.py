"""The README cannot rot: its first commands are the ones CI runs, and its reference is current."""

from __future__ import annotations

import re

from .conftest import REPO, load_script

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_install_and_run_then_test_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.DOTALL)
    assert first_block is not None and README.index(first_block.group()) < README.index("\n## ")
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["pip install . && zhashui search 木耳", "pip install '.[test]' && pytest"]


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install '.[test]' && pytest" in README
    assert "README.md" in ci  # .ci/run takes the command from the README itself
    for check in ("ruff check", "ruff format --check", "mypy --strict"):
        assert check in ci


def test_the_examples_and_the_command_reference_are_the_apps_own_output() -> None:
    assert load_script("gen_readme").update(README) == README, "run python scripts/gen_readme.py"
    assert "Usage: zhashui search [OPTIONS] [QUERY]..." in README


def test_every_exit_code_is_documented() -> None:
    from zhashui_cli.exits import ExitCode

    for code in ExitCode:
        assert re.search(rf"^\| {code.value} \|", README, re.MULTILINE), code
