"""Tables for a terminal, drawn with rich, and the plain text of a fact for a pipe.

Every table fits the terminal's width: text wraps (wrap.py), but an id never breaks (it is
copied into `zhashui show`) and a bar never wraps (its length is the count). When the width
is too small for every column, the least needed go first. Colour only where the terminal
wants it, and every text from a fact file shown literally: no markup, no escape sequences.

rich is imported here only, and only when a table is drawn, so scripts never pay for it;
the search results, the table drawn most, are drawn without it (results.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

from zhashui_cli._i18n import CHINESE, _
from zhashui_cli.factfile.vocabulary import KIND_NAMES_ZH
from zhashui_cli.index.text import has_cjk
from zhashui_cli.output.render import base_text, cell, figure_text, printable

from .wrap import Wrapped, spans, wrap_offsets

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table

    from zhashui_cli.records import CategoryRow, FactRecord, FigureRow, Problem, ShowRecord, SourceRecord

DEFAULT_LIMIT = 20
_BOTH_LANGUAGES_WIDTH = 120
MIN_TEXT = 16  # the narrowest a column of wrapped text is worth showing
BAR_LIMIT = 50  # the longest bar, in cells: longer ones say no more
_HIGHLIGHT = "bold black on yellow"
_NUMERIC = frozenset({"facts", "value", "base_value", "base value", "n", "line", "column"})
# Columns never broken: ids are copied into commands, numbers stay with their units.
_WHOLE = frozenset({"id", "fact_id", "figure", "base value", "value", "base_value", "year", "facts"})


class Lang(str, Enum):
    """Which language a table shows; auto: both on wide terminals, else the query's language."""

    AUTO = "auto"
    ZH = "zh"
    EN = "en"
    BOTH = "both"


@functools.cache
def _titles() -> dict[str, str]:
    """The headings of the records' fields (records.py), in the language of the run."""
    return {
        "accessed": _("Accessed"),
        "base_unit": _("Base unit"),
        "base_value": _("Base value"),
        "base value": _("Base value"),
        "category": _("Category"),
        "claim": _("Claim"),
        "claim_en": _("English"),
        "column": _("Column"),
        "context": _("Context"),
        "description": _("Description"),
        "dimension": _("Dimension"),
        "en": _("En"),
        "fact": _("Fact"),
        "fact_id": _("Fact"),
        "factor": _("Factor"),
        "facts": _("Facts"),
        "field": _("Field"),
        "figure": _("Figure"),
        "figures": _("Figures"),
        "file": _("File"),
        "id": _("ID"),
        "key": _("Key"),
        "kind": _("Kind"),
        "label": _("Label"),
        "label_en": _("English label"),
        "language": _("Language"),
        "line": _("Line"),
        "match": _("Match"),
        "message": _("Message"),
        "n": _("N"),
        "name": _("Name"),
        "name_en": _("English"),
        "names": _("Names"),
        "note": _("Note"),
        "number": _("Number"),
        "paragraph": _("Paragraph"),
        "published": _("Published"),
        "publisher": _("Publisher"),
        "qualifier": _("Qualifier"),
        "quote": _("Quote"),
        "rule": _("Rule"),
        "section": _("Section"),
        "sections": _("Sections"),
        "severity": _("Severity"),
        "source": _("Source"),
        "tag": _("Tag"),
        "tags": _("Tags"),
        "text": _("Text"),
        "title": _("Title"),
        "title_en": _("English title"),
        "unit": _("Unit"),
        "url": _("Url"),
        "value": _("Value"),
        "year": _("Year"),
        "years": _("Years"),
    }


def title(field: str) -> str:
    """A column's heading, the same with or without --fields, in the language of the run."""
    return _titles().get(field, field.replace("_", " ").capitalize())


def width_of(text: str) -> int:
    return sum(cells for _, _, cells in spans(text))


def console(width: int, styling: str) -> Console:
    """A console of the terminal's width, styled as the Environment says (screen.styling and
    --color), not as rich would guess from the process: a height too, or rich takes a dumb
    terminal (TERM=dumb) for 80 columns whatever its width."""
    from rich.console import Console

    return Console(
        width=width,
        height=_NO_HEIGHT,
        color_system="standard" if styling else None,
        force_terminal=bool(styling),
        no_color=styling == "bold",
        highlight=False,
        markup=False,
        emoji=False,
    )


_NO_HEIGHT = 25  # rich reads a height only for full-screen layouts, which no table uses
_TRAILING = r"(?m) +((?:\x1b\[[0-9;]*m)*)$"  # compiled by re when first used: a JSON run never is


def draw(renderable: RenderableType, width: int, styling: str = "") -> str:
    """What the renderable looks like on this terminal, styled where it may be, without the
    spaces rich pads a row's last cell with (copy and paste would take them)."""
    screen = console(width, styling)
    with screen.capture() as captured:
        screen.print(renderable, crop=False)  # an id longer than a narrow terminal shows whole
    return re.sub(_TRAILING, r"\1", captured.get())


def text(value: Any, pattern: re.Pattern[str] | None = None) -> Wrapped:
    from rich.text import Text

    shown = Text(printable(cell(value)))
    if pattern is not None:
        shown.highlight_regex(pattern, _HIGHLIGHT)
    return Wrapped(shown)


def whole(value: Any, style: str = "") -> Any:
    """Text that is never broken: an id, a number with its unit, a bar."""
    from rich.text import Text

    return Text(printable(cell(value)), style=style, no_wrap=True, overflow="ignore")


def table(*columns: str, numeric: Sequence[bool] = (), **options: Any) -> Table:
    from rich import box
    from rich.table import Table

    drawn = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, **options)
    for n, column in enumerate(columns):
        right = numeric[n] if n < len(numeric) else column.isdigit()
        drawn.add_column(column, overflow="fold", justify="right" if right else "left")
    return drawn


def marks(record: Mapping[str, Any]) -> re.Pattern[str] | None:
    """What to mark in a fact found by a search: the words of the fact its query words were
    found as, which the search returns in the record's match (records.MatchRecord), so that
    muer marks 木耳 and labor marks labour; the view never searches again. None for a
    record no search found (figures, tags, show)."""
    match = record.get("match")
    found = {term["as"] for term in match["terms"].values()} if isinstance(match, Mapping) else set()
    return _marking(tuple(sorted(found, key=lambda word: (-len(word), word))))


@functools.cache
def _marking(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """The pattern of words, longest first, in any case; a Latin word with the rest of the
    word it starts (hospital marks hospitals), as a reader sees a word."""
    parts = [rf"\b{re.escape(w)}\w*" if w.isascii() and w[:1].isalnum() else re.escape(w) for w in words if w.strip()]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def resolve_lang(lang: Lang, words: Sequence[str], width: int) -> Lang:
    if lang is not Lang.AUTO:
        return lang
    if width >= _BOTH_LANGUAGES_WIDTH:
        return Lang.BOTH
    latin_only = words and all(word.isascii() for word in words)
    return Lang.EN if latin_only else Lang.ZH


def claim_fields(lang: Lang) -> list[str]:
    return {Lang.ZH: ["claim"], Lang.EN: ["claim_en"], Lang.BOTH: ["claim", "claim_en"]}[lang]


def name_fields(lang: Lang) -> list[str]:
    return {Lang.ZH: ["name"], Lang.EN: ["name_en"], Lang.BOTH: ["name", "name_en"]}[lang]


def in_lang(text_: str, lang: Lang) -> bool:
    """Whether a tag is in the language asked for (auto and both: any)."""
    return lang in (Lang.AUTO, Lang.BOTH) or (lang is Lang.ZH) == has_cjk(text_)


def generic(
    rows: Sequence[Mapping[str, Any]], fields: Sequence[str], width: int = 0, lines: bool = True
) -> RenderableType:
    """Any fields as columns, a blank line between rows of wrapped text (lines), the words a
    search found marked; too narrow for that, each row stacked under its id, field by field.
    Numbers, units and ids are never broken (_WHOLE): a table that cannot hold them whole is
    stacked instead."""
    key = next((f for f in fields if f in ("id", "fact_id")), None)
    if width and key is not None and width < _row_width(rows, fields):
        return _stacked_rows(rows, key, [f for f in fields if f != key], width)
    drawn = table(*map(title, fields), numeric=[f in _NUMERIC for f in fields], show_lines=lines)
    for n, field in enumerate(fields):
        drawn.columns[n].no_wrap = field in _WHOLE
    for row in rows:
        pattern = marks(row)
        drawn.add_row(*(whole(row.get(f)) if f in _WHOLE else text(row.get(f), pattern) for f in fields))
    return drawn


def _row_width(rows: Sequence[Mapping[str, Any]], fields: Sequence[str]) -> int:
    """How wide a table of these fields must be: whole ids and numbers, and a little room for
    the rest (at most the widest of what it holds that cannot be broken)."""
    widths = []
    for field in fields:
        shown = [printable(cell(row.get(field))) for row in rows]
        if field in _WHOLE:
            widths.append(max(map(width_of, shown), default=0))
        else:
            unbroken = max((cells for value in shown for _, _, cells in spans(value)), default=0)
            widths.append(max(unbroken, min(MIN_TEXT // 2, max(map(width_of, shown), default=0))))
    return sum(widths) + 2 * (len(fields) - 1)


def _stacked_rows(rows: Sequence[Mapping[str, Any]], key: str, rest: Sequence[str], width: int) -> RenderableType:
    """Each row as its id, then a line "Field: value" per field; a number whole on its line,
    under its field's name when the two do not fit on one."""
    from rich.console import Group
    from rich.padding import Padding

    parts: list[RenderableType] = []
    for row in rows:
        pattern = marks(row)
        parts.append(whole(row.get(key), "bold"))
        for field in rest:
            line = f"{title(field)}: {cell(row.get(field))}"
            if field not in _WHOLE:
                parts.append(Padding(text(line, pattern), (0, 0, 0, 2)))
            elif width_of(printable(line)) + 2 <= width:
                parts.append(Padding(whole(line), (0, 0, 0, 2)))
            else:
                parts += [
                    Padding(whole(f"{title(field)}:"), (0, 0, 0, 2)),
                    Padding(whole(row.get(field)), (0, 0, 0, 4)),
                ]
    return Group(*parts)


def pad(shown: str, width: int) -> str:
    """Text with spaces after it to fill width cells."""
    return shown + " " * max(0, width - width_of(shown))


# -- show --------------------------------------------------------------------------------------
def source_line(source: Mapping[str, Any]) -> str:
    """A source as a reader cites it: its title, who published it (when it says) and when."""
    by = f" · {source['publisher']}" if source.get("publisher") else ""
    return f"{source['title']}{by} · {source['published']}"


def section_heading(source: Mapping[str, Any], section_id: str) -> str:
    """A section by the heading a reader finds in the source, not its id."""
    section = next((s for s in source["sections"] if s["id"] == section_id), None)
    return section_id if section is None else f"{section['title']} · {section['title_en']}"


def fact_lines(record: FactRecord, category: Mapping[str, Any], source: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The labelled lines of a fact, shared by the panel and the plain text for pipes."""
    lines = [
        ("中文", record["claim"]),
        ("English", record["claim_en"]),
        ("Category", f"{category['id']} · {category['name']} · {category['name_en']}"),
        ("Year · kind", f"{record['year']} · {record['kind']}"),
        ("Source", source_line(source)),
        ("Section", section_heading(source, record["section"])),
        ("Tags", ", ".join(record["tags"])),
    ]
    if record["note"]:
        lines.insert(2, ("Note", record["note"]))
    return lines


def facts(found: Sequence[tuple[ShowRecord, Any, Any]], width: int, styling: str = "") -> RenderableType:
    from rich.console import Group

    return Group(*(fact(record, category, source, width, styling) for record, category, source in found))


def fact(
    record: ShowRecord, category: Mapping[str, Any], source: Mapping[str, Any], width: int = 80, styling: str = ""
) -> RenderableType:
    """A fact in a panel as wide as the terminal, its quote marked in its paragraph: styled
    where the terminal has styles, else between 【】 as in a pipe (TERM=dumb, --color never)."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    boxed = width >= len(record["id"]) + 8  # a panel's title is cut when it is wider than the panel
    about = Table.grid(padding=(0, 2))
    about.add_column(style="bold", no_wrap=True)
    about.add_column(overflow="fold")
    labels = {
        "中文": _("中文"),
        "English": _("English"),
        "Note": _("Note"),
        "Category": _("Category"),
        "Year · kind": _("Year · kind"),
        "Source": _("Source"),
        "Section": _("Section"),
        "Tags": _("Tags"),
    }
    kind_zh = {kind.value: name for kind, name in KIND_NAMES_ZH.items()}.get(record["kind"]) if CHINESE else None
    for label, value in fact_lines(record, category, source):  # the pipe's labels, which stay English
        shown = f"{value} {kind_zh}" if label == "Year · kind" and kind_zh else value  # model.py's name of the kind
        about.add_row(labels[label], text(shown))
    parts: list[RenderableType] = [about]
    if record["figures"]:
        parts += [Text(""), _figures_of(record["figures"], width - 4 if boxed else width)]
    if styling:
        context = Text(printable(record["paragraph"]))
        quote = printable(record["quote"])
        start = context.plain.find(quote)
        if start >= 0:
            context.stylize(_HIGHLIGHT, start, start + len(quote))
    else:
        context = Text(printable(quote_marked(record["paragraph"], record["quote"])))
    if not boxed:
        return Group(whole(record["id"], "bold"), *parts, Text(""), Wrapped(context), Text(""))
    parts += [Text(""), Panel(Wrapped(context), title=_("Quote in its paragraph"), title_align="left")]
    return Panel(Group(*parts), title=Text(printable(record["id"]), style="bold"), title_align="left")


def _figures_of(found: Sequence[Mapping[str, Any]], width: int) -> RenderableType:
    """A fact's figures: a table of figure, label and base value where the numbers fit whole
    beside a label worth reading; narrower, each figure with its base value, then its label."""
    from rich.console import Group
    from rich.padding import Padding

    shown = [(figure_text(f), f"{f['label']} / {f['label_en']}", base_text(f)) for f in found]
    headings = (_("Figure"), _("Label"), _("Base value"))
    figure_width = max(width_of(row[0]) for row in [*shown, headings])
    base_width = max(width_of(row[2]) for row in [*shown, headings])
    if figure_width + base_width + MIN_TEXT + 4 <= width:
        figures = table(*headings, numeric=[False, False, True])
        figures.columns[0].no_wrap = figures.columns[2].no_wrap = True
        for figure, label, base in shown:
            figures.add_row(whole(figure), text(label), whole(base))
        return figures
    parts: list[RenderableType] = []
    for figure, label, base in shown:
        both = f"{figure} = {base}"
        parts += [whole(both)] if width_of(both) <= width else [whole(figure), whole(f"= {base}")]
        parts.append(Padding(text(label), (0, 0, 0, 2)))
    return Group(*parts)


def quote_marked(paragraph: str, quote: str) -> str:
    """The paragraph with its quote between 【】, where no style can mark it (a pipe, a dumb
    terminal); the quote alone when the paragraph does not hold it as written."""
    return paragraph.replace(quote, f"【{quote}】", 1) if quote in paragraph else f"【{quote}】"


def fact_text(record: ShowRecord, category: Mapping[str, Any], source: Mapping[str, Any]) -> str:
    """A fact as plain text for a pipe: its id, then a label and a tab before each value, the
    quote marked 【…】 inside its paragraph."""
    from zhashui_cli.output.render import tsv

    lines: list[list[object]] = [[record["id"]]]
    lines += [[label, value] for label, value in fact_lines(record, category, source)]
    lines += [["Figure", figure_text(f), f"{f['label']} / {f['label_en']}", base_text(f)] for f in record["figures"]]
    lines.append(["Quote", quote_marked(record["paragraph"], record["quote"])])
    return tsv(lines)


# -- the other commands ---------------------------------------------------------------------------
def categories(rows: Sequence[CategoryRow], years: Sequence[int], width: int) -> Table:
    """ID, names, counts; the English name goes first when the terminal is narrow, then the
    Chinese one."""
    shown = ["name", "name_en"]
    while shown and width < _table_width(rows, shown, years):
        shown.pop()
    drawn = table(
        title("id"), *map(title, shown), title("facts"), *map(str, years), numeric=[False, *[False] * len(shown), True]
    )
    drawn.columns[0].no_wrap = True
    for row in rows:
        counts = {entry["year"]: entry["facts"] for entry in row["years"]}
        values = [row[field] for field in shown]  # type: ignore[literal-required]
        drawn.add_row(whole(row["id"]), *map(text, values), str(row["facts"]), *(str(counts.get(y, 0)) for y in years))
    return drawn


def _table_width(rows: Sequence[Mapping[str, Any]], text_fields: Sequence[str], years: Sequence[int]) -> int:
    ids = max(len(row["id"]) for row in rows)
    texts = sum(min(MIN_TEXT, max(width_of(str(row[f])) for row in rows)) for f in text_fields)
    return ids + texts + 5 + 5 * len(years) + 2 * (len(text_fields) + 1 + len(years))


def figures(rows: Sequence[FigureRow], width: int) -> RenderableType:
    shown = [
        {
            "fact_id": row["fact_id"],
            "year": row["year"],
            "figure": figure_text(row),
            "label": row["label_en"] if width < 100 else f"{row['label']} / {row['label_en']}",
            "base value": base_text(row),
        }
        for row in rows
    ]
    return generic(shown, ("fact_id", "year", "figure", "label", "base value"), width=width)


def sources(rows: Sequence[SourceRecord], width: int) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = []
    for source in rows:
        head = f"{source['id']}  {source['published']}"
        parts += (
            [whole(head, "bold")]
            if width_of(head) <= width
            else [whole(source["id"], "bold"), whole(source["published"])]
        )
        parts.append(text(f"{source['title']} · {source['title_en']}"))
        sections = table(title("section"), title("year"), title("title"), title=None)
        sections.columns[0].no_wrap = True
        for section in source["sections"]:
            sections.add_row(
                whole(section["id"]), str(section["year"] or ""), text(f"{section['title']} · {section['title_en']}")
            )
        parts += [sections, Text("")]
    return Group(*parts)


def sources_text(rows: Sequence[SourceRecord]) -> str:
    """The sources and their sections for a pipe: one line each, tab-separated."""
    from zhashui_cli.output.render import tsv

    lines: list[list[object]] = []
    for source in rows:
        lines.append(["source", source["id"], source["published"], source["title"], source["title_en"]])
        lines += [["section", s["id"], s["year"], s["title"], s["title_en"]] for s in source["sections"]]
    return tsv(lines)


def wrapped_lines(text_: str, width: int) -> str:
    """Lines of plain text (verify's problems, coverage's numbers) wrapped to a terminal's
    width, each line's continuation indented, a number with its unit never broken (wrap.py):
    a terminal would break a long line at its edge, wherever that falls."""
    shown = []
    for line in text_.splitlines():
        pieces = [line[start:end] for start, end in wrap_offsets(line, max(1, width - 2))] or [""]
        shown += [pieces[0], *("  " + piece for piece in pieces[1:])]
    return "".join(line + "\n" for line in shown)


def problems(found: Sequence[Problem]) -> str:
    """verify's problems, a line each, in the language of the run."""
    from zhashui_cli.records import describe

    return "".join(printable(describe(problem, _)) + "\n" for problem in found)
