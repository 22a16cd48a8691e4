"""`zhashui cite`: facts as a journalist or a scholar cites them."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from zhashui_cli._i18n import N_, _
from zhashui_cli.cli import options
from zhashui_cli.cli.exits import ExitCode, emit, note
from zhashui_cli.cli.views import fact_base
from zhashui_cli.output.cite import CiteFormat, Style, bibtex, csl_json, text
from zhashui_cli.records import FactRecord, SourceRecord


def cite_command(
    ctx: typer.Context,
    fact_ids: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...", autocompletion=options.complete_ids, help=N_("The facts' ids, as search lists them.")
        ),
    ],
    style: Annotated[
        Style,
        typer.Option(
            "--style",
            click_type=options.Choice([s.value for s in Style]),
            help=N_("Citation style of the text format."),
        ),
    ] = Style.GBT7714,
    fmt: Annotated[
        CiteFormat,
        typer.Option(
            "--format",
            "-f",
            click_type=options.Choice([f.value for f in CiteFormat]),
            help=N_("Text, CSL-JSON (Zotero) or BibTeX."),
        ),
    ] = CiteFormat.TEXT,
    facts: options.Facts = None,
) -> None:
    """Cite facts: the source (title, publisher, dates, url) with the section heading and the
    quote, so that a reader can find the words.

    \b
    Examples:
      zhashui cite 2023-loans-coordinated
      zhashui cite 2023-loans-coordinated --style apa
      zhashui cite 2023-toilets 2023-special-funds --format bibtex > zhashui.bib

    GB/T 7714-2015 cites an online source as [EB/OL] with its publication and access dates, and
    one without a url as [Z]; CSL-JSON imports into Zotero; BibTeX into LaTeX.
    """
    cited: list[tuple[FactRecord, SourceRecord]] = []
    missing: list[str] = []
    with fact_base(ctx) as base:
        for fact_id in dict.fromkeys(fact_ids):
            record = base.get(fact_id)
            if record is None:
                missing.append(fact_id)
            else:
                cited.append((record, base.source(record["source"])))
    if cited:
        if fmt is CiteFormat.CSL_JSON:
            written = json.dumps(csl_json(cited), ensure_ascii=False, indent=2) + "\n"
        else:
            written = bibtex(cited) if fmt is CiteFormat.BIBTEX else text(cited, style)
        emit(lambda: sys.stdout.write(written))
    for fact_id in missing:
        note(_("no fact with id '{id}'; `zhashui search` lists the ids").format(id=fact_id))
    if missing:
        raise typer.Exit(ExitCode.NOT_FOUND)
