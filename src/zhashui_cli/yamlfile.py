"""Strict, fast reading of a YAML fact file.

PyYAML's safe loader refuses arbitrary objects, but still lets a hand-edited file say more or
less than it seems to: an alias repeats a value a billion times, a duplicate key silently drops
the first value, `<<` merges keys from elsewhere. Here all three are errors, as are tags other
than YAML's plain types and nesting deeper than a fact file ever needs.

Only the parsing and composing are PyYAML's (its C parser when installed); the Python objects
are built by one small recursive function instead of PyYAML's general constructor machinery,
which made loading a 100,000-fact file several times slower. Every mapping's line and column
are recorded, so that validation can say where a problem is.
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
    (Bytes, not text: libyaml reads UTF-8 a third faster than it re-encodes Python text.)"""

    def __init__(self, data: bytes, name: str, progress: Callable[[int, int], None] | None) -> None:
        self.data, self.name, self.progress, self.position = data, name, progress, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.position + size
        chunk = self.data[self.position : end]
        self.position += len(chunk)
        if self.progress is not None:
            self.progress(self.position, len(self.data))
        return chunk


def _loader(data: bytes, name: str, progress: Callable[[int, int], None] | None) -> Any:
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    special = frozenset(key for key in base.yaml_implicit_resolvers if key)

    class Loader(base):  # type: ignore[valid-type,misc]
        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            # Called for every untagged node. Most plain scalars are text: only those starting
            # like a number, a yes/no, a null or a date need PyYAML's regular expressions.
            if kind is yaml.ScalarNode:
                if implicit[0] and value and value[0] not in special:
                    return _STR
                return super().resolve(kind, value, implicit)
            return _MAP if kind is yaml.MappingNode else _SEQ

    return Loader(_ProgressReader(data, name, progress))


def load(text: str, name: str, progress: Callable[[int, int], None] | None = None) -> tuple[Any, Places]:
    """The single YAML document of text as plain Python data, and where its mappings start."""
    import yaml

    loader = _loader(text.encode("utf-8"), name, progress)
    try:
        node = loader.get_single_node()
        places: Places = {}
        return (None if node is None else _Builder(loader, places).build(node, 0)), places
    except yaml.reader.ReaderError as error:
        # libyaml counts the offset in bytes of UTF-8, PyYAML's own reader in characters.
        in_bytes = isinstance(loader, getattr(yaml, "CSafeLoader", ()))
        before = text.encode()[: error.position].decode(errors="ignore") if in_bytes else text[: error.position]
        message = f"character U+{error.character:04X} is not allowed in YAML; remove it"
        raise YamlError(message, before.count("\n") + 1, len(before) - before.rfind("\n")) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.problem, error.context) if part) or "invalid YAML"
        if "expected a single document" in message:
            message = "holds several YAML documents (---); a fact file is one document"
        raise YamlError(message, *((mark.line + 1, mark.column + 1) if mark else ())) from None
    except yaml.YAMLError as error:
        raise YamlError(f"invalid YAML: {error}") from None
    except RecursionError:
        raise YamlError("is nested too deeply to be a fact file") from None
    finally:
        loader.dispose()


class _Builder:
    def __init__(self, loader: Any, places: Places) -> None:
        self.loader, self.places = loader, places
        self.seen: set[int] = set()

    def build(self, node: Any, depth: int) -> Any:
        if id(node) in self.seen:
            raise _problem(node, "aliases (*name) are not allowed in a fact file; write the value out")
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _problem(node, f"is nested more than {MAX_DEPTH} levels deep; a fact file needs five")
        if node.tag == _STR:
            return node.value
        if node.tag in _PLAIN_SCALARS:
            return self.loader.yaml_constructors[node.tag](self.loader, node)
        if node.tag == _SEQ:
            return [self.build(item, depth + 1) for item in node.value]
        if node.tag == _MAP:
            return self.mapping(node, depth)
        tag = str(node.tag).replace(_TAG, "!!")
        raise _problem(node, f"the tag {tag} is not allowed; a fact file holds only plain YAML values")

    def mapping(self, node: Any, depth: int) -> dict[Any, Any]:
        data: dict[Any, Any] = {}
        self.places[id(data)] = (node.start_mark.line + 1, node.start_mark.column + 1)
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                raise _problem(key_node, "merge keys (<<) are not allowed in a fact file; write the keys out")
            key = self.build(key_node, depth + 1)
            if isinstance(key, (dict, list)):
                raise _problem(key_node, "a key must be a plain value")
            if key in data:
                raise _problem(
                    key_node, f"duplicate key '{key}' (first at line {first_line[key]}); a key may appear once"
                )
            first_line[key] = key_node.start_mark.line + 1
            data[key] = self.build(value_node, depth + 1)
        return data


def _problem(node: Any, message: str) -> YamlError:
    return YamlError(message, node.start_mark.line + 1, node.start_mark.column + 1)
