"""Regenerate src/zhashui_cli/search/zh_stop_words.txt: the Chinese stop words of stopwords-iso.

A Chinese word that the fact base holds nowhere is searched for by its parts (search/engine.py,
_parts): the known words it holds and its rare characters. Function words (有, 在, 能, 用, 给,
的) are such parts too, and a question written in full (在柞水看病能用西安的医保卡吗) was answered
by the facts that hold 在, 能 and 用 rather than by the one that holds 医保. So a part that is a
stop word is not searched for, as an English stop word never decides a search. The list is the
Chinese one of stopwords-iso (MIT), as the stopwordsiso package (a test extra) ships it; it is
vendored, one word a line, so that a search reads a small file rather than importing a package
that parses the stop words of every language. tests/test_search.py fails when it is stale.

    python scripts/gen_zh_stop_words.py           # rewrite the file
    python scripts/gen_zh_stop_words.py --check   # exit 1 when the file is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import stopwordsiso

TARGET = Path(__file__).resolve().parent.parent / "src" / "zhashui_cli" / "search" / "zh_stop_words.txt"
HEADER = """\
# The Chinese stop words of stopwords-iso (https://github.com/stopwords-iso/stopwords-iso), as the
# stopwordsiso package ships them (its licence: MIT); derived by scripts/gen_zh_stop_words.py.
# Compiled by Gene Diaz, packaged for pip by Arthit Suriyawongkul (stopwords-iso's CREDITS.md).
"""


def render() -> str:
    """The file: its header, then the stop words, sorted, one a line."""
    return HEADER + "".join(f"{word}\n" for word in sorted(stopwordsiso.stopwords("zh")))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed file differs")
    arguments = parser.parse_args()
    text = render()
    if arguments.check:
        stale = not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text
        if stale:
            print(f"{TARGET} is stale: run python scripts/gen_zh_stop_words.py", file=sys.stderr)
        return int(stale)
    temporary = TARGET.with_name(TARGET.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main())
