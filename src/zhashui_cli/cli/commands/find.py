"""The commands that find facts: search, show, tags and figures."""

import sys
from typing import Annotated, Any

import typer

from zhashui_cli._i18n import N_, _
from zhashui_cli.base import SearchFilters
from zhashui_cli.cli import options
from zhashui_cli.cli.exits import ExitCode, UsageProblem, note
from zhashui_cli.cli.views import View, environment, fact_base, note_limited, output_format, row_limit, show, words_of
from zhashui_cli.output import render
from zhashui_cli.output.render import OutputFormat
from zhashui_cli.records import FIGURE_ROW_FIELDS, SEARCH_FIELDS, SHOW_FIELDS, TAG_FIELDS, ShowRecord
from zhashui_cli.terminal import results, tables
from zhashui_cli.terminal.screen import Colour

_MARKDOWN_SEARCH = ("id", "year", "category", "claim", "claim_en")
# The columns of figures in a pipe and in Markdown (README, "In a pipe"): the figure as the
# bulletin writes it (>3000万元) beside its base value as a number, its base unit and qualifier.
FIGURE_COLUMNS = ("fact_id", "year", "figure", "base_value", "base_unit", "qualifier", "label", "label_en")


def _how_found() -> dict[str, str]:
    """The ways a word is found (search/matching.TIER), as a note on a correction names them."""
    return {
        "exact": _("exact"),
        "form": _("form"),
        "spelling": _("spelling"),
        "pinyin": _("pinyin"),
        "prefix": _("prefix"),
        "partial": _("partial"),
        "synonym": _("synonym"),
        "typo": _("typo"),
    }


def _what_would(suggestions: list[str], filters: SearchFilters, present: list[int]) -> str:
    """What to try when a search found nothing: the words it nearly spells, the years there
    are when it asked for others, or fewer words and filters."""
    if suggestions:
        return _("did you mean {words}?").format(words=", ".join(suggestions))
    asked = filters.get("year")
    years = [asked] if isinstance(asked, (str, int)) else list(asked or [])
    absent = [str(year) for year in years if int(year) not in present]
    if absent:
        return _("no facts are about {absent}; years present: {present}").format(
            absent=", ".join(absent), present=", ".join(map(str, present))
        )
    return _("try fewer words or filters")


@options.takes_filters()
def search_command(
    ctx: typer.Context,
    query: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[QUERY]...",
            show_default=False,
            help=N_("Words to find (none: every fact); a quoted argument with spaces is the same as separate words."),
        ),
    ] = None,
    filters: SearchFilters = options.NO_FILTERS,
    exact: options.Exact = False,
    sort: options.Sort = None,
    reverse: options.Reverse = False,
    limit: options.Limit = None,
    lang: options.Lang_ = tables.Lang.AUTO,
    fields: Annotated[list[str] | None, options.fields_option(SEARCH_FIELDS)] = None,
    fmt: options.Format = OutputFormat.TABLE,
    as_json: options.Json = False,
    bom: options.Bom = False,
    no_pager: options.NoPager = False,
    colour: options.Color = Colour.AUTO,
    header: options.Header = False,
    facts: options.Facts = None,
) -> None:
    """Find claims by what they say, in Chinese, English or pinyin.

    \b
    Examples:
      zhashui search 木耳
      zhashui search how many toilets were built
      zhashui search --unit yuan --min 1亿 --sort value --json

    Case, width, traditional or simplified script and punctuation do not matter. English
    finds other forms and spellings of a word (hospitals, labor); pinyin finds the Chinese it
    spells (muer, mu er, mù ěr, zsme); a typo in a longer word is forgiven. The facts with
    every word come first; when none has them all, those with the most. Filters take any of
    several values, repeated or comma-separated.
    """
    fmt = output_format(fmt, as_json)
    chosen = render.parse_fields(fields, SEARCH_FIELDS)
    words = words_of(query or [])
    with fact_base(ctx) as base:
        limited = row_limit(ctx, limit, fmt)
        hits = base.search(words, sort=sort, reverse=reverse, limit=limited, exact=exact, **filters)
        rare = [word for word in words if word.casefold() not in hits.common]  # what the common ones hid
        suggestions = base.suggest_words(rare) if not len(hits) and rare and not exact else []
        present = base.years() if not len(hits) else []
    lang_shown = tables.resolve_lang(lang, words, environment(ctx).width)
    columns = ["id", "year", *tables.claim_fields(lang_shown)]
    passed_through = fmt in (OutputFormat.JSON, OutputFormat.JSONL) and not chosen  # no need to parse records
    view = View(
        [] if passed_through else hits.records,
        SEARCH_FIELDS,
        chosen,
        _MARKDOWN_SEARCH if fmt is OutputFormat.MARKDOWN else columns,
        table=lambda width: results.search(hits.records, lang_shown, width, environment(ctx).styling),
        lines=hits.json_parts(),
    )
    show(ctx, view, fmt, not no_pager, bom)
    if not len(hits):
        common = _(" ({words}: in most facts, not enough alone)").format(words=", ".join(hits.common))
        message = _("no facts match{common}; {advice}")
        note(message.format(common=common if hits.common else "", advice=_what_would(suggestions, filters, present)))
        raise typer.Exit(ExitCode.NOT_FOUND)
    if hits.partial:
        message = _("no fact has every word; showing facts that match {best} of {count} ({words})")
        note(message.format(best=hits.best, count=len(hits.words), words=", ".join(hits.matched)))
    if fmt is OutputFormat.TABLE and hits.corrections:
        how = _how_found()
        note(
            ", ".join(
                f"{word} → {found['as']} ({how.get(found['how'], found['how'])})"
                for word, found in hits.corrections.items()
            )
        )
    if sort is not None and sort.value == "value" and filters.get("unit") is None and len(hits.units) > 1:
        message = _("sorted by value within each base unit: {units}; --unit sorts one alone")
        note(message.format(units=", ".join(hits.units)))
    note_limited(ctx, len(hits), hits.total, N_("facts"), fmt)


def _ids_with_stdin(fact_ids: list[str]) -> list[str]:
    """The ids given, `-` standing for those on standard input: one or more a line, separated
    by white space, or the first field of a tab-separated line, so that the lines of a search
    in a pipe are ids (zhashui search 木耳 | zhashui show -)."""
    if "-" not in fact_ids:
        return fact_ids
    try:
        lines = sys.stdin.read().splitlines() if sys.stdin is not None else []
    except UnicodeDecodeError:
        raise UsageProblem(_("show -: standard input is not UTF-8 text; give it one id a line")) from None
    piped = [word for line in lines for word in (line.split("\t")[:1] if "\t" in line else line.split())]
    if not piped:
        raise UsageProblem(_("show -: no ids on standard input; pipe them in: zhashui search 木耳 | zhashui show -"))
    return [fact_id for given in fact_ids for fact_id in (piped if given == "-" else [given])]


def show_command(
    ctx: typer.Context,
    fact_ids: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...",
            autocompletion=options.complete_ids,
            help=N_("The facts' ids, as search lists them; - reads them from standard input."),
        ),
    ],
    fields: Annotated[list[str] | None, options.fields_option(SHOW_FIELDS)] = None,
    fmt: options.Format = OutputFormat.TABLE,
    as_json: options.Json = False,
    no_pager: options.NoPager = False,
    colour: options.Color = Colour.AUTO,
    facts: options.Facts = None,
) -> None:
    """Show facts in full: both claims, figures with base values, and the quote in its paragraph.

    \b
    Examples:
      zhashui show 2023-toilets
      zhashui show 2023-loans-coordinated 2023-special-funds --json
      zhashui search 木耳 | zhashui show -

    With one id, JSON and YAML are one object; with several, a list of them.
    """
    fact_ids = _ids_with_stdin(fact_ids)
    fmt = output_format(fmt, as_json)
    chosen = render.parse_fields(fields, SHOW_FIELDS)
    found: list[tuple[ShowRecord, Any, Any]] = []
    missing: list[tuple[str, list[str]]] = []
    shown_ids: set[str] = set()  # ids match in any case: 2023-TOILETS is 2023-toilets, shown once
    with fact_base(ctx) as base:
        for fact_id in dict.fromkeys(fact_ids):
            record = base.get(fact_id)
            if record is None:
                missing.append((fact_id, base.suggest(fact_id)))
            elif record["id"] not in shown_ids:
                shown_ids.add(record["id"])
                shown: ShowRecord = {**record, "paragraph": base.paragraph(record)}
                found.append((shown, base.category(record["category"]), base.source(record["source"])))
    documents = [entry[0] for entry in found]
    if found:
        view = View(
            documents,
            SHOW_FIELDS,
            chosen,
            SHOW_FIELDS,
            table=lambda width: tables.facts(found, width, environment(ctx).styling),
            document=documents[0] if len(fact_ids) == 1 else None,
            plain=lambda: "\n".join(tables.fact_text(*entry) for entry in found),
        )
        show(ctx, view, fmt, not no_pager)
    for fact_id, suggestions in missing:
        if suggestions:
            note(_("no fact with id '{id}'; did you mean {ids}?").format(id=fact_id, ids=", ".join(suggestions)))
        else:
            note(_("no fact with id '{id}'; `zhashui search` lists the ids").format(id=fact_id))
    if missing:
        raise typer.Exit(ExitCode.NOT_FOUND)


@options.takes_filters("category", "year", "kind", "source", "section")
def tags_command(
    ctx: typer.Context,
    query: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[QUERY]...",
            show_default=False,
            help=N_("Only the tags of facts that a search for these words finds."),
        ),
    ] = None,
    filters: SearchFilters = options.NO_FILTERS,
    lang: options.Lang_ = tables.Lang.AUTO,
    limit: options.Limit = None,
    fields: Annotated[list[str] | None, options.fields_option(TAG_FIELDS)] = None,
    fmt: options.Format = OutputFormat.TABLE,
    as_json: options.Json = False,
    no_pager: options.NoPager = False,
    colour: options.Color = Colour.AUTO,
    header: options.Header = False,
    facts: options.Facts = None,
) -> None:
    """List the tags, most used first, with how many facts carry each.

    \b
    Examples:
      zhashui tags -c economy --lang en
      zhashui tags 木耳 --json
    """
    fmt = output_format(fmt, as_json)
    chosen = render.parse_fields(fields, TAG_FIELDS)
    with fact_base(ctx) as base:
        rows = base.tags(words_of(query or []), **filters)
    every = [row for row in rows if tables.in_lang(row["tag"], lang)]
    rows = every[: row_limit(ctx, limit, fmt)]
    drawn = View(
        rows, TAG_FIELDS, chosen, TAG_FIELDS, table=lambda w: tables.generic(rows, TAG_FIELDS, width=w, lines=False)
    )
    show(ctx, drawn, fmt, not no_pager)
    if not rows:
        note(_("no tags; try fewer words or filters"))
        raise typer.Exit(ExitCode.NOT_FOUND)
    note_limited(ctx, len(rows), len(every), N_("tags"), fmt)


@options.takes_filters()
def figures_command(
    ctx: typer.Context,
    query: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[QUERY]...",
            show_default=False,
            help=N_("Only the figures of facts that a search for these words finds."),
        ),
    ] = None,
    filters: SearchFilters = options.NO_FILTERS,
    sort: options.Sort = None,
    reverse: options.Reverse = False,
    limit: options.Limit = None,
    fields: Annotated[list[str] | None, options.fields_option(FIGURE_ROW_FIELDS)] = None,
    fmt: options.Format = OutputFormat.TABLE,
    as_json: options.Json = False,
    bom: options.Bom = False,
    no_pager: options.NoPager = False,
    colour: options.Color = Colour.AUTO,
    header: options.Header = False,
    facts: options.Facts = None,
) -> None:
    """List figures one per row, with their fact's id, year, category and claims: the flat view
    for spreadsheets. --unit, --min and --max apply to each figure.

    \b
    Examples:
      zhashui figures --unit yuan --sort value
      zhashui figures --unit 元 --format csv > money.csv
    """
    fmt = output_format(fmt, as_json)
    chosen = render.parse_fields(fields, FIGURE_ROW_FIELDS)
    with fact_base(ctx) as base:
        every = base.figures(words_of(query or []), sort=sort, reverse=reverse, **filters)
    rows = every[: row_limit(ctx, limit, fmt)]
    written = [{**row, "figure": render.figure_text(row)} for row in rows]  # machine formats project it away
    show(
        ctx,
        View(written, FIGURE_ROW_FIELDS, chosen, FIGURE_COLUMNS, table=lambda width: tables.figures(rows, width)),
        fmt,
        not no_pager,
        bom,
    )
    if not rows:
        note(_("no figures match; try fewer words or filters"))
        raise typer.Exit(ExitCode.NOT_FOUND)
    note_limited(ctx, len(rows), len(every), N_("figures"), fmt)
