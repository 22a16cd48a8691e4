"""Search quality as measured by benchmarks/findability.yaml, held to what docs/search.md records."""

from __future__ import annotations

import importlib.util
import re
from types import ModuleType

from .conftest import REPO


def findability() -> ModuleType:
    spec = importlib.util.spec_from_file_location("findability", REPO / "benchmarks" / "findability.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_record_the_findability_the_engine_reaches_and_hit_at_5_never_falls() -> None:
    bench = findability()
    groups, overall, _ = bench.evaluate()
    recorded = (REPO / "docs" / "search.md").read_text(encoding="utf-8")
    level = re.search(r"^\| \*\*overall\*\* \| \d+ \| [\d.]+ \| ([\d.]+) \|", recorded, re.MULTILINE)
    assert level is not None, "docs/search.md has no overall row"
    assert round(overall.hit5, 2) >= float(level.group(1)), "search finds less than docs/search.md records"
    assert bench.table(groups, overall) in recorded, "docs/search.md: paste `python benchmarks/findability.py`"


def test_docs_record_what_the_engine_finds_in_the_readers_own_words() -> None:
    bench = findability()
    groups, overall, _ = bench.evaluate(queries="meaning")
    assert len(groups) == 9 and overall.queries > 200
    recorded = (REPO / "docs" / "search.md").read_text(encoding="utf-8")
    assert bench.table(groups, overall) in recorded, (
        "docs/search.md: paste `python benchmarks/findability.py --set meaning`"
    )
