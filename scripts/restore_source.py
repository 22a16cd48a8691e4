"""Regenerate the restored source texts under sources/ from their raw scrapes.

The raw scrape of a bulletin reached us converted to traditional characters, with tone-marked
pinyin after many characters, HTML residue at paragraph ends and ASCII punctuation. This
script undoes that mechanically (pinyin, residue, OpenCC t2s, punctuation) and then applies
the hand corrections recorded beside the scrape, so the restored text that every quote in
facts.yaml is checked against can always be rebuilt and audited.

    python scripts/restore_source.py           # rewrite sources/<id>.txt
    python scripts/restore_source.py --check   # exit 1 when a committed text is stale

Each `sources/<id>.raw.txt` needs a `sources/<id>.corrections.yaml` (a list, may be empty).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import opencc
import yaml

SOURCES = Path(__file__).resolve().parent.parent / "sources"

# A pinyin annotation is a parenthesised run of lowercase Latin letters with at least one
# tone mark; a real parenthesis in the text, such as (民宿), never matches.
_PINYIN = re.compile(r"\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")
# What is left of a paragraph's closing "。</p>" after the scrape's encoding round trip.
_RESIDUE = re.compile(r"\?! \?/p>$", re.MULTILINE)
_FULL_WIDTH = str.maketrans({",": "，", ":": "：", "(": "（", ")": "）"})


class RestoreError(Exception):
    """A correction no longer matches the text it was written for."""


@dataclass(frozen=True)
class Correction:
    find: str
    replace: str
    count: int
    reason: str


def load_corrections(path: Path) -> list[Correction]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [Correction(**entry) for entry in entries]


def restore(raw: str, corrections: list[Correction]) -> str:
    """Return the restored text: first line (publication time) kept, one paragraph per line."""
    text = _RESIDUE.sub("。", _PINYIN.sub("", raw))
    text = str(opencc.OpenCC("t2s").convert(text))
    first, _, body = text.partition("\n")
    text = first + "\n" + body.translate(_FULL_WIDTH)
    for correction in corrections:
        found = text.count(correction.find)
        if found != correction.count:
            raise RestoreError(
                f"correction {correction.find!r} → {correction.replace!r} expects "
                f"{correction.count} occurrence(s), found {found}"
            )
        text = text.replace(correction.find, correction.replace)
    return text.rstrip("\n") + "\n"


def restore_source(source_id: str) -> str:
    raw = (SOURCES / f"{source_id}.raw.txt").read_text(encoding="utf-8")
    return restore(raw, load_corrections(SOURCES / f"{source_id}.corrections.yaml"))


def source_ids() -> list[str]:
    return sorted(path.name.removesuffix(".raw.txt") for path in SOURCES.glob("*.raw.txt"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale texts")
    args = parser.parse_args(argv)
    stale = []
    for source_id in source_ids():
        target = SOURCES / f"{source_id}.txt"
        try:
            restored = restore_source(source_id)
        except RestoreError as error:
            print(f"{source_id}: {error}", file=sys.stderr)
            return 2
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == restored:
            continue
        stale.append(source_id)
        if not args.check:
            target.write_text(restored, encoding="utf-8")
            print(f"wrote {target.relative_to(SOURCES.parent)}")
    if args.check and stale:
        print(f"stale restored text: {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
