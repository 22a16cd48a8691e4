"""The index and its cache: same answers with or without it, never trusted when stale or damaged."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from zhashui_cli import search, store
from zhashui_cli.index import Corpus, CorruptIndexError
from zhashui_cli.search import Query
from zhashui_cli.text import query_terms

from .conftest import FACTS

WriteFacts = Callable[..., Path]
QUERIES = [[], ["木耳"], ["loans"], ["專項債"], ["2023"], ["县", "亿元"], ["toilets", "厕所"], ["no such thing"]]


def answers(corpus: Corpus) -> list[list[str]]:
    return [[r["id"] for r in search.search(corpus, Query(query_terms(words))).records] for words in QUERIES]


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.index")) if folder.is_dir() else []


def forbid_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: object) -> None:
        raise AssertionError("the fact file was parsed again")

    monkeypatch.setattr(store, "_parse_yaml", fail)


def test_the_cache_gives_the_same_answers_as_a_fresh_index(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = answers(store.open_corpus(FACTS, use_cache=False))
    assert cache_files(isolated) == []
    store.open_corpus(FACTS)  # builds and writes the cache
    assert len(cache_files(isolated)) == 1
    forbid_yaml(monkeypatch)
    assert answers(store.open_corpus(FACTS)) == fresh
    assert fresh[1] and fresh[2] and not fresh[-1]  # the queries found something to compare


def test_an_edit_of_the_same_size_invalidates_the_cache(write_facts: WriteFacts) -> None:
    path = write_facts()
    assert search.search(store.open_corpus(path), Query(("latrine",))).records == ()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"toilets"', '"latrine"', 1), encoding="utf-8")  # 7 letters for 7
    assert [r["id"] for r in search.search(store.open_corpus(path), Query(("latrine",))).records] == ["2023-toilets"]


def test_an_edit_within_the_same_timestamp_tick_is_still_seen(write_facts: WriteFacts) -> None:
    path = write_facts()
    store.open_corpus(path)
    stat = path.stat()
    path.write_text(
        path.read_text(encoding="utf-8").replace('"label_en": "loans"', '"label_en": "LOANS"'), encoding="utf-8"
    )
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    record = search.search(store.open_corpus(path), Query(("2023-loans",))).records[0]
    assert record["figures"][0]["label_en"] == "LOANS"


def test_a_freshly_written_file_is_hashed_once_then_trusted(
    write_facts: WriteFacts, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_facts()
    store.open_corpus(path)  # written a moment ago: its mtime cannot prove it unchanged yet
    assert list(isolated.glob("*.verified")) == []
    store.open_corpus(path)  # so this run hashes it, finds it unchanged and notes when
    (verified,) = isolated.glob("*.verified")
    noted = json.loads(verified.read_text())["read_ns"]
    seen: list[int] = []
    check = store._unchanged
    monkeypatch.setattr(store, "_unchanged", lambda stamps, read_ns: seen.append(read_ns) or check(stamps, read_ns))
    store.open_corpus(path)
    assert seen == [noted]  # later runs judge the mtime against the time of that check
    path.write_text(path.read_text(encoding="utf-8").replace('"toilets"', '"latrine"', 1), encoding="utf-8")
    assert search.search(store.open_corpus(path), Query(("latrine",))).records  # edits are still seen


def test_an_edit_of_the_source_text_invalidates_the_cache(write_facts: WriteFacts) -> None:
    path = write_facts()
    store.open_corpus(path)
    source = path.parent / "sample.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("7168", "7186"), encoding="utf-8")
    with pytest.raises(store.FactFileError, match="quote: not found verbatim"):
        store.open_corpus(path)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: b"garbage\n" * 100,
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data.replace(b'"format":1', b'"format":"x"', 1),
        lambda data: data.replace(b'"sections":{', b'"sections":{"haystack":[0,999999999999],', 1),
    ],
)
def test_a_damaged_cache_is_ignored(isolated: Path, damage: Callable[[bytes], bytes]) -> None:
    fresh = answers(store.open_corpus(FACTS))
    (cached,) = cache_files(isolated)
    cached.write_bytes(damage(cached.read_bytes()))
    assert answers(store.open_corpus(FACTS)) == fresh


def test_damage_found_while_reading_records_is_reported(isolated: Path) -> None:
    store.open_corpus(FACTS)
    (cached,) = cache_files(isolated)
    data = cached.read_bytes()
    cached.write_bytes(data.replace(b'{"id":"2023-loans-coordinated"', b'{"id"!"2023-loans-coordinated"', 1))
    corpus = store.open_corpus(FACTS)
    with pytest.raises(CorruptIndexError):
        search.search(corpus, Query(("loans",)))


def test_a_file_where_the_cache_folder_should_be_is_only_slower(isolated: Path) -> None:
    isolated.parent.mkdir(parents=True, exist_ok=True)
    isolated.write_text("a file where the cache folder should be")
    fresh = answers(store.open_corpus(FACTS, use_cache=False))
    assert answers(store.open_corpus(FACTS)) == fresh
    assert answers(store.open_corpus(FACTS)) == fresh
    assert isolated.read_text() == "a file where the cache folder should be"


def test_a_cache_folder_that_cannot_be_written_is_only_slower(monkeypatch: pytest.MonkeyPatch) -> None:
    # /proc is read-only even to root, who ignores permission bits (CI runs as root).
    monkeypatch.setenv("XDG_CACHE_HOME", "/proc/zhashui-test")
    fresh = answers(store.open_corpus(FACTS, use_cache=False))
    assert answers(store.open_corpus(FACTS)) == fresh
    assert not Path("/proc/zhashui-test").exists()


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert store.cache_dir() == tmp_path / ".cache" / "zhashui"


def test_find_reports_primary_hits_and_narrows_to_candidates() -> None:
    corpus = store.open_corpus(FACTS, use_cache=False)
    ids = corpus.column("id")
    hits = corpus.find("13.59")
    assert {ids[i]: primary for i, primary in hits.items()} == {"2023-special-funds": True, "2023-special-bonds": False}
    bonds = ids.index("2023-special-bonds")
    assert corpus.find("13.59", among={bonds}) == {bonds: False}
