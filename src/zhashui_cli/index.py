"""The search index: a fact base laid out so that a search reads only what it needs.

A search over a big fact base must not parse every fact. The index keeps, per fact, one line
of pre-folded search text (the haystack), the fact's output record as one JSON line, and a
few columns (category, year, tags, amounts…) that filters read only when they are used. It is
one byte string, so the same code searches a freshly built index in memory and a cached
index that store.py maps from disk. The layout:

    haystack   "<primary text>\\x1f<secondary text>\\n" per fact, folded
               (primary: id, claims, tags, figure labels; secondary: quote, category names)
    records    one JSON object per line: the output contract (render.fact_record), serialized
               as JSON output writes it (render.record_line), so that it can be passed through
    col:<name> one JSON array per column, one entry per fact (lines and offsets: one more,
               the byte offsets of each fact's haystack line and record)

The header (a JSON object) names the byte range of each section.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from .render import category_record, fact_record, record_line, source_record
from .text import fold_many

if TYPE_CHECKING:
    from .model import FactBase

FORMAT = 2  # 2: records are stored as JSON output writes them, and passed through
_US, _NL = b"\x1f", b"\n"
# Below this share of candidates, later terms are looked for in the candidates' lines only.
_NARROW_SEARCH_SHARE = 8


class CorruptIndexError(Exception):
    """The index does not hold together (a damaged cache file)."""


def build(base: FactBase, source_paths: Mapping[str, str]) -> tuple[dict[str, Any], bytes]:
    """The header and body of the index of a fact base; source_paths maps source id → file."""
    facts = base.facts
    category_text = {c.id: f"{c.id} {c.name} {c.name_en}" for c in base.categories}
    primaries = [
        " ".join((f.id, f.claim, f.claim_en, *f.tags, *(x for g in f.figures for x in (g.label, g.label_en))))
        for f in facts
    ]
    secondaries = [f"{f.quote} {category_text[f.category]}" for f in facts]
    tags = [tag for f in facts for tag in f.tags]
    folded = fold_many(primaries + secondaries + tags)
    folded_tags = iter(folded[2 * len(facts) :])

    haystack = [
        f"{primary}\x1f{secondary}\n".encode()
        for primary, secondary in zip(folded[: len(facts)], folded[len(facts) : 2 * len(facts)], strict=True)
    ]
    records = [record_line(fact_record(f)).encode() + _NL for f in facts]
    category_number = {c.id: n for n, c in enumerate(base.categories)}
    source_number = {s.id: n for n, s in enumerate(base.sources)}
    columns: dict[str, list[Any]] = {
        "lines": _offsets(haystack),
        "offsets": _offsets(records),
        "id": [f.id for f in facts],
        "category": [category_number[f.category] for f in facts],
        "year": [f.year for f in facts],
        "kind": [f.kind.value for f in facts],
        "source": [source_number[f.source] for f in facts],
        "tags": [[next(folded_tags) for _ in f.tags] for f in facts],
        "amounts": [[[g.base_unit, str(g.base_value)] for g in f.figures] for f in facts],
    }
    sections = {"haystack": b"".join(haystack), "records": b"".join(records)}
    sections.update(
        (f"col:{name}", json.dumps(values, ensure_ascii=False).encode()) for name, values in columns.items()
    )
    layout, position = {}, 0
    for name, data in sections.items():
        layout[name] = [position, len(data)]
        position += len(data)
    header = {
        "format": FORMAT,
        "count": len(facts),
        "categories": [category_record(c) for c in base.categories],
        "sources": [dict(source_record(s), path=source_paths[s.id]) for s in base.sources],
        "sections": layout,
        "size": position,
    }
    return header, b"".join(sections.values())


def _offsets(lines: list[bytes]) -> list[int]:
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    return offsets


class Corpus:
    """Read access to an index held in any buffer with find() and slicing (bytes or mmap)."""

    def __init__(self, header: Mapping[str, Any], body: Any, start: int = 0) -> None:
        try:
            self.count: int = int(header["count"])
            self.categories: list[dict[str, Any]] = list(header["categories"])
            self.sources: list[dict[str, Any]] = list(header["sources"])
            self._sections = {name: (start + int(at), int(size)) for name, (at, size) in header["sections"].items()}
            if any(at + size > len(body) for at, size in self._sections.values()):
                raise CorruptIndexError("a section lies outside the file")
            self._haystack = self._sections["haystack"]
            self._records = self._sections["records"]
        except (KeyError, TypeError, ValueError) as error:
            raise CorruptIndexError(f"bad header: {error!r}") from error
        self._body = body
        self._columns: dict[str, list[Any]] = {}

    def column(self, name: str) -> list[Any]:
        """One value per fact; parsed on first use, so unused filters cost nothing."""
        if name not in self._columns:
            at, size = self._sections.get(f"col:{name}", (0, -1))
            try:
                values = json.loads(self._body[at : at + size])
            except ValueError as error:
                raise CorruptIndexError(f"column {name}: {error}") from error
            expected = self.count + 1 if name in ("lines", "offsets") else self.count
            if not isinstance(values, list) or len(values) != expected:
                raise CorruptIndexError(f"column {name} does not have one entry per fact")
            self._columns[name] = values
        return self._columns[name]

    def record(self, index: int) -> dict[str, Any]:
        try:
            record = json.loads(self.record_line(index))
        except ValueError as error:
            raise CorruptIndexError(f"record {index}: {error}") from error
        if not isinstance(record, dict):
            raise CorruptIndexError(f"record {index} is not an object")
        return record

    def record_line(self, index: int) -> bytes:
        """A fact's record exactly as JSON output writes it (UTF-8, no newline)."""
        offsets = self.column("offsets")
        start = self._records[0]
        try:
            line = bytes(self._body[start + offsets[index] : start + offsets[index + 1] - 1])
        except TypeError as error:
            raise CorruptIndexError(f"record {index}: {error}") from error
        if not (line.startswith(b'{"id":') and line.endswith(b"}")):
            raise CorruptIndexError(f"record {index} is not a fact object")
        return line

    def find(self, term: str, among: Collection[int] | None = None) -> dict[int, bool]:
        """Facts whose folded text holds the folded term → whether it is in the primary text.

        The first term is one pass of the buffer's own find() over the haystack, so only hits
        cost Python work; later terms, given the few candidates left, look in their lines only.
        """
        needle = term.encode("utf-8")
        lines = self.column("lines")
        try:
            if among is not None and len(among) * _NARROW_SEARCH_SHARE < self.count:
                return self._find_in(needle, among, lines)
            return self._find_all(needle, among, lines)
        except (IndexError, TypeError) as error:  # a damaged lines column
            raise CorruptIndexError("haystack lines") from error

    def _find_in(self, needle: bytes, among: Collection[int], lines: list[int]) -> dict[int, bool]:
        base, hits = self._haystack[0], {}
        for i in among:
            start, end = base + lines[i], base + lines[i + 1]
            at = self._body.find(needle, start, end)
            if at >= 0:
                hits[i] = at < self._body.find(_US, start, end)
        return hits

    def _find_all(self, needle: bytes, among: Collection[int] | None, lines: list[int]) -> dict[int, bool]:
        base, hits = self._haystack[0], {}
        position, end = base, base + self._haystack[1]
        while (at := self._body.find(needle, position, end)) >= 0:
            i = bisect_right(lines, at - base) - 1
            start, position = base + lines[i], base + lines[i + 1]
            if position <= at:  # a damaged lines column must not loop forever
                raise CorruptIndexError("haystack lines out of order")
            if among is None or i in among:
                hits[i] = at < self._body.find(_US, start, position)
        return hits
