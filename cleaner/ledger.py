"""The audit trail: which blocks are alive, their current text, and every removal in order.

The engine applies each stage's removals here, and :func:`replay` rebuilds the
output from a document and its removals with the same code, so an audit can
always be checked against the text it explains.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Dict, Iterable, List, Optional, Tuple

import regex

from .document import Block, Document, Removal
from .segment import fold_space

_WORDLIKE = regex.compile(r"[\p{L}\p{N}]")


class Ledger:
    """Alive blocks with their current text, and the removals that got them there."""

    def __init__(self, document: Document) -> None:
        self._blocks = document.blocks
        self._text: Dict[int, str] = {b.index: b.text for b in document.blocks}
        self._gone: Dict[int, Removal] = {}
        self.removals: List[Removal] = []
        self._alive: Optional[Tuple[Block, ...]] = document.blocks

    def alive(self) -> Tuple[Block, ...]:
        """The blocks not removed, with their current text, in order."""
        if self._alive is None:
            self._alive = tuple(
                b if self._text[b.index] == b.text else replace(b, text=self._text[b.index])
                for b in self._blocks if b.index not in self._gone)
        return self._alive

    def apply(self, removal: Removal) -> bool:
        """Record ``removal``; False (and nothing recorded) when its block is already gone."""
        if removal.index in self._gone or removal.index not in self._text:
            return False
        if removal.span is None:
            self._gone[removal.index] = removal
        else:
            start, end = removal.span
            text = self._text[removal.index]
            left = fold_space(text[:start] + " " + text[end:])
            self._text[removal.index] = left
            if not _WORDLIKE.search(left):
                self._gone[removal.index] = removal
        self.removals.append(removal)
        self._alive = None
        return True

    def apply_all(self, removals: Iterable[Removal]) -> int:
        """Apply a stage's removals; spans on one block are applied right to left."""
        batch = list(removals)
        spans = sorted((r for r in batch if r.span is not None), key=lambda r: (r.index, -r.span[0]))
        whole = [r for r in batch if r.span is None]
        return sum(self.apply(r) for r in spans + whole)

    def removed(self, index: int) -> bool:
        return index in self._gone

    def text(self, index: int) -> str:
        """The block's current text (what spans left of it; its last text once removed)."""
        return self._text.get(index, "")


def seen_texts(document: Document, removals: Iterable[Removal]) -> List[str]:
    """For each removal, in order, its block's text when it was applied: a span's offsets
    point into that text (a later stage's span into what the earlier ones left), so
    ``text[start:end]`` is what it cut."""
    ledger, seen = Ledger(document), []
    for removal in removals:
        seen.append(ledger.text(removal.index))
        ledger.apply(removal)
    return seen


def replay(document: Document, removals: Iterable[Removal]) -> Tuple[Block, ...]:
    """The kept blocks that applying ``removals`` in order to ``document`` gives."""
    ledger = Ledger(document)
    for removal in removals:
        ledger.apply(removal)
    return ledger.alive()
