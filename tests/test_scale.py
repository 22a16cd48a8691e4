"""What makes a big fact base fast (issue 20) answers exactly as the plain way would.

Checked on a synthetic base (benchmarks/synthetic.py) big enough that the fast paths run: amount
filters that bisect sorted doubles against the same filters on the records' decimals; the first k
facts of an order selected without sorting against a full sort; records read as a whole section
against records read one by one; the index build's batch folding against folding one text.
"""

from __future__ import annotations

import bisect
import functools
import operator
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import zhashui_cli
from zhashui_cli.errors import CorruptIndexError
from zhashui_cli.factfile import folding
from zhashui_cli.index import cache, text
from zhashui_cli.index.corpus import Corpus, StreamedRecords

from .conftest import FACTS, load_script

SYNTHETIC_FACTS = 1200
ZHASHUI = str(Path(sys.executable).with_name("zhashui"))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(load_script("synthetic", "benchmarks").build(tmp_path_factory.mktemp("synthetic"), SYNTHETIC_FACTS))


@pytest.fixture(scope="module", params=["real", "synthetic"])
def base(request: pytest.FixtureRequest, synthetic: Path) -> zhashui_cli.FactBase:
    return zhashui_cli.open(FACTS if request.param == "real" else synthetic, cache=False)


Figure = tuple[str, str, Decimal]  # fact id, base unit, base value


def _figures(base: zhashui_cli.FactBase) -> list[Figure]:
    return [(fact["id"], f["base_unit"], Decimal(str(f["base_value"]))) for fact in base for f in fact["figures"]]


def _reference_within(figures: list[Figure], unit: str | None, low: Decimal | None, high: Decimal | None) -> list[str]:
    """The facts with a figure passing the filters, by the records' decimals, in bulletin order."""
    passing = (
        fact
        for fact, base_unit, value in figures
        if (unit is None or base_unit == unit) and (low is None or value >= low) and (high is None or value <= high)
    )
    return list(dict.fromkeys(passing))


def _bounds(figures: list[Figure]) -> list[Decimal]:
    """Base values, and values a hair either side of them (their doubles are the value's)."""
    values = sorted({value for _, _, value in figures})[::3]
    hair = Decimal("1e-18")
    return [*values, *(v + hair for v in values[::4]), *(v - hair for v in values[::4])]


def test_amount_filters_find_what_the_decimals_say(base: zhashui_cli.FactBase) -> None:
    figures = _figures(base)
    bounds = _bounds(figures)
    units = [None, *sorted({unit for _, unit, _ in figures})]
    checked = 0
    for n, bound in enumerate(bounds):
        unit = units[n % len(units)]
        for low, high in ((bound, None), (None, bound), (bound, bound), (bound, bound * 10)):
            found = base.search(unit=unit, minimum=low, maximum=high).ids
            assert found == _reference_within(figures, unit, low, high), (unit, low, high)
            checked += bool(found)
    assert checked > len(bounds)  # most filters find something: the comparison is not of empty lists


QUERIES = ["柞水", "木耳", "zhashui", "mu er", "贷款 2023", "", "村"]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("sort", [None, "relevance", "bulletin", "year", "value"])
@pytest.mark.parametrize("reverse", [False, True])
def test_the_first_k_are_the_first_k_of_the_whole_order(
    base: zhashui_cli.FactBase, query: str, sort: str | None, reverse: bool
) -> None:
    whole = base.search(query, sort=sort, reverse=reverse)
    for limit in (1, 3, 20):
        first = base.search(query, sort=sort, reverse=reverse, limit=limit)
        assert first.ids == whole.ids[:limit]
        assert (first.total, first.corrections, first.units, first.matched) == (
            whole.total,
            whole.corrections,
            whole.units,
            whole.matched,
        )


def _summed(
    found: dict[str, Any], required: list[str], optional: list[str], weights: dict[str, float]
) -> dict[int, Any]:
    """Each fact's Match as the sums over the query's words say it (engine.Match), made fact by
    fact: the facts with a required word, each word it has counted, an optional one only added."""
    from zhashui_cli.index.corpus import in_claims, primary
    from zhashui_cli.search import engine

    matches = {}
    for i in sorted(set().union(*(found[word] for word in required))):
        hits = {word: found[word][i] for word in (*required, *optional) if i in found[word]}
        counted = [hit for word, hit in hits.items() if word in required]
        matches[i] = engine.Match(
            {word: {"as": hit.found_as, "how": hit.how} for word, hit in hits.items()},
            functools.reduce(operator.or_, (hit.fields for hit in hits.values())),
            len(counted),
            sum(weights.get(word, 0.0) for word in hits),
            sum(hit.tier for hit in counted),
            sum(primary(hit.fields) for hit in counted),
            sum(in_claims(hit.fields) for hit in counted),
            len(hits) - len(counted),
        )
    return matches


SET_ASIDE = [
    ["柞水", "木耳"],
    ["zhashui", "toilets"],
    ["the", "loans"],
    ["2023", "of"],
    ["what", "is", "the", "brand", "value"],
]


@pytest.mark.parametrize(
    "words",
    [
        *(
            [word]
            for word in ("柞水", "木耳", "zhashui", "villages", "industry", "toliets", "muer", "洗手间", "restroom")
        ),
        *SET_ASIDE,
        ["柞水", "县"],
        ["zhashui", "county", "2023"],
        ["toilets", "roads", "loans"],
    ],
)
def test_the_matches_of_words_are_their_sums_and_their_buckets_their_relevance(
    base: zhashui_cli.FactBase, words: list[str]
) -> None:
    """engine._OneWord (one word) and _Combined (several, or with words that may match), whose
    matches are made once per way of being found, are what the sums fact by fact make; with
    several words, only the facts with the most of them are kept; and their buckets order the
    facts as the relevance of those sums does. Exact, typo, pinyin and synonym words; common
    words set aside beside rarer ones, stop words, and all of them common (柞水 县)."""
    from zhashui_cli.search import engine

    corpus = base._read(lambda corpus: corpus)
    found, required, optional, _ = engine._find(corpus, words)
    required, optional, _ = engine._set_aside_common(corpus, found, required, optional)
    assert all(found[word] for word in required)
    weights = {word: engine.idf(corpus.count, len(found[word])) for word in required}
    combined, summed = engine._combine(found, required, optional, weights), _summed(found, required, optional, weights)
    assert isinstance(combined, engine._OneWord if [*required, *optional] == words[:1] else engine._Combined)
    assert dict(combined) == summed
    best = engine._most_words(combined)
    assert best == max(match.words for match in summed.values())
    if isinstance(combined, engine._Combined):
        combined = combined.with_words(best)
        summed = {i: match for i, match in summed.items() if match.words == best}
        assert dict(combined) == summed
    by_bucket = sorted(summed, key=lambda i: (combined.bucket(i), i))
    assert by_bucket == sorted(summed, key=lambda i: engine._relevance(summed[i], i))
    assert combined.buckets(by_bucket) == [combined.bucket(i) for i in by_bucket]


@pytest.mark.parametrize("sort", [None, "year"])
def test_corrections_of_the_first_k_are_those_of_all(base: zhashui_cli.FactBase, sort: str | None) -> None:
    for reverse in (False, True):
        whole = base.search("toliets zhashiu", sort=sort, reverse=reverse)
        assert set(whole.corrections) == {"toliets", "zhashiu"}
        assert whole.corrections["toliets"]["as"] == "toilets"
        first = base.search("toliets zhashiu", sort=sort, reverse=reverse, limit=2)
        assert (first.ids, first.corrections) == (whole.ids[:2], whole.corrections)


@pytest.fixture(scope="module")
def built(synthetic: Path) -> tuple[dict[str, Any], bytes]:
    """The synthetic base's index: its header and body."""
    from zhashui_cli.factfile import store
    from zhashui_cli.index.build import build

    loaded = store.load(synthetic)
    return build(loaded.file, {s.id: str(store.source_path(synthetic, s.text)) for s in loaded.file.sources})


def test_many_records_are_read_as_one_checked_section(built: tuple[dict[str, Any], bytes]) -> None:
    corpus = Corpus(*built)
    everything = list(range(corpus.count))
    assert corpus.record_lines(everything) == [corpus.record_line(i) for i in everything]
    few = everything[:: corpus.count // 10]
    assert corpus.record_lines(few) == [corpus.record_line(i) for i in few]


def test_records_without_their_brace_are_the_records_cut_short(built: tuple[dict[str, Any], bytes]) -> None:
    """What a search adds its match to, read as one section (many) or one by one (few)."""
    corpus = Corpus(*built)
    for facts in (list(range(corpus.count)), list(range(0, corpus.count, corpus.count // 10))):
        assert [bytes(head) for head in corpus.record_heads(facts)] == [corpus.record_line(i)[:-1] for i in facts]


@pytest.mark.parametrize(
    "query", [["柞水"], ["toliets"], ["villages"], ["柞水", "木耳"], ["zhashui", "toilets"], ["the", "loans"], []]
)
def test_facts_found_the_same_way_share_one_match(base: zhashui_cli.FactBase, query: list[str]) -> None:
    """shared_matches(): one key for the facts found the same way (of one word, whose matches
    then say the same), and that key's match says what each of theirs does; a search's
    records end with it."""
    from zhashui_cli.search import engine

    corpus = base._read(lambda corpus: corpus)
    result = engine.run(corpus, engine.Query(tuple(query)))
    keys, matches = engine.shared_matches(result.matches, result.indices)
    said = [engine.match_record(result.matches[i]) if query else None for i in result.indices]
    by_key = [engine.match_record(m) if (m := matches[key]) is not None else None for key in keys]
    distinct = len({repr(record) for record in said})  # several words: their fields may sum alike
    assert by_key == said and (len(matches) == distinct if len(query) < 2 else distinct <= len(matches))
    records = base.search(query).records
    assert [record["match"] for record in records] == [m or {"terms": {}, "fields": []} for m in said]


def test_a_word_makes_one_hit_for_the_facts_with_the_same_fields(base: zhashui_cli.FactBase) -> None:
    from zhashui_cli.search import matching

    hits = matching.substring(base._read(lambda corpus: corpus), "柞水")
    assert len({id(hit) for hit in hits.values()}) == len({hit.fields for hit in hits.values()}) < len(hits) / 2


def test_the_vocabulary_read_as_lists_says_what_its_words_say(built: tuple[dict[str, Any], bytes]) -> None:
    """Each Latin word of the text, its stem, the words of each stem and of each spelling, and
    the facts and fields of each word, as the lists and arrays of the index give them."""
    from zhashui_cli.index.corpus import TEXT_FIELDS
    from zhashui_cli.search import matching

    corpus = Corpus(*built)
    vocabulary = matching.vocabulary(corpus)
    held: dict[str, dict[int, int]] = {}
    for fact in range(corpus.count):
        for field, folded in enumerate(corpus._text_line("exact", fact).rstrip(b"\n").split(b"\x1f")):
            for word in text.latin_words(folded.decode()):
                held.setdefault(word, {}).setdefault(fact, 0)
                held[word][fact] |= 1 << field
    assert vocabulary.sorted == sorted(held) and len(held) > 1000 and field == len(TEXT_FIELDS) - 1
    stems: dict[str, list[str]] = {}
    spellings: dict[str, list[str]] = {}
    for word, facts in held.items():
        assert word in vocabulary and word + "q" not in vocabulary
        own = matching.stem(word)
        assert vocabulary.stem(word) == own
        stems.setdefault(own, []).append(word)
        spellings.setdefault(vocabulary.canonical(own), []).append(word)
        assert {i: hit.fields for i, hit in vocabulary.facts(word, "exact", 0).items()} == facts
    assert vocabulary.stems == sorted(stems)
    assert all(vocabulary.with_stem(own) == sorted(words) for own, words in stems.items())
    assert all(vocabulary.with_canonical(canonical) == sorted(words) for canonical, words in spellings.items())
    assert vocabulary.with_stem("qqq") == vocabulary.with_canonical("qqq") == []


def test_the_longest_pinyin_of_the_base_and_its_slips_spell_its_words(base: zhashui_cli.FactBase) -> None:
    from zhashui_cli.search import matching

    corpus = base._read(lambda corpus: corpus)
    spelled: dict[str, list[str]] = corpus.json("pinyin")
    longest = max(sorted(spelled), key=len)
    assert spelled[longest][0] in matching.pinyin_phrases(corpus, longest)
    assert spelled[longest][0] in matching.pinyin_typos(corpus, longest[:-1] + longest[-1] * 2)


def test_a_damaged_record_is_found_when_the_records_are_read_whole(built: tuple[dict[str, Any], bytes]) -> None:
    header, body = built
    at = header["sections"]["records"][0] + 10
    damaged = body[:at] + bytes([body[at] ^ 1]) + body[at + 1 :]
    with pytest.raises(CorruptIndexError, match="section records"):
        Corpus(header, damaged).record_lines(list(range(header["count"])))


def _cached(fact_file: Path) -> Corpus:
    """The index of a fact file as a later run reads it: from the cache, built if it must be."""
    zhashui_cli.open(fact_file).search("柞水")
    opened = cache.load(fact_file)
    assert opened is not None
    return opened


def test_records_read_as_they_are_written_are_the_records_read_whole(synthetic: Path) -> None:
    corpus = _cached(synthetic)
    # runs in bulletin order (buckets of relevance): records side by side, read in one go, and
    # records apart (every third, every 97th backwards), read one by one
    half = corpus.count // 2
    indices = [*range(half), *range(half, corpus.count, 3), *range(corpus.count - 1, 0, -97)]
    streamed = corpus.record_heads(indices)
    assert isinstance(streamed, StreamedRecords)
    expected = [corpus.record_line(i)[:-1] for i in indices]
    assert [bytes(head) for batch in streamed.batches(100) for head in batch] == expected
    assert list(streamed) == expected and streamed[7] == expected[7] and streamed[3:6] == expected[3:6]


def test_a_damaged_record_on_disk_is_found_before_any_is_passed_through(synthetic: Path) -> None:
    corpus = _cached(synthetic)
    location = cache.cache_file(synthetic)
    assert location is not None
    data = bytearray(location.read_bytes())
    at = data.index(b'"claim":"') + 12  # in the records section, the body's first
    data[at] ^= 1
    location.write_bytes(bytes(data))
    damaged = cache.load(synthetic)
    assert damaged is not None
    with pytest.raises(CorruptIndexError, match="section records"):
        damaged.record_heads(range(corpus.count))


def test_a_search_whose_cache_is_cut_short_before_its_records_are_read_searches_again(synthetic: Path) -> None:
    _cached(synthetic)
    hits = zhashui_cli.open(synthetic).search("柞水")
    location = cache.cache_file(synthetic)
    assert location is not None
    os.truncate(location, 100)  # the header and the sections read so far are gone
    assert hits.json_lines() == zhashui_cli.open(synthetic, cache=False).search("柞水").json_lines()


def test_a_cache_cut_short_while_its_records_are_written_is_one_line_and_exit_74(synthetic: Path) -> None:
    _cached(synthetic)
    location = cache.cache_file(synthetic)
    assert location is not None
    command = [ZHASHUI, "search", "柞水", "--format", "jsonl", "--facts", str(synthetic)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        # The first batch, 512 records, is more than a pipe holds: the writer waits on it,
        # with the rest of the records still unread, while the file is cut short.
        first = process.stdout.read(1)
        os.truncate(location, 100)  # the header and the sections read so far are gone
        written = first + process.stdout.read()
        stderr = process.stderr.read().decode()
    assert process.returncode == 74
    assert stderr == (
        "zhashui: cannot write the output: the cached index was cut short while the answer was written; "
        "run the command again\n"
    )
    assert 512 <= written.count(b"\n") < zhashui_cli.open(synthetic, cache=False).search("柞水").total


def test_the_synthetic_base_breaks_no_rule_a_search_needs(synthetic: Path) -> None:
    base = zhashui_cli.open(synthetic, cache=False)
    assert len(base) == SYNTHETIC_FACTS
    problems = base.verify()["problems"]
    assert [problem for problem in problems if problem["rule"] != "coverage"] == []


def test_the_synthetic_vocabulary_grows_with_the_base(synthetic: Path, tmp_path: Path) -> None:
    """Heaps' law: distinct words grow with the text, about as its square root, not staying
    at the real base's (which a base of repeated facts would)."""
    generator = load_script("synthetic", "benchmarks")
    small = generator.vocabulary(generator.build(tmp_path, SYNTHETIC_FACTS // 4))
    large = generator.vocabulary(synthetic)
    assert all(1.5 * before < after for before, after in zip(small, large, strict=True))  # four times the facts


_TEXTS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from("\ue000e\u0301 \n,."),
    max_size=12,
)


@given(st.lists(_TEXTS | st.sampled_from(["木耳", "Ａ\u3000Ｂ", "ß", "\u200b", ""]), max_size=8))
def test_folding_many_texts_at_once_folds_each_as_alone(texts: list[str]) -> None:
    assert folding.fold_many(texts) == [folding.fold(t) for t in texts]


_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@given(st.characters())
def test_a_chinese_character_is_one_of_the_cjk_blocks(char: str) -> None:
    assert text.is_cjk(char) == bool(_CJK.fullmatch(char))


@pytest.mark.parametrize(
    "toilet, toilets, reverse, expected",
    [
        ([1, 6], [5, 9], False, "toilet"),  # 1 is shown first
        ([1, 6], [5, 9], True, "toilets"),  # 9 is
        ([1, 9], [5, 6], True, "toilet"),  # 9 is, though 1 is shown last
    ],
)
def test_a_correction_found_as_often_one_way_as_another_is_the_fact_shown_firsts(
    toilet: list[int], toilets: list[int], reverse: bool, expected: str
) -> None:
    from zhashui_cli.search import engine, matching

    hits = {i: matching.Hit(3, 1, "toilet", "typo") for i in toilet}
    hits |= {i: matching.Hit(3, 1, "toilets", "typo") for i in toilets}
    corrections = engine._corrections({"toliet": hits}, sorted(hits), {}, lambda i: (i,), reverse)
    assert corrections["toliet"]["as"] == expected


@pytest.mark.parametrize("low, high", [("\u2e80", "\u9fff"), ("\uf900", "\ufaff"), ("\U00020000", "\U0003134f")])
def test_the_cjk_blocks_end_where_they_end(low: str, high: str) -> None:
    inside, outside = [low, high], [chr(ord(low) - 1), chr(ord(high) + 1)]
    assert [text.is_cjk(char) for char in inside + outside] == [True, True, False, False]


def test_a_long_header_is_read_without_the_body(monkeypatch: pytest.MonkeyPatch, isolated: Path) -> None:
    """A header longer than the first read (a base of hundreds of sources) is read on to its
    end and not further: the sections are read when used, not with it."""
    facts = len(zhashui_cli.open(FACTS))  # the index cached
    location = cache.cache_file(FACTS)
    assert location is not None
    header_end = location.read_bytes().index(b"\n", len(cache.MAGIC)) + 1
    monkeypatch.setattr(cache, "_HEADER_READ", 256)
    read: list[int] = []
    load = cache._OnDemand.load

    def counted(self: Any, start: int, end: int) -> None:
        read.append(end - start)
        load(self, start, end)

    monkeypatch.setattr(cache._OnDemand, "load", counted)
    corpus = cache.load(FACTS)
    assert corpus is not None and corpus.count == facts
    assert header_end > 256 and sum(read) < 2 * header_end < location.stat().st_size


def test_a_search_that_names_no_source_or_section_reads_no_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sources (with their sections and names, kilobytes each) are read by what shows or
    filters by them, not by every search."""
    read: list[str] = []
    section = Corpus._section

    def recorded(self: Corpus, name: str) -> tuple[int, int]:
        read.append(name)
        return section(self, name)

    monkeypatch.setattr(Corpus, "_section", recorded)
    base = zhashui_cli.open(FACTS, cache=False)
    assert len(base.search("木耳", year=2023)) > 0 and "json.sources" not in read
    assert len(base.search("木耳", section="2023-highlight-3")) > 0 and "json.sources" in read


# -- Chinese found through its pairs of characters ----------------------------------------------
def _needles(corpus: Corpus) -> list[str]:
    """What a search looks for as Chinese text: the base's own words, and pieces of its text of
    two to six characters cut at every ninth fact (across punctuation, digits and Latin), and
    characters alone."""
    start, end = corpus._section("text.plain")
    lines = bytes(corpus._view[start:end]).decode().splitlines()
    pieces = [line[at : at + size] for line in lines[::9] for at in range(0, len(line), 7) for size in (2, 3, 6)]
    characters = {char for line in lines[::9] for char in line[::3]}
    return sorted({*corpus.json("zh_words"), *(piece for piece in {*pieces, *characters} if text.has_cjk(piece))})


def test_chinese_found_through_its_pairs_is_found_as_a_scan_finds_it(
    built: tuple[dict[str, Any], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = Corpus(*built)
    needles = _needles(corpus)
    through_pairs = [corpus.find("plain", needle) for needle in needles]
    narrowed = sum(corpus._through_pairs(needle, needle.encode(), (False, False)) is not None for needle in needles)
    monkeypatch.setattr(Corpus, "_through_pairs", lambda self, needle, encoded, numeric: None)
    assert through_pairs == [corpus.find("plain", needle) for needle in needles]
    assert len(needles) > 1000 and narrowed > len(needles) / 2  # most were found through their pairs
    assert sum(len(needle) == 2 for needle in needles) > 500  # of them many of one pair: no text read
    assert sum(len(needle) == 1 for needle in needles) > 200  # and of one character


@given(st.lists(_TEXTS | st.sampled_from(["木耳", "柞水\x1f县", "𠀀𠀁", "\u2e80\u9fff", "ab木"]), max_size=6))
def test_the_build_keeps_the_characters_and_pairs_a_query_looks_for(texts: list[str]) -> None:
    from zhashui_cli.index.build import _pairs

    line = "\x1f".join(texts)
    assert _pairs(line) == text.cjk_keys(line)


def test_a_rare_chinese_word_reads_no_text_section(built: tuple[dict[str, Any], bytes]) -> None:
    corpus = Corpus(*built)
    assert corpus.find("plain", "专项债")
    assert "text.plain" not in corpus._checked and "array.pairs.facts" not in corpus._checked


@pytest.mark.parametrize("word", ["柞水", "县"])
def test_a_word_of_one_or_two_characters_in_nearly_every_fact_reads_no_text_section(
    built: tuple[dict[str, Any], bytes], word: str
) -> None:
    """柞水 and 县 stand in nearly every fact: the facts and fields of their key are the answer."""
    corpus = Corpus(*built)
    found = corpus.find("plain", word)
    assert len(found) > corpus.count * 0.9 and all(bits & 0b10 for bits in found.values())  # in each claim
    assert "text.plain" not in corpus._checked


@pytest.mark.parametrize("section", ["text.plain", "array.pairs.facts"])
def test_a_damaged_line_or_pair_read_alone_is_found(built: tuple[dict[str, Any], bytes], section: str) -> None:
    """A part read alone is checked against its own checksum (the section's is not read)."""
    header, body = built
    corpus = Corpus(header, body)
    fact = min(corpus.find("plain", "专项债"))
    if section == "text.plain":
        at = header["sections"][section][0] + corpus.numbers("text.plain.lines")[fact] + 1
    else:
        n = bisect.bisect_left(corpus.numbers("pairs.keys"), min(text.cjk_pairs("专项债")))
        at = header["sections"][section][0] + corpus.numbers("pairs.offsets")[n] * 4
    damaged = body[:at] + bytes([body[at] ^ 1]) + body[at + 1 :]
    with pytest.raises(CorruptIndexError, match="does not match its checksum"):
        Corpus(header, damaged).find("plain", "专项债")


def test_a_number_at_the_start_of_the_text_is_found_whatever_lies_before_it(
    built: tuple[dict[str, Any], bytes],
) -> None:
    """The first fact's id starts its text section; the byte before it belongs to another
    section, and a digit there must not make 2023 look like part of a longer number."""
    header, body = built
    at, size, crc = header["sections"]["text.exact"]
    moved = {**header, "sections": {**header["sections"], "text.exact": [len(body) + 1, size, crc]}}
    corpus = Corpus(moved, body + b"7" + body[at : at + size])
    assert corpus.ids()[0].startswith("2023") and corpus.find("exact", "2023")[0] & 1  # found in its id


@pytest.mark.parametrize("name", ["exact", "plain"])
def test_a_scan_finds_in_each_line_what_reading_each_line_finds(built: tuple[dict[str, Any], bytes], name: str) -> None:
    """The scan places each occurrence in its line and field as reading every line alone
    does (numbers whole: 168 is not in 7168)."""
    from zhashui_cli.index.corpus import _fields_holding

    corpus = Corpus(*built)
    lines = [corpus._text_line(name, i) for i in range(corpus.count)]
    words = sorted({word for line in lines[::40] for word in re.findall(rb"[^\s\x1f]{1,6}", line)})
    needles = [*words[::7], b"2023", b"1", b"9.24", b"168", b"zhashui", b"mu", b"\xe6\x9c\xa8"]
    for needle in needles:
        numeric = (needle[:1].isdigit(), needle[-1:].isdigit())
        reference = {i: bits for i, line in enumerate(lines) if (bits := _fields_holding(needle, line, numeric))}
        assert corpus._scan(name, needle, numeric) == reference, needle


def test_whether_a_word_is_english_of_the_base_is_whether_it_finds_facts(base: zhashui_cli.FactBase) -> None:
    """matching.in_english, which _join_pinyin asks of every word of a run, says what english()
    finding facts says, without making them: for every word of the vocabulary, each cut short
    and lengthened into other forms (stems, spellings), numbers and pinyin."""
    from zhashui_cli.search import matching

    corpus = base._read(lambda corpus: corpus)
    vocabulary = matching.vocabulary(corpus).sorted
    words = {*vocabulary, *(w[:-1] for w in vocabulary), *(w + s for w in vocabulary[::7] for s in ("s", "ed", "ing"))}
    words |= {"labour", "labor", "colour", "zhashui", "muer", "2023", "2023s", "x", "the", "of"}
    found = {word: bool(matching.english(corpus, word)) for word in sorted(words)}
    assert {word: matching.in_english(corpus, word) for word in found} == found
    assert 0 < sum(found.values()) < len(found)  # words found and words not
