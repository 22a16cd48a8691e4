"""Compare the two candidate search engines by measurement (docs/search.md, "Engine").

    python benchmarks/engines.py                 # the real base and a 100,000-fact one
    python benchmarks/engines.py --facts 20000   # a smaller big base

zhashui's index (index/corpus.py: Chinese looked for in the lines of the facts holding its pairs of
characters, or by find() over the folded text; a vocabulary with postings) is set against SQLite
FTS5 from the standard library, fed the same folded text: Chinese as single characters (so that a
two-character word such as 木耳 is a phrase query, as FTS5's trigram tokenizer cannot find fewer than
three characters) and Latin words as they are. Both answer the same queries; printed are, per
engine: the time to import it, to build, the size on disk, the median time of a warm query (records
fetched), and what a flipped byte does.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import zhashui_cli
from zhashui_cli.index import cache
from zhashui_cli.index.corpus import Corpus
from zhashui_cli.index.text import query_tokens
from zhashui_cli.search import engine

# Queries both engines answer alike: Chinese and numbers, as substrings. (English words they
# would answer differently: FTS5 matches whole tokens; zhashui also forms, spellings, typos.)
QUERIES = ["木耳", "专项债", "乡村振兴", "厕所", "柞水县", "7168", "2023"]
_CJK = re.compile(r"([\u2e80-\u9fff])")


def import_ms(module: str) -> float:
    """The median time to start Python and import a module, less that of starting Python."""

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    bare = statistics.median(run("pass") for _ in range(15))
    return (statistics.median(run(f"import {module}") for _ in range(15)) - bare) * 1000


def fts_text(text: str) -> str:
    """Folded text as FTS5 gets it: each Chinese character a token of its own."""
    return _CJK.sub(r" \1 ", text)


def fts_query(word: str) -> str:
    tokens = query_tokens(word)
    return " ".join('"' + " ".join(fts_text(t).split()) + '"' for t in tokens)


def build_fts(corpus: Corpus, path: Path) -> float:
    start = time.perf_counter()
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE VIRTUAL TABLE fts USING fts5(text)")
        db.execute("CREATE TABLE records (line BLOB)")
        lines = corpus.numbers("text.plain.lines")
        at, _ = corpus._section("text.plain")  # the same folded text the index scans
        body = corpus._body
        for i in range(corpus.count):
            text = bytes(body[at + lines[i] : at + lines[i + 1]]).decode().replace("\x1f", " ")
            db.execute("INSERT INTO fts (rowid, text) VALUES (?, ?)", (i, fts_text(text)))
            db.execute("INSERT INTO records (rowid, line) VALUES (?, ?)", (i, corpus.record_line(i)))
    return time.perf_counter() - start


def fts_search(db: sqlite3.Connection, word: str) -> list[bytes]:
    rows = db.execute(
        "SELECT records.line FROM fts JOIN records ON records.rowid = fts.rowid WHERE fts MATCH ? ORDER BY fts.rowid",
        (fts_query(word),),
    )
    return [row[0] for row in rows]


def zhashui_search(corpus: Corpus, word: str) -> list[bytes]:
    result = engine.run(corpus, engine.Query((word,)))
    return [corpus.record_line(i) for i in result.indices]


def median_ms(work: Callable[[], object], rounds: int = 15) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def flips(path: Path, answer: Callable[[Path], object], clean: object, count: int = 40) -> tuple[int, int, int]:
    """Flip a random byte of the file `count` times: how often the answer was the same, how
    often it failed loudly, and how often it was silently different."""
    original = path.read_bytes()
    chooser = random.Random(7)
    same = loud = silent = 0
    for _ in range(count):
        damaged = bytearray(original)
        position = chooser.randrange(len(damaged))
        damaged[position] ^= 1 << chooser.randrange(8)
        path.write_bytes(bytes(damaged))
        try:
            got = answer(path)
        except Exception:
            loud += 1
            continue
        same, silent = (same + 1, silent) if got == clean else (same, silent + 1)
    path.write_bytes(original)
    return same, loud, silent


# The 100,000-fact synthetic base's file is past the library's default limit (64 MiB), as
# startup.py's --max-size 1G says for the command line.
MAX_BYTES = 1 << 30


def measure(fact_file: Path, label: str, folder: Path) -> None:
    base = zhashui_cli.open(fact_file, max_bytes=MAX_BYTES)
    base.search("木耳")  # build and cache the index
    index_file = cache.cache_file(fact_file)
    assert index_file is not None
    started = time.perf_counter()
    zhashui_cli.open(fact_file, cache=False, max_bytes=MAX_BYTES).search("木耳")
    index_build = time.perf_counter() - started
    corpus = cache.load(fact_file)
    assert corpus is not None
    database = folder / f"{label}.db"
    fts_build = build_fts(corpus, database)
    db = sqlite3.connect(database)
    for word in QUERIES:
        found, theirs = zhashui_search(corpus, word), fts_search(db, word)
        assert sorted(found) == sorted(theirs), (word, len(found), len(theirs))

    def warm_zhashui(word: str) -> list[bytes]:
        opened = cache.load(fact_file)  # as a run does: open the cached index, then search
        assert opened is not None
        return zhashui_search(opened, word)

    ours_ms = statistics.median(median_ms(lambda w=w: warm_zhashui(w), 7) for w in QUERIES)  # type: ignore[misc]
    fts_ms = statistics.median(median_ms(lambda w=w: fts_search(sqlite3.connect(database), w), 7) for w in QUERIES)  # type: ignore[misc]
    print(f"\n{label}: {corpus.count:,} facts; {len(QUERIES)} queries, each answered alike by both engines\n")
    print("| engine | build s | size MB | warm query ms (median) |")
    print("|---|---:|---:|---:|")
    print(f"| zhashui index | {index_build:.1f} | {index_file.stat().st_size / 1e6:.1f} | {ours_ms:.1f} |")
    print(f"| SQLite FTS5 | {fts_build:.1f} (after the index) | {database.stat().st_size / 1e6:.1f} | {fts_ms:.1f} |")
    if corpus.count < 1000:
        scratch = folder / "flip"
        scratch.mkdir(exist_ok=True)
        copy = scratch / index_file.name
        shutil.copyfile(index_file, copy)

        def zhashui_answer(path: Path) -> object:
            shutil.copyfile(path, index_file)
            return zhashui_cli.open(fact_file).search("木耳").json_lines()

        clean_ours = zhashui_cli.open(fact_file).search("木耳").json_lines()
        same, loud, silent = flips(copy, zhashui_answer, clean_ours)
        shutil.copyfile(copy, index_file)
        clean_fts = fts_search(sqlite3.connect(database), "木耳")
        f_same, f_loud, f_silent = flips(database, lambda p: fts_search(sqlite3.connect(p), "木耳"), clean_fts)
        print("\n| a byte flipped at random, 40 times | same answer | error | a different answer, silently |")
        print("|---|---:|---:|---:|")
        print(f"| zhashui index (rebuilt when damaged) | {same} | {loud} | {silent} |")
        print(f"| SQLite FTS5 | {f_same} | {f_loud} | {f_silent} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=100_000, help="size of the big base (default 100000)")
    args = parser.parse_args()
    sqlite_ms, index_ms = import_ms("sqlite3"), import_ms("zhashui_cli.index.corpus")
    print(f"import beyond Python's start: sqlite3 {sqlite_ms:.1f} ms, zhashui_cli.index.corpus {index_ms:.1f} ms")
    with tempfile.TemporaryDirectory(prefix="zhashui-engines-") as tmp:
        folder = Path(tmp)
        os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
        measure(Path(zhashui_cli.factfile.store.packaged_fact_file()), "real", folder)
        subprocess.run(
            [
                sys.executable,
                str(Path(__file__).with_name("synthetic.py")),
                str(folder / "big"),
                "--facts",
                str(args.facts),
            ],
            check=True,
        )
        measure(folder / "big" / "facts.yaml", f"{args.facts // 1000}k", folder)


if __name__ == "__main__":
    main()
