"""The library: open() a fact base, then search it, get facts, count, verify and export.

    import zhashui_cli
    base = zhashui_cli.open()                  # the packaged fact base; open(path) for another
    hits = base.search("木耳", year=2023)      # a sequence of records; filters are keywords
    for fact in hits: print(fact["id"], fact["claim_en"])
    fact = base["2023-loans-coordinated"]      # NotFoundError (a KeyError) when unknown
    base.get("2023-loans")                     # None when unknown; base.suggest(id) for near ids

The command line is a client of this module and nothing more. It never prints and never
exits: it returns records (records.py) and raises the errors of errors.py. A fact base
reads its cached index (cache.py), builds it when it is missing or stale, and rebuilds it
when it turns out to be damaged.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, TypeVar, overload

from ._collector import paused
from ._i18n import Message
from .errors import CorruptIndexError, NotFoundError, QueryError
from .factfile import store
from .index import cache
from .index.corpus import Corpus, IndexedSource, decoded
from .index.text import has_cjk
from .records import (
    CategoryRecord,
    CategoryRow,
    FactRecord,
    FigureRow,
    SearchRecord,
    SourceRecord,
    Stats,
    TagRow,
    TermMatch,
    Uncovered,
    UnitRecord,
    VerifyReport,
    integrity_errors,
    json_line,
)
from .search import engine
from .search.engine import Query, SortKey
from .search.filters import Values, choice
from .search.filters import filters as search_filters

if TYPE_CHECKING:
    from decimal import Decimal

    from typing_extensions import Unpack

    from .factfile.model import FactFile
    from .factfile.store import Progress

T = TypeVar("T")


class SearchFilters(TypedDict, total=False):
    """The filters of a search, as keyword arguments: each keeps the facts that match any of
    its values, and filters combine with AND. Defined once: FactBase.search, tags, figures and
    the command line's options all take exactly these."""

    category: Values  # id, Chinese or English name
    year: Values
    kind: Values  # outcome, honour, measure, plan, target
    tag: Values
    source: Values
    section: Values
    unit: str | None  # a unit (元, 万元, yuan, percent, a declared one): figures in its base unit
    minimum: Decimal | float | str | None  # a number in unit (5000 with 万元: 5000万元), or 1亿元, 3万亩
    maximum: Decimal | float | str | None  # as minimum; without unit, a bare number is a base value


def open(
    path: str | os.PathLike[str] | None = None,
    *,
    cache: bool = True,
    progress: Progress | None = None,
    max_bytes: int = store.MAX_BYTES,
) -> FactBase:
    """A fact base: the packaged one, or the fact file at path. Raises FactFileError at once
    when there is no such file; nothing else is read until the base is used."""
    location = Path(path) if path is not None else store.packaged_fact_file()
    store.require_file(location)
    return FactBase(location, cache=cache, progress=progress, max_bytes=max_bytes)


def cache_listing() -> cache.Listing:
    """What the index cache holds: its folder, whether it is used, its indexes by fact file."""
    return cache.listing()


def clear_cache() -> tuple[Path | None, list[tuple[str, int]]]:
    """Remove the index cache's own files (never anything else); the folder and the files
    removed, with their sizes. UntrustedCacheError if the folder is not the user's alone."""
    return cache.clear()


class Hits(Sequence[SearchRecord]):
    """What a search found: a sequence of its records in order (iterate, index, slice, len),
    with how many facts matched in all (`total`, which a limit leaves whole), whether no fact
    had every word (`partial`), and the words it read as others (`corrections`)."""

    def __init__(
        self,
        heads: Sequence[bytes | memoryview],
        ends: list[bytes],
        result: engine.Result,
        filters: engine.Filters,
        again: Callable[[], Hits],
    ) -> None:
        self._heads, self._ends = heads, ends  # each record's stored JSON without its brace; its match and brace
        self._again = again  # the same search on an index built anew (json_lines)
        self._lines: list[bytes] | None = None
        self._indices = result.indices  # positions in the index, for the library's own use
        self._filters = filters
        self.total = result.total
        self.words = result.words  # the words facts had to match (stop words and 是多少 left out)
        self.best = result.best  # how many of them each fact found has; fewer: no fact has them all
        self.matched = result.matched  # the words the facts found have, together
        self.corrections: dict[str, TermMatch] = result.corrections  # {"toliets": {"as": "toilets", ...}}
        self.units = result.units  # a sort by value: the base units it kept together, in order
        self.common = result.common  # words in most facts, set aside beside rarer ones: ["zhashui"]
        self._records: list[SearchRecord] | None = None

    def __len__(self) -> int:
        return len(self._heads)

    @overload
    def __getitem__(self, index: int) -> SearchRecord: ...
    @overload
    def __getitem__(self, index: slice) -> list[SearchRecord]: ...
    def __getitem__(self, index: int | slice) -> SearchRecord | list[SearchRecord]:
        return self.records[index]

    def __iter__(self) -> Iterator[SearchRecord]:
        return iter(self.records)

    def __repr__(self) -> str:
        shown = ", ".join(self.ids[:3]) + (", …" if len(self) > 3 else "")
        partial = f", partial: {self.best} of {len(self.words)} words" if self.partial else ""
        return f"<Hits {len(self)} of {self.total} for {' '.join(self.words)!r}{partial}: [{shown}]>"

    @property
    def records(self) -> list[SearchRecord]:
        """The records as a list (parsed from their stored JSON on first use)."""
        if self._records is None:
            self._records = decoded(self.json_lines())
        return self._records

    def json_lines(self) -> list[bytes]:
        """The records as JSON output writes them, one line each, without parsing them. Many
        records of a cached index are read from it only now (corpus.StreamedRecords): if its
        file was cut short since the search, the search is made again on an index built anew."""
        if self._lines is None:
            try:
                self._lines = [b"".join(parts) for parts in zip(self._heads, self._ends, strict=True)]
            except CorruptIndexError:
                self._lines = self._again().json_lines()
        return self._lines

    def json_parts(self) -> tuple[Sequence[bytes | memoryview], Sequence[bytes]]:
        """json_lines() in two parts each, not yet joined: each record as stored without its
        closing brace, and its match with the brace; joined only as they are written, so that a
        search of 93,000 facts is never copied. Many records of a cached index are read only as
        they are written, in batches (corpus.StreamedRecords, output.render.write_json), and
        reading them raises CorruptIndexError if the file was cut short since the search."""
        return self._heads, self._ends

    @property
    def ids(self) -> list[str]:
        return [record["id"] for record in self.records]

    @property
    def partial(self) -> bool:
        """No fact has every word: these are the facts that have the most of them."""
        return 0 < self.best < len(self.words)


class FactBase:
    """One fact file, searchable through its index."""

    def __init__(
        self, path: Path, *, cache: bool = True, progress: Progress | None = None, max_bytes: int = store.MAX_BYTES
    ) -> None:
        """max_bytes: the largest fact file or source text read (a bound on what a wrong path
        can make zhashui read); 64 MiB unless said otherwise."""
        self._max_bytes = max_bytes
        self.path = path
        self._use_cache = cache
        self._progress = progress
        self._corpus: Corpus | None = None

    # -- the index ------------------------------------------------------------------------
    def _open(self, rebuild: bool = False) -> Corpus:
        if self._corpus is None or rebuild:
            self._corpus = self._cached() if self._use_cache and not rebuild else None
            if self._corpus is None:
                self._corpus = self._build()
        return self._corpus

    def _cached(self) -> Corpus | None:
        return cache.load(self.path)

    @paused()  # reading, checking and indexing make millions of objects that live on
    def _build(self) -> Corpus:
        import time

        from .index.build import build, chinese_side
        from .index.child import Child

        read_ns = time.time_ns()
        with chinese_side() as chinese:  # made beside the reading, where it can be
            unchecked = store.read_unchecked(self.path, progress=self._progress, max_bytes=self._max_bytes)
            if integrity_errors(unchecked.problems):  # not indexed: the build may assume what failed
                store.require(unchecked.checked())
            # The rules are checked beside the build, by a child forked with what was read: a
            # quarter of the build of a large base, on the core the Chinese side leaves idle.
            with Child(unchecked.rule_problems) as rules:
                rules.send(False)
                if self._progress is not None:
                    self._progress("Indexing facts", 0, 1)
                paths = {source.id: str(store.source_path(self.path, source.text)) for source in unchecked.file.sources}
                header, body = build(unchecked.file, paths, chinese)
                loaded = store.require(unchecked.checked(rules.result()))
        if self._progress is not None:
            self._progress("Indexing facts", 1, 1)
        if self._use_cache:
            header.update(zhashui=_version(), fingerprint=loaded.stamps, read_ns=read_ns)
        header.update(warnings=len(loaded.problems))  # require() let through warnings only
        if self._use_cache:
            cache.save(self.path, header, body)
        return Corpus(header, body)

    @property
    def warnings(self) -> int | None:
        """How many warnings (editorial problems) the fact file has, once its index is open, and
        None before: a draft is searched, and the command line says that verify has more to say."""
        return None if self._corpus is None else self._corpus.warnings

    def _read(self, work: Callable[[Corpus], T]) -> T:
        """Run work on the index; a damaged cache is dropped and the index rebuilt, once."""
        try:
            return work(self._open())
        except CorruptIndexError:
            if not self._use_cache:
                raise
            return self._rebuilt(work)

    def _rebuilt(self, work: Callable[[Corpus], T]) -> T:
        """Run work on the index built anew, the cached one dropped."""
        cache.discard(self.path)
        return work(self._open(rebuild=True))

    # -- facts ----------------------------------------------------------------------------
    def search(
        self,
        query: str | Sequence[str] = "",
        *,
        sort: SortKey | str | None = None,
        reverse: bool = False,
        limit: int | None = None,
        exact: bool = False,
        **filters: Unpack[SearchFilters],
    ) -> Hits:
        """Facts matching every word of the query (see docs/search.md) and every filter, the
        best first; at most limit of them (None or 0: all; `total` counts them all anyway).

        Raises QueryError for a negative limit, or for a filter value that can match nothing
        in this fact base (an unknown category, say), saying what would."""
        words = _split(query)
        sort_key = None if sort is None else choice(SortKey, sort, "sort")
        if limit is not None and limit < 0:
            raise QueryError(
                Message("limit {limit} is negative; give a number of facts, or 0 or None for all", limit=limit)
            )

        def find(corpus: Corpus) -> Hits:
            resolved = search_filters(corpus, **filters)
            result = engine.run(corpus, Query(words, resolved, sort_key, reverse, limit or None, exact))
            keys, matches = engine.shared_matches(result.matches, result.indices)
            ends = {key: _match_end(match) for key, match in matches.items()}
            heads = corpus.record_heads(result.indices)
            return Hits(heads, list(map(ends.__getitem__, keys)), result, resolved, lambda: self._rebuilt(find))

        return self._read(find)

    def suggest_words(self, query: str | Sequence[str], limit: int = 3) -> list[str]:
        """Words of the fact base close to the words of a query that found nothing: English
        by typing distance, pinyin by the Chinese words it nearly spells, Chinese by words
        that share its characters."""
        from .search import matching

        words = _split(query)

        def suggest(corpus: Corpus) -> list[str]:
            found: list[str] = []
            tokens = engine.tokens(words)[0]
            for token in tokens:
                if has_cjk(token):
                    found += matching.sharing_characters(corpus, token)
                elif token.isalpha():
                    found += matching.typo_words(corpus, token) + matching.pinyin_words(corpus, token)
            return [word for word in dict.fromkeys(found) if word not in (*words, *tokens)][:limit]

        return self._read(suggest)

    def __getitem__(self, fact_id: str) -> FactRecord:
        """The fact with this id; NotFoundError (a KeyError) naming the ids close to it if none."""
        found = self.get(fact_id)
        if found is None:
            raise NotFoundError("fact", fact_id, self.suggest(fact_id))
        return found

    def get(self, fact_id: str) -> FactRecord | None:
        """The fact with this id, in any case (ids are lower case: 2023-TOILETS is 2023-toilets), or None."""

        def lookup(corpus: Corpus) -> FactRecord | None:
            ids, wanted = corpus.ids(), _id(fact_id)
            return corpus.record(ids.index(wanted)) if wanted in ids else None

        return self._read(lookup)

    def __contains__(self, fact_id: object) -> bool:
        return isinstance(fact_id, str) and _id(fact_id) in self._read(Corpus.ids)

    def __len__(self) -> int:
        return len(self._read(Corpus.ids))

    def __iter__(self) -> Iterator[FactRecord]:
        """Every fact, in the order of the fact file."""
        return iter(self._read(lambda corpus: corpus.records(range(corpus.count))))

    def __repr__(self) -> str:
        return f"<FactBase {str(self.path)!r}>"

    def suggest(self, fact_id: str, limit: int = 3) -> list[str]:
        """Ids close to one that was not found: containing it, or spelt like it."""
        return engine.suggest_ids(self._read(Corpus.ids), fact_id, limit)

    def ids(self) -> list[str]:
        return list(self._read(Corpus.ids))

    def paragraph(self, fact: FactRecord) -> str:
        """The paragraph (line) of the source that holds the fact's quote; the quote alone
        if the source is gone."""
        return store.quoted_line(self.path, self._source(fact["source"])["text"], fact["quote"])

    def category(self, category_id: str) -> CategoryRecord:
        """The category with this id; NotFoundError if none."""
        categories = self._read(lambda corpus: corpus.categories)
        return _one("category", category_id, {c["id"]: c for c in categories})

    def source(self, source_id: str) -> SourceRecord:
        """The source with this id; NotFoundError if none."""
        return _public(self._source(source_id))

    def _source(self, source_id: str) -> IndexedSource:
        return _one("source", source_id, {s["id"]: s for s in self._read(lambda corpus: corpus.sources)})

    def sources(self) -> list[SourceRecord]:
        return [_public(source) for source in self._read(lambda corpus: corpus.sources)]

    def units(self) -> list[UnitRecord]:
        """The units the fact file declares beside the built-in ones, in its order."""
        return list(self._read(lambda corpus: corpus.units))

    # -- counts ---------------------------------------------------------------------------
    def categories(self) -> list[CategoryRow]:
        from .search.counts import category_rows

        return self._read(category_rows)

    def years(self) -> list[int]:
        from .search.counts import years

        return self._read(years)

    def stats(self) -> Stats:
        from .search.counts import stats

        return self._read(stats)

    def tags(self, query: str | Sequence[str] = "", **filters: Unpack[SearchFilters]) -> list[TagRow]:
        """The tags of the facts a search finds (every fact by default), with counts."""
        from .search.counts import tag_rows

        hits = self.search(query, **filters)
        return self._read(lambda corpus: tag_rows(corpus, hits._indices))

    def figures(
        self,
        query: str | Sequence[str] = "",
        *,
        sort: SortKey | str | None = None,
        reverse: bool = False,
        **filters: Unpack[SearchFilters],
    ) -> list[FigureRow]:
        """Every figure of the facts a search finds that passes the unit and amount filters,
        which apply to each figure; by value (largest first, within each base unit) or in the
        order of the search."""
        from .search.counts import figure_rows

        by_value = sort is not None and choice(SortKey, sort, "sort") is SortKey.VALUE
        hits = self.search(query, sort=sort, **filters)
        rows = figure_rows(hits.records, hits._filters)
        if by_value:
            units = list(dict.fromkeys(row["base_unit"] for row in rows))
            rows.sort(key=lambda row: (units.index(row["base_unit"]), -row["base_value"]))
        return rows[::-1] if reverse else rows

    def sha256(self) -> str:
        """The SHA-256 of the fact file as it is now: the version of the data, as a commit id is
        of a repository's (the fact file has no version of its own to say)."""
        import hashlib

        return hashlib.sha256(store.read_file(self.path, max_bytes=self._max_bytes)[0]).hexdigest()

    @property
    def packaged(self) -> bool:
        """Whether this is the fact base shipped with zhashui."""
        return self.path.resolve() == store.packaged_fact_file().resolve()

    def fact_file(self) -> FactFile:
        """The fact file itself, loaded and checked (not from the index): for exports."""
        return store.require(store.load(self.path, max_bytes=self._max_bytes)).file

    # -- checks ---------------------------------------------------------------------------
    def verify(self) -> VerifyReport:
        """Every problem of the fact file, by every rule of the format, coverage included."""
        from .errors import FactFileError

        try:
            loaded = store.load(self.path, coverage=True, max_bytes=self._max_bytes)
        except FactFileError as error:
            return {"ok": False, "facts": 0, "figures": 0, "sources": 0, "warnings": 0, "problems": error.problems}
        file = loaded.file
        return {
            "ok": not loaded.problems,
            "facts": len(file.facts),
            "figures": sum(len(fact.figures) for fact in file.facts),
            "sources": len(file.sources),
            "warnings": len(loaded.problems) - len(integrity_errors(loaded.problems)),
            "problems": loaded.problems,
        }

    def uncovered(self) -> list[Uncovered]:
        """The numbers in the sources that no fact covers: the curator's to-do list."""
        from .factfile.rules import uncovered

        return uncovered(store.load(self.path, max_bytes=self._max_bytes).file)


def _version() -> str:
    from ._version import __version__

    return __version__


def _split(query: str | Sequence[str]) -> tuple[str, ...]:
    """The words of a query: one string, or several, each split at white space."""
    return tuple(query.split() if isinstance(query, str) else (word for part in query for word in part.split()))


def _match_end(match: engine.Match | None) -> bytes:
    """What ends a stored record without its closing brace as a search gives it: its match
    object, encoded once for all the facts found the same way."""
    record = engine.match_record(match) if match is not None else {"terms": {}, "fields": []}
    return b',"match":' + json_line(record) + b"}"


def _public(source: IndexedSource) -> SourceRecord:
    """A source as the library gives it: without the path the index read its text from."""
    return {key: value for key, value in source.items() if key != "path"}  # type: ignore[return-value]


def _id(typed: str) -> str:
    """A fact id as typed, as the fact file has it: the rule of ids is lower case."""
    return typed.strip().lower()


def _one(what: str, key: str, known: dict[str, T]) -> T:
    if key not in known:
        raise NotFoundError(what, key, engine.suggest_ids(list(known), key, 3))
    return known[key]
