"""datatrove: :class:`CleanerStep`, a pipeline step that cleans ``doc.text`` with :func:`cleaner.clean_batch`::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import CleanerStep
    LocalPipelineExecutor([JsonlReader("raw/"), CleanerStep(language="en"),
                           JsonlWriter("clean/")], tasks=4).run()

Per document it sets ``doc.text`` to the cleaned body, ``doc.metadata["language"]``
and ``doc.metadata["cleaner_removed"]`` (``{rule: blocks removed}``); it counts
``total``, ``forwarded``, ``dropped_empty``, ``cleaner_error`` and one
``rule/<name>`` stat per rule (blocks removed) in datatrove's stats.
"""
from __future__ import annotations

from collections import Counter
from itertools import islice
from typing import Any, Dict, Iterator, List, Optional

from .. import clean_batch
from ..config import Options

try:
    from datatrove.data import Document, DocumentsPipeline
    from datatrove.pipeline.base import PipelineStep
    from datatrove.utils.typeshelper import StatHints
except ImportError:  # pragma: no cover - exercised only without the extra
    class PipelineStep:  # type: ignore[no-redef]
        """Stand-in so this module imports without datatrove; using the step raises."""

        def __init__(self) -> None:
            raise ImportError("CleanerStep needs datatrove: pip install 'cleaner[datatrove]'")

    Document = DocumentsPipeline = Any  # type: ignore[misc,assignment]

    class StatHints:  # type: ignore[no-redef]
        total, dropped, forwarded = "total", "dropped", "forwarded"


class CleanerStep(PipelineStep):
    """Clean each document's text (or the HTML in ``doc.metadata[html_field]``).

    ``drop_empty``: drop documents left with no text (else keep them, empty).
    ``on_error``: ``"keep"`` (unchanged, with ``doc.metadata["cleaner_error"]``)
    or ``"drop"``. ``language_key``: metadata key for the detected language, or
    ``None``. ``drop_html``: remove the HTML field from metadata once cleaned.
    ``batch_size``: documents per :func:`cleaner.clean_batch` call. Other
    keywords are cleaner options (``rules``, ``language``, ``detector``...).
    """

    name = "🧹 cleaner"
    type = "✂️ - FORMAT"

    def __init__(self, html_field: Optional[str] = None, url_key: str = "url", drop_empty: bool = True,
                 on_error: str = "keep", language_key: Optional[str] = "language", drop_html: bool = True,
                 batch_size: int = 64, **options: Any) -> None:
        super().__init__()
        if on_error not in ("keep", "drop"):
            raise ValueError(f"on_error must be 'keep' or 'drop', not {on_error!r}")
        Options.checked(**options)  # fail at pipeline construction, not in a worker
        self.html_field, self.url_key, self.drop_empty = html_field, url_key, drop_empty
        self.on_error, self.language_key, self.drop_html = on_error, language_key, drop_html
        self.batch_size, self.options = batch_size, options

    def _records(self, docs: List[Document]) -> List[Dict[str, Any]]:
        records = []
        for doc in docs:
            record = {"text": doc.text, "url": doc.metadata.get(self.url_key)}
            if self.html_field:
                record["html"] = doc.metadata.get(self.html_field)
            records.append(record)
        return records

    def _apply(self, doc: Document, out: Dict[str, Any]) -> bool:
        """Update ``doc`` from its clean_batch output; False when it is to be dropped."""
        if "cleaner_error" in out:
            self.stat_update("cleaner_error")
            doc.metadata["cleaner_error"] = out["cleaner_error"]
            return self.on_error == "keep"
        removed = Counter(r["rule"] for r in out["cleaner_audit"])
        for rule, n in removed.items():
            self.stat_update(f"rule/{rule}", value=n)
        doc.text = out["clean_text"]
        doc.metadata["cleaner_removed"] = dict(removed)
        if self.language_key and out["language"] is not None:
            doc.metadata[self.language_key] = out["language"]
        if self.drop_html and self.html_field:
            doc.metadata.pop(self.html_field, None)
        if not doc.text.strip():
            self.stat_update("empty")
            if self.drop_empty:
                self.stat_update("dropped_empty", StatHints.dropped)
                return False
        return True

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> Iterator[Document]:
        """Clean ``data`` in batches, yielding the documents that are kept, in order."""
        if data is None:
            return
        docs_iter = iter(data)
        while batch := list(islice(docs_iter, self.batch_size)):
            with self.track_time(unit="batch"):
                outs = clean_batch(self._records(batch), text_field="text",
                                   html_field="html" if self.html_field else None,
                                   url_field="url", audit=True, **self.options)
            for doc, out in zip(batch, outs):
                self.stat_update(StatHints.total)
                if self._apply(doc, out):
                    self.stat_update(StatHints.forwarded)
                    self.update_doc_stats(doc)
                    yield doc
