"""The fields of each command's records, by command: what --fields takes, lists and completes.

One registry, so that every command that takes --fields can say which fields it has when
--fields is given without a value, and a usage error can name them without importing the
commands.
"""

from zhashui_cli.records import (
    CATEGORY_FIELDS,
    FIGURE_ROW_FIELDS,
    PROBLEM_FIELDS,
    SEARCH_FIELDS,
    SHOW_FIELDS,
    SOURCE_FIELDS,
    STATS_ROW_FIELDS,
    TAG_FIELDS,
    UNCOVERED_FIELDS,
)

FIELDS: dict[str, tuple[str, ...]] = {
    "search": SEARCH_FIELDS,
    "show": SHOW_FIELDS,
    "tags": TAG_FIELDS,
    "figures": FIGURE_ROW_FIELDS,
    "categories": CATEGORY_FIELDS,
    "stats": STATS_ROW_FIELDS,
    "sources": SOURCE_FIELDS,
    "verify": PROBLEM_FIELDS,
    "coverage": UNCOVERED_FIELDS,
}
