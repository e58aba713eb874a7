"""HTML mode: one trafilatura pass, its XML tree walked into typed blocks.

What it does, and why (figures: dev-set train split, mean word F1 for
scrapinghub / wcxb-dev / wcxb articles, wcxb must-drop snippets left; time
relative to a plain ``trafilatura.extract()`` on the same pages; the current
code's row is "extract_html only" of ``python bench/quality.py --mode html
--split train``, the alternatives were measured with it patched in):

* trafilatura ``bare_extraction`` in its balanced mode with comments off
  (0.962 / 0.831 / 0.940, 6.5 %, and cheaper than ``extract()``'s default,
  which also extracts comments: 0.954 / 0.826 / 0.932, 6.8 %).
  ``favor_precision`` (0.967 / 0.759 / 0.916, 3.7 %), ``favor_recall``
  (0.965 / 0.809 / 0.939) and ``fast`` (0.966 / 0.797 / 0.919) all lose on
  wcxb; ``include_links`` changes trafilatura's choices for the worse
  (wcxb 0.829, 6.9 %). Running readability-lxml as a second candidate costs
  2-5x a trafilatura pass (and trafilatura already compares with its own
  readability port internally), so it does not fit the 1.2x budget.
* A second opinion at no extra pass: in its balanced mode trafilatura already
  runs its readability port on every page to compare with its own result; that
  candidate is kept (a recording wrapper around ``try_readability``) and used by
  ``reconcile``. When it holds >= 70 % of trafilatura's words, pieces above the
  first and below the last piece it shares, which it lacks, are dropped (above:
  only pieces of <= 30 words; a longer one is a lead it skipped); when it holds
  >= 50 % of them and is >= 1.5x longer, it replaces trafilatura's pieces
  (blocks alone 0.966 / 0.830 / 0.941, 6.1 % -> 0.973 / 0.833 / 0.947, 5.3 %).
  When the two share no piece, the candidate is longer and 25-90 % of
  trafilatura's content words are in its vocabulary, each took one half of a story
  split over two containers: both are kept, in page order (blocks alone
  0.972 / 0.833 / 0.947 -> 0.977 / 0.834 / 0.949, snippets unchanged).
  When the candidate shares any piece with trafilatura, list items, subheadings
  and table rows it has between two pieces it shares with trafilatura, in a gap where trafilatura
  lacks nothing else, are put back there (``fill_gaps``: in-body lists,
  subheadings and tables trafilatura dropped; train split, all steps on: wcxb
  0.8391 -> 0.8412, articles 0.9530 -> 0.9554, scrapinghub and snippets
  unchanged; about 1.4 ms a page in a scratch loop, most of it converting the
  candidate on the one page in five (76 of 360) where trafilatura lacks any of
  its list items, headings or table rows).
  Every piece trafilatura returned and cleaner drops here is a block of the
  document with a removal in the audit trail (stage ``extract``; rules
  ``extract-outside-story``, ``extract-headline``, ``extract-lone-link``,
  ``extract-widget``, ``extract-declared-box``).
* Metadata from trafilatura's cheap steps only (meta tags, JSON-LD, title,
  canonical URL; htmldate's URL/header/JSON-LD date steps). Its full
  ``extract_metadata`` costs 1.5x an extraction, mostly the body author
  search and the page-text date search. JSON-LD goes to ``json.loads`` as it
  is (see ``_json_ld``): trafilatura's own step unescapes the whole script text
  first, about 1 ms a page.
* The headline is metadata: the first heading or paragraph among the top
  pieces that repeats the title is dropped (scrapinghub 0.962 -> 0.965),
  unless it is the only piece (wcxb 0.8336 -> 0.8344 blocks alone).
* A paragraph that is nothing but one of the page's link texts, with no
  link-only neighbour, is a call to action or a teaser ("read more", "book a
  demo"), not prose: dropped (snippets 6.4 -> 6.1 %, F1 unchanged). Runs of
  such paragraphs are kept: on listing and collection pages they are the
  content. Short lead-in paragraphs, repeated short pieces, and trailing short
  pieces were tried and cost more body than chrome.
* A piece whose text is that of an element inside a small box (<= 120 words)
  whose class or id names a pop-up, promotion, ad, sign-up or legal box
  (``promo``, ``modal``, ``newsletter``, ``sponsored``, ``disclaimer``...; the
  site's own word, English in any page language) is that box's text, unless
  the text, a sentence of 8+ words, occurs elsewhere on the page too (a pop-up
  that repeats a paragraph). Topic classes (``tag-cookie``), html/body/main/article, and a
  step that would empty the page are left alone. Train split, all steps on:
  wcxb 0.8363 -> 0.8373, articles 0.9510 -> 0.9520, snippets 3.82 -> 3.52 %,
  scrapinghub unchanged. Each class word was kept or left out by the body and
  chrome words it took there: ``cta``, ``banner``, ``sidebar``,
  ``testimonial``, ``footer``, ``offer``, ``card`` and ``widget`` took too
  much body. Risks: product details shown in a modal go (one dev page lost
  most of its text), and a site that styles an interview as a "dialog".
* A piece whose text is that of an element inside one whose markup declares it
  an overlay (``<dialog>``, ``role="dialog"`` or ``"alertdialog"``,
  ``aria-modal="true"``; any size, unless it holds an article, main or
  articleBody element: a story opened as an overlay) or keeps it out of search
  snippets (``data-nosnippet``, small boxes only: sites mark article paragraphs
  so too) is not the story: consent centres, sign-in and newsletter pop-ups,
  whatever their class names. Any text the page has more often than the boxes
  stays (a drawer that lists the story's headings); the step never empties a
  page; rule ``extract-declared-box``. Risk: a date or byline marked
  ``data-nosnippet`` goes here, before the rules that would read it as metadata.
  No cap on the share of a page it takes: on the pages it helps most the
  consent centre is most of what trafilatura returned (the per-page
  measurements, and the cap that was tried, are in docs/measurements.md).

* When trafilatura finds no main content (short pages most of all) it falls back
  to one paragraph holding the text of each ``<article>``, or of the whole body:
  menu, headline, byline, share links and story in one block, which the rules
  could only keep or drop whole. ``fallback_lines`` reads such a paragraph again
  as that element's lines, and the lone-link step leaves those lines alone (on a
  fallback listing page the items are links). Measured in docs/measurements.md.

All of it about 1.03-1.10x a plain ``trafilatura.extract()``; the two box
steps (promo and declared) are about 4 ms of that (one Python walk over the page's container elements finds
the boxes of both kinds; ``python bench/throughput.py boxes``). The page is parsed with trafilatura's
parser settings and lxml's class lookup in C (``_PARSER``), which saves about
5 ms a page in all, spread over trafilatura's pass and cleaner's walks.
"""
from __future__ import annotations

import functools
import json
import logging
import re
import threading
from collections import Counter
from copy import deepcopy
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Sequence, Set, Tuple

import regex
import trafilatura
from lxml import etree
from lxml import html as lxml_html

from .document import Block, BlockKind, Metadata, Removal
from .errors import ExtractionError
from .segment import fold_space
from .textshape import word_tokens

LOGGER = logging.getLogger(__name__)

# trafilatura's XML tags that start a block, and the block kind they give.
_LEAF_KINDS = {"p": "paragraph", "head": "heading", "item": "list_item", "quote": "quote",
               "code": "code", "row": "table"}
# Tags whose children are blocks, never text of their own worth keeping as one block.
_CONTAINERS = {"body", "list", "table", "div", "doc", "main"}
# Inside these, a nested <p> takes the container's kind (a quoted paragraph is a quote).
_INHERITING = {"quote", "item"}
_CELL_SEP = " | "
_WORD = regex.compile(r"\w+")  # keeps combining marks inside their words
# The headline is looked for among the first pieces; one text must cover this share of the other.
HEADLINE_WINDOW = 3
HEADLINE_OVERLAP = 0.5
# A paragraph that is one link's whole text, up to this many words, is a call to action.
LINK_PARAGRAPH_WORDS = 15


def _inline(el: etree._Element) -> str:
    """The text under ``el``: inline markup joined as is, line breaks and nested blocks spaced."""
    out = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            spaced = child.tag == "lb" or _is_block(child)
            out.append(f" {_inline(child)} " if spaced else _inline(child))
        out.append(child.tail or "")
    return "".join(out)


def _element_text(el: etree._Element) -> str:
    """All text under ``el``, folded."""
    return fold_space(_inline(el))


def _row_text(row: etree._Element) -> str:
    """A table row: its cells' texts joined by a bar (empty cells skipped)."""
    cells = [_element_text(c) for c in row if isinstance(c.tag, str)]
    return _CELL_SEP.join(c for c in cells if c)


def _is_block(el: etree._Element) -> bool:
    return isinstance(el.tag, str) and (el.tag in _LEAF_KINDS or el.tag in _CONTAINERS)


class _Piece(NamedTuple):
    kind: BlockKind
    text: str


def _walk(el: etree._Element, kind: BlockKind) -> Iterator[_Piece]:
    """Yield the pieces of ``el`` in document order, nested blocks as their own pieces
    (text that is only whitespace yields none: a container's text between its blocks)."""
    if el.tag == "row":
        yield _Piece("table", _row_text(el))
        return
    parts: List[str] = [el.text or ""]
    for child in el:
        if _is_block(child):
            yield from _text_piece(kind, parts)
            parts = []
            yield from _walk(child, _child_kind(el, child, kind))
        elif isinstance(child.tag, str):
            parts.append(" " if child.tag == "lb" else _inline(child))
        parts.append(child.tail or "")
    yield from _text_piece(kind, parts)


def _text_piece(kind: BlockKind, parts: List[str]) -> Iterator[_Piece]:
    """The piece of text ``parts`` make, if it is more than whitespace."""
    text = "".join(parts)
    if text and not text.isspace():
        yield _Piece(kind, fold_space(text))


def _child_kind(parent: etree._Element, child: etree._Element, kind: BlockKind) -> BlockKind:
    """The kind a nested block takes: its own, or the quote/item it sits in."""
    if parent.tag in _INHERITING and child.tag == "p":
        return kind
    if child.tag in _CONTAINERS:
        return "paragraph"
    return _LEAF_KINDS[child.tag]  # type: ignore[return-value]


def tree_pieces(body: Optional[etree._Element]) -> List[_Piece]:
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


def _compact(text: str) -> str:
    return "".join(text.split())


def fallback_lines(tree: etree._Element, pieces: List[_Piece]) -> List[_Piece]:
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
        lines_of.setdefault(_compact("".join(lines)), lines)
    out: List[_Piece] = []
    for piece in pieces:
        lines = lines_of.get(_compact(piece.text), [])
        out.extend([_Piece("paragraph", line) for line in lines] if len(lines) > 1 else [piece])
    return out if len(out) > len(pieces) else pieces


def to_blocks(pieces: List[_Piece]) -> List[Block]:
    """Number the pieces as blocks (``line`` = 1-based order in the tree)."""
    return [Block(index=i, text=p.text, kind=p.kind, line=i + 1, gap_before=0) for i, p in enumerate(pieces)]


def _quick_date(tree: etree._Element, url: Optional[str]) -> Optional[str]:
    """htmldate's cheap steps only: a date in the URL, the meta tags, JSON-LD (no text search)."""
    try:
        from htmldate.core import examine_header, extract_url_date, json_search
        from htmldate.utils import Extractor
        from htmldate.validators import get_max_date, get_min_date

        options = Extractor(False, get_max_date(None), get_min_date(None), True, "%Y-%m-%d")
        return extract_url_date(url, options) or examine_header(tree, options) or json_search(tree, options)
    except Exception:  # internal htmldate API: fall back to no date rather than fail
        LOGGER.debug("date extraction failed", exc_info=True)
        return None


_JSON_LD = './/script[@type="application/ld+json" or @type="application/settings+json"]'


def _json_ld(tree: etree._Element, doc: Any) -> Any:
    """trafilatura's JSON-LD metadata step (title, author, sitename), about 2.5x cheaper.

    trafilatura minifies and unescapes each script's whole text in Python before
    parsing it (about 1 ms a page); here the text goes to ``json.loads`` as it is
    and only the few values taken from it are unescaped and trimmed. Scripts that
    are not valid JSON take trafilatura's own regex path, as before. On the dev
    pages 10 of 1,678 pages differ, mostly an ``&amp;`` now decoded in a site name.
    """
    from html import unescape

    from trafilatura import json_metadata as jm
    from trafilatura.metadata import JSON_MINIFY
    from trafilatura.utils import HTML_STRIP_TAGS, trim

    before = {name: getattr(doc, name) for name in ("title", "author", "sitename")}
    try:
        for script in tree.xpath(_JSON_LD):
            if not script.text:
                continue
            try:
                schema = json.loads(script.text, strict=False)
            except ValueError:
                doc = jm.extract_json_parse_error(jm.normalize_json(JSON_MINIFY.sub(r"\1", script.text)), doc)
                continue
            if isinstance(schema, (dict, list)):
                doc = jm.extract_json(schema, doc)
    except Exception:  # odd JSON-LD shapes crash trafilatura's reader: keep what was found so far
        LOGGER.debug("JSON-LD metadata failed", exc_info=True)
    for name, was in before.items():
        value = getattr(doc, name)
        if isinstance(value, str) and value != was:
            setattr(doc, name, trim(HTML_STRIP_TAGS.sub("", unescape(value))) or None)
    return doc


def _metadata(tree: etree._Element, url: Optional[str]) -> Metadata:
    """trafilatura's cheap metadata steps: meta tags, JSON-LD, title, canonical URL, date.

    Left out for speed: the author search in the page body (a deep copy and many
    XPaths, about a third of a plain extraction), the date search in the page
    text, categories, tags, licence.
    """
    from trafilatura import metadata as tm

    doc = tm.examine_meta(tree)
    if doc.author and " " not in doc.author:
        doc.author = None
    doc = _json_ld(tree, doc)
    title = doc.title or tm.extract_title(tree)
    page_url = doc.url or tm.extract_url(tree, url)
    date = _quick_date(tree, page_url)
    sitename = (doc.sitename or tm.extract_sitename(tree) or "").lstrip("@") or None
    return Metadata(title=title, author=doc.author, date=date, url=page_url, sitename=sitename)


# trafilatura's parser settings with a class lookup that runs in C. lxml.html's own lookup calls
# Python for every element object lxml makes (every step of every tree walk, trafilatura's
# included): about 5 ms of a 70 ms page on the dev sets, same output. Every element is then a
# plain HtmlElement (no FormElement or InputElement), which neither trafilatura nor cleaner needs.
# ``huge_tree``: libxml2 stops at 256 nested elements without it (2,048 with it) and keeps only
# what came before; a page of unclosed <div>s, whose text is deeper, came out empty.
_PARSER = lxml_html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                               remove_comments=True, remove_pis=True, huge_tree=True)
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment, pi=lxml_html.HtmlProcessingInstruction,
    entity=lxml_html.HtmlEntity))


# What trafilatura's ``repair_faulty_html`` deletes first (its ``INVALID_XML_CHARS``): C0 controls
# but tab, newline and carriage return, as UTF-8 bytes; and U+FFFE, U+FFFF.
_XML_INVALID_BYTES = bytes(c for c in range(32) if c not in (9, 10, 13))


def _clean_utf8(html: str) -> Optional[bytes]:
    """``html`` as UTF-8 when it encodes and holds none of the characters trafilatura's repair
    deletes (then that deletion, a regex pass over the whole page of about 0.8 ms, changes
    nothing); None otherwise (a lone surrogate, a control character: the repair as it is), and
    for a page that opens with non-ASCII space (U+00A0, U+3000...): lxml tells a document from a
    fragment by ``^\\s*<html``, which reads such space as a space in a str and not in bytes."""
    lead = len(html) - len(html.lstrip())
    if lead and not html[:lead].isascii():
        return None
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError:
        return None
    if len(data.translate(None, _XML_INVALID_BYTES)) != len(data) or "\ufffe" in html or "\uffff" in html:
        return None
    return data


def _repair_lines(html: str, beginning: str) -> str:
    """trafilatura's ``repair_faulty_html`` on a page without its invalid characters (``_clean_utf8``):
    the same steps after its deletion, which would delete nothing (a trafilatura without these
    patterns: its own repair)."""
    try:
        from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML
    except ImportError:
        from trafilatura.utils import repair_faulty_html
        return repair_faulty_html(html, beginning)
    if "doctype" in beginning:
        firstline, _, rest = html.partition("\n")
        html = DOCTYPE_TAG.sub("", firstline, count=1) + "\n" + rest
    for line in html[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            html = FAULTY_HTML.sub(r"\1>", html, count=1)
            break
    return html


def _parse(html: str) -> Optional[etree._Element]:
    """trafilatura's ``load_html`` for a string, on ``_PARSER``: the same repairs, the same tree
    (read from the page's UTF-8 bytes when that gives the same, see ``_clean_utf8``), the same
    refusal of a dubious page whose root has fewer than two children."""
    from trafilatura.utils import is_dubious_html, repair_faulty_html

    beginning = html[:50].lower()
    data = _clean_utf8(html)
    if data is None:
        html = repair_faulty_html(html, beginning)
    else:
        repaired = _repair_lines(html, beginning)
        if repaired != html:
            html, data = repaired, repaired.encode("utf-8")
    tree = None
    try:
        # Parsed as UTF-8 bytes when the text encodes cleanly: the same tree (``_PARSER`` reads
        # bytes as UTF-8 whatever the page declares), about 0.2 ms a page faster than a str.
        tree = lxml_html.fromstring(html if data is None else data, parser=_PARSER)
    except Exception:  # ValueError: a str with an encoding declaration, lxml wants bytes
        pass
    if data is None and (tree is None or len(tree) < 1):
        try:
            tree = lxml_html.fromstring(html.encode("utf8", "surrogatepass"), parser=_PARSER)
        except Exception:
            tree = None
    elif tree is None or len(tree) < 1:  # as a str first, this tree would have been taken only if better
        try:
            again = lxml_html.fromstring(html, parser=_PARSER)
            tree = again if again is not None and len(again) >= 1 else tree
        except Exception:  # ValueError: an encoding declaration (the bytes' tree stands, as before)
            pass
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree


def _load(html: str) -> Optional[etree._Element]:
    """Parse ``html`` as trafilatura's loader does (``_parse``); None for empty or unparsable input.

    A fragment ("<p>...</p>", a CMS field) is read as the body of a document: the
    loader refuses some fragments and roots others at their first element, and
    trafilatura then extracted nothing from them.
    """
    if not html or not html.strip():
        return None
    try:
        tree = _parse(html)
        if tree is None or tree.tag != "html":
            tree = _parse(f"<html><body>{html}</body></html>")
        return tree
    except Exception:  # lxml raises a zoo of errors on broken markup
        return None


class _Recorder(threading.local):
    """Per-thread slots for what trafilatura computes in its own pass: the readability
    candidate, and the text of its fallback ("baseline") when it tried one."""

    active: bool = False
    candidate: Optional[etree._Element] = None
    fallback: Optional[str] = None


_RECORDER = _Recorder()


def _recording_readability(tree: etree._Element) -> etree._Element:
    """trafilatura's ``try_readability``, unchanged, keeping the first result while recording."""
    result = _ORIGINAL_READABILITY(tree)
    if _RECORDER.active and _RECORDER.candidate is None:
        _RECORDER.candidate = result
    return result


def _recording_baseline(tree: Any) -> Tuple[etree._Element, str, int]:
    """trafilatura's ``baseline`` fallback, unchanged, keeping its text while recording."""
    result = _ORIGINAL_BASELINE(tree)
    if _RECORDER.active:
        _RECORDER.fallback = result[1]
    return result


def _install_recorder() -> bool:
    """Wrap ``trafilatura.external.try_readability`` and ``trafilatura.core.baseline`` once
    (they return what they always did).

    False when this trafilatura has no such readability function (a future release):
    then nothing is recorded (no second opinion, and a fallback page stays one block),
    and extraction goes on without them; so it does without a ``baseline`` to wrap.
    """
    global _ORIGINAL_READABILITY, _ORIGINAL_BASELINE
    try:
        from trafilatura import core
        baseline = core.baseline
        if baseline is not _recording_baseline:
            _ORIGINAL_BASELINE = baseline
            core.baseline = _recording_baseline
    except (ImportError, AttributeError):
        pass
    try:
        from trafilatura import external
        current = external.try_readability
    except (ImportError, AttributeError):
        return False
    if current is not _recording_readability:
        _ORIGINAL_READABILITY = current
        external.try_readability = _recording_readability
    return True


_ORIGINAL_READABILITY = None  # set by _install_recorder
_ORIGINAL_BASELINE = None


def _body(tree: etree._Element, url: Optional[str]) -> Tuple[Optional[etree._Element], Optional[etree._Element], bool]:
    """trafilatura's main-content tree (XML tags, comments excluded) and, from the same pass,
    the readability candidate trafilatura compared it with (None in its fast paths), and
    whether that tree is its fallback's (it found too little main content)."""
    _RECORDER.active, _RECORDER.candidate, _RECORDER.fallback = _install_recorder(), None, None
    try:
        doc = trafilatura.bare_extraction(tree, url=url, include_comments=False, with_metadata=False,
                                          include_tables=True, output_format="python")
        candidate, fallback = _RECORDER.candidate, _RECORDER.fallback
    finally:
        _RECORDER.active, _RECORDER.candidate, _RECORDER.fallback = False, None, None
    body = None if doc is None else doc.body
    fell_back = bool(fallback) and body is not None and _compact("".join(body.itertext())) == _compact(fallback)
    return body, candidate, fell_back


class Extraction(NamedTuple):
    """What HTML mode hands the engine: every piece trafilatura returned, as blocks, and
    the removals of those cleaner drops at extraction (the rest is "not extracted")."""

    blocks: List[Block]
    metadata: Metadata
    removals: List[Removal]


# (rule id, reason) of each extraction step that drops pieces.
OUTSIDE_STORY = ("extract-outside-story",
                 "outside the story trafilatura and readability agree on, and not in readability's")
SIBLING_LISTS = ("extract-sibling-list", "")  # only adds pieces: it never drops one
HEADLINE = ("extract-headline", "repeats the page title: the headline is metadata")
LONE_LINK = ("extract-lone-link", "a paragraph that is only one link's text: a call to action or teaser")
PROMO_BOX = ("extract-widget", "the text of an element inside a small box whose class or id names a pop-up, "
             "promotion, ad, sign-up or legal box (a text of 8+ words stays when the page has it more often "
             "than its boxes do)")
DECLARED_BOX = ("extract-declared-box", "the text of an element inside a dialog (<dialog>, role=dialog/alertdialog, "
                "aria-modal) or a small data-nosnippet element, not found more often elsewhere on the page")


def _audited(pieces: List[_Piece], steps: Sequence[Tuple[Tuple[str, str], Callable[[List[_Piece]], List[_Piece]]]]
             ) -> Tuple[List[_Piece], Dict[int, Tuple[str, str]]]:
    """Run the filtering ``steps`` in order; the pieces to number as blocks, and why each dropped one went.

    A step returns some of the pieces it got (the same objects), in order, and
    may add new ones among them (readability's pieces put back in the story,
    the other half of a split story): each new piece joins
    the page right after the piece it follows. When readability's candidate
    replaces trafilatura's pieces, the step returns none of them: the new ones
    become the page, and nothing is recorded as dropped.
    """
    page, alive, why = pieces, pieces, {}
    for because, step in steps:
        try:
            after = step(alive)
        except Exception:  # a step that fails leaves the pieces as they were, not the page empty
            LOGGER.debug("extraction step %s failed", because[0], exc_info=True)
            continue
        before = {id(p) for p in alive}
        if after and not any(id(p) in before for p in after):
            page, alive, why = after, after, {}
            continue
        follows: Dict[Optional[int], List[_Piece]] = {}
        last = None  # id of the piece a new one follows (None: above every piece)
        for p in after:
            if id(p) in before:
                last = id(p)
            else:
                follows.setdefault(last, []).append(p)
        if follows:
            page = follows.get(None, []) + [q for p in page for q in (p, *follows.get(id(p), ()))]
        kept = {id(p) for p in after}
        why.update((id(p), because) for p in alive if id(p) not in kept)
        alive = after
    return page, why


def extract_page(html: str, url: Optional[str] = None) -> Extraction:
    """The pieces trafilatura extracts from ``html`` as blocks, the removals of the ones that
    are not main body (headline, lone link, outside the story, promo box, declared box), and the
    page's metadata. Raises :class:`ExtractionError` when the page cannot be read (nested
    deeper than the parser goes, or trafilatura failed on it)."""
    tree = _load(html)
    if tree is None:
        return Extraction([], Metadata(url=url), [])
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in _PARSER.error_log):
        raise ExtractionError("the page is nested deeper than the HTML parser reads (2,048 elements): "
                              "the parser stops there and loses the rest")
    try:
        metadata = _metadata(tree, url)
    except Exception:
        LOGGER.debug("metadata extraction failed", exc_info=True)
        metadata = Metadata(url=url)
    try:
        body, candidate, fell_back = _body(tree, url)
        found = tree_pieces(body)
        pieces = fallback_lines(tree, found) if fell_back else found
        as_lines = pieces is not found  # a listing's items are link lines: the lone-link step is not for them
        boxes = functools.cache(lambda: find_boxes(tree))  # one walk for both box steps
        page_text = functools.cache(lambda: fold_space(tree.text_content()))  # read once, if needed
        # After readability's second opinion (inserted first below), before the steps that drop.
        steps = [(SIBLING_LISTS, lambda ps: fill_sibling_lists(ps, tree)),
                 (HEADLINE, lambda ps: drop_headline(ps, metadata.title)),
                 # The page's links are read only when some piece could be a lone one.
                 (LONE_LINK, lambda ps: drop_link_paragraphs(ps, link_texts(tree))
                  if not as_lines and any(map(_short_paragraph, ps)) else ps),
                 (PROMO_BOX, lambda ps: drop_box_pieces(ps, boxes().named, page_text) if ps else ps),
                 # Declared boxes can be large (a drawer of the story's headings): every text is
                 # kept that the page has more often than the boxes do.
                 (DECLARED_BOX, lambda ps: drop_box_pieces(ps, boxes().declared, page_text, 0) if ps else ps)]
        if candidate is not None:
            steps.insert(0, (OUTSIDE_STORY, lambda ps: reconcile(ps, candidate, url, tree)))
        pieces, why = _audited(pieces, steps)
    except Exception as error:
        raise ExtractionError(f"HTML extraction failed: {type(error).__name__}: {error}") from error
    blocks = to_blocks(pieces)
    removals = [Removal(b.index, why[id(p)][0], "extract", why[id(p)][1])
                for b, p in zip(blocks, pieces) if id(p) in why]
    return Extraction(blocks, metadata, removals)


def extract_html(html: str, url: Optional[str] = None) -> Tuple[List[Block], Metadata]:
    """The main-content blocks of ``html`` (what extraction keeps) and the page's metadata."""
    blocks, metadata, removals = extract_page(html, url)
    gone = {r.index for r in removals}
    return [b for b in blocks if b.index not in gone], metadata


def visible_text(html: str) -> str:
    """The page's whole visible text, menus and footers included, one line a block, as
    inscriptis renders it (the text-mode inputs of the dev sets were made the same way, so
    the detector reads the kind of text it was trained on); ``""`` when it cannot.

    >>> visible_text("<body><nav><a href='/'>Home</a></nav><p>The council met.</p></body>").splitlines()
    ['Home', '', 'The council met.']
    """
    try:
        from inscriptis import get_text
        return get_text(html)
    except Exception:  # a page inscriptis cannot read: the HTML result stands
        LOGGER.debug("visible text rendering failed", exc_info=True)
        return ""


def _words(text: str) -> str:
    """Lower-cased word tokens, space-joined and padded (for whole-word containment)."""
    return " " + " ".join(word_tokens(text.lower())) + " "


def _word_total(words: str) -> int:
    """Words in a :func:`_words` string."""
    return len(words.split())


_cached_words = functools.lru_cache(maxsize=4096)(_words)
# Texts up to this long are remembered (a page's paragraphs; not a piece of megabytes).
_CACHED_TEXT = 2000


def _piece_words(text: str) -> str:
    """:func:`_words` of a piece's text, which reconcile, fill_gaps and fill_sibling_lists read in turn."""
    return _cached_words(text) if len(text) <= _CACHED_TEXT else _words(text)


def _same_title(text: str, title: str) -> bool:
    """``text`` is the headline: equal to ``title``'s words, or most of one inside the other."""
    a, b = _words(text), _words(title)
    if len(a) <= 2 or len(b) <= 2:
        return False
    short, long_ = sorted((a, b), key=len)
    return short in long_ and len(short) >= HEADLINE_OVERLAP * len(long_)


def drop_headline(pieces: List[_Piece], title: Optional[str]) -> List[_Piece]:
    """Remove the first heading or paragraph near the top that repeats the page title.

    Not when it is the only piece: then it is the page's whole text (a short post
    or note under its own title), and dropping it would leave nothing.
    """
    if not title or len(pieces) < 2:
        return pieces
    for i, piece in enumerate(pieces[:HEADLINE_WINDOW]):
        if piece.kind in ("heading", "paragraph") and _same_title(piece.text, title):
            return pieces[:i] + pieces[i + 1:]
    return pieces


def link_texts(tree: etree._Element) -> Set[str]:
    """The folded texts of the page's links (``<a href>``), from the original tree."""
    out = set()
    for a in tree.iter("a"):
        if a.get("href") is not None:
            text = fold_space(a.text_content())
            if text:
                out.add(text)
    return out


def _short_paragraph(piece: _Piece) -> bool:
    """A paragraph short enough to be a call to action (what ``drop_link_paragraphs`` may drop)."""
    return piece.kind == "paragraph" and len(piece.text.split()) <= LINK_PARAGRAPH_WORDS


def drop_link_paragraphs(pieces: List[_Piece], links: Set[str]) -> List[_Piece]:
    """Remove short paragraphs that are exactly a link's text, unless a neighbour is one too."""
    is_link = [p.text in links for p in pieces]

    def lone_link(i: int, piece: _Piece) -> bool:
        if not is_link[i] or not _short_paragraph(piece):
            return False
        return not ((i > 0 and is_link[i - 1]) or (i + 1 < len(pieces) and is_link[i + 1]))

    return [p for i, p in enumerate(pieces) if not lone_link(i, p)]


# An element whose class or id names a pop-up, promotion, ad, sign-up or legal box (the
# site's own word for it, English whatever the page's language) holds that box, not the story.
BOX_WORDS = ("promo", "promos", "promotion", "popup", "pop-up", "modal", "dialog", "lightbox", "tooltip",
             "newsletter", "subscribe", "signup", "sign-up", "sponsored", "billboard", "cookie", "consent",
             "disclaimer", "usp")
# One of them as a whole word of a class name (not "promotional"), or a word that starts with
# "advert" (advertisement, advertise-with-us, advert_slot).
BOX_CLASS = regex.compile(r"(?<![a-z])(?:(?:" + "|".join(BOX_WORDS) + r")(?![a-z])|advert)", regex.I)
# The same words anywhere in a lower-cased name: a cheap first test for every element of the page
# (class names are ASCII in practice; a name that only Unicode case folding would match is missed).
_ANY_BOX_WORD = re.compile("|".join(BOX_WORDS + ("advert",)))
# Class names that file a post under a topic (WordPress ``tag-cookie``, ``category-sponsored``) name no box.
_TOPIC_CLASS = regex.compile(r"(?<!\S)(?:tag|tags|category|categories|topic|topics)-\S*")
# The tags a box can be: containers and text elements. Page-level elements (html, body, main,
# article: a saved page's ``body.modal-open``) are never one. Links, images, scripts, buttons,
# inputs, icons and custom elements (``<cookie-consent>``) are not looked at: that spares a
# third of the walk and lost 10 of 528 removals on the train split (a box that is a link).
_BOX_TAGS = ("div", "section", "aside", "span", "p", "ul", "ol", "li", "dl", "dd", "dt", "figure",
             "figcaption", "form", "dialog", "details", "summary", "header", "footer", "nav", "table",
             "tr", "td", "th", "ins", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em",
             "b", "small", "label", "center", "font")
# A box holds at most this many words (not counting scripts, styles, noscripts): a larger element is a
# layout wrapper that happens to carry the word.
BOX_MAX_WORDS = 120
# A box text of this many words that occurs outside the boxes too is the story's, repeated (shorter
# ones, "Gallery", "Sign up", occur as parts of other text and are not looked for).
BOX_REPEAT_WORDS = 8


@functools.lru_cache(maxsize=8192)
def _names_a_box(value: str) -> bool:
    """True when a class or id value holds one of ``BOX_CLASS``'s words (topic tags aside).
    Remembered: a page repeats its class values, and a site its pages'."""
    if not _ANY_BOX_WORD.search(value.lower()):  # the cheap test first: most values hold no box word
        return False
    if "-" in value:
        value = _TOPIC_CLASS.sub(" ", value)
    return BOX_CLASS.search(value) is not None


_UNCOUNTED = frozenset({"script", "style", "noscript"})


def _inside_uncounted(inner: etree._Element, box: etree._Element) -> bool:
    """True when a script, style or noscript between ``inner`` and ``box`` holds ``inner``."""
    for above in inner.iterancestors():
        if above is box:
            return False
        if above.tag in _UNCOUNTED:
            return True
    return False


def _small(el: etree._Element) -> bool:
    """At most ``BOX_MAX_WORDS`` words of text, what is inside scripts, styles and noscripts not
    counted (stops counting as soon as there are more: a page wrapper is not read to its end).
    Words are counted per text node, so "<b>un</b>done" counts two."""
    words, skipped = 0, False
    for inner in el.iter():
        if skipped and _inside_uncounted(inner, el):
            continue  # inside a script, style or noscript: its text and its children's tails
        if inner.tag in _UNCOUNTED:
            skipped = True
        elif inner.text and isinstance(inner.tag, str):
            words += len(inner.text.split())
        if inner.tail and inner is not el:
            words += len(inner.tail.split())
        if words > BOX_MAX_WORDS:
            return False
    return True


# A dialog that holds one of these is a story shown as an overlay (an article opened from a list),
# not a pop-up. Not an h1: the "republish this story" modal of nonprofit news sites repeats the
# headline above its licence text (train split: one page, -0.22, with h1 here).
_HOLDS_A_STORY = etree.XPath("boolean(descendant::article | descendant::main"
                             " | descendant::*[@itemprop='articleBody'])")


# The attributes ``_declares_a_box`` reads: an element with none of them (and not a <dialog>)
# declares no box, which ``find_boxes`` tells without calling it.
_DECLARING_ATTRIBUTES = frozenset(("role", "aria-modal", "data-nosnippet"))


def _declares_a_box(el: etree._Element) -> bool:
    """True when ``el``'s markup declares it an overlay (a ``<dialog>``, ``role="dialog"`` or
    ``"alertdialog"``, ``aria-modal="true"``) that holds no story (``_HOLDS_A_STORY``), or keeps it
    out of search snippets (``data-nosnippet``) and it is small (``_small``: sites also mark
    article paragraphs so). Role token lists ("dialog document") and other letter cases are not read.
    """
    if el.tag == "dialog" or el.get("role") in ("dialog", "alertdialog") or el.get("aria-modal") == "true":
        return not _HOLDS_A_STORY(el)
    return el.get("data-nosnippet") is not None and _small(el)


class Boxes(NamedTuple):
    """The boxes of a page, outermost ones of each kind, in page order."""

    #: small elements whose class or id names a pop-up, promotion, ad, sign-up or legal box
    named: List[etree._Element]
    #: elements that declare themselves a dialog (of any size, holding no story), or small ones
    #: kept out of search snippets
    declared: List[etree._Element]


def find_boxes(tree: etree._Element) -> Boxes:
    """The page's boxes of both kinds, from one walk over its container and text elements
    (``_BOX_TAGS``: html/body/main/article are never boxes). An element may be of both kinds.

    >>> from lxml import html
    >>> page = html.document_fromstring('<body class="modal-open"><p>Story.</p><div class="nl-signup"><p>Join</p></div>'
    ...                                 '<div role="dialog"><div aria-modal="true"><p>Cookies</p></div></div></body>')
    >>> boxes = find_boxes(page)
    >>> [box.get("class") for box in boxes.named], [box.get("role") for box in boxes.declared]
    (['nl-signup'], ['dialog'])
    """
    named: List[etree._Element] = []
    declared: List[etree._Element] = []
    for el in tree.iter(*_BOX_TAGS):
        keys = el.keys()  # most elements have no attribute, or none _declares_a_box reads
        if (el.tag == "dialog" or keys and not _DECLARING_ATTRIBUTES.isdisjoint(keys)) \
                and _declares_a_box(el) and not (declared and _inside(el, declared[-1])):
            declared.append(el)  # (page order: no box found before the last one can hold it)
        if not keys:
            continue
        name = el.get("class")
        if not (name and _names_a_box(name)):
            name = el.get("id")
            if not (name and _names_a_box(name)):
                continue
        if not (named and _inside(el, named[-1])) and _small(el):
            named.append(el)
    return Boxes(named, declared)


def _inside(el: etree._Element, box: etree._Element) -> bool:
    """True when ``box`` holds ``el``."""
    return any(above is box for above in el.iterancestors())


def drop_box_pieces(pieces: List[_Piece], boxes: List[etree._Element], page_text: Callable[[], str],
                    repeat_words: int = BOX_REPEAT_WORDS) -> List[_Piece]:
    """Remove the pieces whose text is an element's text inside one of ``boxes`` (``find_boxes``),
    unless it is a text of ``repeat_words`` or more words that occurs more often in the page's
    folded text (``page_text()``, called only then) than inside the boxes (a paragraph of the story
    that a pop-up repeats; with ``repeat_words=0`` also a heading that a table-of-contents drawer
    repeats). Never removes every piece.
    """
    if not boxes:
        return pieces
    boxed = "\n".join(fold_space(box.text_content()) for box in boxes)
    texts = {p.text for p in pieces if p.text in boxed}  # a cheap first test: part of a box's text
    if not texts:
        return pieces
    found = {t for box in boxes for inner in box.iter() if isinstance(inner.tag, str)
             for t in (fold_space(inner.text_content()),) if t in texts}
    gone = {t for t in found if len(t.split()) < repeat_words}
    if len(gone) < len(found):
        page = page_text()
        gone |= {t for t in found - gone if page.count(t) <= boxed.count(t)}
    kept = [p for p in pieces if p.text not in gone]
    return kept or pieces


# Readability's candidate (computed inside trafilatura's pass) as a second opinion.
# It is credible when it holds this share of trafilatura's words and at least this many words.
READABILITY_COVER = 0.7
READABILITY_MIN_WORDS = 50
# Each piece is looked for in the candidate's text: on a giant page (56,000 paragraphs) that is
# quadratic, so over this many characters scanned (10x the most a dev page needs) trafilatura's
# pieces stand.
READABILITY_MAX_SCAN = 1_000_000_000
# Above the shared story, a piece longer than this is a lead readability skipped: kept.
READABILITY_LEAD_WORDS = 30
# It replaces trafilatura's text when it is this much longer and holds this share of it.
READABILITY_LONGER = 1.5
READABILITY_LONGER_COVER = 0.5
# Two halves of one story: no shared piece (under this share of trafilatura's words), the
# candidate at least this much longer, and a content-word overlap in [low, high) of trafilatura's content words.
SPLIT_SHARED = 0.1
SPLIT_LONGER = 1.1
SPLIT_VOCABULARY = (0.25, 0.9)
CONTENT_WORD_CHARS = 4


def readability_pieces(candidate: etree._Element, url: Optional[str]) -> List[_Piece]:
    """The readability candidate converted the way trafilatura converts it when it picks it."""
    from trafilatura.external import sanitize_tree
    from trafilatura.settings import Extractor

    options = Extractor(comments=False, tables=True, url=url)
    body, _ = sanitize_tree(deepcopy(candidate), options)
    return tree_pieces(body)


def _content_overlap(candidate: str, pieces: str) -> float:
    """The share of ``pieces``' content words (4+ characters, not numbers) that ``candidate``
    also holds (multiset overlap of two padded word strings). Function words are left
    out: any two texts of one language share them, comments on a story included."""
    def content(words: str) -> Counter:
        return Counter(w for w in words.split() if len(w) >= CONTENT_WORD_CHARS and not w.isdigit())
    mine = content(pieces)
    return sum((content(candidate) & mine).values()) / (sum(mine.values()) or 1)


def _in_page_order(first: List[_Piece], second: List[_Piece], tree: Optional[etree._Element]) -> List[_Piece]:
    """The two runs of pieces in the order their opening pieces appear in the page (``first``
    first when the page text cannot tell)."""
    if tree is None or not first or not second:
        return first + second
    text = _words(" ".join(tree.itertext()))
    a, b = text.find(_words(first[0].text)), text.find(_words(second[0].text))
    return second + first if 0 <= b < a else first + second


def reconcile(pieces: List[_Piece], candidate: etree._Element, url: Optional[str],
              tree: Optional[etree._Element] = None) -> List[_Piece]:
    """Use readability's candidate as a second opinion on trafilatura's pieces.

    * It holds most of trafilatura's text and is much longer: trafilatura stopped
      short (a story split over several containers); take readability's pieces.
    * It shares no piece with trafilatura, is longer, and yet much of its
      vocabulary is trafilatura's (25-90 % of trafilatura's content words, of 4+
      characters, counted as a bag): the two extractors each took one half of
      a story the page split over two containers (a layout break, an inline ad or a "read more" fold
      between them). Same topic, different sentences; keep both, in page order.
      Unrelated candidates (a sidebar) and comments on the story share fewer
      content words (over all words, function words put comments at ~50 %),
      and the same text cut into other pieces shares more. (Train split, blocks
      alone: scrapinghub 0.972 -> 0.977, wcxb articles 0.947 -> 0.949.)
    * It holds most of trafilatura's text: pieces before the first and after the
      last one it shares, which it does not have, are the page around the story
      (teasers, promo boxes, author notes); dropped, except a long piece above
      it (a lead paragraph readability skipped). Pieces between are kept
      (readability misses in-body headings and lists more often than trafilatura).
    * It shares a piece with trafilatura (any share, past the two cases that
      return above): the list items, headings and table rows it has between two
      shared pieces, which trafilatura lacks, are put back (``fill_gaps``).
    """
    cand_words = _words(" ".join(candidate.itertext()))
    cand_count = _word_total(cand_words)
    if cand_count < READABILITY_MIN_WORDS or len(cand_words) * len(pieces) > READABILITY_MAX_SCAN:
        return pieces
    piece_words = [_piece_words(p.text) for p in pieces]
    inside = [w in cand_words for w in piece_words]
    sizes = list(map(_word_total, piece_words))
    total = sum(sizes)
    shared = sum(n for n, i in zip(sizes, inside) if i)
    if total == 0 or (cand_count >= READABILITY_LONGER * total and shared >= READABILITY_LONGER_COVER * total):
        return readability_pieces(candidate, url) or pieces
    if shared < SPLIT_SHARED * total and cand_count >= SPLIT_LONGER * total:
        low, high = SPLIT_VOCABULARY
        if low <= _content_overlap(cand_words, " ".join(piece_words)) < high:
            return _in_page_order(pieces, readability_pieces(candidate, url), tree)
    if shared == 0:
        return pieces
    keep = list(range(len(pieces)))
    if shared >= READABILITY_COVER * total:  # credible enough to trim the page around the story
        first = inside.index(True)
        last = len(inside) - 1 - inside[::-1].index(True)
        keep = [i for i in keep
                if inside[i] or first <= i <= last or (i < first and sizes[i] > READABILITY_LEAD_WORDS)]
    kept = [pieces[i] for i in keep]
    if not _lacks_a_gap_piece(candidate, "".join(piece_words)):
        return kept
    return fill_gaps(kept, readability_pieces(candidate, url), [piece_words[i] for i in keep])


# A paragraph of this many words or more (or any heading) next to a list anchors it.
SIBLING_ANCHOR_WORDS = 5
# A list trafilatura kept a piece of this many words of (an item's lines as pieces of their
# own) is not put back.
SIBLING_KEPT_WORDS = 4
# A list whose words are this much its links' words is a list of links (related stories, tags).
SIBLING_LINK_SHARE = 0.7
# Looking for a list's texts in the page's pieces reads the pieces' words once a text: past
# this many characters read in all, the page keeps its pieces as they are (a page of thousands
# of lists; the dev pages need at most a few million).
SIBLING_MAX_SCAN = 100_000_000
_ANCHOR_TAGS = ("p", "h2", "h3", "h4", "h5", "h6")


def _element_sibling(el: etree._Element, step: int) -> Optional[etree._Element]:
    """The previous (step -1) or next element sibling of ``el``, comments and PIs skipped."""
    sib = el.getprevious() if step < 0 else el.getnext()
    while sib is not None and not isinstance(sib.tag, str):
        sib = sib.getprevious() if step < 0 else sib.getnext()
    return sib


def _link_share(el: etree._Element) -> float:
    """The share of ``el``'s words that are its links' words."""
    total = _word_total(_words(el.text_content()))
    linked = sum(_word_total(_words(a.text_content())) for a in el.iter("a"))
    return linked / total if total else 0.0


def fill_sibling_lists(pieces: List[_Piece], tree: Optional[etree._Element]) -> List[_Piece]:
    """``pieces`` with the lists trafilatura dropped from the story's run of paragraphs put back.

    A <ul> or <ol> none of whose items trafilatura kept goes back, one list
    item a piece, right after the piece of its previous element sibling, when
    * its previous and next element siblings (<p> or <h2>-<h6>) are two
      consecutive pieces (a paragraph of ``SIBLING_ANCHOR_WORDS``+ words, or a
      heading): an in-body list ("the findings:", "key points") between two
      blocks trafilatura kept;
    * or it is the last element of its container (not the page's body), right
      after a kept paragraph, and its words are not mostly its links' words
      (``SIBLING_LINK_SHARE``: a closing list of prose items goes back, a
      related-links list stays out).
    A list whose items hold an image or figure (a gallery's captions) stays
    out, and so does a list an item of which is a piece already or of which a
    piece holds a line of ``SIBLING_KEPT_WORDS``+ words.
    """
    if tree is None or not pieces:
        return pieces
    placed = []  # (list, its previous and next element siblings) where the markup allows one
    for el in tree.iter("ul", "ol"):
        before, below = _element_sibling(el, -1), _element_sibling(el, 1)
        if before is not None and before.tag in _ANCHOR_TAGS and (
                below.tag in _ANCHOR_TAGS if below is not None else before.tag == "p"):
            placed.append((el, before, below))
    if not placed:
        return pieces
    words = [_piece_words(p.text) for p in pieces]
    index: Dict[str, int] = {}  # an anchor piece's words -> its position
    for i, (p, w) in enumerate(zip(pieces, words)):
        if (p.kind == "paragraph" and _word_total(w) >= SIBLING_ANCHOR_WORDS) or (p.kind == "heading" and w.strip()):
            index.setdefault(w, i)
    if len(index) < 2:
        return pieces
    held, whole = "".join(words), set(words)
    budget = SIBLING_MAX_SCAN
    after: Dict[int, List[_Piece]] = {}
    for el, before, below in placed:
        i = index.get(_words(before.text_content()))
        if i is None or (below is not None and index.get(_words(below.text_content())) != i + 1):
            continue
        lis = list(el.iterchildren("li"))
        if any(li.find(".//img") is not None or li.find(".//figure") is not None for li in lis):
            continue  # a gallery's captions
        if below is None and (el.getparent() is None or el.getparent().tag == "body"
                              or _link_share(el) >= SIBLING_LINK_SHARE):
            continue  # a list closing the page's body, or related stories under the story
        try:
            items = [t for t in (fold_space(_inline(li)) for li in lis) if _WORD.search(t)]
        except RecursionError:  # an item nested thousands of elements deep
            continue
        lines = [w for w in map(_words, el.itertext()) if _word_total(w) >= SIBLING_KEPT_WORDS]
        budget -= len(held) * len(lines)
        if budget < 0:
            return pieces
        if not items or any(_words(t) in whole for t in items) or any(w in held for w in lines):
            continue  # trafilatura kept the list, or part of it (an item's lines as pieces of their own)
        after.setdefault(i, []).extend(_Piece("list_item", t) for t in items)
    if not after:
        return pieces
    return [q for i, p in enumerate(pieces) for q in (p, *after.get(i, ()))]


# Pieces of these kinds that trafilatura left out between two pieces it shares with readability
# are put back (trafilatura drops in-body lists, subheadings and tables more often than paragraphs).
GAP_KINDS = ("list_item", "heading", "table")
# A shared piece of fewer words is looked for only next to the last one (a heading's word occurs
# in many paragraphs).
ANCHOR_WORDS = 4
_GAP_TAGS = ("li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr")


def _lacks_a_gap_piece(candidate: etree._Element, words: str) -> bool:
    """True when the candidate has a list item, heading or table row whose words are not in ``words``
    (the padded words of trafilatura's pieces): a cheap test before ``fill_gaps``."""
    return any(_words("".join(el.itertext())) not in words for el in candidate.iter(_GAP_TAGS))


def fill_gaps(pieces: List[_Piece], found: List[_Piece], words: Optional[List[str]] = None) -> List[_Piece]:
    """``pieces`` with the list items, headings and table rows of ``found`` (readability's
    pieces, in page order) that they lack, put back in the gaps they were taken from.

    A gap is a run of ``found`` between two of its pieces whose words ``pieces``
    hold (a piece of fewer than ``ANCHOR_WORDS`` words only in the piece that
    holds the last one or the next: "Background" is a word of many paragraphs).
    It is filled only when all it lacks are list items, headings and table
    rows: an in-body list, subheading or table trafilatura dropped while it
    kept the paragraphs around it. A gap that also lacks a paragraph (a
    teaser's kicker and its summary, a product card and its credit) is a box
    trafilatura left out on purpose, and stays out. Each piece put back
    follows the piece that holds the gap's opening piece. (Train split, blocks
    and rules: wcxb 0.8391 -> 0.8412, articles 0.9530 -> 0.9554, scrapinghub
    and snippets unchanged.)
    ``words``: the pieces' padded words (``_words``), when the caller has them.

    >>> story = [_Piece("paragraph", "The board met on Monday."), _Piece("paragraph", "It voted to act.")]
    >>> found = [story[0], _Piece("list_item", "Fix the pier"), _Piece("list_item", "Paint it"), story[1]]
    >>> [p.text for p in fill_gaps(story, found)]
    ['The board met on Monday.', 'Fix the pier', 'Paint it', 'It voted to act.']
    """
    words = words or [_piece_words(p.text) for p in pieces]
    held = "".join(words)
    after: Dict[int, List[_Piece]] = {}
    anchor: Optional[int] = None  # the piece of ``pieces`` holding the last shared piece
    gap: Optional[List[_Piece]] = None  # what the current gap lacks; None once it lacks another kind
    for piece in found:
        text = _piece_words(piece.text)
        if not text.strip():
            continue
        start = anchor or 0  # shared pieces come in order: look near the last one first
        at = next((i for i in range(start, min(start + 2, len(pieces))) if text in words[i]), None)
        if at is None and _word_total(text) >= ANCHOR_WORDS and text in held:
            at = next((i for i in range(start, len(pieces)) if text in words[i]), -1)
        if at is not None:
            if anchor is not None and gap:
                after.setdefault(anchor, []).extend(gap)
            anchor = at if at >= 0 else None  # -1: held only above the last shared piece
            gap = []
        elif gap is not None and piece.kind in GAP_KINDS:
            gap.append(piece)
        else:
            gap = None
    if not after:
        return pieces
    return [q for i, p in enumerate(pieces) for q in (p, *after.get(i, ()))]
