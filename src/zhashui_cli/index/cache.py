"""The on-disk cache of search indexes, and when it may be trusted.

A validated fact file is indexed (index/build.py) and the index cached in the user cache folder
($XDG_CACHE_HOME/zhashui, else ~/.cache/zhashui), so that the next search neither parses
YAML nor folds text. The cache is plain JSON and bytes, never pickle, so a tampered file can
give wrong answers at worst, never run code, and checksums (corpus.py) stop a damaged one
from doing even that. It is written atomically (temporary file, then rename) and ignored,
never fatal, when missing, stale, damaged or unwritable.

The file: a magic line, then the header as one JSON line after its own CRC-32, then the body.
"""

from __future__ import annotations

import json
import mmap
import os
import time
import zlib
from contextlib import suppress
from pathlib import Path
from typing import Any

from zhashui_cli._version import __version__
from zhashui_cli.errors import CorruptIndexError

from .corpus import FORMAT, Corpus, byteorder

MAGIC = b"zhashui-index\n"
# A file modified this close to when it was read for indexing may have changed again within the
# same timestamp tick, so its size and mtime prove nothing and its content is hashed instead.
_RACY_NS = 3_000_000_000


def cache_dir() -> Path | None:
    configured = os.environ.get("XDG_CACHE_HOME", "")
    if configured and Path(configured).is_absolute():
        return Path(configured) / "zhashui"
    try:
        return Path.home() / ".cache" / "zhashui"
    except RuntimeError:  # no home folder to be found
        return None


def cache_file(fact_file: Path) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    # A cheap key (hashlib costs a start-up): a clash only makes two fact files take turns,
    # because the header names the file it indexes and is checked on every load.
    name = str(fact_file.resolve()).encode("utf-8", "surrogateescape")
    return folder / f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}.index"


def load(fact_file: Path) -> Corpus | None:
    """The cached index of a fact file when it is current and whole; None on any doubt."""
    location = cache_file(fact_file)
    if location is None:
        return None
    try:
        with location.open("rb") as file:
            body = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
            status = os.fstat(file.fileno())
        header, header_end = read_header(body)
        if not (
            header["format"] == FORMAT
            and header["zhashui"] == __version__
            and header["byteorder"] == byteorder()
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
    except (OSError, ValueError, KeyError, TypeError, IndexError, CorruptIndexError):
        return None


def read_header(body: Any) -> tuple[dict[str, Any], int]:
    """The header of a cache file and where the body starts; CorruptIndexError if damaged."""
    if body[: len(MAGIC)] != MAGIC:
        raise CorruptIndexError("not a zhashui index")
    header_end = body.find(b"\n", len(MAGIC)) + 1
    line = bytes(body[len(MAGIC) : header_end - 1])
    crc, _, text = line.partition(b" ")
    if not header_end or crc != b"%08x" % zlib.crc32(text):
        raise CorruptIndexError("the header does not match its checksum")
    header = json.loads(text)
    if not isinstance(header, dict):
        raise CorruptIndexError("the header is not an object")
    return header, header_end


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


def save(fact_file: Path, header: dict[str, Any], body: bytes) -> None:
    location = cache_file(fact_file)
    if location is not None:
        text = json.dumps(header, ensure_ascii=False).encode()
        _write_atomically(location, MAGIC + b"%08x " % zlib.crc32(text) + text + b"\n" + body)


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


def discard(fact_file: Path) -> None:
    location = cache_file(fact_file)
    if location is not None:
        for path in (location, _verified_file(location)):
            with suppress(OSError):
                path.unlink()
