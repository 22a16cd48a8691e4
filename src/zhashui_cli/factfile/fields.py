"""Reading the fields of loaded YAML strictly: each field's type and shape checked, and each
problem at the line of the field it is about, named the way a curator reads the file
(fact '2023-toilets': figures[0].unit). parse.py reads a fact file with these."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from zhashui_cli._i18n import N_, Message
from zhashui_cli.records import Problem, problem
from zhashui_cli.suggest import close_to

from .layout import ID_PATTERN, YEAR_RANGE
from .yamlfile import Ambiguous, Places, Position

# What YAML made of a value, in a curator's words; bool before int, since True is an int too.
_TYPE_NAMES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (type(None), N_("nothing")),
    (bool, N_("a yes/no value")),
    (_dt.date, N_("a date")),
    ((int, float), N_("a number")),
    (str, N_("text")),
    (list, N_("a list")),
    (dict, N_("a mapping")),
)


def describe_type(value: object) -> Message:
    return Message(next((name for kind, name in _TYPE_NAMES if isinstance(value, kind)), type(value).__name__))


class Located:
    """Where things stand in the file: the position of a field, found by its path. Given a way
    to read the file again with its places (reread), it reads them when a position is first
    asked for, that is, when there is a problem to report: the data and places of that reading
    replace the ones given, as places are known by the identity of the data they describe."""

    def __init__(self, data: object, places: Places, reread: Callable[[], tuple[object, Places]] | None = None) -> None:
        self.data, self.places, self._reread = data, places, reread

    def positions_only(self) -> Located:
        """What position() needs and no more: without the data of a reading without places,
        which the next position() replaces with its own (the rules, checked beside the index
        build, need not keep a large file's data alive through it)."""
        return self if self._reread is None else Located(None, {}, self._reread)

    def position(self, path: tuple[Any, ...]) -> Position | None:
        """The position of the last key or item of path, or of the nearest container found."""
        if self._reread is not None:
            self.data, self.places = self._reread()
            self._reread = None
        node, found = self.data, None
        for part in path:
            place = self.places.get(id(node))
            if place is None or part not in place.parts:
                return found or (place.start if place else None)
            found = place.parts[part]
            node = node[part] if isinstance(node, (dict, list)) else None
        return found


class Reader:
    """Reads fields of loaded YAML, collecting every problem rather than stopping at the first."""

    def __init__(self, file: str, located: Located) -> None:
        self.file, self.located = file, located
        self.problems: list[Problem] = []
        self.reported: set[tuple[Any, ...]] = set()  # paths that already have a problem
        # Every problem found, counted even where its field already has one (an unquoted yes
        # reported as ambiguous, then found to be no text): an entry is built only if none
        # was found while reading it.
        self.found = 0

    def problem(
        self, path: tuple[Any, ...], message: Message | str, rule: str = "schema", position: Position | None = None
    ) -> None:
        self.found += 1
        if path in self.reported:
            return
        self.reported.add(path)
        fact, field = self.subject(path)
        place = position or self.located.position(path)
        self.problems.append(problem(self.file, message, rule=rule, field=field, fact=fact, place=place))

    def subject(self, path: tuple[Any, ...]) -> tuple[str | None, str]:
        """The fact id a path is in (when it has a usable one), and the field it names."""
        fact = None
        if len(path) >= 2 and path[0] == "facts":
            entry = _item(self.located.data, "facts", path[1])
            if isinstance(entry, dict) and isinstance(entry.get("id"), str) and ID_PATTERN.fullmatch(entry["id"]):
                fact, path = entry["id"], path[2:]
        field = ""
        for part in path:
            field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
        return fact, field

    def ambiguous(self, found: Sequence[Ambiguous]) -> None:
        for entry in found:
            path = tuple(part for part in entry.path if part != "<key>")
            self.problem(path, entry.message, "yaml-ambiguous", entry.position)

    # -- shapes ---------------------------------------------------------------------------
    def mapping(
        self, entry: object, path: tuple[Any, ...], fields: tuple[str, ...], optional: frozenset[str] = frozenset()
    ) -> dict[str, Any] | None:
        """The entry if it is a mapping, with its unknown and missing fields reported."""
        if not isinstance(entry, dict):
            self.problem(path, Message("expected a mapping, got {type}", type=describe_type(entry)))
            return None
        for key in entry:
            if key not in fields:
                self.problem((*path, key), self.unknown_field(str(key), fields))
        for key in fields:
            if key not in optional and key not in entry:
                self.problem((*path, key), Message("missing; every entry needs it"))
        return entry

    derived: frozenset[str] = frozenset()  # fields computed from others, never typed in

    def unknown_field(self, key: str, fields: tuple[str, ...]) -> Message:
        if key in self.derived:
            return Message("remove it; it is computed from value and unit")
        close = close_to(key, fields, limit=1)
        if close:
            return Message(
                "unknown field (did you mean '{name}'?); allowed: {names}", name=close[0], names=", ".join(fields)
            )
        return Message("unknown field; allowed: {names}", names=", ".join(fields))

    def text(self, entry: dict[str, Any], path: tuple[Any, ...], key: str) -> str | None:
        if key not in entry:
            return None
        value = entry[key]
        if isinstance(value, str):
            if value.strip():
                return value
            self.problem((*path, key), Message("must not be empty"))
            return None
        if isinstance(value, (bool, int, float, _dt.date)):
            self.problem(
                (*path, key), Message("expected text, got {type}; put it in quotes", type=describe_type(value))
            )
        else:
            self.problem((*path, key), Message("expected text, got {type}", type=describe_type(value)))
        return None

    def optional_text(self, entry: dict[str, Any], path: tuple[Any, ...], key: str) -> str | None:
        return self.text(entry, path, key) if entry.get(key) is not None else None

    def identifier(self, entry: dict[str, Any], path: tuple[Any, ...], key: str = "id") -> str | None:
        value = self.text(entry, path, key)
        if value is not None and not ID_PATTERN.fullmatch(value):
            message = Message(
                "{value} is not lowercase ASCII kebab-case (like 2023-loans-coordinated)", value=repr(value)
            )
            self.problem((*path, key), message)
            return None
        return value

    def choice(self, entry: dict[str, Any], path: tuple[Any, ...], key: str, allowed: Mapping[str, Any]) -> Any:
        value = self.text(entry, path, key)
        if value is not None and value not in allowed:
            message = Message(
                "unknown {field} '{value}'; use one of {names}", field=key, value=value, names=", ".join(allowed)
            )
            self.problem((*path, key), message)
            return None
        return None if value is None else allowed[value]

    def unique(self, seen: dict[str, tuple[Any, ...]], value: str | None, path: tuple[Any, ...], what: str) -> None:
        if value is None:
            return
        if value in seen:
            first = self.located.position(seen[value])
            if first:
                message = Message(
                    "duplicate {what} id '{value}' (first at line {line}); ids must be unique",
                    what=Message(what),
                    value=value,
                    line=first[0],
                )
            else:
                message = Message("duplicate {what} id '{value}'; ids must be unique", what=Message(what), value=value)
            self.problem((*path, "id"), message, "unique")
            return
        seen[value] = (*path, "id")

    def reference(
        self, data: dict[str, Any], path: tuple[Any, ...], key: str, declared: Mapping[str, object], where: str
    ) -> str | None:
        value = self.text(data, path, key)
        if value is not None and value not in declared:
            if declared:
                message = Message(
                    "unknown {field} '{value}'; known: {names}", field=key, value=value, names=", ".join(declared)
                )
            else:
                message = Message(
                    "unknown {field} '{value}'; known: none yet, declare it under {where}",
                    field=key,
                    value=value,
                    where=where,
                )
            self.problem((*path, key), message, "reference")
            return None
        return value

    def listing(self, data: dict[str, Any], path: tuple[Any, ...], key: str, required: bool = True) -> list[Any]:
        value = data.get(key, [] if required else None)  # a missing list is already reported by mapping()
        if isinstance(value, list) or (value is None and not required):
            return value or []
        self.problem((*path, key), Message("expected a list (use [] for none), got {type}", type=describe_type(value)))
        return []

    def year(self, data: dict[str, Any], path: tuple[Any, ...], required: bool = True) -> int | None:
        if data.get("year") is None and not required:
            return None
        if "year" not in data:
            return None
        value = data["year"]
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem((*path, "year"), Message("expected a year like 2023, got {type}", type=describe_type(value)))
            return None
        if value not in YEAR_RANGE:
            message = Message(
                "{value} is outside {first}..{last}", value=value, first=YEAR_RANGE.start, last=YEAR_RANGE.stop - 1
            )
            self.problem((*path, "year"), message)
            return None
        return value


def _item(data: object, key: str, index: object) -> object:
    listing = data.get(key) if isinstance(data, dict) else None
    return listing[index] if isinstance(listing, list) and isinstance(index, int) and index < len(listing) else None
