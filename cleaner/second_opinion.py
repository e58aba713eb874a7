"""Readability's candidate from trafilatura's own pass, as a second opinion on trafilatura's
pieces: trim the page around the story, take a much longer candidate, join a story split in
two, and put back the lists, subheadings and table rows trafilatura left out."""
from __future__ import annotations

import logging
import threading
from collections import Counter
from copy import deepcopy
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

import regex
import trafilatura
from lxml import etree

from .pieces import Piece, compact, inline_text, padded_count, padded_piece_words, padded_words, tree_pieces
from .segment import fold_space
from .textshape import cut_short, ends_sentence

_WORD = regex.compile(r"\w+")  # keeps combining marks inside their words
LOGGER = logging.getLogger(__name__)


class _Recorder(threading.local):
    """Per-thread slots for what trafilatura computes in its own pass: the readability
    candidate, the text of its fallback ("baseline") when it tried one, and the share of
    the page's letters in words jusText's stoplist knows when it tried jusText."""

    active: bool = False
    candidate: Optional[etree._Element] = None
    fallback: Optional[str] = None
    stopword_share: Optional[float] = None


_RECORDER = _Recorder()

# trafilatura checks a short or unclean extraction against jusText, which keeps paragraphs
# dense in stopwords of its ~100 languages. On a page where its stoplist knows words of under
# this share of the letters (a language jusText lacks: Chinese, Japanese, Thai, Khmer...)
# jusText keeps nothing, and an extraction that stopped after the lead stands. Known
# languages' pages read 0.042 or more on the dev sets (a shop's price grid; the next 0.064;
# 0.25 or more on bench/languages.py's stories); Thai, Chinese, Japanese, Burmese there
# 0.007-0.022, English menus and share buttons included.
JUSTEXT_BLIND_SHARE = 0.035
SHARE_SAMPLE_CHARS = 10_000  # the share is taken over the page's text up to this length


_STOPSETS: Dict[int, Tuple[Any, frozenset]] = {}  # id -> (stoplist, its words as a set)


def _as_set(stoplist: Any) -> frozenset:
    """``stoplist`` as a frozenset, made once per stoplist object (trafilatura's list of all of
    jusText's languages is a tuple of 150,000 words)."""
    if isinstance(stoplist, frozenset):
        return stoplist
    held = _STOPSETS.get(id(stoplist))
    if held is None or held[0] is not stoplist:
        held = _STOPSETS[id(stoplist)] = (stoplist, frozenset(stoplist))
    return held[1]


def stopword_share(tree: etree._Element, stoplist: Any) -> Optional[float]:
    """The share of the letters of ``tree``'s text (its first ``SHARE_SAMPLE_CHARS``
    characters) in whitespace-separated words that are in ``stoplist`` (lower-cased, as jusText
    reads them); None for a page without words. Letters, not words: a Chinese paragraph is one
    such word, and a few English widget words beside it would outweigh it.

    >>> from lxml import html
    >>> stopword_share(html.fromstring("<p>The cat and the dog</p>"), ("the", "and"))
    0.6
    >>> round(stopword_share(html.fromstring("<p>市政府星期一宣布老火车站将改建为图书馆</p><p>Share on Facebook</p>"), ("on",)), 2)
    0.06
    """
    parts, size = [], 0
    for text in tree.itertext():
        parts.append(text)
        size += len(text)
        if size >= SHARE_SAMPLE_CHARS:
            break
    words = " ".join(parts).lower().split()
    letters = sum(map(len, words))
    if not letters:
        return None
    stop = _as_set(stoplist)
    return sum(len(w) for w in words if w in stop) / letters


def _recording_justext(*args: Any, **kwargs: Any) -> etree._Element:
    """trafilatura's ``try_justext(tree, url, target_language)``, unchanged, recording the
    stopword share of the page it reads against the stoplist of all jusText's languages (the
    one it reads: cleaner names no target language)."""
    if _RECORDER.active and args:
        try:
            from trafilatura import external
            _RECORDER.stopword_share = stopword_share(args[0], external.JT_STOPLIST or external.jt_stoplist_init())
        except Exception:  # another trafilatura: nothing recorded, nothing changes
            LOGGER.debug("jusText stopword share not recorded", exc_info=True)
    return _ORIGINAL_JUSTEXT(*args, **kwargs)


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
    global _ORIGINAL_READABILITY, _ORIGINAL_BASELINE, _ORIGINAL_JUSTEXT
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
    justext = getattr(external, "try_justext", None)
    if justext is not None and justext is not _recording_justext:
        _ORIGINAL_JUSTEXT = justext
        external.try_justext = _recording_justext
    return True


_ORIGINAL_READABILITY = None  # set by _install_recorder
_ORIGINAL_BASELINE = None
_ORIGINAL_JUSTEXT = None


class TrafilaturaPass(NamedTuple):
    """trafilatura's main-content tree (XML tags, comments excluded) and, from the same pass,
    the readability candidate trafilatura compared it with (None in its fast paths), whether
    that tree is its fallback's (it found too little main content), and whether it checked
    its extraction against jusText on a page whose language jusText's stoplists do not know
    (``JUSTEXT_BLIND_SHARE``)."""

    body: Optional[etree._Element]
    candidate: Optional[etree._Element]
    fell_back: bool
    justext_blind: bool


def trafilatura_pass(tree: etree._Element, url: Optional[str]) -> TrafilaturaPass:
    """Run trafilatura on ``tree`` once, recording what :class:`TrafilaturaPass` holds."""
    _RECORDER.active, _RECORDER.candidate, _RECORDER.fallback = _install_recorder(), None, None
    _RECORDER.stopword_share = None
    try:
        doc = trafilatura.bare_extraction(tree, url=url, include_comments=False, with_metadata=False,
                                          include_tables=True, output_format="python")
        candidate, fallback, share = _RECORDER.candidate, _RECORDER.fallback, _RECORDER.stopword_share
    finally:
        _RECORDER.active, _RECORDER.candidate, _RECORDER.fallback = False, None, None
        _RECORDER.stopword_share = None
    body = None if doc is None else doc.body
    fell_back = bool(fallback) and body is not None and compact("".join(body.itertext())) == compact(fallback)
    return TrafilaturaPass(body, candidate, fell_back, share is not None and share < JUSTEXT_BLIND_SHARE)


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
# So is the paragraph just above it when it is a sentence of this many words or more (a
# short standfirst; a teaser or promo line above a story rarely ends a sentence).
READABILITY_NEXT_LEAD_WORDS = 12
# It replaces trafilatura's text when it is this much longer and holds this share of it.
READABILITY_LONGER = 1.5
READABILITY_LONGER_COVER = 0.5
# Two halves of one story: no shared piece (under this share of trafilatura's words), the
# candidate at least this much longer, and a content-word overlap in [low, high) of trafilatura's content words.
SPLIT_SHARED = 0.1
SPLIT_LONGER = 1.1
SPLIT_VOCABULARY = (0.25, 0.9)
CONTENT_WORD_CHARS = 4


def readability_pieces(candidate: etree._Element, url: Optional[str]) -> List[Piece]:
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


def _in_page_order(first: List[Piece], second: List[Piece], tree: Optional[etree._Element]) -> List[Piece]:
    """The two runs of pieces in the order their opening pieces appear in the page (``first``
    first when the page text cannot tell)."""
    if tree is None or not first or not second:
        return first + second
    text = padded_words(" ".join(tree.itertext()))
    a, b = text.find(padded_words(first[0].text)), text.find(padded_words(second[0].text))
    return second + first if 0 <= b < a else first + second


def _a_lead(piece: Piece, words: int) -> bool:
    """A standfirst: a paragraph of ``READABILITY_NEXT_LEAD_WORDS``+ words that ends a sentence
    (a teaser cut short with an ellipsis does not)."""
    return (piece.kind == "paragraph" and words >= READABILITY_NEXT_LEAD_WORDS
            and ends_sentence(piece.text) and not cut_short(piece.text))


def reconcile(pieces: List[Piece], candidate: etree._Element, url: Optional[str],
              tree: Optional[etree._Element] = None) -> List[Piece]:
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
      it, or a sentence of 12+ words just above it (a lead readability skipped).
      Pieces between are kept (readability misses in-body headings and lists
      more often than trafilatura).
    * It shares a piece with trafilatura (any share, past the two cases that
      return above): the list items, headings and table rows it has between two
      shared pieces, which trafilatura lacks, are put back (``fill_gaps``).
    """
    cand_words = padded_words(" ".join(candidate.itertext()))
    cand_count = padded_count(cand_words)
    if cand_count < READABILITY_MIN_WORDS or len(cand_words) * len(pieces) > READABILITY_MAX_SCAN:
        return pieces
    piece_words = [padded_piece_words(p.text) for p in pieces]
    inside = [w in cand_words for w in piece_words]
    sizes = list(map(padded_count, piece_words))
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
                if inside[i] or first <= i <= last or (i < first and sizes[i] > READABILITY_LEAD_WORDS)
                or (i == first - 1 and _a_lead(pieces[i], sizes[i]))]
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
    total = padded_count(padded_words(el.text_content()))
    linked = sum(padded_count(padded_words(a.text_content())) for a in el.iter("a"))
    return linked / total if total else 0.0


def fill_sibling_lists(pieces: List[Piece], tree: Optional[etree._Element]) -> List[Piece]:
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
    words = [padded_piece_words(p.text) for p in pieces]
    index: Dict[str, int] = {}  # an anchor piece's words -> its position
    for i, (p, w) in enumerate(zip(pieces, words)):
        if (p.kind == "paragraph" and padded_count(w) >= SIBLING_ANCHOR_WORDS) or (p.kind == "heading" and w.strip()):
            index.setdefault(w, i)
    if len(index) < 2:
        return pieces
    held, whole = "".join(words), set(words)
    budget = SIBLING_MAX_SCAN
    after: Dict[int, List[Piece]] = {}
    for el, before, below in placed:
        i = index.get(padded_words(before.text_content()))
        if i is None or (below is not None and index.get(padded_words(below.text_content())) != i + 1):
            continue
        lis = list(el.iterchildren("li"))
        if any(li.find(".//img") is not None or li.find(".//figure") is not None for li in lis):
            continue  # a gallery's captions
        if below is None and (el.getparent() is None or el.getparent().tag == "body"
                              or _link_share(el) >= SIBLING_LINK_SHARE):
            continue  # a list closing the page's body, or related stories under the story
        try:
            items = [t for t in (fold_space(inline_text(li)) for li in lis) if _WORD.search(t)]
        except RecursionError:  # an item nested thousands of elements deep
            continue
        lines = [w for w in map(padded_words, el.itertext()) if padded_count(w) >= SIBLING_KEPT_WORDS]
        budget -= len(held) * len(lines)
        if budget < 0:
            return pieces
        if not items or any(padded_words(t) in whole for t in items) or any(w in held for w in lines):
            continue  # trafilatura kept the list, or part of it (an item's lines as pieces of their own)
        after.setdefault(i, []).extend(Piece("list_item", t) for t in items)
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
    return any(padded_words("".join(el.itertext())) not in words for el in candidate.iter(_GAP_TAGS))


def fill_gaps(pieces: List[Piece], found: List[Piece], words: Optional[List[str]] = None) -> List[Piece]:
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
    ``words``: the pieces' padded words (``padded_words``), when the caller has them.

    >>> story = [Piece("paragraph", "The board met on Monday."), Piece("paragraph", "It voted to act.")]
    >>> found = [story[0], Piece("list_item", "Fix the pier"), Piece("list_item", "Paint it"), story[1]]
    >>> [p.text for p in fill_gaps(story, found)]
    ['The board met on Monday.', 'Fix the pier', 'Paint it', 'It voted to act.']
    """
    words = words or [padded_piece_words(p.text) for p in pieces]
    held = "".join(words)
    after: Dict[int, List[Piece]] = {}
    anchor: Optional[int] = None  # the piece of ``pieces`` holding the last shared piece
    gap: Optional[List[Piece]] = None  # what the current gap lacks; None once it lacks another kind
    for piece in found:
        text = padded_piece_words(piece.text)
        if not text.strip():
            continue
        start = anchor or 0  # shared pieces come in order: look near the last one first
        at = next((i for i in range(start, min(start + 2, len(pieces))) if text in words[i]), None)
        if at is None and padded_count(text) >= ANCHOR_WORDS and text in held:
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
