"""The command line's options, declared once and shared by the commands that take them, and
shell completion of their values from the fact base in use.

Every repeatable option also takes a comma list (-c economy,rural), every choice is
case-insensitive, and completion reads the fact file named by --facts (before or after the
command) or ZHASHUI_FACTS.
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from zhashui_cli.factfile.model import Kind
from zhashui_cli.factfile.units import BASE_UNITS, UNIT_ALIASES
from zhashui_cli.output.render import OutputFormat
from zhashui_cli.search.engine import SortKey
from zhashui_cli.terminal.screen import Colour
from zhashui_cli.terminal.tables import Lang

from .exits import UsageProblem

if TYPE_CHECKING:
    from zhashui_cli.base import FactBase, SearchFilters


def split(values: Iterable[str] | None) -> list[str]:
    """The values of a repeatable option, each of which may be a comma list."""
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def facts_in_use(ctx: typer.Context) -> str | None:
    """The fact file named on the command line so far, on the command or before it."""
    while ctx is not None:
        if ctx.params.get("facts"):
            return str(ctx.params["facts"])
        ctx = ctx.parent  # type: ignore[assignment]
    return os.environ.get("ZHASHUI_FACTS") or None


_SIZE_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}


def max_bytes_in_use(ctx: typer.Context) -> int:
    """The largest fact file or source text to read: --max-size (before the command), else 64 MiB."""
    from zhashui_cli.factfile.store import MAX_BYTES

    root = ctx.find_root()
    given = root.params.get("max_size")
    if not given:
        return MAX_BYTES
    text = str(given).strip().upper().removesuffix("B").removesuffix("I")
    number, unit = (text[:-1], text[-1]) if text[-1:] in _SIZE_UNITS else (text, "")
    if not number.isdigit() or int(number) == 0 or len(number) > 12:
        raise UsageProblem(f"--max-size {given!r} is not a size; write it like 200M, 1G or 100000000")
    return int(number) * _SIZE_UNITS[unit]


# -- completion -------------------------------------------------------------------------------
def _completing(values: Callable[[FactBase], Iterable[str | tuple[str, str]]]) -> Callable[..., list[Any]]:
    """A completion callback offering values from the fact base in use that start with what
    has been typed (after the last comma of a comma list)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[Any]:
        from zhashui_cli.base import open as open_base

        head, _, typed = incomplete.rpartition(",")
        prefix = f"{head}," if head else ""
        try:
            offered = list(values(open_base(facts_in_use(ctx))))
        except Exception:  # completion must never print a traceback into the shell
            return []
        found = []
        for value in offered:
            name, help_text = value if isinstance(value, tuple) else (value, "")
            if name.lower().startswith(typed.lower()):
                found.append((prefix + name, help_text) if help_text else prefix + name)
        return found

    return complete


def _static(names: Sequence[str]) -> Callable[..., list[str]]:
    def complete(incomplete: str) -> list[str]:
        head, _, typed = incomplete.rpartition(",")
        return [f"{head},{name}" if head else name for name in names if name.startswith(typed.lower())]

    return complete


complete_categories = _completing(lambda base: [(c["id"], f"{c['name']} {c['name_en']}") for c in base.categories()])
complete_ids = _completing(lambda base: base.ids())
complete_years = _completing(lambda base: map(str, base.years()))
complete_sources = _completing(lambda base: [(s["id"], s["title"]) for s in base.sources()])
complete_sections = _completing(lambda base: [(x["id"], x["title"]) for s in base.sources() for x in s["sections"]])
complete_tags = _completing(lambda base: [row["tag"] for row in base.tags()])
complete_units = _completing(lambda _: [*BASE_UNITS, *UNIT_ALIASES])


def complete_fields(fields: Sequence[str]) -> Callable[..., list[str]]:
    return _static(fields)


# -- options ----------------------------------------------------------------------------------
MaxSize = Annotated[
    str | None,
    typer.Option(
        "--max-size",
        metavar="SIZE",
        show_default=False,
        help="Read fact files and source texts up to this size (200M, 1G) [default: 64M].",
    ),
]
Facts = Annotated[
    str | None,
    typer.Option(
        "--facts",
        envvar="ZHASHUI_FACTS",
        metavar="PATH",
        show_default=False,
        help="Fact file to read [default: the packaged fact base].",
    ),
]
Format = Annotated[OutputFormat, typer.Option("--format", "-f", case_sensitive=False, help="Output format.")]
Json = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
Lang_ = Annotated[
    Lang,
    typer.Option(
        "--lang",
        case_sensitive=False,
        help="Language of the claims shown: auto is both on wide terminals, else the query's language.",
    ),
]
NoPager = Annotated[bool, typer.Option("--no-pager", help="Never page a table taller than the screen.")]
Color = Annotated[
    Colour,
    typer.Option(
        "--color",
        case_sensitive=False,
        help="Style tables and mark matches: auto on a terminal (bold alone under NO_COLOR, none if TERM=dumb); "
        "never in a pipe.",
    ),
]
Header = Annotated[
    bool,
    typer.Option("--header", help="In a pipe, a first line with the names of the tab-separated columns."),
]
Bom = Annotated[
    bool, typer.Option("--bom", help="Start CSV with a byte order mark, so that Excel reads Chinese right.")
]


def fields_option(fields: Sequence[str]) -> Any:
    return typer.Option(
        "--fields",
        metavar="A,B,…",
        autocompletion=complete_fields(fields),
        help="Fields (keys, columns) to output, comma-separated or repeated; --fields alone lists them.",
    )


Category = Annotated[
    list[str] | None,
    typer.Option(
        "--category",
        "-c",
        metavar="ID",
        autocompletion=complete_categories,
        help="Only this category: id, Chinese or English name.",
    ),
]
Year = Annotated[
    list[str] | None,
    typer.Option("--year", "-y", metavar="YEAR", autocompletion=complete_years, help="Only claims about this year."),
]
Kind_ = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        "-k",
        metavar=f"<{'|'.join(k.value for k in Kind)}>",
        autocompletion=_static([k.value for k in Kind]),
        help="Only this kind of claim.",
    ),
]
Tag = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", metavar="TAG", autocompletion=complete_tags, help="Only facts with this tag."),
]
Source = Annotated[
    list[str] | None,
    typer.Option("--source", metavar="ID", autocompletion=complete_sources, help="Only facts from this source."),
]
Section = Annotated[
    list[str] | None,
    typer.Option(
        "--section",
        metavar="ID",
        autocompletion=complete_sections,
        help="Only facts from this section (2023-highlight-2 …).",
    ),
]
Unit = Annotated[
    str | None,
    typer.Option(
        "--unit",
        metavar="UNIT",
        autocompletion=complete_units,
        help="Only facts with a figure in this base unit: 元 (or yuan, RMB), 公里 (km), 平方米 (m2), %, 人次 …",
    ),
]
Minimum = Annotated[
    str | None,
    typer.Option("--min", metavar="AMOUNT", help="Only figures of at least this base value: 1e8, 1亿, 3000万."),
]
Maximum = Annotated[
    str | None, typer.Option("--max", metavar="AMOUNT", help="Only figures of at most this base value.")
]
Sort = Annotated[
    SortKey | None,
    typer.Option("--sort", case_sensitive=False, help="Order [default: relevance with a query, else bulletin]."),
]
Reverse = Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")]
Exact = Annotated[
    bool,
    typer.Option(
        "--exact",
        help="Strict matching for scripts: every word must occur as written (case, width and script folded).",
    ),
]
Limit = Annotated[
    int | None,
    typer.Option("--limit", "-n", min=0, metavar="N", help="Show at most this many (0: all; tables default to 20)."),
]

# The filters of a search, declared once: each command that filters takes these options (all
# of them, or the ones it names) through takes_filters, and receives them as one argument.
FILTER_OPTIONS: dict[str, Any] = {
    "category": Category,
    "year": Year,
    "kind": Kind_,
    "tag": Tag,
    "source": Source,
    "section": Section,
    "unit": Unit,
    "minimum": Minimum,
    "maximum": Maximum,
}
NO_FILTERS: SearchFilters = {}  # what a command's `filters` is before takes_filters fills it
_LISTS = ("category", "year", "kind", "tag", "source", "section")  # repeatable, each maybe a comma list
C = TypeVar("C", bound=Callable[..., None])


def takes_filters(*names: str) -> Callable[[C], C]:
    """A command that takes the filter options (all, or those named) where its signature has
    `filters: SearchFilters`, and gets them in that one typed argument, as the library takes
    them. Typer reads the options from the signature this gives the command."""
    chosen = names or tuple(FILTER_OPTIONS)

    def decorate(command: C) -> C:
        signature = inspect.signature(command, eval_str=True)
        options = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=FILTER_OPTIONS[name])
            for name in chosen
        ]
        parameters = []
        for parameter in signature.parameters.values():
            parameters += options if parameter.name == "filters" else [parameter.replace(kind=parameter.KEYWORD_ONLY)]

        @functools.wraps(command)
        def run(**given: Any) -> None:
            values = {name: given.pop(name) for name in chosen}
            filters = {name: split(value) if name in _LISTS else value for name, value in values.items()}
            command(**given, filters=filters)

        run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": None}
        del run.__wrapped__  # typer must read this signature, not the command's
        return run  # type: ignore[return-value]

    return decorate
