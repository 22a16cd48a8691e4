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
"""

from __future__ import annotations

import itertools
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from zhashui_cli.factfile.as_records import category_record, fact_record, source_record, unit_record
from zhashui_cli.factfile.folding import fold_many
from zhashui_cli.factfile.model import Fact, FactFile, Kind
from zhashui_cli.records import json_line, json_text

from .corpus import FIELD_SEPARATOR, FORMAT, LINE_END, TEXT_FIELDS, byteorder, typecode
from .text import has_cjk, is_cjk, latin_words, without_punctuation


def build(file: FactFile, source_paths: Mapping[str, str]) -> tuple[dict[str, Any], bytes]:
    """The header and body of the index of a fact file; source_paths maps source id → file."""
    facts = file.facts
    sections: dict[str, bytes] = {}
    records = [json_line(fact_record(fact)) + LINE_END for fact in facts]
    sections["records"] = b"".join(records)
    _add_array(sections, "records.offsets", _offsets(records))
    _add_array(sections, "records.crcs", (zlib.crc32(record[:-1]) for record in records))
    exact = _exact_texts(file)
    _add_text(sections, "exact", exact)
    _add_text(sections, "plain", [[without_punctuation(field) for field in fields] for fields in exact])
    _add_words(sections, exact)
    _add_chinese_words(sections, file, exact)
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
    layout, position = {}, 0
    for name, data in sections.items():
        layout[name] = [position, len(data), zlib.crc32(data)]
        position += len(data)
    header = {
        "format": FORMAT,
        "byteorder": byteorder(),
        "count": len(facts),
        "units": [unit_record(u) for u in file.units.declared],
        "categories": [category_record(c) for c in file.categories],
        "sources": [dict(source_record(s), path=source_paths[s.id]) for s in file.sources],
        "sections": layout,
        "size": position,
    }
    return header, b"".join(sections.values())


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


# -- the Latin vocabulary -------------------------------------------------------------------------
def _add_words(sections: dict[str, bytes], texts: Sequence[Sequence[str]]) -> None:
    """json.words: word → [stem, canonical stem, start, count] of its entries in
    array.postings, each (fact << 8 | bits of the fields it stands in)."""
    import Stemmer

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
        words[word] = [stem, spelling.get(stem, stem), len(entries), len(postings[word])]
        entries += (fact << 8 | bits for fact, bits in sorted(postings[word].items()))
    sections["json.words"] = json_text(words).encode()
    sections["json.spelling"] = json_text(spelling).encode()
    _add_array(sections, "postings", entries)


def spelling_stems(stemmer: Any) -> dict[str, str]:
    """Stem → the one stem of all its spellings, from the British and American word pairs of
    the eng package (MIT licence): labour and labor → labor, revitalis and revit → revit.
    Stemming both sides extends a pair to every form of the word (revitalisation is not in
    the list; revitalise is), and stems linked through several pairs (specialise/specialize,
    speciality/specialty) are made one."""
    from importlib.resources import files

    listing = files("eng").joinpath("words.txt").read_text(encoding="utf-8")
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


def _add_chinese_words(sections: dict[str, bytes], file: FactFile, texts: Sequence[Sequence[str]]) -> None:
    """json.zh_words: the Chinese words of the fact base; json.pinyin and json.initials: the
    words each toneless pinyin (muer) and each string of initials (zsme) spells."""
    import rjieba
    from pypinyin import lazy_pinyin

    words: set[str] = set()
    for fields in texts:
        for text in fields:
            if has_cjk(text):
                words.update(w for w in rjieba.cut(without_punctuation(text)) if len(w) >= _MIN_WORD and has_cjk(w))
    tags = fold_many([tag for fact in file.facts for tag in fact.tags if has_cjk(tag)])
    words.update(without_punctuation(tag) for tag in tags)
    pinyin: dict[str, list[str]] = {}
    initials: dict[str, list[str]] = {}
    for word in sorted(words):
        if not all(is_cjk(char) for char in word):
            continue
        syllables = lazy_pinyin(word)
        pinyin.setdefault("".join(syllables), []).append(word)
        if len(word) >= 3:  # a syllable's first letter is its initial (Style.FIRST_LETTER)
            initials.setdefault("".join(syllable[0] for syllable in syllables), []).append(word)
    sections["json.zh_words"] = json_text(sorted(words)).encode()
    sections["json.pinyin"] = json_text(pinyin).encode()
    sections["json.initials"] = json_text(initials).encode()
    sections["json.char_pinyin"] = json_text(_character_readings(words)).encode()


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
