"""Where an export may write (issue 21): it never removes what it did not create, never
writes over a special file or through a symlink, and a killed export leaves nothing behind
that the next one does not clean up."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhashui_cli.cli.app import app
from zhashui_cli.errors import UnsafeOutputError
from zhashui_cli.export import target


def export(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["export", *args])
    return result.exit_code, result.stderr


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding a file of the user's, inside a parent that holds another."""
    (tmp_path / "parent-file.txt").write_text("the parent's")
    folder = tmp_path / "work"
    (folder / "y1").mkdir(parents=True)
    (folder / "precious.txt").write_text("the user's")
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("target", [".", "..", "y1/..", "./", "y1/../.."])
def test_the_working_folder_and_its_parents_are_never_replaced(work: Path, target: str) -> None:
    code, stderr = export("--yaml", target, "--replace")
    shown = Path(target)  # as the command line reads it: ./ is .
    assert (code, stderr) == (2, f"zhashui: {shown} is the working folder or one of its parents; name a new folder\n")
    assert (work / "precious.txt").read_text() == "the user's"
    assert (work.parent / "parent-file.txt").read_text() == "the parent's"
    assert sorted(p.name for p in work.iterdir()) == ["precious.txt", "y1"]


def test_the_working_folder_and_its_parents_are_refused_by_their_absolute_paths(work: Path) -> None:
    for folder in (work, work.parent, Path(work.anchor)):
        code, stderr = export("--yaml", str(folder), "--replace")
        assert (code, stderr) == (
            2,
            f"zhashui: {folder} is the working folder or one of its parents; name a new folder\n",
        )
    assert (work / "precious.txt").read_text() == "the user's"


def test_a_device_is_refused_before_anything_is_written() -> None:
    """Checked on /dev/null by the check alone, which writes nothing even if it were broken:
    the export itself, run as root on a device, would replace it (as it once did)."""
    with pytest.raises(UnsafeOutputError, match=r"^/dev/null is a special file \(a device, FIFO or socket\)"):
        target.check(Path("/dev/null"), folder=False, replace=True)
    with pytest.raises(UnsafeOutputError, match="special file"):
        target.check(Path("/dev/null"), folder=True, replace=True)


def _socket(path: str) -> socket.socket:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    return listener


@pytest.mark.parametrize("kind", ["--sqlite", "--yaml"])
def test_a_fifo_or_a_socket_is_refused_and_left_as_it_is(work: Path, kind: str) -> None:
    os.mkfifo("pipe")
    with _socket("sock"):
        for name, is_kind in (("pipe", stat.S_ISFIFO), ("sock", stat.S_ISSOCK)):
            code, stderr = export(kind, name, "--replace")
            assert (code, stderr) == (
                2,
                f"zhashui: {name} is a special file (a device, FIFO or socket); name a regular file\n",
            )
            assert is_kind(Path(name).lstat().st_mode)


@pytest.mark.parametrize("kind", ["--sqlite", "--yaml"])
def test_a_symlink_is_refused_and_what_it_points_to_kept(work: Path, kind: str) -> None:
    Path("link").symlink_to("precious.txt" if kind == "--sqlite" else "y1")
    code, stderr = export(kind, "link", "--replace")
    assert (code, stderr) == (2, "zhashui: link is a symbolic link; name the file or folder itself\n")
    assert Path("link").is_symlink() and (work / "precious.txt").read_text() == "the user's"


def test_a_folder_is_not_a_database_and_a_file_is_not_a_fact_file_folder(work: Path) -> None:
    assert export("--sqlite", "y1", "--replace") == (2, "zhashui: y1 is a folder; name a file for --sqlite\n")
    assert export("--yaml", "precious.txt", "--replace") == (
        2,
        "zhashui: precious.txt is a file; name a folder for --yaml\n",
    )
    assert (work / "precious.txt").read_text() == "the user's" and (work / "y1").is_dir()


def test_replace_replaces_an_export_folder_and_only_what_it_wrote(work: Path) -> None:
    assert export("--yaml", "out")[0] == 0
    written = sorted(p.relative_to("out").as_posix() for p in Path("out").rglob("*") if p.is_file())
    assert written == [".zhashui-export", "facts.yaml", "schema/facts.schema.json", "sources/zhashui-2024-02-07.txt"]
    assert export("--yaml", "out", "--replace")[0] == 0
    assert sorted(p.relative_to("out").as_posix() for p in Path("out").rglob("*") if p.is_file()) == written
    assert sorted(p.name for p in work.iterdir()) == ["out", "precious.txt", "y1"]  # no temporary left beside it

    Path("out/notes.txt").write_text("mine")
    code, stderr = export("--yaml", "out", "--replace")
    assert code == 2
    assert stderr == (
        "zhashui: out holds 'notes.txt', which no zhashui export wrote; --replace replaces only an export folder\n"
    )
    assert Path("out/notes.txt").read_text() == "mine" and Path("out/facts.yaml").is_file()


def test_a_folder_of_the_users_is_never_emptied(work: Path) -> None:
    (work / "y1" / "thesis.tex").write_text("years of work")
    assert export("--yaml", "y1", "--replace")[0] == 2
    assert (work / "y1" / "thesis.tex").read_text() == "years of work"


def test_an_empty_folder_may_be_replaced(work: Path) -> None:
    assert export("--yaml", "y1", "--replace")[0] == 0
    assert (work / "y1" / "facts.yaml").is_file()


def _dead_pid() -> int:
    """A process id that no process has (the highest the kernel would hand out, plus one)."""
    return int(Path("/proc/sys/kernel/pid_max").read_text()) + 1


def test_what_a_killed_export_left_is_cleaned_by_the_next(work: Path) -> None:
    dead = _dead_pid()
    stranded = work / f".out.tmp-{dead}-0a1b2c3d"
    (stranded / "sources").mkdir(parents=True)
    (stranded / "facts.yaml").write_text("half")
    stale_db = work / f".z.db.tmp-{dead}-0a1b2c3d"
    stale_db.write_text("half a database")
    live = work / f".out.tmp-{os.getpid()}-feedbeef"  # a running export's: not to be touched
    live.mkdir()
    assert export("--yaml", "out")[0] == 0
    assert export("--sqlite", "z.db")[0] == 0
    assert not stranded.exists() and not stale_db.exists() and live.is_dir()


def test_an_export_killed_between_its_renames_gets_its_old_folder_back(work: Path) -> None:
    assert export("--yaml", "out")[0] == 0
    aside = work / f".out.old-{_dead_pid()}-0a1b2c3d"
    Path("out").rename(aside)  # as a kill between the two renames of --replace leaves it
    assert export("--yaml", "out")[0] == 2  # the old export is back, so --replace is needed
    assert not aside.exists() and Path("out/facts.yaml").is_file()


def test_a_target_that_cannot_be_written_is_one_line_and_exit_74(work: Path) -> None:
    code, stderr = export("--sqlite", "precious.txt/zhashui.db")
    assert code == 74
    assert stderr == "zhashui: cannot look at precious.txt/zhashui.db: Not a directory\n"
    code, stderr = export("--yaml", "precious.txt/copy")
    assert code == 74 and stderr.count("\n") == 1
    assert (work / "precious.txt").read_text() == "the user's"


def test_an_export_from_a_removed_working_folder_is_refused_or_written_where_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    assert export("--sqlite", "z.db") == (
        2,
        "zhashui: the working folder has been removed, so z.db leads nowhere; cd to a folder, or give a full path\n",
    )
    assert export("--sqlite", str(tmp_path / "z.db"))[0] == 0 and (tmp_path / "z.db").is_file()
