"""Find, load, validate and cache a fact file.

Loading is strict: yamlfile.py reads the YAML (refusing aliases, duplicate keys, merge keys,
foreign tags and several documents), model.py validates the whole file and verify.py checks
provenance. Everything wrong becomes one FactFileError that lists every problem with its line
or fact id.

Every search opens the index, so this module imports little at the top: YAML, validation,
hashing and temporary files are imported where a fact file is actually (re)loaded.

A validated fact file is indexed (index.py) and the index cached in the user cache folder
($XDG_CACHE_HOME/zhashui, else ~/.cache/zhashui), so that the next search neither parses YAML
nor folds text. The cache is plain JSON and bytes, never pickle, so a tampered file can give
wrong answers at worst, never run code; it is written atomically (temp file, then rename) and
ignored, never fatal, when missing, stale, damaged or unwritable.
"""

from __future__ import annotations

import json
import mmap
import os
import time
import zlib
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .index import FORMAT, Corpus, CorruptIndexError

if TYPE_CHECKING:
    from .model import FactBase, Problem

# A progress report: what is being done, how much of it, out of how much.
Progress = Callable[[str, int, int], None]

MAX_PROBLEMS_SHOWN = 20
_CACHE_MAGIC = b"zhashui-index\n"
# A file modified this close to when it was read for indexing may have changed again within the
# same timestamp tick, so its size and mtime prove nothing and its content is hashed instead.
_RACY_NS = 3_000_000_000


class FactFileError(Exception):
    """A fact file that cannot be used, with every problem found in it."""

    def __init__(self, path: Path | str, problems: list[Problem]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__(self.describe())

    @classmethod
    def single(
        cls, path: Path | str, message: str, line: int | None = None, column: int | None = None
    ) -> FactFileError:
        from .model import Problem

        return cls(path, [Problem("", "", message, line, column)])

    def describe(self) -> str:
        lines = [problem.describe(self.path) for problem in self.problems[:MAX_PROBLEMS_SHOWN]]
        if len(self.problems) == 1:
            return lines[0]
        hidden = len(self.problems) - MAX_PROBLEMS_SHOWN
        more = [f"  … and {hidden} more"] if hidden > 0 else []
        return "\n".join([f"{self.path}: {len(self.problems)} problems:", *(f"  {line}" for line in lines), *more])


def packaged_fact_file() -> Path:
    """The fact base shipped with zhashui: inside the wheel, or at the root of a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "facts.yaml"
    return packaged if packaged.is_file() else here.parent.parent / "facts.yaml"


def _stamp(path: Path, raw: bytes, mtime_ns: int) -> list[Any]:
    """What the cache remembers of a file it was built from: path, size, mtime and content hash."""
    import hashlib

    return [str(path.resolve()), len(raw), mtime_ns, hashlib.sha256(raw).hexdigest()]


def _read_bytes(path: Path) -> tuple[bytes, list[Any]]:
    """A file's bytes and its stamp, taken from exactly those bytes (stat first, then read)."""
    mtime_ns = path.stat().st_mtime_ns
    raw = path.read_bytes()
    return raw, _stamp(path, raw, mtime_ns)


def _read_text(path: Path) -> tuple[str, list[Any]]:
    try:
        raw, stamp = _read_bytes(path)
    except FileNotFoundError:
        raise FactFileError.single(path, "no such file; check the path (or --facts / ZHASHUI_FACTS)") from None
    except IsADirectoryError:
        raise FactFileError.single(path, "is a folder, not a fact file; point at the .yaml file inside") from None
    except OSError as error:
        raise FactFileError.single(path, f"cannot be read: {error.strerror or error}") from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff"), stamp
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise FactFileError.single(
            path, f"not UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8", line, column
        ) from None


def _parse_yaml(path: Path, text: str, progress: Progress | None) -> tuple[Any, dict[int, tuple[int, int]]]:
    from .yamlfile import YamlError, load

    if not text.strip():
        raise FactFileError.single(path, "is empty; a fact file has sources, categories and facts")
    report = None if progress is None else lambda done, total: progress("Reading facts", done, total)
    try:
        return load(text, str(path), report)
    except YamlError as error:
        raise FactFileError.single(path, error.message, error.line, error.column) from None


# -- loading --------------------------------------------------------------------------------
def load_fact_base(path: Path, *, check_provenance: bool = True, progress: Progress | None = None) -> FactBase:
    """Parse and validate a fact file and read its sources; raise FactFileError on any problem."""
    return _load(path, check_provenance, progress)[0]


def _load(path: Path, check_provenance: bool, progress: Progress | None) -> tuple[FactBase, list[list[Any]]]:
    """The fact base, and the stamps of the files it was read from (the fact file first)."""
    from .model import FactBase, Problem, parse_fact_base
    from .verify import check

    text, stamp = _read_text(path)
    data, places = _parse_yaml(path, text, progress)
    _report(progress, "Checking facts", 0)
    base, problems = parse_fact_base(data, lambda entry: places.get(id(entry)))
    texts, stamps, text_problems = _read_sources(path, base)
    problems += text_problems
    base = FactBase(base.sources, base.categories, base.facts, texts)
    if not problems and check_provenance:
        where = {entry.get("id"): places.get(id(entry)) for entry in data["facts"] if isinstance(entry, dict)}
        for finding in check(base):
            line, column = where.get(finding.fact) or (None, None)
            problems.append(Problem(f"fact '{finding.fact}'", finding.field, finding.problem, line, column))
    if problems:
        raise FactFileError(path, problems)
    _report(progress, "Checking facts", 1)
    return base, [stamp, *stamps]


def _report(progress: Progress | None, stage: str, done: int) -> None:
    """A stage with no finer measure than started (0) and finished (1)."""
    if progress is not None:
        progress(stage, done, 1)


def source_path(fact_file: Path, text: str) -> Path:
    return (fact_file.parent / text).resolve()


def _read_sources(path: Path, base: FactBase) -> tuple[dict[str, str], list[list[Any]], list[Problem]]:
    from .model import Problem

    texts: dict[str, str] = {}
    stamps: list[list[Any]] = []
    problems: list[Problem] = []
    for n, source in enumerate(base.sources):
        location = source_path(path, source.text)
        try:
            raw, stamp = _read_bytes(location)
            texts[source.id] = raw.decode("utf-8")
            stamps.append(stamp)
        except (OSError, UnicodeDecodeError) as error:
            reason = "not UTF-8" if isinstance(error, UnicodeDecodeError) else (error.strerror or str(error)).lower()
            problems.append(
                Problem(
                    f"sources[{n}]", "text", f"cannot read {location} ({reason}); paths are relative to the fact file"
                )
            )
    return texts, stamps, problems


# -- the cache ------------------------------------------------------------------------------
def cache_dir() -> Path | None:
    configured = os.environ.get("XDG_CACHE_HOME", "")
    if configured and Path(configured).is_absolute():
        return Path(configured) / "zhashui"
    try:
        return Path.home() / ".cache" / "zhashui"
    except RuntimeError:  # no home folder to be found
        return None


def _cache_file(fact_file: Path) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    # A cheap key (hashlib costs a start-up): a clash only makes two fact files take turns,
    # because the header names the file it indexes and is checked on every load.
    name = str(fact_file.resolve()).encode("utf-8", "surrogateescape")
    return folder / f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}.index"


def _unchanged(fingerprint: Any, read_ns: int) -> tuple[bool, bool]:
    """Whether every file the index was built from still holds what was read then, and
    whether that took hashing a file (its size and mtime alone could not prove it)."""
    hashed = False
    for name, size, mtime_ns, digest in fingerprint:
        path = Path(name)
        status = path.stat()
        if status.st_size != size:
            return False, hashed
        if status.st_mtime_ns == mtime_ns and mtime_ns < read_ns - _RACY_NS:
            continue
        import hashlib

        hashed = True
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return False, hashed
    return True, hashed


def _load_cache(fact_file: Path) -> Corpus | None:
    """The cached index of a fact file when it is current; None on any doubt."""
    location = _cache_file(fact_file)
    if location is None:
        return None
    try:
        with location.open("rb") as file:
            body = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
            status = os.fstat(file.fileno())
        if body[: len(_CACHE_MAGIC)] != _CACHE_MAGIC:
            return None
        header_end = body.find(b"\n", len(_CACHE_MAGIC)) + 1
        header = json.loads(body[len(_CACHE_MAGIC) : header_end])
        if not (
            header["format"] == FORMAT
            and header["zhashui"] == __version__
            and header["fingerprint"][0][0] == str(fact_file.resolve())
            and len(body) == header_end + header["size"]
        ):
            return None
        identity = [status.st_ino, status.st_size, status.st_mtime_ns]
        checked_ns = time.time_ns()
        unchanged, hashed = _unchanged(header["fingerprint"], max(header["read_ns"], _verified_ns(location, identity)))
        if not unchanged:
            return None
        if hashed:  # remember that the files were checked now, so that later runs need not hash
            _write_atomically(_verified_file(location), json.dumps({"index": identity, "read_ns": checked_ns}).encode())
        return Corpus(header, body, header_end)
    except (OSError, ValueError, KeyError, TypeError, CorruptIndexError):
        return None


def _verified_file(location: Path) -> Path:
    return location.with_suffix(".verified")


def _verified_ns(location: Path, identity: list[int]) -> int:
    """When the files of this index were last proven unchanged by hashing; 0 if never.

    A file written just before it was indexed has an mtime too close to the indexing to prove
    anything, so the first runs hash it. Once a run has hashed it and found it unchanged, it
    notes the time beside the index, and from then on size and mtime are proof enough.
    """
    try:
        verified = json.loads(_verified_file(location).read_bytes())
        return int(verified["read_ns"]) if verified["index"] == identity else 0
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def _save_cache(fact_file: Path, header: dict[str, Any], body: bytes) -> None:
    location = _cache_file(fact_file)
    if location is not None:
        _write_atomically(location, _CACHE_MAGIC + json.dumps(header, ensure_ascii=False).encode() + b"\n" + body)


def _write_atomically(location: Path, data: bytes) -> None:
    """Write a cache file whole or not at all (temporary file, then rename); never fail."""
    import tempfile

    temporary = None
    try:
        location.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=location.parent, prefix=".tmp-", delete=False) as file:
            temporary = Path(file.name)
            file.write(data)
        temporary.replace(location)
        temporary = None
    except OSError:
        pass  # a cache that cannot be written is only a slower next run
    finally:
        if temporary is not None:
            with suppress(OSError):
                temporary.unlink()


def discard_cache(fact_file: Path) -> None:
    location = _cache_file(fact_file)
    if location is not None:
        for path in (location, _verified_file(location)):
            with suppress(OSError):
                path.unlink()


def open_corpus(fact_file: Path, *, progress: Progress | None = None, use_cache: bool = True) -> Corpus:
    """The search index of a fact file: from the cache when current, else built and cached."""
    if use_cache and (cached := _load_cache(fact_file)) is not None:
        return cached
    from .index import build

    read_ns = time.time_ns()
    base, stamps = _load(fact_file, True, progress)
    _report(progress, "Indexing facts", 0)
    paths = {source.id: str(source_path(fact_file, source.text)) for source in base.sources}
    header, body = build(base, paths)
    _report(progress, "Indexing facts", 1)
    if use_cache:
        header.update(zhashui=__version__, fingerprint=stamps, read_ns=read_ns)
        _save_cache(fact_file, header, body)
    return Corpus(header, body)
