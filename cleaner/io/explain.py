"""Render ``cleaner explain``: every block of the page, the removed ones marked with the
rule id and the reason (in colour on a terminal)."""
from __future__ import annotations

from typing import Iterator, Optional

import click

from ..document import Block, CleanResult, Removal
from ..engine import explain_lines

KEPT = "  "
GONE = "- "


def _mark(removal: Removal) -> str:
    score = f", score {removal.score:g}" if removal.score is not None else ""
    return click.style(f"  [{removal.rule}: {removal.reason}{score}]", fg="yellow")


def _line(block: Block, removal: Optional[Removal]) -> str:
    if removal is None:
        return KEPT + block.text
    if removal.span is None:
        return click.style(GONE + block.text, fg="red", strikethrough=True) + _mark(removal)
    start, end = removal.span
    text = block.text
    cut = click.style(text[start:end], fg="red", strikethrough=True)
    return "~ " + text[:start] + cut + text[end:] + _mark(removal)


def render(result: CleanResult) -> Iterator[str]:
    """Lines of the explanation: a header, each block, a one-line tally."""
    meta = result.metadata
    head = " | ".join(x for x in (meta.title, meta.url, f"mode {result.document.mode}",
                                  f"language {result.language or '-'}") if x)
    yield click.style(head, bold=True)
    removed = 0
    for block, removal in explain_lines(result):
        removed += removal is not None and removal.span is None
        yield _line(block, removal)
    total = len(result.document.blocks)
    yield click.style(f"{total - removed} of {total} blocks kept, {removed} removed "
                      f"({GONE.strip()} removed, ~ partly stripped)", bold=True)
