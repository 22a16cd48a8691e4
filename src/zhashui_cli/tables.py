"""Tables for a terminal, drawn with rich: wrapped to the width, coloured only where the
terminal wants colour, and every text from a fact file shown literally (no markup, no
escape sequences). Each function returns the finished text; the command line decides
whether it goes through a pager.

rich is imported here only, and only when a table is drawn, so scripts never pay for it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

from .render import base_text, cell, figure_text, printable
from .wrap import Wrapped

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table

    from .records import CategoryRow, FactRecord, Problem, Stats

DEFAULT_LIMIT = 20
_BOTH_LANGUAGES_WIDTH = 120
_WHOLE_IDS_WIDTH = 64
_HIGHLIGHT = "bold black on yellow"
_BAR_WIDTH = 30
_TITLES = {"id": "ID", "claim_en": "English", "name_en": "English", "label_en": "English label", "n": "N"}
_NUMERIC = frozenset({"facts", "value", "base_value", "n"})


class Lang(str, Enum):
    """Which claim column(s) a table shows; auto: both when wide, else the query's language."""

    AUTO = "auto"
    ZH = "zh"
    EN = "en"
    BOTH = "both"


def title(field: str) -> str:
    """A column's heading, the same with or without --fields."""
    return _TITLES.get(field, field.replace("_", " ").capitalize())


def console(width: int) -> Console:
    from rich.console import Console

    return Console(width=width, highlight=False, markup=False, emoji=False)


def draw(renderable: RenderableType, width: int) -> str:
    """What the renderable looks like on this terminal, colour included where it has colour."""
    screen = console(width)
    with screen.capture() as captured:
        screen.print(renderable)
    return captured.get()


def text(value: Any, pattern: re.Pattern[str] | None = None) -> Wrapped:
    from rich.text import Text

    shown = Text(printable(cell(value)))
    if pattern is not None:
        shown.highlight_regex(pattern, _HIGHLIGHT)
    return Wrapped(shown)


def table(*columns: str, numeric: Sequence[bool] = (), **options: Any) -> Table:
    from rich import box
    from rich.table import Table

    drawn = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, **options)
    for n, column in enumerate(columns):
        right = numeric[n] if n < len(numeric) else column.isdigit()
        drawn.add_column(column, overflow="fold", justify="right" if right else "left")
    return drawn


def highlighter(needles: Sequence[str]) -> re.Pattern[str] | None:
    """A pattern for the words to mark, longest first, ignoring case."""
    wanted = sorted({n for n in needles if n.strip()}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in wanted), re.IGNORECASE) if wanted else None


def resolve_lang(lang: Lang, words: Sequence[str], width: int) -> Lang:
    if lang is not Lang.AUTO:
        return lang
    if width >= _BOTH_LANGUAGES_WIDTH:
        return Lang.BOTH
    latin_only = words and all(word.isascii() for word in words)
    return Lang.EN if latin_only else Lang.ZH


def claim_fields(lang: Lang) -> list[str]:
    return {Lang.ZH: ["claim"], Lang.EN: ["claim_en"], Lang.BOTH: ["claim", "claim_en"]}[lang]


def generic(rows: Sequence[Mapping[str, Any]], fields: Sequence[str], pattern: re.Pattern[str] | None = None) -> Table:
    drawn = table(*map(title, fields), numeric=[f in _NUMERIC for f in fields], show_lines=True)
    for row in rows:
        drawn.add_row(*(text(row.get(name), pattern) for name in fields))
    return drawn


def search(records: Sequence[FactRecord], lang: Lang, width: int, pattern: re.Pattern[str] | None) -> Table:
    from rich.text import Text

    claims = claim_fields(lang)
    columns = ["ID", "Year", *("Claim" if len(claims) == 1 or n == 0 else "English" for n in range(len(claims)))]
    drawn = table(*columns, show_lines=True)
    # An id is copied whole into `zhashui show`: keep it on one line unless the terminal is too
    # narrow for that and a claim beside it; then it breaks at hyphens.
    whole_ids = width >= _WHOLE_IDS_WIDTH
    drawn.columns[0].no_wrap = whole_ids
    for record in records:
        fact_id = Text(printable(record["id"])) if whole_ids else text(record["id"])
        drawn.add_row(fact_id, str(record["year"]), *(text(record[field], pattern) for field in claims))  # type: ignore[literal-required]
    return drawn


def fact(record: FactRecord, paragraph: str, category: Mapping[str, Any], source: Mapping[str, Any]) -> RenderableType:
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    about = Table.grid(padding=(0, 2))
    about.add_column(style="bold", no_wrap=True)
    about.add_column(overflow="fold")
    for label, value in fact_lines(record, category, source):
        about.add_row(label, text(value))
    parts: list[RenderableType] = [about]
    if record["figures"]:
        figures = table("Figure", "Label", "Base value", numeric=[False, False, True])
        for figure in record["figures"]:
            figures.add_row(
                text(figure_text(figure)), text(f"{figure['label']} / {figure['label_en']}"), text(base_text(figure))
            )
        parts += [Text(""), figures]
    context = Text(printable(paragraph))
    quote = printable(record["quote"])
    start = context.plain.find(quote)
    if start >= 0:
        context.stylize(_HIGHLIGHT, start, start + len(quote))
    parts += [Text(""), Panel(Wrapped(context), title="Quote in its paragraph", title_align="left")]
    return Panel(Group(*parts), title=Text(printable(record["id"]), style="bold"), title_align="left")


def fact_lines(record: FactRecord, category: Mapping[str, Any], source: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The labelled lines of a fact, shared by the panel and the plain text for pipes."""
    lines = [
        ("中文", record["claim"]),
        ("English", record["claim_en"]),
        ("Category", f"{category['id']} · {category['name']} · {category['name_en']}"),
        ("Year · kind", f"{record['year']} · {record['kind']}"),
        ("Source", f"{source['title']} ({source['published']})"),
        ("Section", record["section"]),
        ("Tags", ", ".join(record["tags"])),
    ]
    if record["note"]:
        lines.insert(2, ("Note", record["note"]))
    return lines


def categories(rows: Sequence[CategoryRow], years: Sequence[int]) -> Table:
    drawn = table("ID", "Name", "English", "Facts", *map(str, years), numeric=[False, False, False, True])
    for row in rows:
        counts = {entry["year"]: entry["facts"] for entry in row["years"]}
        values = (row["id"], row["name"], row["name_en"], row["facts"], *(counts.get(year, 0) for year in years))
        drawn.add_row(*(text(v) for v in values))
    return drawn


def stats(document: Stats) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = [Text(f"{document['facts']} facts, {document['figures']} figures")]
    for dimension in ("category", "year", "kind"):
        parts.append(_bars(dimension, document[f"by_{dimension}"]))  # type: ignore[literal-required]
    amounts = table("Amount", "Label", "Fact", title="Largest amounts of money", title_justify="left")
    for amount in document["largest_amounts"]:
        amounts.add_row(text(figure_text(amount)), text(amount["label_en"]), text(amount["fact_id"]))
    parts.append(amounts)
    return Group(*parts)


def _bars(dimension: str, rows: Sequence[Mapping[str, Any]]) -> Table:
    from rich.text import Text

    drawn = table(
        dimension.capitalize(), "Facts", "", numeric=[False, True], title=f"Facts by {dimension}", title_justify="left"
    )
    most = max((row["facts"] for row in rows), default=0) or 1
    for row in rows:
        label = " ".join(str(part) for part in (row["key"], row.get("name") or "") if part != "")
        bar = Text("█" * max(1, round(_BAR_WIDTH * row["facts"] / most)) if row["facts"] else "", style="cyan")
        drawn.add_row(text(label), text(row["facts"]), bar)
    return drawn


def problems(lines: Sequence[Problem]) -> str:
    from .records import describe

    return "".join(printable(describe(problem)) + "\n" for problem in lines)
