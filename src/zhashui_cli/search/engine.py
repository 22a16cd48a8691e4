"""A search over an index: which facts answer a query, and in what order.

The query's words are cut into tokens (text.query_tokens), stop words and Chinese ways of
asking are set aside, each token is found as matching.py says, and the facts that match the
most tokens (all of them, when any fact does) are filtered and ranked. docs/search.md
explains it with the measurements behind it.

Pure: everything comes from the Corpus handed in; nothing is printed or read from disk.
The library (base.py) turns a caller's words and filters into a Query and the result into
records.
"""

import copy
import heapq
import math
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from zhashui_cli.factfile.folding import needs_t2s, normalise, regional
from zhashui_cli.factfile.vocabulary import Kind
from zhashui_cli.index.corpus import Corpus, field_names, in_claims, primary
from zhashui_cli.index.text import STOP_WORDS, has_cjk, query_terms, query_tokens
from zhashui_cli.records import MatchRecord, TermMatch
from zhashui_cli.suggest import close_to

from . import matching
from .amounts import facts_within

if TYPE_CHECKING:
    from decimal import Decimal


T = TypeVar("T")
Rank = tuple[Any, ...]  # a fact's place in an order: numbers (a value sort's decimals), compared in turn


class SortKey(str, Enum):
    RELEVANCE = "relevance"  # best match first (see rank()), then bulletin order
    BULLETIN = "bulletin"  # the order of the fact file
    VALUE = "value"  # largest (matching) figure first, within each base unit; facts without figures last
    YEAR = "year"  # oldest year first, then bulletin order


class Filters(NamedTuple):
    """Each filter keeps facts that match any of its values; filters combine with AND.
    Values are as the index stores them: category and source numbers, folded tags."""

    categories: frozenset[int] = frozenset()
    sources: frozenset[int] = frozenset()
    years: frozenset[int] = frozenset()
    kinds: frozenset[Kind] = frozenset()
    sections: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    unit: str | None = None  # a base unit
    minimum: "Decimal | None" = None  # on base values
    maximum: "Decimal | None" = None

    @property
    def on_figures(self) -> bool:
        return self.unit is not None or self.minimum is not None or self.maximum is not None

    def admits(self, unit: str, value: "Decimal") -> bool:
        """Whether a figure's base unit and value pass the unit and amount filters."""
        return (
            (self.unit is None or unit == self.unit)
            and (self.minimum is None or value >= self.minimum)
            and (self.maximum is None or value <= self.maximum)
        )


class Query(NamedTuple):
    words: tuple[str, ...] = ()  # as typed, split at white space
    filters: Filters = Filters()
    sort: SortKey | None = None  # None: relevance with words, bulletin without
    reverse: bool = False
    limit: int | None = None
    exact: bool = False  # every word a folded substring of the text, nothing else


# Chinese ways of asking (是多少, 有多少 …): dropped from a query, as they are never in a claim.
QUESTION_PHRASES = (
    "什么时候|是多少|有多少|有没有|有什么|有哪些|是不是|能不能|为什么|怎么样|怎么办|值多少钱|多少钱|怎么|怎样|多少|多大|多久|"
    "哪些|哪个|哪里|哪儿|什么|如何|是否|第几|几个|请问|吗|呢|吧"
)
# A word found in more than this share of the facts (柞水, Zhashui, 2023, 建设) says little about
# which fact is meant: beside rarer words it counts only when it matches, as a stop word does.
COMMON_SHARE = 1 / 3
# A character of a Chinese word found nowhere is a part worth finding when at most this share
# of the facts hold it (厂 of 标准厂区, not 县).
RARE_CHARACTER_SHARE = 0.1


class Match(NamedTuple):
    """How one fact matched: per query word, what it was found as and how; where."""

    terms: dict[str, TermMatch]
    fields: int  # bits of index.TEXT_FIELDS
    words: int  # how many of the query's required words it matched
    weight: float  # the sum of their rarity (idf()): a rare word counts for more than a common one
    tiers: int  # the sum of their tiers (matching.py): 0 when every word matched as written
    primary: int  # how many of them in the id, claims, tags or labels
    claimed: int  # how many of them in the claims themselves
    optional: int  # how many stop words it matched


class Result(NamedTuple):
    indices: list[int]  # the facts to show, in order
    total: int  # how many matched before the limit
    matches: Mapping[int, Match]  # for facts matched by words
    words: list[str]  # the words the facts must match, after splitting and dropping stop words
    best: int  # how many of them each fact found matches (fewer than words: a partial answer)
    matched: list[str]  # the words that the facts found match, together
    corrections: dict[str, TermMatch]  # words found only as something else: toliets → toilets
    units: list[str]  # a sort by value: the base units it kept together, in order
    common: list[str]  # words set aside as too common to decide, beside rarer ones (柞水, zhashui)


def run(corpus: Corpus, query: Query) -> Result:
    if query.exact:
        terms = query_terms(query.words)
        found = {term: _exact(corpus, term) for term in dict.fromkeys(terms)}
        required, optional, parts, common = list(found), list[str](), dict[str, str](), list[str]()
    else:
        found, required, optional, parts = _find(corpus, query.words)
        required, optional, common = _set_aside_common(corpus, found, required, optional)
    weights = {word: idf(corpus.count, len(found[word])) for word in required}
    matches = _combine(found, required, optional, weights) if found else None
    best = _most_words(matches)
    if query.exact and best < len(required):
        matches, best = {}, 0  # every word, or nothing
    if isinstance(matches, _Combined):
        matches = matches.with_words(best)
    candidates = filter_facts(corpus, query.filters, list(matches) if matches is not None else range(corpus.count))
    order = _order(corpus, query, candidates, matches or {})
    shown = _first_in_order(candidates, order, query.limit, query.reverse)
    matched = [word for word in required if any(word in (matches or {})[i].terms for i in candidates)]
    corrections = _corrections(found, candidates, parts, order.key, query.reverse)
    units = order.units[::-1] if query.reverse else order.units
    return Result(shown, len(candidates), matches or {}, required, best, matched, corrections, units, common)


def _exact(corpus: Corpus, term: str) -> matching.Hits:
    """--exact: the folded term as a substring of the text as written (punctuation and all)."""
    return matching.hits_of(term, "exact", matching.EXACT, corpus.find("exact", term))


def tokens(words: Sequence[str]) -> tuple[list[str], list[str]]:
    """The words a query asks for, and the stop words that it may also match."""
    return _asked(_query_tokens(words))


def _query_tokens(words: Sequence[str]) -> list[str]:
    found: list[str] = []
    for word in words:
        for token in query_tokens(word):
            found += [part for part in re.split(QUESTION_PHRASES, token) if part] if has_cjk(token) else [token]
    return list(dict.fromkeys(found))


def _asked(found: list[str]) -> tuple[list[str], list[str]]:
    required = [t for t in found if t not in STOP_WORDS]
    return (found, []) if not required else (required, [t for t in found if t in STOP_WORDS])


def _find(
    corpus: Corpus, words: Sequence[str]
) -> tuple[dict[str, matching.Hits], list[str], list[str], dict[str, str]]:
    """Each word found; the words facts must match and those they may; and the parts a long
    Chinese word was cut into, each with the word it was cut from."""
    # Pinyin is joined before stop words are set aside: he, an, ma are syllables too (he zhang zhi).
    words = [_regional(corpus, word) for word in words]
    required, optional = _asked(_join_pinyin(corpus, _query_tokens(words)))
    found: dict[str, matching.Hits] = {}
    words_now: list[str] = []
    parts: dict[str, str] = {}
    for token in required:
        hits = _token(corpus, token)
        if not hits and has_cjk(token):
            hits = matching.synonyms(corpus, token)
        if not hits and has_cjk(token):
            hits = _sounding_alike(corpus, token)
        if not hits and has_cjk(token):
            words, characters, covered = _parts(corpus, token)
            for piece in (*words, *characters):
                found[piece] = matching.substring(corpus, piece, "partial") or matching.synonyms(corpus, piece)
                words_now.append(piece)
                parts[piece] = token
            if (words or characters) and not covered:  # the word stays asked for, found nowhere: a partial answer
                found[token] = {}
                words_now.append(token)
            if words or characters:
                continue
        found[token] = hits
        words_now.append(token)
    for token in optional:
        found[token] = _token(corpus, token)
    return found, list(dict.fromkeys(words_now)), optional, parts


class _Parts(NamedTuple):
    words: list[str]  # the known words it holds, and runs that begin or end one
    characters: list[str]  # its rare characters outside them
    covered: bool  # known words hold half of it or more: they answer it (木耳子 is 木耳)


def _parts(corpus: Corpus, token: str) -> _Parts:
    """A Chinese word found nowhere, as the words it holds (split_into_words), and, when known
    words hold less than half of it, its rare characters outside them: a part of a word (标准
    of 标准化) says less than a word, and 标准厂区 is found by its 厂 as well. A part that is a
    stop word (有, 在, 能) is not looked for: 在柞水看病能用西安的医保卡 asks about 医保. Unless
    the known words cover it, facts found by its parts are a partial answer to it."""
    stop_words = matching.chinese_stop_words()
    words = [word for word in matching.split_into_words(corpus, token) if word != token and word not in stop_words]
    known = matching.known_words(corpus)
    if 2 * sum(len(word) for word in words if word in known) >= len(token):  # 木耳子 is 木耳
        return _Parts(words, [], covered=True)
    return _Parts(words, matching.rare_characters(corpus, token, words, RARE_CHARACTER_SHARE), covered=False)


def _regional(corpus: Corpus, word: str) -> str:
    """A word in traditional characters whose plain conversion leaves Chinese words the text
    does not hold (軟體 → 软体), in the Taiwan or Hong Kong reading that finds the most of its
    words whole (软件); else as typed. OpenCC is loaded only for such words."""
    if not has_cjk(word) or not needs_t2s(normalise(word)):
        return word
    readings = [word, *regional(word)]
    return max(readings, key=lambda reading: _whole_words(corpus, reading))  # the first of the best


def _whole_words(corpus: Corpus, word: str) -> int:
    return sum(bool(matching.substring(corpus, token)) for token in _query_tokens([word]) if has_cjk(token))


def _set_aside_common(
    corpus: Corpus, found: dict[str, matching.Hits], required: list[str], optional: list[str]
) -> tuple[list[str], list[str], list[str]]:
    """The required words with those in most facts made optional, as long as a rarer word is
    left to decide: in `Zhashui restroom` the county's name, which every fact holds, must not
    answer alone. A query of common words only keeps them all."""
    common = [word for word in required if len(found[word]) > corpus.count * COMMON_SHARE]
    rare = [word for word in required if word not in common]
    return (rare, [*common, *optional], common) if rare else (required, optional, [])


def idf(count: int, holding: int) -> float:
    """How rare a word is among count facts, holding of which hold it: BM25's inverse document
    frequency (as FTS5 and Lucene weigh terms), never negative."""
    return math.log(1 + (count - holding + 0.5) / (holding + 0.5))


def _token(corpus: Corpus, token: str) -> matching.Hits:
    if not re.search("[a-z]", token):
        return matching.substring(corpus, token)
    hits = matching.english(corpus, token)
    if not any(hit.tier < matching.PREFIX for hit in hits.values()):
        for phrase in matching.pinyin_phrases(corpus, token):
            hits = matching.better(hits, matching.substring(corpus, phrase, "pinyin", phrase))
    if not any(hit.tier < matching.PREFIX for hit in hits.values()):
        hits = matching.better(hits, matching.synonyms(corpus, token))
    hits = matching.better(hits, matching.prefixed(corpus, token))
    return hits or _typos(corpus, token)


def _sounding_alike(corpus: Corpus, token: str) -> matching.Hits:
    """A Chinese word found nowhere, found as the words it sounds like, ranked as a typo."""
    hits: matching.Hits = {}
    for phrase in matching.homophones(corpus, token):
        hits = matching.better(hits, matching.substring(corpus, phrase, "typo", phrase))
    return hits


def _typos(corpus: Corpus, token: str) -> matching.Hits:
    """A word within the typing distance allowed it, in English or in pinyin (tier 3)."""
    hits = matching.typos(corpus, token)
    for phrase in matching.pinyin_typos(corpus, token):
        hits = matching.better(hits, matching.substring(corpus, phrase, "typo", phrase))
    return hits


def _join_pinyin(corpus: Corpus, words: list[str]) -> list[str]:
    """Runs of words that spell Chinese in pinyin only when written together (mu er, zha shui
    mu er, mu4 er3) become one word; a run of English words of the fact base is left alone."""
    joined, at = [], 0
    while at < len(words):
        end = next(
            (
                e
                for e in matching.runs(words, at)
                if all(re.fullmatch("[a-z]+", w) for w in words[at:e])
                and not all(matching.in_english(corpus, w) for w in words[at:e])
                and matching.pinyin_phrases(corpus, "".join(words[at:e]))
            ),
            at + 1,
        )
        joined.append("".join(words[at:end]))
        at = end
    return joined


def _combine(
    found: dict[str, matching.Hits], required: list[str], optional: list[str], weights: dict[str, float]
) -> Mapping[int, Match]:
    """Each fact's Match over the query's words (a query of one word: _OneWord, faster)."""
    if len(required) == 1 and not optional:
        return _OneWord(required[0], found[required[0]], weights.get(required[0], 0.0))
    return _Combined(found, required, optional, weights)


def _most_words(matches: Mapping[int, Match] | None) -> int:
    """How many of the required words the facts that match the most of them match."""
    return matches.most_words() if isinstance(matches, _Shared) and matches else 0


Key = TypeVar("Key", bound=Hashable)


class _Shared(Mapping[int, Match], Generic[Key]):
    """The matches of a query, each made when it is asked for, once per key: the facts found the
    same way share their Hits (matching.hits_of), and a fact's key is its Hit or the tuple of
    its words' Hits, so each Match, each place in the order (bucket()) and each JSON of a match
    (shared_matches()) is worked out once per key, not per fact (a common word is in 93,156 of
    100,000 facts, and a table shows 20 of them); nothing changes a Match once made."""

    def __init__(self, keys: Mapping[int, Key]) -> None:
        self._keys = keys
        self._matches = _PerKey(self._match)

    def _match(self, key: Key) -> Match:
        raise NotImplementedError

    def _ranks(self) -> Mapping[Key, int]:
        """Each key's place in relevance order but for bulletin order; 0 is the best."""
        raise NotImplementedError

    def most_words(self) -> int:
        """How many of the required words the facts that match the most of them match."""
        return max((self._matches[key].words for key in set(self._keys.values())), default=0)

    def __getitem__(self, i: int) -> Match:
        return self._matches[self._keys[i]]

    def __iter__(self) -> Iterator[int]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, i: object) -> bool:
        return i in self._keys

    def bucket(self, i: int) -> int:
        """_relevance() of fact i but for bulletin order, as one number; 0 is the best."""
        return self._ranks()[self._keys[i]]

    def buckets(self, facts: Sequence[int]) -> list[int]:
        """bucket() of each of many facts, without a call of Python per fact."""
        return list(map(self._ranks().__getitem__, map(self._keys.__getitem__, facts)))

    def shared(self, facts: Sequence[int]) -> tuple[Sequence[Hashable], dict[Hashable, Match | None]]:
        """shared_matches() of these facts: their keys, and the Match of each."""
        keys = list(map(self._keys.__getitem__, facts))
        return keys, {key: self._matches[key] for key in set(keys)}


class _Combined(_Shared[tuple[matching.Hit | None, ...]]):
    """The matches of a query of several words: a fact is keyed by the tuple of its words' Hits
    (made by zip and map, with no call of Python per fact), its Match their sums. Two common
    words (柞水 县) are in most facts of a large base. A fact has a required word; a word that may
    match (a stop word, or one set aside as common: 柞水 of 柞水 木耳) is only added to it."""

    def __init__(
        self, found: dict[str, matching.Hits], required: list[str], optional: list[str], weights: dict[str, float]
    ) -> None:
        self._words, self._required, self._weights = (*required, *optional), len(required), weights
        facts = sorted(set().union(*(found[word] for word in required)))
        super().__init__(
            dict(zip(facts, zip(*(map(found[word].get, facts) for word in self._words), strict=True), strict=True))
        )
        self._levels: dict[tuple[matching.Hit | None, ...], int] | None = None

    def _match(self, key: tuple[matching.Hit | None, ...]) -> Match:
        terms: dict[str, TermMatch] = {}
        fields = words = tiers = primaries = claimed = optional = 0
        weight = 0.0
        for n, (word, hit) in enumerate(zip(self._words, key, strict=True)):
            if hit is None:
                continue
            terms[word] = TermMatch({"as": hit.found_as, "how": hit.how})
            fields |= hit.fields
            weight += self._weights.get(word, 0.0)
            if n < self._required:
                words, tiers = words + 1, tiers + hit.tier
                primaries, claimed = primaries + primary(hit.fields), claimed + in_claims(hit.fields)
            else:
                optional += 1
        return Match(terms, fields, words, weight, tiers, primaries, claimed, optional)

    def with_words(self, count: int) -> "_Combined":
        """Only the facts that match count of the required words."""
        distinct = set(self._keys.values())
        kept = {key for key in distinct if self._matches[key].words == count}
        if len(kept) == len(distinct):
            return self
        narrowed = copy.copy(self)
        narrowed._keys = {i: key for i, key in self._keys.items() if key in kept}
        narrowed._levels = None
        return narrowed

    def _ranks(self) -> dict[tuple[matching.Hit | None, ...], int]:
        """The rank of each key's _relevance() among those of every key here."""
        if self._levels is None:
            relevance = {key: _relevance(self._matches[key], 0)[:-1] for key in set(self._keys.values())}
            rank = {level: n for n, level in enumerate(sorted(set(relevance.values())))}
            self._levels = {key: rank[level] for key, level in relevance.items()}
        return self._levels


class _OneWord(_Shared[matching.Hit]):
    """The matches of a query of one word: a fact is keyed by its Hit, and its place in the
    order is a number worked out from the Hit alone (_bucket())."""

    def __init__(self, word: str, hits: matching.Hits, weight: float) -> None:
        self._word, self._weight = word, weight
        super().__init__(hits)
        self._buckets = _PerKey(_bucket)

    def _match(self, hit: matching.Hit) -> Match:
        terms = {self._word: TermMatch({"as": hit.found_as, "how": hit.how})}
        claimed = int(in_claims(hit.fields))
        return Match(terms, hit.fields, 1, self._weight, hit.tier, int(primary(hit.fields)), claimed, 0)

    def most_words(self) -> int:
        return 1  # a fact is here only for its one word

    def _ranks(self) -> Mapping[matching.Hit, int]:
        return self._buckets


K = TypeVar("K", bound=Hashable)


class _PerKey(dict[K, T]):
    """What a function makes of a key (a Hit, a tuple of them), made the first time it is asked for."""

    def __init__(self, make: Callable[[K], T]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: K) -> T:
        made = self[key] = self._make(key)
        return made


def _bucket(hit: matching.Hit) -> int:
    """A fact's relevance for a query of one word as one number: its tier, then whether the word
    is in its claims, tags or labels, then whether in the claims themselves."""
    return hit.tier * 4 + (not primary(hit.fields)) * 2 + (not in_claims(hit.fields))


def shared_matches(
    matches: Mapping[int, Match], facts: Sequence[int]
) -> tuple[Sequence[Hashable], dict[Hashable, Match | None]]:
    """A key of each fact's match, the same for facts found the same way, and the Match of each
    key (None for a fact matched by no word): what is made of a match, its JSON, say, is then
    made once per key, not per fact (it was a third of a large search's time)."""
    if isinstance(matches, _Shared):
        return matches.shared(facts)
    return [None] * len(facts), {None: None}  # no words, or none matched


def _corrections(
    found: dict[str, matching.Hits],
    candidates: Sequence[int],
    parts: dict[str, str],
    key: Callable[[int], Rank],
    reverse: bool,
) -> dict[str, TermMatch]:
    """For each word that no fact found holds as written, what it was found as most often (of
    as many, the one of the fact shown first); a long Chinese word cut into parts, as the
    parts found (朱家湾获得了 → 朱家湾 获得)."""
    corrections: dict[str, TermMatch] = {}
    for word, hits in found.items():
        if any(hits[i].how == "exact" for i in candidates if i in hits):
            continue  # held as written, by one fact at least (the first, mostly)
        shown = {i: hits[i] for i in candidates if i in hits}
        if shown:
            best = min(hit.tier for hit in shown.values())
            readings: dict[tuple[str, str], list[int]] = {}
            for i, hit in shown.items():
                if hit.tier == best:
                    readings.setdefault((hit.found_as, hit.how), []).append(i)
            first = max if reverse else min
            found_as, how = min(
                readings, key=lambda r: (-len(readings[r]), _position(first(readings[r], key=key), key, reverse))
            )
            typed = parts.get(word, word)
            if typed in corrections:  # another part of the same word
                found_as = f"{corrections[typed]['as']} {found_as}"
            corrections[typed] = TermMatch({"as": found_as, "how": how})
    return corrections


def match_record(match: Match) -> MatchRecord:
    return {"terms": match.terms, "fields": field_names(match.fields)}


# -- filters ----------------------------------------------------------------------------------
def filter_facts(corpus: Corpus, filters: Filters, candidates: Iterable[int]) -> list[int]:
    kept = list(candidates)
    kind_numbers = {n for n, kind in enumerate(Kind) if kind in filters.kinds}
    for column, wanted in (
        ("category", filters.categories),
        ("source", filters.sources),
        ("year", filters.years),
        ("kind", kind_numbers),
    ):
        if wanted:
            values = corpus.numbers(column)
            kept = [i for i in kept if values[i] in wanted]
    if filters.sections:
        sections = corpus.json("section")
        kept = [i for i in kept if sections[i] in filters.sections]
    if filters.tags:
        tags = corpus.json("tags")
        kept = [i for i in kept if not filters.tags.isdisjoint(tags[i])]
    if filters.on_figures:
        within = facts_within(corpus, filters)
        kept = [i for i in kept if i in within]
    return kept


def amounts_within(amounts: list[list[str]], filters: Filters) -> "list[tuple[str, Decimal]]":
    """A fact's (base unit, base value) pairs that pass the unit, minimum and maximum filters."""
    from decimal import Decimal

    values = ((unit, Decimal(value)) for unit, value in amounts)
    return [(unit, value) for unit, value in values if filters.admits(unit, value)]


# -- order ------------------------------------------------------------------------------------
class Order(NamedTuple):
    """How facts are ordered: each fact's key (unique: the last part is its index), and for a
    sort by value, the base units it keeps together, in order."""

    key: Callable[[int], Rank]
    units: list[str]
    # a query of words: its matches, whose bucket() is relevance as one number per fact,
    # bulletin order within it; the first k are then taken in one pass that ends once the best
    # number holds k facts, and all of them sorted without a call of Python per fact
    buckets: "_Shared[Any] | None" = None


def _order(corpus: Corpus, query: Query, candidates: list[int], matches: Mapping[int, Match]) -> Order:
    sort = query.sort or (SortKey.RELEVANCE if matches else SortKey.BULLETIN)
    if sort is SortKey.RELEVANCE and isinstance(matches, _Shared):
        bucket = matches.bucket
        return Order(lambda i: (bucket(i), i), [], matches)
    if sort is SortKey.RELEVANCE:
        return Order(lambda i: _relevance(matches.get(i), i), [])
    if sort is SortKey.YEAR:
        years = corpus.numbers("year")
        return Order(lambda i: (years[i], i), [])
    if sort is SortKey.VALUE:
        return _by_value(corpus, query.filters, candidates)
    return Order(lambda i: (i,), [])


def _first_in_order(candidates: list[int], order: Order, limit: int | None, reverse: bool) -> list[int]:
    """The facts to show: all in order, or the first limit of them, selected without sorting
    the rest (a table of 20 among 90,000 hits)."""
    if limit is None or limit >= len(candidates):
        if order.buckets is None:
            return sorted(candidates, key=order.key, reverse=reverse)
        facts = sorted(candidates)
        numbers = order.buckets.buckets(facts)
        ordered = list(map(facts.__getitem__, sorted(range(len(facts)), key=numbers.__getitem__)))  # stable
        return ordered[::-1] if reverse else ordered  # the keys (bucket, fact) are unique
    if order.buckets is not None and not reverse:
        return _first_by_bucket(candidates, order.buckets.bucket, limit)
    select = heapq.nlargest if reverse else heapq.nsmallest
    return select(limit, candidates, key=order.key)


def _first_by_bucket(candidates: list[int], bucket: Callable[[int], int], limit: int) -> list[int]:
    """The first limit facts by bucket, then bulletin order, in one pass over them in bulletin
    order that ends as soon as bucket 0, the best, holds limit facts (柞水: after 20)."""
    kept: dict[int, list[int]] = {}
    for i in sorted(candidates):
        number = bucket(i)
        facts = kept.setdefault(number, [])
        if len(facts) < limit:
            facts.append(i)
            if number == 0 and len(facts) == limit:
                break
    return [i for number in sorted(kept) for i in kept[number]][:limit]


def _position(i: int, key: Callable[[int], Rank], reverse: bool) -> Rank:
    """A fact's place in the order shown: its key, negated when the order is reversed."""
    return tuple(-part for part in key(i)) if reverse else key(i)


def _relevance(match: Match | None, index: int) -> tuple[float, ...]:
    """Meilisearch's rules in order: more words matched, and of as many, rarer ones (their
    idf), better tiers (exact before forms, forms before prefixes, typos last), more words in
    the claims, tags and labels and of those more in the claims themselves (its attribute
    rule), more stop words and common words matched, then bulletin order."""
    if match is None:
        return (0, 0, 0, 0, 0, 0, index)
    weight = round(match.weight, 9)  # the same words in another order weigh the same
    return (-match.words, -weight, match.tiers, -match.primary, -match.claimed, -match.optional, index)


def _by_value(corpus: Corpus, filters: Filters, candidates: list[int]) -> Order:
    """Largest figure first, within each base unit (in the order of their first appearance);
    facts without a figure that passes the filters last."""
    amounts = corpus.json("amounts")
    largest = {}
    for i in candidates:
        values = amounts_within(amounts[i], filters)
        if values:
            largest[i] = max(values, key=lambda pair: pair[1])
    units = list(dict.fromkeys(unit for unit, _ in (largest[i] for i in sorted(largest))))
    group = {unit: n for n, unit in enumerate(units)}

    def key(i: int) -> Rank:
        if i not in largest:
            return (len(units), 0, i)
        unit, value = largest[i]
        return (group[unit], -value, i)

    return Order(key, units)


# -- ids --------------------------------------------------------------------------------------
def suggest_ids(ids: Sequence[str], wanted: str, limit: int = 3) -> list[str]:
    """The ids close to one that was not found (suggest.close_to)."""
    return close_to(wanted, ids, limit=limit)
