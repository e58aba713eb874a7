"""Per-block measurements: what one line looks like, on its own and next to its neighbours.

Everything here is language-independent or driven by the page's stoplist
(see :mod:`.stoplist`). :func:`measure` runs once per block (one tokenising
regex and a few C-speed counts); :func:`local_vectors` turns the measurements
of a page into the stage-1 feature vectors the model reads, in the order of
:data:`LOCAL_NAMES`.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from operator import itemgetter
from dataclasses import dataclass
from typing import FrozenSet, List, Optional, Sequence

from ..document import Block
from . import stoplist
from .region import body_region

_TOKEN = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_SYMBOL = re.compile(r"[^\w\s]")
_SENTENCE_MARK = re.compile(r"[.!?\u3002\uff01\uff1f\u061f\u0964](?:\s|$)")
_SEPARATOR = re.compile(r"(?:^|\s)[|\u00b7\u2022/\u00bb\u203a>\u2013-](?=\s|$)")
_BULLET = re.compile(r"^(?:[*\u2022\u25cf\u25aa\u25ba\u25b8\u2023\u2043\u00b7-]\s|\d{1,3}[.)]\s)")
_URLISH = re.compile(r"://|\bwww\.|\w@\w|\.(?:com|org|net)\b", re.IGNORECASE)
_URL_HINTS = ("://", "www.", "@", ".com", ".org", ".net", "WWW.", ".COM")
_NOTICE_SIGNS = ("\u00a9", "\u2122", "\u00ae", "(c)", "(C)")
_FIRST = itemgetter(0)
_DATEISH = re.compile(r"\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b")
_CLOSERS = "\"')]}\u201d\u2019\u00bb\u203a*"
_TERMINAL = frozenset(".!?\u3002\uff01\uff1f\u2026\u061f\u0964;")
_ELLIPSIS = ("...", "\u2026")
# Tokens longer than this on average mean an unspaced script (Chinese, Japanese, Thai).
_UNSPACED_MEAN_LEN = 10
SHORT_UNITS = 5
TEXT_UNITS = 10


@dataclass(frozen=True)
class Measure:
    """Raw, page-independent numbers about one block."""

    units: float        # words, or letters/2 in unspaced scripts
    chars: int
    stop: int           # stopword tokens
    tokens: int
    terminal: bool      # ends a sentence (closing quotes/brackets ignored)
    colon: bool         # ends with ':'
    ellipsis: bool      # ends with '...' (teasers, truncated titles)
    marks: int          # sentence ends inside the block
    commas: int
    title: float        # share of cased tokens starting upper-case
    caps: float         # share of cased tokens all upper-case
    digits: float       # digit share of characters
    symbols: float      # punctuation/symbol share of characters
    bullet: bool
    separators: int     # ' | ', ' / ', ' > ', ' · ' separators
    urlish: bool
    notice: bool        # (c), trademark, registered signs
    lower_start: bool   # starts lower-case: a continued sentence
    dateish: bool       # holds a clock time or a year (bylines, comment headers)


def tokens_of(text: str) -> List[str]:
    """Lower-cased word tokens (the metric's own definition of a word)."""
    return list(map(str.lower, _TOKEN.findall(text)))


def _cased_shares(raw_tokens: Sequence[str]) -> tuple:
    """(title-case share, all-caps share) of the words written in a cased script."""
    firsts = list(map(_FIRST, raw_tokens))
    upper = sum(map(str.isupper, firsts))
    cased = upper + sum(map(str.islower, firsts))
    if not cased:
        return 0.0, 0.0
    return upper / cased, sum(map(str.isupper, raw_tokens)) / cased


def _ends_terminal(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in _TERMINAL


def _units(tokens: Sequence[str]) -> float:
    if not tokens:
        return 0.0
    letters = sum(map(len, tokens))
    if letters / len(tokens) > _UNSPACED_MEAN_LEN:
        return max(len(tokens), letters / 2.0)
    return float(len(tokens))


def measure(text: str, raw_tokens: Sequence[str], tokens: Sequence[str], stopset: FrozenSet[str]) -> Measure:
    """Measure one block, given its word tokens (as written and lower-cased) and the page stoplist."""
    n = len(text) or 1
    digits = n - len(_DIGIT.sub("", text))
    title, caps = _cased_shares(raw_tokens)
    last = text.rstrip()[-1:] if text else ""
    return Measure(
        units=_units(tokens), chars=len(text),
        stop=sum(map(stopset.__contains__, tokens)), tokens=len(tokens),
        terminal=_ends_terminal(text), colon=last == ":", ellipsis=text.endswith(_ELLIPSIS),
        marks=len(_SENTENCE_MARK.findall(text)), commas=text.count(",") + text.count("\u060c") + text.count("\u3001"),
        title=title, caps=caps,
        digits=digits / n, symbols=len(_SYMBOL.findall(text)) / n,
        bullet=bool(_BULLET.match(text)), separators=len(_SEPARATOR.findall(text)),
        urlish=any(h in text for h in _URL_HINTS) and bool(_URLISH.search(text)),
        notice=any(sign in text for sign in _NOTICE_SIGNS),
        lower_start=text[:1].islower(), dateish=bool(digits) and bool(_DATEISH.search(text)))


def is_texty(m: Measure, has_stops: bool) -> bool:
    """A sentence-like block: long enough, with function words or sentence punctuation."""
    if m.units < TEXT_UNITS:
        return False
    if has_stops and m.tokens and m.stop / m.tokens >= 0.15:
        return True
    return m.terminal or m.marks >= 1


def is_shortish(m: Measure) -> bool:
    """A title-like line: few words and no sentence end (menu items, tags, labels)."""
    return m.units <= SHORT_UNITS and not m.terminal


@dataclass(frozen=True)
class Page:
    """Per-page numbers computed once: the measurements and what they add up to."""

    blocks: Sequence[Block]
    measures: List[Measure]
    texty: List[bool]
    short: List[bool]
    short_runs: List[int]
    repeats: List[int]
    stop_known: bool
    median_units: float
    max_units: float
    region: tuple


def analyse(blocks: Sequence[Block], language: Optional[str]) -> Page:
    """Measure every block of a page once."""
    raw_lists = [_TOKEN.findall(b.text) for b in blocks]
    token_lists = [list(map(str.lower, raw)) for raw in raw_lists]
    known = stoplist.language_stoplist(language)
    stopset = known or stoplist.page_stoplist(token_lists)
    measures = [measure(b.text, raw, toks, stopset) for b, raw, toks in zip(blocks, raw_lists, token_lists)]
    has_stops = bool(stopset)
    texty = [is_texty(m, has_stops) for m in measures]
    counts = Counter(b.text for b in blocks)
    units = sorted(m.units for m in measures) or [0.0]
    short = [is_shortish(m) for m in measures]
    return Page(blocks=blocks, measures=measures, texty=texty, short=short, short_runs=_run_lengths(short),
                repeats=[counts[b.text] - 1 for b in blocks], stop_known=bool(known),
                median_units=units[len(units) // 2], max_units=units[-1],
                region=body_region(measures, texty))


def _run_lengths(flags: Sequence[bool]) -> List[int]:
    """For each position, the length of the run of equal-true flags it sits in (0 when false)."""
    out = [0] * len(flags)
    i = 0
    while i < len(flags):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < len(flags) and flags[j]:
            j += 1
        for k in range(i, j):
            out[k] = j - i
        i = j
    return out


_log = math.log1p  # every logged quantity is a count, never negative


LOCAL_NAMES = (
    "log_units", "log_chars", "stop_ratio", "log_stop", "terminal", "colon", "ellipsis", "log_marks",
    "comma_rate", "title", "caps", "digits", "symbols", "bullet", "log_separators", "urlish", "notice",
    "lower_start", "log_repeats", "gap_before", "gap_after", "position", "units_vs_max", "units_vs_median",
    "in_region", "log_dist_region", "region_pos", "log_short_run", "log_bullet_run", "log_texty_near",
    "prev_units", "next_units", "prev_stop", "next_stop", "prev_terminal", "next_terminal",
    "prev_short", "next_short", "stop_known", "short_stopless", "texty", "dateish", "log_dates_near",
)


def _stop_ratio(m: Measure) -> float:
    return m.stop / m.tokens if m.tokens else 0.0


def _one_block(page: Page, i: int, short_run: int, bullet_run: int, texty_near: int,
               dates_near: int) -> List[float]:
    m = page.measures[i]
    n = len(page.measures)
    blocks = page.blocks
    start, end = page.region
    prev = page.measures[i - 1] if i > 0 else None
    nxt = page.measures[i + 1] if i + 1 < n else None
    dist = start - i if i < start else (i - end if i > end else 0)
    region_pos = (i - start) / max(end - start, 1) if start <= i <= end else (-0.5 if i < start else 1.5)
    stop = _stop_ratio(m)
    return [
        _log(m.units), _log(m.chars), stop, _log(m.stop), float(m.terminal), float(m.colon),
        float(m.ellipsis), _log(m.marks), m.commas / (m.tokens or 1), m.title, m.caps, m.digits, m.symbols,
        float(m.bullet), _log(m.separators), float(m.urlish), float(m.notice), float(m.lower_start),
        _log(page.repeats[i]), min(blocks[i].gap_before, 3), min(blocks[i + 1].gap_before, 3) if nxt else 3.0,
        i / max(n - 1, 1), m.units / (page.max_units or 1), _log(m.units) - _log(page.median_units),
        float(dist == 0), _log(dist), region_pos, _log(short_run), _log(bullet_run), texty_near / 10.0,
        _log(prev.units) if prev else 0.0, _log(nxt.units) if nxt else 0.0,
        _stop_ratio(prev) if prev else 0.0, _stop_ratio(nxt) if nxt else 0.0,
        float(prev.terminal) if prev else 0.0, float(nxt.terminal) if nxt else 0.0,
        float(page.short[i - 1]) if prev else 1.0, float(page.short[i + 1]) if nxt else 1.0,
        float(page.stop_known), float(m.units <= 3 and m.stop == 0), float(page.texty[i]),
        float(m.dateish), _log(dates_near),
    ]


def _near_counts(flags: Sequence[bool], radius: int) -> List[int]:
    """How many true flags lie within ``radius`` positions of each position (itself excluded)."""
    prefix = [0]
    for f in flags:
        prefix.append(prefix[-1] + (1 if f else 0))
    n = len(flags)
    return [prefix[min(n, i + radius + 1)] - prefix[max(0, i - radius)] - (1 if flags[i] else 0)
            for i in range(n)]


def local_vectors(page: Page) -> List[List[float]]:
    """Stage-1 feature vectors, one per block, in :data:`LOCAL_NAMES` order."""
    short_runs = page.short_runs
    bullet_runs = _run_lengths([m.bullet for m in page.measures])
    near = _near_counts(page.texty, 5)
    # Comment threads: many short lines with a date or a clock time close together.
    dates = _near_counts([m.dateish and m.units <= 12 for m in page.measures], 10)
    return [_one_block(page, i, short_runs[i], bullet_runs[i], near[i], dates[i])
            for i in range(len(page.measures))]
