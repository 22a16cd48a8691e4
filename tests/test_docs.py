"""The READMEs cannot rot: the first commands are the ones CI runs, the examples and reference
are the app's own output, and the Python example runs and type-checks."""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import zhashui_cli
from zhashui_cli.cli.exits import ExitCode

from .conftest import FACT_COUNT, FIGURE_COUNT, REPO, load_script

README = (REPO / "README.md").read_text(encoding="utf-8")
SOURCE = REPO / "src" / "zhashui_cli"
README_ZH = (REPO / "README.zh-CN.md").read_text(encoding="utf-8")


def test_readme_opens_with_install_and_run_then_test_commands() -> None:
    for readme in (README, README_ZH):
        first_block = re.search(r"```sh\n(.*?)```", readme, re.DOTALL)
        assert first_block is not None and readme.index(first_block.group()) < readme.index("\n## ")
        commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
        assert commands == ["pip install . && zhashui search 木耳", "pip install '.[test]' && pytest"]


def test_each_readme_links_to_the_other() -> None:
    assert "(README.zh-CN.md)" in README and "(README.md)" in README_ZH


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install '.[test]' && pytest" in README
    assert "README.md" in ci  # .ci/run takes the command from the README itself
    for check in ("ruff check", "ruff format --check", "mypy --strict"):
        assert check in ci


@pytest.mark.process  # scripts/gen_readme.py runs each example in a shell
@pytest.mark.parametrize("name", ["README.md", "README.zh-CN.md"])
def test_the_examples_reference_and_exit_codes_are_the_apps_own_output(name: str) -> None:
    current = (REPO / name).read_text(encoding="utf-8")
    fresh = load_script("gen_readme").update(current)
    diff = "\n".join(difflib.unified_diff(current.splitlines(), fresh.splitlines(), name, "regenerated", lineterm=""))
    assert not diff, f"run python scripts/gen_readme.py\n{diff}"


def test_every_exit_code_is_documented_in_both_languages() -> None:
    for code in ExitCode:
        assert re.search(
            rf"^\| {code.value} \| {re.escape(code.description.replace('|', chr(92) + '|'))} \|$", README, re.M
        )
        assert re.search(
            rf"^\| {code.value} \| {re.escape(code.description_zh.replace('|', chr(92) + '|'))} \|$", README_ZH, re.M
        )


def python_example() -> str:
    section = README.split("## Use from Python", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert found is not None
    return found.group(1)


def test_the_python_example_runs() -> None:
    result = subprocess.run([sys.executable, "-c", python_example()], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    # the first fact of 2023 that says 木耳 in its claim, found as written
    assert (
        first.startswith("2023-fungus-geographical-indication ") and "{'木耳': {'as': '木耳', 'how': 'exact'}}" in first
    )
    facts = len(zhashui_cli.open())
    assert result.stdout.splitlines()[-1] == f"{facts} {facts} True"
    assert "no fact with id '2023-toilet'; did you mean 2023-toilets?" in result.stdout.splitlines()


def test_the_python_example_type_checks_as_a_client(tmp_path: Path) -> None:
    client = tmp_path / "client.py"
    client.write_text(python_example(), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(client)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_the_fact_the_readme_shows_pastes_into_an_exported_base(tmp_path: Path) -> None:
    """A curator copies the README's example fact into a fact file that `export --yaml` wrote."""
    from typer.testing import CliRunner

    from zhashui_cli.cli.app import app

    snippet = README.split("## Adding or correcting a fact", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    assert CliRunner().invoke(app, ["export", "--yaml", str(tmp_path / "base")]).exit_code == 0
    facts = tmp_path / "base" / "facts.yaml"
    blocks = facts.read_text(encoding="utf-8").split("\n  - id: ")
    kept = [block for block in blocks if not block.startswith("2023-loans-coordinated\n")]
    assert len(kept) == len(blocks) - 1  # the README's fact, taken out to be pasted back
    facts.write_text("\n  - id: ".join(kept).rstrip("\n") + "\n" + snippet, encoding="utf-8")
    result = CliRunner().invoke(app, ["verify", "--facts", str(facts)])
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (
        0,
        f"{FACT_COUNT} facts, {FIGURE_COUNT} figures, 1 source: every rule holds",
    )


def test_every_module_is_named_in_the_architecture_with_its_job() -> None:
    """docs/architecture.md names each package and module with its one job, by its path."""
    architecture = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = [path.relative_to(SOURCE).as_posix() for path in SOURCE.rglob("*.py") if path.name != "__init__.py"]
    assert len(modules) > 30
    assert [module for module in modules if f"`{module}`" not in architecture] == []
