"""zhashui: a curated, verifiable fact base of the Zhashui County bulletin of 2024-02-07, and a
library and command line to search it.

    import zhashui_cli
    base = zhashui_cli.open()
    for fact in base.search("木耳", year=2023).records:
        print(fact["id"], fact["claim_en"])

docs/architecture.md says how it is built; the command line is `zhashui` (cli.py).
"""

from ._version import __version__
from .base import FactBase, Hits, open
from .errors import CorruptIndexError, FactFileError, OutputExistsError, QueryError, UnknownFieldError, ZhashuiError
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
    "OutputExistsError",
    "Problem",
    "QueryError",
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
