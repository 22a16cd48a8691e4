"""The results of a search on a terminal: ID, Year and the claim(s), drawn as text.

The table a search draws most is drawn here line by line, not by rich: that spares the command
rich's console import and layout, most of what a search on a terminal cost. It is styled as
terminal.styling allows (rich's own rules, so it looks as the other tables do), wrapped by
wrap.py's breaks, and every text from a fact file shown literally (render.printable).
"""

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from zhashui_cli.output.render import cell, printable

from .tables import MIN_TEXT, Lang, claim_fields, marks, pad, title, width_of
from .wrap import wrap_offsets

if TYPE_CHECKING:
    from zhashui_cli.records import FactRecord

_BOLD, _MARK = "1", "1;30;43"  # the SGR codes of rich's "bold" and of tables._HIGHLIGHT


def search(records: Sequence["FactRecord"], lang: Lang, width: int, styling: str) -> str:
    """ID, Year and the claim(s) in columns, the words each fact was found by marked (its
    match: tables.marks). Too narrow for the widest id beside a claim, each fact is stacked:
    its id and year on a line (the year on the next when they do not fit), its claims under
    them."""
    claims = claim_fields(lang)
    widest = max((len(record["id"]) for record in records), default=2)
    room = width - widest - 7 - 3 * len(claims)  # 3 spaces, the year, 3 spaces before each claim
    if room < MIN_TEXT * len(claims):
        return _stacked(records, claims, width, styling)
    widths = [room // len(claims)] * len(claims)
    widths[-1] += room - sum(widths)
    for n, field in enumerate(claims):  # a column no wider than its longest claim
        widths[n] = min(widths[n], max(width_of(printable(record[field])) for record in records))  # type: ignore[literal-required]
    titles = [title("claim")] if len(claims) == 1 else [title("claim"), title("claim_en")]  # one claim: "Claim"
    head = (
        pad(title("id"), widest)
        + "   "
        + pad(title("year"), 4)
        + "".join("   " + pad(t, w) for t, w in zip(titles, widths, strict=True))
    )
    lines = [_styled(head.rstrip(), _BOLD, styling), "─" * min(width, width_of(head))]
    for n, record in enumerate(records):
        if n:
            lines.append("")
        pattern = marks(record)
        cells = [_wrapped(record[f], w, pattern, styling) for f, w in zip(claims, widths, strict=True)]  # type: ignore[literal-required]
        for row in range(max(map(len, cells))):
            line = (pad(record["id"], widest) + "   " + str(record["year"])) if row == 0 else " " * (widest + 7)
            for cell_lines, cell_width in zip(cells, widths, strict=True):
                shown, used = cell_lines[row] if row < len(cell_lines) else ("", 0)
                line += "   " + shown + " " * (cell_width - used)
            lines.append(line.rstrip())
    return "\n".join(lines) + "\n"


def _stacked(records: Sequence["FactRecord"], claims: Sequence[str], width: int, styling: str) -> str:
    lines = []
    for record in records:
        head = f"{record['id']}  {record['year']}"
        if width_of(head) <= width:
            lines.append(_styled(head, _BOLD, styling))
        else:  # a terminal would wrap the line at its edge, inside the year
            lines += [_styled(record["id"], _BOLD, styling), f"  {record['year']}"]
        pattern = marks(record)
        for field in claims:
            lines += ["  " + shown for shown, _ in _wrapped(record[field], width - 2, pattern, styling)]  # type: ignore[literal-required]
    return "\n".join(lines) + "\n"


def _wrapped(value: Any, width: int, pattern: re.Pattern[str] | None, styling: str) -> list[tuple[str, int]]:
    """A text's lines at a width (wrap.py's breaks), matches marked, each with its width."""
    shown = printable(cell(value))
    marks = [match.span() for match in pattern.finditer(shown)] if pattern is not None else []
    lines = [
        (_marked(shown, start, end, marks, styling), width_of(shown[start:end]))
        for start, end in wrap_offsets(shown, width)
    ]
    return lines or [("", 0)]


def _marked(text_: str, start: int, end: int, marks: Sequence[tuple[int, int]], styling: str) -> str:
    """text_[start:end] with the parts of it that matched styled as a match."""
    pieces, at = [], start
    for mark_start, mark_end in marks:
        first, last = max(mark_start, at), min(mark_end, end)
        if first < last:
            pieces += [text_[at:first], _styled(text_[first:last], _MARK, styling)]
            at = last
    pieces.append(text_[at:end])
    return "".join(pieces)


def _styled(text_: str, code: str, styling: str) -> str:
    """Text in an SGR style: bold only under NO_COLOR, none at all where there is no colour."""
    if not styling or not text_:
        return text_
    return f"\x1b[{_BOLD if styling == 'bold' else code}m{text_}\x1b[0m"
