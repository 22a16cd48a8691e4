"""The command line as users and scripts meet it: CliRunner for the logic, real processes for
what only a real process shows (encodings, pipes, signals, descriptors, concurrency)."""

from __future__ import annotations

import contextlib
import csv
import fnmatch
import io
import json
import os
import re
import signal
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import zhashui_cli
from zhashui_cli import __version__
from zhashui_cli.cli.app import app
from zhashui_cli.records import FACT_FIELDS, FIGURE_FIELDS, SEARCH_FIELDS

from .conftest import FACT_COUNT, FACTS, FIGURE_COUNT, REPO, sample

WriteFacts = Callable[..., Path]
ZHASHUI = str(Path(sys.executable).with_name("zhashui"))
ESCAPE = "\x1b"


def cli(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env=env)


def on_screen(*args: str, columns: int = 80) -> Any:
    """What a terminal of that width would show (ZHASHUI_FORCE_TTY draws tables for CliRunner)."""
    return cli(*args, env={"ZHASHUI_FORCE_TTY": str(columns)})


def run(*args: str | bytes, env: dict[str, str] | None = None, cwd: Path | None = None, **options: Any) -> Any:
    """The installed console script, in a real process, from a folder that is not the repository."""
    environment = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    environment.update(env or {})
    return subprocess.run(
        [ZHASHUI, *args], capture_output=True, env=environment, cwd=cwd or Path.home(), check=False, **options
    )


def unboxed(table: str) -> str:
    """The text of a table or panel without its borders, spaces and line breaks."""
    return re.sub(r"[\s│╭╮╰╯─┃━]", "", table)


def one_line(stderr: str) -> str:
    """The single line a failure may print, with its tool prefix."""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("zhashui: ")
    assert "Traceback" not in stderr
    return lines[0]


# -- commands ------------------------------------------------------------------------------------
def test_search_prints_a_table_and_exits_zero() -> None:
    result = on_screen("search", "木耳")
    assert result.exit_code == 0
    assert "2023-fungus-brand-value" in result.stdout
    assert "品牌价值突破30亿元" in unboxed(result.stdout)


def test_nothing_found_exits_one_with_the_reason_on_stderr() -> None:
    result = cli("search", "qqqzzzxx")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert one_line(result.stderr) == "zhashui: no facts match; try fewer words or filters"


def test_nothing_found_suggests_the_nearest_words() -> None:
    assert one_line(cli("search", "toiletz", "hospitel", "--exact").stderr) == (
        "zhashui: no facts match; try fewer words or filters"  # --exact never guesses
    )
    result = cli("search", "muerrr")  # two edits from muer: more than a search allows
    assert result.exit_code == 1
    assert one_line(result.stderr).startswith("zhashui: no facts match; did you mean 木耳")


def test_json_of_nothing_is_an_empty_list() -> None:
    result = cli("search", "qqqzzzxx", "--json")
    assert (result.exit_code, json.loads(result.stdout)) == (1, [])


def test_json_output_is_the_documented_contract() -> None:
    records = json.loads(cli("search", "--json").stdout)
    assert len(records) == FACT_COUNT  # never cut by the table's default limit
    assert all(tuple(record) == SEARCH_FIELDS for record in records)
    assert (*FACT_FIELDS, "match") == SEARCH_FIELDS
    figures = [figure for record in records for figure in record["figures"]]
    assert len(figures) == FIGURE_COUNT
    assert all(tuple(figure) == FIGURE_FIELDS for figure in figures)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_records_passed_through_from_the_index_equal_records_written_afresh(fmt: str) -> None:
    passed_through = cli("search", "县", "-f", fmt).stdout
    assert passed_through == cli("search", "县", "-f", fmt, "--fields", ",".join(SEARCH_FIELDS)).stdout
    assert len(passed_through.splitlines()) > 100


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_records_written_to_a_pipe_in_pieces_are_those_written_to_a_stream(fmt: str) -> None:
    """A real stdout gets the records in pieces, a thousand at a system call (os.writev); a
    stream without a descriptor, through its writelines(): the same bytes."""
    assert run("search", "县", "-f", fmt).stdout.decode("utf-8") == cli("search", "县", "-f", fmt).stdout


def test_filters_from_the_command_line() -> None:
    result = cli("search", "--unit", "元", "--min", "1e8", "--sort", "value", "--fields", "id", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert [row["id"] for row in rows][:3] == [
        "2023-fungus-brand-value",
        "2023-special-funds",
        "2023-loans-coordinated",
    ]
    assert len(rows) == 6
    plans = json.loads(cli("search", "-c", "livelihood", "-y", "2024", "-k", "target", "--json").stdout)
    assert [r["id"] for r in plans] == ["2024-urban-jobs"]


def test_the_table_is_cut_to_a_default_limit_and_says_so() -> None:
    """On a terminal; a pipe gets every row (tests/test_pipes.py)."""
    result = on_screen("search", columns=200)
    assert result.exit_code == 0
    assert one_line(result.stderr) == f"zhashui: showing 20 of {FACT_COUNT} facts; --limit 0 shows all"
    assert "2023-new-zhashui-progress" in result.stdout
    assert len(re.findall(r"^202[34]-", result.stdout, re.MULTILINE)) == 20


def test_show_prints_the_fact_with_its_quote_in_context() -> None:
    result = on_screen("show", "2023-loans-coordinated")
    assert result.exit_code == 0
    for shown in ("924,000,000 元", "bank loans arranged"):
        assert shown in result.stdout
    assert "落实减税降费3000余万元，【协调金融贷款9.24亿元】" in unboxed(result.stdout)  # the quote, marked unstyled
    document = json.loads(cli("show", "2023-loans-coordinated", "--json").stdout)
    assert document["figures"][0]["base_value"] == 924_000_000
    assert "协调金融贷款9.24亿元" in document["paragraph"]


def test_show_shows_a_fact_named_twice_in_different_cases_once() -> None:
    documents = json.loads(cli("show", "2023-toilets", "2023-TOILETS", "2023-fungus-brand-value", "--json").stdout)
    assert [document["id"] for document in documents] == ["2023-toilets", "2023-fungus-brand-value"]


def test_show_unknown_id_suggests_close_ones() -> None:
    result = cli("show", "2023-loans")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert one_line(result.stderr) == "zhashui: no fact with id '2023-loans'; did you mean 2023-loans-coordinated?"


def test_categories_with_counts_per_year() -> None:
    rows = json.loads(cli("categories", "--json").stdout)
    assert [row["id"] for row in rows] == ["economy", "reform", "rural", "ecology", "livelihood", "governance", "party"]
    assert sum(row["facts"] for row in rows) == FACT_COUNT
    assert all(row["facts"] == sum(year["facts"] for year in row["years"]) for row in rows)
    assert rows[0]["years"] == [{"year": 2023, "facts": 24}, {"year": 2024, "facts": 14}]


def test_stats_as_json_and_as_bars() -> None:
    stats = json.loads(cli("stats", "--json").stdout)
    assert stats["facts"] == FACT_COUNT and stats["figures"] == FIGURE_COUNT
    assert stats["largest_amounts"][0]["label_en"] == "brand value of Zhashui wood ear fungus"
    table = on_screen("stats").stdout
    assert "█" in table and "Largest amounts of money" in table


def test_verify_passes_on_the_packaged_base() -> None:
    result = cli("verify", "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert (report["ok"], report["facts"], report["figures"], report["problems"]) == (
        True,
        FACT_COUNT,
        FIGURE_COUNT,
        [],
    )


def test_verify_names_each_failing_fact(write_facts: WriteFacts) -> None:
    data = sample()
    data["facts"][1]["quote"] = "新改建户厕7186座"
    path = write_facts(data)
    result = cli("verify", "--facts", str(path))
    assert result.exit_code == 1
    assert "2023-toilets" in result.stdout and "not found verbatim" in result.stdout
    assert "2 problems" in result.stdout  # the quote, and the figure no longer in it
    # Every other command refuses the file outright.
    failed = cli("search", "--facts", str(path))
    assert failed.exit_code == 2
    assert "fact '2023-toilets': quote: not found verbatim in source 'sample'" in failed.stderr


def test_the_environment_selects_the_fact_file(write_facts: WriteFacts) -> None:
    path = write_facts()
    records = json.loads(cli("search", "--json", env={"ZHASHUI_FACTS": str(path)}).stdout)
    assert [r["id"] for r in records] == ["2023-loans", "2023-toilets"]


def test_version_says_the_tools_and_the_datas() -> None:
    import hashlib

    digest = hashlib.sha256((REPO / "facts.yaml").read_bytes()).hexdigest()[:12]
    expected = (
        f"zhashui {__version__}\n"
        f"data: {FACT_COUNT} facts, {FIGURE_COUNT} figures from 1 source: "
        "zhashui-2024-02-07 published 2024-02-07 09:41:58\n"
    )
    for args in (["--version"], ["-V"], ["version"]):
        result = cli(*args)
        assert result.exit_code == 0, args
        head, _, last = result.stdout.rpartition("fact file: ")
        assert head == expected and last.endswith(f"facts.yaml (packaged), sha256 {digest}\n"), args


def test_version_names_the_fact_file_in_use_and_refuses_a_broken_one(tmp_path: Path) -> None:
    broken = tmp_path / "facts.yaml"
    broken.write_text("sources: [\n")
    result = cli("version", "--facts", str(REPO / "tests" / "broken" / "base.yaml"))
    assert result.exit_code == 0 and "(packaged)" not in result.stdout
    assert f"fact file: {REPO / 'tests' / 'broken' / 'base.yaml'}, sha256 " in result.stdout
    refused = cli("--facts", str(broken), "--version")
    assert refused.exit_code == 2 and refused.stderr.startswith(f"zhashui: {broken}:2:1: ")


def test_help_documents_the_exit_codes() -> None:
    from zhashui_cli.cli.exits import ExitCode

    result = cli("--help")
    assert result.exit_code == 0
    for code in ExitCode:
        assert re.search(rf"^\s+{code.value}\s+{re.escape(code.description[:30])}", result.stdout, re.MULTILINE), code


# -- usage errors: exit 2, one line --------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "--bogus"], "zhashui: No such option: --bogus; see zhashui search --help"),
        (
            ["search", "-5%"],
            "zhashui: No such option: -5; to search for text that starts with '-', "
            "put -- before it: zhashui search -- -5%",
        ),
        (
            ["search", "-c", "nope"],
            "zhashui: unknown category 'nope'; known: economy, reform, rural, ecology, livelihood, governance, party",
        ),
        (["search", "--min", "lots"], "zhashui: minimum 'lots' is not a number; write it like 100000000, 1e8 or 1亿"),
        (
            ["search", "--unit", "斤"],
            "zhashui: unknown unit '斤'; use a base unit (元, 平方米, 公里, 亩, 人, 人次, 户, 户次, 个, 家, 座, 所, "
            "件, 项, 期, 次, 年, 袋, 吨, 头, 只, 株, 公顷, 立方米, 千瓦, 千瓦时, 辆, 台, 套, 名, 张, 条, %), "
            "or one after 万 or 亿 (万元, 亿元)",
        ),
        (["search", "--json", "-f", "csv"], "zhashui: --json and --format csv contradict each other; use one of them"),
        (
            ["search", "--fields", "id,nope"],
            f"zhashui: unknown field nope (did you mean note?); valid fields: {','.join(SEARCH_FIELDS)}",
        ),
        (["search", "--fields", "zzz"], f"zhashui: unknown field zzz; valid fields: {','.join(SEARCH_FIELDS)}"),
        (
            ["search", "-n", "-1"],
            "zhashui: --limit takes a whole number of rows, 0 for all; '-1' is not one; see zhashui search --help",
        ),
        (["show"], "zhashui: Missing argument 'ID...'; see zhashui show --help"),
        (["nope"], "zhashui: No such command 'nope'; see zhashui --help"),
    ],
)
def test_usage_errors(args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert one_line(result.stderr) == message


def test_a_query_that_starts_with_a_dash_after_double_dash() -> None:
    result = cli("search", "--json", "--", "-5a")
    assert [r["id"] for r in json.loads(result.stdout)] == ["2024-5a-scenic-area"]


def test_zhashui_alone_prints_a_short_usage_with_examples_and_succeeds() -> None:
    from zhashui_cli.cli.app import ORDER

    result = cli()
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert "Usage: zhashui COMMAND [ARGS]..." in lines
    assert "  zhashui search 木耳        what did Zhashui claim about wood ear?" in lines
    assert all(name in result.stdout for name in ORDER) and "help" in ORDER and "version" in ORDER
    assert len(lines) < 20 and "Exit codes" not in result.stdout  # short: --help has the rest


# -- fact files: exit 2, one line naming the file ------------------------------------------------
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", ": is empty; a fact file has sources, categories and facts"),
        (b"- a\n- b\n", ": expected a mapping with sources, categories, facts, got a list"),
        (b"\xff\xfe\x00garbage", ":1:1: not UTF-8 (byte 0xff)"),
        ("sources: [柞水\n".encode("gbk"), ":1:11: not UTF-8 (byte 0xd7)"),  # 柞 in GBK is d7 f5
        (b"sources: [\n", ":2:1: did not find expected node content"),
        (b"a: &a [1]\nb: *a\n", ":2:4: aliases (*name) are not allowed"),  # where the alias is used
        (b"a: !!python/object/apply:os.system [echo pwned]\n", ":1:4: the tag !!python/object/apply:os.system is not"),
        (b"sources: []\nsources: []\n", ":2:1: duplicate key 'sources' (first at line 1)"),
        (b"sources: " + b"[" * 3000 + b"]" * 3000 + b"\n", "nesting depth"),
        (b"sources: []\n---\nfacts: []\n", ":2:1: holds several YAML documents"),  # where the second begins
    ],
)
def test_broken_fact_files(write_facts: WriteFacts, content: bytes, expected: str) -> None:
    path = write_facts(content)
    result = cli("search", "--facts", str(path))
    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert line.startswith(f"zhashui: {path}")
    assert expected in line


def edited(edit: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = sample()
    edit(data)
    return data


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            edited(lambda d: d["facts"][1].update(id="2023-loans")),
            "fact '2023-loans': id: duplicate fact id '2023-loans'",
        ),
        (
            edited(lambda d: d["facts"][0].update(category="econ")),
            "fact '2023-loans': category: unknown category 'econ'",
        ),
        (edited(lambda d: d["facts"][0].update(source="elsewhere")), "fact '2023-loans': source: unknown source"),
        (edited(lambda d: d["facts"][0]["figures"][0].update(value="many")), "figures[0].value: expected a number"),
        (edited(lambda d: d["facts"][0]["figures"][0].update(unit="斤")), "figures[0].unit: unknown unit '斤'"),
        (edited(lambda d: d["sources"][0].update(text="gone.txt")), "sources[0].text: cannot read"),
        (edited(lambda d: d["facts"][0].update(quote="协调金融贷款9.42亿元")), "fact '2023-loans': quote: not found"),
    ],
)
def test_fact_files_that_parse_but_do_not_hold(write_facts: WriteFacts, data: dict[str, Any], expected: str) -> None:
    path = write_facts(data)
    for command in ("search", "show 2023-loans", "categories", "stats"):
        result = cli(*command.split(), "--facts", str(path))
        assert result.exit_code == 2
        assert "Traceback" not in result.stderr
        assert result.stderr.startswith(f"zhashui: {path}")
        assert expected in result.stderr
        assert re.search(r"facts\.yaml:\d+:\d+: ", result.stderr)


def test_a_bug_is_one_line_and_exit_70(monkeypatch: pytest.MonkeyPatch) -> None:
    from zhashui_cli.search import engine

    def broken(*_: object) -> None:
        raise RuntimeError("something impossible")

    monkeypatch.setattr(engine, "run", broken)  # every search runs
    result = cli("search", "x")
    assert result.exit_code == 70
    assert one_line(result.stderr) == (
        "zhashui: internal error (RuntimeError: something impossible); please report it, ZHASHUI_DEBUG=1 shows where"
    )
    monkeypatch.setenv("ZHASHUI_DEBUG", "1")
    assert isinstance(cli("search", "x").exception, RuntimeError)


def test_source_filter(write_facts: WriteFacts) -> None:
    path = str(write_facts())
    assert len(json.loads(cli("search", "--source", "sample", "--json", "--facts", path).stdout)) == 2
    assert "unknown source 'other'; known: sample" in cli("search", "--source", "other", "--facts", path).stderr


def test_a_fact_file_with_several_problems_lists_them_all(write_facts: WriteFacts) -> None:
    data = sample()
    data["facts"][0]["figures"][0]["value"] = "lots"
    data["facts"][1]["category"] = "nope"
    result = cli("stats", "--facts", str(write_facts(data)))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].endswith("facts.yaml: 2 problems:")
    assert "fact '2023-loans': figures[0].value: expected a number, got text" in lines[1]
    assert "fact '2023-toilets': category: unknown category 'nope'; known: economy, ecology" in lines[2]


def test_missing_fact_file_and_folder(tmp_path: Path) -> None:
    assert one_line(cli("categories", "--facts", str(tmp_path / "x.yaml")).stderr).endswith(
        "no such file; check the path (or --facts / ZHASHUI_FACTS)"
    )
    assert "is a folder" in one_line(cli("categories", "--facts", str(tmp_path)).stderr)


# -- queries: never a traceback ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        ".*",
        "[a-z]+(",
        "*木耳?",
        '"quoted"',
        "'single",
        "$(rm -rf /)",
        "`id`",
        "../../etc/passwd",
        "C:\\Windows",
        "🍄木耳",
        "e\u0301",
        "\u200f木耳\u200e",
        "\u202eevil",
        "a\x07b\x1bc",
        "ＬＯＡＮＳ",
        "木" * 20_000,
        "%s%n{0}",
    ],
)
def test_any_query_gets_an_answer(query: str) -> None:
    result = cli("search", "--json", "--", query)
    assert result.exit_code in (0, 1), result.stderr
    assert isinstance(json.loads(result.stdout), list)
    assert "Traceback" not in result.stderr


def test_full_width_and_control_characters_fold_like_plain_text() -> None:
    plain = json.loads(cli("search", "--json", "loans").stdout)
    assert json.loads(cli("search", "--json", "ＬＯＡＮＳ").stdout) == plain
    assert json.loads(cli("search", "--json", "\u200floans\u200e").stdout) == plain


# -- hostile fact text ------------------------------------------------------------------------------
def hostile_file(write_facts: WriteFacts, text: str, field: str = "claims") -> Path:
    """The sample with text in both claims (inside the sentence the rules ask for, beside the
    figure they state), or in a field."""
    data = sample()
    if field == "claims":
        data["facts"][0]["claim"] = f"2023年{text}协调金融贷款9.24亿元。"
        data["facts"][0]["claim_en"] = f"In 2023 {text} arranged 924 million yuan of loans."
    else:
        data["facts"][0][field] = text
    return write_facts(data)


@pytest.mark.parametrize("text", ["[red]x[/red]", "[link=https://example.com]click[/link]", "[bold"])
def test_markup_in_a_fact_prints_literally(write_facts: WriteFacts, text: str) -> None:
    path = str(hostile_file(write_facts, text))
    assert text in cli("search", "--facts", path, "--lang", "both").stdout  # piped
    assert text in on_screen("search", "--facts", path, "--lang", "both", columns=200).stdout


def test_escape_sequences_in_a_fact_are_shown_not_obeyed(write_facts: WriteFacts) -> None:
    path = hostile_file(write_facts, "x\x1b[2J\x1b]0;pwned\x07y")
    for args in (["search"], ["show", "2023-loans"], ["search", "-f", "markdown"]):
        for result in (cli(*args, "--facts", str(path)), on_screen(*args, "--facts", str(path), columns=200)):
            assert ESCAPE not in result.stdout and "\x07" not in result.stdout
            shown = result.stdout.replace("\\\\", "\\").replace("\\[", "[").replace("\\]", "]")  # Markdown's escapes
            assert "x\\x1b[2J\\x1b]0;pwned\\x07y" in shown


def test_csv_neutralises_formulas_from_a_fact_file(write_facts: WriteFacts) -> None:
    formula = '=HYPERLINK("http://x","y")'
    result = cli("search", "--facts", str(hostile_file(write_facts, formula, "note")), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert rows[0]["note"] == "'" + formula


# -- real processes --------------------------------------------------------------------------------
def test_a_source_checkout_finds_the_fact_base_at_its_root(tmp_path: Path) -> None:
    code = "from zhashui_cli.factfile.store import packaged_fact_file; print(packaged_fact_file())"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, check=True
    )
    assert Path(result.stdout.strip()) == FACTS


def on_a_terminal(args: Sequence[str], env: dict[str, str] | None = None) -> tuple[int, bytes, bytes]:
    """Run zhashui with stdout piped and stderr on a pseudo-terminal: the code, stdout and what
    the terminal was sent."""
    import pty

    leader, follower = pty.openpty()
    environment = {**os.environ, "COLUMNS": "80", **(env or {})}
    with subprocess.Popen([ZHASHUI, *args], stdout=subprocess.PIPE, stderr=follower, env=environment) as process:
        os.close(follower)
        stdout, _ = process.communicate(timeout=60)
        shown = b""
        with contextlib.suppress(OSError):  # the terminal closes with the process
            while chunk := os.read(leader, 4096):
                shown += chunk
    os.close(leader)
    return process.returncode, stdout, shown


@pytest.mark.parametrize("term", ["xterm-256color", "dumb"])
def test_a_warm_run_on_a_terminal_shows_nothing_on_stderr(write_facts: WriteFacts, term: str) -> None:
    path = str(write_facts())
    on_a_terminal(["search", "--json", "--facts", path])  # builds the index (progress only if that is slow)
    code, stdout, shown = on_a_terminal(["search", "--json", "--facts", path], {"TERM": term})
    assert (code, len(json.loads(stdout)), shown) == (0, 2, b"")  # no progress, no cursor escapes, no blank line


def test_installed_command_runs_from_any_folder(tmp_path: Path) -> None:
    result = run("search", "木耳", cwd=tmp_path)
    assert result.returncode == 0
    assert "2023-fungus-brand-value" in result.stdout.decode()


def test_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "zhashui_cli", "--version"], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout.splitlines()[0]) == (0, f"zhashui {__version__}")


@pytest.mark.parametrize(
    "env",
    [
        {"LC_ALL": "C"},
        {"LC_ALL": "C", "PYTHONUTF8": "0"},
        {"PYTHONIOENCODING": "ascii"},
        {"PYTHONIOENCODING": "latin-1"},
        {"TERM": "dumb"},
        {"NO_COLOR": "1"},
    ],
)
def test_odd_locales_and_terminals(env: dict[str, str]) -> None:
    table = run("search", "木耳", env=env)
    assert table.returncode == 0, table.stderr
    assert table.stderr == b""
    assert ESCAPE.encode() not in table.stdout
    assert b"2023-fungus-brand-value" in table.stdout
    machine = run("search", "木耳", "--json", env=env)
    assert "柞水木耳" in machine.stdout.decode("utf-8")  # JSON is UTF-8 whatever the locale


def test_an_ascii_terminal_gets_escapes_instead_of_a_crash() -> None:
    table = run("show", "2023-loans-coordinated", env={"PYTHONIOENCODING": "ascii"})
    assert table.returncode == 0
    assert b"\\u" in table.stdout
    table.stdout.decode("ascii")


def test_force_color_colours_tables_but_never_json() -> None:
    coloured = run("search", "木耳", env={"FORCE_COLOR": "1", "ZHASHUI_FORCE_TTY": "1"})
    assert ESCAPE.encode() in coloured.stdout
    machine = run("search", "木耳", "--json", env={"FORCE_COLOR": "1"})
    assert ESCAPE.encode() not in machine.stdout
    assert len(json.loads(machine.stdout)) == 8


def test_a_piped_table_has_no_escape_codes() -> None:
    assert ESCAPE.encode() not in run("stats").stdout


def display_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


IDS = re.compile(r"20(?:23|24)-[a-z0-9-]*[a-z][a-z0-9-]*")


def known_ids() -> set[str]:
    """The fact and section ids of the packaged base, read from the library (in each test's cache)."""
    base = zhashui_cli.open()
    return {fact["id"] for fact in base} | {
        section["id"] for source in base.sources() for section in source["sections"]
    }


@pytest.mark.parametrize("columns", [20, 40, 60, 80, 200])
@pytest.mark.parametrize(
    "command",
    [
        "search 木耳",
        "search loans --lang both",
        "show 2023-fungus-geographical-indication",
        "stats",
        "categories",
        "figures --unit yuan",
        "tags -c economy",
    ],
)
def test_every_table_fits_any_width_and_breaks_no_id_and_no_number_from_its_unit(columns: int, command: str) -> None:
    result = run(*command.split(), env={"ZHASHUI_FORCE_TTY": str(columns), "LINES": "1000"})
    assert result.returncode == 0, result.stderr
    output, known = result.stdout.decode(), known_ids()
    for line in output.splitlines():
        ids = IDS.findall(line)
        assert set(ids) <= known, line  # an id is whole, or not there
        if display_width(line.rstrip()) > columns:
            assert ids and display_width(max(ids, key=len)) > columns - 6, line  # only an id wider than the screen
    assert not re.search(r"\d[ │]*\n[ │]*(?:[万亿]|元|座|个|%)", output), output  # 6700 / 万元
    bars = [line for line in output.splitlines() if "█" in line]
    assert all(not line.lstrip().startswith("█") for line in bars)  # a bar never wraps onto a line of its own


@pytest.mark.parametrize(
    "command",
    [
        "search --json --limit 0",
        "search -f jsonl -n 0",
        "search -n 0",
        "stats",
        "categories",
        "show 2023-toilets",
        "verify",
    ],
)
def test_a_reader_that_leaves_early_ends_the_run_quietly_with_exit_0(command: str) -> None:
    for reader in ("head -c 10 >/dev/null", "true"):
        shell = f"'{ZHASHUI}' {command} | {reader}; echo ${{PIPESTATUS[0]}}"
        for _ in range(3):  # the reader may leave before or after the first write
            result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, check=False)
            assert (result.stdout.strip(), result.stderr) == ("0", ""), (command, reader)


def test_a_full_disk() -> None:
    with Path("/dev/full").open("wb") as full:
        result = subprocess.run(
            [ZHASHUI, "search", "--json"], stdout=full, stderr=subprocess.PIPE, text=True, check=False
        )
    assert result.returncode == 74
    assert one_line(result.stderr) == "zhashui: cannot write the output: No space left on device"


@pytest.mark.parametrize(
    ("arguments", "full"),
    [
        (["search", "木耳"], "both"),  # stdout fails, then the message about it
        (["--help"], "stdout"),  # click writes the help itself
        (["search", "--help"], "stdout"),
        (["search", "qqqqqqqq"], "stderr"),  # nothing found, and nowhere to say so
        (["search", "toliets"], "stderr"),  # the answer written, its note (toliets → toilets) not
    ],
)
def test_a_stream_that_fails_is_exit_74_whichever_it_is(arguments: list[str], full: str) -> None:
    with Path("/dev/full").open("wb") as device:
        result = subprocess.run(
            [ZHASHUI, *arguments],
            stdout=device if full in ("both", "stdout") else subprocess.DEVNULL,
            stderr=device if full in ("both", "stderr") else subprocess.PIPE,
            check=False,
        )
    assert result.returncode == 74
    if full == "stdout":
        assert one_line(result.stderr.decode()) == "zhashui: cannot write the output: No space left on device"


def test_a_closed_stdout() -> None:
    result = subprocess.run(
        ["bash", "-c", f"'{ZHASHUI}' search --json >&-"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 74
    assert one_line(result.stderr) == "zhashui: standard output is closed; there is nowhere to write the answer"


def test_a_query_that_is_not_utf8() -> None:
    result = run("search", b"\xff\xfe")
    assert result.returncode == 2
    assert one_line(result.stderr.decode()) == "zhashui: query word 1 is not valid UTF-8; check the terminal's encoding"


def test_ctrl_c_is_one_line_and_exit_130(tmp_path: Path) -> None:
    """Interrupted while it loads a fact file: the child says when it is there (a handshake, not
    a sleep), gets SIGINT's default action back even when the suite runs as a background job
    (which inherits SIGINT ignored), and is always reaped."""
    child = (
        "import sys, time\n"
        "from zhashui_cli.factfile import store\n"
        "def loading(*args, **kwargs):\n"
        "    print('loading', flush=True)\n"
        "    time.sleep(60)\n"
        "store.read_unchecked = loading\n"
        "from zhashui_cli.__main__ import main\n"
        "sys.argv = ['zhashui', 'search', '--facts', sys.argv[1]]\n"
        "main()\n"
    )
    facts = tmp_path / "facts.yaml"
    facts.write_text("facts: []\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-c", child, str(facts)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509 - before exec, as intended
    )
    try:
        assert process.stdout is not None and process.stdout.readline() == b"loading\n"
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 130
    assert one_line(stderr.decode()) == "zhashui: interrupted"


def test_eight_runs_at_once_on_a_cold_cache(isolated: Path) -> None:
    env = {"XDG_CACHE_HOME": str(isolated.parent)}
    processes = [
        subprocess.Popen(
            [ZHASHUI, "search", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **env}
        )
        for _ in range(8)
    ]
    results = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0] * 8
    assert all(stderr == b"" for _, stderr in results)
    assert len({stdout for stdout, _ in results}) == 1
    assert len(json.loads(results[0][0])) == FACT_COUNT
    assert [path.name for path in isolated.iterdir() if path.name.startswith(".tmp-")] == []
    assert len(list(isolated.glob("*.index"))) == 1


def test_a_corrupt_cache_file_does_not_matter(isolated: Path) -> None:
    env = {"XDG_CACHE_HOME": str(isolated.parent)}
    first = run("search", "--json", env=env)
    for cached in isolated.glob("*.index"):
        cached.write_bytes(cached.read_bytes()[:1000] + b"\x00garbage")
    again = run("search", "--json", env=env)
    assert (again.returncode, again.stdout, again.stderr) == (0, first.stdout, b"")


def test_a_fact_file_edited_between_runs(write_facts: WriteFacts) -> None:
    path = write_facts()
    assert json.loads(run("search", "--json", "--facts", str(path)).stdout)[0]["claim_en"].startswith(
        "In 2023 the county arranged"
    )
    path.write_text(path.read_text(encoding="utf-8").replace("county arranged", "county brokered"), encoding="utf-8")
    assert json.loads(run("search", "--json", "--facts", str(path)).stdout)[0]["claim_en"].startswith(
        "In 2023 the county brokered"
    )


def test_unit_completion_offers_the_declared_units() -> None:
    facts = REPO / "tests" / "declared-units" / "facts.yaml"
    words = f"zhashui figures --facts {facts} --unit 千"
    env = {"_ZHASHUI_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": "5"}
    result = run(env=env)
    assert result.returncode == 0
    assert set(result.stdout.decode().split()) == {"千袋", "千瓦", "千瓦时"}  # declared, and built in


def modules_after(args: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> set[str]:
    # The console script leaves through os._exit; report the modules on the way out.
    code = (
        "import os, sys\n"
        "leave = os._exit\n"
        "os._exit = lambda code: (sys.stderr.write('MODULES ' + ' '.join(sys.modules) + '\\n'), leave(code))\n"
        "from zhashui_cli.__main__ import main\n"
        f"sys.argv = ['zhashui', *{list(args)!r}]\n"
        "main()\n"
    )
    environment = {**os.environ, **(env or {})}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=environment, check=False
    )
    found = re.search(r"^MODULES (.*)$", result.stderr, re.MULTILINE)
    assert found, result.stderr
    return set(found.group(1).split())


def roots(modules: set[str]) -> set[str]:
    return {module.split(".")[0] for module in modules}


# Only the index build imports these; a warm search, whatever it looks for, never does.
BUILDING = {"pypinyin", "rjieba", "eng", "yaml", "jsonschema"}


def cold_modules() -> set[str]:
    """The package's modules that pyproject.toml lets import any library at their top (ruff's
    TID253 ignored for them): the cold path, which no warm command may import."""
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    patterns = re.findall(r'^"(src/[^"]+)" = \[[^\]]*"TID253"', text, re.MULTILINE)
    files = [path.relative_to(REPO / "src") for path in (REPO / "src").rglob("*.py")]
    cold = {path for path in files if any(fnmatch.fnmatch(f"src/{path.as_posix()}", pattern) for pattern in patterns)}
    return {".".join(path.with_suffix("").parts).removesuffix(".__init__") for path in cold}


def test_startup_imports_only_what_the_path_needs(tmp_path: Path) -> None:
    modules_after(["search", "木耳", "--json"], tmp_path)  # warm the cache
    found = modules_after(["search", "木耳", "--json"], tmp_path)
    machine = roots(found)
    # typer >= 0.29 would bring pydantic; JSON of a Chinese word needs nothing more than the index.
    assert not machine & {"pydantic", "rich", "opencc", "Stemmer", "rapidfuzz", "decimal", *BUILDING}
    # nor any other command's module (cli/app.py imports the one the command line names)
    commands = {name.rpartition(".")[2] for name in found if name.startswith("zhashui_cli.cli.commands.")}
    assert commands == {"find", "about"}, commands
    piped = modules_after(["search", "專項債"], tmp_path)  # a table written to a pipe
    assert "opencc" in roots(piped) and not roots(piped) & {"rich", "pydantic", *BUILDING}
    table = modules_after(["search", "專項債"], tmp_path, {"ZHASHUI_FORCE_TTY": "1"})
    assert "rich.console" not in table and not roots(table) & {"pydantic", *BUILDING}  # rich measures cells only
    english = modules_after(["search", "hospitals", "--json"], tmp_path)
    assert "Stemmer" in roots(english) and not roots(english) & {"rapidfuzz", *BUILDING}  # a typo would need it
    pinyin = modules_after(["search", "zhashuimuer", "--json"], tmp_path)
    assert not roots(pinyin) & BUILDING
    shown = modules_after(["show", "2023-toilets"], tmp_path, {"ZHASHUI_FORCE_TTY": "1"})
    figures = modules_after(["figures", "--unit", "元"], tmp_path)
    # The cold path's modules (the fact file's reader and rules, the build, exports, the curators'
    # commands, completion), which import what they like at their top, stay off every warm path.
    cold = cold_modules()
    assert {"zhashui_cli.factfile.model", "zhashui_cli.index.build", "zhashui_cli.cli.completion"} <= cold
    assert not cold & (found | piped | table | english | pinyin | shown | figures)


def test_the_packaged_fact_base_is_the_repositorys(tmp_path: Path) -> None:
    code = "from zhashui_cli.factfile.store import packaged_fact_file as f; print(f().read_text(encoding='utf-8'))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=tmp_path, check=True)
    assert result.stdout.decode().rstrip("\n") == FACTS.read_text(encoding="utf-8").rstrip("\n")
    yaml.safe_load(result.stdout)


def test_a_common_word_set_aside_gets_no_did_you_mean() -> None:
    """Zhashui stands in most facts: set aside beside a rarer word, it is no word to correct.
    (restroom, which once found nothing, is a synonym of toilets now; no thesaurus links an
    earthquake to any word of the bulletin.)"""
    result = cli("search", "Zhashui", "earthquake")
    assert (result.exit_code, result.stderr) == (
        1,
        "zhashui: no facts match (zhashui: in most facts, not enough alone); try fewer words or filters\n",
    )
