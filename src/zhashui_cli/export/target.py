"""Where an export may write, and how its result is put in place without destroying anything.

An export is written beside its destination under a temporary name of its own
(`.NAME.tmp-PID-RANDOM`) and renamed into place, so that a failed or killed export leaves the
old file or folder whole. The rules, each tested in tests/test_export.py:

- a destination that is the working folder, one of its ancestors, `.` or `..`, a symbolic
  link or a special file (a device, a FIFO, a socket) is refused; so is a folder for
  --sqlite, or a file for --yaml;
- a folder is replaced only if zhashui wrote everything in it: each export folder lists what
  it wrote in `.zhashui-export`, and only those files are removed;
- temporaries left beside the destination by a killed export (their process is gone) are
  removed by the next export to it.
"""

from __future__ import annotations

import glob
import json
import os
import secrets
import shutil
import stat
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

from zhashui_cli._i18n import Message
from zhashui_cli._process import running
from zhashui_cli.errors import OutputExistsError, OutputWriteError, UnsafeOutputError

MANIFEST = ".zhashui-export"


def check(destination: Path, *, folder: bool, replace: bool) -> None:
    """Refuse a destination an export must not write to (see the module's rules), once what
    killed exports to it left behind is cleaned up."""
    working = _working_folder(destination)
    resolved = destination.resolve()
    if destination.name in ("", ".", "..") or resolved == working or resolved in working.parents:
        raise UnsafeOutputError(
            Message("{path} is the working folder or one of its parents; name a new folder", path=destination)
        )
    if destination.parent.is_dir():
        _remove_stale(destination)
    try:
        mode = destination.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise OutputWriteError(
            Message("cannot look at {path}: {reason}", path=destination, reason=error.strerror)
        ) from error
    if stat.S_ISLNK(mode):
        raise UnsafeOutputError(Message("{path} is a symbolic link; name the file or folder itself", path=destination))
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise UnsafeOutputError(
            Message("{path} is a special file (a device, FIFO or socket); name a regular file", path=destination)
        )
    if stat.S_ISDIR(mode) != folder:
        if folder:
            raise UnsafeOutputError(Message("{path} is a file; name a folder for --yaml", path=destination))
        raise UnsafeOutputError(Message("{path} is a folder; name a file for --sqlite", path=destination))
    if not replace:
        raise OutputExistsError(Message("{path} exists; give --replace to write over it", path=destination))
    if folder and (stranger := _not_written_by_an_export(destination)) is not None:
        raise UnsafeOutputError(
            Message(
                "{path} holds {stranger}, which no zhashui export wrote; --replace replaces only an export folder",
                path=destination,
                stranger=stranger,
            )
        )


def _working_folder(destination: Path) -> Path:
    """The working folder, resolved; when it has been removed, a relative destination means
    nothing and is refused, and an absolute one cannot be inside it (so the root stands in)."""
    try:
        return Path.cwd().resolve()
    except FileNotFoundError:
        if not destination.is_absolute():
            raise UnsafeOutputError(
                Message(
                    "the working folder has been removed, so {path} leads nowhere; cd to a folder, or give a full path",
                    path=destination,
                )
            ) from None
        return Path(destination.anchor)


def temporary_beside(destination: Path) -> Path:
    """A new name beside destination, on the same file system, so that the rename is atomic."""
    parent = destination.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputWriteError(
            Message("cannot make the folder {path}: {reason}", path=parent, reason=error.strerror)
        ) from error
    return parent / f".{destination.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}"


def put_file(temporary: Path, destination: Path) -> None:
    """Rename a written file into place (atomic, and never through a symlink)."""
    temporary.replace(destination)


def put_folder(temporary: Path, written: list[str], destination: Path) -> None:
    """Rename a written folder into place. An old export there is first renamed aside whole,
    then the new one renamed in (restoring the old one should that fail), and only then are
    the old one's own files removed."""
    (temporary / MANIFEST).write_text(json.dumps({"files": written}, ensure_ascii=False) + "\n", encoding="utf-8")
    if not destination.exists():
        temporary.rename(destination)
        return
    aside = temporary.with_name(temporary.name.replace(".tmp-", ".old-", 1))
    destination.rename(aside)
    try:
        temporary.rename(destination)
    except OSError:
        aside.rename(destination)
        raise
    _remove_export(aside)


def discard(temporary: Path) -> None:
    """Remove a temporary this run made (a file or a folder), if it is still there."""
    if temporary.is_dir() and not temporary.is_symlink():
        shutil.rmtree(temporary, ignore_errors=True)
    else:
        with suppress(OSError):
            temporary.unlink()


def _not_written_by_an_export(folder: Path) -> str | None:
    """The first entry of folder that its export manifest does not list; None when it lists all
    (an empty folder has nothing to lose)."""
    present = sorted(_files(folder))
    if not present:
        return None
    listed = _listed(folder)
    if listed is None:
        return f"'{present[0]}'" if present != [MANIFEST] else None
    strangers = [name for name in present if name != MANIFEST and name not in listed]
    return f"'{strangers[0]}'" if strangers else None


def _files(folder: Path) -> Iterator[str]:
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_dir():
            yield path.relative_to(folder).as_posix()


def _listed(folder: Path) -> set[str] | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return {str(name) for name in manifest["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remove_export(folder: Path) -> None:
    """Remove the files an export folder lists, then its folders that are left empty."""
    for name in _listed(folder) or set():
        with suppress(OSError):
            (folder / name).unlink()
    with suppress(OSError):
        (folder / MANIFEST).unlink()
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not path.is_symlink():
            with suppress(OSError):
                path.rmdir()
    with suppress(OSError):
        folder.rmdir()


def _remove_stale(destination: Path) -> None:
    """Temporaries of exports to destination whose process is gone: a new one (.tmp-) is
    removed whole, since that export made all of it; an old one set aside (.old-) is put back
    if nothing took its place, or else loses only what its manifest lists."""
    for prefix in (f".{destination.name}.tmp-", f".{destination.name}.old-"):
        for path in destination.parent.glob(f"{_glob_escape(prefix)}*"):
            pid = path.name[len(prefix) :].partition("-")[0]
            if not pid.isdigit() or running(int(pid)):
                continue
            if prefix.endswith(".tmp-"):
                discard(path)
            elif path.is_dir() and not path.is_symlink() and not os.path.lexists(destination):
                path.rename(destination)  # killed between its two renames: the old export goes back
            elif path.is_dir() and not path.is_symlink():
                _remove_export(path)


def _glob_escape(text: str) -> str:
    return glob.escape(text)
