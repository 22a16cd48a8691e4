"""The stats of a fact base for a terminal: counts as bars and the largest amounts of money,
drawn line by line so that nothing wraps that must not (a bar's length is its count, an id
is copied whole); and as Markdown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from zhashui_cli._i18n import CHINESE, _
from zhashui_cli.factfile.vocabulary import KIND_NAMES_ZH, Kind
from zhashui_cli.output.render import figure_text, markdown_table, printable

from .tables import BAR_LIMIT, MIN_TEXT, Lang, name_fields, pad, title, whole, width_of

if TYPE_CHECKING:
    from rich.console import RenderableType

    from zhashui_cli.records import FigureRow, Stats


def stats(document: Stats, lang: Lang, width: int) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    counts = _("{facts} facts, {figures} figures").format(facts=document["facts"], figures=document["figures"])
    parts: list[RenderableType] = [Text(counts)]
    for dimension in ("category", "year", "kind"):
        rows = document[f"by_{dimension}"]  # type: ignore[literal-required]
        parts.append(_bars(dimension, rows, lang, width))
    parts.append(_amounts(document["largest_amounts"], lang, width))
    return Group(*parts)


def _amounts(rows: Sequence[FigureRow], lang: Lang, width: int) -> RenderableType:
    """The largest amounts, one per line: the amount, the fact's id and its label where there
    is room for it; narrower than an amount beside an id, each amount over its id, both whole."""
    from rich.console import Group
    from rich.text import Text

    shown = [figure_text(row) for row in rows]
    amount_width = max(map(width_of, [*shown, _("Amount")]), default=6)
    id_width = max((len(row["fact_id"]) for row in rows), default=4)
    room = width - amount_width - id_width - 4
    if amount_width + 2 + id_width > width:
        return Group(
            Text(_("Largest amounts of money"), style="italic"),
            *(whole(line) for amount, row in zip(shown, rows, strict=True) for line in (amount, f"  {row['fact_id']}")),
        )
    lines: list[RenderableType] = [
        Text(_("Largest amounts of money"), style="italic"),
        Text(
            (
                pad(_("Amount"), amount_width)
                + "  "
                + pad(title("fact_id"), id_width)
                + ("  " + title("label") if room >= MIN_TEXT else "")
            ).rstrip(),
            style="bold",
        ),
        Text("─" * min(width, amount_width + id_width + 4 + max(0, room))),
    ]
    for amount, row in zip(shown, rows, strict=True):
        label = {Lang.ZH: row["label"], Lang.EN: row["label_en"]}.get(lang, f"{row['label']} / {row['label_en']}")
        line = pad(amount, amount_width) + "  " + pad(row["fact_id"], id_width)
        if room >= MIN_TEXT:
            line += "  " + _shorten(printable(label), room)
        lines.append(whole(line.rstrip()))
    return Group(*lines)


def _shorten(shown: str, width: int) -> str:
    """Text cut to a width, with … where it was cut."""
    if width_of(shown) <= width:
        return shown
    while shown and width_of(shown) > width - 1:
        shown = shown[:-1]
    return shown + "…"


def _label(row: Mapping[str, Any], lang: Lang, width: int, dimension: str) -> str:
    """A bar's label: its key, with its names where there is room; a kind, which has no names
    in the records, with its Chinese one (vocabulary.KIND_NAMES_ZH) when the run speaks Chinese."""
    names = [row.get(field) for field in name_fields(lang)] if width >= 40 else []
    if dimension == "kind" and CHINESE and row["key"] in {kind.value for kind in KIND_NAMES_ZH}:
        names = [KIND_NAMES_ZH[Kind(row["key"])]]
    return " ".join(str(part) for part in (row["key"], *names) if part)


def _dimension_name(dimension: str) -> str:
    """A dimension of the stats as a heading names it: "Facts by category"."""
    return {"category": _("category"), "year": _("year"), "kind": _("kind")}.get(dimension, dimension)


def _bars(dimension: str, rows: Sequence[Mapping[str, Any]], lang: Lang, width: int) -> RenderableType:
    """Counts as bars that fit the width: a label, its count, and a bar that never wraps, so
    that its length is its count. Labels wrap when long; narrow, they are the key alone."""
    from rich.console import Group
    from rich.text import Text

    from .wrap import wrap_offsets

    labels = [_label(row, lang, width, dimension) for row in rows]
    label_width = min(max(map(width_of, [*labels, title(dimension)]), default=1), max(8, width // 2))
    count_width = max(len(str(row["facts"])) for row in rows) if rows else 1
    room = max(1, min(BAR_LIMIT, width - label_width - count_width - 2))
    most = max((row["facts"] for row in rows), default=0) or 1
    lines = [
        Text(_("Facts by {dimension}").format(dimension=_dimension_name(dimension)), style="italic"),
        Text(pad(title(dimension), label_width) + " " + title("facts"), style="bold"),
        Text("─" * min(width, label_width + count_width + 2 + room)),
    ]
    for label, row in zip(labels, rows, strict=True):
        shown = printable(label)
        parts = [shown[start:end] for start, end in wrap_offsets(shown, label_width)] or [""]
        length = max(1, round(room * row["facts"] / most)) if row["facts"] else 0
        first = Text(pad(parts[0], label_width) + " " + str(row["facts"]).rjust(count_width) + " ")
        first.append("█" * length, style="cyan")
        lines += [first, *(Text(part) for part in parts[1:])]
    return Group(*lines)


def stats_markdown(document: Stats, lang: Lang) -> str:
    from zhashui_cli.output.render import figure_text as amount_text

    names = name_fields(lang)
    parts = [f"{document['facts']} facts, {document['figures']} figures\n"]
    for dimension in ("category", "year", "kind"):
        rows = document[f"by_{dimension}"]  # type: ignore[literal-required]
        fields = ("key", *names, "facts") if dimension == "category" else ("key", "facts")
        parts.append(f"\n### Facts by {dimension}\n\n" + markdown_table(rows, fields))
    labels = ["label"] if lang is Lang.ZH else ["label_en"] if lang is Lang.EN else ["label", "label_en"]
    rows = [dict(amount, amount=amount_text(amount)) for amount in document["largest_amounts"]]
    parts.append("\n### Largest amounts of money\n\n" + markdown_table(rows, ("amount", *labels, "fact_id")))
    return "".join(parts)
