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

from .conftest import SAMPLE_SOURCE, sample

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


def rewrite_index(path: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    """Change the header of the cached index of path, its checksum made right again."""
    location = index_of(path)
    data = location.read_bytes()
    header, end = cache.read_header(data)
    edit(header)
    cache.save(path, header, data[end:])


def indexed(write_facts: WriteFacts) -> Path:
    path = write_facts()
    zhashui_cli.open(path).search()
    return path


def contents(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {entry.name: (entry.stat().st_mode, entry.read_bytes()) for entry in folder.iterdir()}


def count_hashes(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The files hashed from now on (each call of hashlib.sha256)."""
    import hashlib

    calls: list[object] = []
    real = hashlib.sha256

    def counting(data: bytes = b"") -> Any:
        calls.append(data)
        return real(data)

    monkeypatch.setattr(hashlib, "sha256", counting)
    return calls


# -- rule 4: a source's text is read where the fact file may point, whatever the index says -----
@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file outside the fact file's folder, with a line that holds the loans quote."""
    secret = tmp_path_factory.mktemp("outside") / "secret.txt"
    secret.write_text("root:$6$SECRETHASH:19000:0:99999:7::: 协调金融贷款9.24亿元\n", encoding="utf-8")
    return secret


def test_the_source_path_an_index_gives_is_not_what_is_read(write_facts: WriteFacts, outside: Path) -> None:
    path = indexed(write_facts)
    rewrite_index(path, lambda header: header["sources"][0].update(path=str(outside)))
    base = zhashui_cli.open(path)
    assert base.paragraph(loans(base)) == PARAGRAPH


@pytest.mark.parametrize("where", ["absolute", "up and out", "a link out"])
def test_a_source_text_an_index_places_outside_the_fact_files_folder_is_not_read(
    write_facts: WriteFacts, outside: Path, where: str
) -> None:
    path = indexed(write_facts)
    (path.parent / "link.txt").symlink_to(outside)
    text = {"absolute": str(outside), "up and out": os.path.relpath(outside, path.parent), "a link out": "link.txt"}
    rewrite_index(path, lambda header: header["sources"][0].update(text=text[where], path=str(outside)))
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
