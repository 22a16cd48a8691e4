"""Lines for a pipe keep their meaning (issue 19, item 3): a figure as written beside its base
value, the documented columns (--header prints them), every row unless -n says otherwise;
and Markdown keeps units and qualifiers."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from zhashui_cli.cli.app import app
from zhashui_cli.cli.commands.find import FIGURE_COLUMNS
from zhashui_cli.terminal.screen import Environment

from .conftest import FACT_COUNT, FIGURE_COUNT, REPO

PIPE = Environment(False, 80, 24, "")


def piped(*args: str, env: Environment = PIPE) -> list[str]:
    result = CliRunner().invoke(app, list(args), obj=env)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_a_figure_in_a_pipe_is_as_written_beside_its_base_value() -> None:
    """`zhashui figures --unit yuan | head -3`: >3000万元 is 30000000 元, more than that."""
    first = piped("figures", "--unit", "yuan", "--sort", "value")[0].split("\t")
    row = dict(zip(FIGURE_COLUMNS, first, strict=True))
    assert row["figure"].endswith(("万元", "亿元", "元")) and float(row["base_value"]) > 0
    cuts = next(line for line in piped("figures", "--unit", "yuan") if line.startswith("2023-tax-fee-cuts\t"))
    assert cuts.split("\t") == [
        "2023-tax-fee-cuts",
        "2023",
        ">3000万元",
        "30000000",
        "元",
        "more_than",
        "减税降费",
        "tax and fee cuts",
    ]


@pytest.mark.parametrize(
    ("args", "columns"),
    [
        (["figures"], list(FIGURE_COLUMNS)),
        (["search", "木耳"], ["id", "year", "claim"]),
        (["search", "loans"], ["id", "year", "claim_en"]),
        (["tags"], ["tag", "facts"]),
        (["categories"], ["id", "name", "name_en", "facts", "2023", "2024"]),
        (["figures", "--fields", "fact_id,value,unit"], ["fact_id", "value", "unit"]),
    ],
)
def test_header_names_the_columns_and_the_readme_documents_them(args: list[str], columns: list[str]) -> None:
    lines = piped(*args, "--header")
    assert lines[0].split("\t") == columns and lines[1:] == piped(*args)
    assert all(line.count("\t") == len(columns) - 1 for line in lines)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### In a pipe") :][:4000]
    documented = re.search(rf"^\| `{args[0]}` \| (.*) \|$", section, re.M)
    chosen = "--fields" in args  # then the columns are the ones named
    assert documented is not None and (chosen or all(f"`{c}`" in documented.group(1) for c in columns[:3]))


def test_a_pipe_gets_every_row_unless_told() -> None:
    """A terminal gets 20 (tests/test_cli.py)."""
    assert len(piped("search")) == FACT_COUNT
    assert len(piped("figures")) == FIGURE_COUNT
    assert len(piped("search", "-n", "5")) == 5


def test_markdown_keeps_units_and_qualifiers() -> None:
    table = piped("figures", "--unit", "yuan", "--format", "markdown")
    assert table[0] == "| " + " | ".join(FIGURE_COLUMNS) + " |"
    assert any(r"| \>3000万元 | 30000000 | 元 | more\_than |" in line for line in table)
