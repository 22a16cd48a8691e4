"""The errors the library raises. Only the command line turns them into exit codes."""

from __future__ import annotations

from collections.abc import Sequence

from ._i18n import N_, Message, Translate
from .records import Problem, describe
from .suggest import DID_YOU_MEAN, close_to

MAX_PROBLEMS_SHOWN = 20
# Problems that leave nothing to check: the file could not be read, or must not be.
FATAL_RULES = frozenset({"file", "yaml", "source-path"})


class ZhashuiError(Exception):
    """Base of every error zhashui raises on purpose. Its text is English; its message, when
    worded as a Message, keeps the parts the command line says it from in Chinese."""

    def __init__(self, message: str | Message = "") -> None:
        super().__init__(str(message))
        self.message = message


class FactFileError(ZhashuiError):
    """A fact file that cannot be used, with every problem found in it."""

    def __init__(self, path: str, problems: Sequence[Problem]) -> None:
        self.path = path
        self.problems = list(problems)
        super().__init__(self.describe())

    @property
    def readable(self) -> bool:
        """Whether the file could be read and parsed (its problems are then in its content)."""
        return not any(problem["rule"] in FATAL_RULES for problem in self.problems)

    def describe(self) -> str:
        return "\n".join(self.lines())

    def lines(self, translate: Translate = N_) -> list[str]:
        """The message as its lines: the problem, or a headline and one line per problem (the
        first 20); in English, or made with the command line's translate. A caller that shows
        them sanitises each line apart, so that a newline inside a value (a path, a key) can
        never pass for a line of its own."""
        lines = [describe(problem, translate) for problem in self.problems[:MAX_PROBLEMS_SHOWN]]
        if len(self.problems) == 1:
            return lines
        hidden = len(self.problems) - MAX_PROBLEMS_SHOWN
        more = [Message("  … and {count} more", count=hidden).worded(translate)] if hidden > 0 else []
        headline = Message("{path}: {count} problems:", path=self.path, count=len(self.problems)).worded(translate)
        return [headline, *(f"  {line}" for line in lines), *more]


class QueryError(ZhashuiError, ValueError):
    """A search or filter that cannot match anything in this fact base; says what would."""


class NotFoundError(ZhashuiError, KeyError):
    """No fact, category or source has this id; says which ids are close to it. A KeyError,
    so that `base[fact_id]` behaves as a mapping's lookup does."""

    def __init__(self, what: str, key: str, close: Sequence[str] = ()) -> None:
        self.what, self.key, self.close = what, key, list(close)
        named = NAMED.get(what, what)
        if self.close:
            super().__init__(
                Message(
                    "no {what} with id '{key}'; did you mean {names}?", what=named, key=key, names=", ".join(self.close)
                )
            )
        else:
            super().__init__(Message("no {what} with id '{key}'", what=named, key=key))

    def __str__(self) -> str:  # KeyError's own would quote the message
        return str(self.args[0])


class OutputExistsError(ZhashuiError, FileExistsError):
    """An export would overwrite a file that it was not told to replace."""


class UnsafeOutputError(ZhashuiError, ValueError):
    """An export asked to write where it must not: the working folder or a parent of it, a
    symbolic link, a special file, or a folder holding files no export wrote."""


class UntrustedCacheError(ZhashuiError):
    """The cache folder is not the user's alone: zhashui never changes it (SECURITY.md)."""


class OutputWriteError(ZhashuiError, OSError):
    """The operating system refused an export's output (a read-only folder, a full disk)."""


class UnknownFieldError(ZhashuiError, ValueError):
    def __init__(self, unknown: Sequence[str], allowed: Sequence[str]) -> None:
        close = [name for typed in unknown for name in close_to(typed, allowed, limit=1)]
        parts = {"names": ", ".join(unknown), "hint": Message(DID_YOU_MEAN, names=", ".join(close)) if close else ""}
        if len(unknown) == 1:
            super().__init__(
                Message("unknown field {names}{hint}; valid fields: {valid}", **parts, valid=",".join(allowed))
            )
        else:
            super().__init__(
                Message("unknown fields {names}{hint}; valid fields: {valid}", **parts, valid=",".join(allowed))
            )


# What a refusal may be about, as it names it: the thing an id names (NotFoundError), what a
# filter value names (search/filters.py).
NAMED = {
    "fact": Message("fact"),
    "category": Message("category"),
    "kind": Message("kind"),
    "sort": Message("sort"),
    "source": Message("source"),
    "section": Message("section"),
    "tag": Message("tag"),
    "minimum": Message("minimum"),
    "maximum": Message("maximum"),
}


class CorruptIndexError(Exception):
    """The cached index does not hold together (a damaged cache file). The library rebuilds
    it; should it escape, it is a bug (and no ZhashuiError, which callers may handle)."""
