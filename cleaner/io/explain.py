"""Render ``cleaner explain``: every block of the page, the removed ones marked with the
rule id and the reason (in colour on a terminal)."""
from __future__ import annotations

from typing import Iterator, Optional, Sequence

import click

from ..document import Block, CleanResult, Removal
from ..engine import explain_lines

KEPT = "  "
GONE = "- "


def _mark(removal: Removal) -> str:
    score = f", score {removal.score:g}" if removal.score is not None else ""
    return click.style(f"  [{removal.rule}: {removal.reason}{score}]", fg="yellow")


def _line(block: Block, removals: Sequence[Removal], kept: Optional[str]) -> str:
    """One block: kept as is, struck out, or stripped (one span shown in place; after
    several, the block and what is left of it)."""
    marks = "".join(map(_mark, removals))
    if not removals:
        return KEPT + block.text
    if kept is None:
        return click.style(GONE + block.text, fg="red", strikethrough=True) + marks
    if len(removals) == 1:
        start, end = removals[0].span or (0, 0)
        cut = click.style(block.text[start:end], fg="red", strikethrough=True)
        return "~ " + block.text[:start] + cut + block.text[end:] + marks
    return "~ " + block.text + click.style(" => ", bold=True) + kept + marks


def render(result: CleanResult) -> Iterator[str]:
    """Lines of the explanation: a header, each block, a one-line tally."""
    meta = result.metadata
    mode = f"mode {result.document.mode}"
    if result.stats.get("fallback"):  # an HTML page cleaned again from its visible text
        mode = f"mode html -> {result.stats['fallback']}"
    head = " | ".join(x for x in (meta.title, meta.url, mode, f"language {result.language or '-'}") if x)
    yield click.style(head, bold=True)
    removed = 0
    for block, removals, kept in explain_lines(result):
        removed += kept is None
        yield _line(block, removals, kept)
    total = len(result.document.blocks)
    yield click.style(f"{total - removed} of {total} blocks kept, {removed} removed "
                      f"({GONE.strip()} removed, ~ partly stripped)", bold=True)
