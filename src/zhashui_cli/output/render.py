"""Every output format but the terminal's tables: JSON, JSON Lines, CSV, YAML, Markdown, and
the tab-separated lines a table becomes when stdout is not a terminal.

Machine formats are a contract for scripts (README, "The output contract"; schema/output/):
UTF-8 bytes, never through rich, never coloured, never cut short, and lossless: CSV holds
lists and figures as JSON, YAML quotes whatever a YAML 1.1 or 1.2 reader would take for
something else than text, Markdown escapes whatever would render as markup.
"""

import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import Enum
from typing import Any, BinaryIO, NamedTuple, Protocol, TextIO, runtime_checkable

from zhashui_cli.errors import UnknownFieldError
from zhashui_cli.factfile.units import written_number
from zhashui_cli.records import UNSAFE_CHARACTERS, json_line, json_text


class OutputFormat(str, Enum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    YAML = "yaml"
    MARKDOWN = "markdown"


_PIECES_PER_CALL = 1024  # IOV_MAX on Linux and the BSDs: as many as one writev() takes


class Output(NamedTuple):
    """Where a command writes: bytes for machine formats, text for tables, and the terminal."""

    binary: BinaryIO
    text: TextIO
    width: int
    height: int
    terminal: bool  # stdout is a terminal: tables are drawn, else written as tab-separated lines
    bom: bool = False  # CSV starts with a byte order mark (for Excel)
    styling: str = ""  # how far a drawn table may be styled (terminal.screen.styling); nothing else is

    def write(self, document: str) -> None:
        """Write CSV, YAML or Markdown: to a pipe or a file exactly, to a terminal with every
        unsafe character shown as its escape (JSON escapes them itself, everywhere)."""
        if self.terminal:
            document = "".join(printable(line) + end for line, end in _lines(document))
        self.binary.write(document.encode("utf-8"))

    def write_pieces(self, pieces: Sequence[bytes | memoryview]) -> None:
        """Write bytes in pieces, in turn: to a file or a pipe a thousand pieces at a system call
        (os.writev), so that neither they nor their join are copied in the process first; to
        any other stream (a test's) through its writelines()."""
        try:
            descriptor = self.binary.fileno()
        except (OSError, ValueError):  # io.UnsupportedOperation is both
            self.binary.writelines(pieces)
            return
        self.binary.flush()  # what was written to the stream before goes first
        for at in range(0, len(pieces), _PIECES_PER_CALL):
            batch = pieces[at : at + _PIECES_PER_CALL]
            written = os.writev(descriptor, batch)
            if written < sum(map(len, batch)):  # cut short (a signal, a full pipe): the rest
                rest = memoryview(b"".join(batch))[written:]
                while rest:
                    rest = rest[os.write(descriptor, rest) :]


def _lines(text: str) -> list[tuple[str, str]]:
    """The lines of a text and the line end of each (\\r\\n for CSV, \\n, or none at the end)."""
    parts = re.split(r"(\r\n|\n)", text)
    return [(parts[n], parts[n + 1] if n + 1 < len(parts) else "") for n in range(0, len(parts), 2)]


def parse_fields(specs: Sequence[str] | None, allowed: Sequence[str]) -> tuple[str, ...] | None:
    """The fields named by --fields (repeated and/or comma-separated), in the order given;
    None when the option is absent."""
    if specs is None:
        return None
    fields = tuple(dict.fromkeys(name.strip() for spec in specs for name in spec.split(",") if name.strip()))
    unknown = [name for name in fields if name not in allowed]
    if unknown or not fields:
        raise UnknownFieldError(unknown or ["(none)"], allowed)
    return fields


def project(rows: Iterable[Mapping[str, Any]], fields: Sequence[str] | None) -> list[dict[str, Any]]:
    return [dict(row) if fields is None else {name: row.get(name) for name in fields} for row in rows]


# -- plain text -------------------------------------------------------------------------------
_UNSAFE = f"[{UNSAFE_CHARACTERS}]"  # compiled by re when first used


def printable(text: str) -> str:
    """The one sanitiser of what reaches a terminal: every unsafe character (controls, bidi
    controls, invisible ones) shown as its escape (\\x1b, \\u202e, \\U000e0041), so that a
    terminal never obeys it and a reader sees it."""
    return re.sub(_UNSAFE, _escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape): as that byte
        code -= 0xDC00
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def figure_text(figure: Mapping[str, Any]) -> str:
    """A figure as the bulletin would write it, with its qualifier as a sign: >3000万元."""
    from zhashui_cli.factfile.vocabulary import Qualifier

    return f"{Qualifier(figure['qualifier']).symbol}{written_number(figure['value'])}{figure['unit']}"


def base_text(figure: Mapping[str, Any]) -> str:
    """A figure's base value with its qualifier: >30,000,000 元."""
    from zhashui_cli.factfile.vocabulary import Qualifier

    shown = written_number(figure["base_value"], grouped=True)
    return f"{Qualifier(figure['qualifier']).symbol}{shown} {figure['base_unit']}"


def cell(value: Any) -> str:
    """One value as flat text, for tables and tab-separated lines."""
    if value is None:
        return ""
    if isinstance(value, float):
        return written_number(value)
    if isinstance(value, list):
        return ", ".join(figure_text(item) if _is_figure(item) else cell(item) for item in value)
    if isinstance(value, dict):
        if "terms" in value:  # a match: how each word was found
            return ", ".join(f"{word}→{found['as']} ({found['how']})" for word, found in value["terms"].items())
        return ", ".join(f"{key}={cell(item)}" for key, item in value.items())
    return str(value)


def _is_figure(item: object) -> bool:
    return isinstance(item, dict) and "qualifier" in item and "value" in item


# -- tab-separated lines (a table written to a pipe) ---------------------------------------------
def tsv(rows: Iterable[Sequence[object]]) -> str:
    """One record per line, fields separated by tabs: no header, padding or wrapping, and no
    tab or line break inside a field (they become spaces)."""
    return "".join("\t".join(printable(" ".join(cell(value).split())) for value in row) + "\n" for row in rows)


# -- JSON ------------------------------------------------------------------------------------------
@runtime_checkable
class Batched(Protocol):
    """Records read as they are written, a batch at a time (index.corpus.StreamedRecords): each
    batch's pieces are valid only until the next is asked for."""

    def __len__(self) -> int: ...

    def batches(self, size: int) -> Iterator[Sequence[bytes | memoryview]]: ...


def write_json(
    out: Output, records: Sequence[bytes | memoryview], ends: Sequence[bytes] | None, fmt: OutputFormat
) -> None:
    """Records already serialized, written as json_pieces() makes them; records read in
    batches (Batched) are written a batch at a time, each before the next is read."""
    if not isinstance(records, Batched) or not records:
        out.write_pieces(json_pieces(records, ends, fmt))
        return
    done = 0
    for batch in records.batches(_PIECES_PER_CALL // 2):
        part = None if ends is None else ends[done : done + len(batch)]
        out.write_pieces(json_pieces(batch, part, fmt, first=not done, last=done + len(batch) == len(records)))
        done += len(batch)


def json_pieces(
    records: Sequence[bytes | memoryview],
    ends: Sequence[bytes] | None,
    fmt: OutputFormat,
    *,
    first: bool = True,
    last: bool = True,
) -> list[bytes | memoryview]:
    """Records already serialized (records.json_line), as a JSON list with one record per line,
    so that it greps well, or as JSON Lines: the pieces to write in turn (Output.write_pieces).
    With ends, each record is stored without its closing brace and its end closes it (a search's
    match object). Two pieces a record: what follows it (the comma and line break) is joined to
    its end once per distinct end (a search's facts found the same way share theirs), not once
    per record, which would make a third of the pieces of 93,000 records. Records written in
    parts (write_json) are the list's first part, its last, or one between."""
    if not records:
        return [b"[]\n"] if fmt is OutputFormat.JSON else []
    between = b"\n" if fmt is OutputFormat.JSONL else b",\n"
    pieces: list[bytes | memoryview] = [between] * (2 * len(records))
    pieces[0::2] = records
    if ends is not None:
        closing = {end: end + between for end in set(ends)}
        pieces[1::2] = map(closing.__getitem__, ends)
    if fmt is OutputFormat.JSON and last:
        pieces[-1] = (b"" if ends is None else ends[-1]) + b"\n]\n"
    if fmt is OutputFormat.JSON and first:
        pieces.insert(0, b"[\n")
    return pieces


# -- YAML ------------------------------------------------------------------------------------------
# -- CSV -------------------------------------------------------------------------------------------
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A value in a CSV cell, losslessly: lists and objects as JSON (an empty list is []),
    None as an empty cell, numbers as written, and text guarded against spreadsheet formulas
    (OWASP CSV injection) by a leading '. A NUL, which CSV cannot carry, is written as \\x00."""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)  # as JSON writes it: a float keeps its point, so its type never drifts
    text = str(value).replace("\x00", "\\x00")
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(rows: Sequence[Mapping[str, Any]], fields: Sequence[str], bom: bool = False) -> str:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; also makes csv quote a lone \r
    writer.writerow(fields)
    writer.writerows([csv_cell(row.get(name)) for name in fields] for row in rows)
    return ("\ufeff" if bom else "") + buffer.getvalue()


# -- Markdown ---------------------------------------------------------------------------------------
# Everything that CommonMark (and GitHub's tables and strikethrough) would read as markup inside
# a line; a backslash makes each of them literal.
_MARKDOWN_SPECIAL = r"([\\`*_{}\[\]<>|~!&#])"


def markdown_cell(value: Any) -> str:
    return re.sub(_MARKDOWN_SPECIAL, r"\\\1", printable(cell(value)))


def markdown_table(rows: Sequence[Mapping[str, Any]], fields: Sequence[str]) -> str:
    lines = ["| " + " | ".join(fields) + " |", "|" + "---|" * len(fields)]
    lines += ["| " + " | ".join(markdown_cell(row.get(name)) for name in fields) + " |" for row in rows]
    return "\n".join(lines) + "\n"


# -- lists and documents --------------------------------------------------------------------------
def listing(rows: Sequence[Mapping[str, Any]], fmt: OutputFormat, fields: Sequence[str], out: Output) -> None:
    """A list of records in a machine format, or as Markdown."""
    if fmt in (OutputFormat.JSON, OutputFormat.JSONL):
        out.write_pieces(json_pieces([json_line(row) for row in rows], None, fmt))
    elif fmt is OutputFormat.CSV:
        out.write(csv_text(rows, fields, out.bom))
    elif fmt is OutputFormat.MARKDOWN:
        out.write(markdown_table(rows, fields))
    else:
        from zhashui_cli.factfile.yamlfile import yaml_text

        out.write(yaml_text([dict(row) for row in rows]))


def document(
    value: Mapping[str, Any], fmt: OutputFormat, rows: Sequence[Mapping[str, Any]], fields: Sequence[str], out: Output
) -> None:
    """One object in a machine format; JSON Lines, CSV and Markdown, which are flat, get rows."""
    if fmt is OutputFormat.JSON:
        out.write(json_text(value, indent=2) + "\n")
    elif fmt is OutputFormat.YAML:
        from zhashui_cli.factfile.yamlfile import yaml_text

        out.write(yaml_text(dict(value)))
    else:
        listing(rows, fmt, fields, out)
