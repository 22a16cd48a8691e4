"""Regenerate src/zhashui_cli/index/wordnet.json.gz from Princeton WordNet 3.0's database files.

No package of the registry ships WordNet's data in a maintained release (nltk and wn download
it at run time, which zhashui never does; wn 0.0.23 of 2018 bundled it), so the part the index
build needs is vendored, as the OpenCC trigger list is: the synsets of nouns and verbs, each as
the Snowball stems of its words of one word, and an index from every stem (and every phrase of
two or three words: air pollution) to the synsets that hold it or point to it as a broader term
(@, @i: restroom → toilet) or a derivationally related form (+: graft → corrupt). Adjectives
are left out: their synsets are loose (punishing is hard, heavy and laborious), and measured on
benchmarks/findability-meaning.yaml they found nothing more. The file holds WordNet's licence,
which asks that its notice travel with every copy.

The database files are Debian's `wordnet-base` (apt-get install wordnet-base):

    python scripts/gen_wordnet.py                      # from /usr/share/wordnet
    python scripts/gen_wordnet.py --dict DIR --check   # exit 1 when the file is stale
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "src" / "zhashui_cli" / "index" / "wordnet.json.gz"
PARTS = ("noun", "verb")
RELATIONS = frozenset({"@", "@i", "+"})
LICENCE = """\
# WordNet 3.0: the synsets of its nouns and verbs, and the words each holds or points to (broader
# terms, derivationally related forms); derived by scripts/gen_wordnet.py. WordNet's licence:
#
# WordNet Release 3.0 This software and database is being provided to you, the LICENSEE, by
# Princeton University under the following license. By obtaining, using and/or copying this
# software and database, you agree that you have read, understood, and will comply with these
# terms and conditions.: Permission to use, copy, modify and distribute this software and
# database and its documentation for any purpose and without fee or royalty is hereby granted,
# provided that you agree to comply with the following copyright notice and statements,
# including the disclaimer, and that the same appear on ALL copies of the software, database
# and documentation, including modifications that you make for internal use or for
# distribution. WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. THIS
# SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS
# OR WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON
# UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANT- ABILITY OR FITNESS FOR ANY
# PARTICULAR PURPOSE OR THAT THE USE OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL
# NOT INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER RIGHTS. The name of
# Princeton University or Princeton may not be used in advertising or publicity pertaining to
# distribution of the software and/or database. Title to copyright in this software, database
# and any associated documentation shall at all times remain with Princeton University and
# LICENSEE agrees to preserve same.
"""


def _synsets(directory: Path) -> dict[str, tuple[list[str], list[tuple[str, str]]]]:
    """Offset and part → (its words, the (relation, offset and part) pointers it has)."""
    synsets: dict[str, tuple[list[str], list[tuple[str, str]]]] = {}
    for part in PARTS:
        for line in (directory / f"data.{part}").read_text(encoding="utf-8").splitlines():
            if line.startswith(" "):
                continue  # the licence at the head of each file
            fields = line.split(" | ", 1)[0].split()
            count = int(fields[3], 16)
            words = [fields[4 + 2 * n].lower() for n in range(count)]
            at = 4 + 2 * count
            pointers = [
                (fields[at + 1 + 4 * n], fields[at + 2 + 4 * n] + fields[at + 3 + 4 * n].replace("s", "a"))
                for n in range(int(fields[at]))
            ]
            synsets[fields[0] + fields[2].replace("s", "a")] = (words, pointers)
    return synsets


def _word(lemma: str) -> str:
    """A lemma as the index folds text: air_pollution → air pollution, bed-and-breakfast →
    bed and breakfast; adjective markers (a), (p) dropped."""
    return lemma.split("(", 1)[0].replace("_", " ").replace("-", " ")


def generate(directory: Path) -> bytes:
    """{"synsets": a line per synset, the stems of its words of one word (space-separated),
    "terms": a line per stem or words of two or three words, sorted, with the numbers of the
    synsets holding it or pointing to it (term, a tab, numbers separated by commas)}: what the
    index build needs to find, for each word of a fact base, the words a thesaurus gives for
    it, without reading every synset."""
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    synsets = _synsets(directory)
    keys: list[list[str]] = []
    terms: dict[str, set[int]] = {}
    for words, pointers in synsets.values():
        own = [_word(word) for word in words]
        single = sorted({stemmer.stemWord(word) for word in own if word.isalpha()})
        if not single:
            continue
        related = [
            _word(word)
            for kind, target in pointers
            if kind in RELATIONS and target in synsets  # not to adverbs, which are left out
            for word in synsets[target][0]
        ]
        number = len(keys)
        keys.append(single)
        for word in (*own, *related):
            if word.isalpha():
                terms.setdefault(stemmer.stemWord(word), set()).add(number)
            elif word.replace(" ", "").isalpha() and 1 < len(word.split()) <= 3:
                terms.setdefault(word, set()).add(number)
    # As two texts of lines rather than JSON's lists: a build reads a few thousand of the
    # 81,000 terms, and parsing every list took 0.2 s of each cold build.
    table = {
        "licence": LICENCE,
        "synsets": "\n".join(" ".join(stems) for stems in keys),
        "terms": "\n".join(f"{term}\t{','.join(map(str, sorted(numbers)))}" for term, numbers in sorted(terms.items())),
    }
    text = json.dumps(table, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return gzip.compress(text.encode("utf-8"), mtime=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dict", type=Path, default=Path("/usr/share/wordnet"), help="WordNet's database files")
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed file differs")
    arguments = parser.parse_args()
    data = generate(arguments.dict)
    if arguments.check:
        stale = not TARGET.exists() or gzip.decompress(TARGET.read_bytes()) != gzip.decompress(data)
        if stale:
            print(f"{TARGET} is stale: run python scripts/gen_wordnet.py", file=sys.stderr)
        return int(stale)
    temporary = TARGET.with_name(TARGET.name + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main())
