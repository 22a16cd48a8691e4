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

from zhashui_cli._i18n import N_, _, deferred
from zhashui_cli.factfile.units import BASE_UNITS, UNIT_ALIASES
from zhashui_cli.factfile.vocabulary import KIND_NAMES_ZH, Kind
from zhashui_cli.output.render import OutputFormat
from zhashui_cli.search.engine import SortKey
from zhashui_cli.terminal.screen import Colour
from zhashui_cli.terminal.tables import Lang

from ._typer import CompletionItem, ParamType, UsageError
from .exits import UsageProblem, did_you_mean

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
        raise UsageProblem(
            _("--max-size {given!r} is not a size; write it like 200M, 1G or 100000000").format(given=given)
        )
    return int(number) * _SIZE_UNITS[unit]


# -- values refused in zhashui's words ----------------------------------------------------------
def _flag(param: Any) -> str:
    """How the command line names a parameter: an option by its long flag, an argument by name."""
    flags = getattr(param, "opts", None) or []
    dashed = [flag for flag in flags if flag.startswith("-")]
    return max(dashed, key=len) if dashed else str(getattr(param, "name", "value"))


class Choice(ParamType):
    """One of a few names, in any case. Refused in one line by zhashui's did-you-mean
    (suggest.py) and the names it takes; click says only "'valu' is not one of …"."""

    name = "choice"

    def __init__(self, choices: Sequence[str]) -> None:
        self.choices = tuple(choices)

    def get_metavar(self, param: Any, ctx: Any) -> str:
        return f"<{'|'.join(self.choices)}>"

    def convert(self, value: Any, param: Any, ctx: Any) -> str:
        text = str(getattr(value, "value", value)).strip().casefold()
        if text in self.choices:
            return text
        hint = did_you_mean(text, self.choices)
        message = _("unknown {flag} '{value}'{hint}; use one of {choices}")
        raise UsageError(
            message.format(flag=_flag(param), value=value, hint=hint, choices=", ".join(self.choices)), ctx
        )

    def shell_complete(self, ctx: Any, param: Any, incomplete: str) -> list[Any]:
        return [CompletionItem(name) for name in self.choices if name.startswith(incomplete.casefold())]


class Count(ParamType):
    """A whole number from 0 up, such as -n's. Refused in one line that says what it takes;
    click says "'abc' is not a valid int range"."""

    name = "integer"

    def __init__(self, meaning: str) -> None:
        self.meaning = meaning  # what the number counts, for the refusal, marked N_: "a number of rows, 0 for all"

    def convert(self, value: Any, param: Any, ctx: Any) -> int:
        if isinstance(value, int):
            return value
        try:
            number = int(str(value).strip())
        except ValueError:
            number = -1
        if number < 0:
            raise UsageError(
                _("{flag} takes {meaning}; '{value}' is not one").format(
                    flag=_flag(param), meaning=_(self.meaning), value=value
                ),
                ctx,
            )
        return number


# -- completion -------------------------------------------------------------------------------
Offered = Iterable[str | tuple[str, str]]  # values, each maybe with its description


def _completing(values: Callable[[FactBase, str], Offered]) -> Callable[..., list[Any]]:
    """A completion callback offering values from the fact base in use that start with what
    has been typed (after the last comma of a comma list), each with its description (which
    zsh and fish show). Both are shown safely: a fact file's text never steers the terminal."""
    from zhashui_cli.output.render import printable

    def complete(ctx: typer.Context, incomplete: str) -> list[Any]:
        from zhashui_cli.base import open as open_base

        head, _, typed = incomplete.rpartition(",")
        prefix = f"{head}," if head else ""
        try:
            offered = list(values(open_base(facts_in_use(ctx)), typed))
        except Exception:  # completion must never print a traceback into the shell
            return []
        found = []
        for value in offered:
            name, help_text = value if isinstance(value, tuple) else (value, "")
            if name.casefold().startswith(typed.casefold()):
                shown = printable(prefix + name)
                found.append((shown, printable(help_text)) if help_text else shown)
        return found

    return complete


def _static(names: Sequence[str]) -> Callable[..., list[str]]:
    def complete(incomplete: str) -> list[str]:
        head, _, typed = incomplete.rpartition(",")
        return [f"{head},{name}" if head else name for name in names if name.startswith(typed.lower())]

    return complete


def _categories(base: FactBase, typed: str) -> Offered:
    """Categories by id; by Chinese name too once something is typed that starts no id
    (-c 乡 offers 乡村振兴), since a Chinese name is as good a value as an id."""
    rows = base.categories()
    ids = [(c["id"], f"{c['name']} {c['name_en']}") for c in rows]
    if not typed or any(c["id"].startswith(typed.casefold()) for c in rows):
        return ids
    return [*ids, *((c["name"], f"{c['id']} · {c['name_en']}") for c in rows)]


# Ids are offered with their claims while there are few enough to read (what a menu shows).
_DESCRIBED_IDS = 200


def _ids(base: FactBase, typed: str) -> Offered:
    """Fact ids, each with its claim while few enough match what was typed."""
    matching = [fact_id for fact_id in base.ids() if fact_id.startswith(typed.casefold())]
    if len(matching) > _DESCRIBED_IDS:
        return matching
    return [(fact_id, base[fact_id]["claim"]) for fact_id in matching]


complete_categories = _completing(_categories)
complete_ids = _completing(_ids)
complete_years = _completing(lambda base, _: map(str, base.years()))
complete_sources = _completing(lambda base, _: [(s["id"], s["title"]) for s in base.sources()])
complete_sections = _completing(lambda base, _: [(x["id"], x["title"]) for s in base.sources() for x in s["sections"]])
complete_tags = _completing(lambda base, _: [row["tag"] for row in base.tags()])
complete_units = _completing(
    lambda base, _: [*BASE_UNITS, *UNIT_ALIASES, *((u["unit"], u["en"]) for u in base.units())]
)


def complete_fields(fields: Sequence[str]) -> Callable[..., list[str]]:
    return _static(fields)


# -- options ----------------------------------------------------------------------------------
MaxSize = Annotated[
    str | None,
    typer.Option(
        "--max-size",
        metavar="SIZE",
        show_default=False,
        help=N_("Read fact files and source texts up to this size (200M, 1G) [default: 64M]."),
    ),
]
Facts = Annotated[
    str | None,
    typer.Option(
        "--facts",
        envvar="ZHASHUI_FACTS",
        metavar="PATH",
        show_default=False,
        help=N_("Fact file to read [default: the packaged fact base]."),
    ),
]
Format = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", click_type=Choice([f.value for f in OutputFormat]), help=N_("Output format.")),
]
Json = Annotated[bool, typer.Option("--json", help=N_("Shorthand for --format json."))]
Lang_ = Annotated[
    Lang,
    typer.Option(
        "--lang",
        click_type=Choice([lang.value for lang in Lang]),
        help=N_("Language of the claims shown: auto is both on wide terminals, else the query's language."),
    ),
]
NoPager = Annotated[bool, typer.Option("--no-pager", help=N_("Never page a table taller than the screen."))]
Color = Annotated[
    Colour,
    typer.Option(
        "--color",
        click_type=Choice([colour.value for colour in Colour]),
        help=N_(
            "Style tables and mark matches: auto on a terminal (bold alone under NO_COLOR, none if TERM=dumb); "
            "never in a pipe."
        ),
    ),
]
Header = Annotated[
    bool,
    typer.Option("--header", help=N_("In a pipe, a first line with the names of the tab-separated columns.")),
]
Bom = Annotated[
    bool, typer.Option("--bom", help=N_("Start CSV with a byte order mark, so that Excel reads Chinese right."))
]


def fields_option(fields: Sequence[str]) -> Any:
    return typer.Option(
        "--fields",
        metavar="A,B,…",
        autocompletion=complete_fields(fields),
        help=N_("Fields (keys, columns) to output, comma-separated or repeated; --fields alone lists them."),
    )


Category = Annotated[
    list[str] | None,
    typer.Option(
        "--category",
        "-c",
        metavar="ID",
        autocompletion=complete_categories,
        help=N_("Only this category: id, Chinese or English name."),
    ),
]
Year = Annotated[
    list[str] | None,
    typer.Option(
        "--year", "-y", metavar="YEAR", autocompletion=complete_years, help=N_("Only claims about this year.")
    ),
]
Kind_ = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        "-k",
        metavar=f"<{'|'.join(k.value for k in Kind)}>",
        autocompletion=_static([k.value for k in Kind]),
        help=deferred(
            lambda _: _("Only this kind of claim; its Chinese name works too ({names}).").format(
                names=", ".join(KIND_NAMES_ZH.values())
            )
        ),
    ),
]
Tag = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", metavar="TAG", autocompletion=complete_tags, help=N_("Only facts with this tag.")),
]
Source = Annotated[
    list[str] | None,
    typer.Option("--source", metavar="ID", autocompletion=complete_sources, help=N_("Only facts from this source.")),
]
Section = Annotated[
    list[str] | None,
    typer.Option(
        "--section",
        metavar="ID",
        autocompletion=complete_sections,
        help=N_("Only facts from this section (2023-highlight-2 …)."),
    ),
]
Unit = Annotated[
    str | None,
    typer.Option(
        "--unit",
        metavar="UNIT",
        autocompletion=complete_units,
        help=N_(
            "Only facts with a figure in this unit's base unit: 元 (yuan), 万元, 公里 (km), %, 人次, or one the fact"
            " file declares; a bare --min or --max is read in it."
        ),
    ),
]
Minimum = Annotated[
    str | None,
    typer.Option(
        "--min",
        metavar="AMOUNT",
        help=N_(
            "Only figures of at least this amount: a number in --unit (--unit 万元 --min 5000 is 5000万元; without"
            " --unit, a base value: 1e8), or one with its own unit, read as written (1亿元, 3万亩)."
        ),
    ),
]
Maximum = Annotated[
    str | None,
    typer.Option("--max", metavar="AMOUNT", help=N_("Only figures of at most this amount, read as --min is.")),
]
Sort = Annotated[
    SortKey | None,
    typer.Option(
        "--sort",
        click_type=Choice([key.value for key in SortKey]),
        help=N_("Order [default: relevance with a query, else bulletin]."),
    ),
]
Reverse = Annotated[bool, typer.Option("--reverse", "-r", help=N_("Reverse the order."))]
Exact = Annotated[
    bool,
    typer.Option(
        "--exact",
        help=N_("Strict matching for scripts: every word must occur as written (case, width and script folded)."),
    ),
]
Limit = Annotated[
    int | None,
    typer.Option(
        "--limit",
        "-n",
        click_type=Count(N_("a whole number of rows, 0 for all")),
        metavar="N",
        help=N_("Show at most this many (0: all; tables default to 20)."),
    ),
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
