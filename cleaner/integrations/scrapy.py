"""Scrapy: :class:`CleanerPipeline`, an item pipeline that adds the cleaned text to each item.

In ``settings.py``::

    ITEM_PIPELINES = {"cleaner.integrations.scrapy.CleanerPipeline": 300}
    CLEANER_HTML_FIELD = "html"          # clean this field when the item has it, else CLEANER_TEXT_FIELD
    CLEANER_LANGUAGE = "en"              # optional; see the settings below

Settings (all optional): ``CLEANER_TEXT_FIELD`` (``"text"``), ``CLEANER_HTML_FIELD``
(none), ``CLEANER_URL_FIELD`` (``"url"``), ``CLEANER_OUTPUT_FIELD`` (``"clean_text"``),
``CLEANER_LANGUAGE_FIELD`` (``"language"``; empty to skip), ``CLEANER_ERROR_FIELD``
(``"cleaner_error"``), ``CLEANER_AUDIT_FIELD`` (none; a field name adds the audit trail),
``CLEANER_DROP_EMPTY`` (``False``: drop items left with no text), and the cleaner options
``CLEANER_RULES`` (YAML paths), ``CLEANER_BUILTIN_RULES``, ``CLEANER_LANGUAGE``
(``"auto"``, ``"off"`` or a code), ``CLEANER_DETECTOR``, ``CLEANER_DETECTOR_THRESHOLD``, ``CLEANER_DETECTOR_WEIGHTS``,
``CLEANER_DETECTOR_WEIGHTS_CASELESS``, ``CLEANER_KEEP_CAPTIONS``, ``CLEANER_REGEX_TIMEOUT``,
``CLEANER_MODE``, ``CLEANER_MAX_BYTES``. Scrapy's stats get ``cleaner/items``,
``cleaner/errors``, ``cleaner/error/<type>``, ``cleaner/empty``, ``cleaner/dropped_empty``,
``cleaner/removed/<rule>`` (blocks removed) and ``cleaner/language/<code>``.
Items may be dicts or any type ``itemadapter`` handles; an ``Item`` class must
declare the output fields. Cleaning runs in the reactor thread, one item at a time.
"""
from __future__ import annotations

import logging
from collections import Counter
from typing import Any, Dict, Optional

from .. import clean_batch
from ..config import Options, language_option

logger = logging.getLogger(__name__)

_OPTION_SETTINGS = {"CLEANER_RULES": "rules", "CLEANER_BUILTIN_RULES": "builtin_rules",
                    "CLEANER_LANGUAGE": "language", "CLEANER_DETECTOR": "detector",
                    "CLEANER_DETECTOR_THRESHOLD": "detector_threshold", "CLEANER_DETECTOR_WEIGHTS": "detector_weights",
                    "CLEANER_DETECTOR_WEIGHTS_CASELESS": "detector_weights_caseless",
                    "CLEANER_KEEP_CAPTIONS": "keep_captions", "CLEANER_MODE": "mode",
                    "CLEANER_REGEX_TIMEOUT": "regex_timeout", "CLEANER_MAX_BYTES": "max_bytes"}


def options_from_settings(settings: Any) -> Dict[str, Any]:
    """Cleaner options from the ``CLEANER_*`` settings that are set (a Scrapy ``Settings`` or a dict)."""
    options: Dict[str, Any] = {}
    for setting, option in _OPTION_SETTINGS.items():
        value = settings.get(setting)
        if value is None:
            continue
        if option == "rules":
            value = [value] if isinstance(value, str) else list(value)
        elif option == "language" and isinstance(value, str):
            value = language_option(value)
        elif option in ("builtin_rules", "detector", "keep_captions") and isinstance(value, str):
            value = value.strip().lower() in ("1", "true", "yes", "on")
        elif option in ("regex_timeout", "detector_threshold", "max_bytes"):
            value = int(value) if option == "max_bytes" else float(value)
        options[option] = value
    return options


class CleanerPipeline:
    """Clean each item's text or HTML with :func:`cleaner.clean_batch` and store the result on the item."""

    def __init__(self, text_field: str = "text", html_field: Optional[str] = None, url_field: Optional[str] = "url",
                 output_field: str = "clean_text", language_field: Optional[str] = "language",
                 error_field: str = "cleaner_error", audit_field: Optional[str] = None, drop_empty: bool = False,
                 stats: Any = None, **options: Any) -> None:
        Options.checked(**options)  # a bad setting or rules file fails when the crawler starts
        self.text_field, self.html_field, self.url_field = text_field, html_field, url_field
        self.output_field, self.language_field, self.error_field = output_field, language_field, error_field
        self.audit_field, self.drop_empty, self.stats, self.options = audit_field, drop_empty, stats, options

    @classmethod
    def from_crawler(cls, crawler: Any) -> "CleanerPipeline":
        """Build the pipeline from the crawler's ``CLEANER_*`` settings and attach its stats collector."""
        s = crawler.settings
        return cls(text_field=s.get("CLEANER_TEXT_FIELD", "text"), html_field=s.get("CLEANER_HTML_FIELD"),
                   url_field=s.get("CLEANER_URL_FIELD", "url"), output_field=s.get("CLEANER_OUTPUT_FIELD", "clean_text"),
                   language_field=s.get("CLEANER_LANGUAGE_FIELD", "language") or None,
                   error_field=s.get("CLEANER_ERROR_FIELD", "cleaner_error"),
                   audit_field=s.get("CLEANER_AUDIT_FIELD") or None, drop_empty=s.getbool("CLEANER_DROP_EMPTY"),
                   stats=crawler.stats, **options_from_settings(s))

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"cleaner/{key}", count)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        """Add the cleaned text (and language, audit or error) to ``item``; drop it if empty and asked to."""
        from itemadapter import ItemAdapter
        from scrapy.exceptions import DropItem

        adapter = ItemAdapter(item)
        # The record keeps the item's own field names; one the item lacks stays out, so the
        # error names it ("record has no field 'body'").
        record = {name: adapter.get(name) for name in (self.text_field, self.html_field, self.url_field)
                  if name and adapter.get(name) is not None}
        out = clean_batch([record], text_field=self.text_field, html_field=self.html_field,
                          url_field=self.url_field, audit=True, **self.options)[0]
        self._inc("items")
        if "cleaner_error" in out:
            self._inc("errors")
            self._inc(f"error/{out['cleaner_error']['type']}")
            logger.warning("cleaner could not clean %s: %s", record.get(self.url_field or ""), out["cleaner_error"]["message"])
            adapter[self.error_field] = out["cleaner_error"]
            return item
        for rule, n in Counter(r["rule"] for r in out["cleaner_audit"]).items():
            self._inc(f"removed/{rule}", n)
        adapter[self.output_field] = out["clean_text"]
        if self.language_field:
            adapter[self.language_field] = out["language"]
        if out["language"]:
            self._inc(f"language/{out['language']}")
        if self.audit_field:
            adapter[self.audit_field] = out["cleaner_audit"]
        if not out["clean_text"].strip():
            self._inc("empty")
            if self.drop_empty:
                self._inc("dropped_empty")
                raise DropItem(f"cleaner left no text for {record.get(self.url_field or '') or 'an item without a URL'}")
        return item
