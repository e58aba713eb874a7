"""The one exception family of cleaner: catch :class:`CleanerError` to catch them all."""
from __future__ import annotations

from typing import Any, Optional


class CleanerError(Exception):
    """Base class of every error cleaner raises on purpose."""


class InputError(CleanerError, ValueError):
    """The page cannot be cleaned as given (binary junk, undecodable, too large)."""


class ExtractionError(CleanerError):
    """HTML mode could not read a page (nested deeper than the tree parser goes, or trafilatura
    failed on it); the engine cleans the text between the page's tags instead, and says why in
    the result's ``stats["fallback"]``. ``metadata``: what the page's head gave before the
    failure (title, date, canonical URL...), or None."""

    def __init__(self, message: str, metadata: Optional[Any] = None) -> None:
        super().__init__(message)
        self.metadata = metadata


class RuleError(CleanerError):
    """A rule file or rule is invalid; names the file, line and field, with a hint."""

    def __init__(self, message: str, *, path: Optional[str] = None, line: Optional[int] = None,
                 field: Optional[str] = None, hint: Optional[str] = None) -> None:
        self.path, self.line, self.field, self.hint = path, line, field, hint
        where = f"{path or '<rules>'}:{line}" if line else (path or "<rules>")
        text = f"{where}: {('field ' + repr(field) + ': ') if field else ''}{message}"
        super().__init__(text + (f"\n  hint: {hint}" if hint else ""))


class RuleTimeout(CleanerError):
    """A rule's regular expression ran past its time limit on one block."""

    def __init__(self, rule_id: str, source: str, seconds: float, page: bool = False) -> None:
        self.rule_id, self.source, self.seconds = rule_id, source, seconds
        if page:
            super().__init__(f"rule {rule_id!r} ({source}) ran past the page's time budget ({seconds:g} s "
                             "for all the rules' patterns on one page): its pattern is slow on every block; "
                             "rewrite it or raise regex_timeout")
        else:
            super().__init__(f"rule {rule_id!r} ({source}) timed out after {seconds:g} s: "
                             "its pattern backtracks catastrophically; rewrite it or raise regex_timeout")
