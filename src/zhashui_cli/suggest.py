"""Did you mean: the one rule by which zhashui offers a known name for one it does not know
(a fact id, a category, a tag, a field of a fact file, an option or a command).

The names that begin with what was typed (from two characters); if none, the names that
contain it (from three: `loans` finds 2023-loans-coordinated); if none, the names that look
like it by difflib's ratio (at least 0.6, best first). All are compared folded (case, by
default) and without the dashes of an option, so that --bogus is not taken for --bom. A
nearer kind of match hides the farther ones: they would only be noise beside it. (Words of
a query are another matter: the search's typo tier finds those, by edit distance.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

CUTOFF = 0.6


def close_to(
    typed: str, known: Iterable[str], *, limit: int = 3, fold: Callable[[str], str] = str.casefold
) -> list[str]:
    """The known names closest to typed, best first, at most limit of them."""
    names = list(dict.fromkeys(known))
    wanted = _bare(fold(typed.strip()))
    folded = {name: _bare(fold(name)) for name in names}
    starting = [name for name in names if len(wanted) >= 2 and folded[name].startswith(wanted)]
    containing = [name for name in names if len(wanted) >= 3 and wanted in folded[name]]
    return (starting or containing or _alike(wanted, folded))[:limit]


def _alike(wanted: str, folded: dict[str, str]) -> list[str]:
    import difflib  # only when a name was not found

    by_folded = {form: name for name, form in folded.items()}
    close = difflib.get_close_matches(wanted, list(by_folded), n=len(by_folded), cutoff=CUTOFF)
    return [by_folded[form] for form in close]


def _bare(name: str) -> str:
    return name.lstrip("-")
