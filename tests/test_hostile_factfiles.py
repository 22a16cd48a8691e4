"""Hostile fact files (issue 21, findings 6 to 8): whatever a fact file or a source text holds,
reading it ends in the file loaded or in a FactFileError that says what is wrong and where.
Never another exception (which the command line can only call an internal error), never a
hang on a named pipe, never a read without bound."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zhashui_cli.errors import FactFileError
from zhashui_cli.factfile import store

from .conftest import SAMPLE_SOURCE

WriteFacts = Callable[..., Path]


def problem_of(path: Path, **options: Any) -> str:
    with pytest.raises(FactFileError) as caught:
        store.require(store.load(path, **options))
    return str(caught.value)


def make_socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(path))  # the socket file stays after the socket is closed


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


# -- special files and sizes (finding 6) -------------------------------------------------------
@pytest.mark.parametrize(("make", "kind"), [(make_fifo, "a named pipe (FIFO)"), (make_socket, "a socket")])
def test_a_special_file_is_refused_as_a_fact_file_without_reading_it(
    tmp_path: Path, make: Callable[[Path], None], kind: str
) -> None:
    path = tmp_path / "facts.yaml"
    make(path)
    assert problem_of(path) == f"{path}: is {kind}, not a regular file; point at a fact file saved as a file"


def test_a_device_is_refused_as_a_fact_file_without_reading_it() -> None:
    """/dev/zero never ends: read, it would fill the memory."""
    assert problem_of(Path("/dev/zero")) == (
        "/dev/zero: is a character device, not a regular file; point at a fact file saved as a file"
    )


def test_a_named_pipe_swapped_in_after_the_check_is_refused_not_waited_on(
    write_facts: WriteFacts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the check of the path and its opening, the file can be replaced by a named pipe:
    opening that must not wait for a writer, and what was opened is checked again."""
    regular = write_facts().stat()
    fifo = tmp_path / "swapped.yaml"
    make_fifo(fifo)
    real_stat = os.stat

    def stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        return regular if Path(path) == fifo else real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    assert (
        problem_of(fifo) == f"{fifo}: is a named pipe (FIFO), not a regular file; point at a fact file saved as a file"
    )


@pytest.mark.parametrize(
    ("make", "kind"),
    [(make_fifo, "a named pipe (FIFO)"), (make_socket, "a socket"), (Path.mkdir, "a folder")],
)
def test_a_special_file_is_refused_as_a_source_text(
    write_facts: WriteFacts, make: Callable[[Path], None], kind: str
) -> None:
    path = write_facts()
    text = path.parent / "sample.txt"
    text.unlink()
    make(text)
    assert f"sources[0].text: cannot read {text} ({kind}, not a regular file); point text at the source's text" in (
        problem_of(path)
    )


def test_a_fact_file_over_the_size_limit_is_refused(write_facts: WriteFacts) -> None:
    path = write_facts()
    size = path.stat().st_size
    assert len(store.load(path, max_bytes=size).file.facts) == 2  # the limit itself is allowed
    assert problem_of(path, max_bytes=size - 1) == (
        f"{path}: is larger than the limit of {size - 1:,} bytes; check that it is a fact file, or raise the limit"
    )


def test_the_default_size_limit_is_64_mib(write_facts: WriteFacts) -> None:
    path = write_facts()
    with path.open("r+b") as file:
        file.truncate(store.MAX_BYTES + 1)  # sparse: no disk used
    assert problem_of(path).endswith(
        f"is larger than the limit of {store.MAX_BYTES:,} bytes; check that it is a fact file, or raise the limit"
    )
    assert store.MAX_BYTES == 64 * 2**20


def test_a_source_text_over_the_size_limit_is_refused(write_facts: WriteFacts) -> None:
    path = write_facts(source=SAMPLE_SOURCE + "测试" * 10_000)
    limit = path.stat().st_size
    text = path.parent / "sample.txt"
    assert f"sources[0].text: cannot read {text} (larger than the limit of {limit:,} bytes); " in problem_of(
        path, max_bytes=limit
    )
