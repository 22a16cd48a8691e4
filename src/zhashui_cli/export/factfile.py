"""The fact-file export: a fact file with its source texts and schema, which verify accepts
and which searches like the original."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from zhashui_cli._i18n import Message
from zhashui_cli._version import __version__
from zhashui_cli.errors import OutputWriteError
from zhashui_cli.factfile.model import FactFile
from zhashui_cli.factfile.store import packaged_schema
from zhashui_cli.factfile.yamlfile import yaml_text

from . import target

MODELINE = "# yaml-language-server: $schema=schema/facts.schema.json"
SCHEMA = "schema/facts.schema.json"


def fact_file(destination: Path, file: FactFile, *, replace: bool = False) -> Path:
    """Write a fact file (destination/facts.yaml), the texts of its sources beside it as the
    original names them, and its JSON Schema for editors. Derived values (base values) are
    left out, as in any fact file."""
    target.check(destination, folder=True, replace=replace)
    temporary = target.temporary_beside(destination)
    origin = Path(file.path).name
    head = f"{MODELINE}\n# Exported by zhashui {__version__} from {origin}; `zhashui verify` checks it.\n"
    texts = {source.text: file.texts[source.id] for source in file.sources}
    try:
        temporary.mkdir()
        (temporary / "facts.yaml").write_text(head + yaml_text(_fact_file_data(file)), encoding="utf-8")
        (temporary / "schema").mkdir()
        shutil.copyfile(packaged_schema(), temporary / SCHEMA)
        for name, text in texts.items():
            (temporary / name).parent.mkdir(parents=True, exist_ok=True)
            (temporary / name).write_text(text, encoding="utf-8")
        target.put_folder(temporary, ["facts.yaml", SCHEMA, *texts], destination)
    except OSError as error:
        reason = error.strerror or error
        raise OutputWriteError(Message("cannot write {path}: {reason}", path=destination, reason=reason)) from error
    finally:
        target.discard(temporary)
    return destination / "facts.yaml"


def _fact_file_data(file: FactFile) -> dict[str, Any]:
    def number(value: Decimal) -> int | float:
        return int(value) if value == value.to_integral_value() else float(value)

    def without_none(entry: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in entry.items() if value is not None}

    units = [
        {
            "unit": u.unit,
            "base_unit": u.base,
            "factor": u.factor if isinstance(u.factor, int) else number(u.factor),
            "en": u.en,
        }
        for u in file.units.declared
    ]
    return {
        **({"units": units} if units else {}),
        "sources": [
            without_none(
                {
                    "id": s.id,
                    "title": s.title,
                    "title_en": s.title_en,
                    "published": s.published,
                    "publisher": s.publisher,
                    "url": s.url,
                    "accessed": s.accessed,
                    "language": s.language,
                    "text": s.text,
                    "sections": [without_none(section._asdict()) for section in s.sections],
                    "names": [without_none(name._asdict()) for name in s.names] or None,
                }
            )
            for s in file.sources
        ],
        "categories": [without_none(c._asdict()) for c in file.categories],
        "facts": [
            without_none(
                {
                    **f._asdict(),
                    "kind": f.kind.value,
                    "tags": list(f.tags),
                    "figures": [
                        {
                            "value": number(g.value),
                            "unit": g.unit,
                            "qualifier": g.qualifier.value,
                            "label": g.label,
                            "label_en": g.label_en,
                        }
                        for g in f.figures
                    ],
                }
            )
            for f in file.facts
        ],
    }
