"""Every output of every command, in every format, is written here.

Machine formats (json, jsonl, csv, yaml) are a contract for scripts: UTF-8 bytes written
straight to stdout, never through rich, whose wrapping and colours would corrupt them, and
never cut short. The table format is for people: rich, wrapped to the terminal, colour only
where the terminal wants it, and every text from a fact file shown literally (no markup, no
terminal escape sequences). Markdown is a plain-text document for pasting.

rich is imported only by the functions that draw tables, so scripts never pay for it.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import Enum
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, TextIO

from .units import Qualifier, json_number

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.measure import Measurement
    from rich.table import Table
    from rich.text import Text

    from .model import Category, Fact, Figure, Source


class OutputFormat(str, Enum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    YAML = "yaml"
    MARKDOWN = "markdown"


class Lang(str, Enum):
    """Which claim column(s) a table shows; auto: both when wide, else the query's language."""

    AUTO = "auto"
    ZH = "zh"
    EN = "en"
    BOTH = "both"


FACT_FIELDS = (
    "id",
    "source",
    "section",
    "category",
    "year",
    "kind",
    "claim",
    "claim_en",
    "quote",
    "note",
    "tags",
    "figures",
)
FIGURE_FIELDS = ("value", "unit", "qualifier", "label", "label_en", "base_value", "base_unit")
SHOW_FIELDS = (*FACT_FIELDS, "paragraph")
CATEGORY_FIELDS = ("id", "name", "name_en", "description", "facts", "years")
DEFAULT_TABLE_LIMIT = 20
_BOTH_LANGUAGES_WIDTH = 120
_WHOLE_IDS_WIDTH = 64
_HIGHLIGHT = "bold black on yellow"


class UnknownFieldError(ValueError):
    def __init__(self, unknown: Sequence[str], allowed: Sequence[str]) -> None:
        super().__init__(f"unknown field(s) {', '.join(unknown)}; valid fields: {','.join(allowed)}")


# -- records: the JSON contract --------------------------------------------------------------
def figure_record(figure: Figure) -> dict[str, Any]:
    return {
        "value": json_number(figure.value),
        "unit": figure.unit,
        "qualifier": figure.qualifier.value,
        "label": figure.label,
        "label_en": figure.label_en,
        "base_value": json_number(figure.base_value),
        "base_unit": figure.base_unit,
    }


def fact_record(fact: Fact) -> dict[str, Any]:
    return {
        "id": fact.id,
        "source": fact.source,
        "section": fact.section,
        "category": fact.category,
        "year": fact.year,
        "kind": fact.kind.value,
        "claim": fact.claim,
        "claim_en": fact.claim_en,
        "quote": fact.quote,
        "note": fact.note,
        "tags": list(fact.tags),
        "figures": [figure_record(figure) for figure in fact.figures],
    }


def category_record(category: Category) -> dict[str, Any]:
    return {"id": category.id, "name": category.name, "name_en": category.name_en, "description": category.description}


def source_record(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "title_en": source.title_en,
        "published": source.published,
        "publisher": source.publisher,
        "language": source.language,
        "text": source.text,
    }


def parse_fields(spec: str | None, allowed: Sequence[str]) -> tuple[str, ...] | None:
    """The fields named by --fields, in the order given; None when the option is absent."""
    if spec is None:
        return None
    fields = tuple(dict.fromkeys(name.strip() for name in spec.split(",") if name.strip()))
    unknown = [name for name in fields if name not in allowed]
    if unknown or not fields:
        raise UnknownFieldError(unknown or ["(none)"], allowed)
    return fields


def _project(records: Iterable[Mapping[str, Any]], fields: Sequence[str] | None) -> list[dict[str, Any]]:
    return [dict(r) if fields is None else {name: r.get(name) for name in fields} for r in records]


# -- plain text helpers ---------------------------------------------------------------------------
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Control characters and bidi overrides made visible (\\x1b), so a terminal never obeys them."""
    return _UNSAFE.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def figure_text(figure: Mapping[str, Any]) -> str:
    """A figure as the bulletin would write it, with its qualifier as a sign: >3000万元."""
    # JSON keeps the number as written: an int, or the shortest float that reads back the same.
    return f"{Qualifier(figure['qualifier']).symbol}{figure['value']}{figure['unit']}"


def _cell(value: Any) -> str:
    """One value as flat text for csv and markdown cells."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_figure_cell(item) if isinstance(item, dict) else _cell(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}={_cell(item)}" for key, item in value.items())
    return str(value)


def _figure_cell(figure: Mapping[str, Any]) -> str:
    return f"{figure['label']} {figure_text(figure)}"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")


def _csv_safe(text: str) -> str:
    """A leading ' keeps spreadsheets from running a cell as a formula (OWASP CSV injection).
    A NUL, which CSV cannot carry (Python 3.10's csv refuses it), is written as \\x00."""
    text = text.replace("\x00", "\\x00")
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


# -- machine formats -------------------------------------------------------------------------------
# Characters that json leaves raw but that line-based readers (str.splitlines, JavaScript)
# take for line breaks; escaped, so that one JSON Lines record is always one line.
_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def record_line(record: Mapping[str, Any]) -> str:
    """A record as JSON output writes it on one line; the index stores records this way."""
    return _json(record)


def passes_through(fmt: OutputFormat, fields: Sequence[str] | None) -> bool:
    """Whether records can go out as stored in the index (SearchView.lines), unparsed."""
    return fields is None and fmt in (OutputFormat.JSON, OutputFormat.JSONL)


def _json(value: Any, *, indent: int | None = None) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=indent, separators=None if indent else (",", ":"))
    for char, escaped in _LINE_BREAKS.items():
        if char in text:  # rare; str.translate would cost every text a slow pass
            text = text.replace(char, escaped)
    return text


def _yaml(value: Any) -> str:
    import yaml  # only for this format

    class Dumper(yaml.SafeDumper):
        """PyYAML writes NEL and the Unicode line separators raw in plain scalars, and reads
        them back as line breaks; in double quotes it escapes them."""

    def text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
        style = '"' if any(char in data for char in "\x85\u2028\u2029") else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    Dumper.add_representer(str, text)
    return str(yaml.dump(value, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=1_000_000))


def _csv(rows: Sequence[Mapping[str, Any]], fields: Sequence[str]) -> str:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; also makes csv quote a lone \r
    writer.writerow(fields)
    writer.writerows([_csv_safe(_cell(row.get(name))) for name in fields] for row in rows)
    return buffer.getvalue()


def _json_list(lines: Sequence[bytes], fmt: OutputFormat) -> bytes:
    """Records already serialized (record_line), as a JSON list with one record per line, so
    that it greps well, or as JSON Lines."""
    if fmt is OutputFormat.JSONL:
        return b"".join(line + b"\n" for line in lines)
    return b"[\n" + b",\n".join(lines) + b"\n]\n" if lines else b"[]\n"


def _listing(rows: Sequence[Mapping[str, Any]], fmt: OutputFormat, fields: Sequence[str]) -> str:
    """A list of records in a machine format."""
    if fmt in (OutputFormat.JSON, OutputFormat.JSONL):
        return _json_list([record_line(row).encode() for row in rows], fmt).decode()
    if fmt is OutputFormat.CSV:
        return _csv(rows, fields)
    return _yaml([dict(row) for row in rows])


def _document(
    document: Mapping[str, Any], fmt: OutputFormat, rows: Sequence[Mapping[str, Any]], fields: Sequence[str]
) -> str:
    """One object in a machine format; jsonl and csv, which are flat, get its rows instead."""
    if fmt is OutputFormat.JSON:
        return _json(document, indent=2) + "\n"
    if fmt is OutputFormat.YAML:
        return _yaml(dict(document))
    return _listing(rows, fmt, fields)


# -- markdown --------------------------------------------------------------------------------------
def _md_cell(value: Any) -> str:
    return printable(_cell(value)).replace("|", "\\|")


def _md_table(rows: Sequence[Mapping[str, Any]], fields: Sequence[str]) -> str:
    lines = ["| " + " | ".join(fields) + " |", "|" + "---|" * len(fields)]
    lines += ["| " + " | ".join(_md_cell(row.get(name)) for name in fields) + " |" for row in rows]
    return "\n".join(lines) + "\n"


# -- tables ----------------------------------------------------------------------------------------
class Output(NamedTuple):
    """Where a command writes: bytes for machine formats, text for tables, and the table width."""

    binary: BinaryIO
    text: TextIO
    width: int

    def write(self, document: str) -> None:
        self.binary.write(document.encode("utf-8"))

    def console(self) -> Console:
        from rich.console import Console

        return Console(file=self.text, width=self.width, highlight=False, markup=False, emoji=False)


def _text(value: Any, pattern: re.Pattern[str] | None = None) -> Wrapped:
    from rich.text import Text

    text = Text(printable(_cell(value)))
    if pattern is not None:
        text.highlight_regex(pattern, _HIGHLIGHT)
    return Wrapped(text)


# Line breaking for Chinese as well as English. rich breaks lines only at spaces and folds
# anything longer, which cuts Chinese anywhere: inside 101.5%, or before a closing 。.
_CLOSING = frozenset("。，、；：？！）》」』】〕〉”’…%‰.,;:!?)]}")
_OPENING = frozenset("（《「『【〔〈“‘([{")


def _units(text: str) -> list[tuple[int, int, int]]:
    """(start, end, cells) of each span that must not be broken: a word or number, or one wide
    character, with closing punctuation after it and opening punctuation before it; or a run
    of white space."""
    from rich.cells import cell_len

    widths = [1 if char < "\u1100" else cell_len(char) for char in text]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        j = i + 1
        if text[i].isspace():
            while j < len(text) and text[j].isspace():
                j += 1
        elif widths[i] == 1 and text[i] not in _OPENING and text[i] not in _CLOSING:
            while j < len(text) and widths[j] == 1 and not text[j].isspace() and text[j - 1] not in "-/":
                j += 1
        spans.append((i, j))
        i = j
    glued: list[tuple[int, int]] = []
    for start, end in spans:
        attach = glued and not text[start].isspace() and not text[glued[-1][1] - 1].isspace()
        if attach and (text[start] in _CLOSING or text[glued[-1][1] - 1] in _OPENING):
            glued[-1] = (glued[-1][0], end)
        else:
            glued.append((start, end))
    return [(start, end, sum(widths[start:end])) for start, end in glued]


def _lines(text: str, units: list[tuple[int, int, int]], width: int) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    start = end = used = 0
    for unit_start, unit_end, size in units:
        blank = text[unit_start].isspace()
        if used + size > width and end > start and not blank:
            lines.append((start, end))
            start, used = unit_start, 0
        if blank and used == 0:
            start = unit_end
            continue
        used += size
        if not blank:
            end = unit_end
    if end > start:
        lines.append((start, end))
    return lines


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """The (start, end) of each line of text wrapped to width cells; spaces at breaks dropped."""
    return _lines(text, _units(text), width)


class Wrapped:
    """A rich renderable of text that wraps by the rules above at whatever width it is given."""

    def __init__(self, text: Text) -> None:
        self.text = text
        self.units = _units(text.plain)  # rich measures a cell more than once

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        plain = self.text.plain
        widest = max((cells for start, _, cells in self.units if not plain[start].isspace()), default=1)
        total = sum(cells for _, _, cells in self.units)
        return Measurement(min(widest, options.max_width), max(1, min(total, options.max_width)))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.text import Text

        offsets = _lines(self.text.plain, self.units, options.max_width)
        joined = Text("\n").join([self.text[start:end] for start, end in offsets])
        joined.overflow = "fold"  # a single word wider than the column still shows whole
        yield joined


def _table(*columns: str, **options: Any) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, **options)
    for column in columns:
        table.add_column(
            column,
            overflow="fold",
            justify="right" if column in ("Facts", "Base value") or column.isdigit() else "left",
        )
    return table


def highlighter(words: Sequence[str], terms: Sequence[str]) -> re.Pattern[str] | None:
    """A pattern for the query as typed and as folded, longest first, ignoring case."""
    needles = sorted({w for w in (*words, *terms) if w.strip()}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE) if needles else None


def resolve_lang(lang: Lang, words: Sequence[str], width: int) -> Lang:
    if lang is not Lang.AUTO:
        return lang
    if width >= _BOTH_LANGUAGES_WIDTH:
        return Lang.BOTH
    latin_only = words and all(word.isascii() for word in words)
    return Lang.EN if latin_only else Lang.ZH


def _claim_columns(lang: Lang) -> list[tuple[str, str]]:
    return {
        Lang.ZH: [("claim", "Claim")],
        Lang.EN: [("claim_en", "Claim")],
        Lang.BOTH: [("claim", "Claim"), ("claim_en", "English")],
    }[lang]


def _generic_table(rows: Sequence[Mapping[str, Any]], fields: Sequence[str], pattern: re.Pattern[str] | None) -> Table:
    table = _table(*fields, show_lines=True)
    for row in rows:
        table.add_row(*(_text(row.get(name), pattern) for name in fields))
    return table


# -- commands ----------------------------------------------------------------------------------------
class SearchView(NamedTuple):
    records: Sequence[Mapping[str, Any]]
    total: int  # before any limit
    lines: Sequence[bytes] = ()  # the records as record_line() wrote them, when they pass through
    words: Sequence[str] = ()  # the query as typed
    terms: Sequence[str] = ()  # the query folded
    lang: Lang = Lang.AUTO
    fields: Sequence[str] | None = None


def write_search(view: SearchView, fmt: OutputFormat, out: Output) -> None:
    fields = view.fields or FACT_FIELDS
    if view.lines and passes_through(fmt, view.fields):
        out.binary.write(_json_list(view.lines, fmt))
    elif fmt is OutputFormat.MARKDOWN:
        out.write(_md_table(view.records, view.fields or ("id", "year", "category", "claim", "claim_en")))
    elif fmt is not OutputFormat.TABLE:
        out.write(_listing(_project(view.records, fields), fmt, fields))
    elif view.records:
        from rich.text import Text

        pattern = highlighter(view.words, view.terms)
        if view.fields:
            out.console().print(_generic_table(view.records, view.fields, pattern))
            return
        lang = resolve_lang(view.lang, view.words, out.width)
        columns = [("id", "ID"), ("year", "Year"), *_claim_columns(lang)]
        table = _table(*(title for _, title in columns), show_lines=True)
        # An id is copied whole into `zhashui show`: keep it on one line unless the terminal
        # is too narrow for that and a claim beside it; then it breaks at hyphens.
        whole_ids = out.width >= _WHOLE_IDS_WIDTH
        table.columns[0].no_wrap = whole_ids
        for record in view.records:
            cells = [_text(record[key], pattern) for key, _ in columns[2:]]
            fact_id = Text(printable(record["id"])) if whole_ids else _text(record["id"])
            table.add_row(fact_id, str(record["year"]), *cells)
        out.console().print(table)


class FactView(NamedTuple):
    record: Mapping[str, Any]
    paragraph: str  # the paragraph of the source that holds the quote
    category: Mapping[str, Any]
    source: Mapping[str, Any]
    fields: Sequence[str] | None = None


def write_fact(view: FactView, fmt: OutputFormat, out: Output) -> None:
    document = dict(view.record, paragraph=view.paragraph)
    if view.fields is not None:
        document = _project([document], view.fields)[0]
    if fmt is OutputFormat.MARKDOWN:
        out.write(_fact_markdown(document, view.fields))
    elif fmt is not OutputFormat.TABLE:
        out.write(_document(document, fmt, [document], view.fields or SHOW_FIELDS))
    elif view.fields is not None:
        out.console().print(_generic_table([document], view.fields, None))
    else:
        out.console().print(_fact_panel(view))


def _fact_markdown(document: Mapping[str, Any], fields: Sequence[str] | None) -> str:
    lines = [f"## {_md_cell(document.get('id', 'fact'))}", ""]
    for name in fields or SHOW_FIELDS:
        value = document.get(name)
        if name == "figures" and value:
            lines.append("- **figures**:")
            lines += [
                f"  - {_md_cell(_figure_cell(f))} (= {_md_cell(f['base_value'])} {_md_cell(f['base_unit'])})"
                for f in value
            ]
        elif name != "id":
            lines.append(f"- **{name}**: {_md_cell(value)}")
    return "\n".join(lines) + "\n"


def _fact_panel(view: FactView) -> RenderableType:
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    record, category, source = view.record, view.category, view.source
    about = Table.grid(padding=(0, 2))
    about.add_column(style="bold", no_wrap=True)
    about.add_column(overflow="fold")
    about.add_row("中文", _text(record["claim"]))
    about.add_row("English", _text(record["claim_en"]))
    about.add_row("Category", _text(f"{category['id']} · {category['name']} · {category['name_en']}"))
    about.add_row("Year · kind", _text(f"{record['year']} · {record['kind']}"))
    about.add_row("Source", _text(f"{source['title']} ({source['published']})"))
    about.add_row("Section", _text(record["section"]))
    about.add_row("Tags", _text(", ".join(record["tags"])))
    parts: list[RenderableType] = [about]
    if record["figures"]:
        figures = _table("Figure", "Label", "Base value")
        for figure in record["figures"]:
            base = (
                f"{figure['base_value']:,} {figure['base_unit']}"
                if isinstance(figure["base_value"], int)
                else f"{figure['base_value']} {figure['base_unit']}"
            )
            figures.add_row(_text(figure_text(figure)), _text(f"{figure['label']} / {figure['label_en']}"), _text(base))
        parts += [Text(""), figures]
    context = Text(printable(view.paragraph))
    quote = printable(record["quote"])
    start = context.plain.find(quote)
    if start >= 0:
        context.stylize(_HIGHLIGHT, start, start + len(quote))
    parts += [Text(""), Panel(Wrapped(context), title="Quote in its paragraph", title_align="left")]
    return Panel(Group(*parts), title=Text(printable(record["id"]), style="bold"), title_align="left")


def write_categories(
    rows: Sequence[Mapping[str, Any]],
    years: Sequence[int],
    fmt: OutputFormat,
    out: Output,
    fields: Sequence[str] | None,
) -> None:
    chosen = fields or CATEGORY_FIELDS
    if fmt is OutputFormat.MARKDOWN:
        out.write(_md_table(rows, chosen))
    elif fmt is not OutputFormat.TABLE:
        out.write(_listing(_project(rows, chosen), fmt, chosen))
    elif fields is not None:
        out.console().print(_generic_table(rows, fields, None))
    else:
        table = _table("ID", "Name", "English", "Facts", *map(str, years))
        for row in rows:
            counts = [str(row["years"].get(str(year), 0)) for year in years]
            table.add_row(*(_text(v) for v in (row["id"], row["name"], row["name_en"], row["facts"], *counts)))
        out.console().print(table)


STATS_ROW_FIELDS = ("dimension", "key", "name", "name_en", "facts")
_BAR_WIDTH = 30


def stats_rows(stats: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The counts of a stats document as flat rows, for jsonl and csv."""
    return [
        {
            "dimension": dimension,
            "key": row["key"],
            "name": row.get("name"),
            "name_en": row.get("name_en"),
            "facts": row["facts"],
        }
        for dimension in ("category", "year", "kind")
        for row in stats[f"by_{dimension}"]
    ]


def write_stats(stats: Mapping[str, Any], fmt: OutputFormat, out: Output) -> None:
    if fmt is OutputFormat.MARKDOWN:
        out.write(_stats_markdown(stats))
    elif fmt is not OutputFormat.TABLE:
        out.write(_document(stats, fmt, stats_rows(stats), STATS_ROW_FIELDS))
    else:
        console = out.console()
        console.print(f"{stats['facts']} facts, {stats['figures']} figures")
        for dimension in ("category", "year", "kind"):
            console.print(_bar_table(dimension, stats[f"by_{dimension}"]))
        amounts = _table("Amount", "Label", "Fact", title="Largest amounts of money", title_justify="left")
        for amount in stats["largest_amounts"]:
            amounts.add_row(_text(figure_text(amount)), _text(amount["label_en"]), _text(amount["id"]))
        console.print(amounts)


def _bar_table(dimension: str, rows: Sequence[Mapping[str, Any]]) -> Table:
    from rich.text import Text

    table = _table(dimension.capitalize(), "Facts", "", title=f"Facts by {dimension}", title_justify="left")
    most = max((row["facts"] for row in rows), default=0) or 1
    for row in rows:
        label = " ".join(str(part) for part in (row["key"], row.get("name") or "") if part != "")
        bar = Text("█" * max(1, round(_BAR_WIDTH * row["facts"] / most)) if row["facts"] else "", style="cyan")
        table.add_row(_text(label), _text(row["facts"]), bar)
    return table


def _stats_markdown(stats: Mapping[str, Any]) -> str:
    parts = [f"{stats['facts']} facts, {stats['figures']} figures\n"]
    for dimension in ("category", "year", "kind"):
        parts.append(f"\n### Facts by {dimension}\n\n" + _md_table(stats[f"by_{dimension}"], ("key", "name", "facts")))
    rows = [dict(a, amount=figure_text(a)) for a in stats["largest_amounts"]]
    parts.append("\n### Largest amounts of money\n\n" + _md_table(rows, ("amount", "label", "id")))
    return "".join(parts)


VERIFY_ROW_FIELDS = ("fact", "field", "problem")


def write_verify(report: Mapping[str, Any], fmt: OutputFormat, out: Output) -> None:
    problems = report["problems"]
    summary = f"{report['facts']} facts, {report['figures']} figures, {report['sources']} source(s): " + (
        "every quote is verbatim in its source and every figure in its quote."
        if not problems
        else f"{len(problems)} problem(s)."
    )
    if fmt is OutputFormat.MARKDOWN:
        out.write(summary + "\n\n" + (_md_table(problems, VERIFY_ROW_FIELDS) if problems else ""))
    elif fmt is not OutputFormat.TABLE:
        out.write(_document(report, fmt, problems, VERIFY_ROW_FIELDS))
    else:
        console = out.console()
        console.print(_text(summary))
        if problems:
            console.print(_generic_table(problems, VERIFY_ROW_FIELDS, None))


# -- the terminal ----------------------------------------------------------------------------------
_MIN_WIDTH, _DEFAULT_WIDTH = 20, 80


def terminal_width(stream: TextIO) -> int:
    """COLUMNS when it is a usable number, else the terminal's width, else 80."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(_MIN_WIDTH, min(int(columns), 10_000))
    if stream.isatty():
        return max(_MIN_WIDTH, shutil.get_terminal_size((_DEFAULT_WIDTH, 24)).columns)
    return _DEFAULT_WIDTH


@contextmanager
def progress_bar(stream: TextIO) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback that draws on stream while the context is open (for slow first loads)."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    tasks: dict[str, TaskID] = {}
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=Console(file=stream), transient=True
    ) as progress:

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        yield report
