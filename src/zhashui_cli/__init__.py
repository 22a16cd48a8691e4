"""zhashui: a curated, verifiable fact base of the Zhashui County bulletin of 2024-02-07, and a
library and command line to search it.

    import zhashui_cli
    base = zhashui_cli.open()
    for fact in base.search("木耳", year=2023):
        print(fact["id"], fact["claim_en"])

docs/architecture.md says how it is built; the command line is `zhashui` (cli/app.py).

The names below are loaded when first used (PEP 562), so that importing the package, as the
console script does before anything else, loads nothing: Ctrl-C is then caught from the
first instruction of __main__.main(), and a search imports only the modules it needs.
"""

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .base import FactBase, Hits, SearchFilters, open
    from .errors import (
        CorruptIndexError,
        FactFileError,
        NotFoundError,
        OutputExistsError,
        QueryError,
        UnknownFieldError,
        ZhashuiError,
    )
    from .records import (
        CategoryRow,
        FactRecord,
        FigureRecord,
        FigureRow,
        MatchRecord,
        Problem,
        SearchRecord,
        ShowRecord,
        SourceRecord,
        Stats,
        TagRow,
        Uncovered,
        VerifyReport,
    )

_HOME = {
    "CategoryRow": "records",
    "CorruptIndexError": "errors",
    "FactBase": "base",
    "FactFileError": "errors",
    "FactRecord": "records",
    "FigureRecord": "records",
    "FigureRow": "records",
    "Hits": "base",
    "MatchRecord": "records",
    "NotFoundError": "errors",
    "OutputExistsError": "errors",
    "Problem": "records",
    "QueryError": "errors",
    "SearchFilters": "base",
    "SearchRecord": "records",
    "ShowRecord": "records",
    "SourceRecord": "records",
    "Stats": "records",
    "TagRow": "records",
    "Uncovered": "records",
    "UnknownFieldError": "errors",
    "VerifyReport": "records",
    "ZhashuiError": "errors",
    "open": "base",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name not in _HOME:
        raise AttributeError(f"module 'zhashui_cli' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])


__all__ = [
    "CategoryRow",
    "CorruptIndexError",
    "FactBase",
    "FactFileError",
    "FactRecord",
    "FigureRecord",
    "FigureRow",
    "Hits",
    "MatchRecord",
    "NotFoundError",
    "OutputExistsError",
    "Problem",
    "QueryError",
    "SearchFilters",
    "SearchRecord",
    "ShowRecord",
    "SourceRecord",
    "Stats",
    "TagRow",
    "Uncovered",
    "UnknownFieldError",
    "VerifyReport",
    "ZhashuiError",
    "__version__",
    "open",
]
