"""Measure what a zhashui run costs, against the floor of any typer CLI: `import typer`.

    python benchmarks/startup.py            # 21 rounds; about two minutes
    python benchmarks/startup.py --runs 51  # steadier medians on a noisy machine

Run it with the Python of the environment zhashui is installed in. It builds a 100,000-fact
base in a temporary folder (the real facts repeated under fresh ids, beside the real sources),
then times each case in interleaved rounds, so that a noisy moment hurts every case alike:

    baseline     python -c "import typer"
    json         zhashui search 木耳 --format json       (the packaged base, cache warm)
    table        zhashui search 木耳, drawn as for a terminal 80 columns wide (ZHASHUI_FORCE_TTY)
    pipe         zhashui search 木耳 into a pipe: tab-separated lines
    english      zhashui search hospitals --format json  (word forms: the stemmer is loaded)
    100k json    the json search on the 100,000-fact base (cache warm)
    100k table   the table search on the 100,000-fact base (cache warm)
    100k cold    the first json search on the 100,000-fact base (no cache; timed once)

and prints medians, the ratios the performance targets are stated in, and peak RSS; then what
the index's checksums cost, measured in-process on both bases: the CRC-32 of every section
and record the json search reads, against the whole search. Child
processes may write bytecode (PYTHONDONTWRITEBYTECODE is dropped for them), as an installed
package has it; the warm-up round makes sure they do before anything is timed. The big base is
written by a separate process, because a child's peak RSS counts the memory of the process it
was forked from.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import zhashui_cli
import zhashui_cli.factfile.store
import zhashui_cli.index.cache
import zhashui_cli.search.engine

REPO = Path(__file__).resolve().parent.parent
ZHASHUI = str(Path(sys.executable).with_name("zhashui"))
QUERY = "木耳"


def big_fact_file(folder: Path, count: int) -> Path:
    """The real fact base repeated under fresh ids up to count facts, its sources beside it."""
    head, facts = (REPO / "facts.yaml").read_text(encoding="utf-8").split("\nfacts:\n", 1)
    blocks = ("\n" + facts).split("\n  - id: ")[1:]
    out = [head, "\nfacts:\n"]
    written = 0
    for repeat in range(count // len(blocks) + 1):
        for block in blocks:
            if written == count:
                break
            fact_id, rest = block.split("\n", 1)
            suffix = f"-r{repeat}" if repeat else ""
            out.append(f"  - id: {fact_id}{suffix}\n{rest.rstrip()}\n")
            written += 1
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "facts.yaml"
    path.write_text("".join(out), encoding="utf-8")
    shutil.copytree(REPO / "sources", folder / "sources")
    return path


def run(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time in seconds and peak RSS in KiB of one run, which must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {stderr}")
    return elapsed, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed rounds (default 21)")
    parser.add_argument("--facts", type=int, default=100_000, help="size of the big base (default 100000)")
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)  # write the big base there and stop
    args = parser.parse_args()
    if args.build:
        big_fact_file(args.build, args.facts)
        return

    with tempfile.TemporaryDirectory(prefix="zhashui-bench-") as tmp:
        folder = Path(tmp)
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env.update(XDG_CACHE_HOME=str(folder / "cache"), COLUMNS="80")
        started = time.perf_counter()
        build = [sys.executable, __file__, "--build", str(folder / "big"), "--facts", str(args.facts)]
        subprocess.run(build, check=True)
        big = str(folder / "big" / "facts.yaml")
        print(f"built a {args.facts:,}-fact base in {time.perf_counter() - started:.1f} s", file=sys.stderr)

        search = [ZHASHUI, "search", QUERY]
        tty = ["env", "ZHASHUI_FORCE_TTY=80"]
        cases = {
            "baseline": [sys.executable, "-c", "import typer"],
            "json": [*search, "--format", "json"],
            "table": [*tty, *search],
            "pipe": search,
            "english": [ZHASHUI, "search", "hospitals", "--format", "json"],
            f"{args.facts // 1000}k json": [*search, "--format", "json", "--facts", big],
            f"{args.facts // 1000}k table": [*tty, *search, "--facts", big],
        }
        cold_seconds, cold_rss = run(cases[f"{args.facts // 1000}k json"], env)  # also warms its cache
        for argv in cases.values():  # warm caches and bytecode
            run(argv, env)
        times: dict[str, list[float]] = {name: [] for name in cases}
        peaks: dict[str, int] = dict.fromkeys(cases, 0)
        for _ in range(args.runs):
            for name, argv in cases.items():
                seconds, rss = run(argv, env)
                times[name].append(seconds)
                peaks[name] = max(peaks[name], rss)
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]
        checks = {
            "real": checksum_cost(zhashui_cli.factfile.store.packaged_fact_file()),
            f"{args.facts // 1000}k": checksum_cost(Path(big)),
        }

    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline, real = medians["baseline"], medians["json"]
    print(
        f"zhashui {version('zhashui')}, typer {version('typer')}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {args.runs} rounds, {time.strftime('%Y-%m-%d')}\n"
    )
    print("| case | median ms | × baseline | × json (real base) | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|")
    for name, median in medians.items():
        ratios = f"{median / baseline:.2f} | {median / real:.2f}"
        print(f"| {name} | {median * 1000:.0f} | {ratios} | {peaks[name] / 1024:.0f} |")
    print(f"| {args.facts // 1000}k cold (once) | {cold_seconds * 1000:.0f} | | | {cold_rss / 1024:.0f} |")
    big = f"{args.facts // 1000}k"
    targets = [
        ("json search", medians["json"] / baseline, "baseline", 1.25),
        ("table search", medians["table"] / baseline, "baseline", 1.6),
        (f"{big} json, warm", medians[f"{big} json"] / real, "json on the real base", 2.5),
    ]
    print("\n| target | ratio | limit | |\n|---|---:|---:|---|")
    for name, ratio, against, limit in targets:
        print(f"| {name} | {ratio:.2f} × {against} | {limit} | {'met' if ratio <= limit else 'MISSED'} |")
    print("\n| checksums of the json search | CRC-32 ms | whole search ms (in-process) | share |\n|---|---:|---:|---:|")
    for name, (crc, whole) in checks.items():
        print(f"| {name} | {crc * 1000:.2f} | {whole * 1000:.2f} | {crc / whole:.0%} |")


def checksum_cost(fact_file: Path) -> tuple[float, float]:
    """Seconds to check the CRC-32s that the json search of QUERY reads (its sections and the
    records it passes through), and seconds for the whole search, on a freshly opened index."""
    import zlib

    def median_of(work: Callable[[], object]) -> float:
        times = []
        for _ in range(15):
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    corpus = zhashui_cli.index.cache.load(fact_file)
    assert corpus is not None
    found = zhashui_cli.search.engine.run(corpus, zhashui_cli.search.engine.Query((QUERY,))).indices
    view, sections = corpus._view, corpus._sections
    read = ["text.plain", "array.text.plain.lines", "array.records.offsets", "array.records.crcs"]
    records_at, _, _ = sections["records"]
    offsets = corpus.numbers("records.offsets")

    def crcs() -> None:
        for name in read:
            at, size, _ = sections[name]
            zlib.crc32(view[at : at + size])
        for i in found:
            zlib.crc32(view[records_at + offsets[i] : records_at + offsets[i + 1] - 1])

    def whole() -> None:
        opened = zhashui_cli.index.cache.load(fact_file)
        assert opened is not None
        hits = zhashui_cli.search.engine.run(opened, zhashui_cli.search.engine.Query((QUERY,)))
        [opened.record_line(i) for i in hits.indices]

    return median_of(crcs), median_of(whole)


if __name__ == "__main__":
    main()
