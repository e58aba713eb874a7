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
  is (see ``htmlmeta._json_ld``): trafilatura's own step unescapes the whole script text
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
parser settings and lxml's class lookup in C (``htmlparse.parser``), which saves about
5 ms a page in all, spread over trafilatura's pass and cleaner's walks.

This module runs the steps in order (:func:`extract_page`); each lives with what it
reads: ``htmlparse`` (the page as trafilatura parses it), ``second_opinion`` (trafilatura's
pass and its readability candidate: ``reconcile``, ``fill_gaps``, ``fill_sibling_lists``),
``pieces`` (trafilatura's tree walked into pieces, ``fallback_lines``), ``boxes`` (the promo
and declared boxes), ``htmlmeta`` (the page's metadata); the headline and lone-link steps
are here.
"""
from __future__ import annotations

import functools
import logging
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence, Set, Tuple

from lxml import etree

from .boxes import drop_box_pieces, find_boxes
from .document import Block, Metadata, Removal
from .errors import ExtractionError
from .htmlmeta import page_metadata
from .htmlparse import cut_at_depth, load_html
from .pieces import Piece, fallback_lines, padded_words, to_blocks, tree_pieces
from .second_opinion import fill_sibling_lists, reconcile, trafilatura_pass
from .segment import fold_space

LOGGER = logging.getLogger(__name__)

# The headline is looked for among the first pieces; one text must cover this share of the other.
HEADLINE_WINDOW = 3
HEADLINE_OVERLAP = 0.5
# A paragraph that is one link's whole text, up to this many words, is a call to action.
LINK_PARAGRAPH_WORDS = 15


class Extraction(NamedTuple):
    """What HTML mode hands the engine: every piece trafilatura returned, as blocks, and
    the removals of those cleaner drops at extraction (the rest is "not extracted")."""

    blocks: List[Block]
    metadata: Metadata
    removals: List[Removal]
    #: trafilatura checked its extraction against jusText, whose stoplists know next to none
    #: of the page's words, by their letters (:data:`cleaner.second_opinion.JUSTEXT_BLIND_SHARE`)
    justext_blind: bool = False


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


def _audited(pieces: List[Piece], steps: Sequence[Tuple[Tuple[str, str], Callable[[List[Piece]], List[Piece]]]]
             ) -> Tuple[List[Piece], Dict[int, Tuple[str, str]]]:
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
        follows: Dict[Optional[int], List[Piece]] = {}
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
    tree = load_html(html)
    if tree is None:
        return Extraction([], Metadata(url=url), [])
    too_deep = cut_at_depth()  # read now: it is the last parse's error log
    try:
        metadata = page_metadata(tree, url)
    except Exception:
        LOGGER.debug("metadata extraction failed", exc_info=True)
        metadata = Metadata(url=url)
    if too_deep:  # the head comes before the depth the parser stopped at
        raise ExtractionError("the page is nested deeper than the HTML parser reads (2,048 elements): "
                              "the parser stops there and loses the rest", metadata)
    try:
        body, candidate, fell_back, justext_blind = trafilatura_pass(tree, url)
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
        raise ExtractionError(f"HTML extraction failed: {type(error).__name__}: {error}", metadata) from error
    blocks = to_blocks(pieces)
    removals = [Removal(b.index, why[id(p)][0], "extract", why[id(p)][1])
                for b, p in zip(blocks, pieces) if id(p) in why]
    return Extraction(blocks, metadata, removals, justext_blind)


def extract_html(html: str, url: Optional[str] = None) -> Tuple[List[Block], Metadata]:
    """The main-content blocks of ``html`` (what extraction keeps) and the page's metadata."""
    blocks, metadata, removals, _ = extract_page(html, url)
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


def _same_title(text: str, title: str) -> bool:
    """``text`` is the headline: equal to ``title``'s words, or most of one inside the other."""
    a, b = padded_words(text), padded_words(title)
    if len(a) <= 2 or len(b) <= 2:
        return False
    short, long_ = sorted((a, b), key=len)
    return short in long_ and len(short) >= HEADLINE_OVERLAP * len(long_)


def drop_headline(pieces: List[Piece], title: Optional[str]) -> List[Piece]:
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


def _short_paragraph(piece: Piece) -> bool:
    """A paragraph short enough to be a call to action (what ``drop_link_paragraphs`` may drop)."""
    return piece.kind == "paragraph" and len(piece.text.split()) <= LINK_PARAGRAPH_WORDS


def drop_link_paragraphs(pieces: List[Piece], links: Set[str]) -> List[Piece]:
    """Remove short paragraphs that are exactly a link's text, unless a neighbour is one too."""
    is_link = [p.text in links for p in pieces]

    def lone_link(i: int, piece: Piece) -> bool:
        if not is_link[i] or not _short_paragraph(piece):
            return False
        return not ((i > 0 and is_link[i - 1]) or (i + 1 < len(pieces) and is_link[i + 1]))

    return [p for i, p in enumerate(pieces) if not lone_link(i, p)]
