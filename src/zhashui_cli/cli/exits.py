"""Exit codes and the plumbing of a process: streams, errors and signals turned into one line
on stderr and a documented code.

This is the only module that knows about exit codes. The library raises its own errors
(errors.py), click raises usage errors, the operating system refuses output; here each
becomes one line on stderr and a code of ExitCode, whose descriptions the help and
the README's table are generated from.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from enum import IntEnum
from typing import Any

from zhashui_cli import suggest
from zhashui_cli._i18n import CHINESE, _, said
from zhashui_cli.errors import CorruptIndexError, FactFileError, OutputWriteError, ZhashuiError
from zhashui_cli.output.render import printable


class ExitCode(IntEnum):
    """The exit codes, each with what it means in English and in Chinese (for the READMEs)."""

    description: str
    description_zh: str

    def __new__(cls, value: int, description: str, description_zh: str) -> ExitCode:
        member = int.__new__(cls, value)
        member._value_ = value
        member.description = description
        member.description_zh = description_zh
        return member

    OK = (
        0,
        "found, or every check holds; also when the reader of the output left early (| head)",
        "找到结果，或全部检查通过；读取输出的程序提前退出（如 | head）时同样返回 0",
    )
    NOT_FOUND = (
        1,
        "nothing found, no such fact, or verify found problems in a readable file",
        "未找到结果、指定 ID 的事实不存在，或 verify 在可读取的文件中发现问题",
    )
    USAGE = 2, "usage error, or a fact file that cannot be used", "用法错误，或事实文件无法使用"
    INTERNAL = (
        70,
        "internal error: a bug in zhashui, in one line (ZHASHUI_DEBUG=1 shows the traceback)",
        "内部错误（zhashui 自身的 bug），只输出一行；设置 ZHASHUI_DEBUG=1 可显示调用栈",
    )
    OUTPUT = (
        74,
        "the output could not be written (a full disk, a closed stdout, a read-only folder)",
        "输出无法写入（如磁盘已满、标准输出已关闭、目录只读）",
    )
    INTERRUPTED = 130, "interrupted (Ctrl-C)", "被中断（Ctrl-C）"


def described() -> list[tuple[str, str]]:
    """The exit codes with what each means, in the language of the run: the last section of
    `zhashui --help`, wrapped as its options are."""
    return [(str(code.value), code.description_zh if CHINESE else code.description) for code in ExitCode]


def markdown_table(chinese: bool = False) -> str:
    """The exit codes as the README's table (README.zh-CN.md's, in Chinese)."""
    head = "| 退出码 | 含义 |" if chinese else "| code | meaning |"
    rows = [
        f"| {code.value} | {(code.description_zh if chinese else code.description).replace('|', chr(92) + '|')} |"
        for code in ExitCode
    ]
    return "\n".join([head, "|---:|---|", *rows]) + "\n"


def did_you_mean(typed: str, known: Iterable[str] | Mapping[str, str], *, limit: int = 3) -> str:
    """suggest.did_you_mean in the language of the run: " (did you mean a, b?)"; "" for none."""
    return said(suggest.did_you_mean(typed, known, limit=limit))


def library_message(error: ZhashuiError) -> str:
    """A library error as the command line says it: in the language of the run, from the parts
    its message keeps (_i18n.Message)."""
    return said(error.message)


class UsageProblem(ZhashuiError):
    """Options that make sense one by one but not together."""


class OutputClosed(Exception):
    """The reader of stdout went away (| head): not an error, but the end of the run."""


class OutputFailed(Exception):
    """stdout refused the answer (a full disk, a closed descriptor)."""


def note(message: str, *more: str) -> None:
    """One line on stderr (and, for a fact file's problems, one more line for each), every
    text in it shown safely (render.printable): a message may echo what a fact file or an
    argument holds, and nothing of theirs may steer the terminal or pass for a line."""
    lines = [f"zhashui: {printable(message)}", *(printable(line) for line in more)]
    try:
        sys.stderr.write("\n".join(lines) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr is full or closed: run() turns that into exit code 74
        _failed_streams.add("stderr")


# The streams that refused a write during this run; any of them makes the exit code 74.
_failed_streams: set[str] = set()
# What a write to a full, broken or read-only stream raises: an output failure, not a bug.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EBADF, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EPIPE})


def emit(write: Callable[[], object]) -> None:
    """Write a command's answer to stdout, whole, and turn a failed write into our own error
    before click, which maps a broken pipe to exit code 1 (our "nothing found"), can see it."""
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError as error:
        raise OutputClosed from error
    except OSError as error:
        raise OutputFailed(error.strerror or str(error)) from error
    except CorruptIndexError as error:  # many records are read as they are written (corpus.StreamedRecords)
        raise OutputFailed(
            _("the cached index was cut short while the answer was written; run the command again")
        ) from error


def run(invoke: Callable[[], Any], usage: Callable[[Exception], str | None]) -> int:
    """Run a command and return its exit code; all that reaches stderr is one message.

    usage says what a usage error of the command line parser means (None: not one of them).
    """
    if sys.stdout is None:  # started with stdout closed (>&-)
        if sys.stderr is not None:
            note(_("standard output is closed; there is nowhere to write the answer"))
        return ExitCode.OUTPUT
    if sys.stderr is None:  # started with stderr closed: errors have nowhere to go, answers do
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115, PTH123 - lives as long as the process
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    _failed_streams.clear()
    code = _exit_code_or_failure(invoke, usage)
    return ExitCode.OUTPUT if _failed_streams and code != ExitCode.INTERRUPTED else code


def _exit_code_or_failure(invoke: Callable[[], Any], usage: Callable[[Exception], str | None]) -> int:
    try:
        return _exit_code(invoke, usage)
    except OutputClosed:
        silence_stdout()
        return ExitCode.OK
    except KeyboardInterrupt:
        note(_("interrupted"))
        return ExitCode.INTERRUPTED
    except (OutputFailed, OSError) as error:  # an OSError that escapes is click writing help, say
        if isinstance(error, OSError) and error.errno not in _OUTPUT_ERRNOS:  # not a failed stream: a bug
            return _internal(error)
        silence_stdout()
        reason = error.strerror if isinstance(error, OSError) else error
        note(_("cannot write the output: {reason}").format(reason=reason))
        return ExitCode.OUTPUT
    except Exception as error:
        return _internal(error)


def _internal(error: Exception) -> int:
    if os.environ.get("ZHASHUI_DEBUG"):
        raise error
    note(
        _("internal error ({kind}: {error}); please report it, ZHASHUI_DEBUG=1 shows where").format(
            kind=type(error).__name__, error=error
        )
    )
    return ExitCode.INTERNAL


def _exit_code(invoke: Callable[[], Any], usage: Callable[[Exception], str | None]) -> int:
    try:
        result = invoke()
    except FactFileError as error:
        note(*error.lines(_))
        return ExitCode.USAGE
    except OutputWriteError as error:
        note(library_message(error))
        return ExitCode.OUTPUT
    except ZhashuiError as error:  # a query, a filter or options that cannot work
        note(library_message(error))
        return ExitCode.USAGE
    except Exception as error:
        message = usage(error)
        if message is None:
            raise
        if message:
            note(message)
        return ExitCode.USAGE
    if result == ExitCode.INTERRUPTED:  # click turns Ctrl-C into this code
        raise KeyboardInterrupt
    return int(result) if isinstance(result, int) else ExitCode.OK


def silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
