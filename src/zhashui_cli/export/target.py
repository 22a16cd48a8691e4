"""Where an export writes: beside its destination first, then renamed into place, so that a
failed export leaves nothing half-written; nothing is overwritten unless the caller says so."""

from __future__ import annotations

import os
import shutil
from contextlib import suppress
from pathlib import Path

from zhashui_cli.errors import OutputExistsError


def check(destination: Path, *, folder: bool, replace: bool) -> None:
    """Refuse to overwrite what exists, unless told to replace it."""
    if destination.exists() and not replace:
        raise OutputExistsError(f"{destination} exists; give --replace to write over it")


def temporary_beside(destination: Path) -> Path:
    """A name beside destination, on the same file system, so that the final rename is atomic."""
    import tempfile

    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.tmp-")
    os.close(handle)
    Path(name).unlink()
    return Path(name)


def put_file(temporary: Path, destination: Path) -> None:
    temporary.replace(destination)


def put_folder(temporary: Path, written: list[str], destination: Path) -> None:
    if destination.exists():
        shutil.rmtree(destination) if destination.is_dir() else destination.unlink()
    temporary.rename(destination)


def discard(temporary: Path) -> None:
    if temporary.is_dir():
        shutil.rmtree(temporary, ignore_errors=True)
    else:
        with suppress(OSError):
            temporary.unlink()
