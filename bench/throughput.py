"""Throughput and memory of the ``cleaner`` command; prints numbers, asserts nothing.

    python bench/throughput.py text      # records/s, 10 KB text docs, -j 1 and -j 2 (+ engine alone)
    python bench/throughput.py html      # cleaner end-to-end vs trafilatura alone, same pages, same run
    python bench/throughput.py html --interleaved   # + both on each page in turn (CPU): for a shared machine
    python bench/throughput.py memory    # peak RSS (main + workers) on a generated 1 GB JSONL
    python bench/throughput.py warc      # WARC MB/s: fastwarc iteration, our reader, end-to-end
    python bench/throughput.py screen    # rule screen on RE2 vs regex: same output? CPU ms/page each
    python bench/throughput.py parts     # text mode: CPU ms a document in each stage and detector part
    python bench/throughput.py boxes     # HTML mode: CPU ms a page of extraction, and of its box steps
    python bench/throughput.py rescue    # HTML mode: CPU ms a page of decoding and of the visible-text rescue
    python bench/throughput.py giant     # one generated 20 MB HTML page (56,000 paragraphs): cleaner vs trafilatura
    python bench/throughput.py scripts   # CPU ms a page and rule pattern calls, letters as written / Cyrillic / Arabic
    python bench/throughput.py all

Pages come from ../shared/bench/*/{text,html}; generated inputs go to $CLEANER_BENCH_TMP
(default /tmp/cleaner-bench) and are never committed. Needs psutil for the RSS figure.
Extra ``cleaner clean`` options (e.g. ``--no-detector``) can follow ``--``.
"""
from __future__ import annotations

import argparse
import glob
import gzip
import io
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence

SHARED = Path(os.environ.get("CLEANER_BENCH_DIR", Path(__file__).resolve().parents[1].parent / "shared" / "bench"))
TMP = Path(os.environ.get("CLEANER_BENCH_TMP", "/tmp/cleaner-bench"))
DOC_BYTES = 10 * 1024


def texts() -> List[str]:
    return [gzip.open(p, "rt", encoding="utf-8").read() for p in sorted(glob.glob(str(SHARED / "*" / "text" / "*.txt.gz")))]


def htmls() -> List[bytes]:
    return [gzip.open(p, "rb").read() for p in sorted(glob.glob(str(SHARED / "*" / "html" / "*.html.gz")))]


def ten_kb(text: str) -> str:
    """A 10 KB document made from a page (repeated when shorter)."""
    while len(text.encode()) < DOC_BYTES:
        text = text + "\n" + text
    return text.encode()[:DOC_BYTES].decode("utf-8", "ignore")


def write_jsonl(path: Path, rows: Sequence[Dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


class Measured:
    """Wall time, CPU seconds of the command and its workers, peak RSS of the process tree."""

    def __init__(self, wall: float, cpu: float, peak_rss: Optional[Dict[str, int]], returncode: int, stderr: str) -> None:
        self.wall, self.cpu, self.peak_rss, self.returncode, self.stderr = wall, cpu, peak_rss, returncode, stderr


def run_cli(args: Sequence[str], sample_rss: bool = False) -> Measured:
    """Run ``python -m cleaner clean ARGS`` and measure it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    peak = _watch_rss(proc) if sample_rss else None
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode:
        print(err, file=sys.stderr)
    return Measured(wall, cpu, peak, proc.returncode, err)


def _watch_rss(proc: subprocess.Popen) -> Optional[Dict[str, int]]:
    """Peaks, sampled every 0.2 s: the tree's summed RSS and PSS (PSS counts pages shared
    between the main process and its forked workers once), the main process's RSS, one worker's RSS."""
    try:
        import psutil
    except ImportError:
        print("(pip install psutil for the memory figures)")
        return None
    top = psutil.Process(proc.pid)
    peak = {"rss": 0, "pss": 0, "main": 0, "worker": 0}
    while proc.poll() is None:
        try:
            infos = [(p is top, p.memory_full_info()) for p in [top] + top.children(recursive=True)]
        except psutil.Error:
            continue
        peak["rss"] = max(peak["rss"], sum(m.rss for _, m in infos))
        peak["pss"] = max(peak["pss"], sum(m.pss for _, m in infos))
        peak["main"] = max([peak["main"]] + [m.rss for main, m in infos if main])
        peak["worker"] = max([peak["worker"]] + [m.rss for main, m in infos if not main])
        time.sleep(0.2)
    return peak


def report(name: str, n: int, m: Measured) -> None:
    print(f"  {name:<34} {n:>7,} rec  {m.wall:7.1f} s wall  {n / m.wall:8.1f} rec/s"
          f"  {n / m.cpu if m.cpu else 0:8.1f} rec per CPU-s" + ("" if m.returncode == 0 else "  FAILED"))


# --- text ------------------------------------------------------------------------------------

def bench_text(n: int, extra: Sequence[str], engine_only: bool = False) -> None:
    import cleaner

    docs = [ten_kb(t) for t in texts()]
    rows = [{"id": i, "text": docs[i % len(docs)]} for i in range(n)]
    path = TMP / f"text-{n}.jsonl"
    write_jsonl(path, rows)
    print(f"text mode: {n:,} docs of 10 KB from {len(docs)} dev pages; options {list(extra) or 'default'}")
    opts = _api_options(extra)
    cleaner.clean_batch(rows[:5], **opts)
    sample = rows
    c0, t0 = time.process_time(), time.perf_counter()
    cleaner.clean_batch(sample, **opts)
    report("engine alone (clean_batch, 1 core)", len(sample),
           Measured(time.perf_counter() - t0, time.process_time() - c0, None, 0, ""))
    if engine_only:
        return
    for workers in ("1", "2"):
        m = run_cli([str(path), "-o", str(TMP / "text-out.jsonl"), "-q", "-j", workers, *extra])
        report(f"cleaner clean -j {workers}", n, m)


def _api_options(extra: Sequence[str]) -> Dict:
    opts: Dict = {}
    args = list(extra)
    if "--no-detector" in args:
        opts["detector"] = False
    if "--no-builtin-rules" in args:
        opts["builtin_rules"] = False
    if "--language" in args:
        value = args[args.index("--language") + 1]
        opts["language"] = {"auto": None, "off": False}.get(value, value)
    return opts


# --- html ------------------------------------------------------------------------------------

def interleaved_cpu(n: int, opts: Dict) -> Dict[str, float]:
    """CPU seconds of trafilatura and cleaner on the first ``n`` pages, page by page in turn.

    Both meet the same load as it comes and goes on a shared machine; who goes
    first alternates, and the caller runs this in a fresh process (cold caches).
    """
    import trafilatura

    import cleaner

    pages = htmls()[:n]
    runs = {"trafilatura": trafilatura.extract, "cleaner": lambda page: cleaner.clean_document(page, **opts)}
    for run in runs.values():  # warm-up: imports, profiles, compiled rules
        run(b"<html><body><p>" + b"The council met on Monday to approve the budget. " * 5 + b"</p></body></html>")
    cpu = {"trafilatura": 0.0, "cleaner": 0.0}
    for i, page in enumerate(pages):
        for name in (("trafilatura", "cleaner") if i % 2 == 0 else ("cleaner", "trafilatura")):
            c0 = time.thread_time()
            runs[name](page)
            cpu[name] += time.thread_time() - c0
    return cpu


def bench_html(n: int, extra: Sequence[str], interleaved: bool = False) -> None:
    import trafilatura

    import cleaner

    pages = htmls()[:n]
    print(f"HTML mode: {len(pages)} dev pages, {sum(map(len, pages)) / 2**20:.1f} MB; options {list(extra) or 'default'}")
    opts = dict(_api_options(extra), mode="html")
    cleaner.clean_batch([{"text": pages[0]}], **opts)
    trafilatura.extract(pages[0])
    c0, t0 = time.process_time(), time.perf_counter()
    for page in pages:
        trafilatura.extract(page)
    traf = time.perf_counter() - t0
    report("trafilatura.extract alone", len(pages), Measured(traf, time.process_time() - c0, None, 0, ""))
    c0, t0 = time.process_time(), time.perf_counter()
    out = cleaner.clean_batch([{"text": p} for p in pages], **opts)
    ours = time.perf_counter() - t0
    report("cleaner clean_batch (1 core)", len(pages), Measured(ours, time.process_time() - c0, None, 0, ""))
    errors = sum("cleaner_error" in o for o in out)
    print(f"  ratio cleaner / trafilatura: {ours / traf:.2f}x  ({errors} error records)")
    if interleaved:
        # In a fresh process: the runs above filled this one's caches with these pages' lines.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            cpu = pool.submit(interleaved_cpu, n, opts).result()
        print(f"  ratio interleaved page by page (CPU): {cpu['cleaner'] / cpu['trafilatura']:.2f}x"
              f"  ({cpu['trafilatura'] / len(pages) * 1e3:.1f} vs {cpu['cleaner'] / len(pages) * 1e3:.1f} ms per page)")
    path = TMP / f"html-{len(pages)}.jsonl"
    write_jsonl(path, [{"id": i, "html": p.decode("utf-8", "replace")} for i, p in enumerate(pages)])
    m = run_cli([str(path), "--html-field", "html", "-o", str(TMP / "html-out.jsonl"), "-q", "-j", "1", *extra])
    report("cleaner clean -j 1 (end to end)", len(pages), m)
    print(f"  ratio CLI end-to-end / trafilatura: {m.wall / traf:.2f}x")


# --- memory ----------------------------------------------------------------------------------

def build_big_jsonl(gigabytes: float) -> Path:
    """A JSONL of the dev pages (text and HTML) repeated up to ``gigabytes``."""
    path = TMP / f"big-{gigabytes:g}gb.jsonl"
    target = int(gigabytes * 2**30)
    if path.exists() and path.stat().st_size >= target:
        return path
    docs = [{"text": t} for t in texts()] + [{"text": h.decode("utf-8", "replace")} for h in htmls()]
    lines = [json.dumps(d, ensure_ascii=False).encode() + b"\n" for d in docs]
    TMP.mkdir(parents=True, exist_ok=True)
    written, i = 0, 0
    with open(path, "wb") as fh:
        while written < target:
            line = lines[i % len(lines)]
            fh.write(line)
            written += len(line)
            i += 1
    return path


def bench_memory(gigabytes: float, extra: Sequence[str]) -> None:
    for size in (gigabytes / 4, gigabytes):
        path = build_big_jsonl(size)
        records = sum(1 for _ in open(path, "rb"))
        m = run_cli([str(path), "-o", str(TMP / "big-out.jsonl.gz"), "-q", *extra], sample_rss=True)
        peak = {k: f"{v / 2**20:,.0f} MB" for k, v in (m.peak_rss or {}).items()}
        print(f"memory: {path.stat().st_size / 2**30:.2f} GB JSONL, {records:,} records, all cores,"
              f" {records / m.wall:,.1f} rec/s, options {list(extra) or 'default'}:\n"
              f"  peak PSS of the tree {peak.get('pss')} (RSS summed {peak.get('rss')});"
              f" main process RSS {peak.get('main')}, largest worker RSS {peak.get('worker')}")


# --- WARC ------------------------------------------------------------------------------------

def build_warc(pages: int) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = TMP / f"pages-{pages}.warc.gz"
    if path.exists():
        return path
    TMP.mkdir(parents=True, exist_ok=True)
    bodies = htmls()
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i in range(pages):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(f"https://example.com/{i}", "response",
                                               payload=io.BytesIO(bodies[i % len(bodies)]), http_headers=http)
            writer.write_record(record)
    return path


def bench_warc(pages: int, extra: Sequence[str]) -> None:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    from cleaner.io.warc import read_warc

    path = build_warc(pages)
    mb = path.stat().st_size / 2**20
    print(f"WARC: {pages:,} HTML responses, {mb:.1f} MB gzipped")
    t0 = time.perf_counter()
    n = sum(len(r.reader.read()) >= 0 for r in ArchiveIterator(str(path), record_types=WarcRecordType.response))
    plain = time.perf_counter() - t0
    print(f"  fastwarc iteration alone (payloads read): {mb / plain:8.1f} MB/s  ({n} records)")
    t0 = time.perf_counter()
    n = sum(1 for item in read_warc(0, str(path), 0, 20_000_000, "json") if item.kind == "record")
    ours = time.perf_counter() - t0
    print(f"  cleaner's WARC reader (no cleaning):      {mb / ours:8.1f} MB/s  ({n} records)")
    import cleaner

    opts = _api_options(extra)
    t0 = time.perf_counter()
    for r in ArchiveIterator(str(path), record_types=WarcRecordType.response):
        cleaner.clean_batch([{"text": r.reader.read(), "url": r.headers.get("WARC-Target-URI")}], **opts)
    base = time.perf_counter() - t0
    print(f"  fastwarc + clean_batch, one process:      {mb / base:8.2f} MB/s  ({pages / base:.1f} pages/s)")
    for workers in ("1", "2"):
        m = run_cli([str(path), "-o", str(TMP / "warc-out.jsonl.gz"), "-q", "-j", workers, *extra])
        print(f"  cleaner clean -j {workers} end-to-end:            {mb / m.wall:8.2f} MB/s  ({pages / m.wall:.1f} pages/s)")


# --- screen ----------------------------------------------------------------------------------

def bench_screen(docs: int, pages: int) -> None:
    """Each dev page cleaned with the ``regex`` rule screen and with RE2 (google-re2), in
    turn: how many outputs differ (the screen must change none) and CPU ms a page each."""
    import cleaner
    from cleaner.rules import superset

    if superset.re2 is None:
        print("screen: google-re2 is not installed (pip install 'cleaner[fast]')")
        return
    before = os.environ.get("CLEANER_SCREEN")
    try:
        for mode, pages_in in (("text", texts()[:docs]), ("html", htmls()[:pages])):
            cpu, differ = {"regex": 0.0, "re2": 0.0}, 0
            for engine in cpu:  # warm-up: each engine's screen is built once
                os.environ["CLEANER_SCREEN"] = engine
                cleaner.clean(pages_in[0], mode=mode)
            for i, page in enumerate(pages_in):
                out = {}
                for engine in (("regex", "re2") if i % 2 == 0 else ("re2", "regex")):
                    os.environ["CLEANER_SCREEN"] = engine
                    c0 = time.thread_time()
                    out[engine] = cleaner.clean(page, mode=mode)
                    cpu[engine] += time.thread_time() - c0
                differ += out["regex"] != out["re2"]
            n = len(pages_in)
            print(f"  {mode:4s} {n:5d} pages: {differ} outputs differ; CPU ms a page: regex screen "
                  f"{cpu['regex'] / n * 1e3:6.1f}, RE2 screen {cpu['re2'] / n * 1e3:6.1f}")
    finally:
        if before is None:
            os.environ.pop("CLEANER_SCREEN", None)
        else:
            os.environ["CLEANER_SCREEN"] = before


# --- parts -----------------------------------------------------------------------------------

def _time_calls(owner, name: str, key: str, spent: Dict[str, float]) -> None:
    """Wrap ``owner.name`` for this run so that its CPU time adds up in ``spent[key]``."""
    inner = getattr(owner, name)

    def wrapper(*args, **kwargs):
        c0 = time.thread_time()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[key] += time.thread_time() - c0
    setattr(owner, name, wrapper)


def bench_parts(n: int, html: bool = False) -> None:
    """Text mode, engine alone: CPU ms a 10 KB document spent in each stage, and in the
    detector's parts (block measurements, feature vectors, the two tree ensembles,
    stage-2 context), timed by wrapping those functions for this run only. With ``html``,
    the same for the engine on the first ``n`` dev pages' HTML blocks (extraction, done
    first, not counted; HTML mode runs no detector)."""
    from collections import Counter

    import cleaner
    from cleaner import engine
    from cleaner.config import Options
    from cleaner.detector import context, features, model

    spent: Counter = Counter()

    def timed(owner, name: str, key: str) -> None:
        _time_calls(owner, name, key, spent)

    if html:
        docs = [page.decode("utf-8", "replace") for page in htmls()[:n]]
        n = len(docs)
    else:
        docs = [ten_kb(t) for t in texts()]
        docs = [docs[i % len(docs)] for i in range(n)]
    options = Options(mode="html" if html else "text")
    built = [engine.build_document(d, None, options) for d in docs]
    shipped = (model.default_model(), model.caseless_model())  # the second for pages without case
    stages = [(f"detector: stage-{k} trees", getattr(trees, f"stage{k}")) for trees in shipped for k in (1, 2)]
    for label, stage in stages:
        inner = stage.log_odds

        def log_odds(x, inner=inner, label=label):
            c0 = time.thread_time()
            z = inner(x)
            spent[label] += time.thread_time() - c0
            return z
        object.__setattr__(stage, "log_odds", log_odds)  # Trees is frozen: this run only
    timed(engine, "run_rule_stage", "rule stages")
    timed(engine, "_language_stage", "language stage")
    timed(engine, "resolve_language", "page language vote")
    timed(engine, "_detector_stage", "detector (all)")
    timed(engine, "trim_edges", "edges")
    timed(features, "analyse", "detector: block measurements")
    timed(features, "local_vectors", "detector: feature vectors")
    timed(context, "context_vectors", "detector: stage-2 context")
    passes = 0
    real_pass = engine._one_pass

    def counted_pass(*args, **kwargs):
        nonlocal passes
        passes += 1
        return real_pass(*args, **kwargs)
    engine._one_pass = counted_pass
    cleaner.clean_batch([{"text": d} for d in docs[:5]], mode=options.mode)  # warm-up: rules, profiles, weights load
    spent.clear()
    passes = 0
    c0 = time.thread_time()
    for document in built:
        engine.run(document, options)
    total = time.thread_time() - c0
    what = "HTML dev pages, engine alone (extraction not counted)" if html else \
        "docs of 10 KB, engine alone (segmentation not counted)"
    print(f"{options.mode} mode: {n:,} {what}, {passes / n:.2f} passes a doc")
    print(f"  {'all stages':<30} {total / n * 1e3:7.2f} ms a doc")
    for key in sorted(spent, key=lambda k: (not k.startswith("detector ("), k)):
        print(f"  {key:<30} {spent[key] / n * 1e3:7.2f} ms a doc")


def bench_boxes(n: int) -> None:
    """HTML mode, extraction alone (``extract_page``) on the first ``n`` dev pages: CPU ms a page
    in all, and in the two box steps: finding the boxes of both kinds in one walk (``find_boxes``)
    and matching the pieces to them (``drop_box_pieces``), timed by wrapping those functions for
    this run only."""
    from collections import Counter

    from cleaner import extract

    spent: Counter = Counter()
    _time_calls(extract, "find_boxes", "find_boxes (one walk, both kinds)", spent)
    _time_calls(extract, "drop_box_pieces", "drop_box_pieces (both steps' matching)", spent)
    pages = [page.decode("utf-8", "replace") for page in htmls()[:n]]
    extract.extract_page(pages[0])  # warm-up: imports
    spent.clear()
    c0 = time.thread_time()
    for page in pages:
        extract.extract_page(page)
    total = time.thread_time() - c0
    print(f"html mode: {len(pages):,} pages, extract_page alone")
    print(f"  {'extract_page':<40} {total / len(pages) * 1e3:7.2f} ms a page")
    for key in sorted(spent):
        print(f"  {key:<40} {spent[key] / len(pages) * 1e3:7.2f} ms a page")
    print(f"  {'box steps in all':<40} {sum(spent.values()) / len(pages) * 1e3:7.2f} ms a page")


def bench_rescue(n: int) -> None:
    """HTML mode, ``clean_document`` on the first ``n`` dev pages (bytes, as read): CPU ms a page
    in all, in decoding (``decoded``) and in the visible-text rescue (``rescue_from_visible_text``,
    which only checks the word count on most pages), timed by wrapping those functions for this
    run only; and on how many pages the rescue rendered the visible text and took its result."""
    from collections import Counter

    from cleaner import engine, extract
    from cleaner.config import Options

    spent: Counter = Counter()
    _time_calls(engine, "decoded", "decode", spent)
    _time_calls(engine, "rescue_from_visible_text", "rescue (check, render, text run)", spent)
    rendered = 0
    render = extract.visible_text

    def counted_render(html):
        nonlocal rendered
        rendered += 1
        return render(html)
    extract.visible_text = counted_render
    options = Options(mode="html")
    pages = htmls()[:n]
    engine.clean_document(pages[0], None, options)  # warm-up: imports, rules
    spent.clear()
    rendered = taken = 0
    c0 = time.thread_time()
    for page in pages:
        taken += engine.clean_document(page, None, options).stats.get("fallback", "").startswith("visible text")
    total = time.thread_time() - c0
    n = len(pages)
    print(f"html mode: {n:,} pages, clean_document (decode, extraction, engine, rescue)")
    print(f"  {'all':<40} {total / n * 1e3:7.2f} ms a page")
    for key in sorted(spent):
        print(f"  {key:<40} {spent[key] / n * 1e3:7.2f} ms a page")
    print(f"  visible text rendered on {rendered} pages ({rendered / n:.1%}), its result taken on {taken}")
    if rendered:
        print(f"  {'rescue, a rendered page':<40} {spent['rescue (check, render, text run)'] / rendered * 1e3:7.2f} ms")


GIANT_PARAGRAPHS = 56_000


def bench_giant(paragraphs: int) -> None:
    """CPU seconds of ``cleaner.clean`` and ``trafilatura.extract`` on one
    generated page of ``paragraphs`` paragraphs of 50-70 words from a small vocabulary (about
    20 MB at the default, the size ``max_bytes`` lets through)."""
    import random

    import trafilatura

    import cleaner

    rng = random.Random(0)
    words = ("the of new said council bridge would open spring years delays mayor costs rising city "
             "reporters told monday next after that").split()
    body = "".join(f"<p>{' '.join(rng.choices(words, k=rng.randint(50, 70)))}.</p>\n" for _ in range(paragraphs))
    page = f"<html><head><title>Big</title></head><body><article>\n{body}</article></body></html>"
    print(f"one page of {paragraphs:,} paragraphs, {len(page) / 1e6:.1f} MB")
    cleaner.clean("<p>warm-up</p>")
    for name, run in (("cleaner.clean", lambda: cleaner.clean(page, max_bytes=len(page) + 1)),
                      ("trafilatura.extract", lambda: trafilatura.extract(page))):
        c0 = time.process_time()
        out = run() or ""
        print(f"  {name:<22} {time.process_time() - c0:7.1f} CPU s, {len(out) / 1e6:5.1f} MB out")


def bench_scripts(docs: int, pages: int) -> None:
    """Text and HTML mode on dev pages as written and with their letters swapped into Cyrillic
    and Arabic (``bench/letter_swap.py``'s stand-in for other scripts): CPU ms a page, and how
    many calls the rules made to their own patterns (what the rule screens let through)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import cleaner
    from bench.devsets import LETTER_SWAPS
    from bench.letter_swap import swap_html
    from cleaner.decode import decode
    from cleaner.rules import matchers

    calls = [0]
    inner = matchers._call

    def counted(rule, page, call):
        calls[0] += 1
        return inner(rule, page, call)

    matchers._call = counted
    try:
        text_pages, html_pages = texts()[:docs], [decode(h) for h in htmls()[:pages]]
        cleaner.clean("warm-up\n\nline", mode="text")
        for script, table in (("latin", None), ("cyrillic", LETTER_SWAPS["cyrillic"]), ("arabic", LETTER_SWAPS["arabic"])):
            for mode, inputs in (("text", [t.translate(table) if table else t for t in text_pages]),
                                 ("html", [swap_html(h, table) for h in html_pages])):
                calls[0] = 0
                c0 = time.process_time()
                for page in inputs:
                    cleaner.clean(page, mode=mode)
                n = len(inputs)
                print(f"  {script:9s} {mode:4s} {n:5d} pages: {(time.process_time() - c0) / n * 1e3:6.1f} CPU ms a page, "
                      f"{calls[0] / n:6.1f} rule pattern calls a page")
    finally:
        matchers._call = inner


def main(argv: Optional[Sequence[str]] = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["text", "html", "memory", "warc", "screen", "parts", "boxes", "rescue", "giant",
                                         "scripts", "all"])
    parser.add_argument("--docs", type=int, default=2000, help="text mode documents (text, screen, parts and scripts)")
    parser.add_argument("--pages", type=int, default=300, help="HTML pages (html, warc, screen, boxes, rescue and scripts)")
    parser.add_argument("--engine-only", action="store_true", help="text: skip the two CLI runs")
    parser.add_argument("--html", action="store_true", help="parts: the engine on HTML pages' blocks (--pages of them)")
    parser.add_argument("--interleaved", action="store_true",
                        help="html: also time both on each page in turn (steadier on a shared machine)")
    parser.add_argument("--gb", type=float, default=1.0, help="size of the memory benchmark input")
    parser.add_argument("--paragraphs", type=int, default=GIANT_PARAGRAPHS, help="giant: paragraphs of the page")
    args = parser.parse_args(argv)
    print(f"# {time.strftime('%Y-%m-%d')} {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()},"
          f" load {os.getloadavg()[0]:.1f}")
    if args.what in ("text", "all"):
        bench_text(args.docs, extra, args.engine_only)
    if args.what in ("html", "all"):
        bench_html(args.pages, extra, args.interleaved)
    if args.what in ("warc", "all"):
        bench_warc(args.pages, extra)
    if args.what in ("memory", "all"):
        bench_memory(args.gb, extra)
    if args.what in ("screen", "all"):
        bench_screen(args.docs, args.pages)
    if args.what == "parts":
        bench_parts(args.pages if args.html else args.docs, args.html)
    if args.what == "boxes":
        bench_boxes(args.pages)
    if args.what == "rescue":
        bench_rescue(args.pages)
    if args.what == "giant":
        bench_giant(args.paragraphs)
    if args.what == "scripts":
        bench_scripts(args.docs, args.pages)


if __name__ == "__main__":
    main()
