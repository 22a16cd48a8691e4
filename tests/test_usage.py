"""What the command line says about itself and to what it refuses (issue 19, item 6): zhashui
alone, help, did-you-mean for every value, -n's own message, and ids read from stdin."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from zhashui_cli.cli.app import ORDER, app


def cli(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(app, list(args), input=stdin)


@pytest.mark.parametrize("command", ORDER)
def test_help_command_is_the_commands_own_help(command: str) -> None:
    asked, given = cli("help", command), cli(command, "--help")
    assert (asked.exit_code, asked.stdout) == (0, given.stdout) and given.stdout.startswith("Usage: zhashui ")


def test_help_alone_is_zhashuis_help() -> None:
    assert cli("help").stdout == cli("--help").stdout


def test_help_of_a_command_zhashui_lacks_suggests_the_one_it_has() -> None:
    result = cli("help", "serach")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "zhashui: No such command 'serach' (did you mean search?); see zhashui --help\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "-c", "经济"], "unknown category '经济' (did you mean 经济发展?); known: economy, reform,"),
        (["search", "-c", "城乡"], "unknown category '城乡' (did you mean 生态与城乡建设?); known:"),
        (["search", "-c", "rur"], "unknown category 'rur' (did you mean rural?); known:"),  # once, not by its names too
        (["search", "-k", "计"], "unknown kind '计' (did you mean 计划?); use one of outcome (成果), honour (荣誉),"),
        (["search", "-k", "plann"], "unknown kind 'plann' (did you mean plan?)"),
        (["search", "--fields", "idd"], "unknown field idd (did you mean id?); valid fields: id,source,"),
        (["figures", "--fields", "fact"], "unknown field fact (did you mean fact_id?)"),
        (["show", "2023-TOILET"], "no fact with id '2023-TOILET'; did you mean 2023-toilets?"),
        (
            ["search", "--sort", "valu"],
            "unknown --sort 'valu' (did you mean value?); use one of relevance, bulletin, value, year; "
            "see zhashui search --help",
        ),
        (["stats", "-f", "jsn"], "unknown --format 'jsn' (did you mean json, jsonl?); use one of table, json,"),
        (["cite", "2023-toilets", "--style", "apx"], "unknown --style 'apx' (did you mean apa?); use one of gbt7714,"),
        (["cite", "2023-toilets", "-f", "bibtx"], "unknown --format 'bibtx' (did you mean bibtex?); use one of text,"),
        (["search", "--lang", "zhh"], "unknown --lang 'zhh' (did you mean zh?); use one of auto, zh, en, both;"),
        (
            ["search", "-n", "abc"],
            "--limit takes a whole number of rows, 0 for all; 'abc' is not one; see zhashui search",
        ),
        (
            ["tags", "--limit", "2.5"],
            "--limit takes a whole number of rows, 0 for all; '2.5' is not one; see zhashui tags",
        ),
        (["version2"], "No such command 'version2' (did you mean version?); see zhashui --help"),
        (["--bogus"], "No such option: --bogus; see zhashui --help"),  # was an internal error (exit 70)
    ],
)
def test_every_refused_value_gets_one_line_with_a_did_you_mean(args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code in (1, 2) and result.stdout == ""
    assert result.stderr.startswith(f"zhashui: {message}") and result.stderr.count("\n") == 1, result.stderr


def test_a_kind_answers_to_its_chinese_name() -> None:
    def ids(kind: str) -> list[str]:
        return [record["id"] for record in json.loads(cli("search", "-k", kind, "--json").stdout)]

    assert ids("计划") == ids("plan") and len(ids("目标")) == len(ids("target")) > 0


def test_show_dash_reads_ids_from_stdin_one_a_line_or_spaced() -> None:
    result = cli("show", "-", "2023-toilets", "--fields", "id", stdin="2023-special-funds 2023-LOANS-coordinated\n\n")
    assert result.exit_code == 0
    assert result.stdout == "2023-special-funds\n2023-loans-coordinated\n2023-toilets\n"


def test_show_dash_takes_the_ids_of_a_search_in_a_pipe() -> None:
    lines = cli("search", "木耳", "-n", "2").stdout  # id, year and claim, tab-separated
    assert "\t" in lines
    result = cli("show", "-", "--fields", "id", stdin=lines)
    assert (result.exit_code, result.stderr) == (0, "")  # the year and the claim are no ids
    assert result.stdout == "2023-fungus-geographical-indication\n2023-fungus-brand-value\n"


def test_show_dash_with_nothing_on_stdin_says_how_to_give_ids() -> None:
    result = cli("show", "-", stdin="")
    assert result.exit_code == 2
    assert result.stderr == (
        "zhashui: show -: no ids on standard input; pipe them in: zhashui search 木耳 | zhashui show -\n"
    )
