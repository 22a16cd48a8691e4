"""The commands that describe the fact base: categories, stats and sources."""

from typing import Annotated

import typer

from zhashui_cli.cli import options
from zhashui_cli.cli.views import View, environment, fact_base, output_format, show
from zhashui_cli.output import render
from zhashui_cli.output.render import OutputFormat
from zhashui_cli.records import CATEGORY_FIELDS, SOURCE_FIELDS, STATS_ROW_FIELDS
from zhashui_cli.terminal import charts, tables
from zhashui_cli.terminal.screen import Colour


def categories_command(
    ctx: typer.Context,
    fields: Annotated[list[str] | None, options.fields_option(CATEGORY_FIELDS)] = None,
    fmt: options.Format = OutputFormat.TABLE,
    as_json: options.Json = False,
    no_pager: options.NoPager = False,
    colour: options.Color = Colour.AUTO,
    header: options.Header = False,
    facts: options.Facts = None,
) -> None:
    """List the categories with their names and fact counts, per year too.

    \b
    Examples:
      zhashui categories
      zhashui search -c 乡村振兴 -y 2024
    """
    fmt = output_format(fmt, as_json)
    chosen = render.parse_fields(fields, CATEGORY_FIELDS)
    with fact_base(ctx) as base:
        rows, years = base.categories(), base.years()
    flat = [{**row, **{str(y["year"]): y["facts"] for y in row["years"]}} for row in rows]
    columns = ("id", "name", "name_en", "facts", *map(str, years))
    view = View(rows, CATEGORY_FIELDS, chosen, columns, table=lambda width: tables.categories(rows, years, width))
    show(ctx, view._replace(rows=flat) if fmt is OutputFormat.TABLE and not chosen else view, fmt, not no_pager)


def stats_command(
    ctx: typer.Context,
    lang: options.Lang_ = tables.Lang.AUTO,
    fields: Annotated[list[str] | None, options.fields_option(STATS_ROW_FIELDS)] = None,
    fmt: options.Format = OutputFormat.TABLE,
    as_json: options.Json = False,
    no_pager: options.NoPager = False,
    colour: options.Color = Colour.AUTO,
    facts: options.Facts = None,
) -> None:
    """Count facts by category, year and kind, and list the largest amounts of money.

    \b
    Examples:
      zhashui stats
      zhashui stats --lang en --format markdown
    """
    from zhashui_cli.search.counts import stats_rows

    fmt = output_format(fmt, as_json)
    chosen = render.parse_fields(fields, STATS_ROW_FIELDS)
    with fact_base(ctx) as base:
        document = base.stats()
    shown = tables.resolve_lang(lang, [], environment(ctx).width)
    rows = stats_rows(document)
    view = View(
        rows,
        STATS_ROW_FIELDS,
        chosen,
        ("dimension", "key", *tables.name_fields(shown), "facts"),
        table=lambda width: charts.stats(document, shown, width),
        document=document,
        markdown=lambda: charts.stats_markdown(document, shown),
    )
    show(ctx, view, fmt, not no_pager)


def sources_command(
    ctx: typer.Context,
    fields: Annotated[list[str] | None, options.fields_option(SOURCE_FIELDS)] = None,
    fmt: options.Format = OutputFormat.TABLE,
    as_json: options.Json = False,
    no_pager: options.NoPager = False,
    colour: options.Color = Colour.AUTO,
    facts: options.Facts = None,
) -> None:
    """List the sources of the fact base, with their sections.

    \b
    Examples:
      zhashui sources
      zhashui search --section 2023-highlight-5
    """
    fmt = output_format(fmt, as_json)
    chosen = render.parse_fields(fields, SOURCE_FIELDS)
    with fact_base(ctx) as base:
        rows = base.sources()
    view = View(
        rows,
        SOURCE_FIELDS,
        chosen,
        ("id", "title", "published", "language", "text"),
        table=lambda width: tables.sources(rows, width),
    )
    show(ctx, view._replace(plain=lambda: tables.sources_text(rows)), fmt, not no_pager)
