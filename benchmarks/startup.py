"""Measure what a zhashui run costs, against the floor of any typer CLI (`import typer`), and how
it grows with the size of the fact base.

    python benchmarks/startup.py            # 11 rounds; bases of 1k, 10k and 100k facts
    python benchmarks/startup.py --big      # and 300k (several minutes more)
    python benchmarks/startup.py --runs 21  # steadier medians on a noisy machine

Run it with the Python of the environment zhashui is installed in. It writes synthetic bases
(benchmarks/synthetic.py: the real facts about new places, whose vocabulary grows with the base)
in a temporary folder, each by a separate process (a child's peak RSS counts the memory of the
process it was forked from), then times each case in interleaved rounds, so that a noisy moment
hurts every case alike. The start-up cases, on the packaged base:

    baseline     python -c "import typer"
    json         zhashui search 木耳 --format json       (cache warm)
    table        zhashui search 木耳, drawn as for a terminal 80 columns wide (ZHASHUI_FORCE_TTY)
    pipe         zhashui search 木耳 into a pipe: tab-separated lines
    english      zhashui search hospitals --format json  (word forms: the stemmer is loaded)
    json zh      the json case with ZHASHUI_LANG=zh      (the Chinese catalogue is read)
    table zh     the table case with ZHASHUI_LANG=zh

and the query kinds of issue 20, on the packaged base and on each synthetic one (cache warm):

    rare         search 专项债 --format json             (a word in a few facts)
    木耳         search 木耳 --format json
    common       search 柞水 --format json               (a word in every fact: every record out)
    common table search 柞水 as a terminal table         (the first 20 drawn)
    filter       search --unit 元 --min 1亿 --format json (no words: a numeric filter alone)

It prints medians and ratios: each kind on each base against the same kind on the real base,
the start-up targets, and the cold build of each base (the first search: read, validate, index,
cache) as milliseconds and KiB of peak RSS per fact above the interpreter's: the real base's in
every round (the median; an empty cache each time), each synthetic base's once. The build
forks a child on a second core (src/zhashui_cli/index/child.py): the peak RSS of a cold run is
its larger process's (wait4 reports the maximum over a process and the children it reaped);
the memory both use at once is at most the sum, less the pages they share.
Child processes may write bytecode (PYTHONDONTWRITEBYTECODE is dropped for them), as an
installed package has it; the warm-up round makes sure they do before anything is timed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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
import zhashui_cli.index.corpus
import zhashui_cli.search.engine

REPO = Path(__file__).resolve().parent.parent
ZHASHUI = str(Path(sys.executable).with_name("zhashui"))
QUERY = "木耳"


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


KINDS = {
    "rare": ["search", "专项债", "--format", "json"],
    "木耳": ["search", QUERY, "--format", "json"],
    "common": ["search", "柞水", "--format", "json"],
    "common table": ["search", "柞水"],  # run as a terminal's
    "filter": ["search", "--unit", "元", "--min", "1亿", "--format", "json"],
}
TTY = ["env", "ZHASHUI_FORCE_TTY=80"]
CHINESE = ["env", "ZHASHUI_LANG=zh"]  # the interface in Chinese (zhashui_cli._i18n)


def real_fact_count() -> int:
    """The size of the packaged base, asked of a child: opening it here would grow this
    process, and with it the peak RSS every child it forks reports."""
    stats = subprocess.run([ZHASHUI, "stats", "--format", "json"], capture_output=True, check=True)
    return int(json.loads(stats.stdout)["facts"])


def kind_argv(kind: str, fact_file: str | None) -> list[str]:
    # a synthetic base of 100,000 facts is 76 MB: more than the 64 MiB a fact file may be by default
    bigger = ["--max-size", "1G", *KINDS[kind], "--facts", fact_file] if fact_file else KINDS[kind]
    argv = [ZHASHUI, *bigger]
    return [*TTY, *argv] if kind.endswith("table") else argv


def label(count: int) -> str:
    return f"{count // 1000}k"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="timed rounds (default 11)")
    parser.add_argument("--big", action="store_true", help="also a base of 300,000 facts")
    args = parser.parse_args()
    sizes = [1_000, 10_000, 100_000, *([300_000] if args.big else [])]

    with tempfile.TemporaryDirectory(prefix="zhashui-bench-") as tmp:
        folder = Path(tmp)
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env.update(XDG_CACHE_HOME=str(folder / "cache"), COLUMNS="80")
        bases: dict[str, str | None] = {"real": None}
        for count in sizes:
            started = time.perf_counter()
            synthetic = [sys.executable, str(REPO / "benchmarks" / "synthetic.py"), str(folder / label(count))]
            subprocess.run([*synthetic, "--facts", str(count)], check=True)
            bases[label(count)] = str(folder / label(count) / "facts.yaml")
            print(f"wrote a {count:,}-fact base in {time.perf_counter() - started:.1f} s", file=sys.stderr)

        search = [ZHASHUI, "search", QUERY]
        cases = {
            "baseline": [sys.executable, "-c", "import typer"],
            "json": [*search, "--format", "json"],
            "table": [*TTY, *search],
            "pipe": search,
            "english": [ZHASHUI, "search", "hospitals", "--format", "json"],
            "json zh": [*CHINESE, *search, "--format", "json"],
            "table zh": [*CHINESE, *TTY[1:], *search],
        }
        cases |= {f"{kind} @ {base}": kind_argv(kind, path) for base, path in bases.items() for kind in KINDS}
        colds = {base: run(kind_argv("木耳", path), env) for base, path in bases.items() if path}  # warms the caches
        run(cases["baseline"], env)
        for argv in cases.values():  # warm caches and bytecode
            run(argv, env)
        times: dict[str, list[float]] = {name: [] for name in cases}
        peaks: dict[str, int] = dict.fromkeys(cases, 0)
        real_colds: list[tuple[float, int]] = []  # the real base's cold build, once a round: a second, and noisy
        for round_number in range(args.runs):
            print(f"round {round_number + 1} of {args.runs}", file=sys.stderr)
            for name, argv in cases.items():
                seconds, rss = run(argv, env)
                times[name].append(seconds)
                peaks[name] = max(peaks[name], rss)
            cold_cache = str(folder / f"cold-cache-{round_number}")
            real_colds.append(run(kind_argv("木耳", None), {**env, "XDG_CACHE_HOME": cold_cache}))
        colds["real"] = (statistics.median(s for s, _ in real_colds), max(rss for _, rss in real_colds))
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]
        largest = list(bases)[-1]
        checks = {
            "real": checksum_cost(zhashui_cli.factfile.store.packaged_fact_file()),
            largest: checksum_cost(Path(str(bases[largest]))),
        }

    medians = {name: statistics.median(values) for name, values in times.items()}
    print_report(args.runs, medians, peaks, bases, sizes, colds, checks)


def print_report(
    runs: int,
    medians: dict[str, float],
    peaks: dict[str, int],
    bases: dict[str, str | None],
    sizes: list[int],
    colds: dict[str, tuple[float, int]],
    checks: dict[str, tuple[float, float]],
) -> None:
    baseline, real = medians["baseline"], medians["json"]
    print(
        f"zhashui {version('zhashui')}, typer {version('typer')}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {runs} rounds, {time.strftime('%Y-%m-%d')}\n"
    )
    print("| case | median ms | × baseline | × json (real base) | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|")
    for name in ("baseline", "json", "table", "pipe", "english", "json zh", "table zh"):
        ratios = f"{medians[name] / baseline:.2f} | {medians[name] / real:.2f}"
        print(f"| {name} | {medians[name] * 1000:.0f} | {ratios} | {peaks[name] / 1024:.0f} |")

    print("\nWarm, median ms (× the same query on the real base):\n")
    print("| query | " + " | ".join(bases) + " |")
    print("|---|" + "---:|" * len(bases))
    worst = 0.0
    for kind in KINDS:
        on_real = medians[f"{kind} @ real"]
        cells = []
        for base in bases:
            ratio = medians[f"{kind} @ {base}"] / on_real
            cells.append(f"{medians[f'{kind} @ {base}'] * 1000:.0f}" + ("" if base == "real" else f" ({ratio:.2f}×)"))
        worst = max(worst, medians[f"{kind} @ 100k"] / on_real)
        print(f"| {kind} | " + " | ".join(cells) + " |")

    print("\n| cold build (first search) | s | ms per fact | peak RSS MiB | KiB per fact above the interpreter |")
    print("|---|---:|---:|---:|---:|")
    interpreter = peaks["baseline"]
    per_fact = {}
    for count, base in [(real_fact_count(), "real"), *((count, label(count)) for count in sizes)]:
        seconds, rss = colds[base]
        per_fact[count] = (seconds * 1000 / count, (rss - interpreter) / count)
        print(f"| {base} | {seconds:.2f} | {per_fact[count][0]:.3f} | {rss / 1024:.0f} | {per_fact[count][1]:.1f} |")

    targets = [
        ("json search", medians["json"] / baseline, "× baseline", 1.25),
        ("table search", medians["table"] / baseline, "× baseline", 1.6),
        ("json search in Chinese", medians["json zh"] / baseline, "× baseline", 1.25),
        ("table search in Chinese", medians["table zh"] / baseline, "× baseline", 1.6),
        ("every query kind at 100k, warm", worst, "× the real base (the worst)", 2.0),
        ("cold build of the real base", colds["real"][0], "s", 1.0),
        ("cold build at 100k", per_fact[100_000][0], "ms per fact", 0.25),
        ("cold build's peak at 100k", per_fact[100_000][1], "KiB per fact", 4.0),
    ]
    print("\n| target | measured | limit | |\n|---|---:|---:|---|")
    for name, measured, unit, limit in targets:
        print(f"| {name} | {measured:.2f} {unit} | {limit} | {'met' if measured <= limit else 'MISSED'} |")
    print("\n| checksums of the json search | check ms | whole search ms (in-process) | share |\n|---|---:|---:|---:|")
    for name, (checking, whole) in checks.items():
        print(f"| {name} | {checking * 1000:.2f} | {whole * 1000:.2f} | {checking / whole:.0%} |")


def checksum_cost(fact_file: Path) -> tuple[float, float]:
    """Seconds the json search of QUERY spends checking checksums (of the sections it reads
    and of the parts it reads alone: records, lines, the facts of a pair), timed around every
    check it makes, and seconds for the whole search, on a freshly opened index."""
    checksum = zhashui_cli.index.corpus.checksum

    class TimedChecks:
        """corpus.checksum, with the time it takes added up."""

        seconds = 0.0

        def __call__(self, data: bytes | memoryview) -> int:
            started = time.perf_counter()
            value = checksum(data)
            self.seconds += time.perf_counter() - started
            return value

    def search() -> None:
        opened = zhashui_cli.index.cache.load(fact_file)
        assert opened is not None
        hits = zhashui_cli.search.engine.run(opened, zhashui_cli.search.engine.Query((QUERY,)))
        opened.record_lines(hits.indices)

    def median_of(work: Callable[[], object]) -> float:
        times = []
        for _ in range(15):
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    checks, corpus_module = TimedChecks(), vars(zhashui_cli.index.corpus)
    corpus_module["checksum"] = checks
    try:
        checked = []
        for _ in range(15):
            checks.seconds = 0.0
            search()
            checked.append(checks.seconds)
    finally:
        corpus_module["checksum"] = checksum
    return statistics.median(checked), median_of(search)


if __name__ == "__main__":
    main()
