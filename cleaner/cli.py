"""The ``cleaner`` command line: ``clean``, ``explain``, ``rules list`` and ``rules test``.

Exit codes: 0 done; 1 the run failed (records unaccounted for, every record
failed, a rule check failed, a run-level error); 2 bad usage (unknown option, missing input, invalid
rules file, unusable resume state).
"""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

import click

from . import __version__
from .config import language_option
from .errors import CleanerError, RuleError

EXIT_FAILED = 1
EXIT_USAGE = 2


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"cleaner: error: {message}", err=True)
    sys.exit(code)


def cleaning_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The options of :func:`cleaner.clean` (``--no-detector`` sets ``detector=False``,
    ``--no-builtin-rules`` ``builtin_rules=False``; the others have the fields' names)."""
    options = [
        click.option("--rules", "rules", multiple=True, type=click.Path(exists=True, dir_okay=False),
                     help="A YAML rules file of your own (repeat for several)."),
        click.option("--no-builtin-rules", is_flag=True, help="Do not load the built-in rule packs and plugins."),
        click.option("--language", default="auto", show_default=True, metavar="auto|off|CODE",
                     help="Page language: detect it, turn the language stage off, or force a code such as 'en'."),
        click.option("--keep-captions", is_flag=True, help="Turn off the caption and credit rules (the detector may still drop such a line)."),
        click.option("--no-detector", is_flag=True, help="Do not run the body-vs-chrome detector, nor the edges stage after it (text mode), nor the text-mode rescue of an HTML page whose extraction keeps next to nothing."),
        click.option("--detector-threshold", type=click.FloatRange(0, 1, min_open=True, max_open=True),
                     default=None, metavar="SCORE",
                     help="Body score a block needs to stay (default: the model's, 0.5); higher keeps less chrome."),
        click.option("--detector-weights", type=click.Path(exists=True, dir_okay=False), default=None,
                     help="Detector weights JSON from bench/train_detector.py (default: the shipped ones)."),
        click.option("--detector-weights-caseless", type=click.Path(exists=True, dir_okay=False), default=None,
                     help="Weights from train_detector.py --caseless for pages without case (Chinese, Arabic, "
                          "Thai..., all lower case); the other pages keep --detector-weights or the shipped ones."),
        click.option("--mode", type=click.Choice(["auto", "text", "html"]), default="auto", show_default=True,
                     help="Treat input as text or HTML (auto sniffs each page)."),
        click.option("--regex-timeout", type=float, default=1.0, show_default=True,
                     help="Seconds one rule pattern may spend on one block."),
        click.option("--max-bytes", type=click.IntRange(min=1), default=20_000_000, show_default=True,
                     help="Refuse larger pages (clean: an error record)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _options(kw: Dict[str, Any]) -> Dict[str, Any]:
    """Pop the cleaning options from click's keywords into :class:`cleaner.Options` keywords."""
    return {"rules": tuple(kw.pop("rules")), "builtin_rules": not kw.pop("no_builtin_rules"),
            "language": language_option(kw.pop("language")), "keep_captions": kw.pop("keep_captions"),
            "detector": not kw.pop("no_detector"), "detector_threshold": kw.pop("detector_threshold"),
            "detector_weights": kw.pop("detector_weights"),
            "detector_weights_caseless": kw.pop("detector_weights_caseless"), "mode": kw.pop("mode"),
            "regex_timeout": kw.pop("regex_timeout"), "max_bytes": kw.pop("max_bytes")}


def _check_options(options: Dict[str, Any]) -> None:
    """Fail before reading any input when the options or the rule files are bad."""
    from .config import Options

    try:
        Options.checked(**options)
    except RuleError as exc:
        _fail(f"invalid rules: {exc}")
    except (TypeError, ValueError) as exc:
        _fail(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="cleaner")
def main() -> None:
    """Strip boilerplate from scraped web pages and keep the main article body."""


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", metavar="PATH",
              help="A directory (mirrors the inputs), a .jsonl[.gz|.zst] or .parquet file, or - (stdout, default).")
@click.option("--format", "fmt", type=click.Choice(["txt", "html", "jsonl", "warc", "parquet"]),
              help="Read every input as this format instead of going by extension.")
@click.option("--text-field", default="text", show_default=True, help="JSONL/Parquet field holding the page text.")
@click.option("--html-field", default=None, help="JSONL/Parquet field holding HTML (used when present).")
@click.option("--url-field", default="url", show_default=True, help="JSONL/Parquet field holding the page URL.")
@click.option("--audit", is_flag=True, help="Add cleaner_audit (the removed blocks, by rule) to each record.")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write one JSON line per failed record here (default: report them on stderr).")
@click.option("--resume", is_flag=True, help="Continue an interrupted run with the same arguments.")
@click.option("--checkpoint-every", type=click.FloatRange(min=0), default=1.0, show_default=True, metavar="SECONDS",
              help="How often the resume state is saved.")
@click.option("-j", "--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: all cores].")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="ray: clean JSONL/Parquet shards with Ray Data into the -o directory (pip install 'cleaner[ray]').")
@click.option("--address", default=None, help="With --engine ray: a cluster to join (e.g. auto); default starts Ray here.")
@click.option("--url", "page_url", default=None,
              help="The URL of the page files given (enables the site rules of its domain; an HTML page "
                   "without it is known by its canonical URL). JSONL and WARC records carry their own.")
@cleaning_options
def clean(inputs: Sequence[str], output: Optional[str], fmt: Optional[str], text_field: str,
          html_field: Optional[str], url_field: str, audit: bool, errors_path: Optional[str],
          resume: bool, checkpoint_every: float, workers: Optional[int], quiet: bool, engine: str,
          address: Optional[str], page_url: Optional[str], **kw: Any) -> None:
    """Clean pages: files, directories, globs or - (stdin); .txt/.html pages, JSONL, WARC, Parquet."""
    from .io import build_plan, expand_inputs, run_clean
    from .io.plan import PlanError
    from .io.pool import default_workers
    from .io.report import summary_lines
    from .io.resume import ResumeError
    from .io.run import RunConfig
    from .io.sinks import RunError
    from .io.sources import InputNotFound, unread_files
    from .io.worker import Settings

    max_bytes = kw["max_bytes"]
    options = _options(kw)
    _check_options(options)
    if address and engine != "ray":
        _fail("--address joins a Ray cluster: it needs --engine ray")
    if engine == "ray":
        local_only = {"--url": page_url, "--errors": errors_path, "--resume": resume, "--format": fmt}
        given = [name for name, value in local_only.items() if value]
        if given:  # not silently ignored: Ray writes failed rows with cleaner_error into the shards
            _fail(f"{', '.join(given)}: not with --engine ray (each failed row carries cleaner_error in "
                  "the output shards; records carry their own URL, --url-field)")
        _clean_with_ray(inputs, output, text_field, html_field, url_field, audit, workers, address, quiet, options)
        return
    try:
        sources = _resolve_stdin(expand_inputs(inputs, fmt))
        plan = build_plan(sources, output)
    except (InputNotFound, PlanError) as exc:
        _fail(str(exc))
    unread = unread_files(inputs, fmt)
    if unread and not quiet:
        click.echo(f"cleaner: note: {len(unread):,} file(s) in the input directories have no known extension "
                   f"and were not read (first: {unread[0]}); --format names their format", err=True)
    settings = Settings(options, text_field, html_field, url_field or None, audit, page_url)
    one_page = len(sources) == 1 and sources[0].format in ("txt", "html")
    config = RunConfig(workers=workers or (1 if one_page else default_workers()), errors_path=errors_path, resume=resume,
                       quiet=quiet, max_bytes=max_bytes, checkpoint_seconds=checkpoint_every)
    try:
        summary = run_clean(plan, settings, config)
    except (ResumeError, FileNotFoundError) as exc:
        _fail(str(exc))
    except (RunError, CleanerError, ImportError) as exc:
        _fail(str(exc), EXIT_FAILED)
    if not quiet:
        for line in summary_lines(summary.tally, summary.seconds, summary.done_now):
            click.echo(line, err=True)
    if not summary.tally.balanced:
        _fail("records unaccounted for: in != out + errors + skipped", EXIT_FAILED)
    if summary.tally.every_record_failed:
        _fail(f"every record failed ({summary.tally.errors:,} error(s)); nothing was cleaned", EXIT_FAILED)


def _clean_with_ray(inputs: Sequence[str], output: Optional[str], text_field: str, html_field: Optional[str],
                    url_field: str, audit: bool, workers: Optional[int], address: Optional[str], quiet: bool,
                    options: Dict[str, Any]) -> None:
    """``--engine ray``: JSONL/Parquet shards in, cleaned shards into the ``-o`` directory."""
    if not output or output == "-":
        _fail("--engine ray needs -o DIRECTORY for the cleaned shards")
    from .io.plan import names_a_file

    if names_a_file(output):
        _fail(f"--engine ray writes a directory of shards; -o {output} names a file")
    try:
        from .integrations.ray import run_jsonl
    except ImportError as exc:
        _fail(f"--engine ray needs Ray: pip install 'cleaner[ray]' ({exc})", EXIT_FAILED)
    try:
        stats = run_jsonl(list(inputs), output, address=address, workers=workers, text_field=text_field,
                          html_field=html_field, url_field=url_field or None, audit=audit, **options)
    except Exception as exc:  # a task's error (a corrupt Parquet file, a lost node): one line, not four tracebacks
        root = exc
        while getattr(root, "cause", None) or root.__cause__:
            root = getattr(root, "cause", None) or root.__cause__
        lines = [line for line in str(root).strip().splitlines() if line.strip()] or [""]
        name = type(root).__name__
        said = next((line for line in lines if line.startswith(f"{name}: ")), f"{name}: {lines[0]}")
        _fail(f"ray run failed: {said[:300]}", EXIT_FAILED)
    if not quiet:
        click.echo(f"ray: {stats}", err=True)
    if stats.get("records") and stats.get("errors") == stats.get("records"):  # as the local engine does
        _fail(f"every record failed ({stats['errors']:,} error(s)); nothing was cleaned", EXIT_FAILED)


def _resolve_stdin(sources: List[Any]) -> List[Any]:
    """Give ``-`` a format by sniffing the first bytes when ``--format`` did not."""
    from dataclasses import replace

    from .io.sources import STDIN, sniff_format

    out = []
    for source in sources:
        if source.path == STDIN and not source.format:
            source = replace(source, format=sniff_format(sys.stdin.buffer.peek(4096)[:4096]))
        out.append(source)
    return out


@main.command()
@click.argument("source", metavar="FILE|-")
@click.option("--url", default=None, help="The page's URL (enables the site rules of its domain).")
@click.option("--color/--no-color", default=None, help="Colour the marks [default: when a terminal].")
@cleaning_options
def explain(source: str, url: Optional[str], color: Optional[bool], **kw: Any) -> None:
    """Show the page with each removed block marked by its rule id and the reason."""
    from . import clean_document
    from .io.explain import render

    options = _options(kw)
    _check_options(options)
    data = _read_source(source)
    try:
        result = clean_document(data, url=url, **options)
    except CleanerError as exc:
        _fail(str(exc), EXIT_FAILED)
    for line in render(result):
        click.echo(line, color=color)


def _read_source(source: str) -> bytes:
    """The bytes of a file (``.gz``/``.zst`` decompressed) or of stdin."""
    from .io.compress import open_read

    try:
        stream = open_read(source, sys.stdin.buffer if source == "-" else None)
        data = io.BufferedReader(stream).read()
    except OSError as exc:
        _fail(f"cannot read {source}: {exc}")
    if stream.error:
        _fail(f"{source}: {stream.error}", EXIT_FAILED)
    return data


@main.group()
def rules() -> None:
    """List the rules, or check your own rule files."""


@rules.command("list")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Also list the rules of this YAML file (repeat for several).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per rule.")
def list_rules(rule_files: Sequence[str], as_json: bool) -> None:
    """Every rule in running order: id, scope (generic or its sites), summary and source file."""
    from .rules import all_rules, describe

    try:  # the checks of a run: a file's id that clashes with another rule's is refused
        rows = describe(rule for _, stage in all_rules(list(rule_files)) for rule in stage)
    except RuleError as exc:
        _fail(f"invalid rules: {exc}")
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    width = max((len(r["id"]) for r in rows), default=2)
    scope = max((len(r["scope"]) for r in rows), default=5)
    click.echo(f"{'ID':<{width}}  {'SCOPE':<{scope}}  SUMMARY  (SOURCE)")
    for r in rows:
        click.echo(f"{r['id']:<{width}}  {r['scope']:<{scope}}  {r['summary']}  ({r['source']})")
    click.echo(f"{len(rows)} rules", err=True)


@rules.command("test")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="FILE...")
def test_rules(files: Sequence[str]) -> None:
    """Validate rule files against the schema and run their remove/keep examples."""
    from .rules import builtin_rules, load_rule_file
    from .rules.loader import check_unique
    from .rules.registry import pack_path
    from .testing import check_rules

    problems: List[str] = []
    loaded = []
    for path in files:
        try:
            loaded.extend(load_rule_file(path))
        except RuleError as exc:
            problems.append(str(exc))
    try:
        # A shipped pack under test is not a clash with its own built-in copy.
        tested = {Path(p).resolve() for p in files}
        check_unique([r for r in builtin_rules() if pack_path(r.source) not in tested] + loaded)
    except RuleError as exc:
        problems.append(str(exc))
    problems.extend(check_rules(loaded))
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        _fail(f"{len(problems)} problem(s) in {len(files)} file(s)", EXIT_FAILED)
    examples = sum(len(r.remove_examples) + len(r.keep_examples) for r in loaded)
    click.echo(f"ok: {len(loaded)} rules, {examples} examples pass ({', '.join(files)})")
