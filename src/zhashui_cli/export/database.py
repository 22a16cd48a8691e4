"""The SQLite export: a database shaped for datasette and sqlite-utils, with foreign keys and
a full-text index."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

from zhashui_cli._i18n import Message
from zhashui_cli.errors import OutputWriteError
from zhashui_cli.records import CategoryRecord, SearchRecord, SourceRecord, UnitRecord

from . import target

SCHEMA = """
CREATE TABLE units (
    unit TEXT PRIMARY KEY, base_unit TEXT NOT NULL, factor REAL NOT NULL, en TEXT NOT NULL
);
CREATE TABLE categories (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT NOT NULL, description TEXT
);
CREATE TABLE sources (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, title_en TEXT NOT NULL, published TEXT NOT NULL,
    publisher TEXT, url TEXT, accessed TEXT, language TEXT NOT NULL, text TEXT NOT NULL
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
FTS = "CREATE VIRTUAL TABLE [facts_fts] USING FTS5 ([claim], [claim_en], [quote], [tags], content=[facts]{tokenizer})"


def sqlite(
    destination: Path,
    facts: Sequence[SearchRecord],
    categories: Sequence[CategoryRecord],
    sources: Sequence[SourceRecord],
    *,
    units: Sequence[UnitRecord] = (),
    replace: bool = False,
) -> None:
    """Write the facts, with their figures, tags, categories, sources and sections, and the
    units the fact file declares (the `units` table; built-in units are not listed), as a
    SQLite database at destination."""
    target.check(destination, folder=False, replace=replace)
    temporary = target.temporary_beside(destination)
    try:
        with closing(sqlite3.connect(temporary)) as db, db:  # closed (before the rename), and committed
            db.executescript(SCHEMA)
            db.executemany("INSERT INTO units VALUES (?, ?, ?, ?)", [tuple(unit.values()) for unit in units])
            db.executemany(
                "INSERT INTO categories VALUES (?, ?, ?, ?)",
                [(c["id"], c["name"], c["name_en"], c["description"]) for c in categories],
            )
            for source in sources:
                db.execute(
                    "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        source[key]
                        for key in (
                            "id",
                            "title",
                            "title_en",
                            "published",
                            "publisher",
                            "url",
                            "accessed",
                            "language",
                            "text",
                        )
                    ],
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
        target.put_file(temporary, destination)
    except (OSError, sqlite3.Error) as error:
        reason = getattr(error, "strerror", None) or error
        raise OutputWriteError(Message("cannot write {path}: {reason}", path=destination, reason=reason)) from error
    finally:
        target.discard(temporary)


def _add_search(db: Any) -> None:
    try:
        db.execute(FTS.format(tokenizer=", tokenize='trigram'"))
    except sqlite3.OperationalError:  # SQLite before 3.34 has no trigram tokenizer
        db.execute(FTS.format(tokenizer=""))
    db.execute("INSERT INTO facts_fts (facts_fts) VALUES ('rebuild')")
