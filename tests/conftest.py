"""Shared fixtures: every test gets its own cache folder and a clean environment; the tests
that start a real process are marked `process`, so that `pytest -m "not process"` is a fast
loop in one process."""

from __future__ import annotations

import ast
import copy
import importlib.util
import inspect
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

import zhashui_cli
from zhashui_cli.index.corpus import checksum

# The suite speaks English whatever the machine's locale: zhashui_cli._i18n chooses the language
# once, when first imported, from ZHASHUI_LANG before LANG and the rest, and every child process
# a test starts inherits this. tests/test_i18n.py asks for Chinese where it tests it.
os.environ["ZHASHUI_LANG"] = "en"

REPO = Path(__file__).resolve().parent.parent
FACTS = REPO / "facts.yaml"
SOURCE_TEXT = REPO / "sources" / "zhashui-2024-02-07.txt"
# The size of the packaged base, read from facts.yaml, so that adding a fact breaks no test.
_BASE = yaml.safe_load(FACTS.read_text(encoding="utf-8"))
FACT_COUNT = len(_BASE["facts"])
FIGURE_COUNT = sum(len(fact.get("figures", [])) for fact in _BASE["facts"])
TAG_COUNT = len({tag for fact in _BASE["facts"] for tag in fact["tags"]})
CATEGORY_COUNT = len(_BASE["categories"])

# A small fact base whose every line a test can see: two facts over one short source.
SAMPLE_SOURCE = "2024-01-01 00:00:00\n测试县协调金融贷款9.24亿元，新改建户厕7168座。\n测试县将推进专项债管理。\n"
SAMPLE: dict[str, Any] = {
    "sources": [
        {
            "id": "sample",
            "title": "测试公报",
            "title_en": "Test bulletin",
            "published": "2024-01-01",
            "language": "zh-Hans",
            "text": "sample.txt",
            "sections": [
                {
                    "id": "2023-highlight-1",
                    "title": "亮点一",
                    "title_en": "Highlight 1",
                    "year": 2023,
                    "start": "测试县协调",
                }
            ],
        }
    ],
    "categories": [
        {"id": "economy", "name": "经济发展", "name_en": "Economy"},
        {"id": "ecology", "name": "生态", "name_en": "Ecology"},
    ],
    "facts": [
        {
            "id": "2023-loans",
            "source": "sample",
            "section": "2023-highlight-1",
            "category": "economy",
            "year": 2023,
            "kind": "outcome",
            "claim": "2023年测试县协调金融贷款9.24亿元。",
            "claim_en": "In 2023 the county arranged 924 million yuan of loans.",
            "quote": "协调金融贷款9.24亿元",
            "figures": [{"value": 9.24, "unit": "亿元", "qualifier": "exact", "label": "贷款", "label_en": "loans"}],
            "tags": ["贷款", "loans"],
        },
        {
            "id": "2023-toilets",
            "source": "sample",
            "section": "2023-highlight-1",
            "category": "ecology",
            "year": 2023,
            "kind": "outcome",
            "claim": "2023年测试县新改建户厕7168座。",
            "claim_en": "In 2023 the county built 7,168 household toilets.",
            "quote": "新改建户厕7168座",
            "figures": [
                {"value": 7168, "unit": "座", "qualifier": "exact", "label": "户厕", "label_en": "household toilets"}
            ],
            "tags": ["厕所", "toilets"],
        },
    ],
}


# -- real processes ---------------------------------------------------------------------------
# The modules through which a test starts a process: the console script, a shell, an interpreter.
_PROCESS_MODULES = frozenset({"subprocess", "pty"})


@cache
def _starting_processes(module: ModuleType) -> frozenset[str]:
    """The functions of a test module that start a process: those that use subprocess or pty,
    and those that call, name or take as a fixture one that does (found to a fixed point), so
    that a test is marked through the helpers and fixtures it starts its process with."""
    functions = [node for node in ast.walk(ast.parse(inspect.getsource(module))) if isinstance(node, ast.FunctionDef)]
    uses = {
        node.name: {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {a.arg for a in node.args.args}
        for node in functions
    }
    starting = {name for name, names in uses.items() if names & _PROCESS_MODULES}
    while grown := {name for name, names in uses.items() if name not in starting and names & starting}:
        starting |= grown
    return frozenset(starting)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `process` every test that starts a real process (pyproject.toml registers it)."""
    for item in items:
        if isinstance(item, pytest.Function) and item.originalname in _starting_processes(item.module):
            item.add_marker(pytest.mark.process)


@pytest.fixture(autouse=True)
def processes_only_where_marked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A test not marked `process` that starts one fails, so that the fast loop stays in process
    and the marker can be trusted (a test that starts one unseen: mark it @pytest.mark.process)."""
    if request.node.get_closest_marker("process") is None:

        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError(f"{request.node.nodeid} starts a process but is not marked process: {args[1:2]}")

        monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    yield


@pytest.fixture(scope="session")
def built_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache holding the index of the packaged fact base, built once for the session."""
    folder = tmp_path_factory.mktemp("built-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        zhashui_cli.open().search("木耳")  # builds the index and writes it to the cache
    return folder / "zhashui"


@pytest.fixture(autouse=True)
def isolated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point the cache at a fresh folder and clear what the environment could change.

    The folder starts as a user's after a first search: with the index of the packaged fact
    base, copied, so that the index is not built again for each of the many tests that read
    that base (it took half of the suite's time). A test that looks at its cache (it names
    this fixture) or is marked empty_cache (the cache's own tests, a first run) starts with
    an empty one."""
    cache = tmp_path_factory.mktemp("cache")
    looks_at_it = "isolated" in inspect.signature(request.function).parameters
    if not looks_at_it and request.node.get_closest_marker("empty_cache") is None:
        shutil.copytree(request.getfixturevalue("built_cache"), cache / "zhashui")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    for name in ("ZHASHUI_FACTS", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TERM"):
        monkeypatch.delenv(name, raising=False)
    return cache / "zhashui"


def load_script(name: str, folder: str = "scripts") -> Any:
    """A script of scripts/ (or benchmarks/) as a module, to test its functions (they are not a package)."""
    spec = importlib.util.spec_from_file_location(name, REPO / folder / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the script runs
    spec.loader.exec_module(module)
    return module


def sample() -> dict[str, Any]:
    return copy.deepcopy(SAMPLE)


@pytest.fixture
def write_facts(tmp_path: Path) -> Callable[..., Path]:
    """Write a fact file (a mapping, dumped as JSON, which is YAML; or raw text) and its source."""

    def write(content: dict[str, Any] | str | bytes | None = None, source: str = SAMPLE_SOURCE) -> Path:
        content = sample() if content is None else content
        (tmp_path / "sample.txt").write_text(source, encoding="utf-8")
        path = tmp_path / "facts.yaml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False, indent=1)
            path.write_text(text, encoding="utf-8")
        return path

    return write


def edit_section(header: dict[str, Any], body: bytes, name: str, edit: Callable[[Any], object]) -> bytes:
    """An index body with one JSON section's value edited and the header's layout and
    checksums made right again, as a forger who knows the format would write it."""
    sections = {key: body[at : at + size] for key, (at, size, _) in header["sections"].items()}
    value = json.loads(sections[name])
    edit(value)
    sections[name] = json.dumps(value, ensure_ascii=False).encode()
    position = 0
    for key, data in sections.items():
        header["sections"][key] = [position, len(data), checksum(data)]
        position += len(data)
    header["size"] = position
    return b"".join(sections.values())


def base_problems(tmp_path: Path, old: str, new: str) -> list[str]:
    """The messages of tests/broken/base.yaml's problems once one text of it is replaced."""
    from zhashui_cli.factfile.store import load

    base = REPO / "tests" / "broken" / "base.yaml"
    text = base.read_text(encoding="utf-8")
    assert text.count(old) == 1
    (tmp_path / "sample.txt").write_bytes((base.parent / "sample.txt").read_bytes())
    (tmp_path / "facts.yaml").write_text(text.replace(old, new), encoding="utf-8")
    return [problem["message"] for problem in load(tmp_path / "facts.yaml").problems]
