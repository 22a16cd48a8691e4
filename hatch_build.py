"""The build hook that compiles the message catalogues (docs/architecture.md, "Languages").

The .po files are the source and are committed; the .mo files gettext reads are build output,
never committed (.gitignore). For a wheel this compiles each .po and ships the .mo in the
package; for an editable install (`pip install -e .`), whose package is the source folder
itself, it compiles the .mo beside its .po, where the running code looks for it.
scripts/gen_catalogue.py, which it calls, compiles them too after it updates a .po.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def compile_catalogues(root: Path) -> list[Path]:
    """scripts/gen_catalogue.py's compile_catalogues (the script is in the sdist too)."""
    spec = importlib.util.spec_from_file_location("gen_catalogue", root / "scripts" / "gen_catalogue.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    written: list[Path] = script.compile_catalogues(root)
    return written


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile the catalogues before the wheel (standard or editable) is built."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return  # the sdist carries the .po files; the wheel built from it compiles them
        root = Path(self.root)
        for mo in compile_catalogues(root):
            if version == "standard":  # an editable install reads the package, .mo and all, from src/
                build_data["force_include"][str(mo)] = str(mo.relative_to(root / "src"))
