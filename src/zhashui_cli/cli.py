"""The zhashui command line: options in, the library (api.py) called, records rendered, and
an exit code out (exits.py). Nothing here searches or checks anything itself.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from . import __version__, exits, options, render, tables, terminal
from .api import FactBase, Hits
from .api import open as open_base
from .exits import ExitCode, UsageProblem, emit, note
from .records import (
    CATEGORY_FIELDS,
    PROBLEM_FIELDS,
    SEARCH_FIELDS,
    SHOW_FIELDS,
    STATS_ROW_FIELDS,
    UNCOVERED_FIELDS,
    VerifyReport,
)
from .render import OutputFormat

# What each command's --fields may name.
FIELDS = {
    "search": SEARCH_FIELDS,
    "show": SHOW_FIELDS,
    "categories": CATEGORY_FIELDS,
    "stats": STATS_ROW_FIELDS,
    "verify": PROBLEM_FIELDS,
    "coverage": UNCOVERED_FIELDS,
}


class ZhashuiGroup(TyperGroup):
    """The command group. Its main() turns every failure into one line on stderr and an exit
    code, so the console script, `python -m zhashui_cli` and CliRunner all behave alike."""

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> int:
        def invoke() -> Any:
            return TyperGroup.main(self, args, "zhashui", complete_var, standalone_mode=False, **extra)

        code = exits.run(invoke, usage_message)
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    name="zhashui",
    epilog=exits.epilog(),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    cls=ZhashuiGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# -- plumbing ---------------------------------------------------------------------------------
def _output(fmt: OutputFormat, as_json: bool) -> OutputFormat:
    if as_json and fmt not in (OutputFormat.TABLE, OutputFormat.JSON):
        raise UsageProblem(f"--json and --format {fmt.value} contradict each other; use one of them")
    return OutputFormat.JSON if as_json else fmt


def _out() -> render.Output:
    stdout = sys.stdout
    return render.Output(stdout.buffer, stdout, terminal.width(stdout), terminal.height(stdout), True)


@contextmanager
def _base(ctx: typer.Context) -> Iterator[FactBase]:
    """The fact base of the command line, with progress on stderr for a slow first load."""
    with terminal.Progress(sys.stderr) as progress:
        yield open_base(options.facts_in_use(ctx), progress=progress)


def _show_table(drawn: Any, out: render.Output) -> None:
    out.text.write(tables.draw(drawn, out.width))


def _words(words: Sequence[str]) -> list[str]:
    """The query as UTF-8 text. In a C locale Python decodes arguments as ASCII, escaping
    each other byte; bytes that are UTF-8 after all are decoded as such."""
    import os

    decoded = []
    for n, word in enumerate(words, 1):
        try:
            decoded.append(os.fsencode(word).decode("utf-8"))
        except UnicodeDecodeError:
            raise UsageProblem(f"query word {n} is not valid UTF-8; check the terminal's encoding") from None
    return decoded


# -- commands ---------------------------------------------------------------------------------
@app.command("search")
def search_command(
    ctx: typer.Context,
    query: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[QUERY]...",
            show_default=False,
            help="Words to find (none: every fact); one quoted argument is the same as separate words.",
        ),
    ] = None,
    category: options.Category = None,
    year: options.Year = None,
    kind: options.Kind_ = None,
    tag: options.Tag = None,
    source: options.Source = None,
    section: options.Section = None,
    unit: options.Unit = None,
    minimum: options.Minimum = None,
    maximum: options.Maximum = None,
    exact: options.Exact = False,
    sort: options.Sort = None,
    reverse: options.Reverse = False,
    limit: options.Limit = None,
    lang: options.Lang_ = tables.Lang.AUTO,
    fields: Annotated[list[str] | None, options.fields_option(SEARCH_FIELDS)] = None,
    fmt: options.Format = OutputFormat.TABLE,
    as_json: options.Json = False,
    facts: options.Facts = None,
) -> None:
    """Find claims by keyword and filters. Matching ignores case, width, traditional/simplified
    script and punctuation."""
    fmt = _output(fmt, as_json)
    chosen = render.parse_fields(fields, SEARCH_FIELDS)
    words = _words(query or [])
    if limit is None and fmt is OutputFormat.TABLE:
        limit = tables.DEFAULT_LIMIT
    with _base(ctx) as base:
        hits = base.search(
            words,
            category=options.split(category),
            year=options.split(year),
            kind=options.split(kind),
            tag=options.split(tag),
            source=options.split(source),
            section=options.split(section),
            unit=unit,
            minimum=minimum,
            maximum=maximum,
            sort=sort,
            reverse=reverse,
            limit=limit or None,
            exact=exact,
        )
        suggestions = base.suggest_words(words) if not len(hits) and words and not exact else []
    emit(lambda: _write_search(hits, words, lang, chosen, fmt, _out()))
    if not len(hits):
        hint = f"did you mean {', '.join(suggestions)}?" if suggestions else "try fewer words or filters"
        note(f"no facts match; {hint}")
        raise typer.Exit(ExitCode.NOT_FOUND)
    if hits.partial:
        count = f"{hits.best} of {len(hits.words)}"
        note(f"no fact has every word; showing facts that match {count} ({', '.join(hits.matched)})")
    if fmt is OutputFormat.TABLE and hits.corrections:
        note(", ".join(f"{word} → {found['as']} ({found['how']})" for word, found in hits.corrections.items()))
    if fmt is OutputFormat.TABLE and hits.total > len(hits):
        note(f"showing {len(hits)} of {hits.total} facts; --limit 0 shows all")


def _write_search(
    hits: Hits,
    words: Sequence[str],
    lang: tables.Lang,
    fields: Sequence[str] | None,
    fmt: OutputFormat,
    out: render.Output,
) -> None:
    if fmt in (OutputFormat.JSON, OutputFormat.JSONL) and fields is None:
        out.binary.write(render.json_list(hits.json_lines(), fmt))  # as stored: no need to parse them
    elif fmt is OutputFormat.MARKDOWN:
        render.listing(hits.records, fmt, fields or ("id", "year", "category", "claim", "claim_en"), out)
    elif fmt is not OutputFormat.TABLE:
        render.listing(render.project(hits.records, fields), fmt, fields or SEARCH_FIELDS, out)
    elif len(hits):
        pattern = tables.highlighter([*words, *(w.casefold() for w in words)])
        if fields:
            _show_table(tables.generic(hits.records, fields, pattern), out)
        else:
            _show_table(
                tables.search(hits.records, tables.resolve_lang(lang, words, out.width), out.width, pattern), out
            )


@app.command("show")
def show_command(
    ctx: typer.Context,
    fact_ids: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...", autocompletion=options.complete_ids, help="The facts' ids, as search lists them."
        ),
    ],
    fields: Annotated[list[str] | None, options.fields_option(SHOW_FIELDS)] = None,
    fmt: options.Format = OutputFormat.TABLE,
    as_json: options.Json = False,
    facts: options.Facts = None,
) -> None:
    """Show facts in full: both claims, figures with base values, and the quote in its paragraph."""
    fmt = _output(fmt, as_json)
    chosen = render.parse_fields(fields, SHOW_FIELDS)
    found, missing = [], []
    with _base(ctx) as base:
        for fact_id in fact_ids:
            record = base.get(fact_id)
            if record is None:
                missing.append((fact_id, base.suggest(fact_id)))
                continue
            found.append(
                (record, base.paragraph(record), base.category(record["category"]), base.source(record["source"]))
            )
    if found:
        emit(lambda: _write_facts(found, chosen, fmt, _out(), several=len(fact_ids) > 1))
    for fact_id, suggestions in missing:
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else "; `zhashui search` lists the ids"
        note(f"no fact with id '{fact_id}'{hint}")
    if missing:
        raise typer.Exit(ExitCode.NOT_FOUND)


def _write_facts(
    found: list[tuple[Any, str, Any, Any]],
    fields: Sequence[str] | None,
    fmt: OutputFormat,
    out: render.Output,
    several: bool,
) -> None:
    documents = render.project([{**record, "paragraph": paragraph} for record, paragraph, _, _ in found], fields)
    if fmt is OutputFormat.TABLE and fields:
        _show_table(tables.generic(documents, fields), out)
    elif fmt is OutputFormat.TABLE:
        out.text.write("".join(tables.draw(tables.fact(*entry), out.width) for entry in found))
    elif fmt in (OutputFormat.JSON, OutputFormat.YAML) and not several:
        render.document(documents[0], fmt, documents, fields or SHOW_FIELDS, out)
    else:
        render.listing(documents, fmt, fields or SHOW_FIELDS, out)


@app.command("categories")
def categories_command(
    ctx: typer.Context,
    fields: Annotated[list[str] | None, options.fields_option(CATEGORY_FIELDS)] = None,
    fmt: options.Format = OutputFormat.TABLE,
    as_json: options.Json = False,
    facts: options.Facts = None,
) -> None:
    """List the categories with their names and fact counts, per year too."""
    fmt = _output(fmt, as_json)
    chosen = render.parse_fields(fields, CATEGORY_FIELDS)
    with _base(ctx) as base:
        rows, years = base.categories(), base.years()

    def write(out: render.Output) -> None:
        if fmt is OutputFormat.TABLE:
            _show_table(tables.generic(rows, chosen) if chosen else tables.categories(rows, years), out)
        else:
            render.listing(render.project(rows, chosen), fmt, chosen or CATEGORY_FIELDS, out)

    emit(lambda: write(_out()))


@app.command("stats")
def stats_command(
    ctx: typer.Context,
    fields: Annotated[list[str] | None, options.fields_option(STATS_ROW_FIELDS)] = None,
    fmt: options.Format = OutputFormat.TABLE,
    as_json: options.Json = False,
    facts: options.Facts = None,
) -> None:
    """Count facts by category, year and kind, and list the largest amounts of money."""
    from .counts import stats_rows

    fmt = _output(fmt, as_json)
    chosen = render.parse_fields(fields, STATS_ROW_FIELDS)
    with _base(ctx) as base:
        document = base.stats()
    rows = render.project(stats_rows(document), chosen)

    def write(out: render.Output) -> None:
        if fmt is OutputFormat.TABLE:
            _show_table(tables.generic(rows, chosen) if chosen else tables.stats(document), out)
        elif chosen:
            render.listing(rows, fmt, chosen, out)
        else:
            render.document(document, fmt, rows, STATS_ROW_FIELDS, out)

    emit(lambda: write(_out()))


@app.command("verify")
def verify_command(
    ctx: typer.Context,
    fields: Annotated[list[str] | None, options.fields_option(PROBLEM_FIELDS)] = None,
    fmt: options.Format = OutputFormat.TABLE,
    as_json: options.Json = False,
    facts: options.Facts = None,
) -> None:
    """Check a fact file by every rule of the format: its structure, and every quote, figure,
    section, year, script and number against its source. One problem per line, at file:line."""
    from .errors import FATAL_RULES

    fmt = _output(fmt, as_json)
    chosen = render.parse_fields(fields, PROBLEM_FIELDS)
    report = open_base(options.facts_in_use(ctx)).verify()
    problems = report["problems"]
    fatal = any(p["rule"] in FATAL_RULES for p in problems)

    def write(out: render.Output) -> None:
        if fmt is OutputFormat.TABLE and chosen:
            _show_table(tables.generic(render.project(problems, chosen), chosen), out)
        elif fmt is OutputFormat.TABLE:
            out.text.write(tables.problems(problems) + _summary(report, fatal) + "\n")
        elif chosen:
            render.listing(render.project(problems, chosen), fmt, chosen, out)
        else:
            render.document(report, fmt, problems, PROBLEM_FIELDS, out)

    emit(lambda: write(_out()))
    if fatal:
        raise typer.Exit(ExitCode.USAGE)
    if problems:
        raise typer.Exit(ExitCode.NOT_FOUND)


def _summary(report: VerifyReport, fatal: bool) -> str:
    if fatal:
        return "the fact file cannot be used as it is, so nothing else was checked"
    count = len(report["problems"])
    head = f"{report['facts']} facts, {report['figures']} figures, {report['sources']} source(s): "
    return head + ("every rule holds" if not count else f"{count} problem(s)")


@app.command("coverage")
def coverage_command(
    ctx: typer.Context,
    fields: Annotated[list[str] | None, options.fields_option(UNCOVERED_FIELDS)] = None,
    fmt: options.Format = OutputFormat.TABLE,
    as_json: options.Json = False,
    facts: options.Facts = None,
) -> None:
    """List every number in the sources that no fact covers yet, in its sentence: the to-do
    list for a new bulletin. Exits 1 while any is left."""
    fmt = _output(fmt, as_json)
    chosen = render.parse_fields(fields, UNCOVERED_FIELDS)
    rows = open_base(options.facts_in_use(ctx)).uncovered()

    def write(out: render.Output) -> None:
        if fmt is OutputFormat.TABLE and chosen:
            _show_table(tables.generic(render.project(rows, chosen), chosen), out)
        elif fmt is OutputFormat.TABLE:
            lines = [f"{r['file']}:{r['line']}:{r['column']}: {r['number']}: {r['context']}" for r in rows]
            done = "every number of the sources is covered" if not rows else f"{len(rows)} number(s) left to cover"
            out.text.write("".join(render.printable(line) + "\n" for line in lines) + done + "\n")
        else:
            render.listing(render.project(rows, chosen), fmt, chosen or UNCOVERED_FIELDS, out)

    emit(lambda: write(_out()))
    if rows:
        raise typer.Exit(ExitCode.NOT_FOUND)


def _version(value: bool) -> None:
    if value:
        emit(lambda: sys.stdout.write(f"zhashui {__version__}\n"))
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    facts: options.Facts = None,
) -> None:
    """Search the claims of the Zhashui County (柞水县) bulletin of 2024-02-07: a curated,
    verifiable fact base of its 2023 results and 2024 plans."""


# -- running ----------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """Run the app on argv (default: the command line) and return its exit code."""
    return int(app(args=argv, standalone_mode=False))


def usage_message(error: Exception) -> str | None:
    """Click's message for a usage error, on one line, with the help to read; None when the
    error is not one of click's."""
    click_error, no_args_is_help, no_such_option = _click_exceptions()
    failure: Any = error  # click's errors carry format_message() and their context
    if isinstance(error, no_args_is_help):
        sys.stderr.write(failure.format_message() + "\n")
        return ""
    if not isinstance(error, click_error):
        return None
    context = getattr(error, "ctx", None)
    command = f"zhashui {context.info_name}" if context is not None and context.parent is not None else "zhashui"
    message = " ".join(failure.format_message().split()).rstrip(".")
    name = getattr(error, "option_name", "") or ""
    if isinstance(error, no_such_option) and command == "zhashui search" and not name.startswith("--"):
        return f"{message}; to search for text that starts with '-', put -- before it: zhashui search -- -5%"
    return f"{message}; see {command} --help"


def _click_exceptions() -> tuple[type[Exception], type[Exception], type[Exception]]:
    """Click's usage errors. typer ships click inside itself and exports none of its exception
    classes, so they are taken from its private module here, and only here;
    tests/test_cli.py::test_typer_still_ships_click_errors_where_we_take_them fails loudly
    when typer moves them."""
    from typer._click.exceptions import ClickException, NoArgsIsHelpError, NoSuchOption

    return ClickException, NoArgsIsHelpError, NoSuchOption
