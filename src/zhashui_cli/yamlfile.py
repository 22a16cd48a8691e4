"""Strict, fast reading of a YAML fact file.

PyYAML's safe loader refuses arbitrary objects, but still lets a hand-edited file say more or
less than it seems to: an alias repeats a value a billion times, a duplicate key silently drops
the first value, `<<` merges keys from elsewhere. Here all three are errors, as are tags other
than YAML's plain types, several documents, and nesting deeper than a fact file ever needs.

Only the parsing is PyYAML's (its C parser when installed): the Python data is built straight
from the parser's events, without PyYAML's node tree, which took several times the time and
thirty times the memory of the file (2 GB for a 100,000-fact file). Every mapping's line and
column are recorded, so that validation can say where a problem is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Where a mapping starts, by id() of the dict built from it: (line, column), 1-based.
Places = dict[int, tuple[int, int]]

MAX_DEPTH = 32  # a fact file nests five levels deep
_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ, _MERGE = f"{_TAG}str", f"{_TAG}map", f"{_TAG}seq", f"{_TAG}merge"
_PLAIN_SCALARS = frozenset(f"{_TAG}{name}" for name in ("int", "float", "bool", "null", "timestamp"))


class YamlError(Exception):
    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


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


def load(text: str, name: str, progress: Callable[[int, int], None] | None = None) -> tuple[Any, Places]:
    """The single YAML document of text as plain Python data, and where its mappings start."""
    import yaml

    with_libyaml = hasattr(yaml, "CSafeLoader")
    loader = None
    try:
        # PyYAML's own reader already reads, and may fail, while the loader is being made.
        loader = (yaml.CSafeLoader if with_libyaml else yaml.SafeLoader)(_ProgressReader(text.encode(), name, progress))
        builder = _Builder(loader)
        return builder.document(), builder.places
    except yaml.reader.ReaderError as error:
        # libyaml counts the offset in bytes of UTF-8, PyYAML's own reader in characters.
        before = text.encode()[: error.position].decode(errors="ignore") if with_libyaml else text[: error.position]
        message = f"character U+{error.character:04X} is not allowed in YAML; remove it"
        raise YamlError(message, before.count("\n") + 1, len(before) - before.rfind("\n")) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.problem, error.context) if part) or "invalid YAML"
        raise YamlError(message, *((mark.line + 1, mark.column + 1) if mark else ())) from None
    except yaml.YAMLError as error:
        raise YamlError(f"invalid YAML: {error}") from None
    finally:
        if loader is not None:
            loader.dispose()


class _Builder:
    """Builds dicts, lists and scalars from the parser's events, one event at a time."""

    def __init__(self, loader: Any) -> None:
        import yaml

        self.loader, self.events = loader, yaml.events
        self.places: Places = {}
        self.scalar_node = yaml.ScalarNode
        # Plain scalars that start with none of these are text; the others (numbers, yes/no,
        # nulls, dates, <<) go through PyYAML's regular expressions.
        self.special = frozenset(key for key in loader.yaml_implicit_resolvers if key)

    def next(self) -> Any:
        return self.loader.get_event()

    def document(self) -> Any:
        events = self.events
        self.next()  # the stream's start
        if self.loader.check_event(events.StreamEndEvent):
            return None
        self.next()  # the document's start
        data = self.value(self.next(), 0)
        self.next()  # the document's end
        if not self.loader.check_event(events.StreamEndEvent):
            raise _problem(self.next(), "holds several YAML documents (---); a fact file is one document")
        return data

    def value(self, event: Any, depth: int) -> Any:
        events = self.events
        if isinstance(event, events.AliasEvent):
            raise _problem(event, "aliases (*name) are not allowed in a fact file; write the value out")
        if depth > MAX_DEPTH:
            raise _problem(event, f"is nested more than {MAX_DEPTH} levels deep; a fact file needs five")
        if isinstance(event, events.ScalarEvent):
            return self.scalar(event)
        if isinstance(event, events.SequenceStartEvent):
            self.check_tag(event, _SEQ)
            items = []
            while not isinstance(item := self.next(), events.SequenceEndEvent):
                items.append(self.value(item, depth + 1))
            return items
        self.check_tag(event, _MAP)
        return self.mapping(event, depth)

    def mapping(self, start: Any, depth: int) -> dict[Any, Any]:
        data: dict[Any, Any] = {}
        self.places[id(data)] = (start.start_mark.line + 1, start.start_mark.column + 1)
        first_line: dict[Any, int] = {}
        while not isinstance(event := self.next(), self.events.MappingEndEvent):
            if isinstance(event, self.events.ScalarEvent) and self.tag_of(event) == _MERGE:
                raise _problem(event, "merge keys (<<) are not allowed in a fact file; write the keys out")
            key = self.value(event, depth + 1)
            if isinstance(key, (dict, list)):
                raise _problem(event, "a key must be a plain value")
            if key in data:
                raise _problem(event, f"duplicate key '{key}' (first at line {first_line[key]}); a key may appear once")
            first_line[key] = event.start_mark.line + 1
            data[key] = self.value(self.next(), depth + 1)
        return data

    def tag_of(self, event: Any) -> str:
        if event.tag is not None and event.tag != "!":
            return str(event.tag)
        if event.implicit[0] and event.value and event.value[0] not in self.special:
            return _STR
        return str(self.loader.resolve(self.scalar_node, event.value, event.implicit))

    def scalar(self, event: Any) -> Any:
        tag = self.tag_of(event)
        if tag == _STR:
            return event.value
        if tag not in _PLAIN_SCALARS:
            raise _problem(
                event, f"the tag {tag.replace(_TAG, '!!')} is not allowed; a fact file holds only plain values"
            )
        node = self.scalar_node(tag, event.value, event.start_mark, event.end_mark, event.style)
        return self.loader.yaml_constructors[tag](self.loader, node)

    @staticmethod
    def check_tag(event: Any, expected: str) -> None:
        if event.tag not in (None, "!", expected):
            tag = str(event.tag).replace(_TAG, "!!")
            raise _problem(event, f"the tag {tag} is not allowed; a fact file holds only plain values")


def _problem(event: Any, message: str) -> YamlError:
    return YamlError(message, event.start_mark.line + 1, event.start_mark.column + 1)
