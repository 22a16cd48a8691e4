"""Re-extract the messages of the command line and update the Chinese catalogue with them.

    python scripts/gen_catalogue.py           # update the .po (new messages get an empty msgstr), compile the .mo
    python scripts/gen_catalogue.py --check   # exit 1 when a message is missing or obsolete (the tests check this)

The messages are every _(), N_(), ngettext() and Message() of the package (zhashui_cli._i18n), the commands'
docstrings (their help: cli/app.py registers each command with its docstring, translated when
drawn), the _() of typer's core.py, which writes the headings and brackets of every help
("Options", "[default: …]", "[required]"; the command line hands typer its catalogue,
cli/_typer.py), and the help of click's help option, which click does not mark.
Obsolete entries are dropped, not kept commented out: the .po holds only what the code says.
After an update, translate the new entries (an empty msgstr fails tests/test_i18n.py), and
run this again to compile the .mo that a Chinese run reads (hatch_build.py compiles it for
a wheel or an editable install).
"""

from __future__ import annotations

import argparse
import inspect
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "zhashui_cli"
PO = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES" / "zhashui.po"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "Message": (1,)}
HEADER = """\
# The Simplified Chinese messages of the zhashui command line, for any zh* locale.
# Updated by scripts/gen_catalogue.py; docs/architecture.md, "Languages", says how to translate."""


def _typer_core() -> Path:
    import typer.core

    return Path(typer.core.__file__)


def _clicks_help_option() -> tuple[str, Path, int]:
    """The help of click's help option ("Show this message and exit."), its file and line."""
    import re

    from typer._click.decorators import help_option

    lines, first = inspect.getsourcelines(help_option)
    for number, line in enumerate(lines, first):
        found = re.search(r'help="([^"]+)"', line)
        if found:
            return found.group(1), Path(inspect.getsourcefile(help_option) or ""), number
    raise SystemExit('click\'s help_option() has no help="…" any more: see how it words its help')


def template() -> Catalog:
    """Every message the command line may say, with where it is said. (zhashui and typer are
    imported here, not at the top: hatch_build.py runs compile_catalogues before either is installed.)"""
    import zhashui_cli
    from zhashui_cli.cli.app import ORDER, command_function

    installed = Path(zhashui_cli.__file__).parent  # the source tree, or site-packages for a wheel

    catalogue = Catalog(project="zhashui", domain="zhashui", charset="utf-8", fuzzy=False)
    for filename, line, message, _comments, _context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()
    ):
        catalogue.add(message, locations=[(f"src/zhashui_cli/{filename}", line)])
    for line, message, _comments, _context in extract_from_file("python", _typer_core(), keywords={"_": None}):
        catalogue.add(message, locations=[("typer/core.py", line)])
    message, path, line = _clicks_help_option()
    catalogue.add(message, locations=[(f"typer/_click/{path.name}", line)])
    for command in map(command_function, ORDER):
        doc = inspect.getdoc(command)
        if doc:
            source = Path(inspect.getsourcefile(command) or "").relative_to(installed).as_posix()
            catalogue.add(doc, locations=[(f"src/zhashui_cli/{source}", inspect.getsourcelines(command)[1])])
    return catalogue


def read(path: Path = PO) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale="zh_CN", domain="zhashui")


def updated(current: Catalog) -> Catalog:
    """The catalogue with the template's messages: new ones added untranslated, gone ones dropped."""
    current.update(template(), no_fuzzy_matching=True, update_header_comment=False, update_creation_date=False)
    current.obsolete.clear()
    current.header_comment = HEADER
    current.fuzzy = False
    current.project, current.version = "zhashui", ""
    current.last_translator = current.language_team = "zhashui contributors"
    return current


def compile_catalogues(root: Path) -> list[Path]:
    """Compile every locale/*/LC_MESSAGES/*.po under the package into the .mo beside it, and
    return the .mo files (hatch_build.py calls this for every wheel it builds)."""
    written = []
    for po in sorted((root / "src" / "zhashui_cli" / "locale").glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as source:
            catalogue = read_po(source, locale=po.parent.parent.name)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as target:
            write_mo(target, catalogue)
        written.append(mo)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report missing or obsolete messages")
    args = parser.parse_args(argv)
    current = read() if PO.exists() else Catalog(locale="zh_CN", domain="zhashui", project="zhashui")
    wanted = {message.id for message in template() if message.id}
    have = {message.id for message in current if message.id}
    if args.check:
        for label, ids in (("missing", wanted - have), ("obsolete", have - wanted)):
            for msgid in sorted(ids, key=str):
                print(f"{label}: {msgid!r}", file=sys.stderr)
        return 1 if wanted != have else 0
    with PO.open("wb") as target:
        write_po(target, updated(current), width=120, sort_output=False, include_previous=False)
    compile_catalogues(ROOT)
    untranslated = sum(1 for message in current if message.id and not message.string)
    print(f"{PO.relative_to(ROOT)}: {len(wanted)} messages, {untranslated} untranslated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
