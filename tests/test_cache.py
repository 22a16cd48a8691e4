"""The cache keeps what is of use and says what it holds (issue 19, item 8): the indexes of fact
files that exist, at most KEPT_PER_FILE of one file, pruned when an index is written, and
`zhashui cache info|clear`, which touch only the cache's own files."""

from __future__ import annotations

import json
import os
import re
import shutil
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

import zhashui_cli
from zhashui_cli.cli.app import app
from zhashui_cli.index import cache

from .conftest import SAMPLE_SOURCE, sample

# These tests are about the cache: each starts with an empty one.
pytestmark = pytest.mark.empty_cache


def fact_file(folder: Path) -> Path:
    """A small fact file and its source in folder."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sample.txt").write_text(SAMPLE_SOURCE, encoding="utf-8")
    path = folder / "facts.yaml"
    path.write_text(json.dumps(sample(), ensure_ascii=False), encoding="utf-8")
    return path


def indexed(path: Path) -> None:
    """Search path twice: the first run writes its index, the second the note of its check."""
    for _ in range(2):
        assert len(zhashui_cli.open(path).search("")) > 0


def files(folder: Path) -> list[str]:
    return sorted(entry.name for entry in folder.iterdir())


def test_the_indexes_of_fact_files_gone_are_pruned_when_an_index_is_written(tmp_path: Path, isolated: Path) -> None:
    gone, kept = fact_file(tmp_path / "draft"), fact_file(tmp_path / "base")
    indexed(gone)
    draft_index = cache.cache_file(gone)
    assert draft_index is not None and draft_index.exists() and draft_index.with_suffix(".verified").exists()
    shutil.rmtree(tmp_path / "draft")
    assert [index.exists for index in cache.listing().indexes] == [False]  # listed as gone, not yet removed
    indexed(kept)
    assert [index.fact_file for index in cache.listing().indexes] == [str(kept)]
    assert not draft_index.exists() and not draft_index.with_suffix(".verified").exists()


def test_an_index_of_another_version_is_kept_while_its_fact_file_exists(tmp_path: Path, isolated: Path) -> None:
    """An index another version wrote (another FORMAT, body checksums of its own) is no index
    this one can search, but its header says whose it is: pruning keeps it for that version."""
    other, this = fact_file(tmp_path / "other"), fact_file(tmp_path / "this")
    indexed(other)
    location = cache.cache_file(other)
    assert location is not None
    line, _, body = location.read_bytes().removeprefix(cache.MAGIC).partition(b"\n")
    header = json.loads(line.partition(b" ")[2])
    header["format"] -= 1
    older = json.dumps(header, ensure_ascii=False).encode()
    location.write_bytes(cache.MAGIC + b"%08x " % zlib.crc32(older) + older + b"\n" + body)
    assert cache.load(other) is None  # not this version's to read
    indexed(this)  # writing an index prunes the folder
    assert location.exists()
    assert sorted(index.fact_file or "" for index in cache.listing().indexes) == sorted([str(other), str(this)])


def test_at_most_three_indexes_of_one_file_are_kept(tmp_path: Path, isolated: Path) -> None:
    first = fact_file(tmp_path / "path-0")
    paths = [first]
    for n in range(1, 5):  # the same file by four more paths: hard links
        folder = tmp_path / f"path-{n}"
        folder.mkdir()
        os.link(first, folder / "facts.yaml")
        os.link(first.parent / "sample.txt", folder / "sample.txt")
        paths.append(folder / "facts.yaml")
    for path in paths:
        indexed(path)
    assert cache.KEPT_PER_FILE == 3
    assert sorted(index.fact_file or "" for index in cache.listing().indexes) == [str(p) for p in paths[2:]]


def test_pruning_and_clearing_touch_only_the_caches_own_files(tmp_path: Path, isolated: Path) -> None:
    path = fact_file(tmp_path / "base")
    indexed(path)
    outside = tmp_path / "precious.index"
    outside.write_text("not the cache's")
    (isolated / "0123456789abcdef.index").symlink_to(outside)  # its name, but a link: never followed
    (isolated / "fedcba9876543210.index").mkdir(mode=0o700)  # its name, ours alone, but a folder
    (isolated / "README").write_text("mine")
    shared = isolated / "00000000ffffffff.index"
    shared.write_text("writable by others: not the cache's own")
    shared.chmod(0o666)
    strangers = ["0123456789abcdef.index", "00000000ffffffff.index", "README", "fedcba9876543210.index"]
    shutil.rmtree(tmp_path / "base")
    gone = cache.cache_file(path)
    assert gone is not None and gone.exists()
    indexed(fact_file(tmp_path / "other"))  # writes an index, so prunes
    assert not gone.exists() and set(strangers) <= set(files(isolated))
    result = CliRunner().invoke(app, ["cache", "clear"])
    assert result.exit_code == 0
    assert files(isolated) == sorted(strangers) and outside.read_text() == "not the cache's"


def one_kept_one_gone(tmp_path: Path, isolated: Path) -> tuple[Path, Path, int]:
    """Two fact files indexed, the older one's removed since: the two, and the cache's size."""
    kept, gone = fact_file(tmp_path / "base"), fact_file(tmp_path / "draft")
    indexed(gone)
    indexed(kept)
    shutil.rmtree(tmp_path / "draft")
    return kept, gone, sum(entry.stat().st_size for entry in isolated.iterdir())


def test_cache_info_says_where_how_many_how_big_and_of_which_fact_files(tmp_path: Path, isolated: Path) -> None:
    kept, gone, size = one_kept_one_gone(tmp_path, isolated)
    result = CliRunner().invoke(app, ["cache", "info"])
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[0] == f"cache: {isolated}"
    assert lines[1] == (
        f"2 indexes, {size / 1024:.1f} KiB; at most 3 kept per fact file; "
        "1 of a fact file that is gone, removed when the next index is written"
    )
    row = r"  +\d+\.\d KiB  \d{4}-\d\d-\d\d \d\d:\d\d  "
    assert re.fullmatch(row + re.escape(str(kept)), lines[2]), lines[2]  # the newest first
    assert re.fullmatch(row + re.escape(f"{gone} (gone)"), lines[3]), lines[3]
    assert len(lines) == 4


def test_cache_info_json_is_the_same_listing_for_scripts(tmp_path: Path, isolated: Path) -> None:
    import json

    from .test_output_schemas import validator

    kept, gone, size = one_kept_one_gone(tmp_path, isolated)
    result = CliRunner().invoke(app, ["cache", "info", "--json"])
    assert (result.exit_code, result.stderr) == (0, "")
    info = json.loads(result.stdout)
    validator("cache-info").validate(info)
    assert (info["folder"], info["usable"], info["size"], info["kept_per_file"]) == (str(isolated), True, size, 3)
    assert [(index["fact_file"], index["exists"]) for index in info["indexes"]] == [
        (str(kept), True),
        (str(gone), False),
    ]
    assert sum(index["size"] for index in info["indexes"]) == size  # each with the note of its check
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", index["written"]) for index in info["indexes"])
    refused = CliRunner().invoke(app, ["cache", "clear", "--json"])
    assert refused.exit_code == 2 and "--json goes with cache info" in refused.stderr
    assert len(files(isolated)) == 4  # nothing cleared


def test_an_empty_or_missing_cache_says_so(isolated: Path) -> None:
    assert CliRunner().invoke(app, ["cache", "info"]).stdout == f"cache: {isolated}\nempty: no index written yet\n"
    cleared = CliRunner().invoke(app, ["cache", "clear"])
    assert (cleared.exit_code, cleared.stderr) == (0, f"zhashui: the cache is empty: {isolated}\n")


def test_cache_clear_says_what_it_removed(tmp_path: Path, isolated: Path) -> None:
    indexed(fact_file(tmp_path / "base"))
    size = sum(entry.stat().st_size for entry in isolated.iterdir())
    result = CliRunner().invoke(app, ["cache", "clear"])
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"zhashui: removed 1 index and 1 note, {size / 1024:.1f} KiB, from {isolated}\n"
    assert files(isolated) == []


def test_a_cache_folder_not_ours_alone_is_shown_and_left_alone(tmp_path: Path, isolated: Path) -> None:
    indexed(fact_file(tmp_path / "base"))
    before = files(isolated)
    isolated.chmod(0o777)
    info = CliRunner().invoke(app, ["cache", "info"])
    assert info.stdout.splitlines()[1] == (
        "not used: the folder is not yours alone (owner or mode); chmod 700 it, or remove it"
    )
    cleared = CliRunner().invoke(app, ["cache", "clear"])
    assert cleared.exit_code == 2 and cleared.stderr == (
        f"zhashui: {isolated} is not yours alone, so zhashui neither uses nor changes it; remove it, or chmod 700 it\n"
    )
    assert files(isolated) == before


def test_cache_takes_info_or_clear() -> None:
    result = CliRunner().invoke(app, ["cache", "clean"])
    assert result.exit_code == 2
    assert result.stderr == (
        "zhashui: unknown action 'clean' (did you mean clear?); use one of info, clear; see zhashui cache --help\n"
    )
