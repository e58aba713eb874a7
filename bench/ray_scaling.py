"""Records/s of cleaning with Ray Data (1 and 2 workers) vs one process, a 2-process Pool and the CLI.

    python bench/ray_scaling.py                  # 4,000 synthetic pages, best of 3 runs each
    python bench/ray_scaling.py --records 20000 --repeat 1 --no-cli

Every engine cleans the same in-memory records with the same default options
and the same :func:`cleaner.clean_batch`. Ray and Pool figures are steady state:
the Ray instance, its worker processes and the pool are started (and their rules
loaded) before the timed runs; start-up costs are printed separately. The CLI
figures are whole runs (interpreter start, JSONL read and write included).
"CPU ms/rec" is the CPU time of the whole process tree (driver, Ray's own
processes, workers) per record, and "cores busy" that CPU time over the wall
time: below the worker count, the workers waited (for the driver, or for other
jobs on the machine). Close other work first: the load average is printed.
"""
from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable, Dict, List, Tuple

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import cleaner  # noqa: E402
from cleaner.integrations._samples import synthetic_records  # noqa: E402

CHUNK = 250
OPTIONS: Dict[str, Any] = {}  # the defaults


def _tree_cpu() -> float:
    """CPU seconds used so far by this process, its reaped children, and its live descendants (Linux /proc)."""
    own = os.times()
    total = own.user + own.system + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime \
        + resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime
    parents: Dict[int, int] = {}
    ticks: Dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
            ticks[int(entry)] = int(fields[11]) + int(fields[12])  # utime + stime of the live process
    me, hz = os.getpid(), os.sysconf("SC_CLK_TCK")
    for pid in parents:
        p, seen = parents[pid], 0
        while p > 1 and p != me and seen < 64:
            p, seen = parents.get(p, 0), seen + 1
        if p == me and pid != me:
            total += ticks[pid] / hz
    return total


def _best(fn: Callable[[], Any], repeat: int) -> Tuple[float, float]:
    """(best wall seconds, CPU seconds of the whole process tree in that run)."""
    runs = []
    for _ in range(repeat):
        c0, t0 = _tree_cpu(), time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0, _tree_cpu() - c0))
    return min(runs)


def _pool_chunk(chunk: List[Dict[str, Any]]) -> int:
    return len(cleaner.clean_batch(chunk, **OPTIONS))


def _pool_warm(_: Any = None) -> None:
    cleaner.clean_batch([{"text": "The council approved the new budget on Monday after a long debate."}], **OPTIONS)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            return next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or "unknown CPU"


def bench_ray(records: List[Dict[str, Any]], repeat: int) -> Dict[str, Any]:
    import ray
    import ray.data

    from cleaner.integrations.ray import clean_dataset

    t0 = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=300 * 1024 ** 2,
             log_to_driver=False, configure_logging=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    out = {"ray_init_s": time.perf_counter() - t0}
    try:
        ds = ray.data.from_items(records, override_num_blocks=16).materialize()
        for workers in (1, 2):
            run = lambda: clean_dataset(ds, workers=workers, batch_size=CHUNK, **OPTIONS).materialize()  # noqa: E731
            t0 = time.perf_counter()
            run()  # warm-up: starts the workers, loads the rules
            out[f"ray_{workers}_first_s"] = time.perf_counter() - t0
            out[f"ray_{workers}"] = _best(run, repeat)
    finally:
        ray.shutdown()
    return out


def bench_cli(records: List[Dict[str, Any]], workers: int, repeat: int) -> Tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "in.jsonl")
        with open(src, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in records)
        cmd = [sys.executable, "-c", "import sys; from cleaner.cli import main; main(sys.argv[1:])",
               "clean", src, "-o", os.path.join(tmp, "out.jsonl"), "-j", str(workers), "-q",
               "--errors", os.path.join(tmp, "errors.jsonl")] + (["--no-detector"] if "detector" in OPTIONS else [])
        def run() -> None:
            for path in ("out.jsonl", "errors.jsonl"):
                if os.path.exists(os.path.join(tmp, path)):
                    os.remove(os.path.join(tmp, path))
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        return _best(run, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=4000)
    parser.add_argument("--paragraphs", type=int, default=4, help="article paragraphs per synthetic page")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per engine; the best is kept")
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI runs")
    args = parser.parse_args()

    records = list(synthetic_records(args.records, seed=1, paragraphs=args.paragraphs))
    size_mb = sum(len(r["text"] or "") for r in records) / 1e6
    print(f"# {datetime.datetime.now().isoformat(timespec='minutes')} | {os.cpu_count()} cores, {_cpu_model()} | "
          f"Python {platform.python_version()} | load average before: {os.getloadavg()[0]:.2f}")
    print(f"# {len(records):,} synthetic pages, {size_mb:.1f} MB of text, best of {args.repeat}, "
          f"options {OPTIONS or 'default'}")

    _pool_warm()
    results: Dict[str, Any] = {"single": _best(lambda: cleaner.clean_batch(records, **OPTIONS), args.repeat)}
    chunks = [records[i:i + CHUNK] for i in range(0, len(records), CHUNK)]
    with multiprocessing.get_context("spawn").Pool(2, initializer=_pool_warm) as pool:
        pool.map(_pool_warm, range(2))
        results["pool_2"] = _best(lambda: sum(pool.map(_pool_chunk, chunks, chunksize=1)), args.repeat)
    if not args.no_cli:
        for workers in (1, 2):
            results[f"cli_{workers}"] = bench_cli(records, workers, args.repeat)
    try:
        results.update(bench_ray(records, args.repeat))
    except ImportError:
        print("# ray is not installed: pip install 'cleaner[ray]'")

    rows = [("single process clean_batch", "single"), ("multiprocessing.Pool(2) over clean_batch", "pool_2"),
            ("CLI cleaner clean -j 1 (whole run)", "cli_1"), ("CLI cleaner clean -j 2 (whole run)", "cli_2"),
            ("Ray Data, 1 worker", "ray_1"), ("Ray Data, 2 workers", "ray_2")]
    n = len(records)
    print(f"{'engine':<42}{'records/s':>10}{'vs single':>10}{'CPU ms/rec':>11}{'cores busy':>11}")
    for label, key in rows:
        if key in results:
            wall, cpu = results[key]
            print(f"{label:<42}{n / wall:>10.0f}{results['single'][0] / wall:>9.2f}x"
                  f"{1000 * cpu / n:>11.2f}{cpu / wall:>11.2f}")
    if "ray_2" in results:
        print(f"Ray speed-up 1 -> 2 workers: {results['ray_1'][0] / results['ray_2'][0]:.2f}x (goal >= 1.8x)")
        cold = [results[f"ray_{w}_first_s"] - results[f"ray_{w}"][0] for w in (1, 2)]
        print(f"Ray start-up: ray.init {results['ray_init_s']:.1f} s; first run minus best run (worker start, "
              f"rules and models loaded) {cold[0]:+.1f} s with 1 worker, {cold[1]:+.1f} s with 2")
    print(f"# load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
