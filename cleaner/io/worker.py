"""What each worker process runs: parse a chunk of items, clean the records with
:func:`cleaner.clean_batch`, and hand back one :class:`Result` per item, in order."""
from __future__ import annotations

import gc
import multiprocessing
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .. import clean_batch
from ..decode import web_charset
from ..detector.model import caseless_model, default_model
from .items import BEGIN, END, ERROR, OUT, RAW, SKIP, Item, Result, error_info
from .jsonl import dump_line, parse_line

_PASS = {BEGIN: BEGIN, END: END, ERROR: ERROR, SKIP: SKIP}
# Fields the readers add for the worker and that never reach the output.
_INTERNAL = {"txt": ("text",), "html": ("text",), "warc": ("html", "http_charset")}


@dataclass(frozen=True)
class Settings:
    """What every worker needs: the :func:`cleaner.clean_batch` options and the field names."""

    options: Dict[str, Any] = field(default_factory=dict)
    text_field: str = "text"
    html_field: Optional[str] = None
    url_field: Optional[str] = "url"
    audit: bool = False
    page_url: Optional[str] = None  # ``--url``: the URL of the page files (not of JSONL/WARC records)

    def files(self) -> List[str]:
        """The files the options name (rule files, detector weights), whose contents decide the output."""
        rules = self.options.get("rules") or ()
        named = [rules] if isinstance(rules, (str, os.PathLike)) else list(rules)
        named += [self.options.get("detector_weights"), self.options.get("detector_weights_caseless")]
        return [os.fspath(f) for f in named if isinstance(f, (str, os.PathLike))]

    def fields(self, fmt: str) -> Tuple[str, Optional[str], Optional[str]]:
        """(text, html, url) field names for records of input format ``fmt``."""
        if fmt in ("txt", "html"):
            return "text", None, "url" if self.page_url else None
        if fmt == "warc":
            return "html", None, "url"
        return self.text_field, self.html_field, self.url_field


_SETTINGS = Settings()
_WARM = {"text": "The council approved the new budget on Monday after a long debate."}
_WARM_HTML = {"text": f"<html><body><article><p>{_WARM['text']}</p></article></body></html>"}


def init(settings: Settings) -> None:
    """Pool initializer: keep the settings, load the rules once in this process."""
    global _SETTINGS
    _SETTINGS = settings
    try:
        clean_batch([_WARM], **settings.options)
    except Exception:  # pragma: no cover - options were checked by the caller; records will report it
        pass


def preload(settings: Settings) -> bool:
    """Before forking workers: load everything a worker loads (rules, detector, language
    profiles, the HTML extractor) here, once, and freeze it out of the garbage collector's
    reach, so the workers share those pages instead of each holding a copy (see the
    memory figures of ``bench/throughput.py memory``). Only where workers are forked (the
    default start method on Linux up to Python 3.13): a spawned worker shares nothing, so
    there it does nothing and returns False. The caller ends it with ``gc.unfreeze()``."""
    if multiprocessing.get_start_method() != "fork":
        return False
    init(settings)
    try:
        clean_batch([_WARM_HTML], **settings.options)
    except Exception:  # pragma: no cover - as in init
        pass
    if not settings.options.get("detector_weights"):  # else those weights score every page
        default_model()
        if not settings.options.get("detector_weights_caseless"):  # (those are loaded: Options read them)
            caseless_model()  # the weights for pages without case, which the warm-up pages do not reach
    gc.collect()  # what is garbage now is not frozen with the rest
    gc.freeze()
    return True


def process_chunk(items: Sequence[Item]) -> List[Result]:
    """One result per item, in the same order."""
    results: List[Optional[Result]] = [None] * len(items)
    groups: Dict[str, List[Tuple[int, Dict[str, Any]]]] = {}
    for i, item in enumerate(items):
        if item.kind in _PASS:
            results[i] = Result(item.kind, item.src, item.pos, item.payload)
            continue
        try:
            record = parse_line(item.payload) if item.kind == RAW else item.payload
        except (ValueError, RecursionError) as exc:  # bad JSON, bad UTF-8, absurd nesting
            results[i] = Result(ERROR, item.src, item.pos, error_info("MalformedRecord", str(exc)[:500]))
            continue
        groups.setdefault(item.fmt, []).append((i, record))
    for fmt, entries in groups.items():
        outs = _clean([_prepare(r, fmt) for _, r in entries], fmt)
        for (i, record), out in zip(entries, outs):
            results[i] = _result(items[i], record, out)
    return results  # type: ignore[return-value]


def _prepare(record: Dict[str, Any], fmt: str) -> Dict[str, Any]:
    """WARC bodies are decoded with the HTTP charset when it works (else the engine sniffs);
    page files get ``--url``."""
    if fmt in ("txt", "html") and _SETTINGS.page_url:
        return dict(record, url=_SETTINGS.page_url)
    label = record.get("http_charset") if fmt == "warc" else None
    charset = web_charset(label) if label else None
    if charset and isinstance(record.get("html"), bytes):
        try:
            return dict(record, html=record["html"].decode(charset))
        except UnicodeDecodeError:
            pass
    return record


def _clean(records: List[Dict[str, Any]], fmt: str) -> List[Dict[str, Any]]:
    text, html, url = _SETTINGS.fields(fmt)
    kwargs = dict(_SETTINGS.options, text_field=text, html_field=html, url_field=url, audit=True)
    try:
        return clean_batch(records, **kwargs)
    except Exception:  # an unexpected failure on one record: isolate it, record by record
        return [_clean_one(r, kwargs) for r in records]


def _clean_one(record: Dict[str, Any], kwargs: Dict[str, Any]) -> Dict[str, Any]:
    try:
        return clean_batch([record], **kwargs)[0]
    except Exception as exc:  # never lose the record: it becomes an error record
        return dict(record, cleaner_error={"type": type(exc).__name__, "message": str(exc)[:500]})


def _result(item: Item, record: Dict[str, Any], out: Dict[str, Any]) -> Result:
    _, _, url_field = _SETTINGS.fields(item.fmt)
    url = record.get(url_field) if url_field else None
    if "cleaner_error" in out:
        err = out["cleaner_error"]
        return Result(ERROR, item.src, item.pos, error_info(err["type"], err["message"], _record_id(record), url))
    audit = out.pop("cleaner_audit", [])
    rules = dict(Counter(r["rule"] for r in audit))
    if _SETTINGS.audit:
        out["cleaner_audit"] = audit
    for name in _INTERNAL.get(item.fmt, ()):
        out.pop(name, None)
    if item.emit == "text":
        payload: Any = out["clean_text"]
    elif item.emit == "dict":
        payload = out
    else:
        payload = dump_line(out)
    return Result(OUT, item.src, item.pos, payload, rules)


def _record_id(record: Dict[str, Any]) -> Any:
    for key in ("id", "_id", "warc_record_id", "path"):
        value = record.get(key)
        if isinstance(value, (str, int)):
            return value
    return None
