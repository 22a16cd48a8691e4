"""The search index, read: a fact base laid out so that a search reads only what it needs.

A search over a big fact base must not parse every fact. The index (built by index/build.py)
keeps each fact's output record as one JSON line, its texts folded for matching, and
columns that filters read only when they are used. It is one byte string, so the same code
reads a freshly built index in memory and a cached one that cache.py reads from disk as it is
used (OnDisk: each section at its first use, each record when it is passed through).

Sections (their byte range and CRC-32 are in the header):

    records             one JSON object per line: records.FactRecord, as JSON output writes
                        it, so that it can be passed through unparsed
    records.offsets     array of count+1 byte offsets; records.crcs: a CRC-32 per record
    text.<name>         one line per fact of folded text, its fields separated by \\x1f in the
                        order of TEXT_FIELDS; text.<name>.lines: count+1 byte offsets
    json.<name>         a JSON value: a column (one entry per fact) or a table
    array.<name>        a column of small integers
    array.figures.*     every figure as numbers, sorted by base unit (json.units) and then by
                        base value: .blocks, where each unit's figures start (len(units)+1);
                        .values, their base values as doubles; .facts, the fact of each;
                        json.figures.exact, their base values as exact decimal text. A filter
                        on amounts bisects a unit's block and parses nothing (search/amounts.py)

Damage is found before it can change an answer: every section is checked against its CRC
before its first use, and every record before it is passed through. A damaged index raises
CorruptIndexError, and the library rebuilds it.
"""

from __future__ import annotations

import json
import sys
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from zhashui_cli.errors import CorruptIndexError
from zhashui_cli.records import SOURCE_FIELDS, CategoryRecord, FactRecord, SourceRecord, UnitRecord

FORMAT = 7  # 4: stamps keyed by dev, inode, size, mtime, ctime; 5: records escaped; 6: json.char_pinyin;
# 7: figures as numbers (array.figures.*), the units a fact file declares (header "units"), json.synonyms
# The fields of a fact's text lines, in order; a match in the first PRIMARY_FIELDS of them
# (the claims, tags and labels: what the fact says) ranks before one only in the others.
TEXT_FIELDS = ("id", "claim", "claim_en", "tags", "figures", "quote", "note", "category")
PRIMARY_FIELDS = 5
_CLAIM_BITS = 1 << TEXT_FIELDS.index("claim") | 1 << TEXT_FIELDS.index("claim_en")
FIELD_SEPARATOR, LINE_END = b"\x1f", b"\n"
# Every section of an index of this FORMAT. An index with others is stale or damaged, and
# rebuilt; asking for a section not listed here is a bug.
SECTIONS = frozenset(
    {
        *("records", "array.records.offsets", "array.records.crcs"),
        *("text.exact", "array.text.exact.lines", "text.plain", "array.text.plain.lines"),
        *("array.category", "array.source", "array.year", "array.kind"),
        *("json.id", "json.section", "json.tags", "json.amounts"),
        *("json.words", "json.spelling", "array.postings", "json.zh_words", "json.pinyin", "json.initials"),
        *("json.char_pinyin", "json.synonyms"),
        *("json.units", "array.figures.blocks", "array.figures.values", "array.figures.facts", "json.figures.exact"),
    }
)
# A search that passes through more than this share of the records reads and checks the whole
# section once, rather than each record on its own (a common word: most of the records).
_WHOLE_RECORDS_SHARE = 1 / 16
_NUMBER_BYTES = frozenset(b"0123456789."[i : i + 1] for i in range(11))
# Below this share of candidates, later terms are looked for in the candidates' lines only.
_NARROW_SEARCH_SHARE = 8


T = TypeVar("T")


class IndexedSource(SourceRecord):
    path: str  # where its text was read from, absolute


class OnDisk(Protocol):
    """The file of a body that is read from disk as it is used (cache.py)."""

    def load(self, start: int, end: int) -> None:
        """Read bytes start to end of the file into the body: a section, before its first use."""

    def read(self, start: int, end: int) -> bytes:
        """Bytes start to end of the file, not kept: a record, which is passed through."""


class Corpus:
    """Read access to an index held in any buffer with find() and slicing: in memory, or read
    from its file as it is used (disk)."""

    def __init__(self, header: Mapping[str, Any], body: Any, start: int = 0, disk: OnDisk | None = None) -> None:
        try:
            self.count: int = int(header["count"])
            self.categories: list[CategoryRecord] = list(header["categories"])
            self.sources: list[IndexedSource] = list(header["sources"])
            self.units: list[UnitRecord] = list(header["units"])  # the units the fact file declares
            # the fact file's editorial problems, counted by base.py when it builds (build() alone counts none)
            self.warnings: int = int(header.get("warnings", 0))
            self._sections = {
                name: (start + int(at), int(size), int(crc)) for name, (at, size, crc) in header["sections"].items()
            }
        except (KeyError, TypeError, ValueError) as error:
            raise CorruptIndexError(f"bad header: {error!r}") from error
        if any(not set(SOURCE_FIELDS) <= set(source) for source in self.sources):
            # built by a build of this version from before a source field was added
            raise CorruptIndexError("the index's sources lack fields this version records")
        if set(self._sections) != SECTIONS:
            raise CorruptIndexError("the index has other sections than this version builds")
        if any(at + size > len(body) for at, size, _ in self._sections.values()):
            raise CorruptIndexError("a section lies outside the index")
        self._body = body
        self._view = memoryview(body)
        self._disk = disk
        self._checked: set[str] = set()
        self._cache: dict[str, Any] = {}

    # -- sections ---------------------------------------------------------------------------
    def _section(self, name: str) -> tuple[int, int]:
        """The byte range of a section, checked against its CRC on first use."""
        if name not in SECTIONS:
            raise KeyError(f"an index has no section {name!r}")  # a bug, not damage
        at, size, crc = self._sections[name]
        if name not in self._checked:
            if self._disk is not None:
                self._disk.load(at, at + size)
            if zlib.crc32(self._view[at : at + size]) != crc:
                raise CorruptIndexError(f"section {name} does not match its checksum")
            self._checked.add(name)
        return at, at + size

    def numbers(self, name: str) -> array[Any]:
        key = f"array.{name}"
        if key not in self._cache:
            start, end = self._section(key)
            values = array(typecode(name))
            values.frombytes(self._view[start:end])
            self._cache[key] = values
        return self._cache[key]  # type: ignore[no-any-return]

    def memo(self, key: str, compute: Callable[[Corpus], T]) -> T:
        """A value derived from the index (a lookup table, say), computed once."""
        key = f"memo.{key}"
        if key not in self._cache:
            self._cache[key] = compute(self)
        return self._cache[key]  # type: ignore[no-any-return]

    def json(self, name: str) -> Any:
        key = f"json.{name}"
        if key not in self._cache:
            start, end = self._section(key)
            self._cache[key] = json.loads(bytes(self._view[start:end]))
        return self._cache[key]

    # -- records ------------------------------------------------------------------------------
    def record_line(self, index: int) -> bytes:
        """A fact's record exactly as JSON output writes it (UTF-8, no newline), checked."""
        offsets, crcs = self.numbers("records.offsets"), self.numbers("records.crcs")
        start, _ = self._section_unchecked("records")
        begin, end = start + offsets[index], start + offsets[index + 1] - 1
        line = bytes(self._view[begin:end]) if self._disk is None else self._disk.read(begin, end)
        if zlib.crc32(line) != crcs[index]:
            raise CorruptIndexError(f"record {index} does not match its checksum")
        return line

    def record_lines(self, indices: Sequence[int]) -> list[bytes]:
        """record_line() of many facts: when they are a large share of the base, the records
        section is read and checked once, and each line sliced from it."""
        if len(indices) <= self.count * _WHOLE_RECORDS_SHARE:
            return [self.record_line(i) for i in indices]
        offsets, (start, _) = self.numbers("records.offsets"), self._section("records")
        view = self._view
        return [bytes(view[start + offsets[i] : start + offsets[i + 1] - 1]) for i in indices]

    def _section_unchecked(self, name: str) -> tuple[int, int]:
        """A section whose parts carry their own checksums (the records)."""
        at, size, _ = self._sections[name]
        return at, at + size

    def record(self, index: int) -> FactRecord:
        return json.loads(self.record_line(index))  # type: ignore[no-any-return]

    def ids(self) -> list[str]:
        return self.json("id")  # type: ignore[no-any-return]

    # -- text ---------------------------------------------------------------------------------
    def find(self, text: str, needle: str, among: Collection[int] | None = None) -> dict[int, int]:
        """Facts whose text holds needle → the bits of TEXT_FIELDS where it stands. A needle
        that starts or ends with a digit matches whole numbers only (168 is not in 7168).

        The first term is one pass of the buffer's own find() over the text, so only hits
        cost Python work; later terms, given the few candidates left, look in their lines only.
        """
        start, end = self._section(f"text.{text}")
        lines = self.numbers(f"text.{text}.lines")
        encoded = needle.encode("utf-8")
        if among is not None and len(among) * _NARROW_SEARCH_SHARE < self.count:
            candidates = [(i, start + lines[i], start + lines[i + 1]) for i in sorted(among)]
        else:
            candidates = self._lines_holding(encoded, start, end, lines, among)
        hits: dict[int, int] = {}
        numeric = (needle[:1].isdigit(), needle[-1:].isdigit())
        for i, line_start, line_end in candidates:
            fields = self._fields_holding(encoded, line_start, line_end, numeric)
            if fields:
                hits[i] = fields
        return hits

    def _lines_holding(
        self, needle: bytes, start: int, end: int, lines: array[int], among: Collection[int] | None
    ) -> list[tuple[int, int, int]]:
        found, position = [], start
        while (at := self._body.find(needle, position, end)) >= 0:
            i = bisect_right(lines, at - start) - 1
            line_start, position = start + lines[i], start + lines[i + 1]
            if among is None or i in among:
                found.append((i, line_start, position))
        return found

    def _fields_holding(self, needle: bytes, start: int, end: int, numeric: tuple[bool, bool]) -> int:
        """The bits of the fields of one line (start..end) that hold needle."""
        line = bytes(self._view[start:end])
        fields, position = 0, 0
        while (at := line.find(needle, position)) >= 0:
            after = at + len(needle)
            if (numeric[0] and line[at - 1 : at] in _NUMBER_BYTES) or (
                numeric[1] and line[after : after + 1].isdigit()
            ):
                position = at + 1  # part of a longer number
                continue
            fields |= 1 << line.count(FIELD_SEPARATOR, 0, at)
            position = line.find(FIELD_SEPARATOR, at) + 1 or len(line)  # the rest of this field is done
        return fields


def typecode(array_name: str) -> str:
    """Byte offsets are 64-bit, amounts doubles, other columns 32-bit; in the machine's byte
    order (the header names it, and an index of another byte order is rebuilt)."""
    if array_name.endswith(".values"):
        return "d"
    return "q" if array_name.endswith((".offsets", ".lines")) else "I"


def field_names(bits: int) -> list[str]:
    return [name for n, name in enumerate(TEXT_FIELDS) if bits >> n & 1]


def primary(bits: int) -> bool:
    return bits & ((1 << PRIMARY_FIELDS) - 1) != 0


def in_claims(bits: int) -> bool:
    return bits & _CLAIM_BITS != 0


def byteorder() -> str:
    return sys.byteorder
