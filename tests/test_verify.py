"""`zhashui verify` and `zhashui coverage`: every rule of the format, on any fact file, each
problem at the file:line:column of its field.

tests/broken/ holds a fact file per rule, each a copy of base.yaml with one thing broken. Its
first line says what; the `# expect:` lines are what verify must print for it, and `# exit:`
the code it must exit with. A file is named after the rule it breaks (before any "--").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhashui_cli.cli.app import app
from zhashui_cli.records import PROBLEM_FIELDS

from .conftest import REPO

BROKEN = REPO / "tests" / "broken"
CASES = sorted(path.name for path in BROKEN.glob("*.yaml") if path.name != "base.yaml")


def verify(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["verify", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout


def declared(name: str) -> tuple[list[str], int]:
    lines = (BROKEN / name).read_text(encoding="utf-8").splitlines()
    expect = [line.removeprefix("# expect: ") for line in lines if line.startswith("# expect: ")]
    code = next(int(line.removeprefix("# exit: ")) for line in lines if line.startswith("# exit: "))
    return expect, code


@pytest.fixture(autouse=True)
def in_broken(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BROKEN)  # so that problems name the files as a curator there would


def test_the_base_of_the_broken_files_holds_every_rule() -> None:
    assert verify("--facts", "base.yaml") == (0, "5 facts, 3 figures, 1 source: every rule holds\n")


@pytest.mark.parametrize("name", CASES)
def test_each_broken_file_gets_its_problem_at_its_line(name: str) -> None:
    expect, code = declared(name)
    exit_code, output = verify("--facts", name)
    assert (exit_code, output.splitlines()[:-1]) == (code, expect)


@pytest.mark.parametrize("name", CASES)
def test_each_broken_file_breaks_the_rule_it_is_named_after(name: str) -> None:
    exit_code, output = verify("--facts", name, "--json")
    report = json.loads(output)
    assert report["ok"] is False
    assert report["problems"][0]["rule"] == name.removesuffix(".yaml").split("--")[0]
    for problem in report["problems"]:
        assert tuple(problem) == PROBLEM_FIELDS
        assert problem["line"] is not None and problem["column"] is not None
    assert exit_code == declared(name)[1]


def test_broken_files_cover_every_rule() -> None:
    rules = {json.loads(verify("--facts", name, "--json")[1])["problems"][0]["rule"] for name in CASES}
    assert rules == {
        "schema",
        "unique",
        "reference",
        "kind-figures",
        "yaml-ambiguous",
        "yaml",
        "source-path",
        "source-text",
        "section",
        "name",
        "quote-in-source",
        "quote-once",
        "quote-in-section",
        "year",
        "year-stated",
        "sentence",
        "figure-in-quote",
        "qualifier",
        "claim-figures",
        "tags-languages",
        "script",
        "coverage",
    }


def test_a_source_behind_a_symlink_out_of_the_folder_is_never_read(tmp_path: Path) -> None:
    (tmp_path / "facts.yaml").write_text((BROKEN / "base.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "sample.txt").symlink_to(BROKEN / "sample.txt")
    exit_code, output = verify("--facts", str(tmp_path / "facts.yaml"))
    assert exit_code == 2
    assert "sources[0].text: 'sample.txt' leads outside the fact file's folder" in output


def test_json_reports_schema_problems_too() -> None:
    exit_code, output = verify("--facts", "schema--wrong-type.yaml", "--json")
    report = json.loads(output)
    assert exit_code == 1
    assert report["problems"][0] == {
        "file": "schema--wrong-type.yaml",
        "line": 36,
        "column": 5,
        "fact": "2023-toilets",
        "field": "year",
        "rule": "schema",
        "severity": "error",
        "message": "expected a year like 2023, got text",
    }


def test_the_problems_of_a_file_that_cannot_be_read_are_still_a_report() -> None:
    exit_code, output = verify("--facts", "yaml.yaml", "--format", "jsonl")
    assert exit_code == 2
    assert [json.loads(line)["rule"] for line in output.splitlines()] == ["yaml"]


def test_coverage_lists_what_is_left_to_do() -> None:
    result = CliRunner().invoke(app, ["coverage", "--facts", "coverage.yaml", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "source": "sample",
            "file": "sample.txt",
            "line": 2,
            "column": 14,
            "number": "9.24",
            "context": "亮点一：测试县协调金融贷款9.24亿元，新改建户厕7168座，品牌价值突破30亿元。",
        }
    ]
    done = CliRunner().invoke(app, ["coverage", "--facts", "base.yaml"])
    assert (done.exit_code, done.stdout) == (0, "every number of the sources is covered\n")


def test_each_broken_file_differs_from_the_base() -> None:
    def content(path: Path) -> list[str]:
        return [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]

    assert all(content(BROKEN / name) != content(BROKEN / "base.yaml") for name in CASES)


def test_a_draft_with_only_warnings_is_searched_and_says_how_many() -> None:
    """Editorial rules are warnings: verify reports them and exits 1, but a draft being
    written can be searched, with one line on stderr for what verify would show."""
    result = CliRunner().invoke(app, ["search", "--facts", "sentence--one.yaml", "--fields", "id", "厕所"])
    assert (result.exit_code, result.stdout) == (0, "2023-toilets\n")
    assert result.stderr == "zhashui: the fact file has 2 warnings; `zhashui verify` shows them\n"
    assert verify("--facts", "sentence--one.yaml")[0] == 1


def test_a_file_with_an_integrity_error_is_refused() -> None:
    result = CliRunner().invoke(app, ["search", "--facts", "claim-figures.yaml", "厕所"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "zhashui: claim-figures.yaml: 2 problems:"


def test_a_warning_is_marked_as_one_and_counted() -> None:
    exit_code, output = verify("--facts", "tags-languages.yaml", "--json")
    report = json.loads(output)
    assert (exit_code, report["ok"], report["warnings"]) == (1, False, 1)
    assert [problem["severity"] for problem in report["problems"]] == ["warning"]
    assert verify("--facts", "tags-languages.yaml")[1].endswith(": 1 problem, 1 of them a warning\n")
