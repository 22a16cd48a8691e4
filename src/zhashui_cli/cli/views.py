"""What the commands share: the fact base of the command line, and a view of their records
written to stdout in the format asked for (a table on a terminal, lines in a pipe, or a
machine format)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple

import typer

from zhashui_cli._i18n import _, ngettext
from zhashui_cli.base import FactBase
from zhashui_cli.base import open as open_base
from zhashui_cli.output import render
from zhashui_cli.output.render import OutputFormat
from zhashui_cli.terminal import screen, tables

from . import exits, options
from .exits import UsageProblem, emit

if TYPE_CHECKING:
    from rich.console import RenderableType


def output_format(fmt: OutputFormat, as_json: bool) -> OutputFormat:
    if as_json and fmt not in (OutputFormat.TABLE, OutputFormat.JSON):
        raise UsageProblem(
            _("--json and --format {format} contradict each other; use one of them").format(format=fmt.value)
        )
    return OutputFormat.JSON if as_json else fmt


def environment(ctx: typer.Context) -> screen.Environment:
    """The terminal the run writes to: the one handed in (obj=), else the process's, read once;
    styled as the command's --color says."""
    root = ctx.find_root()
    if not isinstance(root.obj, screen.Environment):
        root.obj = screen.Environment.of(sys.stdout)
    colour = ctx.params.get("colour")  # click's value, before typer makes it a Colour
    return root.obj.coloured(screen.Colour(colour)) if colour else root.obj


def out(env: screen.Environment, bom: bool = False) -> render.Output:
    stdout = sys.stdout
    return render.Output(stdout.buffer, stdout, env.width, env.height, env.terminal, bom, env.styling)


@contextmanager
def fact_base(ctx: typer.Context) -> Iterator[FactBase]:
    """The fact base of the command line, with progress on stderr should its first load be slow."""
    with screen.Progress(sys.stderr) as progress:
        base = open_base(options.facts_in_use(ctx), progress=progress, max_bytes=options.max_bytes_in_use(ctx))
        yield base
    if base.warnings:
        warned = ngettext(
            "the fact file has {count} warning; `zhashui verify` shows it",
            "the fact file has {count} warnings; `zhashui verify` shows them",
            base.warnings,
        )
        exits.note(warned.format(count=base.warnings))


def counted(facts: int, figures: int, sources: int) -> dict[str, str]:
    """The counts a summary gives (verify's, version's), each with its noun in its number."""
    return {
        "facts": ngettext("{count} fact", "{count} facts", facts).format(count=facts),
        "figures": ngettext("{count} figure", "{count} figures", figures).format(count=figures),
        "sources": ngettext("{count} source", "{count} sources", sources).format(count=sources),
    }


class View(NamedTuple):
    """What a command prints, in every format."""

    rows: Sequence[Mapping[str, Any]]  # its records
    fields: Sequence[str]  # every field of a record: what machine formats carry
    chosen: Sequence[str] | None  # --fields
    columns: Sequence[str]  # what a table, a pipe and Markdown show
    table: Callable[[int], RenderableType | str] | None = None  # for a terminal of that width; text as it is
    document: Mapping[str, Any] | None = None  # JSON and YAML write this object instead of the rows
    lines: tuple[Sequence[bytes | memoryview], Sequence[bytes]] | None = None  # as JSON already (Hits.json_parts)
    plain: Callable[[], str] | None = None  # the text for a pipe, when it is no tab-separated table
    markdown: Callable[[], str] | None = None  # the Markdown, when it is more than a table of the rows


def show(ctx: typer.Context, view: View, fmt: OutputFormat, pager: bool = True, bom: bool = False) -> None:
    """Write a view to stdout in a format; a failed write becomes an exit code (exits.emit).
    The command's --header (options.Header) puts the columns' names above lines for a pipe."""
    target = out(environment(ctx), bom)
    header = bool(ctx.params.get("header"))
    emit(lambda: _write(view, fmt, target, pager, header))


def _write(view: View, fmt: OutputFormat, target: render.Output, pager: bool, header: bool = False) -> None:
    fields = view.chosen or view.fields
    if fmt in (OutputFormat.JSON, OutputFormat.JSONL) and view.lines is not None and not view.chosen:
        render.write_json(target, *view.lines, fmt)
    elif fmt in (OutputFormat.JSON, OutputFormat.YAML) and view.document is not None and not view.chosen:
        render.document(view.document, fmt, view.rows, fields, target)
    elif fmt is OutputFormat.MARKDOWN and view.markdown is not None and not view.chosen:
        target.write(view.markdown())
    elif fmt is OutputFormat.MARKDOWN:
        render.listing(render.project(view.rows, view.chosen or view.columns), fmt, view.chosen or view.columns, target)
    elif fmt is not OutputFormat.TABLE:
        render.listing(render.project(view.rows, fields), fmt, fields, target)
    elif not target.terminal:
        text = view.plain() if view.plain and not view.chosen else None
        columns = view.chosen or view.columns
        if text is None:
            text = render.tsv([*([columns] if header else []), *([row.get(c) for c in columns] for row in view.rows)])
        target.text.write(text)
    elif view.rows or view.document or view.plain is not None:  # a text of its own says something even without rows
        table = view.table if view.table is not None and not view.chosen else None
        drawn = (
            table(target.width)
            if table is not None
            else tables.generic(view.rows, _with_key(view.chosen or view.columns, view.fields), width=target.width)
        )
        text = drawn if isinstance(drawn, str) else tables.draw(drawn, target.width, target.styling)
        tall = text.count("\n") >= target.height
        status = _paged(text, target) if pager and tall and target.text.isatty() else None
        if status is None:
            target.text.write(text)
        elif status:
            raise typer.Exit(status)  # as the pager ended, so that a script sees it


def _with_key(shown: Sequence[str], fields: Sequence[str]) -> Sequence[str]:
    """The columns of a drawn table with the records' id first, also when --fields leaves it
    out: rows without it cannot be told apart or shown (machine formats keep --fields as
    given)."""
    key = next((field for field in ("id", "fact_id") if field in fields), None)
    return shown if key is None or key in shown else [key, *shown]


def _paged(text: str, target: render.Output) -> int | None:
    """The pager's exit status, or None when there is no pager to show text (saying why)."""
    try:
        return screen.page(text, target.text, _header_lines(text))
    except screen.PagerError as error:
        exits.note(_("{error}; showing the table without it").format(error=error))
        return None


def _header_lines(text: str) -> int:
    """How many lines a table's heading takes: its titles and the rule under them."""
    lines = text.split("\n", 3)[:3]
    return next((n + 1 for n, line in enumerate(lines) if line.strip() and not line.strip(" ─━═│┃╇┡┩╞╪╡")), 0)


def row_limit(ctx: typer.Context, limit: int | None, fmt: OutputFormat) -> int | None:
    """How many rows to print: --limit (0: all); a table on a terminal, 20 unless told
    otherwise (a reader reads the first ones); a pipe and every format all of them, as a
    script that reads them wants (`zhashui search | wc -l` counts the facts)."""
    if limit is None and fmt is OutputFormat.TABLE and environment(ctx).terminal:
        return tables.DEFAULT_LIMIT
    return limit or None


def note_limited(ctx: typer.Context, shown: int, total: int, what: str, fmt: OutputFormat) -> None:
    """Say on stderr that a table on a terminal shows only some of the rows (what: the rows'
    name, marked N_: translated only if the note is made)."""
    if fmt is OutputFormat.TABLE and environment(ctx).terminal and total > shown:
        message = _("showing {shown} of {total} {what}; --limit 0 shows all")
        exits.note(message.format(shown=shown, total=total, what=_(what)))


def words_of(query: Sequence[str]) -> list[str]:
    """The query as UTF-8 text. In a C locale Python decodes arguments as ASCII, escaping
    each other byte; bytes that are UTF-8 after all are decoded as such."""
    decoded = []
    for n, word in enumerate(query, 1):
        try:
            decoded.append(os.fsencode(word).decode("utf-8"))
        except UnicodeDecodeError:
            message = _("query word {n} is not valid UTF-8; check the terminal's encoding").format(n=n)
            raise UsageProblem(message) from None
    return decoded
