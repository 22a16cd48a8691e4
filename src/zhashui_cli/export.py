"""Exports: a SQLite database shaped for datasette and sqlite-utils, and a fact file with its
source texts that verify accepts and that searches like the original.

Both are written beside their destination first and then renamed into place, so a failed
export leaves nothing half-written, and neither overwrites anything unless told to.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

from .errors import OutputExistsError
from .model import FactFile
from .records import CategoryRecord, SearchRecord, SourceRecord

SCHEMA = """
CREATE TABLE categories (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT NOT NULL, description TEXT
);
CREATE TABLE sources (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, title_en TEXT NOT NULL, published TEXT NOT NULL,
    publisher TEXT, language TEXT NOT NULL, text TEXT NOT NULL
);
CREATE TABLE sections (
    source TEXT NOT NULL REFERENCES sources(id), id TEXT NOT NULL, n INTEGER NOT NULL,
    title TEXT NOT NULL, title_en TEXT NOT NULL, year INTEGER, start TEXT NOT NULL,
    PRIMARY KEY (source, id)
);
CREATE TABLE facts (
    id TEXT PRIMARY KEY, source TEXT NOT NULL REFERENCES sources(id), section TEXT NOT NULL,
    category TEXT NOT NULL REFERENCES categories(id), year INTEGER NOT NULL, kind TEXT NOT NULL,
    claim TEXT NOT NULL, claim_en TEXT NOT NULL, quote TEXT NOT NULL, note TEXT, tags TEXT NOT NULL,
    FOREIGN KEY (source, section) REFERENCES sections(source, id)
);
CREATE TABLE figures (
    fact_id TEXT NOT NULL REFERENCES facts(id), n INTEGER NOT NULL, value REAL NOT NULL,
    unit TEXT NOT NULL, qualifier TEXT NOT NULL, label TEXT NOT NULL, label_en TEXT NOT NULL,
    base_value REAL NOT NULL, base_unit TEXT NOT NULL,
    PRIMARY KEY (fact_id, n)
);
CREATE TABLE tags (
    fact_id TEXT NOT NULL REFERENCES facts(id), tag TEXT NOT NULL,
    PRIMARY KEY (fact_id, tag)
);
CREATE INDEX figures_base ON figures (base_unit, base_value);
CREATE INDEX tags_tag ON tags (tag);
"""
# Full-text search over the texts, named and declared the way sqlite-utils does it so that
# datasette offers a search box; trigrams find Chinese and English inside words alike.
MODELINE = "# yaml-language-server: $schema=schema/facts.schema.json"
FTS = "CREATE VIRTUAL TABLE [facts_fts] USING FTS5 ([claim], [claim_en], [quote], [tags], content=[facts]{tokenizer})"


def sqlite(
    destination: Path,
    facts: Sequence[SearchRecord],
    categories: Sequence[CategoryRecord],
    sources: Sequence[SourceRecord],
    *,
    replace: bool = False,
) -> None:
    """Write the facts, with their figures, tags, categories, sources and sections, as a SQLite
    database at destination."""
    import json
    import sqlite3

    _refuse_to_overwrite(destination, replace)
    temporary = _temporary_beside(destination)
    try:
        with closing(sqlite3.connect(temporary)) as db, db:  # closed (before the rename), and committed
            db.executescript(SCHEMA)
            db.executemany(
                "INSERT INTO categories VALUES (?, ?, ?, ?)",
                [(c["id"], c["name"], c["name_en"], c["description"]) for c in categories],
            )
            for source in sources:
                db.execute(
                    "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [source[key] for key in ("id", "title", "title_en", "published", "publisher", "language", "text")],
                )
                db.executemany(
                    "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (source["id"], s["id"], n, s["title"], s["title_en"], s["year"], s["start"])
                        for n, s in enumerate(source["sections"])
                    ],
                )
            db.executemany(
                "INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        f["id"],
                        f["source"],
                        f["section"],
                        f["category"],
                        f["year"],
                        f["kind"],
                        f["claim"],
                        f["claim_en"],
                        f["quote"],
                        f["note"],
                        json.dumps(f["tags"], ensure_ascii=False),
                    )
                    for f in facts
                ],
            )
            db.executemany(
                "INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(f["id"], n, *figure.values()) for f in facts for n, figure in enumerate(f["figures"])],
            )
            db.executemany(
                "INSERT OR IGNORE INTO tags VALUES (?, ?)", [(f["id"], tag) for f in facts for tag in f["tags"]]
            )
            _add_search(db)
        temporary.replace(destination)
    finally:
        with suppress(OSError):
            temporary.unlink()


def _add_search(db: Any) -> None:
    import sqlite3

    try:
        db.execute(FTS.format(tokenizer=", tokenize='trigram'"))
    except sqlite3.OperationalError:  # SQLite before 3.34 has no trigram tokenizer
        db.execute(FTS.format(tokenizer=""))
    db.execute("INSERT INTO facts_fts (facts_fts) VALUES ('rebuild')")


def fact_file(destination: Path, file: FactFile, *, replace: bool = False) -> Path:
    """Write a fact file (destination/facts.yaml), the texts of its sources beside it as the
    original names them, and its JSON Schema for editors. Derived values (base values) are
    left out, as in any fact file."""
    from . import __version__
    from .render import yaml_text
    from .store import packaged_schema

    _refuse_to_overwrite(destination, replace)
    temporary = _temporary_beside(destination)
    temporary.mkdir()
    try:
        origin = Path(file.path).name
        head = f"{MODELINE}\n# Exported by zhashui {__version__} from {origin}; `zhashui verify` checks it.\n"
        (temporary / "facts.yaml").write_text(head + yaml_text(_fact_file_data(file)), encoding="utf-8")
        (temporary / "schema").mkdir()
        shutil.copyfile(packaged_schema(), temporary / "schema" / "facts.schema.json")
        for source in file.sources:
            target = temporary / source.text
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(file.texts[source.id], encoding="utf-8")
        if destination.exists():
            shutil.rmtree(destination) if destination.is_dir() else destination.unlink()
        temporary.rename(destination)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
    return destination / "facts.yaml"


def _fact_file_data(file: FactFile) -> dict[str, Any]:
    from decimal import Decimal

    def number(value: Decimal) -> int | float:
        return int(value) if value == value.to_integral_value() else float(value)

    def without_none(entry: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in entry.items() if value is not None}

    return {
        "sources": [
            without_none(
                {
                    "id": s.id,
                    "title": s.title,
                    "title_en": s.title_en,
                    "published": s.published,
                    "publisher": s.publisher,
                    "language": s.language,
                    "text": s.text,
                    "sections": [without_none(section._asdict()) for section in s.sections],
                    "names": [name._asdict() for name in s.names] or None,
                }
            )
            for s in file.sources
        ],
        "categories": [without_none(c._asdict()) for c in file.categories],
        "facts": [
            without_none(
                {
                    **f._asdict(),
                    "kind": f.kind.value,
                    "tags": list(f.tags),
                    "figures": [
                        {
                            "value": number(g.value),
                            "unit": g.unit,
                            "qualifier": g.qualifier.value,
                            "label": g.label,
                            "label_en": g.label_en,
                        }
                        for g in f.figures
                    ],
                }
            )
            for f in file.facts
        ],
    }


def _refuse_to_overwrite(destination: Path, replace: bool) -> None:
    if destination.exists() and not replace:
        raise OutputExistsError(f"{destination} exists; give --replace to write over it")


def _temporary_beside(destination: Path) -> Path:
    """A name beside destination, on the same file system, so that the final rename is atomic."""
    import tempfile

    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.tmp-")
    os.close(handle)
    Path(name).unlink()
    return Path(name)
