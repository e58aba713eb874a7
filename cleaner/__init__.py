"""cleaner: keep the main article body of a scraped web page, drop the chrome.

>>> text = "Breaking news\\nThe council approved the new budget on Monday after a long debate.\\nShare on Facebook"
>>> print(clean(text, language=False))
The council approved the new budget on Monday after a long debate.
"""
from __future__ import annotations

from dataclasses import fields
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from . import engine
from .config import Options
from .document import Block, CleanResult, Document, Metadata, Removal
from .errors import CleanerError, InputError, RuleError, RuleTimeout
from .ledger import seen_texts

__all__ = ["Block", "CleanResult", "CleanerError", "Document", "InputError", "Metadata", "Options",
           "Removal", "RuleError", "RuleTimeout", "clean", "clean_batch", "clean_document"]
__version__ = "0.1.0"


def clean_document(source: "str | bytes", *, url: Optional[str] = None, rules: Any = None,
                   language: Any = None, options: Optional[Options] = None, **kwargs: Any) -> CleanResult:
    """Clean one page and return the kept blocks, the audit trail, language and metadata.

    ``source`` is HTML or page text, as ``str`` or ``bytes``. ``rules`` adds the
    user's YAML files and/or rule objects; ``language`` is ``None`` (detect),
    ``False`` (off) or a code (force). Other keywords are :class:`Options` fields.
    """
    if options is None:
        options = Options.from_kwargs(rules=rules, language=language, **kwargs)
    elif rules is not None or language is not None or kwargs:
        raise TypeError("pass either options= or keyword options, not both")
    return engine.clean_document(source, url, options)


def clean(source: "str | bytes", *, url: Optional[str] = None, rules: Any = None,
          language: Any = None, **kwargs: Any) -> str:
    """The main body of ``source`` as text: one block a paragraph, a blank line between."""
    return clean_document(source, url=url, rules=rules, language=language, **kwargs).text


def removal_dicts(result: CleanResult) -> List[Dict[str, Any]]:
    """The audit trail as plain dicts (for JSON), each with its block's text as the removal
    saw it (for a span, ``text[start:end]`` is what went)."""
    seen = seen_texts(result.document, result.removals)
    return [{**{name: getattr(r, name) for name in _removal_fields(type(r))}, "text": text}
            for r, text in zip(result.removals, seen)]


@lru_cache(maxsize=None)
def _removal_fields(kind: type) -> Tuple[str, ...]:
    """The field names of a ``Removal`` class (a plugin's subclass may add some), read once per
    class: ``dataclasses.asdict`` deep-copied every field of every removal, about 8 % of the
    CLI's time in text mode (it counts each record's removals by rule)."""
    return tuple(f.name for f in fields(kind))


# The fields clean_batch writes. A record's own values under these names (an earlier run's
# output, cleaned again) are dropped, so a record that fails now carries no stale text.
OUTPUT_FIELDS = ("clean_text", "language", "cleaner_error", "cleaner_audit")


def clean_batch(records: Iterable[Mapping[str, Any]], *, text_field: str = "text",
                html_field: Optional[str] = None, url_field: Optional[str] = "url",
                audit: bool = False, **options: Any) -> List[Dict[str, Any]]:
    """Clean many records; one output dict per input, in order, never raising for a bad record.

    Each output is the input's fields plus ``clean_text`` and ``language`` (and
    ``cleaner_audit`` with ``audit=True``); a record that failed carries
    ``cleaner_error`` = ``{"type", "message"}`` instead. Input fields named like these
    (``OUTPUT_FIELDS``) are not passed through. Options are checked
    once, before any record, so a bad option or rule file raises.
    """
    opts = Options.checked(**options)  # fail fast on bad rule files, warm the cache
    return [_clean_record(record, text_field, html_field, url_field, audit, opts) for record in records]


def _field_to_clean(record: Mapping[str, Any], text_field: str, html_field: Optional[str]) -> str:
    """The HTML field when it holds something, else the text field (an HTML field that is
    empty or null is cleaned, or reported, only when the record has no text field)."""
    if html_field and record.get(html_field) not in (None, "", b""):
        return html_field
    if html_field and html_field in record and text_field not in record:
        return html_field
    return text_field


def _clean_record(record: Mapping[str, Any], text_field: str, html_field: Optional[str],
                  url_field: Optional[str], audit: bool, opts: Options) -> Dict[str, Any]:
    if not isinstance(record, Mapping):  # a list, a string, None...: an error record, not a crash
        return {"cleaner_error": {"type": "InputError",
                                  "message": f"record is a {type(record).__name__}, not a mapping of fields"}}
    out = {k: v for k, v in record.items() if k not in OUTPUT_FIELDS}  # what an earlier run left
    try:
        field = _field_to_clean(record, text_field, html_field)
        if field not in record:
            raise InputError(f"record has no field {field!r}")
        value = record[field]
        if not isinstance(value, (str, bytes, bytearray, memoryview)):
            raise TypeError(f"field {field!r} is {'null' if value is None else type(value).__name__}, "
                             "not a string")
        url = record.get(url_field) if url_field else None
        result = engine.clean_document(value, url if isinstance(url, str) else None, opts)
    except Exception as exc:  # one bad record never sinks the batch: it comes back with its error
        out["cleaner_error"] = {"type": type(exc).__name__, "message": str(exc)}
        return out
    out["clean_text"] = result.text
    out["language"] = result.language
    if audit:
        out["cleaner_audit"] = removal_dicts(result)
    return out
