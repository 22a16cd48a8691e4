"""The on-disk cache of search indexes, and when it may be trusted.

A validated fact file is indexed (index/build.py) and the index cached in the user cache folder
($XDG_CACHE_HOME/zhashui, else ~/.cache/zhashui), so that the next search neither parses
YAML nor folds text. The cache is plain JSON and bytes, never pickle, so a tampered file can
give wrong answers at worst, never run code, and checksums (corpus.py) stop a damaged one
from doing even that. It is written atomically (temporary file, then rename) and ignored,
never fatal, when missing, stale, damaged, unwritable or not the user's own.

Checksums cannot stop a forged index: whoever writes one writes its checksums too. So, as ssh's
StrictModes and git's safe.directory do, the cache believes only what this account could have
written: its folder is created 0700, and the folder, an index and its note are used only if
they are owned by the user (the effective uid) and writable by no one else. Anything else is
treated as missing, and a folder that is not ours is never written into. The folder is opened
once and checked, and every file is opened through that descriptor (dir_fd), so the folder
checked is the folder used, whatever happens to its path meanwhile.

An index is current while every file it was built from holds what was read: a file whose key
(device, inode, size, mtime and ctime: factfile/store.FileKey) is the one read, and which last
changed long enough before it was read that no later edit could share its timestamps, is
taken as unchanged; any other is hashed, and its content decides. When the files were read is
what the index says, capped by the index's own mtime, so that a file cannot declare a window
of trust for itself.

The file: a magic line, then the header as one JSON line after its own CRC-32, then the body
(whose checksums are the index FORMAT's: corpus.checksum()). The header's CRC-32 is the same in
every version, so that any version can read whose index a file is, and keeps it while that fact
file exists, rather than prune it as unreadable: two versions installed side by side (pipx and
a virtual environment) would otherwise delete each other's indexes of every other fact file.

The cache keeps what is of use and no more: each time it writes an index it prunes the indexes
of fact files that no longer exist (a test's or an export's temporary folder, an old draft),
those it cannot read, the notes of indexes gone, and all but the KEPT_PER_FILE newest indexes
of one file reached by several paths (hard links, bind mounts). It removes only its own files:
names of its own pattern, regular files (never a symbolic link, never followed), owned by the
user and writable by no one else, in a folder that is ours alone. `zhashui cache info` lists
them (listing()), `zhashui cache clear` removes them all (clear()).
"""

from __future__ import annotations

import json
import mmap
import os
import re
import stat
import time
import weakref
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, NamedTuple

from zhashui_cli._i18n import Message
from zhashui_cli._process import running
from zhashui_cli._version import __version__
from zhashui_cli.errors import CorruptIndexError, UntrustedCacheError
from zhashui_cli.factfile.store import FileKey, read_file

from .corpus import FORMAT, Corpus, byteorder

MAGIC = b"zhashui-index\n"
# A file modified this close to when it was read for indexing may have changed again within the
# same timestamp tick, so its size and mtime prove nothing and its content is hashed instead.
_RACY_NS = 3_000_000_000
# A temporary is named after its writer, .tmp-PID-RANDOM, so that a later writer can tell one
# left by a killed run (its pid gone) from one being written. One this old is debris whatever
# its pid says: pids are reused, and older versions named temporaries without one.
_TEMPORARY = ".tmp-"
_ABANDONED_NS = 3600 * 1_000_000_000
# The header is read in one go of this much; a longer one (hundreds of sources) in reads that double.
_HEADER_READ = 1 << 16
# The cache's own files, as cache_file() and _note_name() name them: only these are pruned
# or cleared (with the temporaries of killed writers).
_OWN = r"[0-9a-f]{16}\.(?:index|verified)"  # compiled by re when first used: a search never is
# At most this many indexes of one fact file are kept (the newest): one per path it was read by.
KEPT_PER_FILE = 3


class _Proof(NamedTuple):
    """The latest proof that the files of an index held what was indexed: their keys then, and
    when that was (a change since would have moved their ctime past it)."""

    keys: list[FileKey]
    read_ns: int


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


def trusted(status: os.stat_result, uid: int) -> bool:
    """Whether a cache file or folder may be believed: owned by uid, writable by no one else.

    What another account could have written may say anything, checksums included."""
    return status.st_uid == uid and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


@contextmanager
def _folder(folder: Path, *, create: bool = False) -> Iterator[int | None]:
    """The cache folder, open, if it is ours alone; None if it is not.

    Created (mode 0700, as the XDG spec asks of the cache home too) if create is set and it is
    missing; raises OSError if it is missing otherwise, or cannot be opened."""
    if create:
        folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with suppress(FileExistsError):
            folder.mkdir(mode=0o700)
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        yield descriptor if trusted(os.fstat(descriptor), os.geteuid()) else None
    finally:
        os.close(descriptor)


def _open(folder: int, name: str) -> tuple[int, os.stat_result] | None:
    """A cache file opened for reading, with its status, if it is a regular file that only we
    can have written; None if it is not. Raises OSError if it is missing.

    Symbolic links are not followed, and the open does not wait (on a FIFO, say)."""
    descriptor = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
    status = os.fstat(descriptor)
    if stat.S_ISREG(status.st_mode) and trusted(status, os.geteuid()):
        return descriptor, status
    os.close(descriptor)
    return None


class _OnDemand:
    """An index file read as it is used (corpus.OnDisk): a section into private memory at its
    first use, a record when it is passed through.

    Not mapped: a mapped file cut short, by anyone who may write it (its owner, or root), kills
    the process with SIGBUS at the next read of a page past its new end, and no check of the
    size made before a read can close that window. Nor read whole: a search reads a fraction
    of a big index (of the 173 MB of a 100,000-fact one, a Chinese word reads the 42 MB of its
    folded text and the records found), and reading it all made that search half as slow again.
    The body is a private anonymous map, whose pages cost nothing until read into, asked for in
    huge pages where the system has them (Linux's transparent huge pages, MADV_HUGEPAGE): the
    80 MB of records that a common word writes took 75-100 ms to read into 4 KiB pages, each
    faulted in and zeroed apart, and 24 ms into 2 MiB ones. (Python's default, a shared map, is
    backed by shmem, which has no huge pages unless the system's shmem setting gives them.)
    A record is read straight into the bytes passed on; many, into a small buffer a batch at a
    time (corpus.StreamedRecords), since fresh memory is what a huge read costs where it comes
    slowly. A file cut short is a short read: CorruptIndexError, and the library rebuilds the
    index.
    """

    def __init__(self, descriptor: int, size: int) -> None:
        self._descriptor = descriptor
        weakref.finalize(self, os.close, descriptor)
        self.body = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE)
        if hasattr(mmap, "MADV_HUGEPAGE"):
            self.body.madvise(mmap.MADV_HUGEPAGE)
        self._view = memoryview(self.body)

    def load(self, start: int, end: int) -> None:
        self.read_into(self._view[start:end], start)

    def read_into(self, buffer: memoryview, start: int) -> None:
        done = 0
        while done < len(buffer):  # a read stops short of what was asked only at the end of the file
            read = os.preadv(self._descriptor, [buffer[done:]], start + done)
            if not read:
                raise CorruptIndexError("the index file is shorter than it was")
            done += read

    def read(self, start: int, end: int) -> bytes:
        data = os.pread(self._descriptor, end - start, start)
        if len(data) < end - start:
            raise CorruptIndexError("the index file is shorter than it was")
        return data

    def header(self) -> tuple[dict[str, Any], int]:
        """The header, and where the body starts: read in one go, or in reads twice as long as
        the last until its end is found. (Reading the rest of the file whole when the first read
        fell short read all 240 MB of a 100,000-fact index for its 4 MB header.)"""
        read = min(len(self.body), _HEADER_READ)
        self.load(0, read)
        while self.body.find(b"\n", len(MAGIC), read) < 0 and read < len(self.body):
            before, read = read, min(len(self.body), 2 * read)
            self.load(before, read)
        return read_header(self.body)


def load(fact_file: Path) -> Corpus | None:
    """The cached index of a fact file when it is ours, current and whole; None on any doubt."""
    location = cache_file(fact_file)
    if location is None:
        return None
    try:
        with _folder(location.parent) as folder:
            return None if folder is None else _load(fact_file, folder, location.name)
    except (OSError, ValueError, KeyError, TypeError, IndexError, CorruptIndexError):
        return None


def _load(fact_file: Path, folder: int, name: str) -> Corpus | None:
    opened = _open(folder, name)
    if opened is None:
        return None
    descriptor, status = opened
    indexed_file = _OnDemand(descriptor, status.st_size)
    header, header_end = indexed_file.header()
    if not _fits(header, fact_file, status.st_size - header_end):
        return None
    index = FileKey.of(status)
    checked_ns = time.time_ns()
    checked = _unchanged(header["fingerprint"], _verified(folder, name, index) or _indexed(header, status))
    if checked is None:
        return None
    keys, hashed = checked
    if hashed:  # note what was proven now, so that later runs need not hash
        note = {"index": index, "read_ns": checked_ns, "keys": keys}
        _write(folder, _note_name(name), json.dumps(note).encode())
    return Corpus(header, indexed_file.body, header_end, indexed_file)


def _indexed(header: dict[str, Any], status: os.stat_result) -> _Proof:
    """What an index proves of its files: their keys, and when they were read, which is what
    the header says capped by the index's own mtime: a far-future read_ns would make every
    mtime look old enough to prove its file unchanged."""
    keys = [FileKey(*key) for _, key, _ in header["fingerprint"]]
    return _Proof(keys, min(int(header["read_ns"]), status.st_mtime_ns))


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
    expected, _, text = line.partition(b" ")
    if not header_end or expected != b"%08x" % zlib.crc32(text):
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
            if _sha256(path, key.size) != digest:
                return None
        keys.append(key)
    return keys, hashed


def _sha256(path: Path, size: int) -> str:
    """The hash of a regular file of the size proven (store.read_file: never a pipe or a
    device, so a FIFO put in a fact file's place cannot hang the check)."""
    import hashlib

    return hashlib.sha256(read_file(path, max_bytes=size)[0]).hexdigest()


def _note_name(name: str) -> str:
    return str(Path(name).with_suffix(".verified"))


def _verified(folder: int, name: str, index: FileKey) -> _Proof | None:
    """The latest proof by hashing that the files of this index are unchanged; None if none.

    A file written just before it was indexed has an mtime too close to the indexing to prove
    anything, and a file changed since without a change of content (chmod, touch, cp -p of the
    same bytes) has another key, so a run hashes it. Finding it unchanged, the run notes beside
    the index what it proved and when, and later runs judge by that. The note is believed on
    the index's terms (ours alone), and its own mtime caps the time it gives.
    """
    try:
        opened = _open(folder, _note_name(name))
        if opened is None:
            return None
        descriptor, status = opened
        with os.fdopen(descriptor, "rb") as file:
            note = json.loads(file.read())
        if FileKey(*note["index"]) != index:
            return None
        return _Proof([FileKey(*key) for key in note["keys"]], min(int(note["read_ns"]), status.st_mtime_ns))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(fact_file: Path, header: dict[str, Any], body: bytes) -> None:
    """Cache an index, in a folder of our own (created so if missing); never fail."""
    location = cache_file(fact_file)
    if location is None:
        return
    text = json.dumps(header, ensure_ascii=False).encode()
    with suppress(OSError), _folder(location.parent, create=True) as folder:
        if folder is not None:
            _write(folder, location.name, MAGIC + b"%08x " % zlib.crc32(text) + text + b"\n" + body)
            _prune(folder)


class CachedIndex(NamedTuple):
    """An index in the cache, as `zhashui cache info` lists it."""

    name: str
    size: int  # bytes, with its note's
    mtime_ns: int  # when it was written
    fact_file: str | None  # the fact file it indexes; None when its header cannot be read
    exists: bool  # whether that fact file still exists


class Listing(NamedTuple):
    """What the cache folder holds: where it is, whether it is used, and its indexes."""

    folder: Path | None  # None without a home folder
    usable: bool  # it exists and is ours alone (otherwise zhashui neither reads nor writes it)
    indexes: list[CachedIndex]
    notes: int  # notes of what a run proved of an index's files (.verified)
    size: int  # bytes of the cache's own files in all


def listing() -> Listing:
    """The cache's own files, by the index they belong to; nothing else in the folder counts."""
    folder = cache_dir()
    if folder is None:
        return Listing(None, False, [], 0, 0)
    try:
        with _folder(folder) as descriptor:
            if descriptor is None:
                return Listing(folder, False, [], 0, 0)
            own = _own_files(descriptor)
            indexes = [_described(descriptor, name, own) for name in sorted(own) if name.endswith(".index")]
    except FileNotFoundError:
        return Listing(folder, True, [], 0, 0)
    notes = sum(name.endswith(".verified") for name in own)
    return Listing(folder, True, indexes, notes, sum(status.st_size for status in own.values()))


def clear() -> tuple[Path | None, list[tuple[str, int]]]:
    """Remove every file of the cache's own (and what killed writers left); the folder and
    anything else in it stay. Returns the folder and the files removed, with their sizes.

    Raises UntrustedCacheError when the folder is not ours alone (zhashui never writes there),
    OSError when a file cannot be removed."""
    folder = cache_dir()
    if folder is None:
        return None, []
    try:
        with _folder(folder) as descriptor:
            if descriptor is None:
                raise UntrustedCacheError(
                    Message(
                        "{path} is not yours alone, so zhashui neither uses nor changes it; remove it, or chmod 700 it",
                        path=folder,
                    )
                )
            _remove_abandoned(descriptor)
            removed = []
            for name, status in sorted(_own_files(descriptor).items()):
                os.unlink(name, dir_fd=descriptor)
                removed.append((name, status.st_size))
    except FileNotFoundError:
        return folder, []
    return folder, removed


def _own_files(folder: int) -> dict[str, os.stat_result]:
    """The cache's own files in the folder: named by its pattern, regular (a symbolic link is
    not followed, and not ours), owned by us and writable by no one else."""
    own = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            if not re.fullmatch(_OWN, entry.name):
                continue
            with suppress(OSError):
                status = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(status.st_mode) and trusted(status, os.geteuid()):
                    own[entry.name] = status
    return own


def _described(folder: int, name: str, own: dict[str, os.stat_result]) -> CachedIndex:
    """An index of the cache, with the fact file its header names (None if unreadable)."""
    status = own[name]
    note = own.get(_note_name(name))
    size = status.st_size + (note.st_size if note is not None else 0)
    fact_file = _indexed_file(folder, name)
    exists = fact_file is not None and Path(fact_file).exists()
    return CachedIndex(name, size, status.st_mtime_ns, fact_file, exists)


def _indexed_file(folder: int, name: str) -> str | None:
    """The fact file an index was built from, as its header names it; None if it cannot say."""
    try:
        opened = _open(folder, name)
        if opened is None:
            return None
        descriptor, status = opened
        header, _ = _OnDemand(descriptor, status.st_size).header()
        return str(header["fingerprint"][0][0])
    except (OSError, ValueError, KeyError, TypeError, IndexError, CorruptIndexError):
        return None


def _prune(folder: int) -> None:
    """Remove what no run can use (see the module's docstring): the indexes of fact files gone
    or of no readable fact file, all but the newest KEPT_PER_FILE of one file, and the notes
    of indexes gone. Only the cache's own files (_own_files); never fails."""
    with suppress(OSError):
        own = _own_files(folder)
        by_file: dict[tuple[int, int], list[CachedIndex]] = {}
        doomed = []
        for index in (_described(folder, name, own) for name in own if name.endswith(".index")):
            if index.fact_file is None or not index.exists:
                doomed.append(index.name)
                continue
            with suppress(OSError):
                identity = Path(index.fact_file).stat()
                by_file.setdefault((identity.st_dev, identity.st_ino), []).append(index)
        for indexes in by_file.values():
            indexes.sort(key=lambda index: index.mtime_ns, reverse=True)
            doomed += [index.name for index in indexes[KEPT_PER_FILE:]]
        doomed += [name for name in own if name.endswith(".verified") and _index_name(name) not in own]
        for name in doomed:
            for each in (name, _note_name(name)) if name.endswith(".index") else (name,):
                with suppress(OSError):
                    os.unlink(each, dir_fd=folder)


def _index_name(note: str) -> str:
    return str(Path(note).with_suffix(".index"))


def _write(folder: int, name: str, data: bytes) -> None:
    """Write a cache file whole or not at all (a temporary, then a rename); never fail: a cache
    that cannot be written is only a slower next run."""
    _remove_abandoned(folder)
    temporary = f"{_TEMPORARY}{os.getpid()}-{os.urandom(6).hex()}"
    with suppress(OSError):
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=folder)
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
            os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            with suppress(OSError):
                os.unlink(temporary, dir_fd=folder)
            raise


def _remove_abandoned(folder: int) -> None:
    """Remove the temporaries of writers killed before their rename (SIGKILL, a crash, power)."""
    now_ns = time.time_ns()
    with suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            with suppress(OSError):
                if entry.name.startswith(_TEMPORARY) and _abandoned(entry, now_ns):
                    os.unlink(entry.name, dir_fd=folder)


def _abandoned(entry: os.DirEntry[str], now_ns: int) -> bool:
    """Whether a temporary's writer is gone: its pid is not running, or it is an hour old."""
    pid, dash, _ = entry.name.removeprefix(_TEMPORARY).partition("-")
    if now_ns - entry.stat(follow_symlinks=False).st_mtime_ns > _ABANDONED_NS:
        return True
    return bool(dash) and pid.isdigit() and not running(int(pid))


def discard(fact_file: Path) -> None:
    location = cache_file(fact_file)
    if location is None:
        return
    with suppress(OSError), _folder(location.parent) as folder:
        if folder is None:
            return  # not ours to change
        for name in (location.name, _note_name(location.name)):
            with suppress(OSError):
                os.unlink(name, dir_fd=folder)
