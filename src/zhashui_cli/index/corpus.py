"""The search index, read: a fact base laid out so that a search reads only what it needs.

A search over a big fact base must not parse every fact. The index (built by index/build.py)
keeps each fact's output record as one JSON line, its texts folded for matching, and
columns that filters read only when they are used. It is one byte string, so the same code
reads a freshly built index in memory and a cached one that cache.py reads from disk as it is
used (OnDisk: each section at its first use, each record when it is passed through).

Sections (their byte range and checksum, checksum(), are in the header):

    records             one JSON object per line: records.FactRecord, as JSON output writes
                        it, so that it can be passed through unparsed
    records.offsets     array of count+1 byte offsets; records.sums: a checksum per record
    text.<name>         one line per fact of folded text, its fields separated by \\x1f in the
                        order of TEXT_FIELDS; text.<name>.lines: count+1 byte offsets;
                        text.<name>.sums: a checksum per line
    array.pairs.*       every pair of adjacent Chinese characters in text.plain, and every
                        character alone, as its code point (text.cjk_keys):
                        .keys, sorted; .offsets, where the facts of each start in .facts
                        (len(keys)+1); .facts, the facts holding each, in order, each as
                        fact << 8 | the bits of the fields it stands in; .sums, a checksum of
                        each key's facts
    list.<name>         strings, sorted, one a line: the Latin words, their stems, their
                        canonical stems (index/build.py, _add_words, says what goes with them)
    json.<name>         a JSON value: a column (one entry per fact) or a table; json.sources
                        the sources (records.SourceRecord and the path their text was read from)
    array.<name>        a column of small integers
    array.figures.*     every figure as numbers, sorted by base unit (json.units) and then by
                        base value: .blocks, where each unit's figures start (len(units)+1);
                        .values, their base values as doubles; .facts, the fact of each;
                        json.figures.exact, their base values as exact decimal text. A filter
                        on amounts bisects a unit's block and parses nothing (search/amounts.py)

Damage is found before it can change an answer: every section is checked against its checksum
before its first use, and a part read alone (a record, a line of text, the facts of a pair)
against its own before it is used. A damaged index raises
CorruptIndexError, and the library rebuilds it.
"""

from __future__ import annotations

import json
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Protocol, TypeVar, overload

import xxhash

from zhashui_cli._collector import paused
from zhashui_cli.errors import CorruptIndexError
from zhashui_cli.index.text import cjk_keys, cjk_pairs
from zhashui_cli.records import SOURCE_FIELDS, CategoryRecord, FactRecord, SourceRecord, UnitRecord

FORMAT = 12  # 4: stamps keyed by dev, inode, size, mtime, ctime; 5: records escaped; 6: json.char_pinyin;
# 7: figures as numbers (array.figures.*), the units a fact file declares (header "units"), json.synonyms;
# 8: the sources in json.sources, out of the header; a CRC-32 per line of text; array.pairs.*;
# 9: the fields of each fact of a pair in array.pairs.facts; 10: the Latin vocabulary as lists (list.*);
# 11: each Chinese character alone among the pairs; 12: checksums by XXH3 (checksum()), not CRC-32
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
        *("records", "array.records.offsets", "array.records.sums"),
        *("text.exact", "array.text.exact.lines", "array.text.exact.sums"),
        *("text.plain", "array.text.plain.lines", "array.text.plain.sums"),
        *("array.pairs.keys", "array.pairs.offsets", "array.pairs.facts", "array.pairs.sums"),
        *("array.category", "array.source", "array.year", "array.kind"),
        *("json.id", "json.section", "json.tags", "json.amounts"),
        *("list.words", "array.words.stem", "array.words.offsets", "array.postings", "json.spelling"),
        *("list.stems", "array.stems.offsets", "array.stems.words"),
        *("list.canonicals", "array.canonicals.offsets", "array.canonicals.words"),
        *("json.zh_words", "json.pinyin", "json.initials"),
        *("json.char_pinyin", "json.synonyms", "json.sources"),
        *("json.units", "array.figures.blocks", "array.figures.values", "array.figures.facts", "json.figures.exact"),
    }
)
# A search that passes through more than this share of the records reads and checks the whole
# section once, rather than each record on its own (a common word: most of the records).
_WHOLE_RECORDS_SHARE = 1 / 16
# Records passed through from disk in batches (StreamedRecords) are read through a buffer of
# this size, which each batch reuses: a batch's records are read in one go when they lie close
# together, each on its own when not (a batch across two buckets of relevance, a rare bucket).
_STREAM_BUFFER = 1 << 22
_ITERATED_BATCH = 512  # records read at a time when StreamedRecords are iterated (the library's Hits)
_HEAD_TRIM = 2  # a record's head is its line without the line end and the closing brace
_NUMBER_BYTES = frozenset(b"0123456789."[i : i + 1] for i in range(11))
# A Chinese needle whose rarest pair of characters stands in at most one fact in this many is
# looked for in the lines of the facts holding all its pairs, read one by one; in more facts than
# that, one scan of the whole text is taken to be cheaper (a judgement, not a measured break-even).
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

    def read_into(self, buffer: memoryview, start: int) -> None:
        """Fill buffer with the file's bytes from start: records passed through in batches."""


class Corpus:
    """Read access to an index held in any buffer with find() and slicing: in memory, or read
    from its file as it is used (disk)."""

    def __init__(self, header: Mapping[str, Any], body: Any, start: int = 0, disk: OnDisk | None = None) -> None:
        try:
            self.count: int = int(header["count"])
            self.categories: list[CategoryRecord] = list(header["categories"])
            self.units: list[UnitRecord] = list(header["units"])  # the units the fact file declares
            # the fact file's editorial problems, counted by base.py when it builds (build() alone counts none)
            self.warnings: int = int(header.get("warnings", 0))
            self._sections = {
                name: (start + int(at), int(size), int(check)) for name, (at, size, check) in header["sections"].items()
            }
        except (KeyError, TypeError, ValueError) as error:
            raise CorruptIndexError(f"bad header: {error!r}") from error
        if set(self._sections) != SECTIONS:
            raise CorruptIndexError("the index has other sections than this version builds")
        if any(at + size > len(body) for at, size, _ in self._sections.values()):
            raise CorruptIndexError("a section lies outside the index")
        self._body = body
        self._view = memoryview(body)
        self._disk = disk
        self._checked: set[str] = set()
        self._checked_on_disk: set[str] = set()
        self._cache: dict[str, Any] = {}

    # -- sections ---------------------------------------------------------------------------
    def _section(self, name: str) -> tuple[int, int]:
        """The byte range of a section, checked against its checksum on first use."""
        if name not in SECTIONS:
            raise KeyError(f"an index has no section {name!r}")  # a bug, not damage
        at, size, expected = self._sections[name]
        if name not in self._checked:
            if self._disk is not None:
                self._disk.load(at, at + size)
            if checksum(self._view[at : at + size]) != expected:
                raise CorruptIndexError(f"section {name} does not match its checksum")
            self._checked.add(name)
        return at, at + size

    @property
    def sources(self) -> list[IndexedSource]:
        """The sources, with their sections, names and the path each text was read from: a
        section of its own, not the header, which every search parses (with 500 sources, 4 MB)."""
        return self.memo("sources", _sources)

    def numbers(self, name: str) -> array[Any]:
        key = f"array.{name}"
        if key not in self._cache:
            start, end = self._section(key)
            values = array(typecode(name))
            values.frombytes(self._view[start:end])
            self._cache[key] = values
        return self._cache[key]  # type: ignore[no-any-return]

    def strings(self, name: str) -> list[str]:
        """list.<name>: its lines, sorted (split in one call, not decoded as JSON)."""
        key = f"list.{name}"
        if key not in self._cache:
            start, end = self._section(key)
            text = str(self._view[start:end], "utf-8")
            self._cache[key] = text.split("\n") if text else []
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
            with paused():  # a column of a large base is a list of as many lists
                self._cache[key] = json.loads(bytes(self._view[start:end]))
        return self._cache[key]

    # -- records ------------------------------------------------------------------------------
    def record_line(self, index: int) -> bytes:
        """A fact's record exactly as JSON output writes it (UTF-8, no newline), checked."""
        offsets, expected = self.numbers("records.offsets"), self.numbers("records.sums")[index]
        return self._checked_part("records", offsets[index], offsets[index + 1] - 1, expected, f"record {index}")

    def record_lines(self, indices: Sequence[int]) -> list[bytes]:
        """record_line() of many facts: when they are a large share of the base, the records
        section is read and checked once, and each line sliced from it."""
        if len(indices) <= self.count * _WHOLE_RECORDS_SHARE:
            return [self.record_line(i) for i in indices]
        return [bytes(part) for part in self._record_views(indices, 1)]

    def record_heads(self, indices: Sequence[int]) -> Sequence[bytes | memoryview]:
        """record_lines() each without its closing brace, for a search to add its match to.
        When they are many, they are not read before they are written: from disk, a
        StreamedRecords, read in batches through one small buffer once the whole section is
        checked; in memory, views of it. Either way nothing is copied before it is written
        (the 80 MB of 93,000 records, say)."""
        if len(indices) <= self.count * _WHOLE_RECORDS_SHARE:
            return [self.record_line(i)[:-1] for i in indices]
        if self._disk is None or "records" in self._checked:
            return self._record_views(indices, _HEAD_TRIM)
        self._check_on_disk("records")
        return StreamedRecords(self, indices)

    def _check_on_disk(self, name: str) -> None:
        """Check a section against its checksum as it is on disk, read through the stream
        buffer, not into the body: damage is found before any of it is written."""
        if name in self._checked_on_disk:
            return
        assert self._disk is not None
        at, size, expected = self._sections[name]
        hasher, buffer = xxhash.xxh3_64(), self.stream_buffer(min(size, _STREAM_BUFFER))
        for start in range(at, at + size, len(buffer)):
            part = buffer[: min(len(buffer), at + size - start)]
            self._disk.read_into(part, start)
            hasher.update(part)
        if _kept(hasher.intdigest()) != expected:
            raise CorruptIndexError(f"section {name} does not match its checksum")
        self._checked_on_disk.add(name)

    def stream_buffer(self, size: int) -> memoryview:
        """The buffer records are passed through (StreamedRecords), at least size bytes long."""
        buffer: memoryview | None = self._cache.get("stream")
        if buffer is None or len(buffer) < size:
            buffer = self._cache["stream"] = memoryview(bytearray(max(size, _STREAM_BUFFER)))
        return buffer

    def read_records(self, buffer: memoryview, start: int) -> None:
        """Fill buffer with the records section from its byte start (StreamedRecords)."""
        assert self._disk is not None
        self._disk.read_into(buffer, self._sections["records"][0] + start)

    def _record_views(self, indices: Sequence[int], trim: int) -> list[memoryview]:
        """The records of the facts, trim bytes short of each line's end (its newline, its brace),
        as views of the records section, read and checked once."""
        offsets, (start, end) = self.numbers("records.offsets"), self._section("records")
        records = self._view[start:end]
        return [records[offsets[i] : offsets[i + 1] - trim] for i in indices]

    def record(self, index: int) -> FactRecord:
        return json.loads(self.record_line(index))  # type: ignore[no-any-return]

    def records(self, indices: Sequence[int]) -> list[FactRecord]:
        """record() of many facts (record_lines(), decoded)."""
        return decoded(self.record_lines(indices))

    def ids(self) -> list[str]:
        return self.json("id")  # type: ignore[no-any-return]

    # -- text ---------------------------------------------------------------------------------
    def find(self, text: str, needle: str) -> dict[int, int]:
        """Facts whose text holds needle → the bits of TEXT_FIELDS where it stands. A needle
        that starts or ends with a digit matches whole numbers only (168 is not in 7168).

        A needle with Chinese in it is found through its pairs of characters (array.pairs.*,
        _through_pairs); otherwise, and for any other needle, by one pass of the buffer's own
        find() over the whole text, so that only hits cost Python work."""
        encoded = needle.encode("utf-8")
        numeric = (needle[:1].isdigit(), needle[-1:].isdigit())
        hits = self._through_pairs(needle, encoded, numeric) if text == "plain" else None
        return self._scan(text, encoded, numeric) if hits is None else hits

    def _scan(self, text: str, needle: bytes, numeric: tuple[bool, bool]) -> dict[int, int]:
        """find() by one pass of the buffer's own find() over the whole text section: only
        the lines holding needle cost Python work, a few calls each."""
        start, end = self._section(f"text.{text}")
        lines, position = self.numbers(f"text.{text}.lines"), start
        hits: dict[int, int] = {}
        while (at := self._body.find(needle, position, end)) >= 0:
            i = bisect_right(lines, at - start) - 1
            line_start, position = start + lines[i], start + lines[i + 1]
            if fields := _fields_holding(needle, bytes(self._view[line_start:position]), numeric):
                hits[i] = fields
        return hits

    def _through_pairs(self, needle: str, encoded: bytes, numeric: tuple[bool, bool]) -> dict[int, int] | None:
        """find() in text.plain through the pairs of Chinese characters of needle. A needle of
        one Chinese character or two is one key, whose facts and fields the index holds: no text
        is read, however many facts hold it (县, 柞水: in nearly all). A longer one is looked for
        in the lines of the facts holding every pair of it, each read and checked alone, when its
        rarest pair is in few facts. None (scan the text) if it has no key (a number, Latin), or
        if its rarest pair stands in so many facts that one scan costs less than their lines."""
        entries = self.entries_of(needle)
        if entries is not None:
            return by_fact(entries)
        pairs = self._pairs_of(needle)
        if pairs is None:
            return {}
        if not pairs or min(pairs)[0] * _NARROW_SEARCH_SHARE > self.count:
            return None
        candidates: set[int] | None = None
        for _, n in sorted(pairs):  # the rarest first
            facts = (entry >> 8 for entry in self._facts_of_pair(n))
            candidates = set(facts) if candidates is None else candidates.intersection(facts)
            if not candidates:
                return {}
        hits: dict[int, int] = {}
        for i in sorted(candidates or ()):
            if fields := _fields_holding(encoded, self._text_line("plain", i), numeric):
                hits[i] = fields
        return hits

    def entries_of(self, needle: str) -> array[int] | None:
        """For a needle of one key of the pairs (one Chinese character or two: 柞水), the
        index's own entries of the facts holding it, each fact << 8 | the bits of its fields,
        from which find() makes its dict (by_fact()): a caller that maps each fact's bits to
        something else makes its own dict from these in one pass, not from find()'s. None for
        any other needle."""
        if not 1 <= len(needle) <= 2:
            return None
        pairs = self._pairs_of(needle)
        if pairs is None:
            return array(typecode("pairs.facts"))
        return self._facts_of_pair(pairs[0][1]) if len(pairs) == 1 else None

    def _pairs_of(self, needle: str) -> list[tuple[int, int]] | None:
        """The keys of needle (its pairs of Chinese characters; a character alone, its own), each
        as (how many facts hold it, its number in array.pairs.keys); None if one is in no fact."""
        keys, offsets = self.numbers("pairs.keys"), self.numbers("pairs.offsets")
        pairs = []
        for key in cjk_keys(needle) if len(needle) == 1 else cjk_pairs(needle):
            n = bisect_left(keys, key)
            if n == len(keys) or keys[n] != key:
                return None
            pairs.append((offsets[n + 1] - offsets[n], n))
        return pairs

    def _facts_of_pair(self, n: int) -> array[int]:
        """The facts holding the n-th pair of array.pairs.keys, each as fact << 8 | its fields,
        read alone and checked."""
        offsets, facts = self.numbers("pairs.offsets"), array(typecode("pairs.facts"))
        begin, end = offsets[n] * facts.itemsize, offsets[n + 1] * facts.itemsize
        expected = self.numbers("pairs.sums")[n]
        facts.frombytes(self._checked_part("array.pairs.facts", begin, end, expected, f"the facts of pair {n}"))
        return facts

    def _text_line(self, text: str, i: int) -> bytes:
        lines, expected = self.numbers(f"text.{text}.lines"), self.numbers(f"text.{text}.sums")[i]
        return self._checked_part(f"text.{text}", lines[i], lines[i + 1], expected, f"line {i} of text.{text}")

    def _checked_part(self, section: str, begin: int, end: int, expected: int, what: str) -> bytes:
        """Bytes begin to end of a section whose parts carry checksums of their own (a record, a
        line of text, the facts of a pair), read alone, not kept, and checked."""
        at, _, _ = self._sections[section]
        begin, end = at + begin, at + end
        part = bytes(self._view[begin:end]) if self._disk is None else self._disk.read(begin, end)
        if checksum(part) != expected:
            raise CorruptIndexError(f"{what} does not match its checksum")
        return part


class StreamedRecords(Sequence[bytes]):
    """Many facts' records, each without its closing brace (Corpus.record_heads), read from an index on disk
    as they are written (batches()), not before: a batch at a time through one buffer, reused,
    so that a search that writes 93,000 records reads their 80 MB through 4 MB of memory. Read
    into memory of their own, they took 14 ms where fresh memory comes fast, 40 to 150 ms where
    it does not (a machine running other programs in between: docs/performance.md). The
    section is checked whole before (Corpus._check_on_disk); a file cut short since is a short
    read, CorruptIndexError. Indexing and iterating give each record as bytes of its own."""

    def __init__(self, corpus: Corpus, indices: Sequence[int]) -> None:
        self._corpus, self._indices = corpus, indices

    def __len__(self) -> int:
        return len(self._indices)

    @overload
    def __getitem__(self, index: int) -> bytes: ...
    @overload
    def __getitem__(self, index: slice) -> list[bytes]: ...
    def __getitem__(self, index: int | slice) -> bytes | list[bytes]:
        if isinstance(index, slice):
            return [self._line(i) for i in self._indices[index]]
        return self._line(self._indices[index])

    def _line(self, fact: int) -> bytes:
        return self._corpus.record_line(fact)[:-1]

    def __iter__(self) -> Iterator[bytes]:
        for batch in self.batches(_ITERATED_BATCH):
            yield from map(bytes, batch)

    def batches(self, size: int) -> Iterator[list[memoryview]]:
        """The records in turn, size at a time, as views of the buffer: each batch's are valid
        until the next batch is asked for, so each is written before that."""
        offsets = self._corpus.numbers("records.offsets")
        for at in range(0, len(self._indices), size):
            batch = self._indices[at : at + size]
            first, last = min(batch), max(batch)
            if last - first < 2 * len(batch):  # close together (a run of a bucket): read in one go
                low = offsets[first]
                span = offsets[last + 1] - low
                buffer = self._corpus.stream_buffer(span)
                self._corpus.read_records(buffer[:span], low)
                yield [buffer[offsets[i] - low : offsets[i + 1] - _HEAD_TRIM - low] for i in batch]
            else:
                yield self._apart(batch, offsets)

    def _apart(self, batch: Sequence[int], offsets: Sequence[int]) -> list[memoryview]:
        """A batch of records far apart, each read on its own, one after another in the buffer."""
        lengths = [offsets[i + 1] - offsets[i] for i in batch]
        buffer, views, used = self._corpus.stream_buffer(sum(lengths)), [], 0
        for i, length in zip(batch, lengths, strict=True):
            self._corpus.read_records(buffer[used : used + length], offsets[i])
            views.append(buffer[used : used + length - _HEAD_TRIM])
            used += length
        return views


def checksum(data: bytes | memoryview) -> int:
    """The checksum an index keeps of each section and of each part read alone (a record, a
    line of text, the facts of a pair): the low 32 bits of XXH3-64, so that the arrays of them
    stay 4 bytes an entry. It finds damage, as CRC-32 did, not forgery (a cache is trusted only
    when it is the user's own: cache.py), and is seven times as fast: checking the 80 MB of
    records that a common word writes at 100,000 facts took 20 ms by CRC-32, 3 ms by XXH3."""
    return _kept(xxhash.xxh3_64_intdigest(data))


def _kept(digest: int) -> int:
    """The part of an XXH3-64 digest an index keeps (checksum())."""
    return digest & 0xFFFFFFFF


def by_fact(entries: Sequence[int]) -> dict[int, int]:
    """Entries of a pair's facts or a word's postings, each fact << 8 | the bits of the fields
    it stands in, as fact → bits, split without a call of Python per entry."""
    return dict(zip(map((8).__rrshift__, entries), map((0xFF).__and__, entries), strict=True))


def decoded(lines: Sequence[bytes]) -> list[Any]:
    """Each line's JSON, with the collector paused while the many dicts are made (_collector.py)."""
    with paused():
        return [json.loads(line) for line in lines]


def _fields_holding(needle: bytes, line: bytes, numeric: tuple[bool, bool]) -> int:
    """The bits of the fields of one line that hold needle."""
    fields, position = 0, 0
    while (at := line.find(needle, position)) >= 0:
        after = at + len(needle)
        if (numeric[0] and line[at - 1 : at] in _NUMBER_BYTES) or (numeric[1] and line[after : after + 1].isdigit()):
            position = at + 1  # part of a longer number
            continue
        fields |= 1 << line.count(FIELD_SEPARATOR, 0, at)
        position = line.find(FIELD_SEPARATOR, at) + 1 or len(line)  # the rest of this field is done
    return fields


def _sources(corpus: Corpus) -> list[IndexedSource]:
    sources: list[IndexedSource] = corpus.json("sources")
    if any(not set(SOURCE_FIELDS) <= set(source) for source in sources):
        # built by a build of this version from before a source field was added
        raise CorruptIndexError("the index's sources lack fields this version records")
    return sources


def typecode(array_name: str) -> str:
    """Byte offsets are 64-bit, amounts doubles, other columns 32-bit; in the machine's byte
    order (the header names it, and an index of another byte order is rebuilt)."""
    if array_name.endswith(".values"):
        return "d"
    return "q" if array_name.endswith((".offsets", ".lines", ".keys")) else "I"


def field_names(bits: int) -> list[str]:
    return [name for n, name in enumerate(TEXT_FIELDS) if bits >> n & 1]


def primary(bits: int) -> bool:
    return bits & ((1 << PRIMARY_FIELDS) - 1) != 0


def in_claims(bits: int) -> bool:
    return bits & _CLAIM_BITS != 0


def byteorder() -> str:
    return sys.byteorder
