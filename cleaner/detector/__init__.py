"""Text-mode main-body detector: for each line block, body or chrome.

Input: the blocks of a page as :func:`cleaner.segment.split_text` cuts them
(or the ones earlier stages kept; ``Block.index`` may have gaps and is not
read). Output: one :class:`Verdict` per block, same order.

Signals (all language-independent or driven by the page's stoplist)
    * per block (:mod:`.features`): length in words (letters/2 for unspaced
      scripts) and characters, stopword share and count (jusText stoplist of
      the page language, else, or when that list covers little of the page,
      the page's own most frequent short words, :mod:`.stoplist`), sentence
      end, trailing colon / ellipsis, sentence marks and commas inside,
      title-case and all-caps shares, digit and symbol shares, bullet,
      ``|``/``/``/``>`` separators, URL/e-mail, copyright/trademark signs,
      lower-case start, repetition on the page,
      short lines sharing their first or last word with other short lines
      ("says:", "ago", "Reply"), blank lines before/after, relative position;
    * page context: length against the page's median and maximum, the
      densest run of prose (:mod:`.region`, max-sum span) and the distance
      to it, runs of short title-like lines (menus, link lists, tag clouds)
      and of bullets, prose blocks nearby, how often short and long lines
      alternate nearby (teaser lists, comment threads), short lines with
      digits nearby (timestamps, counts), the neighbours' length, stopword
      share and punctuation;
    * stage 2 (:mod:`.context`): the stage-1 score next to the neighbours'
      scores at distances 1, 2-3 and 4-10, the distance to the nearest
      confident body block on each side, the share of the page's
      confident body text before and after the block (headline, byline and
      dateline sit just before the body, related lists and footers after),
      and how well the block fits the page's one best body span
      (:func:`.context.span_support`, Kadane over the stage-1 scores).

Model (:mod:`.model`): two ensembles of gradient-boosted trees (200 trees of
at most 15 leaves each), stage 2 reading the context features and the
block's own features again; run in pure Python from ``weights.json``, each
ensemble compiled once into one Python function. A page where case says nothing
(:func:`features.reads_case`: most of its letters in a script without case, or
hardly a word starting with a capital) is scored by a second pair trained the
same way on the train pages written in lower case (``weights-caseless.json``):
there the title-case and all-caps signals read 0 on every line. A block is kept when the
stage-2 score is at least the stored threshold (on a page of fewer than
``MIN_BLOCKS`` blocks or of prose blocks only, always; when no block reaches
it, the best one stays if it is a sentence), after one hand rule (jusText's): a near miss (>= 0.3)
between two confident body blocks (>= 0.7) is kept; and a sentence ending with a colon
keeps the list it announces (:func:`keep_announced_lists`). Reasons for drops come
from :mod:`.explain`.

Training: ``python bench/train_detector.py`` (numpy + scikit-learn, dev-time
only) labels the blocks of the ``split="train"`` dev pages by aligning their
tokens with the gold text (difflib over token streams, runs of >= 3 tokens,
>= half of a block's tokens; each block weighted 1 + log(1 + tokens), every
page summing to the same total), fits stage 1, fits stage 2 on out-of-fold
stage-1 scores, and rewrites ``weights.json``. Each page is also trained in
its "survivor" form (only its body blocks) so that re-running the detector
on its own output keeps it. ``--caseless`` trains the second pair. Measure with
``python bench/eval_text_detector.py``.

``language`` is an ISO 639-1 code or None; without a stoplist for it the
page's own frequent words stand in.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import List, Optional, Sequence

from ..document import Block
from ..textshape import announced_lists
from . import explain, features
from .model import Model, load_model, shipped_model

__all__ = ["Model", "Verdict", "classify_blocks", "keep_mask", "load_model"]


@dataclass(frozen=True)
class Verdict:
    """The detector's call on one block."""

    keep: bool
    score: float      # probability-like body score in [0, 1]
    reason: str       # short human reason for a drop ("" when kept)


# Under this many blocks there is no page to tell a block apart from (a one-line input,
# or all the rules left): the detector keeps them and leaves the call to the rules and
# the edges stage. The trees, fitted on whole pages, dropped the sentence of
# "<sentence>\n\nReply" and kept "Reply".
MIN_BLOCKS = 3

# Ends the reason of a drop the weights for pages without case made (a user asking why a line
# of a Chinese page went learns which detector scored it).
CASELESS_NOTE = " (detector for pages without case)"


def classify_blocks(blocks: Sequence[Block], language: Optional[str] = None,
                    model: Optional[Model] = None, threshold: Optional[float] = None,
                    memo: Optional[features.Memo] = None, caseless: Optional[Model] = None) -> List[Verdict]:
    """One verdict per block, same order. Pure and deterministic. ``threshold`` replaces
    the model's own (a block stays when its score reaches it, and on a page of fewer
    than ``MIN_BLOCKS`` blocks or of prose blocks only, always; a page keeps its best
    block when no block reaches it and that one is a sentence). ``model`` alone scores every
    page; else a page without case gets ``caseless`` or the weights trained for it, the others
    ``model`` or the shipped ones (:func:`.model.shipped_model`). ``memo``
    (:class:`features.Memo`) keeps per-text measurements between calls on one page."""
    if not blocks:
        return []
    page = features.analyse(blocks, language, memo)
    note = ""
    if model is None or caseless is not None:
        cased = features.reads_case(page.measures)
        chosen = model if cased else caseless
        model, note = chosen or shipped_model(cased), "" if cased else CASELESS_NOTE
    if threshold is not None:
        model = replace(model, threshold=threshold)
    scores = model.scores(page, features.local_vectors(page))
    keep = keep_mask(page, scores, model.threshold)
    return [Verdict(k, score, "" if k else explain.reason(page, i, score) + note)
            for i, (k, score) in enumerate(zip(keep, scores))]


def keep_mask(page: features.Page, scores: Sequence[float], threshold: float) -> List[bool]:
    """Which blocks stay, from their scores: those at ``threshold`` or above; all of a page
    under ``MIN_BLOCKS`` blocks or made of prose blocks only (:func:`features.is_texty`:
    nothing on it looks like chrome, so there is nothing to tell the body from; the
    trees, fitted on whole pages, scored the last of three plain paragraphs under the
    line); and when none passes, the best-scoring block if it is a sentence (a short
    news item under a few chrome lines scored just under the line), so a page that holds
    one is never emptied. ``bench/train_detector.py --cv`` decides the same way."""
    whole = len(scores) < MIN_BLOCKS or all(page.texty)
    keep = [whole or score >= threshold for score in scores]
    if scores and not any(keep):
        best = max(range(len(scores)), key=scores.__getitem__)
        m = page.measures[best]
        keep[best] = m.terminal and m.units > features.SHORT_UNITS
    return keep_announced_lists(page, keep)


def keep_announced_lists(page: features.Page, keep: List[bool]) -> List[bool]:
    """A sentence that ends with a colon stays with the list it announces, whatever their
    scores (:func:`cleaner.textshape.announced_lists`: bulleted lines, or 3+ short lines
    that each hold a digit). The trees read each short item alone and scored a tour's
    dates, a season's standings or a manual's bulleted list as a link list, and the
    sentence with them."""
    listed = announced_lists([b.text for b in page.blocks])
    return [k or i in listed for i, k in enumerate(keep)]
