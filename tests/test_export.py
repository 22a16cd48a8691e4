"""Exports: SQLite for datasette and sqlite-utils, a fact file that round-trips, and the flat
figures view that sums correctly in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import zhashui_cli
from zhashui_cli.cli.app import app

from .conftest import CATEGORY_COUNT, FACT_COUNT, FACTS, FIGURE_COUNT

YUAN_TOTAL = 6_259_000_000  # the 元 figures of the bulletin, summed by hand from facts.yaml


def cli(*args: str) -> object:
    return CliRunner().invoke(app, list(args))


def test_sqlite_holds_every_table_with_its_keys_and_full_text_search(tmp_path: Path) -> None:
    database = tmp_path / "zhashui.db"
    result = CliRunner().invoke(app, ["export", "--sqlite", str(database)])
    assert result.exit_code == 0, result.output
    with closing(sqlite3.connect(database)) as db:
        counts = {
            t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("facts", "figures", "categories", "sources", "sections")
        }
        assert counts == {
            "facts": FACT_COUNT,
            "figures": FIGURE_COUNT,
            "categories": CATEGORY_COUNT,
            "sources": 1,
            "sections": 18,
        }
        assert db.execute("SELECT count(DISTINCT fact_id) FROM tags").fetchone()[0] == FACT_COUNT
        assert db.execute("SELECT sum(base_value) FROM figures WHERE base_unit = '元'").fetchone()[0] == YUAN_TOTAL
        found = {
            row[0]
            for row in db.execute(
                "SELECT facts.id FROM facts_fts JOIN facts ON facts.rowid = facts_fts.rowid "
                "WHERE facts_fts MATCH '柞水木耳'"
            )
        }
        assert "2023-fungus-brand-value" in found
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        keys = {(row[2], row[3], row[4]) for row in db.execute("SELECT * FROM pragma_foreign_key_list('figures')")}
        assert keys == {("facts", "fact_id", "id")}
        facts_keys = {row[2] for row in db.execute("SELECT * FROM pragma_foreign_key_list('facts')")}
        assert facts_keys == {"sources", "categories", "sections"}
        assert json.loads(db.execute("SELECT tags FROM facts WHERE id = '2023-toilets'").fetchone()[0])[0] == "厕所"


def test_sqlite_takes_the_filters_of_search(tmp_path: Path) -> None:
    database = tmp_path / "money.db"
    assert CliRunner().invoke(app, ["export", "--sqlite", str(database), "--unit", "yuan", "-y", "2023"]).exit_code == 0
    with closing(sqlite3.connect(database)) as db:
        assert db.execute("SELECT count(*) FROM facts").fetchone()[0] == 8
        assert db.execute("SELECT DISTINCT year FROM facts").fetchall() == [(2023,)]


def test_a_query_that_finds_nothing_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    database = tmp_path / "none.db"
    result = CliRunner().invoke(app, ["export", "--sqlite", str(database), "--query", "qwertyuiop"])
    assert (result.exit_code, result.stderr) == (
        1,
        "zhashui: no facts match, so nothing was written; try fewer words or filters\n",
    )
    assert not database.exists()
    partial = CliRunner().invoke(app, ["export", "--sqlite", str(database), "--query", "loans qwertyuiop"])
    assert partial.exit_code == 0
    assert partial.stderr.startswith("zhashui: no fact has every word; exporting facts that match 1 of 2\n")


def test_an_export_never_overwrites_unless_told_and_never_leaves_half_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhashui_cli.export import database as sqlite_export

    database = tmp_path / "zhashui.db"
    database.write_text("precious")
    refused = CliRunner().invoke(app, ["export", "--sqlite", str(database)])
    assert refused.exit_code == 2
    assert refused.stderr == f"zhashui: {database} exists; give --replace to write over it\n"
    assert database.read_text() == "precious"

    def fail(db: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(sqlite_export, "_add_search", fail)
    failed = CliRunner().invoke(app, ["export", "--sqlite", str(database), "--replace"])
    assert (failed.exit_code, failed.stderr) == (74, f"zhashui: cannot write {database}: disk I/O error\n")
    assert database.read_text() == "precious"  # the old file is whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zhashui.db"]  # and nothing half-written lies beside it


def test_a_fact_file_export_verifies_and_searches_like_the_original(tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    result = CliRunner().invoke(app, ["export", "--yaml", str(folder)])
    assert result.exit_code == 0, result.output
    copy = folder / "facts.yaml"
    assert copy.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=schema/facts.schema.json\n")
    assert (folder / "schema" / "facts.schema.json").is_file()
    assert "base_value" not in copy.read_text(encoding="utf-8")  # derived values are left out
    exported = zhashui_cli.open(copy)
    assert exported.verify()["problems"] == []
    original = zhashui_cli.open(FACTS)
    for query in ("", "木耳", "loans", "muer", "toliets", "how many toilets were built"):
        assert exported.search(query).json_lines() == original.search(query).json_lines(), query
    assert exported.sources() == original.sources()


def test_figures_as_csv_sum_to_the_same_total(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["figures", "--unit", "元", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == 8
    assert sum(Decimal(row["base_value"]) for row in rows) == YUAN_TOTAL
    assert {row["base_unit"] for row in rows} == {"元"}
    assert list(rows[0])[:4] == ["fact_id", "n", "year", "category"]


def test_figures_filter_each_figure_not_each_fact() -> None:
    rows = zhashui_cli.open(FACTS).figures("toilets", unit="座")
    assert [(r["fact_id"], r["value"]) for r in rows] == [("2023-toilets", 98.0), ("2023-toilets", 7168.0)]
    biggest = zhashui_cli.open(FACTS).figures(unit="yuan", sort="value")
    assert [r["base_value"] for r in biggest] == sorted((r["base_value"] for r in biggest), reverse=True)


def test_the_sources_list_their_sections() -> None:
    sources = json.loads(CliRunner().invoke(app, ["sources", "--json"]).stdout)
    assert [s["id"] for s in sources] == ["zhashui-2024-02-07"]
    assert [section["id"] for section in sources[0]["sections"]][:2] == ["preamble", "2023-highlight-1"]
    assert sources[0]["names"][0]["pattern"] == "2023年|2024年"
