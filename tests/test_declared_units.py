"""Units a fact file declares (its `units:` list) work wherever built-in units do: figure
validation, base values, the unit and amount filters, figures, sums, the claim rule, the
index and its cache, and both exports (issue 18 item 5).

tests/declared-units/facts.yaml is tests/broken/base.yaml with four declared units: a new
base unit (箱) and one after it (万箱), one beside a built-in unit of the same base (千袋 beside
万袋), and one whose factor is not whole (公斤, 0.001 吨). The broken declarations are in
tests/broken/*--unit*.yaml.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

import zhashui_cli
from zhashui_cli import QueryError
from zhashui_cli.export import fact_file, sqlite
from zhashui_cli.factfile.store import load

from .conftest import REPO

DECLARED = REPO / "tests" / "declared-units"
UNITS = [
    {"unit": "箱", "base_unit": "箱", "factor": 1, "en": "boxes"},
    {"unit": "万箱", "base_unit": "箱", "factor": 10000, "en": "ten thousand boxes"},
    {"unit": "千袋", "base_unit": "袋", "factor": 1000, "en": "thousand bags"},
    {"unit": "公斤", "base_unit": "吨", "factor": 0.001, "en": "kilograms"},
]


def copied(tmp_path: Path, old: str = "", new: str = "") -> Path:
    """The declared-units fact file and its source in tmp_path, with one text replaced."""
    shutil.copy(DECLARED / "sample.txt", tmp_path / "sample.txt")
    text = (DECLARED / "facts.yaml").read_text(encoding="utf-8")
    assert not old or text.count(old) == 1
    (tmp_path / "facts.yaml").write_text(text.replace(old, new, 1) if old else text, encoding="utf-8")
    return tmp_path / "facts.yaml"


def ids(path: Path = DECLARED / "facts.yaml", **filters: Any) -> list[str]:
    return zhashui_cli.open(path).search(**filters).ids


def test_a_fact_file_that_declares_units_holds_every_rule() -> None:
    report = zhashui_cli.open(DECLARED / "facts.yaml").verify()
    assert report["problems"] == [] and report["ok"]
    assert zhashui_cli.open(DECLARED / "facts.yaml").units() == UNITS


def test_declared_units_have_exact_base_values() -> None:
    rows = zhashui_cli.open(DECLARED / "facts.yaml").figures(unit=None)
    declared = {row["fact_id"]: (row["value"], row["unit"], row["base_value"], row["base_unit"]) for row in rows}
    assert declared["2023-fungus-boxes"] == (8.5, "万箱", 85_000, "箱")
    assert declared["2023-fungus-bags"] == (350, "千袋", 350_000, "袋")
    assert declared["2023-new-fungus-bags"] == (2, "万袋", 20_000, "袋")  # built in, same base unit
    assert declared["2023-wood-ear-harvest"] == (1200, "公斤", 1.2, "吨")  # 1200 × 0.001, exact
    figure = next(f for f in load(DECLARED / "facts.yaml").file.facts if f.id == "2023-wood-ear-harvest").figures[0]
    assert figure.base_value == Decimal("1.2")


def test_declared_units_filter_like_built_in_ones() -> None:
    assert ids(unit="箱") == ["2023-fungus-boxes"]
    assert ids(unit="boxes") == ids(unit="万箱") == ["2023-fungus-boxes"]  # its English name, a unit of its base
    assert ids(unit="Kilograms", minimum=1000) == ["2023-wood-ear-harvest"]
    assert ids(unit="万箱", minimum=8) == ["2023-fungus-boxes"]  # 8万箱 ≤ 8.5万箱
    assert ids(unit="万箱", minimum=9) == []
    assert ids(unit="公斤", minimum=1000) == ["2023-wood-ear-harvest"]  # 1000公斤 = 1 吨 ≤ 1.2 吨
    assert ids(unit="公斤", minimum=1500) == []
    assert ids(unit="公斤", minimum="0.1万") == ["2023-wood-ear-harvest"]  # 0.1万公斤 = 1 吨
    assert ids(minimum="1100公斤", maximum="1.3") == ["2023-wood-ear-harvest"]  # its own unit names 吨
    assert ids(unit="袋", minimum="30万袋") == ["2023-fungus-bags"]  # 350千袋 = 35万袋
    assert ids(unit="千袋", maximum=100) == ["2023-new-fungus-bags"]  # 2万袋 = 20千袋


def test_an_unknown_unit_in_a_query_lists_the_declared_ones() -> None:
    with pytest.raises(QueryError) as raised:
        zhashui_cli.open(DECLARED / "facts.yaml").search(unit="斤")
    assert str(raised.value).endswith("or one after 万 or 亿 (万元, 亿元); declared: 箱, 万箱, 千袋, 公斤")


def test_figures_of_a_declared_unit_are_summed_with_the_built_in_ones(tmp_path: Path) -> None:
    base = zhashui_cli.open(DECLARED / "facts.yaml")
    database = tmp_path / "facts.db"
    sqlite(database, base.search().records, base.categories(), base.sources(), units=base.units())
    with closing(sqlite3.connect(database)) as db:
        total = db.execute("SELECT sum(base_value) FROM figures WHERE base_unit = '袋'").fetchone()[0]
        units = db.execute("SELECT unit, base_unit, factor, en FROM units").fetchall()
    assert total == 370_000  # 350千袋 and 2万袋
    assert units == [tuple(unit.values()) for unit in UNITS]


def test_the_fact_file_export_keeps_the_units_list(tmp_path: Path) -> None:
    written = fact_file(tmp_path / "copy", load(DECLARED / "facts.yaml").file)
    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert next(iter(data)) == "units" and data["units"] == UNITS
    assert zhashui_cli.open(written).verify()["ok"]
    assert ids(written, unit="公斤", minimum=1000) == ["2023-wood-ear-harvest"]


def test_the_fact_file_export_writes_no_units_list_for_a_file_that_declares_none(tmp_path: Path) -> None:
    written = fact_file(tmp_path / "copy", load(REPO / "tests" / "broken" / "base.yaml").file)
    assert "units" not in yaml.safe_load(written.read_text(encoding="utf-8"))


def test_an_english_claim_may_state_a_figure_in_its_declared_unit(tmp_path: Path) -> None:
    # 1,200 kilograms is the figure as written, before its unit's English name; 1.2 tonnes its base value.
    base_value = copied(tmp_path, "1,200 kilograms of wood ear", "1.2 tonnes of wood ear")
    assert zhashui_cli.open(base_value).verify()["ok"]
    wrong = copied(tmp_path, "1,200 kilograms of wood ear", "1,300 kilograms of wood ear")
    problems = zhashui_cli.open(wrong).verify()["problems"]
    assert [(p["rule"], p["fact"], p["field"]) for p in problems] == [
        ("claim-figures", "2023-wood-ear-harvest", "claim_en")
    ]
    assert "states '1,300', but figures[0] is 1200公斤 = 1.2" in problems[0]["message"]


def test_an_english_claim_names_a_declared_unit_without_its_words_counting_as_numbers(tmp_path: Path) -> None:
    # "ten thousand boxes" holds number words; after a figure they are its unit, not numbers.
    path = copied(tmp_path, "85,000 boxes of fungus packs", "8.5 ten thousand boxes of fungus packs")
    assert zhashui_cli.open(path).verify()["problems"] == []


def test_a_changed_units_list_changes_the_index(tmp_path: Path) -> None:
    path = copied(tmp_path)
    assert zhashui_cli.open(path).figures(unit="吨")[0]["base_value"] == 1.2  # indexed and cached
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("base_unit: 吨, factor: 0.001", "base_unit: 吨, factor: 0.002"), encoding="utf-8")
    base = zhashui_cli.open(path)
    assert base.figures(unit="吨")[0]["base_value"] == 2.4
    assert base.units()[3]["factor"] == 0.002


def hostile_units(tmp_path: Path, payload: str) -> Path:
    """The declared-units file with a terminal payload in a declared unit (as figures, claims,
    quote and source write it) and in the English name of another."""
    path = copied(tmp_path)
    unit = "万箱" + payload
    (tmp_path / "sample.txt").write_text(
        (DECLARED / "sample.txt").read_text(encoding="utf-8").replace("8.5万箱", f"8.5{unit}"), encoding="utf-8"
    )
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["units"][1]["unit"] = unit
    data["units"][0]["en"] = "boxes" + payload
    fact = next(fact for fact in data["facts"] if fact["id"] == "2023-fungus-boxes")
    fact["figures"][0]["unit"] = unit
    for field in ("claim", "quote"):
        fact[field] = fact[field].replace("万箱", unit)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "view",
    [
        ["figures"],
        ["show", "2023-fungus-boxes"],
        ["search", "菌包"],
        ["search", "--unit", "斤"],  # the error lists the declared units
        ["verify"],
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("terminal", [True, False])
def test_a_declared_unit_reaches_no_terminal_raw(tmp_path: Path, view: list[str], terminal: bool) -> None:
    from typer.testing import CliRunner

    from zhashui_cli.cli.app import app

    from .test_hostile_output import PAYLOAD, raw_unsafe

    path = hostile_units(tmp_path, re.sub(r"\d", "", PAYLOAD))  # no digits: the source has no numbers to cover
    assert zhashui_cli.open(path).verify()["ok"]  # a unit like any other text of the file
    env = {"ZHASHUI_FORCE_TTY": "120", "NO_COLOR": "1"} if terminal else {}
    result = CliRunner().invoke(app, [*view, "--facts", str(path)], env=env)
    assert "Traceback" not in result.output
    assert raw_unsafe(result.stdout, layout="\n" if terminal else "\n\t") == [] and raw_unsafe(result.stderr) == []
    quiet = view == ["verify"] or (view == ["figures"] and not terminal)  # a pipe's figure lines name no unit
    assert "\\x1b]" in result.stdout + result.stderr or quiet  # shown, escaped
