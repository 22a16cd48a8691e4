"""The commands for curators: verify, coverage and export."""

from pathlib import Path
from typing import Annotated

import typer

from zhashui_cli._i18n import N_, _, ngettext
from zhashui_cli.base import SearchFilters
from zhashui_cli.base import open as open_base
from zhashui_cli.cli import options
from zhashui_cli.cli.exits import ExitCode, UsageProblem, note
from zhashui_cli.cli.views import View, counted, fact_base, output_format, show
from zhashui_cli.errors import FATAL_RULES
from zhashui_cli.output import render
from zhashui_cli.output.render import OutputFormat
from zhashui_cli.records import PROBLEM_FIELDS, UNCOVERED_FIELDS, VerifyReport
from zhashui_cli.terminal import tables


def verify_command(
    ctx: typer.Context,
    fields: Annotated[list[str] | None, options.fields_option(PROBLEM_FIELDS)] = None,
    fmt: options.Format = OutputFormat.TABLE,
    as_json: options.Json = False,
    facts: options.Facts = None,
) -> None:
    """Check a fact file by every rule of the format, one problem per line at file:line.

    \b
    Examples:
      zhashui verify --facts my-facts.yaml
      zhashui verify --facts my-facts.yaml --json | jq '.problems[].rule'

    The rules: the file's structure; every quote, figure, qualifier, section, year and script
    against the source; claims that open with their year and are sentences; once those hold,
    that every number of the source is covered.
    Exits 1 for problems in a readable file, 2 for a file that cannot be read at all.
    """
    fmt = output_format(fmt, as_json)
    chosen = render.parse_fields(fields, PROBLEM_FIELDS)
    report = open_base(options.facts_in_use(ctx), max_bytes=options.max_bytes_in_use(ctx)).verify()
    problems = report["problems"]
    fatal = any(problem["rule"] in FATAL_RULES for problem in problems)
    text = tables.problems(problems) + _summary(report, fatal) + "\n"
    view = View(
        problems,
        PROBLEM_FIELDS,
        chosen,
        PROBLEM_FIELDS,
        table=lambda width: tables.wrapped_lines(text, width),
        document=report,
        plain=lambda: text,
    )
    show(ctx, view, fmt, pager=False)
    if fatal:
        raise typer.Exit(ExitCode.USAGE)
    if problems:
        raise typer.Exit(ExitCode.NOT_FOUND)


def _summary(report: VerifyReport, fatal: bool) -> str:
    if fatal:
        return _("the fact file cannot be used as it is, so nothing else was checked")
    count, warned = len(report["problems"]), report["warnings"]
    head = _("{facts}, {figures}, {sources}: ").format(**counted(report["facts"], report["figures"], report["sources"]))
    if not count:
        return head + _("every rule holds")
    problems = ngettext("{count} problem", "{count} problems", count).format(count=count)
    warnings = ngettext(", {count} of them a warning", ", {count} of them warnings", warned).format(count=warned)
    return head + problems + (warnings if warned else "")


def coverage_command(
    ctx: typer.Context,
    fields: Annotated[list[str] | None, options.fields_option(UNCOVERED_FIELDS)] = None,
    fmt: options.Format = OutputFormat.TABLE,
    as_json: options.Json = False,
    facts: options.Facts = None,
) -> None:
    """List every number of the sources that no fact covers yet, in its sentence: the to-do
    list for a new bulletin. Exits 1 while any is left.

    \b
    Examples:
      zhashui coverage --facts my-facts.yaml
      zhashui coverage --facts my-facts.yaml --format csv > todo.csv
    """
    fmt = output_format(fmt, as_json)
    chosen = render.parse_fields(fields, UNCOVERED_FIELDS)
    rows = open_base(options.facts_in_use(ctx), max_bytes=options.max_bytes_in_use(ctx)).uncovered()
    lines = "".join(
        render.printable(f"{r['file']}:{r['line']}:{r['column']}: {r['number']}: {r['context']}") + "\n" for r in rows
    )
    text = (
        lines
        + (
            _("every number of the sources is covered")
            if not rows
            else ngettext("{count} number left to cover", "{count} numbers left to cover", len(rows)).format(
                count=len(rows)
            )
        )
        + "\n"
    )
    view = View(
        rows,
        UNCOVERED_FIELDS,
        chosen,
        UNCOVERED_FIELDS,
        table=lambda width: tables.wrapped_lines(text, width),
        plain=lambda: text,
    )
    show(ctx, view, fmt, pager=False)
    if rows:
        raise typer.Exit(ExitCode.NOT_FOUND)


@options.takes_filters()
def export_command(
    ctx: typer.Context,
    sqlite: Annotated[
        Path | None,
        typer.Option("--sqlite", metavar="FILE", help=N_("Write a SQLite database (for datasette, sqlite-utils).")),
    ] = None,
    yaml_folder: Annotated[
        Path | None,
        typer.Option("--yaml", metavar="FOLDER", help=N_("Write a fact file with its source texts and schema.")),
    ] = None,
    replace: Annotated[bool, typer.Option("--replace", help=N_("Write over what is already there."))] = False,
    query: Annotated[
        list[str] | None,
        typer.Option(
            "--query", "-q", metavar="WORDS", help=N_("Only facts a search for these words finds (--sqlite).")
        ),
    ] = None,
    filters: SearchFilters = options.NO_FILTERS,
    facts: options.Facts = None,
) -> None:
    """Export the fact base: as a SQLite database, or as a fact file a curator can edit.

    \b
    Examples:
      zhashui export --sqlite zhashui.db && datasette zhashui.db
      zhashui export --sqlite money.db --unit yuan --replace
      zhashui export --yaml my-bulletin/

    The database has tables facts, figures, tags, categories, sources and sections, with
    foreign keys and a full-text index (facts_fts). Filters and --query choose the facts of
    a database; a fact file is always exported whole, so that verify accepts it.
    """
    from zhashui_cli import export

    if (sqlite is None) == (yaml_folder is None):
        raise UsageProblem(_("give one of --sqlite FILE and --yaml FOLDER"))
    with fact_base(ctx) as base:
        if sqlite is not None:
            hits = base.search(query or [], **filters)
            if not len(hits):
                note(_("no facts match, so nothing was written; try fewer words or filters"))
                raise typer.Exit(ExitCode.NOT_FOUND)
            if hits.partial:
                message = _("no fact has every word; exporting facts that match {best} of {count}")
                note(message.format(best=hits.best, count=len(hits.words)))
            export.sqlite(sqlite, hits.records, base.categories(), base.sources(), units=base.units(), replace=replace)
            note(_("wrote {count} facts to {path}").format(count=len(hits), path=sqlite))
            return
        if query or any(filters.values()):
            raise UsageProblem(_("a fact file is exported whole; filters and --query are for --sqlite"))
        written = export.fact_file(yaml_folder, base.fact_file(), replace=replace)  # type: ignore[arg-type]
        note(_("wrote {path} and its sources; `zhashui verify --facts {path}` checks it").format(path=written))
