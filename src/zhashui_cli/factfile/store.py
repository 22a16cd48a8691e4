"""Find and load a fact file: read it, parse it strictly, read its sources, check its rules.

Loading is strict: yamlfile.py reads the YAML, parse.py checks every entry, and
rules.py every rule of the format. Everything wrong is collected, each problem at the
line of its field, and load() returns it beside what could be parsed; require() raises it
as one FactFileError. Only a cold start loads a fact file: a warm search reads the cached
index instead (cache.py), so the imports here are made where a file is actually loaded.
"""

from __future__ import annotations

import errno
import os
import stat as mode
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from zhashui_cli._i18n import N_, Message
from zhashui_cli.errors import FactFileError
from zhashui_cli.records import Problem, integrity_errors, problem

from .units import written_number

if TYPE_CHECKING:
    from .fields import Located
    from .model import FactFile, Source
    from .rules import Context

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

# The largest fact file or source text read, unless load(max_bytes=...) says otherwise: five
# hundred times the packaged fact base (benchmarks/startup.py's 100,000 facts are 57 MiB),
# and a bound on what a wrong path (a log, a disk image) can make zhashui read.
MAX_BYTES = 64 * 2**20
RAISE_THE_LIMIT = N_("raise the limit (zhashui --max-size, or max_bytes= in the library)")
# What a path is when it is no regular file, in a curator's words.
_FOLDER = N_("a folder")
_KINDS = (
    (mode.S_ISDIR, _FOLDER),
    (mode.S_ISFIFO, N_("a named pipe (FIFO)")),
    (mode.S_ISCHR, N_("a character device")),
    (mode.S_ISBLK, N_("a block device")),
    (mode.S_ISSOCK, N_("a socket")),
)
# Opening waits for nothing (a named pipe without a writer) and never takes a terminal for
# the controlling one; the flags a system lacks are left out.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class NotRegularFileError(OSError):
    """A path that is a folder, a named pipe, a device or a socket, refused before its content
    is read. An OSError, so that a reader that takes an unreadable file for a changed one
    (the cache) needs nothing more."""

    def __init__(self, kind: str) -> None:
        self.message = Message("{kind}, not a regular file", kind=Message(kind))
        super().__init__(str(self.message))
        self.kind = kind


class FileTooLargeError(OSError):
    """A file larger than the limit, refused after reading no more than the limit and a byte."""

    def __init__(self, limit: int) -> None:
        self.message = Message("larger than the limit of {limit} bytes", limit=written_number(limit, grouped=True))
        super().__init__(str(self.message))


class OutsideFolderError(ValueError):
    """A source text's path that leads outside the fact file's folder."""

    def __init__(self, text: str) -> None:
        self.message = Message(
            "'{path}' leads outside the fact file's folder; keep source texts beside the fact file", path=text
        )
        super().__init__(str(self.message))


class Loaded(NamedTuple):
    file: FactFile
    problems: list[Problem]
    stamps: list[Stamp]  # of every file read, the fact file first


class Unchecked(NamedTuple):
    """A fact file read and parsed, its rules not yet checked (load() is read_unchecked(), then
    checked()): what the index build starts from, checking the rules beside it (base.py)."""

    file: FactFile
    problems: list[Problem]  # of parsing it and reading its sources
    stamps: list[Stamp]
    context: Context
    progress: Progress | None

    def rule_problems(self, coverage: bool = False) -> list[Problem]:
        """The problems rules.check finds."""
        from . import rules

        return rules.check(self.context, coverage=coverage, sound=not self.problems)

    def checked(self, rule_problems: list[Problem] | None = None, *, coverage: bool = False) -> Loaded:
        """The file with every problem: those of reading it, then rule_problems (by default,
        found now)."""
        found = self.rule_problems(coverage) if rule_problems is None else rule_problems
        _report(self.progress, "Checking facts", 1)
        return Loaded(self.file, self.problems + found, self.stamps)


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


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> tuple[bytes, os.stat_result]:
    """A regular file's bytes, at most max_bytes of them, and its status, taken before those
    bytes were read (so that a change during the read shows as a change).

    The path is checked before it is opened, so that no pipe or device is ever opened, and
    what was opened is checked again, so that a file swapped for a named pipe in between can
    make the read neither wait for a writer nor run on without end. Raises OSError, and of
    it NotRegularFileError and FileTooLargeError."""
    _require_regular(path.stat().st_mode)
    with os.fdopen(os.open(path, _OPEN_FLAGS), "rb") as file:
        status = os.fstat(file.fileno())
        _require_regular(status.st_mode)
        raw = file.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise FileTooLargeError(max_bytes)
    return raw, status


def _require_regular(st_mode: int) -> None:
    if not mode.S_ISREG(st_mode):
        raise NotRegularFileError(next((kind for test, kind in _KINDS if test(st_mode)), N_("a special file")))


def _read_bytes(path: Path, max_bytes: int) -> tuple[bytes, Stamp]:
    """A file's bytes and its stamp, taken from exactly those bytes (stat first, then read)."""
    raw, status = read_file(path, max_bytes)  # status from fstat, before the bytes were read
    return raw, stamp(path, raw, status)


def _unreadable(path: Path, message: Message, place: tuple[int, int] | None = None) -> FactFileError:
    return FactFileError(str(path), [problem(str(path), message, rule="file", place=place)])


def _read_text(path: Path, max_bytes: int) -> tuple[str, Stamp]:
    try:
        raw, read = _read_bytes(path, max_bytes)
    except FileNotFoundError:
        raise _unreadable(path, _NO_SUCH_FILE) from None
    except NotRegularFileError as error:
        raise _unreadable(path, _not_a_fact_file(error.kind)) from None
    except FileTooLargeError as error:
        message = Message(
            "is {reason}; check that it is a fact file, or {fix}", reason=error.message, fix=Message(RAISE_THE_LIMIT)
        )
        raise _unreadable(path, message) from None
    except OSError as error:
        raise _unreadable(path, Message("cannot be read: {reason}", reason=error.strerror or error)) from None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        message = Message("not UTF-8 (byte 0x{byte}); save the file as UTF-8", byte=format(raw[error.start], "02x"))
        raise _unreadable(path, message, (line, column)) from None
    if not text.strip():
        raise _unreadable(path, Message("is empty; a fact file has sources, categories and facts"))
    return text, read


_NO_SUCH_FILE = Message("no such file; check the path (or --facts / ZHASHUI_FACTS)")


def _not_a_fact_file(kind: str) -> Message:
    if kind == _FOLDER:
        return Message("is {kind}, not a fact file; point at the .yaml file inside", kind=Message(kind))
    return Message("is {kind}, not a regular file; point at a fact file saved as a file", kind=Message(kind))


def load(path: Path, *, coverage: bool = False, progress: Progress | None = None, max_bytes: int = MAX_BYTES) -> Loaded:
    """Everything that parses in a fact file, and every problem of it. Raises FactFileError
    only when the file cannot be read or parsed at all, or points outside its folder.

    Only regular files are read, the fact file and each source text at most max_bytes long."""
    return read_unchecked(path, progress=progress, max_bytes=max_bytes).checked(coverage=coverage)


def read_unchecked(path: Path, *, progress: Progress | None = None, max_bytes: int = MAX_BYTES) -> Unchecked:
    """load() but for the rules: the file read and parsed, and its sources read."""
    from . import parse, rules
    from .fields import Located
    from .model import FactFile
    from .yamlfile import Places, YamlError
    from .yamlfile import load as load_yaml

    text, read = _read_text(path, max_bytes)
    report = None if progress is None else lambda done, total: progress("Reading facts", done, total)
    try:
        document = load_yaml(text, str(path), report, positions=False)
    except YamlError as error:
        raise FactFileError(str(path), [problem(str(path), error.message, rule="yaml", place=error.position)]) from None
    _report(progress, "Checking facts", 0)

    def reread() -> tuple[object, Places]:
        """The file read again with positions, for the first problem found: from the disk, as
        the text is not kept (the rules checked beside the index build would keep it through
        it), and only while it is what was read, lest a problem point at a changed line."""
        try:
            again, stamp = _read_text(path, max_bytes)
        except FactFileError:
            return None, {}
        if stamp != read:
            return None, {}
        placed = load_yaml(again, str(path))
        return placed.data, placed.places

    located = Located(document.data, {}, reread)
    parsed = parse.parse(document.data, str(path), located, document.ambiguous)
    paths = _paths(document.data, "sources")
    texts, stamps, problems = _read_sources(path, parsed.sources, located, paths, max_bytes)
    file = FactFile(str(path), parsed.sources, parsed.categories, parsed.facts, texts, parsed.units)
    context = rules.Context(file, located.positions_only().position, _paths(document.data, "facts"))
    return Unchecked(file, parsed.problems + problems, [read, *stamps], context, progress)


def require_file(path: Path) -> None:
    """Raise the FactFileError that load() would when there is no fact file at path, at once
    (as open() does), rather than at the first search."""
    if not path.exists():
        raise _unreadable(path, _NO_SUCH_FILE)


def require(loaded: Loaded) -> Loaded:
    """The loaded file, unless an integrity rule fails: warnings alone leave a draft usable."""
    if integrity_errors(loaded.problems):
        raise FactFileError(loaded.file.path, integrity_errors(loaded.problems))
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
        raise OutsideFolderError(text)
    return location


def quoted_line(fact_file: Path, text: str, quote: str) -> str:
    """The line of a source text that holds a quote; the quote alone if the text cannot be read.

    The text is looked for where source_path() allows, as when the fact file was loaded: the
    text may come from a cached index, and an index can say anything (a forged one pointed at
    /etc/shadow), so nothing it says is read outside the fact file's folder."""
    try:
        lines = read_file(source_path(fact_file, text))[0].decode("utf-8").splitlines()
    except (OSError, ValueError):  # missing, no regular file, too large, not UTF-8, or outside the folder
        return quote
    return next((line for line in lines if quote in line), quote)


def _read_sources(
    path: Path, sources: tuple[Source, ...], located: Located, paths: dict[str, tuple[Any, ...]], max_bytes: int
) -> tuple[dict[str, str], list[Stamp], list[Problem]]:
    texts: dict[str, str] = {}
    stamps: list[Stamp] = []
    problems: list[Problem] = []
    for source in sources:
        at = (*paths[source.id], "text")
        field = f"sources[{at[1]}].text"  # placed by located.position(at) only if it has a problem
        try:
            location = source_path(path, source.text)
        except OutsideFolderError as error:
            found = problem(str(path), error.message, rule="source-path", field=field, place=located.position(at))
            raise FactFileError(str(path), [found]) from None
        try:
            raw, read = _read_bytes(location, max_bytes)
            texts[source.id] = raw.decode("utf-8")
            stamps.append(read)
        except (OSError, UnicodeDecodeError) as error:
            reason, fix = _source_problem(error)
            message = Message(
                "cannot read {path} ({reason}); {fix}", path=path.parent / source.text, reason=reason, fix=fix
            )
            problems.append(problem(str(path), message, rule="source-text", field=field, place=located.position(at)))
    return texts, stamps, problems


def _source_problem(error: OSError | UnicodeDecodeError) -> tuple[Message | str, Message]:
    """Why a source text was not read, and what to do about it."""
    if isinstance(error, NotRegularFileError):
        return error.message, Message("point text at the source's text, saved as a file")
    if isinstance(error, FileTooLargeError):
        return error.message, Message("point text at the source's text, or {fix}", fix=Message(RAISE_THE_LIMIT))
    if isinstance(error, UnicodeDecodeError):
        return Message("not UTF-8"), _RELATIVE
    if error.errno in _REASONS:
        return Message(_REASONS[error.errno]), _RELATIVE
    return (error.strerror or str(error)).lower(), _RELATIVE


_RELATIVE = Message("paths are relative to the fact file")
# The reasons a curator meets most, worded as strerror() words them, so that a Chinese run says them too.
_REASONS = {
    errno.ENOENT: N_("no such file or directory"),
    errno.EACCES: N_("permission denied"),
    errno.ENOTDIR: N_("not a directory"),
}
