"""Nothing a fact file or an argument holds reaches a terminal raw (issue 21, finding 4): every
view and every message shows controls, bidi controls and invisible characters as escapes,
through the one sanitiser (output/render.printable), and JSON escapes them everywhere."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from zhashui_cli.cli.app import app
from zhashui_cli.output.render import printable
from zhashui_cli.records import UNSAFE_CHARACTERS, json_text

from .conftest import SAMPLE, SAMPLE_SOURCE

# What the red team planted: OSC 52 (sets the clipboard), OSC 0 (the window title), a C1 CSI,
# a right-to-left override, a zero-width space, a word joiner, a BOM, a tag character, a
# line separator and a NEL.
PAYLOAD = "\x1b]52;c;Y3VybCBldmlsLnNofHNo\x07\x1b]0;pwned\x07\x9b31m\u202e\u200b\u2060\ufeff\U000e0041\u2028\x85"
UNSAFE = re.compile(f"[{UNSAFE_CHARACTERS}]")


def raw_unsafe(text: str, layout: str = "\n") -> list[str]:
    """The unsafe characters of a text, but those of its layout (line breaks; tabs in a pipe)."""
    found = UNSAFE.findall(text.replace("\r\n", "\n"))
    return [f"U+{ord(char):04X}" for char in found if char not in layout]


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A fact file that verifies, with the payload in a category name, a claim, a claim_en and a tag."""
    data: dict[str, Any] = copy.deepcopy(SAMPLE)
    (tmp_path / "sample.txt").write_text(SAMPLE_SOURCE, encoding="utf-8")
    fact = data["facts"][0]
    data["categories"][0]["name"] = "经济" + PAYLOAD
    fact["claim"] = fact["claim"].replace("协调", "协调" + PAYLOAD)
    fact["claim_en"] = fact["claim_en"].replace(" 2023 ", " 2023 " + PAYLOAD + " ", 1)
    fact["tags"].append("tag" + PAYLOAD)
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert CliRunner().invoke(app, ["verify", "--facts", str(path)]).exit_code == 0
    return path


def run(*args: str, terminal: bool) -> Any:
    env = {"ZHASHUI_FORCE_TTY": "120", "NO_COLOR": "1"} if terminal else {}
    return CliRunner().invoke(app, list(args), env=env)


VIEWS = [
    ["search"],
    ["search", "贷款", "--lang", "both"],
    ["show", "2023-loans"],
    ["categories"],
    ["stats"],
    ["tags", "--limit", "0"],
    ["figures"],
    ["search", "--format", "csv"],
    ["search", "--format", "yaml"],
    ["search", "--format", "markdown"],
    ["show", "2023-loans", "--format", "csv"],
]


@pytest.mark.parametrize("view", VIEWS, ids=" ".join)
def test_no_view_on_a_terminal_shows_the_payload_raw(hostile: Path, view: list[str]) -> None:
    result = run(*view, "--facts", str(hostile), terminal=True)
    assert result.exit_code == 0, result.output
    assert raw_unsafe(result.stdout) == [] and raw_unsafe(result.stderr) == []
    if view[0] != "figures" and "--format" not in view:  # formats escape in their own ways (\\e, \\])
        shown = re.sub(r"[\s│╭╮╰╯─┃━|]", "", result.stdout)  # the text without the table around it
        assert "\\x1b]52;c;" in shown and "\\u202e" in shown and "\\U000e0041" in shown


@pytest.mark.parametrize("view", [v for v in VIEWS if "--format" not in v], ids=" ".join)
def test_lines_for_a_pipe_show_the_payload_escaped_too(hostile: Path, view: list[str]) -> None:
    result = run(*view, "--facts", str(hostile), terminal=False)
    assert result.exit_code == 0 and raw_unsafe(result.stdout, layout="\n\t") == []


def test_a_machine_format_in_a_pipe_keeps_the_data_exact(hostile: Path) -> None:
    as_csv = run("search", "--format", "csv", "--facts", str(hostile), terminal=False).stdout
    assert any(PAYLOAD in row["claim"] for row in csv.DictReader(io.StringIO(as_csv)))
    as_yaml = yaml.safe_load(run("search", "--format", "yaml", "--facts", str(hostile), terminal=False).stdout)
    assert any(PAYLOAD in record["claim"] for record in as_yaml)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
@pytest.mark.parametrize("terminal", [True, False])
def test_json_escapes_every_unsafe_character_and_reads_back_exact(hostile: Path, fmt: str, terminal: bool) -> None:
    result = run("search", "--format", fmt, "--facts", str(hostile), terminal=terminal)
    assert raw_unsafe(result.stdout) == []
    records = json.loads(result.stdout) if fmt == "json" else [json.loads(line) for line in result.stdout.splitlines()]
    assert any(PAYLOAD in record["claim"] for record in records)


@pytest.mark.parametrize(
    "arguments",
    [
        ["search", "-c", PAYLOAD],
        ["search", "-t", PAYLOAD],
        ["search", "--unit", PAYLOAD],
        ["search", "--section", PAYLOAD],
        ["search", "--min", PAYLOAD],
        ["show", PAYLOAD],
        ["search", "--fields", PAYLOAD],
        ["search", "--facts", f"/tmp/no\nsuch{PAYLOAD}.yaml"],
        [PAYLOAD],
    ],
    ids=lambda arguments: arguments[0] + " " + arguments[1][:9] if len(arguments) > 1 else "command",
)
def test_an_echoed_argument_is_one_line_shown_safely(arguments: list[str]) -> None:
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code in (1, 2)
    assert result.stderr.count("\n") == 1 and raw_unsafe(result.stderr) == [], result.stderr
    assert "\\x1b]52;c;" in result.stderr


def test_a_fact_files_problems_are_shown_safely_one_line_each(hostile: Path) -> None:
    quoted = '"' + printable(PAYLOAD) + '"'  # YAML's double quotes read \\x1b, \\u202e and \\U000e0041
    text = hostile.read_text(encoding="utf-8").replace("category: economy", f"category: {quoted}", 1)
    text = text.replace("source: sample", f"source: {quoted}", 1)
    hostile.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["search", "--facts", str(hostile)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].endswith("problems:") and all(line.startswith("  ") for line in lines[1:]), result.stderr
    assert raw_unsafe(result.stderr) == [] and "unknown category '\\x1b]52;c;" in result.stderr


def test_the_unsafe_characters_are_unicodes_controls_format_characters_and_separators() -> None:
    """Held to this Python's unicodedata, so that a new Unicode version cannot slip one past."""
    kinds = ("Cc", "Cf", "Zl", "Zp", "Cs")
    everything = [chr(code) for code in range(sys.maxunicode + 1)]
    wanted = {char for char in everything if unicodedata.category(char) in kinds}
    covered = {char for char in everything if UNSAFE.fullmatch(char)}
    assert sorted(wanted - covered) == []
    assert all(unicodedata.category(char) in (*kinds, "Cn") for char in covered)  # Cn: assigned in later Unicode


def test_printable_and_json_show_each_kind_of_character() -> None:
    assert printable("a\x1bb\x9bc\u202ed\U000e0041e") == "a\\x1bb\\x9bc\\u202ed\\U000e0041e"
    assert printable(printable(PAYLOAD)) == printable(PAYLOAD)  # the escapes are themselves safe
    assert json_text({"t": "\x7f\u2028\U000e0041"}) == '{"t":"\\u007f\\u2028\\udb40\\udc41"}'


def test_a_path_that_is_not_utf8_is_shown_by_its_bytes() -> None:
    """Python keeps such bytes as lone surrogates (\\udcff), which no terminal can show."""
    result = CliRunner().invoke(app, ["search", "--facts", os.fsdecode(b"/tmp/no-such-\xff\xfe.yaml")])
    assert result.exit_code == 2
    said = "zhashui: /tmp/no-such-\\xff\\xfe.yaml: no such file; check the path (or --facts / ZHASHUI_FACTS)\n"
    assert result.stderr == said
