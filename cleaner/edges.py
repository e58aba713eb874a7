"""Trim the page's edges: title-like lines above the first paragraph and below the last.

Above the story's first paragraph sit the section label, the headline (which is
metadata), the deck and the highlights; below its last paragraph sit tag lists,
"more from" headings and widget titles. A last paragraph (or a sentence right
after it) that ends with a colon announces a list: the bulleted or numbered
items right after it stay, or three or more short lines that each hold a digit
(tour dates, a table's rows; such a list under a line of 8+ words stays wherever it
is on the page); so do three or more bulleted items under a short heading
right after the last paragraph (a list the detector kept there). Risk: a long
share prompt ending in a colon ("Share this story with your friends on:") keeps
the bulleted buttons under it when no rule removed them. Once the rules and the detector have
removed the chrome they recognise, whatever short, unpunctuated lines remain
outside the span of prose are such edges.

>>> from cleaner.document import Block
>>> page = [Block(0, "World"), Block(1, "Leaders meet in the capital"),
...         Block(2, "The two leaders met on Monday to discuss trade and security."),
...         Block(3, "Tags")]
>>> [(r.index, r.rule) for r in trim_edges(page)]
[(0, 'lead-in'), (1, 'lead-in'), (3, 'tail-out')]
"""
from __future__ import annotations

from typing import List, Sequence

from .document import Block, Removal
from .rules.matchers import is_title_like
from .textshape import LIST_ITEM, announced_items, announced_lists, ends_sentence, is_paragraph, word_count

MAX_EDGE_WORDS = 25
# Below the last paragraph, a sentence of this many words or more still belongs to the story:
# Korean, Georgian or Turkish sentences run to fewer words than a paragraph's eight, so an
# in-body subheading over a few short paragraphs looked like a widget title under the story.
TAIL_SENTENCE_WORDS = 4


def _list_end(blocks: Sequence[Block], texts: Sequence[str], last: int) -> int:
    """The last block of the story: the last paragraph, or the end of the list a short
    heading right after it heads (at least ``HEADED_LIST_ITEMS`` bulleted or numbered
    lines). A list a line ending with a colon announces is kept by
    :func:`cleaner.textshape.announced_lists`, wherever it is.
    """
    if not _heads_list(blocks, last + 1):
        return last
    return last + 1 + announced_items(texts, last + 1)


HEADED_LIST_ITEMS = 3
HEADING_WORDS = 8


def _heads_list(blocks: Sequence[Block], i: int) -> bool:
    """Block ``i`` is a short heading over ``HEADED_LIST_ITEMS``+ bulleted or numbered lines
    (what the detector kept below the last paragraph: "Qualified teams", then the teams)."""
    if i >= len(blocks) or word_count(blocks[i].text) > HEADING_WORDS or LIST_ITEM.match(blocks[i].text):
        return False
    items = blocks[i + 1:i + 1 + HEADED_LIST_ITEMS]
    return len(items) == HEADED_LIST_ITEMS and all(LIST_ITEM.match(b.text) for b in items)


def _story_end(blocks: Sequence[Block], last_paragraph: int) -> int:
    """The last paragraph, or a later sentence of ``TAIL_SENTENCE_WORDS``+ words.

    Risk: a prompt or notice left far below the story ("Sign up for our newsletter.")
    keeps the title-like lines above it; in text mode the rules and the detector have
    removed most such lines before this stage (limiting the gap to two, five or ten
    lines lost three listing pages of the train split 0.09 to 0.76 F1 each).
    """
    for i in range(len(blocks) - 1, last_paragraph, -1):
        text = blocks[i].text
        if word_count(text) >= TAIL_SENTENCE_WORDS and ends_sentence(text):
            return i
    return last_paragraph


def trim_edges(blocks: Sequence[Block]) -> List[Removal]:
    """Removals for title-like blocks before the first paragraph and after the last
    paragraph (or short sentence)."""
    prose = [i for i, b in enumerate(blocks) if is_paragraph(b.text)]
    if not prose:
        return []
    texts = [b.text for b in blocks]
    last = _list_end(blocks, texts, _story_end(blocks, prose[-1]))
    listed = announced_lists(texts)
    removals = []
    for i, block in enumerate(blocks):
        if prose[0] <= i <= last or i in listed or not is_title_like(block.text, MAX_EDGE_WORDS):
            continue
        rule, where = ("lead-in", "above the first") if i < prose[0] else ("tail-out", "below the last")
        removals.append(Removal(block.index, rule, "edges", f"short title-like line {where} paragraph"))
    return removals
