"""Generate the JSON Schemas of zhashui's output (schema/output/) from records.py, and that of
the fact file (schema/facts.schema.json) from the layout the parser reads.

    python scripts/gen_schemas.py           # write them
    python scripts/gen_schemas.py --check   # exit 1 when they are stale (the tests check this too)

Each record type of src/zhashui_cli/records.py becomes a schema: its keys in order, all
required, no others; the comment after a key becomes its description; the values a key may
take come from the code that makes them (kinds, qualifiers, rules, fields, how words match).

The fact file's schema is factfile/layout.py's tables, field by field: each field's type,
whether it is required and its description, with the values the parser allows (the id
pattern, the years, the built-in units, the kinds and qualifiers, which kinds take figures),
so that what an editor checks is what the loader checks (the loader checks more: unique ids,
known references, provenance).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any

from zhashui_cli import records
from zhashui_cli.errors import FATAL_RULES
from zhashui_cli.factfile import layout
from zhashui_cli.factfile.units import BUILT_IN
from zhashui_cli.factfile.vocabulary import KINDS_WITH_FIGURES, KINDS_WITHOUT_FIGURES, Kind, Qualifier
from zhashui_cli.index.corpus import TEXT_FIELDS
from zhashui_cli.search.matching import TIER

FOLDER = Path(__file__).resolve().parent.parent / "schema" / "output"
FACT_FILE = FOLDER.parent / "facts.schema.json"
BASE = "https://github.com/zhashui/zhashui/schema/output/"
# The outputs, and the record type each is made of.
OUTPUTS: dict[str, tuple[type, str]] = {
    "search-record": (
        records.SearchRecord,
        "A fact found by `zhashui search`: one item of its JSON list, one line of JSON Lines.",
    ),
    "show-record": (
        records.ShowRecord,
        "A fact shown by `zhashui show`: the object (one id) or an item of the list (several).",
    ),
    "match": (records.MatchRecord, "How a fact matched a search: the `match` of a search record."),
    "figure-row": (
        records.FigureRow,
        "A figure with its fact, from `zhashui figures`, and in `stats` as one of the largest amounts.",
    ),
    "category-row": (records.CategoryRow, "A category with its counts, from `zhashui categories`."),
    "stats": (records.Stats, "The object of `zhashui stats --format json`."),
    "stats-row": (records.StatsRow, "A count of `zhashui stats` as a flat row (JSON Lines, CSV)."),
    "tag-row": (records.TagRow, "A tag with how many facts carry it, from `zhashui tags`."),
    "source": (records.SourceRecord, "A source with its sections and names, from `zhashui sources`."),
    "verify-report": (records.VerifyReport, "The object of `zhashui verify --format json`."),
    "problem": (
        records.Problem,
        "A problem of a fact file, from `zhashui verify` (JSON Lines, CSV) and in its report.",
    ),
    "uncovered": (records.Uncovered, "A number of a source that no fact covers, from `zhashui coverage`."),
    "cache-info": (records.CacheInfo, "What the index cache holds: the object of `zhashui cache info --json`."),
}
RULES = sorted(
    {"schema", "unique", "reference", "kind-figures", "yaml-ambiguous", "source-text", "section", "name"}
    | {"quote-in-source", "quote-once", "quote-in-section", "year", "figure-in-quote", "qualifier", "script"}
    | {"year-stated", "sentence"}
    | {"coverage"}
    | FATAL_RULES
)
# Values a key may take (the key names are the same wherever they stand).
CHOICES: dict[str, list[Any]] = {
    "how": list(TIER),
    "rule": RULES,
    "dimension": ["category", "year", "kind"],
}
FIELD_NAMES = {("MatchRecord", "fields"): list(TEXT_FIELDS)}
FLOAT = (
    "A JSON number, always written as a float (924000000.0, 9.24), whole or not, so that its type never "
    "depends on which facts a query found."
)
SIMPLE: dict[Any, dict[str, str]] = {
    type(None): {"type": "null"},
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number", "description": FLOAT},
}


def comments() -> dict[tuple[str, str], str]:
    """The comment after each key of each record type in records.py: its description."""
    found: dict[tuple[str, str], str] = {}
    owner = ""
    for line in Path(records.__file__).read_text(encoding="utf-8").splitlines():
        if match := re.match(r"class (\w+)\(", line):
            owner = match.group(1)
        elif match := re.match(r"    (\w+): [^#]+#\s*(.+)$", line):
            found[owner, match.group(1)] = match.group(2).strip()
    return found


def schema_of(
    kind: Any, owner: str, key: str, definitions: dict[str, Any], described: dict[tuple[str, str], str]
) -> dict[str, Any]:
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        options = [schema_of(a, owner, key, definitions, described) for a in arguments]
        if all(list(option) == ["type"] for option in options):
            return {"type": [option["type"] for option in options]}
        return {"anyOf": options}
    if kind in SIMPLE or origin is typing.Literal:  # a Literal's values are its choices
        choices = list(arguments) if origin is typing.Literal else CHOICES.get(key) if kind is str else None
        return {"type": "string", "enum": choices} if choices else dict(SIMPLE[kind])
    if origin is list:
        items = schema_of(arguments[0], owner, key, definitions, described)
        if (owner, key) in FIELD_NAMES:
            items = {"type": "string", "enum": FIELD_NAMES[owner, key]}
        return {"type": "array", "items": items}
    if origin is dict:
        return {"type": "object", "additionalProperties": schema_of(arguments[1], owner, key, definitions, described)}
    if typing.is_typeddict(kind):
        define(kind, definitions, described)
        return {"$ref": f"#/$defs/{kind.__name__}"}
    raise TypeError(f"no schema for {kind!r} ({owner}.{key})")


def define(record: Any, definitions: dict[str, Any], described: dict[tuple[str, str], str]) -> dict[str, Any]:
    name = record.__name__
    if name in definitions:
        return definitions[name]  # type: ignore[no-any-return]
    definitions[name] = {}  # claimed, for records that contain themselves
    hints = typing.get_type_hints(record)
    properties = {}
    lineage = [base.__name__ for base in _lineage(record)]
    for key in records.fields_of(record):
        owner = next(o for o in reversed(lineage) if key in getattr(records, o).__annotations__)
        property_ = schema_of(hints[key], owner, key, definitions, described)
        note = described.get((owner, key))
        if note and "description" not in property_ and not CHOICES.get(key):
            property_["description"] = note
        properties[key] = property_
    definitions[name] = {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }
    return definitions[name]  # type: ignore[no-any-return]


def _lineage(record: Any) -> list[Any]:
    """A record type and the record types it extends, nearest first (a TypedDict keeps its
    bases in __orig_bases__, not in its __mro__)."""
    bases = [base for base in getattr(record, "__orig_bases__", ()) if typing.is_typeddict(base)]
    return [record, *(ancestor for base in bases for ancestor in _lineage(base))]


def schemas() -> dict[str, str]:
    described = comments()
    written = {}
    for output, (record, title) in OUTPUTS.items():
        definitions: dict[str, Any] = {}
        root = dict(define(record, definitions, described))
        del definitions[record.__name__]
        document = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{BASE}{output}.schema.json",
            "title": title,
            **root,
            **({"$defs": dict(sorted(definitions.items()))} if definitions else {}),
        }
        written[f"{output}.schema.json"] = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return written


FACT_FILE_DESCRIPTION = (
    "facts.yaml: the sources, categories and facts of the zhashui fact base. The zhashui loader checks the same "
    "rules and more (unique ids, known references, provenance)."
)
_TEXT = {"$ref": "#/$defs/text"}
_ID = {"$ref": "#/$defs/id"}


def field_schema(field: layout.Field) -> dict[str, Any]:
    """A field of the fact file as JSON Schema, by its type in layout.py."""
    kinds: dict[str, dict[str, Any]] = {
        "text": _TEXT,
        "id": _ID,
        "reference": _ID,
        "regex": {**_TEXT, "format": "regex"},
        "year": {"type": "integer", "minimum": layout.YEAR_RANGE.start, "maximum": layout.YEAR_RANGE.stop - 1},
        "number": {"type": "number"},
        "positive": {"type": "number", "exclusiveMinimum": 0},
        "kind": {"enum": [kind.value for kind in Kind]},
        "qualifier": {"enum": [qualifier.value for qualifier in Qualifier]},
        # Any text is a unit the file may declare; the built-in ones are listed for completion.
        "unit": {"anyOf": [{"enum": list(BUILT_IN.known())}, _TEXT]},
        "list": {
            "type": "array",
            **({"minItems": 1} if field.non_empty else {}),
            "items": _TEXT if field.items == "text" else {"$ref": f"#/$defs/{field.items}"},
        },
    }
    if field.type == "formatted":
        assert field.pattern is not None, f"{field.name} is formatted but has no pattern"
        schema = {"type": "string", "pattern": f"^{field.pattern.pattern}$"}
    else:
        schema = dict(kinds[field.type])
    if field.description:
        schema["description"] = field.description
    return schema


def entry_schema(entry: layout.Entry) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [field.name for field in entry if field.required],
        "properties": {field.name: field_schema(field) for field in entry},
    }


def _kinds_need(kinds: frozenset[Kind], figures: dict[str, int]) -> dict[str, Any]:
    """A fact of one of these kinds has figures of this many (minItems or maxItems)."""
    named = [kind.value for kind in Kind if kind in kinds]
    return {"if": {"properties": {"kind": {"enum": named}}}, "then": {"properties": {"figures": figures}}}


def fact_file_schema() -> str:
    """schema/facts.schema.json, as layout.py says."""
    definitions: dict[str, Any] = {
        "text": {"type": "string", "minLength": 1, "pattern": "\\S"},
        "id": {"type": "string", "pattern": f"^{layout.ID_PATTERN.pattern}$"},
    }
    definitions.update((name, entry_schema(entry)) for name, entry in layout.ENTRIES.items())
    definitions["fact"]["allOf"] = [
        _kinds_need(KINDS_WITH_FIGURES, {"minItems": 1}),
        _kinds_need(KINDS_WITHOUT_FIGURES, {"maxItems": 0}),
    ]
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "zhashui fact base",
        "description": FACT_FILE_DESCRIPTION,
        **entry_schema(layout.TOP_LEVEL),
        "$defs": definitions,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale schemas")
    args = parser.parse_args(argv)
    fresh = schemas()
    current = {path.name: path.read_text(encoding="utf-8") for path in FOLDER.glob("*.schema.json")}
    fact_file = fact_file_schema()
    if fresh == current and FACT_FILE.is_file() and FACT_FILE.read_text(encoding="utf-8") == fact_file:
        return 0
    if args.check:
        print("schema/ is stale: run python scripts/gen_schemas.py", file=sys.stderr)
        return 1
    FACT_FILE.write_text(fact_file, encoding="utf-8")
    FOLDER.mkdir(parents=True, exist_ok=True)
    for stale in set(current) - set(fresh):
        (FOLDER / stale).unlink()
    for name, text in fresh.items():
        (FOLDER / name).write_text(text, encoding="utf-8")
    print(f"wrote {FACT_FILE} and {len(fresh)} schemas to {FOLDER}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
