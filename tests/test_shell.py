"""The command line as shells, pipes and terminals meet it: lines for pipes, flags that agree,
completion for every value, help that leads with examples, a pager, interrupts."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from zhashui_cli.cli.app import app

from .conftest import FIGURE_COUNT, REPO, TAG_COUNT

ZHASHUI = str(Path(sys.executable).with_name("zhashui"))
BASE = str(REPO / "tests" / "broken" / "base.yaml")


def cli(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env=env)


# -- pipes ------------------------------------------------------------------------------------
def test_a_table_written_to_a_pipe_is_one_tab_separated_record_per_line() -> None:
    result = cli("search", "木耳")
    lines = result.stdout.splitlines()
    assert len(lines) == 8  # every fact on one line: no wrapping, no blank lines
    assert "2023-fungus-brand-value\t2023\t2023年“柞水木耳”品牌价值突破30亿元。" in lines
    assert all(line == line.rstrip() and line.count("\t") == 2 for line in lines)
    grep = [line for line in lines if "案例" in line]
    assert grep and all(line.startswith(("2023-", "2024-")) for line in grep)  # grep keeps the id


def test_fields_choose_the_columns_of_the_lines_too() -> None:
    assert (
        cli("search", "协调金融贷款", "--fields", "id", "--fields", "year").stdout == "2023-loans-coordinated\t2023\n"
    )


def test_show_in_a_pipe_is_plain_text_with_the_quote_marked() -> None:
    text = cli("show", "2023-toilets").stdout
    lines = text.splitlines()
    assert lines[0] == "2023-toilets"
    assert "Figure\t7168座\t户厕 / household toilets\t7,168 座" in lines
    quote_line = next(line for line in lines if line.startswith("Quote\t"))
    assert "新建和改建" not in quote_line and "【新改建农村公厕和旅游厕所98座、户厕7168座】" in quote_line
    assert cli("show", "2023-tax-fee-cuts").stdout.count(">30,000,000 元") == 1  # the qualifier stays


def test_sources_in_a_pipe_are_lines_too() -> None:
    lines = cli("sources").stdout.splitlines()
    assert lines[0].startswith("source\tzhashui-2024-02-07\t2024-02-07 09:41:58\t")
    assert lines[1] == "section\tpreamble\t2023\t导语\tIntroduction"


# -- flags that agree -------------------------------------------------------------------------
def ids(*args: str) -> list[str]:
    return [record["id"] for record in json.loads(cli("search", "--json", *args).stdout)]


def test_repeatable_options_take_comma_lists() -> None:
    assert ids("-c", "economy,rural") == ids("-c", "economy", "-c", "rural")
    assert ids("-y", "2023,2024") == ids()
    assert ids("-k", "plan,target", "-c", "livelihood") == ids("-k", "plan", "-k", "target", "-c", "livelihood")


def test_choices_are_case_insensitive_and_categories_answer_to_their_names() -> None:
    assert ids("-k", "PLAN") == ids("-k", "plan")
    assert ids("-c", "ECONOMY") == ids("-c", "经济发展") == ids("-c", "Economy and investment") == ids("-c", "economy")
    assert cli("search", "-f", "JSON", "loans").exit_code == 0
    assert cli("search", "--sort", "VALUE", "--unit", "yuan").exit_code == 0


def test_repeated_fields_accumulate_and_a_bare_fields_lists_them() -> None:
    rows = json.loads(cli("search", "协调金融贷款", "--json", "--fields", "id", "--fields", "year,kind").stdout)
    assert rows == [{"id": "2023-loans-coordinated", "year": 2023, "kind": "outcome"}]
    bare = cli("stats", "--fields")
    assert (bare.exit_code, bare.stderr) == (
        2,
        "zhashui: --fields needs a value; valid fields: dimension,key,name,name_en,facts\n",
    )


@pytest.mark.parametrize(
    "command",
    ["search", "show 2023-toilets", "categories", "stats", "tags", "figures", "sources", "verify", "coverage"],
)
def test_fields_work_wherever_records_are_printed(command: str) -> None:
    result = cli(*command.split(), "--fields", "nope")
    assert result.exit_code == 2 and "valid fields: " in result.stderr


def test_headers_are_the_same_with_or_without_fields() -> None:
    plain = cli("search", "loans", "--lang", "en", env={"ZHASHUI_FORCE_TTY": "120"}).stdout.splitlines()[0]
    chosen = cli(
        "search", "loans", "--fields", "id,year,claim_en", env={"ZHASHUI_FORCE_TTY": "120"}
    ).stdout.splitlines()[0]
    assert plain.split()[:2] == chosen.split()[:2] == ["ID", "Year"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["search", "--sectoin", "x"],
            "zhashui: No such option: --sectoin (did you mean --section?); see zhashui search --help",
        ),
        (
            ["figures", "--fields"],
            "zhashui: --fields needs a value; valid fields: "
            "fact_id,n,year,category,claim,claim_en,value,unit,qualifier,label,label_en,base_value,base_unit",
        ),
        (
            ["tags", "-n", "x"],
            "zhashui: --limit takes a whole number of rows, 0 for all; 'x' is not one; see zhashui tags --help",
        ),
        (["serach", "木耳"], "zhashui: No such command 'serach' (did you mean search?); see zhashui --help"),
    ],
)
def test_a_usage_error_names_the_commands_help(args: list[str], message: str) -> None:
    result = cli(*args)
    assert (result.exit_code, result.stderr) == (2, message + "\n")


# -- units and amounts ------------------------------------------------------------------------
def test_units_and_amounts_as_people_type_them() -> None:
    assert ids("--unit", "yuan", "--min", "1亿") == ids("--unit", "元", "--min", "1e8")
    assert ids("--unit", "km") == ids("--unit", "公里")
    assert ids("--unit", "m2") == ids("--unit", "平方米")


def test_a_value_sort_without_a_unit_says_it_keeps_units_apart() -> None:
    result = cli("search", "--sort", "value", "--json")
    assert "zhashui: sorted by value within each base unit: " in result.stderr
    assert "--unit sorts one alone" in result.stderr


def test_stats_speak_one_language_in_every_format() -> None:
    english = cli("stats", "--lang", "en", "--format", "markdown").stdout
    assert "Economy and investment" in english and "经济发展" not in english
    assert "bank loans arranged" in english and "协调金融贷款" not in english
    chinese = cli("stats", "--lang", "zh", env={"ZHASHUI_FORCE_TTY": "100"}).stdout
    assert "经济发展" in chinese and "Economy and investment" not in chinese and "协调金融贷款" in chinese


def test_tags_with_counts() -> None:
    rows = json.loads(cli("tags", "--json").stdout)
    assert rows[0]["facts"] >= rows[-1]["facts"] >= 1
    english = json.loads(cli("tags", "-c", "economy", "--lang", "en", "--json").stdout)
    assert english and all(row["tag"].isascii() for row in english)
    assert {"tag": "toilets", "facts": 1} in json.loads(cli("tags", "厕所", "--json").stdout)


@pytest.mark.parametrize(
    ("command", "total", "what"), [("tags", TAG_COUNT, "tags"), ("figures", FIGURE_COUNT, "figures")]
)
def test_long_lists_show_20_rows_in_a_table_and_say_so_and_all_rows_elsewhere(
    command: str, total: int, what: str
) -> None:
    table = cli(command, env={"ZHASHUI_FORCE_TTY": "200"})  # a terminal
    assert table.stderr == f"zhashui: showing 20 of {total} {what}; --limit 0 shows all\n"
    piped = cli(command)  # a pipe: every row, and nothing to say
    assert (len(piped.stdout.splitlines()), piped.stderr) == (total, "")
    assert len(cli(command, "-n", "0").stdout.splitlines()) == total
    assert len(cli(command, "-n", "3").stdout.splitlines()) == 3
    assert len(json.loads(cli(command, "--json").stdout)) == total


def test_tags_are_one_line_each_on_a_terminal() -> None:
    shown = cli("tags", "-n", "5", env={"ZHASHUI_FORCE_TTY": "80"}).stdout.splitlines()
    assert len(shown) == 2 + 5  # the header, its rule, five tags: no blank lines between them


def test_coverage_says_so_on_a_terminal_too_when_nothing_is_left() -> None:
    shown = cli("coverage", env={"ZHASHUI_FORCE_TTY": "80"})
    assert (shown.exit_code, shown.stdout) == (0, "every number of the sources is covered\n")


# -- completion -------------------------------------------------------------------------------
def complete(shell: str, line: str, env: dict[str, str] | None = None) -> list[str]:
    """What zhashui offers a shell, through the shell's completion protocol."""
    variables = {"_ZHASHUI_COMPLETE": f"complete_{shell}", **(env or {})}
    if shell == "bash":
        words = line.split(" ")
        variables.update(COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    else:
        variables.update(_TYPER_COMPLETE_ARGS=line)
        if shell == "fish":
            variables["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    result = subprocess.run([ZHASHUI], capture_output=True, text=True, env={**os.environ, **variables}, check=False)
    assert result.returncode == 0, result.stderr
    if shell == "zsh":
        items = result.stdout.split("((")[-1].split("))")[0].split("\n")
        return [item.strip('"').split('":"')[0] for item in items if item]
    return [item.split("\t")[0] for item in result.stdout.split("\n") if item]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_offers_values_from_the_fact_base_in_use(shell: str) -> None:
    assert set(complete(shell, "zhashui search -y ")) == {"2023", "2024"}
    assert {"yuan", "km", "元"} <= set(complete(shell, "zhashui search --unit "))
    assert "zhashui-2024-02-07" in complete(shell, "zhashui search --source ")
    assert "toilets" in complete(shell, "zhashui search -t toi")
    assert set(complete(shell, "zhashui search -c e")) == {"economy", "ecology"}
    assert set(complete(shell, "zhashui search -c economy,r")) == {"economy,reform", "economy,rural"}
    assert "claim_en" in complete(shell, "zhashui search --fields claim")
    assert "2023-highlight-5" in complete(shell, "zhashui search --section 2023-highlight-")
    assert complete(shell, f"zhashui --facts {BASE} show 2023-") == [
        "2023-loans",
        "2023-toilets",
        "2023-brand-value",
        "2023-model-county",
    ]
    assert "2023-loans" in complete(shell, "zhashui show 2023-", {"ZHASHUI_FACTS": BASE})


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o"),
        ("zsh", "#compdef zhashui"),
        ("fish", "complete --command zhashui"),
        ("powershell", "Register-ArgumentCompleter"),
    ],
)
def test_the_completion_script_is_the_named_shells(shell: str, marker: str) -> None:
    result = cli("completion", shell)
    assert result.exit_code == 0 and marker in result.stdout
    assert cli("completion", "tcsh").stderr == (
        "zhashui: unknown shell 'tcsh'; use one of bash, zsh, fish, powershell; see zhashui completion --help\n"
    )


# -- help, pager, interrupts ------------------------------------------------------------------
@pytest.mark.parametrize("command", [command.name for command in app.registered_commands])
def test_each_commands_help_leads_with_examples(command: str) -> None:
    text = cli(command, "--help").stdout
    description, _, rest = text.partition("Examples:")
    assert rest and rest.index(f"zhashui {command}") < 200
    assert description.count("\n\n") <= 3  # a line of what it does, then the examples


def test_a_tall_table_goes_through_the_pager_on_a_terminal(tmp_path: Path) -> None:
    import pty

    pages = tmp_path / "paged.txt"
    pager = tmp_path / "pager.sh"
    pager.write_text(f"#!/bin/sh\ncat > '{pages}'\n")
    pager.chmod(0o755)
    leader, follower = pty.openpty()
    env = {**os.environ, "PAGER": str(pager), "LINES": "10", "COLUMNS": "80"}
    for extra in ([], ["--no-pager"]):
        pages.unlink(missing_ok=True)
        process = subprocess.run(
            [ZHASHUI, "search", "木耳", *extra], stdout=follower, stderr=subprocess.PIPE, env=env, check=False
        )
        assert process.returncode == 0
        if extra:
            assert not pages.exists()
        else:
            assert "2023-fungus-brand-value" in pages.read_text()
    os.close(follower)
    os.close(leader)
    piped = subprocess.run([ZHASHUI, "search", "木耳"], capture_output=True, env=env, check=False)
    assert b"2023-fungus-brand-value" in piped.stdout  # never paged in a pipe


def shown_on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """What zhashui sends a terminal (stdout on a pseudo-terminal), read as it is written."""
    import pty

    leader, follower = pty.openpty()
    environment = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    environment.update({"LINES": "1000", "COLUMNS": "100", **env})
    with subprocess.Popen([ZHASHUI, *args], stdout=follower, stderr=subprocess.DEVNULL, env=environment) as process:
        os.close(follower)
        shown = b""
        with contextlib.suppress(OSError):  # the terminal closes with the process
            while chunk := os.read(leader, 4096):
                shown += chunk
    os.close(leader)
    assert process.returncode == 0
    return shown.decode()


@pytest.mark.parametrize(
    ("env", "match"),
    [
        ({"TERM": "xterm-256color"}, "\x1b[1;30;43m木耳\x1b[0m"),
        ({"TERM": "xterm-256color", "NO_COLOR": "1"}, "\x1b[1m木耳\x1b[0m"),
        ({"TERM": "dumb"}, "木耳"),
    ],
)
def test_matches_are_marked_in_colour_in_bold_or_not_at_all(env: dict[str, str], match: str) -> None:
    shown = shown_on_a_terminal(["search", "木耳"], env)
    assert f"“柞水{match}”品牌价值突破30亿元。" in shown
    assert ("\x1b" in shown) is (env["TERM"] != "dumb")
    if "NO_COLOR" in env:
        assert "43m" not in shown


def test_an_interrupt_while_the_command_line_is_built_is_one_line_and_exit_130() -> None:
    code = (
        "import sys, zhashui_cli.cli.app as cli\n"
        "def interrupted(argv=None):\n    raise KeyboardInterrupt\n"
        "cli.main = interrupted\n"
        "from zhashui_cli.__main__ import main\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (130, "", "zhashui: interrupted\n")


def test_the_command_runs_with_the_collector_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cyclic garbage collector is off from main()'s first instruction to the end of the run
    (__main__.main; _collector.py says why); the library leaves it as it found it."""
    import gc

    from zhashui_cli import __main__ as entry

    seen: dict[str, bool] = {}

    def command() -> int:
        seen["enabled"] = gc.isenabled()
        return 0

    monkeypatch.setattr("zhashui_cli.cli.app.main", command)
    monkeypatch.setattr(os, "_exit", lambda code: seen.update(code=code))
    try:
        entry.main()
    finally:
        gc.enable()
    assert seen == {"enabled": False, "code": 0}


@pytest.mark.parametrize("enabled", [True, False])
def test_the_library_pauses_the_collector_and_leaves_it_as_it_was(enabled: bool) -> None:
    import gc

    from zhashui_cli._collector import paused

    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.raises(ValueError), paused():
            assert not gc.isenabled()
            raise ValueError
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


@pytest.mark.parametrize("debug", [False, True])
def test_a_broken_install_is_one_line_and_exit_70(debug: bool) -> None:
    """A dependency that cannot be imported (here typer, blocked) fails before the command line
    can report anything itself: __main__ says it in one line, and the traceback only when asked."""
    code = "import sys\nsys.modules['typer'] = None\nfrom zhashui_cli.__main__ import main\nmain()\n"
    env = (
        {**os.environ, "ZHASHUI_DEBUG": "1"} if debug else {k: v for k, v in os.environ.items() if k != "ZHASHUI_DEBUG"}
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    if debug:
        assert result.returncode == 1
        assert "Traceback" in result.stderr and "import of typer halted" in result.stderr
        return
    assert (result.returncode, result.stdout) == (70, "")
    assert result.stderr.startswith(
        "zhashui: internal error: cannot start (ModuleNotFoundError: import of typer halted"
    )
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "reinstall zhashui" in result.stderr


def test_typer_still_has_the_internals_we_use() -> None:
    """cli/_typer.py takes these from typer's private modules; if typer moves them,
    this fails first and says what to look for."""
    import typer

    from zhashui_cli.cli._typer import typer_internals

    internals = typer_internals()
    click_error, no_such_option, bad_usage = internals.click_errors
    assert issubclass(typer.BadParameter, click_error) and issubclass(no_such_option, click_error)
    assert issubclass(bad_usage, click_error)
    assert internals.bash_complete.name == "bash" and callable(internals.add_completion_class)
    assert "#compdef zhashui" in internals.get_completion_script(
        prog_name="zhashui", complete_var="_ZHASHUI_COMPLETE", shell="zsh"
    )
    assert callable(internals.completion_init)


def _pager_script(path: Path, record: Path, status: int = 0) -> str:
    path.write_text(f"#!/bin/sh\ncat > '{record}'\nexit {status}\n")
    path.chmod(0o755)
    return str(path)


def test_zhashui_pager_comes_before_pager_and_its_status_is_the_runs(tmp_path: Path) -> None:
    import pty

    ours, theirs = tmp_path / "ours.txt", tmp_path / "theirs.txt"
    env = {**os.environ, "LINES": "10", "COLUMNS": "80", "PAGER": _pager_script(tmp_path / "p.sh", theirs)}
    env["ZHASHUI_PAGER"] = _pager_script(tmp_path / "z.sh", ours, status=3)
    leader, follower = pty.openpty()
    try:
        process = subprocess.run(
            [ZHASHUI, "search", "木耳"], stdout=follower, stderr=subprocess.PIPE, env=env, check=False
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert "2023-fungus-brand-value" in ours.read_text() and not theirs.exists()
    assert process.returncode == 3  # as the pager ended


def test_a_pager_that_cannot_be_read_is_one_note_and_the_table_unpaged() -> None:
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "LINES": "10", "COLUMNS": "80", "PAGER": "less 'unbalanced"}
    try:
        process = subprocess.run(
            [ZHASHUI, "search", "木耳"], stdout=follower, stderr=subprocess.PIPE, env=env, check=False
        )
        shown = os.read(leader, 65536).decode()
    finally:
        os.close(follower)
        os.close(leader)
    assert process.returncode == 0 and "2023-fungus-brand-value" in shown
    assert process.stderr.decode().splitlines()[0] == (
        'zhashui: the pager command "less \'unbalanced" cannot be read (No closing quotation);'
        " fix ZHASHUI_PAGER or PAGER; showing the table without it"
    )


def test_ctrl_c_in_a_real_less_leaves_no_pager_behind(tmp_path: Path) -> None:
    """Ctrl-C reaches both zhashui and less (the terminal's foreground group): zhashui must
    ignore it and wait, or less, orphaned, goes on reading the terminal behind the shell."""
    import pty
    import select
    import shutil

    less = shutil.which("less")
    assert less is not None, "the pager tests need less (apt-get install less)"
    env = {**os.environ, "TERM": "xterm", "LINES": "10", "COLUMNS": "80", "PAGER": less, "LESS": "FRX"}
    env.pop("ZHASHUI_PAGER", None)
    pid, terminal = pty.fork()
    if pid == 0:  # the child: zhashui on a terminal of its own, as a user starts it
        os.execve(ZHASHUI, [ZHASHUI, "search", "-n", "0"], env)
    try:
        shown = b""
        while b"2023-" not in shown:  # less is showing the table
            ready, _, _ = select.select([terminal], [], [], 30)
            assert ready, shown
            shown += os.read(terminal, 65536)
        os.write(terminal, b"\x03")  # Ctrl-C: SIGINT to zhashui and less alike
        deadline, done = time.monotonic() + 30, 0
        while not done:  # then q, until less has quit (the terminal drops what was typed with ^C)
            assert time.monotonic() < deadline, "zhashui did not end after less quit"
            with contextlib.suppress(OSError):
                if select.select([terminal], [], [], 0.2)[0]:
                    os.read(terminal, 65536)
                os.write(terminal, b"q")
            done, status = os.waitpid(pid, os.WNOHANG)
    finally:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(terminal)
    assert os.waitstatus_to_exitcode(status) == 0  # zhashui waited for less and left with its status


@pytest.mark.parametrize(
    ("term", "colour", "styled"),
    [("dumb", "auto", False), ("xterm-256color", "auto", True), ("dumb", "always", True), ("xterm", "never", False)],
)
def test_show_boxes_the_fact_at_the_terminals_width_and_marks_its_quote(term: str, colour: str, styled: bool) -> None:
    """A dumb terminal (Emacs' shell) of 100 columns gets a box 100 wide, not rich's 80 for
    a terminal it cannot ask, and the quote between 【】, as no style can mark it there."""
    no_lines = {"TERM": term, "LINES": ""}  # rich reads LINES for the height it otherwise takes as 80 x 25's
    shown = shown_on_a_terminal(["show", "2023-toilets", "--no-pager", "--color", colour], no_lines)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    top = plain.splitlines()[0]
    assert top.startswith("╭─ 2023-toilets ") and len(top) == 100
    quote = "新改建农村公厕和旅游厕所98座、户厕7168座"
    if styled:
        assert "【" not in plain and "\x1b[1;30;43m新改建农村公厕" in shown
    else:
        assert "\x1b" not in shown and f"【{quote}" in re.sub(r"[\s│]", "", plain)
