"""The zhashui command line: parse options, call the core, turn errors into exit codes.

This is the only module that knows about exit codes and the only one that catches. The core
raises its own errors (FactFileError, QueryError, UnknownFieldError, CorruptIndexError) and
render.py writes every output; here they become one line on stderr and a documented code.
"""

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError, NoSuchOption
from typer.core import TyperGroup

from . import __version__, render, search, store
from .index import Corpus, CorruptIndexError
from .render import Lang, OutputFormat, UnknownFieldError
from .search import QueryError, SortKey
from .text import query_terms
from .units import Kind


class ExitCode(IntEnum):
    OK = 0  # found, or all checks hold
    NOT_FOUND = 1  # nothing matched, no such fact, or verify found problems
    USAGE = 2  # bad option or argument, or a fact file that cannot be used
    INTERNAL = 70  # a bug in zhashui: one line instead of a traceback; please report it
    OUTPUT = 74  # the output could not be written (disk full, stdout closed)
    INTERRUPTED = 130  # Ctrl-C
    BROKEN_PIPE = 141  # the reader went away (| head): stop quietly, like other Unix tools


EXIT_CODES_HELP = """\b
Exit codes:
  0    found, or every check holds
  1    nothing found, no such fact, or verify found problems
  2    usage error, or a fact file that cannot be used
  70   internal error (a bug in zhashui; ZHASHUI_DEBUG=1 shows the traceback)
  74   the output could not be written
  130  interrupted (Ctrl-C)
  141  the reader of the output went away (| head)"""


class UsageProblem(Exception):
    """Options that make sense one by one but not together."""


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

        code = _run(invoke)
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    name="zhashui",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    cls=ZhashuiGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# -- shared options ------------------------------------------------------------------------
def _fact_file(facts: str | None) -> Path:
    return Path(facts) if facts else store.packaged_fact_file()


def _completions(ctx: typer.Context, values: Callable[[Corpus], list[Any]]) -> list[Any]:
    """Values offered by shell completion, from the fact file named so far on the line."""
    try:
        return values(store.open_corpus(_fact_file(ctx.params.get("facts") or os.environ.get("ZHASHUI_FACTS"))))
    except Exception:  # completion must never print a traceback into the shell
        return []


def _complete_categories(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _completions(
        ctx,
        lambda corpus: [
            (c["id"], f"{c['name']} {c['name_en']}") for c in corpus.categories if c["id"].startswith(incomplete)
        ],
    )


def _complete_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    return _completions(ctx, lambda corpus: [i for i in corpus.column("id") if i.startswith(incomplete)])


FactsOption = Annotated[
    str | None,
    typer.Option(
        "--facts",
        envvar="ZHASHUI_FACTS",
        metavar="PATH",
        show_default=False,
        help="Fact file to read [default: the packaged fact base].",
    ),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", case_sensitive=False, help="Output format.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
FieldsOption = Annotated[
    str | None,
    typer.Option("--fields", metavar="A,B,…", help="Fields (columns, keys) to output, comma-separated."),
]
LangOption = Annotated[
    Lang,
    typer.Option(
        "--lang",
        case_sensitive=False,
        help="Claim column(s) of the table; auto: both on wide terminals, else the query's language.",
    ),
]


def _format(fmt: OutputFormat, as_json: bool) -> OutputFormat:
    if as_json and fmt not in (OutputFormat.TABLE, OutputFormat.JSON):
        raise UsageProblem(f"--json and --format {fmt.value} contradict each other; use one of them")
    return OutputFormat.JSON if as_json else fmt


class OutputClosed(Exception):
    """The reader of stdout went away (| head): not an error, but the end of the run."""


class OutputFailed(Exception):
    """stdout refused the answer (a full disk, a closed descriptor)."""


def _emit(write: Callable[[render.Output], None]) -> None:
    """Write a command's answer to stdout, whole, and turn a failed write into our own error
    before click, which maps a broken pipe to exit code 1 (our "nothing found"), can see it."""
    try:
        write(render.Output(sys.stdout.buffer, sys.stdout, render.terminal_width(sys.stdout)))
        sys.stdout.flush()
    except BrokenPipeError as error:
        raise OutputClosed from error
    except OSError as error:
        raise OutputFailed(error.strerror or str(error)) from error


T = TypeVar("T")


def _with_corpus(facts: str | None, work: Callable[[Corpus], T]) -> T:
    """Run work on the fact file's index; a damaged cache is dropped and the index rebuilt."""
    path = _fact_file(facts)
    with _progress() as progress:
        corpus = store.open_corpus(path, progress=progress)
        try:
            return work(corpus)
        except CorruptIndexError:
            store.discard_cache(path)
            return work(store.open_corpus(path, progress=progress))


@contextmanager
def _progress() -> Iterator[Any]:
    """Progress on stderr for a slow first load, when someone is watching it."""
    if sys.stderr.isatty():
        with render.progress_bar(sys.stderr) as report:
            yield report
    else:
        yield None


def _note(message: str) -> None:
    sys.stderr.write(f"zhashui: {message}\n")


# -- commands ------------------------------------------------------------------------------
@app.command("search")
def search_command(
    query: Annotated[
        list[str] | None,
        typer.Argument(metavar="[QUERY]...", show_default=False, help="Words that must all occur (none: every fact)."),
    ] = None,
    category: Annotated[
        list[str] | None,
        typer.Option(
            "--category",
            "-c",
            metavar="ID",
            autocompletion=_complete_categories,
            help="Only this category (repeatable).",
        ),
    ] = None,
    year: Annotated[
        list[int] | None, typer.Option("--year", "-y", metavar="YEAR", help="Only claims about this year (repeatable).")
    ] = None,
    kind: Annotated[
        list[Kind] | None,
        typer.Option("--kind", "-k", case_sensitive=False, help="Only this kind of claim (repeatable)."),
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", "-t", metavar="TAG", help="Only facts with this tag (repeatable).")
    ] = None,
    source: Annotated[
        list[str] | None, typer.Option("--source", metavar="ID", help="Only facts from this source (repeatable).")
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option("--unit", metavar="UNIT", help="Only facts with a figure in this base unit, e.g. 元, %, 人次."),
    ] = None,
    minimum: Annotated[
        str | None,
        typer.Option("--min", metavar="NUMBER", help="Only figures of at least this base value (1e8 = 1亿)."),
    ] = None,
    maximum: Annotated[
        str | None, typer.Option("--max", metavar="NUMBER", help="Only figures of at most this base value.")
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            min=0,
            metavar="N",
            help=f"Show at most this many (0: all; tables default to {render.DEFAULT_TABLE_LIMIT}).",
        ),
    ] = None,
    sort: Annotated[
        SortKey | None,
        typer.Option("--sort", case_sensitive=False, help="Order [default: relevance with a query, else bulletin]."),
    ] = None,
    lang: LangOption = Lang.AUTO,
    fields: FieldsOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
    facts: FactsOption = None,
) -> None:
    """Find claims by keyword and filters. Matching ignores case, width and traditional/simplified script."""
    fmt = _format(fmt, as_json)
    chosen = render.parse_fields(fields, render.FACT_FIELDS)
    words = _words(query or [])
    filters = search.Filters(
        categories=frozenset(category or ()),
        years=frozenset(year or ()),
        kinds=frozenset(kind or ()),
        tags=frozenset(tag or ()),
        sources=frozenset(source or ()),
        unit=unit,
        minimum=None if minimum is None else search.parse_amount(minimum, "--min"),
        maximum=None if maximum is None else search.parse_amount(maximum, "--max"),
    )
    if limit is None and fmt is OutputFormat.TABLE:
        limit = render.DEFAULT_TABLE_LIMIT
    terms = query_terms(words)
    request = search.Query(terms, filters, sort, limit or None)
    raw = render.passes_through(fmt, chosen)  # no need to parse records only to print them again

    def find(corpus: Corpus) -> render.SearchView:
        if raw:
            indices, total = search.rank(corpus, request)
            return render.SearchView((), total, [corpus.record_line(i) for i in indices])
        result = search.search(corpus, request)
        return render.SearchView(result.records, result.total, (), words, terms, lang, chosen)

    view = _with_corpus(facts, find)
    _emit(lambda out: render.write_search(view, fmt, out))
    shown = len(view.lines or view.records)
    if not shown:
        _note("no facts match; try fewer words or filters")
        raise typer.Exit(ExitCode.NOT_FOUND)
    if fmt is OutputFormat.TABLE and view.total > shown:
        _note(f"showing {shown} of {view.total} facts; --limit 0 shows all")


def _words(words: list[str]) -> list[str]:
    """The query as UTF-8 text. In a C locale Python decodes arguments as ASCII, escaping
    each other byte; bytes that are UTF-8 after all are decoded as such."""
    decoded = []
    for n, word in enumerate(words, 1):
        try:
            decoded.append(os.fsencode(word).decode("utf-8"))
        except UnicodeDecodeError:
            raise UsageProblem(f"query word {n} is not valid UTF-8; check the terminal's encoding") from None
    return decoded


@app.command("show")
def show_command(
    fact_id: Annotated[
        str, typer.Argument(metavar="ID", autocompletion=_complete_ids, help="The fact's id, as search lists it.")
    ],
    fields: FieldsOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
    facts: FactsOption = None,
) -> None:
    """Show one fact in full: both claims, figures with base values, and its quote in context."""
    fmt = _format(fmt, as_json)
    chosen = render.parse_fields(fields, render.SHOW_FIELDS)

    def lookup(corpus: Corpus) -> tuple[dict[str, Any] | None, list[str], Corpus]:
        record = search.find_fact(corpus, fact_id)
        return record, [] if record else search.suggest_ids(corpus, fact_id), corpus

    record, suggestions, corpus = _with_corpus(facts, lookup)
    if record is None:
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else "; `zhashui search` lists the ids"
        _note(f"no fact with id '{fact_id}'{hint}")
        raise typer.Exit(ExitCode.NOT_FOUND)
    category = next(c for c in corpus.categories if c["id"] == record["category"])
    source = next(s for s in corpus.sources if s["id"] == record["source"])
    view = render.FactView(record, _paragraph(source["path"], record["quote"]), category, source, chosen)
    _emit(lambda out: render.write_fact(view, fmt, out))


def _paragraph(path: str, quote: str) -> str:
    """The line of the source that holds the quote; the quote alone if the source is gone."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return quote
    return next((line for line in text.splitlines() if quote in line), quote)


@app.command("categories")
def categories_command(
    fields: FieldsOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
    facts: FactsOption = None,
) -> None:
    """List the categories with their names and fact counts, per year too."""
    fmt = _format(fmt, as_json)
    chosen = render.parse_fields(fields, render.CATEGORY_FIELDS)
    rows, years = _with_corpus(facts, lambda corpus: (search.category_rows(corpus), search.years(corpus)))
    _emit(lambda out: render.write_categories(rows, years, fmt, out, chosen))


@app.command("stats")
def stats_command(
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
    facts: FactsOption = None,
) -> None:
    """Count facts by category, year and kind, and list the largest amounts of money."""
    fmt = _format(fmt, as_json)
    stats = _with_corpus(facts, search.stats)
    _emit(lambda out: render.write_stats(stats, fmt, out))


@app.command("verify")
def verify_command(
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
    facts: FactsOption = None,
) -> None:
    """Check provenance: every quote verbatim in its source, every figure's number in its quote."""
    from . import verify

    fmt = _format(fmt, as_json)
    base = store.load_fact_base(_fact_file(facts), check_provenance=False)
    findings = verify.check(base)
    report = verify.report(base, findings)
    _emit(lambda out: render.write_verify(report, fmt, out))
    if findings:
        raise typer.Exit(ExitCode.NOT_FOUND)


def _version(value: bool) -> None:
    if value:
        _emit(lambda out: out.write(f"zhashui {__version__}\n"))
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Search the claims of the Zhashui County (柞水县) bulletin of 2024-02-07: a curated,
    verifiable fact base of its 2023 results and 2024 plans."""


# -- running -------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """Run the app on argv (default: the command line) and return its exit code."""
    return int(app(args=argv, standalone_mode=False))


def _run(invoke: Callable[[], Any]) -> int:
    """Run a command and return its exit code; all that reaches stderr is one message."""
    if sys.stdout is None:  # started with stdout closed (>&-)
        if sys.stderr is not None:
            _note("standard output is closed; there is nowhere to write the answer")
        return ExitCode.OUTPUT
    if sys.stderr is None:  # started with stderr closed: errors have nowhere to go, answers do
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115, PTH123 - lives as long as the process
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        return _exit_code(invoke)
    except OutputClosed:
        _silence_stdout()
        return ExitCode.BROKEN_PIPE
    except OutputFailed as error:
        _silence_stdout()
        _note(f"cannot write the output: {error}")
        return ExitCode.OUTPUT
    except KeyboardInterrupt:
        _note("interrupted")
        return ExitCode.INTERRUPTED
    except Exception as error:
        if os.environ.get("ZHASHUI_DEBUG"):
            raise
        _note(f"internal error ({type(error).__name__}: {error}); please report it, ZHASHUI_DEBUG=1 shows where")
        return ExitCode.INTERNAL


def _exit_code(invoke: Callable[[], Any]) -> int:
    try:
        result = invoke()
    except NoArgsIsHelpError as error:
        sys.stderr.write(error.format_message() + "\n")
        return ExitCode.USAGE
    except ClickException as error:
        _note(_usage_message(error))
        return ExitCode.USAGE
    except store.FactFileError as error:
        _note(error.describe())
        return ExitCode.USAGE
    except (QueryError, UnknownFieldError, UsageProblem) as error:
        _note(str(error))
        return ExitCode.USAGE
    if result == ExitCode.INTERRUPTED:  # click turns Ctrl-C into this code
        raise KeyboardInterrupt
    return int(result) if isinstance(result, int) else ExitCode.OK


def _usage_message(error: ClickException) -> str:
    """Click's message on one line, with where to look for help."""
    context = getattr(error, "ctx", None)
    command = f"zhashui {context.info_name}" if context and context.parent else "zhashui"
    message = " ".join(error.format_message().split()).rstrip(".")
    if isinstance(error, NoSuchOption) and command == "zhashui search" and not error.option_name.startswith("--"):
        return f"{message}; to search for text that starts with '-', put -- before it: zhashui search -- -5%"
    return f"{message}; see {command} --help"


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
