"""Promotion, pop-up and dialog boxes a page declares by its markup (class or id words,
``<dialog>``, ``role``, ``data-nosnippet``), and the pieces found only inside them."""
from __future__ import annotations

import functools
import re
from typing import Callable, List, NamedTuple

import regex
from lxml import etree

from .pieces import Piece
from .segment import fold_space

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


def drop_box_pieces(pieces: List[Piece], boxes: List[etree._Element], page_text: Callable[[], str],
                    repeat_words: int = BOX_REPEAT_WORDS) -> List[Piece]:
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


