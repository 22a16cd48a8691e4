"""Find and load a fact file: read it, parse it strictly, read its sources, check its rules.

Loading is strict: yamlfile.py reads the YAML, parse.py checks every entry, and
rules.py every rule of the format. Everything wrong is collected, each problem at the
line of its field, and load() returns it beside what could be parsed; require() raises it
as one FactFileError. Only a cold start loads a fact file: a warm search reads the cached
index instead (cache.py), so the imports here are made where a file is actually loaded.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from zhashui_cli.errors import FactFileError
from zhashui_cli.records import Problem, problem

if TYPE_CHECKING:
    from .fields import Located
    from .model import FactFile, Source

# A progress report: what is being done, how much of it, out of how much.
Progress = Callable[[str, int, int], None]


class FileKey(NamedTuple):
    """Which file a path names and when it last changed, as stat() tells without reading it.

    Size and mtime alone prove little: cp -p, rsync -t, tar x and touch -r give them to a file
    of other content. A file put in another's place has another device or inode, and any
    change of a file moves its ctime, which no one can set back."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, status: os.stat_result) -> FileKey:
        return cls(status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


# What the cache remembers of a file it was built from: its resolved path, its key when it was
# read, and the SHA-256 of what was read (which decides when the key cannot).
Stamp = tuple[str, FileKey, str]


class Loaded(NamedTuple):
    file: FactFile
    problems: list[Problem]
    stamps: list[Stamp]  # of every file read, the fact file first


def _packaged(name: str) -> Path:
    """A file shipped with zhashui: inside the wheel (data/), or in a source checkout's root."""
    here = Path(__file__).resolve().parent.parent  # the package
    packaged = here / "data" / name
    return packaged if packaged.exists() else here.parent.parent / name


def packaged_fact_file() -> Path:
    """The fact base shipped with zhashui."""
    return _packaged("facts.yaml")


def packaged_schema() -> Path:
    """The JSON Schema of fact files (its modeline in the packaged facts.yaml points at it)."""
    return _packaged("schema/facts.schema.json")


def stamp(path: Path, raw: bytes, status: os.stat_result) -> Stamp:
    """The stamp of a file's bytes, given its status taken before they were read: a change while
    reading then shows as a key that differs, never as an old key vouching for new bytes."""
    import hashlib

    return (str(path.resolve()), FileKey.of(status), hashlib.sha256(raw).hexdigest())


def _read_bytes(path: Path) -> tuple[bytes, Stamp]:
    """A file's bytes and its stamp, taken from exactly those bytes (stat first, then read)."""
    status = path.stat()
    raw = path.read_bytes()
    return raw, stamp(path, raw, status)


def _unreadable(path: Path, message: str, place: tuple[int, int] | None = None) -> FactFileError:
    return FactFileError(str(path), [problem(str(path), message, rule="file", place=place)])


def _read_text(path: Path) -> tuple[str, Stamp]:
    try:
        raw, read = _read_bytes(path)
    except FileNotFoundError:
        raise _unreadable(path, "no such file; check the path (or --facts / ZHASHUI_FACTS)") from None
    except IsADirectoryError:
        raise _unreadable(path, "is a folder, not a fact file; point at the .yaml file inside") from None
    except OSError as error:
        raise _unreadable(path, f"cannot be read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"not UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8"
        raise _unreadable(path, message, (line, column)) from None
    if not text.strip():
        raise _unreadable(path, "is empty; a fact file has sources, categories and facts")
    return text, read


def load(path: Path, *, coverage: bool = False, progress: Progress | None = None) -> Loaded:
    """Everything that parses in a fact file, and every problem of it. Raises FactFileError
    only when the file cannot be read or parsed at all, or points outside its folder."""
    from . import parse, rules
    from .fields import Located
    from .model import FactFile
    from .yamlfile import YamlError
    from .yamlfile import load as load_yaml

    text, read = _read_text(path)
    report = None if progress is None else lambda done, total: progress("Reading facts", done, total)
    try:
        document = load_yaml(text, str(path), report)
    except YamlError as error:
        raise FactFileError(str(path), [problem(str(path), error.message, rule="yaml", place=error.position)]) from None
    _report(progress, "Checking facts", 0)
    parsed = parse.parse(document.data, str(path), document.places, document.ambiguous)
    located = Located(document.data, document.places)
    texts, stamps, problems = _read_sources(path, parsed.sources, located, _paths(document.data, "sources"))
    problems = parsed.problems + problems
    file = FactFile(str(path), parsed.sources, parsed.categories, parsed.facts, texts)
    context = rules.Context(file, located.position, _paths(document.data, "facts"))
    problems += rules.check(context, coverage=coverage, sound=not problems)
    _report(progress, "Checking facts", 1)
    return Loaded(file, problems, [read, *stamps])


def require(loaded: Loaded) -> Loaded:
    if loaded.problems:
        raise FactFileError(loaded.file.path, loaded.problems)
    return loaded


def _paths(data: object, key: str) -> dict[str, tuple[Any, ...]]:
    """Where each entry of a top-level list stands, by id: {"2023-toilets": ("facts", 52)}."""
    entries = data.get(key) if isinstance(data, dict) else None
    paths: dict[str, tuple[Any, ...]] = {}
    for n, entry in enumerate(entries if isinstance(entries, list) else []):
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            paths.setdefault(entry["id"], (key, n))
    return paths


def _report(progress: Progress | None, stage: str, done: int) -> None:
    """A stage with no finer measure than started (0) and finished (1)."""
    if progress is not None:
        progress(stage, done, 1)


def source_path(fact_file: Path, text: str) -> Path:
    """Where a source's text is: relative to the fact file, and never outside its folder."""
    folder = fact_file.resolve().parent
    location = (folder / text).resolve()
    if Path(text).is_absolute() or not location.is_relative_to(folder):
        raise ValueError(f"'{text}' leads outside the fact file's folder; keep source texts beside the fact file")
    return location


def quoted_line(fact_file: Path, text: str, quote: str) -> str:
    """The line of a source text that holds a quote; the quote alone if the text cannot be read.

    The text is looked for where source_path() allows, as when the fact file was loaded: the
    text may come from a cached index, and an index can say anything (a forged one pointed at
    /etc/shadow), so nothing it says is read outside the fact file's folder."""
    try:
        lines = source_path(fact_file, text).read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):  # missing, unreadable, not UTF-8, or outside the folder
        return quote
    return next((line for line in lines if quote in line), quote)


def _read_sources(
    path: Path, sources: tuple[Source, ...], located: Located, paths: dict[str, tuple[Any, ...]]
) -> tuple[dict[str, str], list[Stamp], list[Problem]]:
    texts: dict[str, str] = {}
    stamps: list[Stamp] = []
    problems: list[Problem] = []
    for source in sources:
        at = (*paths[source.id], "text")
        field, place = f"sources[{at[1]}].text", located.position(at)
        try:
            location = source_path(path, source.text)
        except ValueError as error:
            found = problem(str(path), str(error), rule="source-path", field=field, place=place)
            raise FactFileError(str(path), [found]) from None
        try:
            raw, read = _read_bytes(location)
            texts[source.id] = raw.decode("utf-8")
            stamps.append(read)
        except (OSError, UnicodeDecodeError) as error:
            reason = "not UTF-8" if isinstance(error, UnicodeDecodeError) else (error.strerror or str(error)).lower()
            message = f"cannot read {path.parent / source.text} ({reason}); paths are relative to the fact file"
            problems.append(problem(str(path), message, rule="source-text", field=field, place=place))
    return texts, stamps, problems
