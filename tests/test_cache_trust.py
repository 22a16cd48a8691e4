"""The cache believes only what this account could have written, notices a file replaced by another
with the same size and mtime, judges timestamps by when its files were written and not by what
they say, reads source texts only where the fact file may point, removes what killed writers
leave, and survives its file being cut short under a reader (issue 21, findings 3, 5 and 10).

Most tests forge an index the way the red team did: built from another fact file, stamped with
the real index's fingerprint. Checksums cannot tell such an index from a real one (the forger
writes them too), so what it answers shows whether it was believed."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import zhashui_cli
from zhashui_cli.cli.app import app
from zhashui_cli.factfile import store
from zhashui_cli.index import cache
from zhashui_cli.index.build import build
from zhashui_cli.records import FactRecord

from .conftest import FACTS, SAMPLE_SOURCE, edit_section, sample

# These tests are about the cache: each starts with an empty one.
pytestmark = pytest.mark.empty_cache

WriteFacts = Callable[..., Path]
NOBODY = 65534
FAR_FUTURE_NS = 32_503_680_000 * 10**9  # the year 3000
SETTLED_NS = 1_600_000_000 * 10**9  # 2020: long before any index these tests build
POISON = "In 2023 the county embezzled 924 million yuan (POISONED CACHE)."
PARAGRAPH = "测试县协调金融贷款9.24亿元，新改建户厕7168座。"  # the line of sample.txt with the loans quote


def index_of(path: Path) -> Path:
    location = cache.cache_file(path)
    assert location is not None
    return location


def loans(base: zhashui_cli.FactBase) -> FactRecord:
    record = base.get("2023-loans")
    assert record is not None
    return record


def believed(path: Path) -> bool:
    """Whether a search of path answers from the forged index (poisoned()) rather than the file."""
    return loans(zhashui_cli.open(path))["claim_en"] == POISON


def poisoned() -> dict[str, Any]:
    content = sample()
    content["facts"][0]["claim_en"] = POISON
    return content


def forge(path: Path, content: dict[str, Any], paths: dict[str, str] | None = None, **header: Any) -> Path:
    """Put in the place of the cached index of path one built from other content but stamped as
    the real one is, with a far-future read_ns (the attack of finding 3); header entries given
    replace the stolen ones."""
    location = index_of(path)
    real, _ = cache.read_header(location.read_bytes())
    forged = path.parent / "forged"
    forged.mkdir()
    (forged / "sample.txt").write_text(SAMPLE_SOURCE, encoding="utf-8")
    (forged / "facts.yaml").write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    built, body = build(store.load(forged / "facts.yaml").file, paths or {"sample": str(path.parent / "sample.txt")})
    built.update(zhashui=real["zhashui"], fingerprint=real["fingerprint"], read_ns=FAR_FUTURE_NS)
    built.update(header)
    cache.save(path, built, body)
    return location


def rewrite_sources(path: Path, edit: Callable[[list[dict[str, Any]]], object]) -> None:
    """Change the sources of the cached index of path, its checksums made right again."""
    location = index_of(path)
    data = location.read_bytes()
    header, end = cache.read_header(data)
    cache.save(path, header, edit_section(header, data[end:], "json.sources", edit))
    forged = cache.load(path)
    assert forged is not None  # the forgery is taken for the index: the test is of what it says
    sources: list[dict[str, Any]] = json.loads(json.dumps(forged.sources))
    edit(sources)
    assert sources == forged.sources  # the edit was made already, and edits the same again


def indexed(write_facts: WriteFacts) -> Path:
    path = write_facts()
    zhashui_cli.open(path).search()
    return path


def contents(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {entry.name: (entry.stat().st_mode, entry.read_bytes()) for entry in folder.iterdir()}


def count_hashes(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """What is hashed from now on: the bytes given to each call of hashlib.sha256."""
    import hashlib

    calls: list[bytes] = []
    real = hashlib.sha256

    def counting(data: bytes = b"") -> Any:
        calls.append(data)
        return real(data)

    monkeypatch.setattr(hashlib, "sha256", counting)
    return calls


def checked_after_a_chmod(path: Path, isolated: Path) -> Path:
    """The note a run leaves beside the index when it had to hash the files to prove them
    unchanged: here after a chmod of the fact file, which changes its ctime, not its content."""
    zhashui_cli.open(path).search()
    path.chmod(0o640)
    zhashui_cli.open(path).search()
    (note,) = isolated.glob("*.verified")
    return note


def claim(note: Path, read_ns: int, mtime_ns: int) -> None:
    """Make a note say it was made at read_ns, and date the note itself mtime_ns."""
    data = json.loads(note.read_text(encoding="utf-8"))
    data["read_ns"] = read_ns
    note.write_text(json.dumps(data), encoding="utf-8")
    os.utime(note, ns=(mtime_ns, mtime_ns))


# -- rule 1: only what this account could have written --------------------------------------
def test_the_cache_folder_is_created_for_its_owner_alone(isolated: Path) -> None:
    umask = os.umask(0)  # the mode must not depend on the umask
    try:
        zhashui_cli.open(FACTS).search("木耳")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(isolated.stat().st_mode) == 0o700
    (index,) = isolated.glob("*.index")
    assert stat.S_IMODE(index.stat().st_mode) == 0o600


def test_trusted_means_owned_by_the_user_and_writable_by_no_one_else(tmp_path: Path) -> None:
    file = tmp_path / "file"
    file.write_bytes(b"")
    own = os.geteuid()
    for mode, expected in [(0o600, True), (0o644, True), (0o400, True), (0o620, False), (0o602, False)]:
        file.chmod(mode)
        assert cache.trusted(file.stat(), own) is expected, oct(mode)
    file.chmod(0o600)
    assert not cache.trusted(file.stat(), own + 1)
    assert cache.trusted(tmp_path.stat(), own)
    tmp_path.chmod(0o777)
    assert not cache.trusted(tmp_path.stat(), own)


def test_a_forged_index_is_believed_when_this_account_wrote_it(write_facts: WriteFacts) -> None:
    """What the tests below refuse would be believed if it were ours: the cache has no way to
    tell a forgery by its content, only by who could have written it."""
    path = indexed(write_facts)
    forge(path, poisoned())
    assert believed(path)


@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602], ids=oct)
def test_an_index_others_can_write_is_not_believed(write_facts: WriteFacts, mode: int) -> None:
    path = indexed(write_facts)
    forge(path, poisoned()).chmod(mode)
    assert not believed(path)


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o703], ids=oct)
def test_a_cache_folder_others_can_write_is_neither_read_nor_written(
    write_facts: WriteFacts, isolated: Path, mode: int
) -> None:
    path = indexed(write_facts)
    forge(path, poisoned())
    left = isolated / ".tmp-1-abandoned"  # not for us to clean in a folder that is not ours
    left.write_bytes(b"")
    os.utime(left, ns=(SETTLED_NS, SETTLED_NS))
    isolated.chmod(mode)
    before = contents(isolated)
    assert not believed(path)
    assert not believed(path)
    assert contents(isolated) == before
    assert stat.S_IMODE(isolated.stat().st_mode) == mode


@pytest.mark.parametrize("owned", ["index", "folder"])
def test_an_index_or_folder_of_another_user_is_not_believed(
    write_facts: WriteFacts, isolated: Path, monkeypatch: pytest.MonkeyPatch, owned: str
) -> None:
    path = indexed(write_facts)
    location = forge(path, poisoned())
    if os.geteuid() == 0:
        os.chown(location if owned == "index" else isolated, NOBODY, NOBODY)
    else:  # only root can give a file away: here the user becomes another instead
        other = os.geteuid() + 1
        monkeypatch.setattr(os, "geteuid", lambda: other)
    untouched = contents(isolated)
    assert not believed(path)
    if owned == "folder":
        assert contents(isolated) == untouched


def test_a_verified_note_others_can_write_is_not_believed(
    write_facts: WriteFacts, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_facts()
    note = checked_after_a_chmod(path, isolated)
    claim(note, FAR_FUTURE_NS, FAR_FUTURE_NS)
    note.chmod(0o666)
    hashed = count_hashes(monkeypatch)
    zhashui_cli.open(path).search()
    assert hashed  # the fact file changed since the index was read: only the note could excuse it


# -- rule 2: the key, device, inode, size, mtime and ctime ---------------------------------------
def copied_over(path: Path, text: str) -> None:
    """cp -p: the same file (device and inode) rewritten, its old mtime copied back."""
    new = path.with_name(f"new-{path.name}")
    new.write_text(text, encoding="utf-8")
    os.utime(new, ns=(SETTLED_NS, path.stat().st_mtime_ns))
    shutil.copy2(new, path)
    new.unlink()


def renamed_over(path: Path, text: str) -> None:
    """rsync -t or tar x: another file (another inode) in its place, with its mtime."""
    new = path.with_name(f"new-{path.name}")
    new.write_text(text, encoding="utf-8")
    os.utime(new, ns=(SETTLED_NS, path.stat().st_mtime_ns))
    new.replace(path)


def touched_back(path: Path, text: str) -> None:
    """An edit in place, then touch -r: only the ctime, which no one can set, tells."""
    mtime_ns = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(SETTLED_NS, mtime_ns))


REPLACEMENTS = {"cp -p": copied_over, "rsync -t": renamed_over, "touch -r": touched_back}


def settled(write_facts: WriteFacts) -> Path:
    """A fact file and its source whose mtimes are long past: size and mtime look like proof."""
    path = write_facts()
    for written in (path, path.parent / "sample.txt"):
        os.utime(written, ns=(SETTLED_NS, SETTLED_NS))
    return path


def replaced(path: Path, replace: Callable[[Path, str], None], old: str, new: str) -> None:
    """Replace a file by one of the same size and mtime that says new where it said old."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    replace(path, path.read_text(encoding="utf-8").replace(old, new, 1))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


@pytest.mark.parametrize("replace", REPLACEMENTS.values(), ids=REPLACEMENTS.keys())
def test_a_fact_file_replaced_with_the_same_size_and_mtime_is_read_anew(
    write_facts: WriteFacts, replace: Callable[[Path, str], None]
) -> None:
    path = settled(write_facts)
    assert zhashui_cli.open(path).search("latrine").ids == []
    replaced(path, replace, '"toilets"', '"latrine"')
    assert zhashui_cli.open(path).search("latrine").ids == ["2023-toilets"]


@pytest.mark.parametrize("replace", REPLACEMENTS.values(), ids=REPLACEMENTS.keys())
def test_a_source_text_replaced_with_the_same_size_and_mtime_is_read_anew(
    write_facts: WriteFacts, replace: Callable[[Path, str], None]
) -> None:
    path = settled(write_facts)
    zhashui_cli.open(path).search()
    replaced(path.parent / "sample.txt", replace, "7168", "7186")
    with pytest.raises(zhashui_cli.FactFileError, match="quote: not found verbatim"):
        zhashui_cli.open(path).search()


@pytest.mark.parametrize("replace", REPLACEMENTS.values(), ids=REPLACEMENTS.keys())
def test_a_replaced_file_is_read_anew_even_when_every_change_looks_long_past(
    write_facts: WriteFacts, monkeypatch: pytest.MonkeyPatch, replace: Callable[[Path, str], None]
) -> None:
    """As on a file server whose clock runs far behind this machine's: no timestamp is close
    enough to the indexing to need hashing, so only device, inode and ctime can tell."""
    monkeypatch.setattr(cache, "_RACY_NS", -FAR_FUTURE_NS)
    path = settled(write_facts)
    assert zhashui_cli.open(path).search("latrine").ids == []
    replaced(path, replace, '"toilets"', '"latrine"')
    assert zhashui_cli.open(path).search("latrine").ids == ["2023-toilets"]


def test_a_file_proven_unchanged_by_its_content_is_not_hashed_again(
    write_facts: WriteFacts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chmod changes the ctime, not the content: one run hashes the file, and what it proved
    is noted, so that later runs do not hash it again (here with no racy window: as if every
    change were seconds old)."""
    monkeypatch.setattr(cache, "_RACY_NS", 0)
    path = settled(write_facts)
    zhashui_cli.open(path).search()
    path.chmod(0o640)
    hashed = count_hashes(monkeypatch)
    assert zhashui_cli.open(path).search("toilets").ids == ["2023-toilets"]
    assert len(hashed) == 1
    assert zhashui_cli.open(path).search("toilets").ids == ["2023-toilets"]
    assert len(hashed) == 1


# -- rule 3: the trust window is not the file's to declare -------------------------------------
def test_an_index_cannot_declare_when_its_files_were_read(write_facts: WriteFacts) -> None:
    """A far-future read_ns would make every mtime look old enough to prove a file unchanged;
    the index's own mtime caps it. Here the index is dated as its fact file last changed, too
    close to tell, so the file is hashed, and the forged fingerprint does not match it."""
    path = indexed(write_facts)
    real, _ = cache.read_header(index_of(path).read_bytes())
    wrong = [[*stamp[:-1], "0" * 64] for stamp in real["fingerprint"]]
    location = forge(path, poisoned(), fingerprint=wrong, read_ns=FAR_FUTURE_NS)
    changed_ns = path.stat().st_ctime_ns
    os.utime(location, ns=(changed_ns, changed_ns))
    assert not believed(path)


def test_a_verified_note_cannot_declare_when_it_was_made(
    write_facts: WriteFacts, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_facts()
    note = checked_after_a_chmod(path, isolated)
    changed_ns = path.stat().st_ctime_ns
    claim(note, FAR_FUTURE_NS, changed_ns)  # written as the fact file last changed: too close to tell
    hashed = count_hashes(monkeypatch)
    zhashui_cli.open(path).search()
    assert hashed


# -- rule 4: a source's text is read where the fact file may point, whatever the index says -----
@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file outside the fact file's folder, with a line that holds the loans quote."""
    secret = tmp_path_factory.mktemp("outside") / "secret.txt"
    secret.write_text("root:$6$SECRETHASH:19000:0:99999:7::: 协调金融贷款9.24亿元\n", encoding="utf-8")
    return secret


def test_the_source_path_an_index_gives_is_not_what_is_read(write_facts: WriteFacts, outside: Path) -> None:
    path = indexed(write_facts)
    rewrite_sources(path, lambda sources: sources[0].update(path=str(outside)))
    base = zhashui_cli.open(path)
    assert base.paragraph(loans(base)) == PARAGRAPH


@pytest.mark.parametrize("where", ["absolute", "up and out", "a link out"])
def test_a_source_text_an_index_places_outside_the_fact_files_folder_is_not_read(
    write_facts: WriteFacts, outside: Path, where: str
) -> None:
    path = indexed(write_facts)
    (path.parent / "link.txt").symlink_to(outside)
    text = {"absolute": str(outside), "up and out": os.path.relpath(outside, path.parent), "a link out": "link.txt"}
    rewrite_sources(path, lambda sources: sources[0].update(text=text[where], path=str(outside)))
    base = zhashui_cli.open(path)
    assert base.paragraph(loans(base)) == "协调金融贷款9.24亿元"  # the quote alone


def test_show_prints_no_line_of_a_file_a_forged_index_points_at(write_facts: WriteFacts, outside: Path) -> None:
    """The red team's /etc/shadow: a forged index whose quote is `root:` and whose source is
    that file made `show` print the line of root's password hash."""
    path = indexed(write_facts)
    content = sample()
    content["facts"][0]["quote"] = "root:"
    forge(path, content, {"sample": str(outside)})
    result = CliRunner().invoke(app, ["--facts", str(path), "show", "2023-loans"])
    assert result.exit_code == 0, result.output
    assert "root:" in result.stdout  # the forged record was shown
    assert "SECRETHASH" not in result.stdout


# -- rule 5: the temporaries of killed writers ---------------------------------------------------
KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from zhashui_cli.index import cache
os.replace = lambda *_, **__: os.kill(os.getpid(), signal.SIGKILL)  # killed before its rename
cache.save(Path(sys.argv[1]), {}, b"")
"""


def test_the_temporary_of_a_killed_writer_is_removed_by_the_next_write(write_facts: WriteFacts, isolated: Path) -> None:
    path = write_facts()
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)])
    assert writer.wait() == -9
    (left,) = isolated.glob(".tmp-*")
    assert left.name.startswith(f".tmp-{writer.pid}-")
    zhashui_cli.open(path).search()  # writes the index
    assert list(isolated.glob(".tmp-*")) == []
    assert len(list(isolated.glob("*.index"))) == 1


def test_a_temporary_is_removed_while_its_writer_lives_only_when_an_hour_old(
    write_facts: WriteFacts, isolated: Path
) -> None:
    path = indexed(write_facts)
    being_written = isolated / f".tmp-{os.getpid()}-0123abcd"
    stale = isolated / f".tmp-{os.getpid()}-4567cdef"  # a pid may have been reused
    legacy = isolated / ".tmp-k2j4h5g6"  # an older version named them without a pid
    for left in (being_written, stale, legacy):
        left.write_bytes(b"")
    os.utime(legacy, ns=(SETTLED_NS, SETTLED_NS))
    os.utime(stale, ns=(SETTLED_NS, SETTLED_NS))
    cache.discard(path)
    zhashui_cli.open(path).search()  # writes the index
    assert sorted(isolated.glob(".tmp-*")) == [being_written]


# -- rule 6: a cache file cut short under a reader -------------------------------------------
CUT_SHORT = """
import os, sys
from pathlib import Path
import zhashui_cli
from zhashui_cli.index import cache
path = Path(sys.argv[1])
base = zhashui_cli.open(path)
base.ids()  # the cached index is open
os.truncate(cache.cache_file(path), 100)
print(base.search("木耳").total, base.get("2023-fungus-brand-value")["year"])
"""


def test_a_cache_file_cut_short_under_a_reader_does_not_kill_it() -> None:
    zhashui_cli.open(FACTS).search()  # the cache, warm
    expected = f"{zhashui_cli.open(FACTS, cache=False).search('木耳').total} 2023\n"
    result = subprocess.run([sys.executable, "-c", CUT_SHORT, str(FACTS)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr  # not -7, SIGBUS
    assert result.stdout == expected
