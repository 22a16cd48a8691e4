"""The on-disk cache of search indexes, and when it may be trusted.

A validated fact file is indexed (index/build.py) and the index cached in the user cache folder
($XDG_CACHE_HOME/zhashui, else ~/.cache/zhashui), so that the next search neither parses
YAML nor folds text. The cache is plain JSON and bytes, never pickle, so a tampered file can
give wrong answers at worst, never run code, and checksums (corpus.py) stop a damaged one
from doing even that. It is written atomically (temporary file, then rename) and ignored,
never fatal, when missing, stale, damaged or unwritable.

An index is current while every file it was built from holds what was read: a file whose key
(device, inode, size, mtime and ctime: factfile/store.FileKey) is the one read, and which last
changed long enough before it was read that no later edit could share its timestamps, is
taken as unchanged; any other is hashed, and its content decides. When the files were read is
what the index says, capped by the index's own mtime, so that a file cannot declare a window
of trust for itself.

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
from typing import Any, NamedTuple

from zhashui_cli._version import __version__
from zhashui_cli.errors import CorruptIndexError
from zhashui_cli.factfile.store import FileKey

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


class _Proof(NamedTuple):
    """The latest proof that the files of an index held what was indexed: their keys then, and
    when that was (a change since would have moved their ctime past it)."""

    keys: list[FileKey]
    read_ns: int


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
        if not _fits(header, fact_file, len(body) - header_end):
            return None
        index = FileKey.of(status)
        # The index's own mtime caps the time it says its files were read: a far-future
        # read_ns would make every mtime look old enough to prove its file unchanged.
        indexed = _Proof(
            [FileKey(*key) for _, key, _ in header["fingerprint"]], min(int(header["read_ns"]), status.st_mtime_ns)
        )
        checked_ns = time.time_ns()
        checked = _unchanged(header["fingerprint"], _verified(location, index) or indexed)
        if checked is None:
            return None
        keys, hashed = checked
        if hashed:  # note what was proven now, so that later runs need not hash
            note = {"index": index, "read_ns": checked_ns, "keys": keys}
            _write_atomically(_verified_file(location), json.dumps(note).encode())
        return Corpus(header, body, header_end)
    except (OSError, ValueError, KeyError, TypeError, IndexError, CorruptIndexError):
        return None


def _fits(header: dict[str, Any], fact_file: Path, body_size: int) -> bool:
    """Whether an index is of this version and machine, of this fact file, and whole."""
    return bool(
        header["format"] == FORMAT
        and header["zhashui"] == __version__
        and header["byteorder"] == byteorder()
        and header["fingerprint"][0][0] == str(fact_file.resolve())
        and body_size == header["size"]
    )


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


def _unchanged(fingerprint: list[Any], proof: _Proof) -> tuple[list[FileKey], bool] | None:
    """The keys the files an index was built from have now, if each still holds what was read
    then (None if one does not), and whether proving it took hashing.

    A file's key proves it unchanged only if it is the key proven and the file last changed
    long enough before the proof that a later edit could not share its timestamps; otherwise
    its content hash decides (a file replaced by another of the same size and mtime, or edited
    within the same timestamp tick as its indexing)."""
    keys, hashed = [], False
    for (name, _, digest), proven in zip(fingerprint, proof.keys, strict=True):
        path = Path(name)
        key = FileKey.of(path.stat())
        if key.size != proven.size:
            return None
        if key != proven or max(key.mtime_ns, key.ctime_ns) >= proof.read_ns - _RACY_NS:
            hashed = True
            if _sha256(path) != digest:
                return None
        keys.append(key)
    return keys, hashed


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _verified_file(location: Path) -> Path:
    return location.with_suffix(".verified")


def _verified(location: Path, index: FileKey) -> _Proof | None:
    """The latest proof by hashing that the files of this index are unchanged; None if none.

    A file written just before it was indexed has an mtime too close to the indexing to prove
    anything, and a file changed since without a change of content (chmod, touch, cp -p of the
    same bytes) has another key, so a run hashes it. Finding it unchanged, the run notes beside
    the index what it proved and when, and later runs judge by that. The note's own mtime caps
    the time it gives, as the index's caps its own.
    """
    try:
        with _verified_file(location).open("rb") as file:
            note = json.loads(file.read())
            written_ns = os.fstat(file.fileno()).st_mtime_ns
        if FileKey(*note["index"]) != index:
            return None
        return _Proof([FileKey(*key) for key in note["keys"]], min(int(note["read_ns"]), written_ns))
    except (OSError, ValueError, KeyError, TypeError):
        return None


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
