"""Line breaking for Chinese as well as English.

rich breaks lines only at spaces and folds anything longer, which cuts Chinese anywhere:
inside 101.5%, between a number and its unit (6700 / 万元), or before a closing 。. Here a
line may break between any two Chinese characters, at spaces, and after a slash or a hyphen
inside a word (not the dashes of --fields), but never inside a word or number, never between
a number and its unit, never before closing punctuation and never after opening punctuation.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from zhashui_cli.factfile.units import BUILT_IN, MAGNITUDES

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.measure import Measurement
    from rich.text import Text

Span = tuple[int, int, int]  # start, end, width in cells

_CLOSING = frozenset("。，、；：？！）》」』】〕〉”’…%‰.,;:!?)]}")
_OPENING = frozenset("（《「『【〔〈“‘([{")
# What may follow a number as its unit: 6700万元, 3000余万元, 98座, 85.1公里.
_UNIT_AFTER_NUMBER = (
    "[余多]?(?:" + "|".join(sorted(map(re.escape, {*BUILT_IN.known(), *MAGNITUDES}), key=len, reverse=True)) + ")"
)


def _widths(text: str) -> list[int]:
    from rich.cells import cell_len

    return [1 if char < "\u1100" else cell_len(char) for char in text]


def _breaks_after(text: str, start: int, at: int) -> bool:
    """Whether a line may break after text[at], in a word that begins at start: after a slash,
    or a hyphen that joins two parts of a word (high-quality), not one that opens an option
    (--fields)."""
    return text[at] == "/" or (text[at] == "-" and at > start and text[at - 1].isalnum())


def spans(text: str) -> list[Span]:
    """Each span of text that must not be broken: a word or number with its unit, or one wide
    character, with closing punctuation after it and opening punctuation before it; or a run
    of white space."""
    widths = _widths(text)
    found: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        j = i + 1
        if text[i].isspace():
            while j < len(text) and text[j].isspace():
                j += 1
        elif widths[i] == 1 and text[i] not in _OPENING and text[i] not in _CLOSING:
            while j < len(text) and widths[j] == 1 and not text[j].isspace() and not _breaks_after(text, i, j - 1):
                j += 1
            if text[j - 1].isdigit() and (unit := re.compile(_UNIT_AFTER_NUMBER).match(text, j)):
                j = unit.end()
        found.append((i, j))
        i = j
    glued: list[tuple[int, int]] = []
    for start, end in found:
        attach = glued and not text[start].isspace() and not text[glued[-1][1] - 1].isspace()
        if attach and (text[start] in _CLOSING or text[glued[-1][1] - 1] in _OPENING):
            glued[-1] = (glued[-1][0], end)
        else:
            glued.append((start, end))
    return [(start, end, sum(widths[start:end])) for start, end in glued]


def _lines(text: str, units: list[Span], width: int) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    start = end = used = 0
    for unit_start, unit_end, size in units:
        blank = text[unit_start].isspace()
        if size > width and not blank:  # a word wider than a line is folded, as rich folds it
            if end > start:
                lines.append((start, end))
            *whole_lines, (start, end) = _folded(text, unit_start, unit_end, width)
            lines += whole_lines
            used = sum(_widths(text[start:end]))
            continue
        if used + size > width and end > start and not blank:
            lines.append((start, end))
            start, used = unit_start, 0
        if blank and used == 0:
            start = unit_end
            continue
        used += size
        if not blank:
            end = unit_end
    if end > start:
        lines.append((start, end))
    return lines


def _folded(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """text[start:end] cut into pieces of at most width cells (a wide character whole)."""
    pieces: list[tuple[int, int]] = []
    used = 0
    for offset, cells in enumerate(_widths(text[start:end]), start):
        if used + cells > width and offset > start:
            pieces.append((start, offset))
            start, used = offset, 0
        used += cells
    return [*pieces, (start, end)]


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """The (start, end) of each line of text wrapped to width cells; spaces at breaks dropped."""
    return _lines(text, spans(text), width)


class Wrapped:
    """A rich renderable of text that wraps by the rules above at whatever width it is given."""

    def __init__(self, text: Text) -> None:
        self.text = text
        self.units = spans(text.plain)  # rich measures a cell more than once

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        plain = self.text.plain
        widest = max((cells for start, _, cells in self.units if not plain[start].isspace()), default=1)
        total = sum(cells for _, _, cells in self.units)
        return Measurement(min(widest, options.max_width), max(1, min(total, options.max_width)))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.text import Text

        offsets = _lines(self.text.plain, self.units, options.max_width)
        joined = Text("\n").join([self.text[start:end] for start, end in offsets])
        joined.overflow = "fold"  # a single word wider than the column still shows whole
        yield joined
