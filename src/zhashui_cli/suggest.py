"""Did you mean: the one rule by which zhashui offers a known name for one it does not know
(a fact id, a category, a tag, a field of a fact file, an option or a command).

The names that begin with what was typed (from two letters, or one Chinese character: `经济`
finds 经济发展); if none, the names that contain it (from three letters or two Chinese
characters: `loans` finds 2023-loans-coordinated, `城乡` 生态与城乡建设); if none, the names
that look like it by difflib's ratio (at least 0.6, best first). A Chinese character counts
as two letters: it says as much as a short word. All are compared folded (case, by
default) and without the dashes of an option, so that --bogus is not taken for --bom. A
nearer kind of match hides the farther ones: they would only be noise beside it. (Words of
a query are another matter: the search's typo tier finds those, by edit distance.)
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping

from ._i18n import N_, Message

# How every refusal offers what is close: in English here, as the library says it; the command
# line passes it translated (cli/exits.did_you_mean).
DID_YOU_MEAN = N_(" (did you mean {names}?)")

CUTOFF = 0.6


def close_to(
    typed: str,
    known: Iterable[str] | Mapping[str, str],
    *,
    limit: int = 3,
    fold: Callable[[str], str] = str.casefold,
) -> list[str]:
    """The known names closest to typed, best first, at most limit of them.

    known may map each spelling of a thing to the name to offer for it (a category's id,
    English name and Chinese name): the spellings are compared, and each name offered once."""
    offered = dict(known) if isinstance(known, Mapping) else {name: name for name in known}
    names = list(offered)
    wanted = _bare(fold(typed.strip()))
    folded = {name: _bare(fold(name)) for name in names}
    weight = _weight(wanted)
    starting = [name for name in names if weight >= 2 and folded[name].startswith(wanted)]
    containing = [name for name in names if weight >= 3 and wanted in folded[name]]
    found = starting or containing or _alike(wanted, folded)
    return list(dict.fromkeys(offered[name] for name in found))[:limit]


def did_you_mean(
    typed: str,
    known: Iterable[str] | Mapping[str, str],
    *,
    limit: int = 3,
    fold: Callable[[str], str] = str.casefold,
) -> Message | str:
    """close_to's names as every refusal words them, " (did you mean a, b?)"; "" for none."""
    close = close_to(typed, known, limit=limit, fold=fold)
    return Message(DID_YOU_MEAN, names=", ".join(close)) if close else ""


def _alike(wanted: str, folded: dict[str, str]) -> list[str]:
    import difflib  # only when a name was not found

    by_folded = {form: name for name, form in folded.items()}
    if not by_folded:  # nothing to be like (difflib refuses to look for none)
        return []
    close = difflib.get_close_matches(wanted, list(by_folded), n=len(by_folded), cutoff=CUTOFF)
    return [by_folded[form] for form in close]


def _weight(text: str) -> int:
    """How much a typed name says: a letter or digit counts one, a character as wide as two
    of them (Chinese, East Asian width W or F) two."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def _bare(name: str) -> str:
    return name.lstrip("-")
