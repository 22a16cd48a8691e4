"""The output contract as JSON Schemas (schema/output/): generated from records.py, and every
command's JSON and JSON Lines valid against them."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from zhashui_cli.cli.app import app

from .conftest import REPO, load_script

OUTPUT = REPO / "schema" / "output"


@cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((OUTPUT / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def output(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code in (0, 1, 2) and "Traceback" not in result.output, result.output
    return str(result.stdout)


def test_the_schemas_are_what_records_py_says() -> None:
    assert load_script("gen_schemas").schemas() == {
        path.name: path.read_text(encoding="utf-8") for path in sorted(OUTPUT.glob("*.schema.json"))
    }, "run python scripts/gen_schemas.py"


@pytest.mark.parametrize(
    ("args", "schema", "shape"),
    [
        (["search", "--json"], "search-record", "list"),
        (["search", "muer", "toliets", "--json"], "search-record", "list"),
        (["search", "--format", "jsonl", "-c", "economy"], "search-record", "lines"),
        (["search", "13.59", "--exact", "--json"], "search-record", "list"),
        (["show", "2023-toilets", "--json"], "show-record", "object"),
        (["show", "2023-toilets", "2024-democratic-politics", "--json"], "show-record", "list"),
        (["categories", "--json"], "category-row", "list"),
        (["categories", "--format", "jsonl"], "category-row", "lines"),
        (["stats", "--json"], "stats", "object"),
        (["stats", "--format", "jsonl"], "stats-row", "lines"),
        (["tags", "--json"], "tag-row", "list"),
        (["figures", "--json"], "figure-row", "list"),
        (["figures", "--unit", "yuan", "--format", "jsonl"], "figure-row", "lines"),
        (["sources", "--json"], "source", "list"),
        (["verify", "--json"], "verify-report", "object"),
        (
            ["verify", "--format", "jsonl", "--facts", str(REPO / "tests" / "broken" / "quote-in-source.yaml")],
            "problem",
            "lines",
        ),
        (["verify", "--json", "--facts", str(REPO / "tests" / "broken" / "yaml.yaml")], "verify-report", "object"),
        (["coverage", "--json", "--facts", str(REPO / "tests" / "broken" / "coverage.yaml")], "uncovered", "list"),
        (["cache", "info", "--json"], "cache-info", "object"),
    ],
)
def test_every_command_writes_what_its_schema_says(args: list[str], schema: str, shape: str) -> None:
    text = output(*args)
    documents: list[Any]
    if shape == "lines":
        documents = [json.loads(line) for line in text.splitlines()]
    elif shape == "list":
        documents = json.loads(text)
        assert isinstance(documents, list)
    else:
        documents = [json.loads(text)]
    assert documents
    for document in documents:
        errors = [f"{list(error.path)}: {error.message}" for error in validator(schema).iter_errors(document)]
        assert errors == [], (args, errors[:3])


def test_a_figure_value_is_always_a_json_float() -> None:
    text = output("figures", "--json")
    assert '"base_value":924000000.0' in text and '"value":7168.0' in text
