"""The Chinese interface (issue 19, item 9): what a person reads follows the locale, what a
program reads never does, and an English run reads no catalogue.

The language is chosen once per process (zhashui_cli._i18n), so every run in another language
is a child process: run() starts one that runs several command lines in turn, in process, and
reports each one's exit code, stdout and stderr.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo

import zhashui_cli
from tests.conftest import REPO, load_script
from zhashui_cli._i18n import DOMAIN, LOCALE_DIR, language_of, worded

# Runs each command line of the JSON list on stdin as `zhashui` would, stdout and stderr caught.
_DRIVER = """
import io, json, sys
from zhashui_cli.cli.app import main
results = []
for argv in json.load(sys.stdin):
    out, err = io.BytesIO(), io.BytesIO()
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    code = main(argv)
    sys.stdout.flush(); sys.stderr.flush()
    results.append([code, out.getvalue().decode("utf-8", "backslashreplace"), err.getvalue().decode()])
sys.__stdout__.write(json.dumps(results))
"""
_LOCALE_VARIABLES = ("ZHASHUI_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def run(argvs: list[list[str]], **environment: str) -> list[tuple[int, str, str]]:
    """Each command line's exit code, stdout and stderr, in a process with this environment
    (no locale variable but those given)."""
    env = {name: value for name, value in os.environ.items() if name not in _LOCALE_VARIABLES}
    env |= {"COLUMNS": "100", **environment}
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER], input=json.dumps(argvs), capture_output=True, text=True, env=env, check=True
    )
    return [(code, out, err) for code, out, err in json.loads(done.stdout)]


def one(argv: list[str], **environment: str) -> tuple[int, str, str]:
    return run([argv], **environment)[0]


ZH = {"ZHASHUI_LANG": "zh"}


# -- choosing the language ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "zh_TW.UTF-8"}, "zh_CN"),  # the Simplified catalogue is the only one
        ({"LANG": "zh"}, "zh_CN"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"ZHASHUI_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"ZHASHUI_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ({"LANGUAGE": "en:zh_CN", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ({"LC_MESSAGES": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"ZHASHUI_LANG": "", "LANG": "zh_HK.UTF-8"}, "zh_CN"),  # set but empty: the next decides
        ({"LANG": "zhx_XX"}, "en"),
    ],
)
def test_language_follows_zhashui_lang_then_gettexts_order(environ: dict[str, str], language: str) -> None:
    assert language_of(environ) == language


def test_lang_alone_gives_chinese_and_zhashui_lang_overrides_it() -> None:
    (chinese, _, _), (english, _, _) = (
        one(["--help"], LANG="zh_CN.UTF-8"),
        one(["--help"], LANG="zh_CN.UTF-8", ZHASHUI_LANG="en"),
    )
    assert chinese == english == 0
    assert "用法：" in one(["--help"], LANG="zh_CN.UTF-8")[1]
    assert "Usage:" in one(["--help"], LANG="zh_CN.UTF-8", ZHASHUI_LANG="en")[1]


def test_english_is_todays_english_whatever_says_so() -> None:
    """en, C, POSIX and no locale at all say the same, in English."""
    argvs = [["--help"], ["search", "--help"], [], ["show", "nope"], ["search", "--bogus"], ["version"]]
    unset = run(argvs)
    for environment in ({"ZHASHUI_LANG": "en"}, {"LANG": "C"}, {"LC_ALL": "POSIX"}):
        assert run(argvs, **environment) == unset
    assert "Usage: zhashui [OPTIONS] COMMAND [ARGS]..." in unset[0][1]
    assert "Show this message and exit." in unset[0][1]
    assert unset[3][2] == "zhashui: no fact with id 'nope'; `zhashui search` lists the ids\n"


# -- what a person reads ------------------------------------------------------------------------
def _latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{4,}", text))


def test_help_of_the_app_is_chinese() -> None:
    code, out, _ = one(["--help"], **ZH)
    assert code == 0
    for chinese in ("用法：", "选项：", "命令：", "显示此帮助信息并退出。", "退出码：", "示例：", "环境变量："):
        assert chinese in out
    for english in ("Usage:", "Options", "Commands", "Show this message", "Exit codes", "Examples", "env var"):
        assert english not in out
    # what stays Latin is zhashui's own names: commands, options, metavars, paths and examples
    assert "Search" not in _latin_words(out) and "List" not in _latin_words(out)


def test_help_of_a_command_is_chinese_with_typers_brackets() -> None:
    code, out, _ = one(["search", "--help"], **ZH)
    assert code == 0
    assert out.startswith("用法：zhashui search [OPTIONS] [QUERY]...")
    for chinese in ("参数：", "选项：", "按内容查找表述", "仅限此类别", "[默认：", "显示此帮助信息并退出。"):
        assert chinese in out
    for english in ("Arguments", "Options", "Find claims", "Only this category", "[default:", "Examples"):
        assert english not in out
    assert one(["help", "search"], **ZH)[1] == out  # help COMMAND is COMMAND --help


def test_help_wraps_chinese_paragraphs_by_cells() -> None:
    """Chinese has no spaces for click to break at: every line of help fits the terminal."""
    from zhashui_cli.terminal.tables import width_of

    for argv in (["--help"], ["search", "--help"], ["cache", "--help"]):
        out = one(argv, COLUMNS="60", **ZH)[1]
        assert max(width_of(line) for line in out.splitlines() if not line.startswith("    ")) <= 60


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_help_fits_80_columns_examples_too_and_lists_commands_whole(language: str) -> None:
    from zhashui_cli.cli.app import ORDER
    from zhashui_cli.terminal.tables import width_of

    helps = run([["--help"], *([command, "--help"] for command in ORDER)], COLUMNS="80", ZHASHUI_LANG=language)
    for (code, out, _), argv in zip(helps, [["--help"], *([command] for command in ORDER)], strict=True):
        assert code == 0
        assert max(width_of(line) for line in out.splitlines()) <= 80, argv
    # the commands, each with the first sentence of its help whole (click cut them with "...")
    listing = re.search(r"^(?:Commands|命令)[:：]\n(.*?)\n\n", helps[0][1], re.S | re.M)
    assert listing is not None
    entries = re.split(r"\n(?=  [a-z])", listing.group(1))
    assert [entry.split()[0] for entry in entries] == ORDER
    assert all(entry.endswith((".", "。")) and "..." not in entry for entry in entries), entries


def test_usage_of_zhashui_alone_and_version_are_chinese() -> None:
    (usage_code, usage, _), (version_code, version, _) = run([[], ["version"]], **ZH)
    assert usage_code == version_code == 0
    assert "用法：zhashui COMMAND" in usage and "命令：" in usage and "Usage" not in usage
    assert "条事实" in version and "事实文件：" in version and " facts," not in version


@pytest.mark.parametrize(
    ("argv", "code", "chinese", "english"),
    [
        (["show", "nope"], 1, "没有 ID 为 'nope' 的事实", "no fact with id"),
        (["search", "--bogus"], 2, "没有此选项：--bogus", "No such option"),
        (["search", "--sotr", "value"], 2, "没有此选项：--sotr（您是不是要找 --sort？）", "did you mean"),
        (["show"], 2, "缺少参数 'ID...'", "Missing argument"),
        (["version", "extra"], 2, "多余的参数：extra", "unexpected extra"),
        (["search", "--limit"], 2, "选项 '--limit' 需要一个值", "requires an argument"),
        (["search", "--json=yes"], 2, "选项 '--json' 不接受值", "does not take a value"),
        (["search", "-n", "abc"], 2, "只接受行数", "takes a whole number"),
        (["search", "--format", "xml"], 2, "未知的 --format 'xml'", "unknown --format"),
        (["search", "--color", "nevr"], 2, "未知的 --color 'nevr'（您是不是要找 never？）", "is not one of"),
        (["serch"], 2, "没有此命令：'serch'（您是不是要找 search？）", "No such command"),
        (["search", "--json", "--format", "csv"], 2, "--json 与 --format csv 相互冲突", "contradict"),
        # the library's errors, said from the parts their messages keep (_i18n.Message)
        (["search", "-c", "econ"], 2, "未知类别 'econ'（您是不是要找 economy？）；已有：economy", "unknown"),
        (["search", "-y", "twenty"], 2, "'twenty' 不是年份；请用阿拉伯数字写出年份：2023, 2024", "not a year"),
        (["search", "-k", "pla"], 2, "未知类型 'pla'（您是不是要找 plan？）；请使用以下之一：", "use one of"),
        (["search", "--unit", "万元", "--min", "1x"], 2, "最小值 '1x' 不是数字；请写成 100000000、1e8", "write it"),
        (["search", "--unit", "元", "--min", "3万亩"], 2, "的单位是亩，但当前单位是元", "bare number"),
        (["search", "--unit", "亩x"], 2, "未知单位 '亩x'；请使用基本单位（元,", "base unit"),
        (["search", "--fields", "idd,yeer"], 2, "未知字段 idd, yeer（您是不是要找 id, year？）；可用字段：", "valid"),
        (["export", "--sqlite", "."], 2, ". 是当前工作目录或其上级目录；请指定一个新目录", "working folder"),
    ],
)
def test_errors_are_one_chinese_line_with_the_same_exit_code(
    argv: list[str], code: int, chinese: str, english: str
) -> None:
    got, out, err = one(argv, **ZH)
    assert (got, out) == (code, "")
    assert err.startswith("zhashui: ") and err.count("\n") == 1
    assert chinese in err and english not in err
    if not chinese.isascii():
        assert "参见 zhashui" in err or code == 1 or "参见" not in err
    assert one(argv)[0] == code  # the same exit code in English


def test_table_headings_and_notes_are_chinese() -> None:
    (search, out, err), (categories, table, _) = run(
        [["search", "木耳", "-n", "2"], ["categories"]], ZHASHUI_FORCE_TTY="130", **ZH
    )
    assert search == categories == 0
    head = out.splitlines()[0].split()
    assert head == ["ID", "年份", "表述", "英文"]
    assert "仅显示前 2 项" in err and "--limit 0" in err
    assert "事实数" in table.splitlines()[0] and "Facts" not in table
    shown = one(["show", "2023-toilets"], ZHASHUI_FORCE_TTY="100", **ZH)[1]
    assert "引文及其所在段落" in shown and "类别" in shown and "Quote in its paragraph" not in shown
    stats = one(["stats"], ZHASHUI_FORCE_TTY="100", **ZH)[1]
    assert "最大的几笔金额" in stats and "按类别统计的事实数" in stats and "Largest" not in stats


BROKEN = REPO / "tests" / "broken"  # a fact file per rule of the format, each broken once


def _chinese() -> Callable[[str], str]:
    """The Chinese catalogue's gettext, read here whatever language this process runs in."""
    import gettext

    return gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"]).gettext


@pytest.mark.parametrize("name", sorted(path.name for path in BROKEN.glob("*.yaml") if path.name != "base.yaml"))
def test_every_problem_of_a_fact_file_can_be_said_in_chinese_and_stays_english_in_its_record(name: str) -> None:
    translate = _chinese()
    problems = zhashui_cli.open(BROKEN / name, cache=False).verify()["problems"]
    assert problems
    for problem in problems:
        english = problem["message"]
        chinese = worded(english, translate)
        assert re.search(r"[\u4e00-\u9fff]", chinese) and chinese != english, (name, english)
        assert json.loads(json.dumps(problem))["message"] == english  # the record is plain English text


@pytest.mark.parametrize(
    ("name", "chinese", "english"),
    [
        (
            "claim-figures.yaml",
            "事实 '2023-toilets': claim: 写的是 «7186»，但 figures[0] 是 7168座；请更正数字",
            "states",
        ),
        ("sentence.yaml", "警告: 事实 '2024-bonds': claim: 以“债管理”结尾；请用 。 结束句子", "warning"),
        ("yaml.yaml", "yaml.yaml:6:11: 5:3 处开始的映射未闭合；请用 } 闭合", "not closed"),
        ("source-text.yaml", "missing.txt（没有该文件或目录）；路径是相对于事实文件的", "cannot read"),
    ],
)
def test_verify_says_a_fact_files_problems_in_chinese(name: str, chinese: str, english: str) -> None:
    argv = ["verify", "--facts", str(BROKEN / name)]
    (code, out, _), (code_en, out_en, _) = one(argv, **ZH), one(argv)
    assert code == code_en != 0
    assert chinese in out and english not in out
    assert english in out_en and len(out.splitlines()) == len(out_en.splitlines())


def test_a_fact_file_a_command_refuses_is_said_in_chinese(tmp_path: Path) -> None:
    (code, out, err), (folder_code, _, folder) = run(
        [["search", "--facts", str(BROKEN / "schema--unit-factor.yaml")], ["search", "--facts", str(tmp_path)]], **ZH
    )
    assert (code, out, folder_code) == (2, "", 2)
    lines = err.splitlines()
    assert lines[0] == f"zhashui: {BROKEN / 'schema--unit-factor.yaml'}：3 个问题："
    assert lines[1].endswith("units[0].factor: 0 不是正数；请写明一个该单位等于多少个基本单位")
    assert lines[3].endswith("units[2].factor: 以自身为基本单位的单位，factor 为 1")
    assert folder == f"zhashui: {tmp_path}: 是文件夹，不是事实文件；请指向其中的 .yaml 文件\n"


def test_cache_messages_are_chinese(tmp_path: Path) -> None:
    (info_code, info, _), (clear_code, _, cleared) = run(
        [["cache", "info"], ["cache", "clear"]], XDG_CACHE_HOME=str(tmp_path), **ZH
    )
    assert info_code == clear_code == 0
    assert info.startswith("缓存：")
    assert "缓存为空" in cleared or "已从" in cleared


def test_completion_install_says_what_it_changed_in_chinese(tmp_path: Path) -> None:
    code, _, err = one(["completion", "fish", "--install"], HOME=str(tmp_path), **ZH)
    assert code == 0
    assert err.startswith("zhashui: fish 补全：已写入 ") and "在新的 shell 中生效" in err


def test_completions_are_described_in_chinese() -> None:
    """zsh shows each option and command it offers with its help, which is held in English until
    drawn: a completion draws it too."""

    def zsh(line: str) -> str:
        env = {name: value for name, value in os.environ.items() if name not in _LOCALE_VARIABLES}
        env |= {**ZH, "_ZHASHUI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line}
        command = [sys.executable, "-m", "zhashui_cli"]
        return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout

    assert '"--year":"仅限关于该年份的表述。"' in zsh("zhashui search --ye")
    assert '"search":"按内容查找表述，可用中文、英文或拼音。"' in zsh("zhashui sea")


# -- what a program reads -----------------------------------------------------------------------
_FORMATS = ["table", "json", "jsonl", "csv", "yaml", "markdown"]  # table: the lines written into a pipe
# verify's and coverage's text is a report for a person, also in a pipe: its summary line follows the locale.
_REPORTS = ("verify", "coverage")
_COMMANDS = [
    ["search", "木耳"],
    ["search"],
    ["figures"],
    ["show", "2023-toilets"],
    ["show", "2023-toilets", "2023-loans-coordinated"],
    ["tags"],
    ["categories"],
    ["stats"],
    ["sources"],
    ["verify"],
    ["coverage"],
]


def test_machine_formats_and_pipes_are_the_same_bytes_in_every_language() -> None:
    argvs = [
        [*command, "--format", fmt]
        for command in _COMMANDS
        for fmt in _FORMATS
        if not (fmt == "table" and command[0] in _REPORTS)
    ]
    argvs += [["search", "木耳", "--fields", "id,claim", "--format", fmt] for fmt in _FORMATS]
    argvs += [["figures", "--header"], ["cite", "2023-toilets", "--format", "csl-json"], ["cite", "2023-toilets"]]
    # a report of problems: their messages are English in every machine format
    argvs += [
        ["verify", "--facts", str(REPO / "tests" / "broken" / name), "--json"]
        for name in ("qualifier.yaml", "yaml.yaml")
    ]
    english, chinese = run(argvs, ZHASHUI_LANG="en"), run(argvs, **ZH)
    for argv, (code_en, out_en, _), (code_zh, out_zh, _) in zip(argvs, english, chinese, strict=True):
        assert (code_zh, out_zh) == (code_en, out_en), argv
        assert out_en or argv[0] in _REPORTS, argv


def test_exports_are_the_same_in_every_language(tmp_path: Path) -> None:
    written: dict[str, Any] = {}
    for language in ("en", "zh"):
        folder = tmp_path / language
        results = run(
            [
                ["export", "--sqlite", str(folder / "all.db")],
                ["export", "--sqlite", str(folder / "money.db"), "--unit", "yuan"],
                ["export", "--yaml", str(folder / "base")],
            ],
            ZHASHUI_LANG=language,
        )
        assert [code for code, _, _ in results] == [0, 0, 0]
        dumps = []
        for name in ("all.db", "money.db"):
            with closing(sqlite3.connect(folder / name)) as database:  # a with of the connection only commits
                dumps.append(list(database.iterdump()))
        files = {
            str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
        }
        written[language] = (dumps, {name: data for name, data in files.items() if not name.endswith(".db")})
    assert written["zh"] == written["en"]
    assert written["en"][1]


# -- the catalogue ------------------------------------------------------------------------------
_OPENED_CATALOGUES = """
import sys
opened = []
def hook(event, args):
    if event == "open" and str(args[0]).endswith(".mo"):
        opened.append(str(args[0]))
sys.addaudithook(hook)
import io, json
from zhashui_cli.cli.app import main
codes = []
for argv in json.loads(sys.argv[1]):
    sys.stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    codes.append(main(argv))
sys.__stdout__.write(json.dumps([codes, opened]))
"""


def _catalogues_opened(argvs: list[list[str]], environment: dict[str, str]) -> tuple[list[int], list[str]]:
    """Each command line's exit code, and the catalogues the process opened running them in turn."""
    env = {name: value for name, value in os.environ.items() if name not in _LOCALE_VARIABLES} | environment
    script = [sys.executable, "-c", _OPENED_CATALOGUES, json.dumps(argvs)]
    codes, opened = json.loads(subprocess.run(script, capture_output=True, text=True, env=env, check=True).stdout)
    return codes, [Path(path).name for path in opened]


@pytest.mark.parametrize(
    ("environment", "read"),
    [({"ZHASHUI_LANG": "en", "LANG": "zh_CN.UTF-8"}, False), ({}, False), (ZH, True), ({"LANG": "zh_CN.UTF-8"}, True)],
)
def test_only_a_chinese_run_reads_the_catalogue(environment: dict[str, str], read: bool) -> None:
    codes, opened = _catalogues_opened([["--help"], ["search", "--bogus"]], environment)
    assert codes == [0, 2]
    assert opened == (["zhashui.mo"] if read else [])


def test_a_chinese_run_that_says_nothing_to_a_person_reads_no_catalogue() -> None:
    """Help is translated when drawn, not when the commands are built: JSON and pipes cost a
    Chinese run what they cost an English one."""
    quiet = [
        ["search", "木耳", "--json"],
        ["search", "柞水", "--format", "csv"],
        ["figures", "--json"],
        ["show", "2023-toilets"],
    ]
    assert _catalogues_opened(quiet, ZH) == ([0, 0, 0, 0], [])
    assert _catalogues_opened([*quiet, ["search", "--help"]], ZH) == ([0, 0, 0, 0, 0], ["zhashui.mo"])


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{[^{}]*\}|%\([a-z_]+\)[sd]", text))


def test_every_message_is_in_the_catalogue_translated_with_its_placeholders() -> None:
    script = load_script("gen_catalogue")
    catalogue = script.read()
    wanted = {message.id for message in script.template() if message.id}
    have = {message.id for message in catalogue if message.id}
    assert sorted(wanted - have) == [], "run scripts/gen_catalogue.py and translate what it adds"
    assert sorted(have - wanted) == [], "obsolete entries: run scripts/gen_catalogue.py"
    assert not catalogue.obsolete
    for message in catalogue:
        if not message.id:
            continue
        # a plural message is (singular, plural) with one translation for Chinese's one form
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        chinese = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(chinese), f"untranslated: {message.id!r}"
        assert not message.fuzzy, f"fuzzy: {message.id!r}"
        for text in chinese:
            assert all(_placeholders(text) == _placeholders(form) for form in english), message.id
            assert all(text.count("\b") == form.count("\b") for form in english), message.id  # click's blocks


def test_the_compiled_catalogue_is_the_po_compiled(tmp_path: Path) -> None:
    """The .mo a Chinese run reads (compiled by hatch_build.py or gen_catalogue.py) is current."""
    script = load_script("gen_catalogue")
    compiled = tmp_path / "zhashui.mo"
    with compiled.open("wb") as target:
        write_mo(target, script.read())
    assert script.PO.with_suffix(".mo").read_bytes() == compiled.read_bytes(), "run scripts/gen_catalogue.py"


def test_the_wheel_ships_the_compiled_catalogue() -> None:
    """hatch_build.py compiles the .po and force-includes the .mo, which .gitignore keeps out of git."""
    hook = (REPO / "hatch_build.py").read_text(encoding="utf-8")
    assert "force_include" in hook and "compile_catalogues" in hook
    ignored = subprocess.run(
        ["git", "check-ignore", "src/zhashui_cli/locale/zh_CN/LC_MESSAGES/zhashui.mo"],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    assert ignored.returncode == 0


@pytest.mark.process  # modules_after, from test_cli, starts one
def test_a_chinese_json_search_imports_what_an_english_one_does(tmp_path: Path) -> None:
    """The start-up rule holds in Chinese: a JSON search reads no catalogue, so it imports what
    an English one does, and no rich, OpenCC or what the index build needs."""
    from tests.test_cli import modules_after

    modules_after(["search", "木耳", "--json"], tmp_path)  # warm the cache
    english = modules_after(["search", "木耳", "--json"], tmp_path, {"ZHASHUI_LANG": "en"})
    chinese = modules_after(["search", "木耳", "--json"], tmp_path, ZH)
    assert chinese == english
    assert not {module.split(".")[0] for module in chinese} & {"rich", "opencc", "yaml", "pypinyin", "rjieba"}
