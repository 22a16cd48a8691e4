"""Strict, fast reading of a YAML fact file that means one thing to every reader.

PyYAML's safe loader refuses arbitrary objects, but still lets a hand-edited file say more
or less than it seems to: an alias repeats a value a billion times, a duplicate key silently
drops the first value, `<<` merges keys from elsewhere. Here all three are errors, as are
several documents and nesting deeper than a fact file needs. PyYAML reads YAML 1.1, editors
and check-jsonschema read YAML 1.2, and the two disagree about some unquoted values (`on`,
`1e5`, `0o17`, `1_000`, `1:20`, dates): such a value is reported, so that it gets quotes and
means the same everywhere.

Explicit tags are refused, every one: a fact file needs none (quotes say text), and tags are
where readers part ways. `!!int "03747"` is 2023 to PyYAML (an octal number) and 3747 to a
YAML 1.2 reader; `! 2023` is a number to PyYAML's own parser and text to libyaml's; and
PyYAML's constructors fail on `!!int "abc"` or `!!bool "maybe"` with errors of their own.
Numbers longer than MAX_NUMBER_LENGTH are refused too, before Python converts them: int()
refuses more than 4300 digits, and takes quadratic time where that limit is lifted.

Only the parsing is PyYAML's (its C parser when installed): the data is built straight from
the parser's events, without PyYAML's node tree, which took several times the time and thirty
times the memory of the file. Where every mapping key and list item stands is recorded, so
that a problem can point at the line of the field that is wrong.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, NamedTuple

import yaml

from zhashui_cli._i18n import N_, Message

Position = tuple[int, int]  # line, column; 1-based

MAX_DEPTH = 32  # a fact file nests six levels deep
MAX_NUMBER_LENGTH = 100  # characters: far more than a figure needs, far fewer than int() refuses
_TAG = "tag:yaml.org,2002:"
_STR, _MERGE, _TIMESTAMP = f"{_TAG}str", f"{_TAG}merge", f"{_TAG}timestamp"
_NUMBERS = frozenset({f"{_TAG}int", f"{_TAG}float"})
_PLAIN_SCALARS = frozenset({*_NUMBERS, _TIMESTAMP, f"{_TAG}bool", f"{_TAG}null"})


class Place(NamedTuple):
    """Where a mapping or list starts, and where each of its keys or items stands."""

    start: Position
    parts: dict[Any, Position]  # mapping key, or list index → position


Places = dict[int, Place]  # by id() of the dict or list built


class Ambiguous(NamedTuple):
    """An unquoted value that YAML 1.1 and YAML 1.2 read differently."""

    path: tuple[Any, ...]  # keys and indices from the top: ("facts", 3, "tags", 2)
    position: Position
    message: Message


class YamlError(Exception):
    def __init__(self, message: Message | str, position: Position | None = None) -> None:
        super().__init__(str(message))
        self.message, self.position = message, position


class Document(NamedTuple):
    data: Any
    places: Places
    ambiguous: list[Ambiguous]


class _ProgressReader:
    """The file's bytes as a stream for the parser, reporting how much of it has been read.
    (Bytes, not text: libyaml reads UTF-8 faster than it re-encodes Python text.)"""

    def __init__(self, data: bytes, name: str, progress: Callable[[int, int], None] | None) -> None:
        self.data, self.name, self.progress, self.position = data, name, progress, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.position + size
        chunk = self.data[self.position : end]
        self.position += len(chunk)
        if self.progress is not None:
            self.progress(self.position, len(self.data))
        return chunk


def load(text: str, name: str, progress: Callable[[int, int], None] | None = None, positions: bool = True) -> Document:
    """The single YAML document of text as plain Python data, with where everything stands
    (Document.places), or, without positions, with none of it: the places of a large file took
    a third of its reading and of its memory, and only a problem needs them (store.py reads the
    file again for them when one is found). A problem of the YAML itself has its position
    either way."""
    with_libyaml = hasattr(yaml, "CSafeLoader")
    loader = None
    try:
        # PyYAML's own reader already reads, and may fail, while the loader is being made.
        loader = (yaml.CSafeLoader if with_libyaml else yaml.SafeLoader)(_ProgressReader(text.encode(), name, progress))
        builder = _Builder(loader, positions)
        return Document(builder.document(), builder.places, builder.ambiguous)
    except _PositionsNeeded:
        return load(text, name, positions=True)
    except yaml.reader.ReaderError as error:
        # libyaml counts the offset in bytes of UTF-8, PyYAML's own reader in characters.
        before = text.encode()[: error.position].decode(errors="ignore") if with_libyaml else text[: error.position]
        message = Message("character U+{code} is not allowed in YAML; remove it", code=format(error.character, "04X"))
        raise YamlError(message, (before.count("\n") + 1, len(before) - before.rfind("\n"))) from None
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, text) from None
    except yaml.YAMLError as error:
        raise YamlError(Message("invalid YAML: {error}", error=error)) from None
    finally:
        if loader is not None:
            loader.dispose()


# -- syntax errors ---------------------------------------------------------------------------
_CONSTRUCTS = {
    "while parsing a flow sequence": N_("the list opened at {at} is not closed; end it with ]"),
    "while parsing a flow mapping": N_("the mapping opened at {at} is not closed; end it with }}"),
    "while scanning a quoted scalar": N_("the quoted text opened at {at} is not closed; end it with its quote"),
    "while scanning a double-quoted scalar": N_('the quoted text opened at {at} is not closed; end it with "'),
    "while scanning a single-quoted scalar": N_("the quoted text opened at {at} is not closed; end it with '"),
}
_KEY_LINE = re.compile(r"( *)(?:- +)?([^\s:#\-\[{'\"][^:]*?):(?: |\Z)")


def _syntax_error(error: Any, text: str) -> YamlError:
    """PyYAML's two marks in a curator's words: where the construct began, where it broke."""
    problem, context = str(error.problem or ""), str(error.context or "")
    mark, begun = error.problem_mark or error.context_mark, error.context_mark
    where = (mark.line + 1, mark.column + 1) if mark else None
    at = f"{begun.line + 1}:{begun.column + 1}" if begun else "?"
    lines = text.splitlines()
    if mark is not None and (misindented := _misindented(lines, mark.line)):
        return YamlError(misindented, (mark.line + 1, 1))
    message: Message | str
    if problem.startswith("mapping values are not allowed"):
        message = Message("a colon followed by a space inside an unquoted value; put the value in quotes")
    elif context in _CONSTRUCTS:
        message = Message(_CONSTRUCTS[context], at=at)
    elif context:  # PyYAML's own words, which no catalogue holds
        message = Message("{problem} ({context} at {at})", problem=problem, context=context, at=at)
    else:
        message = problem or Message("invalid YAML")
    return YamlError(message, where)


def _key_indent(line: str) -> int | None:
    """Where the key of a `key: value` line starts (after a list's dash), or None."""
    found = _KEY_LINE.match(line)
    return None if found is None else found.start(2)


def _misindented(lines: list[str], number: int) -> Message | None:
    """What is wrong when a key is indented differently from the key above it."""
    if number >= len(lines) or (indent := _key_indent(lines[number])) is None:
        return None
    for above in range(number - 1, -1, -1):
        if lines[above].strip() and not lines[above].lstrip().startswith("#"):
            expected = _key_indent(lines[above])
            if expected is None or expected == indent or lines[above].rstrip().endswith(":"):
                return None
            key = _KEY_LINE.match(lines[number]).group(2)  # type: ignore[union-attr]
            return Message(
                "the key '{key}' is indented {indent} spaces, but the key above it (line {line}) "
                "is indented {expected}; line it up with that key",
                key=key,
                indent=indent,
                line=above + 1,
                expected=expected,
            )
    return None


# -- YAML 1.1 against YAML 1.2 ----------------------------------------------------------------
# The YAML 1.2 core schema's plain scalars that are not text (spec 1.2.2, section 10.3.2),
# matched as whole values with fullmatch (a $ would also match before a final line break).
_CORE_NULL = re.compile(r"~|null|Null|NULL|")
_CORE_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
_CORE_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
# YAML 1.1 booleans that PyYAML leaves as text but other YAML 1.1 readers do not.
_YES_NO = frozenset({"y", "n", "yes", "no", "on", "off"})
_MAY_DIFFER = frozenset("0123456789-+.~nNtTfFyYoO")


def core_schema_value(value: str) -> object:
    """What a YAML 1.2 reader makes of an unquoted value. (An integer of more digits than
    Python's int() converts comes out as a float: a number either way.)"""
    if _CORE_NULL.fullmatch(value):
        return None
    if _CORE_BOOL.fullmatch(value):
        return value.lower() == "true"
    if _CORE_INT.fullmatch(value):
        try:
            return int(value, 8 if value.startswith("0o") else 16 if value.startswith("0x") else 10)
        except ValueError:
            return float(value)
    if _CORE_FLOAT.fullmatch(value):
        return float(value.lower().replace(".inf", "inf").replace(".nan", "nan"))
    return value


def _core_number(value: str) -> bool:
    """Whether a YAML 1.2 reader takes an unquoted value for a number (without converting it)."""
    return bool(_CORE_INT.fullmatch(value) or _CORE_FLOAT.fullmatch(value))


def _reading(value: object) -> Message:
    if value is None:
        return Message("nothing")
    if isinstance(value, bool):
        return Message("a yes/no value ({value})", value=str(value).lower())
    if isinstance(value, str):
        return Message("text")
    if isinstance(value, (int, float)):
        return Message("a number ({value})", value=value)
    return Message("a date ({value})", value=value)


def is_yes_no(value: str) -> bool:
    """Whether a YAML 1.1 reader may take this text for a yes/no value."""
    return value.lower() in _YES_NO


def ambiguity(plain: str, read: object) -> Message | None:
    """Why an unquoted value read as `read` (YAML 1.1) is unsafe, or None when it is not."""
    if not plain or plain[0] not in _MAY_DIFFER:
        return None
    if is_yes_no(plain):
        return Message("{value} is a yes/no value in YAML 1.1 and text in YAML 1.2; put it in quotes", value=plain)
    core = core_schema_value(plain)
    both_nan = isinstance(core, float) and isinstance(read, float) and math.isnan(core) and math.isnan(read)
    if both_nan or (type(core) is type(read) and core == read):
        return None
    return Message(
        "{value} is {old} in YAML 1.1 and {new} in YAML 1.2; put it in quotes",
        value=plain,
        old=_reading(read),
        new=_reading(core),
    )


# -- building ---------------------------------------------------------------------------------
class _PositionsNeeded(Exception):
    """A problem found while building without positions that needs the position of another
    value (the first of two duplicate keys): the document is read again, with them."""


class _Builder:
    """Builds dicts, lists and scalars from the parser's events, one event at a time, with
    where each stands (places) when positions is set."""

    def __init__(self, loader: Any, positions: bool = True) -> None:
        self.loader, self.events, self.positions = loader, yaml.events, positions
        self.next: Callable[[], Any] = loader.get_event  # the loader's own: one call per event, not two
        self.places: Places = {}
        self.ambiguous: list[Ambiguous] = []
        self.scalar_node = yaml.ScalarNode
        # Plain scalars that start with none of these are text; the others (numbers, yes/no,
        # nulls, dates, <<) go through PyYAML's regular expressions.
        self.special = frozenset(key for key in loader.yaml_implicit_resolvers if key)

    def document(self) -> Any:
        events = self.events
        self.next()  # the stream's start
        if self.loader.check_event(events.StreamEndEvent):
            return None
        self.next()  # the document's start
        data = self.value(self.next(), ())
        self.next()  # the document's end
        if not self.loader.check_event(events.StreamEndEvent):
            raise _problem(self.next(), Message("holds several YAML documents (---); a fact file is one document"))
        return data

    def value(self, event: Any, path: tuple[Any, ...]) -> Any:
        events = self.events
        if isinstance(event, events.AliasEvent):
            raise _problem(event, Message("aliases (*name) are not allowed in a fact file; write the value out"))
        if event.tag is not None:
            tag = str(event.tag).replace(_TAG, "!!")
            message = Message(
                "the tag {tag} is not allowed; a fact file uses no YAML tags: remove it (and quote text)", tag=tag
            )
            raise _problem(event, message)
        if len(path) > MAX_DEPTH:
            raise _problem(
                event, Message("is nested more than {depth} levels deep; a fact file needs six", depth=MAX_DEPTH)
            )
        if isinstance(event, events.ScalarEvent):
            return self.scalar(event, path)
        if isinstance(event, events.SequenceStartEvent):
            items: list[Any] = []
            parts: dict[Any, Position] = {}
            if self.positions:
                self.places[id(items)] = Place(_position(event), parts)
            while not isinstance(item := self.next(), events.SequenceEndEvent):
                if self.positions:
                    parts[len(items)] = _position(item)
                items.append(self.value(item, (*path, len(items))))
            return items
        return self.mapping(event, path)

    def mapping(self, start: Any, path: tuple[Any, ...]) -> dict[Any, Any]:
        data: dict[Any, Any] = {}
        keys: dict[Any, Position] = {}
        if self.positions:
            self.places[id(data)] = Place(_position(start), keys)
        while not isinstance(event := self.next(), self.events.MappingEndEvent):
            # << is the only value that resolves to a merge, and tag_of() is a call per key
            if isinstance(event, self.events.ScalarEvent) and event.value == "<<" and self.tag_of(event) == _MERGE:
                raise _problem(event, Message("merge keys (<<) are not allowed in a fact file; write the keys out"))
            key = self.value(event, (*path, "<key>"))
            if isinstance(key, (dict, list)):
                raise _problem(event, Message("a key must be a plain value"))
            if key in data:
                if not self.positions:
                    raise _PositionsNeeded
                first = keys[key][0]
                message = Message(
                    "duplicate key '{key}' (first at line {line}); a key may appear once", key=key, line=first
                )
                raise _problem(event, message)
            if self.positions:
                keys[key] = _position(event)
            data[key] = self.value(self.next(), (*path, key))
        return data

    def tag_of(self, event: Any) -> str:
        """The type YAML 1.1 resolves an untagged scalar to (value() refuses tagged ones)."""
        if event.implicit[0] and event.value and event.value[0] not in self.special:
            return _STR
        return str(self.loader.resolve(self.scalar_node, event.value, event.implicit))

    def scalar(self, event: Any, path: tuple[Any, ...]) -> Any:
        tag = self.tag_of(event)
        plain = event.implicit[0] and not event.style
        if plain and len(event.value) > MAX_NUMBER_LENGTH and (tag in _NUMBERS or _core_number(event.value)):
            message = Message(
                "a number of {length} characters, longer than the {most} a fact file allows; "
                "shorten it, or put it in quotes if it is text",
                length=len(event.value),
                most=MAX_NUMBER_LENGTH,
            )
            raise _problem(event, message)
        if tag == _STR:
            value: Any = event.value
        elif tag not in _PLAIN_SCALARS:  # = and <<, which PyYAML resolves to types it cannot build
            name = tag.replace(_TAG, "!!")
            message = Message(
                "{value} has a meaning of its own in YAML 1.1 ({tag}); put it in quotes", value=event.value, tag=name
            )
            raise _problem(event, message)
        else:
            value = self.construct(event, tag)
        if plain and (why := ambiguity(event.value, value)):
            self.ambiguous.append(Ambiguous(path, _position(event), why))
        return value

    def construct(self, event: Any, tag: str) -> Any:
        """A number, yes/no value, null or date, as PyYAML builds it from a value it resolved to
        that type, which it still fails to build when a date is no date (2023-02-30) or a
        number has no digits (0b_)."""
        node = self.scalar_node(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return self.loader.yaml_constructors[tag](self.loader, node)
        except ValueError as error:
            if tag == _TIMESTAMP:
                message = Message(
                    "{value} is not a date ({error}); correct it, or put it in quotes", value=event.value, error=error
                )
            else:
                message = Message(
                    "{value} looks like a number to YAML 1.1 but is none; put it in quotes", value=event.value
                )
            raise _problem(event, message) from None


def _position(event: Any) -> Position:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _problem(event: Any, message: Message) -> YamlError:
    return YamlError(message, _position(event))


def yaml_text(value: Any) -> str:
    """Data as YAML that reads back the same in YAML 1.1 and 1.2, the way facts.yaml is written."""

    class Dumper(yaml.SafeDumper):
        """Text that YAML 1.1 or YAML 1.2 would read as something else is quoted (PyYAML knows
        only 1.1); NEL and the Unicode line separators, which PyYAML writes raw in plain
        scalars and reads back as line breaks, are escaped in double quotes. A list inside a
        mapping is indented, as facts.yaml writes it, so that what the README shows pastes in."""

        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    def text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
        unsafe = any(char in data for char in "\x85\u2028\u2029")
        other_type = not isinstance(core_schema_value(data), str) or is_yes_no(data)
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"' if unsafe or other_type else None)

    Dumper.add_representer(str, text)
    return str(yaml.dump(value, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=1_000_000))
