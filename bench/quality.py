"""Main-body quality of cleaner against trafilatura, readability-lxml and C4, on the dev sets.

    python bench/quality.py --mode html --split train --jobs 2
    python bench/quality.py --mode both --split holdout --json results.json
    python bench/quality.py --mode text --split train --detector-folds DIR   # out of fold, see train_detector.py
    python bench/quality.py --mode text --split holdout --compare results.json  # pages whose cleaner F1 moved
    python bench/quality.py --mode text --split all --flat --detector-folds DIR  # texts without blank lines
    python bench/quality.py --mode text --sets scrapinghub --detector-weights W  # a detector trained on wcxb alone

Every system runs on every page in the same worker, one after the other, so the
timings (``time.perf_counter`` around each call, input loading excluded) share
the machine's load. F1/P/R are the bag-of-words metric of ``devsets.prf``,
averaged over pages with a non-empty gold; "snippets left" is the share of
wcxb ``without`` snippets (text that must go) still in the output, over all
wcxb pages. In text mode the input is ``text/<id>.txt.gz``; trafilatura and
readability still read the HTML there (they cannot read text) and are shown
for reference.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import devsets  # noqa: E402

ARTICLES = "wcxb-dev articles"
BLOCKS_ONLY = "  extract_html only"  # HTML mode: cleaner's blocks before rules and detector


class Inputs(NamedTuple):
    """One page's inputs, read before any timing starts."""

    html: bytes
    text: str
    url: Optional[str]
    page_id: str = ""


SystemFn = Callable[[Inputs], str]


# ---------------------------------------------------------------- systems

def cleaner_html(page: Inputs) -> str:
    """cleaner on the raw HTML bytes."""
    import cleaner
    return cleaner.clean(page.html, url=page.url, mode="html")


# Set by --detector-threshold and --detector-folds; read in the worker processes (inherited environment).
THRESHOLD_ENV = "QUALITY_DETECTOR_THRESHOLD"
FOLDS_ENV = "QUALITY_DETECTOR_FOLDS"
CASELESS_FOLDS_ENV = "QUALITY_CASELESS_FOLDS"  # --caseless-folds: the fold weights for pages without case
WEIGHTS_ENV = "QUALITY_DETECTOR_WEIGHTS"  # --detector-weights: one weights file for every page
FLAT_ENV = "QUALITY_FLAT"  # --flat: text inputs with their blank lines taken out
_BLANK_LINES = re.compile(r"\n\s*\n")


def fold_files(folder: Path, flag: str = "--detector-folds") -> List[Path]:
    """``fold0.json`` ... ``fold<k-1>.json`` in ``folder`` (written by ``train_detector.py --save-folds``)."""
    k = len(list(folder.glob("fold*.json")))
    files = [folder / f"fold{f}.json" for f in range(k)]
    if not k or not all(f.is_file() for f in files):
        raise SystemExit(f"{flag} {folder}: expected fold0.json ... fold<k-1>.json "
                         "(python bench/train_detector.py --cv --save-folds DIR, with --caseless for "
                         "--caseless-folds)")
    return files


def fold_weights(folder: Optional[str], page_id: str, flag: str = "--detector-folds") -> Optional[str]:
    """The weights file of ``page_id``'s CV fold in ``folder`` (``None`` without a folder)."""
    if not folder:
        return None
    files = fold_files(Path(folder), flag)
    return str(files[devsets.fold_of(page_id, len(files))])


def cleaner_text(page: Inputs) -> str:
    """cleaner on the page's rendered text (with --detector-folds, the detector of the page's CV fold,
    and with --caseless-folds that fold's weights for pages without case too; with
    --detector-weights, that detector)."""
    import cleaner
    threshold = os.environ.get(THRESHOLD_ENV)
    weights = fold_weights(os.environ.get(FOLDS_ENV), page.page_id) or os.environ.get(WEIGHTS_ENV) or None
    caseless = fold_weights(os.environ.get(CASELESS_FOLDS_ENV), page.page_id, "--caseless-folds")
    return cleaner.clean(page.text, url=page.url, mode="text", detector_weights=weights,
                         detector_weights_caseless=caseless,
                         detector_threshold=float(threshold) if threshold else None)


def extract_html_only(page: Inputs) -> str:
    """cleaner's HTML blocks joined, no rules, no detector (also the fallback row)."""
    from cleaner.decode import decode
    from cleaner.extract import extract_html
    blocks, _ = extract_html(decode(page.html), page.url)
    return "\n\n".join(b.text for b in blocks)


def trafilatura_default(page: Inputs) -> str:
    """trafilatura.extract with its defaults."""
    import trafilatura
    return trafilatura.extract(page.html, url=page.url) or ""


def readability_default(page: Inputs) -> str:
    """readability-lxml's main node, rendered to text with inscriptis."""
    from inscriptis import get_text
    from readability import Document
    summary = Document(page.html).summary(html_partial=True)
    return get_text(summary) if summary.strip() else ""


_C4_END = re.compile(r"[.!?\"'\u201d\u2019]$")
_C4_BAD = re.compile(r"javascript|lorem ipsum|\{|cookie policy|use of cookies|uses cookies|use cookies", re.I)


def c4_lines(page: Inputs) -> str:
    """C4's line heuristics on the page text: >= 5 words, terminal punctuation, no junk."""
    keep = []
    for line in page.text.splitlines():
        line = line.strip()
        if len(line.split()) >= 5 and _C4_END.search(line) and not _C4_BAD.search(line):
            keep.append(line)
    return "\n".join(keep)


def table_rows(mode: str) -> List[str]:
    """The rows of one mode's table (names of the systems below)."""
    extra = ["C4 line heuristics"] if mode == "text" else [BLOCKS_ONLY]
    return [f"cleaner ({mode})"] + extra + ["trafilatura", "readability-lxml"]


def pick_cleaner(mode: str) -> Tuple[SystemFn, str]:
    """``cleaner.clean`` if it runs on a small page, else the extract_html fallback (HTML mode)."""
    sentence = "The council approved the new budget on Monday after a long debate. " * 3
    probe = f"<html><body><article><p>{sentence}</p></article></body></html>" if mode == "html" else sentence
    try:
        import cleaner
        cleaner.clean(probe, mode=mode)
    except Exception as exc:  # noqa: BLE001 - any failure means the full pipeline is not ready
        why = f"cleaner.clean failed on a probe page: {type(exc).__name__}: {exc}"
        if mode == "html":
            return extract_html_only, f"FALLBACK: extract_html blocks joined, no rules ({why})"
        return cleaner_text, f"cleaner.clean, expect errors ({why})"
    return (cleaner_html if mode == "html" else cleaner_text), "cleaner.clean (full pipeline)"


def systems_for(modes: Sequence[str]) -> Tuple[List[Tuple[str, SystemFn]], Dict[str, str]]:
    """Every system the modes' tables need, each once, and a note on the cleaner rows."""
    systems: Dict[str, SystemFn] = {}
    notes = {}
    for mode in modes:
        fn, notes[mode] = pick_cleaner(mode)
        systems[f"cleaner ({mode})"] = fn
        if mode == "text":
            systems["C4 line heuristics"] = c4_lines
        else:
            systems[BLOCKS_ONLY] = extract_html_only
    systems["trafilatura"] = trafilatura_default
    systems["readability-lxml"] = readability_default
    return list(systems.items()), notes


# ---------------------------------------------------------------- per page

def score_page(task: Tuple[devsets.Page, List[Tuple[str, SystemFn]], int]) -> Dict[str, dict]:
    """Run every system on one page; metrics and time per system.

    The systems' order rotates with the page number, so none always runs first
    (cold caches) or right after another system parsed the same page.
    """
    page, systems, turn = task
    systems = systems[turn % len(systems):] + systems[:turn % len(systems)]
    logging.disable(logging.CRITICAL)
    gold = page.gold()
    without = page.meta.get("without") or []
    text = page.text()
    if os.environ.get(FLAT_ENV):
        text = _BLANK_LINES.sub("\n", text)
    inputs = Inputs(page.html_bytes(), text, page.url, page.id)
    out = {}
    for name, fn in systems:
        error = None
        start = time.perf_counter()
        try:
            text = fn(inputs) or ""
        except Exception as exc:  # noqa: BLE001 - a crash is scored as empty output and counted
            text, error = "", f"{type(exc).__name__}: {exc}"
        ms = (time.perf_counter() - start) * 1000
        p, r, f = devsets.prf(text, gold)
        left, checked = devsets.snippets_left(text, without)
        out[name] = {"p": p, "r": r, "f": f, "left": left, "checked": checked, "ms": ms, "error": error}
    return out


def warm_up() -> None:
    """Import the systems and run them once, so no page pays for first-call setup."""
    logging.disable(logging.CRITICAL)
    sentence = "The council approved the new budget on Monday after a long debate. " * 3
    html = f"<html><head><title>Budget</title></head><body><article><h1>Budget</h1><p>{sentence}</p></article></body></html>"
    import trafilatura
    from inscriptis import get_text
    from readability import Document
    from cleaner.extract import extract_html
    trafilatura.extract(html, url="https://example.com/news/budget")
    extract_html(html, url="https://example.com/news/budget")
    get_text(Document(html).summary(html_partial=True))
    try:
        import cleaner
        cleaner.clean(html, url="https://example.com/news/budget")
        cleaner.clean(sentence, mode="text")
    except Exception:  # noqa: BLE001 - pick_cleaner already reported it
        pass


def run_pages(pages: Sequence[devsets.Page], systems: List[Tuple[str, SystemFn]], jobs: int) -> List[Dict[str, dict]]:
    tasks = [(page, systems, i) for i, page in enumerate(pages)]
    if jobs <= 1:
        warm_up()
        return [score_page(t) for t in tasks]
    with ProcessPoolExecutor(jobs, initializer=warm_up) as pool:
        return list(pool.map(score_page, tasks, chunksize=2))


# ---------------------------------------------------------------- summary

def groups(pages: Sequence[devsets.Page]) -> Dict[str, List[int]]:
    """Page indices of each column group, pages with an empty gold left out."""
    out: Dict[str, List[int]] = {}
    for i, page in enumerate(pages):
        if not page.gold().strip():
            continue
        out.setdefault(page.set, []).append(i)
        if page.set == "wcxb-dev" and page.page_type == "article":
            out.setdefault(ARTICLES, []).append(i)
    return out


def summarize(name: str, pages: Sequence[devsets.Page], results: List[Dict[str, dict]],
              cols: Dict[str, List[int]]) -> dict:
    rows = [r[name] for r in results]
    summary: dict = {}
    for col, idx in cols.items():
        summary[col] = {k: statistics.fmean(rows[i][k] for i in idx) for k in ("f", "p", "r")}
        summary[col]["pages"] = len(idx)
    wcxb = [r for r, p in zip(rows, pages) if p.set == "wcxb-dev"]
    checked = sum(r["checked"] for r in wcxb)
    summary["snippets_left_pct"] = 100 * sum(r["left"] for r in wcxb) / checked if checked else None
    summary["ms_per_page"] = statistics.fmean(r["ms"] for r in rows)
    summary["errors"] = sum(1 for r in rows if r["error"])
    return summary


def language_f1(name: str, pages: Sequence[devsets.Page], results: List[Dict[str, dict]]) -> Dict[str, Tuple[float, int]]:
    """Mean F1 per gold language on scrapinghub (langdetect, fixed seed)."""
    langs = gold_languages(pages)
    per: Dict[str, List[float]] = {}
    for page, res in zip(pages, results):
        if page.id in langs:
            per.setdefault(langs[page.id], []).append(res[name]["f"])
    return {lang: (statistics.fmean(v), len(v)) for lang, v in sorted(per.items(), key=lambda kv: -len(kv[1]))}


def gold_languages(pages: Sequence[devsets.Page], sets: Sequence[str] = ("scrapinghub",)) -> Dict[str, str]:
    """The language of each page's gold (langdetect, fixed seed), for the pages of ``sets``."""
    try:
        from langdetect import DetectorFactory, detect
    except ImportError:
        return {}
    DetectorFactory.seed = 0
    out = {}
    for page in pages:
        gold = page.gold()
        if page.set in sets and gold.strip():
            try:
                out[page.id] = detect(gold[:3000])
            except Exception:  # noqa: BLE001 - langdetect raises on text without features
                out[page.id] = "?"
    return out


# ---------------------------------------------------------------- printing

def print_table(mode: str, split: str, summaries: Dict[str, dict], cols: Dict[str, List[int]],
                note: str) -> None:
    order = [c for c in ("scrapinghub", "wcxb-dev", ARTICLES) if c in cols]
    print(f"\n== {mode.upper()} mode, split={split}: mean F1 / P / R over pages with a non-empty gold "
          f"({', '.join(f'{c} {len(cols[c])}' for c in order)})")
    print(f"   cleaner row: {note}")
    head = f"{'system':<22}" + "".join(f" | {c:^20}" for c in order) + " | snippets left | ms/page"
    print(head)
    print(f"{'':<22}" + "".join(f" | {'F1    P     R':^20}" for _ in order) + " |               |")
    print("-" * len(head))
    for name, s in summaries.items():
        cells = "".join(f" | {s[c]['f']:.3f} {s[c]['p']:.3f} {s[c]['r']:.3f}  " for c in order)
        err = f"  ({s['errors']} errors)" if s["errors"] else ""
        left = s["snippets_left_pct"]
        snippets = f"{'-':>6}" if left is None else f"{left:6.1f} %"
        print(f"{name:<22}{cells} | {snippets:<14}| {s['ms_per_page']:7.1f}{err}")
    base = summaries.get("trafilatura")
    ours = summaries.get(f"cleaner ({mode})")
    if base and ours:
        print(f"   cleaner time / trafilatura time: {ours['ms_per_page'] / base['ms_per_page']:.2f}x")
    if base and BLOCKS_ONLY in summaries:
        print(f"   extract_html time / trafilatura time: {summaries[BLOCKS_ONLY]['ms_per_page'] / base['ms_per_page']:.2f}x")


def print_languages(by_system: Dict[str, Dict[str, Tuple[float, int]]]) -> None:
    if not by_system or not any(by_system.values()):
        return
    langs = list(next(iter(by_system.values())))
    print("   scrapinghub F1 by gold language (langdetect): "
          + ", ".join(f"{lang} n={n}" for lang, (_, n) in next(iter(by_system.values())).items()))
    for name, per in by_system.items():
        print(f"   {name:<22}" + "  ".join(f"{lang} {per[lang][0]:.3f}" for lang in langs if lang in per))


# ---------------------------------------------------------------- main

def load_pages(sets: Iterable[str], split: str, limit: Optional[int]) -> List[devsets.Page]:
    pages: List[devsets.Page] = []
    for name in sets:
        found = devsets.pages(name, split)
        pages += found[:limit] if limit else found
    return pages


def evaluate(modes: Sequence[str], pages: Sequence[devsets.Page], jobs: int) -> dict:
    """Run every system once on every page; summaries per mode."""
    systems, notes = systems_for(modes)
    results = run_pages(pages, systems, jobs)
    cols = groups(pages)
    report = {}
    for mode in modes:
        names = table_rows(mode)
        report[mode] = {"cleaner_row": notes[mode], "cols": cols,
                        "systems": {n: summarize(n, pages, results, cols) for n in names},
                        "scrapinghub_by_language": {n: language_f1(n, pages, results) for n in names},
                        "cleaner_pages": {f"{p.set}/{p.id}": {"f": round(r[names[0]]["f"], 4),
                                                              "left": r[names[0]]["left"]}
                                          for p, r in zip(pages, results)}}
    return report


def print_changes(mode: str, old: Dict[str, dict], new: Dict[str, dict]) -> None:
    """The pages, present in both runs, whose cleaner F1 or snippets left differ."""
    moved = sorted((new[k]["f"] - old[k]["f"], k) for k in new.keys() & old.keys()
                   if new[k]["f"] != old[k]["f"] or new[k]["left"] != old[k]["left"])
    print(f"   cleaner ({mode}) against the --compare run: {len(moved)} of {len(new.keys() & old.keys())} "
          "pages changed")
    for delta, key in moved:
        print(f"     {delta:+.3f}  {key:<40} F1 {old[key]['f']:.3f} -> {new[key]['f']:.3f}  "
              f"snippets left {old[key]['left']} -> {new[key]['left']}")


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mode", choices=("html", "text", "both"), default="html")
    ap.add_argument("--split", choices=("all", "train", "holdout"), default="all")
    ap.add_argument("--sets", nargs="+", default=list(devsets.SETS), choices=devsets.SETS)
    ap.add_argument("--limit", type=int, default=None, help="first N pages of each set")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes")
    ap.add_argument("--detector-threshold", type=float, default=None,
                    help="cleaner's detector_threshold in text mode (default: the model's)")
    ap.add_argument("--detector-folds", type=Path, default=None, metavar="DIR",
                    help="text mode: clean each page with the detector of its CV fold, from "
                         "train_detector.py --cv --save-folds DIR (train pages out of fold)")
    ap.add_argument("--caseless-folds", type=Path, default=None, metavar="DIR",
                    help="with --detector-folds: pages without case get their fold's weights from DIR "
                         "(train_detector.py --caseless --cv --save-folds DIR); without it every page "
                         "gets the --detector-folds weights")
    ap.add_argument("--detector-weights", type=Path, default=None, metavar="FILE",
                    help="text mode: clean every page with this detector (e.g. one trained on the other "
                         "set alone: train_detector.py --sets wcxb-dev --out FILE)")
    ap.add_argument("--flat", action="store_true",
                    help="text mode: take the blank lines out of each page text (lines joined by single "
                         "newlines, as many scrapers write them)")
    ap.add_argument("--json", dest="json_file", default=None, help="write results as JSON here")
    ap.add_argument("--compare", type=Path, default=None, metavar="JSON_FILE",
                    help="list the pages whose cleaner F1 or snippets left differ from this earlier --json run")
    args = ap.parse_args(argv)
    before = json.loads(args.compare.read_text(encoding="utf-8"))["modes"] if args.compare else {}
    if args.detector_threshold is not None:
        os.environ[THRESHOLD_ENV] = str(args.detector_threshold)
        print(f"text mode: cleaner with detector_threshold={args.detector_threshold}")
    if args.detector_folds is not None:
        k = len(fold_files(args.detector_folds))
        os.environ[FOLDS_ENV] = str(args.detector_folds.resolve())
        print(f"text mode: each page cleaned by the detector of its fold ({k} folds in {args.detector_folds}); "
              "pages a fold trained on are never cleaned by it")
    if args.caseless_folds is not None:
        if args.detector_folds is None:
            ap.error("--caseless-folds needs --detector-folds (the folds for the pages that read case)")
        k_caseless = len(fold_files(args.caseless_folds, "--caseless-folds"))
        if k_caseless != k:
            ap.error(f"--caseless-folds holds {k_caseless} folds, --detector-folds {k}: train both with the same --folds")
        os.environ[CASELESS_FOLDS_ENV] = str(args.caseless_folds.resolve())
        print(f"text mode: pages without case cleaned by their fold's weights in {args.caseless_folds}")
    if args.detector_weights is not None:
        if args.mode == "html":
            ap.error("--detector-weights is for text mode (--mode text or both)")
        if args.detector_folds is not None:
            ap.error("--detector-weights and --detector-folds: choose one")
        if not args.detector_weights.is_file():
            ap.error(f"--detector-weights {args.detector_weights}: no such file")
        os.environ[WEIGHTS_ENV] = str(args.detector_weights.resolve())
        print(f"text mode: every page cleaned by the detector in {args.detector_weights}")
    if args.flat:
        os.environ[FLAT_ENV] = "1"
        print("text mode: page texts without their blank lines (--flat)")
    logging.disable(logging.CRITICAL)
    pages = load_pages(args.sets, args.split, args.limit)
    modes = ("html", "text") if args.mode == "both" else (args.mode,)
    report = {"split": args.split, "sets": args.sets, "limit": args.limit, "pages": len(pages), "modes": {}}
    for mode, res in evaluate(modes, pages, args.jobs).items():
        print_table(mode, args.split, res["systems"], res["cols"], res["cleaner_row"])
        print_languages(res["scrapinghub_by_language"])
        if "cleaner_pages" in before.get(mode, {}):
            print_changes(mode, before[mode]["cleaner_pages"], res["cleaner_pages"])
        report["modes"][mode] = {k: v for k, v in res.items() if k != "cols"}
    if args.json_file:
        Path(args.json_file).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
