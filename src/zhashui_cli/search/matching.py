"""How one query word is found: the facts that hold it, where, and as what.

A word is found in tiers, after the ranking rules of Meilisearch (docs/search.md):

    0 exact     the word itself: a whole Latin word, or Chinese or a number as a substring
    1 form      another form of the word (hospitals → hospital), by their Snowball stems
    1 spelling  the other spelling of it (labor → labour, revitalization → revitalisation)
    1 pinyin    Chinese words it spells in pinyin (muer, mu er, mù ěr, mu4 er3, lvyou, zsme)
    2 prefix    the start of a longer word (tea → teaching), for words of 3 letters or more
    2 partial   a long Chinese word the fact base does not hold, cut into words it does
    2 synonym   a word the fact base does not hold, found as the words a thesaurus gives for it
    3 typo      a word within 1 edit (5 to 8 letters) or 2 edits (9 or more) of it

Typos are looked for only when nothing else is found, and pinyin only when the word is no
English word of the fact base. Everything here reads the index; nothing is computed from
the facts themselves at query time, and neither pypinyin nor rjieba is imported.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from functools import cache
from itertools import islice, product
from pathlib import Path
from typing import Any, NamedTuple

from zhashui_cli.index.corpus import Corpus
from zhashui_cli.index.text import has_cjk

EXACT, FORM, PREFIX, TYPO = 0, 1, 2, 3
TIER = {
    "exact": EXACT,
    "form": FORM,
    "spelling": FORM,
    "pinyin": FORM,
    "prefix": PREFIX,
    "partial": PREFIX,
    "synonym": PREFIX,
    "typo": TYPO,
}
_MAX_PHRASES = 16  # pinyin spelling several phrases at once: how many are looked for
_MAX_READINGS = 64  # a Chinese text read in pinyin: how many combinations of heteronyms are tried
_NO_PINYIN = r"[^a-z]"  # compiled by re when first used


class Hit(NamedTuple):
    tier: int
    fields: int  # bits of index.TEXT_FIELDS
    found_as: str  # the word of the fact it was found as
    how: str


Hits = dict[int, Hit]  # fact → how a word was found in it


def hits_of(word: str, how: str, tier: int, fields: dict[int, int]) -> Hits:
    """The hits of facts holding word in these fields (fact → bits), one Hit for the facts
    with the same fields: a word in most facts of a large base makes a few, not 93,000."""
    made = _HitOfFields(word, how, tier)
    return dict(zip(fields, map(made.__getitem__, fields.values()), strict=True))  # no Python call per fact


def hits_of_entries(word: str, how: str, tier: int, entries: Sequence[int]) -> Hits:
    """hits_of() of the index's entries of a key or a word (fact << 8 | bits: corpus.by_fact),
    made from them in one pass rather than through a dict of fact → bits: of the search of a
    word that 93,000 facts hold, 15 ms less."""
    made = _HitOfFields(word, how, tier)
    return dict(zip(map((8).__rrshift__, entries), map(made.__getitem__, map((0xFF).__and__, entries)), strict=True))


class _HitOfFields(dict[int, Hit]):
    """The one Hit of word for each set of fields (their bits), made when first asked for."""

    def __init__(self, word: str, how: str, tier: int) -> None:
        super().__init__()
        self.word, self.how, self.tier = word, how, tier

    def __missing__(self, bits: int) -> Hit:
        hit = self[bits] = Hit(self.tier, bits, self.word, self.how)
        return hit


def better(hits: Hits, more: Hits) -> Hits:
    """Both sets of hits; for a fact in both, the better one (fields of equal ones merged)."""
    merged = dict(hits)
    for fact, hit in more.items():
        known = merged.get(fact)
        if known is None or hit.tier < known.tier:
            merged[fact] = hit
        elif hit.tier == known.tier:
            merged[fact] = known._replace(fields=known.fields | hit.fields)
    return merged


# -- the vocabularies, as the index stores them ----------------------------------------------
class Vocabulary:
    """The Latin words of the fact base (index/build.py, _add_words): sorted, each with its
    stem and its facts in array.postings; the words of each stem and of each canonical
    (spelling-folded) stem. Read as lists and arrays, so that the 135,000 words of a large base
    cost a split and a few bisections, not a table decoded and inverted on every search."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.sorted = corpus.strings("words")
        self.stems = corpus.strings("stems")

    def __contains__(self, word: str) -> bool:
        return _line(self.sorted, word) is not None

    def stem(self, word: str) -> str:
        """The stem of a word of the vocabulary."""
        line: int = self.corpus.numbers("words.stem")[_known_line(self.sorted, word)]
        return self.stems[line]

    def with_stem(self, stem: str) -> list[str]:
        return self._words_of("stems", self.stems, stem)

    def with_canonical(self, canonical: str) -> list[str]:
        return self._words_of("canonicals", self.corpus.strings("canonicals"), canonical)

    def _words_of(self, name: str, values: list[str], value: str) -> list[str]:
        n = _line(values, value)
        if n is None:
            return []
        offsets, words = self.corpus.numbers(f"{name}.offsets"), self.corpus.numbers(f"{name}.words")
        return [self.sorted[word] for word in words[offsets[n] : offsets[n + 1]]]

    def facts(self, word: str, how: str, tier: int) -> Hits:
        offsets, n = self.corpus.numbers("words.offsets"), _known_line(self.sorted, word)
        entries = self.corpus.numbers("postings")[offsets[n] : offsets[n + 1]]
        return hits_of_entries(word, how, tier, entries)

    def canonical(self, stem: str) -> str:
        spelling: dict[str, str] = self.corpus.json("spelling")
        return spelling.get(stem, stem)


def _line(lines: list[str], value: str) -> int | None:
    """Where a value stands in sorted lines, or None."""
    n = bisect_left(lines, value)
    return n if n < len(lines) and lines[n] == value else None


def _known_line(lines: list[str], value: str) -> int:
    n = _line(lines, value)
    if n is None:
        raise KeyError(value)  # a bug: the word was not looked for among these lines first
    return n


def vocabulary(corpus: Corpus) -> Vocabulary:
    return corpus.memo("vocabulary", Vocabulary)


@cache
def _stemmer() -> Any:
    import Stemmer  # PyStemmer: Snowball compiled, a millisecond to import

    return Stemmer.Stemmer("english")


def stem(word: str) -> str:
    return word if word[:1].isdigit() else str(_stemmer().stemWord(word))


# -- Latin words ------------------------------------------------------------------------------
def english(corpus: Corpus, word: str) -> Hits:
    """The facts holding the word, one of its forms or its other spelling (tiers 0 and 1)."""
    vocab = vocabulary(corpus)
    hits: Hits = {}
    for other, how, tier in _english_words(vocab, word):
        found = vocab.facts(other, how, tier)
        hits = better(hits, found) if hits else found
    return hits


def in_english(corpus: Corpus, word: str) -> bool:
    """Whether english() finds the word in any fact, without making its hits (zhashui stands in
    every fact of a large base: a pinyin run is tested word by word). Every word of the
    vocabulary stands in a fact."""
    return any(True for _ in _english_words(vocabulary(corpus), word))


def _english_words(vocab: Vocabulary, word: str) -> Iterator[tuple[str, str, int]]:
    """The words of the vocabulary english() finds a word as, with how and its tier: itself,
    its other forms (its stem's), its other spellings (its canonical stem's)."""
    if word in vocab:
        yield word, "exact", EXACT
    if word[:1].isdigit():
        return
    own = stem(word)
    for other in vocab.with_stem(own):
        if other != word:
            yield other, "form", FORM
    for other in vocab.with_canonical(vocab.canonical(own)):
        if vocab.stem(other) != own:
            yield other, "spelling", FORM


def prefixed(corpus: Corpus, word: str) -> Hits:
    """The facts holding a longer word that starts with this one (tier 2)."""
    vocab = vocabulary(corpus)
    if len(word) < 3 or word[:1].isdigit():
        return {}
    hits: Hits = {}
    for other in vocab.sorted[bisect_left(vocab.sorted, word) :]:
        if not other.startswith(word):
            break
        if other != word:
            hits = better(hits, vocab.facts(other, "prefix", PREFIX))
    return hits


def allowed_typos(word: str) -> int:
    """Meilisearch's rule: no typo under 5 letters, one up to 8, two from 9."""
    return 0 if len(word) < 5 else 1 if len(word) < 9 else 2


def typos(corpus: Corpus, word: str) -> Hits:
    """The facts holding a word within the allowed edits of this one, or whose stem is within
    the edits allowed its stem (tier 3); a swap of two letters is one edit."""
    edits = allowed_typos(word)
    if not edits or not word.isalpha():
        return {}
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    vocab = vocabulary(corpus)
    near = {
        match
        for match, _, _ in process.extract(word, vocab.sorted, scorer=OSA.distance, score_cutoff=edits, limit=None)
    }
    word_stem = stem(word)
    stem_edits = allowed_typos(word_stem)  # by the length of what is compared: punish is no typo of push
    for near_stem, _, _ in process.extract(
        word_stem, vocab.stems, scorer=OSA.distance, score_cutoff=stem_edits, limit=None
    ):
        near.update(vocab.with_stem(near_stem))
    hits: Hits = {}
    for other in sorted(near):
        hits = better(hits, vocab.facts(other, "typo", TYPO))
    return hits


def typo_words(corpus: Corpus, word: str, limit: int = 3) -> list[str]:
    """The words of the fact base nearest to a word, for "did you mean": within one edit more
    than a search allows it, and none of one or two letters, which that reaches from anything."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    choices = [other for other in vocabulary(corpus).sorted if len(other) > 2]
    found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=allowed_typos(word) + 1, limit=limit)
    return [match for match, _, _ in sorted(found, key=lambda item: (item[1], item[0]))]


def synonyms(corpus: Corpus, word: str) -> Hits:
    """The facts holding what a thesaurus says a word found nowhere means (tier 2): restroom →
    toilets, 洗手间 → 厕所 and toilets (json.synonyms, built from CC-CEDICT and Cilin); an
    English word by its stem, as the vocabulary's forms are found."""
    table: dict[str, list[str]] = corpus.json("synonyms")
    hits: Hits = {}
    vocab = vocabulary(corpus) if not has_cjk(word) else None
    for target in table.get(stem(word) if vocab else word, []):
        if has_cjk(target) or " " in target:  # Chinese, or English of several words: as text
            more = hits_of(target, "synonym", PREFIX, corpus.find("plain", target))
        else:
            more = vocabulary(corpus).facts(target, "synonym", PREFIX)
        hits = better(hits, more)
    return hits


# -- pinyin -----------------------------------------------------------------------------------
def pinyin_phrases(corpus: Corpus, word: str) -> list[str]:
    """The Chinese phrases a toneless pinyin word spells, from the fact base's own words:
    one word (muer → 木耳), a run of them (zhashuimuer → 柞水木耳), or the initials of one of
    three characters or more (zsme → 柞水木耳). ü may be written v or u (lvyou, luyou)."""
    if re.search(_NO_PINYIN, word):
        return []
    pinyin = _pinyin(corpus)
    phrases: list[str] = []
    for variant in _u_variants(word):
        phrases += _spell(variant, pinyin)
    if len(word) >= 3:
        phrases += corpus.json("initials").get(word, [])
    return list(dict.fromkeys(phrases))[:_MAX_PHRASES]


def pinyin_typos(corpus: Corpus, word: str) -> list[str]:
    """The Chinese phrases a pinyin word spells with one slip (zhashuimuerr, zhasuimuer,
    zhashiumuer → 柞水木耳): the typo rule of English, over the pinyin of the fact base's own
    words, for words of 5 letters or more. Every word one edit away (a letter dropped, added,
    changed, or two swapped) is spelled as pinyin_phrases spells an exact one."""
    if not allowed_typos(word) or re.search(_NO_PINYIN, word):
        return []
    pinyin = _pinyin(corpus)
    phrases: list[str] = []
    for variant in sorted(_one_edit(word) - {word}):
        phrases += _spell(variant, pinyin)
    return list(dict.fromkeys(phrases))[:_MAX_PHRASES]


def _one_edit(word: str) -> set[str]:
    """Every string of letters one edit from word (Norvig's spelling corrector's edits1)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:n], word[n:]) for n in range(len(word) + 1)]
    return {
        *(left + right[1:] for left, right in splits if right),
        *(left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1),
        *(left + c + right[1:] for left, right in splits if right for c in letters),
        *(left + c + right for left, right in splits for c in letters),
    }


def homophones(corpus: Corpus, text: str) -> list[str]:
    """The Chinese phrases of the fact base that a Chinese text sounds like (柞水木尔 →
    柞水木耳): the text read in pinyin, character by character, in each of their readings
    (json.char_pinyin), and spelled as pinyin_phrases spells pinyin. An IME slip types a
    character of the right sound and the wrong meaning."""
    readings: dict[str, str] = corpus.json("char_pinyin")
    if len(text) < 2 or not all(char in readings for char in text):
        return []
    pinyin = _pinyin(corpus)
    phrases: list[str] = []
    for combination in islice(product(*(readings[char].split() for char in text)), _MAX_READINGS):
        phrases += _spell("".join(combination), pinyin)
    return [phrase for phrase in dict.fromkeys(phrases) if phrase != text][:_MAX_PHRASES]


def _u_variants(word: str) -> list[str]:
    """Pinyin writes ü as u after j, q, x and y, but not after l and n (lu 路, lü 旅)."""
    variants = [word]
    for match in re.finditer(r"(?<=[ln])u", word):
        variants += [v[: match.start()] + "v" + v[match.end() :] for v in variants]
    return variants[:8]


class _Pinyin(NamedTuple):
    spelled: dict[str, list[str]]  # json.pinyin: the pinyin of a Chinese word → the words
    longest: int  # the longest pinyin of them


def _pinyin(corpus: Corpus) -> _Pinyin:
    """json.pinyin with the length of its longest key, found once: a word with a slip is spelled
    in each of its variants (390 of toliets, pinyin_typos), and measuring the 26,000 keys of a
    large base for each took 0.28 s."""

    def read(corpus: Corpus) -> _Pinyin:
        spelled: dict[str, list[str]] = corpus.json("pinyin")
        return _Pinyin(spelled, max(map(len, spelled), default=0))

    return corpus.memo("pinyin", read)


def _spell(word: str, pinyin: _Pinyin) -> list[str]:
    """Chinese phrases whose words' pinyin, run together, is the word."""
    spelled, longest = pinyin
    phrases: list[str] = []

    def walk(at: int, prefix: str) -> None:
        if len(phrases) >= _MAX_PHRASES:
            return
        if at == len(word):
            phrases.append(prefix)
            return
        for end in range(min(len(word), at + longest), at, -1):
            for chinese in spelled.get(word[at:end], []):
                walk(end, prefix + chinese)

    walk(0, "")
    return phrases


def pinyin_words(corpus: Corpus, word: str) -> list[str]:
    """Chinese words whose pinyin is near a pinyin word, for "did you mean"."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    spelled: dict[str, list[str]] = corpus.json("pinyin")
    near = process.extract(word, list(spelled), scorer=OSA.distance, score_cutoff=2, limit=3)
    return [chinese for key, _, _ in sorted(near, key=lambda item: (item[1], item[0])) for chinese in spelled[key]][:3]


# -- Chinese ----------------------------------------------------------------------------------
def substring(corpus: Corpus, text: str, how: str = "exact", found_as: str | None = None) -> Hits:
    entries = corpus.entries_of(text)
    if entries is not None:
        return hits_of_entries(found_as or text, how, TIER[how], entries)
    return hits_of(found_as or text, how, TIER[how], corpus.find("plain", text))


def known_words(corpus: Corpus) -> frozenset[str]:
    """The Chinese words of the fact base (as its segmenter cut its text) and of its thesauri."""
    return corpus.memo("zh_words", lambda c: frozenset(c.json("zh_words")) | frozenset(c.json("synonyms")))


def split_into_words(corpus: Corpus, text: str) -> list[str]:
    """A Chinese text cut into the words the fact base holds and those a thesaurus knows (and
    numbers), longest first: 柞水县木耳品牌价值 → 柞水县, 木耳, 品牌价值; 蘑菇种植 → 蘑菇, 种植.
    Between them, characters of no known word are kept as the longest run of two or more that
    begins or ends a word of the fact base (空气品质 → 空气, 品质: the text has 空气质量, which its
    segmenter keeps whole; 风力发电 is not 力发, which stands only inside 大力发展); a character
    of no such run is dropped."""
    known = known_words(corpus)
    longest = max(map(len, known), default=0)
    word_ends = [
        next((e for e in range(min(len(text), at + longest), at + 1, -1) if text[at:e] in known), None)
        for at in range(len(text))
    ]
    pieces, at = [], 0
    while at < len(text):
        if text[at].isdigit():
            end = at
            while end < len(text) and (text[end].isdigit() or text[end] == "."):
                end += 1
            pieces.append(text[at:end])
            at = end
            continue
        piece_end = word_ends[at] or _held_run_end(corpus, text, at, word_ends, longest)
        if piece_end is None:
            at += 1
        else:
            pieces.append(text[at:piece_end])
            at = piece_end
    return pieces


def _held_run_end(corpus: Corpus, text: str, at: int, word_ends: list[int | None], longest: int) -> int | None:
    """Where the longest run of two or more Chinese characters from at, at most longest, that
    starts no known word (word_ends: where the known word starting at each place ends) and
    that begins or ends a word of the fact base ends; None if there is none."""
    parts = corpus.memo("zh_word_parts", _word_beginnings_and_endings)
    run_end = at
    while run_end < min(len(text), at + longest) and has_cjk(text[run_end]):
        run_end += 1
        if run_end < len(text) and word_ends[run_end] is not None:
            break
    return next((e for e in range(run_end, at + 1, -1) if text[at:e] in parts), None)


def _word_beginnings_and_endings(corpus: Corpus) -> frozenset[str]:
    """The beginnings and endings, of two characters or more, of the fact base's Chinese words."""
    return frozenset(
        part for word in corpus.json("zh_words") for n in range(2, len(word) + 1) for part in (word[:n], word[-n:])
    )


@cache
def chinese_stop_words() -> frozenset[str]:
    """Chinese function words (有, 在, 能, 用, 给, 的): stopwords-iso's list, as
    scripts/gen_zh_stop_words.py vendors it beside this module."""
    lines = Path(__file__).with_name("zh_stop_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def rare_characters(corpus: Corpus, text: str, words: Sequence[str], share: float) -> list[str]:
    """The characters of a Chinese text outside the known words it was cut into that stand
    in few facts (at most share of them) and are no stop word: the informative parts of a
    word the fact base does not hold (标准厂区 → 标准, and 厂 beside it). A common character
    (县) tells nothing, nor a function word (有, 在, 能), however rare."""
    rest = text
    for word in words:
        rest = rest.replace(word, " ", 1)
    found, stop_words = [], chinese_stop_words()
    for char in dict.fromkeys(char for char in rest if has_cjk(char) and char not in stop_words):
        holding = len(corpus.find("plain", char))
        if 0 < holding <= corpus.count * share:
            found.append(char)
    return found


def sharing_characters(corpus: Corpus, text: str, limit: int = 3) -> list[str]:
    """Chinese words of the fact base sharing the most characters with a text."""
    chars = set(text)
    scored = [(len(chars & set(word)), word) for word in corpus.json("zh_words")]
    best = sorted((item for item in scored if item[0]), key=lambda item: (-item[0], len(item[1]), item[1]))
    return [word for _, word in best[:limit]]


def runs(tokens: Sequence[str], start: int) -> Iterator[int]:
    """The ends of runs of tokens from start, longest first (for pinyin typed with spaces)."""
    yield from range(min(len(tokens), start + 6), start + 1, -1)
