"""Trafilatura's XML tree walked into pieces (a kind and a text each, in page order), and the
word strings the HTML steps compare pieces by."""
from __future__ import annotations

import functools
from copy import deepcopy
from typing import Dict, Iterator, List, NamedTuple, Optional

from lxml import etree

from .document import Block, BlockKind
from .segment import fold_space
from .textshape import word_tokens

# trafilatura's XML tags that start a block, and the block kind they give.
_LEAF_KINDS = {"p": "paragraph", "head": "heading", "item": "list_item", "quote": "quote",
               "code": "code", "row": "table"}
# Tags whose children are blocks, never text of their own worth keeping as one block.
_CONTAINERS = {"body", "list", "table", "div", "doc", "main"}
# Inside these, a nested <p> takes the container's kind (a quoted paragraph is a quote).
_INHERITING = {"quote", "item"}
_CELL_SEP = " | "


def inline_text(el: etree._Element) -> str:
    """The text under ``el``: inline markup joined as is, line breaks and nested blocks spaced."""
    out = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            spaced = child.tag == "lb" or _is_block(child)
            out.append(f" {inline_text(child)} " if spaced else inline_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _element_text(el: etree._Element) -> str:
    """All text under ``el``, folded."""
    return fold_space(inline_text(el))


def _row_text(row: etree._Element) -> str:
    """A table row: its cells' texts joined by a bar (empty cells skipped)."""
    cells = [_element_text(c) for c in row if isinstance(c.tag, str)]
    return _CELL_SEP.join(c for c in cells if c)


def _is_block(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and (el.tag in _LEAF_KINDS or el.tag in _CONTAINERS)


class Piece(NamedTuple):
    kind: BlockKind
    text: str


def _walk(el: etree._Element, kind: BlockKind) -> Iterator[Piece]:
    """Yield the pieces of ``el`` in document order, nested blocks as their own pieces
    (text that is only whitespace yields none: a container's text between its blocks)."""
    if el.tag == "row":
        yield Piece("table", _row_text(el))
        return
    parts: List[str] = [el.text or ""]
    for child in el:
        if _is_block(child):
            yield from _text_piece(kind, parts)
            parts = []
            yield from _walk(child, _child_kind(el, child, kind))
        elif isinstance(child.tag, str):
            parts.append(" " if child.tag == "lb" else inline_text(child))
        parts.append(child.tail or "")
    yield from _text_piece(kind, parts)


def _text_piece(kind: BlockKind, parts: List[str]) -> Iterator[Piece]:
    """The piece of text ``parts`` make, if it is more than whitespace."""
    text = "".join(parts)
    if text and not text.isspace():
        yield Piece(kind, fold_space(text))


def _child_kind(parent: etree._Element, child: etree._Element, kind: BlockKind) -> BlockKind:
    """The kind a nested block takes: its own, or the quote/item it sits in."""
    if parent.tag in _INHERITING and child.tag == "p":
        return kind
    if child.tag in _CONTAINERS:
        return "paragraph"
    return _LEAF_KINDS[child.tag]  # type: ignore[return-value]


def tree_pieces(body: Optional[etree._Element]) -> List[Piece]:
    """Non-empty pieces of a trafilatura XML ``body`` (tags p/head/list/item/quote/table/row/code)."""
    if body is None:
        return []
    return [p for p in _walk(body, "paragraph") if p.text]


# Elements whose edges end a line when a page is read as lines (trafilatura's baseline list).
_LINE_ELEMENTS = ("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
                  "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
                  "pre", "section", "summary", "table", "td", "th", "tr", "ul")


# More <article> paragraphs than this are a forum thread's posts or a listing's items: each
# stays one block (a post's member card is a span of it, which a rule takes whole).
FALLBACK_PIECES = 5
# Inline elements whose text runs on into its neighbours' ("river<b>'s</b>", "10<sup>2</sup>");
# at the edges of any other element the text breaks (a menu's links, a dropdown's options).
_RUN_ON_ELEMENTS = ("abbr", "b", "bdi", "bdo", "cite", "code", "em", "font", "i", "kbd", "mark", "q", "s", "small",
                    "strong", "sub", "sup", "time", "u", "var", "wbr")


def compact(text: str) -> str:
    return "".join(text.split())


def fallback_lines(tree: etree._Element, pieces: List[Piece]) -> List[Piece]:
    """``pieces`` of trafilatura's fallback, each that is a whole element's text read as its lines.

    When trafilatura finds too little main content (a short page most of all) it falls
    back to one paragraph holding the text of each <article> element, or of the whole
    body (after removing asides, footers and scripts): menu, headline, byline, share
    links and story in one block, which the rules could only keep or drop whole. Such
    a paragraph is read again here as that element's lines (a line break at each
    block element's edge, a space at any other's but inline formatting's), so the
    rules and steps take the chrome line by line. A paragraph that is no element's
    text (an article body from the page's JSON-LD) stays as it is.
    """
    if not pieces or len(pieces) > FALLBACK_PIECES or any(p.kind != "paragraph" for p in pieces):
        return pieces
    body = tree.find(".//body")
    if body is None:
        return pieces
    try:
        from trafilatura.baseline import basic_cleaning  # the cleaning its fallback applies
        body = basic_cleaning(deepcopy(body))
    except Exception:  # internal API: without it no text will match, and nothing changes
        return pieces
    sources = [body, *body.iterfind(".//article")]
    for el in body.iter(etree.Element):
        if el.tag not in _RUN_ON_ELEMENTS:
            edge = "\n" if el.tag in _LINE_ELEMENTS else " "
            el.text = edge + (el.text or "")
            el.tail = edge + (el.tail or "")
    lines_of: Dict[str, List[str]] = {}
    for source in sources:
        lines = [line for line in map(fold_space, source.text_content().split("\n")) if line]
        lines_of.setdefault(compact("".join(lines)), lines)
    out: List[Piece] = []
    for piece in pieces:
        lines = lines_of.get(compact(piece.text), [])
        out.extend([Piece("paragraph", line) for line in lines] if len(lines) > 1 else [piece])
    return out if len(out) > len(pieces) else pieces


def to_blocks(pieces: List[Piece]) -> List[Block]:
    """Number the pieces as blocks (``line`` = 1-based order in the tree)."""
    return [Block(index=i, text=p.text, kind=p.kind, line=i + 1, gap_before=0) for i, p in enumerate(pieces)]


def padded_words(text: str) -> str:
    """Lower-cased word tokens, space-joined and padded (for whole-word containment)."""
    return " " + " ".join(word_tokens(text.lower())) + " "


def padded_count(words: str) -> int:
    """Words in a :func:`padded_words` string."""
    return len(words.split())


_cached_words = functools.lru_cache(maxsize=4096)(padded_words)
# Texts up to this long are remembered (a page's paragraphs; not a piece of megabytes).
_CACHED_TEXT = 2000


def padded_piece_words(text: str) -> str:
    """:func:`padded_words` of a piece's text, which reconcile, fill_gaps and fill_sibling_lists read in turn."""
    return _cached_words(text) if len(text) <= _CACHED_TEXT else padded_words(text)


