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
from itertools import accumulate
from typing import Dict, FrozenSet, Iterable, List, NamedTuple, Optional, Sequence

import regex

from ..document import Block
from ..textshape import (CLOSERS, LIST_ITEM as _BULLET, NO_SPACE_CLASS, SENTENCE_MARKS, is_unmarked_letter,
                         word_tokens)
from . import stoplist
from .region import body_region

_DIGIT = re.compile(r"\d")
# Sentence ends inside a block (a mark then a space); the ellipsis is not counted here.
_SENTENCE_MARK = re.compile("[" + re.escape(SENTENCE_MARKS.replace("\u2026", "")) + r"](?:\s|$)")
# A separator char standing alone between spaces (or at an end); the char class leads,
# so the scan is fast, and the space before is checked by hand.
_SEPARATOR = re.compile(r"[|\u00b7\u2022/\u00bb\u203a>\u2013-](?!\S)")
_URLISH = re.compile(r"://|\bwww\.|\w@\w|\.(?:com|org|net)\b", re.IGNORECASE)
# Cheap substring pre-check before _URLISH, matched against lower-cased text: every
# _URLISH match contains one of these, in any case.
_URL_HINTS = ("://", "www.", "@", ".com", ".org", ".net")
_NOTICE_SIGNS = ("\u00a9", "\u2122", "\u00ae", "(c)", "(C)")
_FIRST = itemgetter(0)
# Letters of a script without case: "other letters" (Han, Kana, Hangul, Arabic, Hebrew,
# Devanagari, Thai, Ethiopic...) and Georgian's, which Unicode calls lower case.
_GEORGIAN_SET = r"[\p{Georgian}&&\p{L}]"
_GEORGIAN_LETTER = regex.compile(_GEORGIAN_SET, regex.V1)
_CASELESS_LETTER = regex.compile(rf"[\p{{Lo}}{_GEORGIAN_SET}]", regex.V1)
_CASED_LETTER = regex.compile(r"[[\p{Lu}\p{Ll}\p{Lt}]--\p{Georgian}]", regex.V1)
_DATEISH = re.compile(r"\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b")
# A block ends "terminal" on a sentence mark or ';', closers and footnote stars after it allowed.
_CLOSERS = CLOSERS + "*"
_TERMINAL = frozenset(SENTENCE_MARKS + ";")
# How a teaser title is cut short: an ellipsis, or two dots (Korean and Chinese portals). Only
# the detector reads two dots so: in prose ("I don't know..") they end a sentence.
_CUT_MARKS = ("..", "\u2026")
# Tokens longer than this on average mean an unspaced script (Chinese, Japanese, Thai).
_UNSPACED_MEAN_LEN = 10
SHORT_UNITS = 5
# Scripts written without spaces (Han and Kana; Thai, Lao, Khmer, Burmese, Tibetan): a run
# of them is one \w+ token. For the stopword signal each letter (with its vowel signs and
# tone marks) counts as a token: a page's frequent short tokens are then its particles and
# function characters (の, に, を; 的, 了, 是), as they are its function words in a spaced script.
_UNSPACED = regex.compile(rf"[{NO_SPACE_CLASS}]")
_UNSPACED_UNIT_SOURCE = rf"[{NO_SPACE_CLASS}]\p{{M}}*"
_UNSPACED_UNIT = regex.compile(_UNSPACED_UNIT_SOURCE)
_UNSPACED_SPLIT = regex.compile(rf"{_UNSPACED_UNIT_SOURCE}|[^{NO_SPACE_CLASS}]+")
TEXT_UNITS = 10


class Measure(NamedTuple):
    """Raw, page-independent numbers about one block (a tuple: cheap to build)."""

    units: float        # words, or letters/2 in unspaced scripts
    chars: int
    stop: int           # stopword tokens
    tokens: int
    terminal: bool      # ends a sentence (closing quotes/brackets ignored; Thai, Lao: a long line)
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
    capitals: int       # words starting with a capital (Georgian ones not counted)
    cased: int          # words starting with a letter of a cased script (nor here)
    cased_letters: int  # letters of a cased script
    caseless: int       # letters of a script without case (Georgian among them)


def _cased_shares(raw_tokens: Sequence[str]) -> tuple:
    """(title-case share, all-caps share) of the words written in a cased script, then
    (words starting with a capital, words starting with a cased letter), Georgian words
    not counted in the last two: Georgian is lower case to Unicode but written without case.
    """
    firsts = "".join(map(_FIRST, raw_tokens))
    upper = sum(map(str.isupper, firsts))
    cased = upper + sum(map(str.islower, firsts))
    title, caps = (upper / cased, sum(map(str.isupper, raw_tokens)) / cased) if cased else (0.0, 0.0)
    if cased and not firsts.isascii():
        georgian = _GEORGIAN_LETTER.findall(firsts)
        georgian_upper = sum(map(str.isupper, georgian))
        upper, cased = upper - georgian_upper, cased - georgian_upper - sum(map(str.islower, georgian))
    return title, caps, upper, cased


def _script_letters(text: str, word_chars: int, digits: int) -> tuple:
    """(letters of a cased script, letters of a script without case) in ``text``, which has
    ``word_chars`` word characters and ``digits`` digits: counted only where a letter without
    case occurs (an ASCII block, or one of Latin, Cyrillic or Greek, costs one scan).

    >>> _script_letters("Tokyo \u6771\u4eac\u90fd 2024", 12, 4), _script_letters("Tokyo", 5, 0)
    ((5, 3), (5, 0))
    """
    if text.isascii() or not _CASELESS_LETTER.search(text):
        return word_chars - digits, 0
    return len(_CASED_LETTER.findall(text)), len(_CASELESS_LETTER.findall(text))


def _any_in(text: str, needles: Sequence[str]) -> bool:
    """Whether any of ``needles`` occurs in ``text``."""
    return any(n in text for n in needles)


def _ends_terminal(text: str, long: bool = False) -> bool:
    """Whether a line ends on a sentence mark, closing quotes and brackets aside; a ``long``
    one (a sentence's length) also on a Thai or Lao letter, as
    :func:`cleaner.textshape.is_paragraph` reads it (those scripts end a sentence with no mark).

    >>> _ends_terminal('He said "yes."'), _ends_terminal("\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35\u201d", long=True)
    (True, True)
    >>> _ends_terminal("\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35"), _ends_terminal("\u0e23\u0e32\u0e04\u0e32 \u0e51\u0e55", long=True)
    (False, False)
    """
    last = text.rstrip(_CLOSERS + " ")[-1:]
    return last in _TERMINAL or (long and is_unmarked_letter(last))


def _units(tokens: Sequence[str]) -> float:
    if not tokens:
        return 0.0
    letters = sum(map(len, tokens))
    if letters / len(tokens) > _UNSPACED_MEAN_LEN:
        return max(len(tokens), letters / 2.0)
    return float(len(tokens))


def _split_units(counted: Sequence[str]) -> float:
    """Words of a line whose unspaced scripts are split a letter a token: two such
    letters a word (as :func:`cleaner.textshape.word_count` counts), other tokens one.

    Taking the mean token length instead miscounts Chinese with a comma every few
    characters: its runs are short, so each read as one word.
    """
    unspaced = sum(1 for t in counted if _UNSPACED_UNIT.fullmatch(t))
    return (len(counted) - unspaced) + unspaced / 2.0


def _separators(text: str) -> int:
    """Separators (``|``, ``/``, ``>``, ``·``, dashes) standing alone between spaces."""
    count = 0
    for match in _SEPARATOR.finditer(text):
        at = match.start()
        if at == 0 or text[at - 1].isspace():
            count += 1
    return count


def stop_tokens(tokens: Sequence[str]) -> Sequence[str]:
    """Tokens as the stopword signal counts them: a letter of an unspaced script (Han, Kana,
    Thai...) is one. A line without such letters gets its own list back (its words count as before).

    >>> stop_tokens(["東京で", "news", "iphone用"])
    ['東', '京', 'で', 'news', 'iphone', '用']
    """
    out: List[str] = []
    split = False
    for token in tokens:
        if _UNSPACED.search(token):
            out.extend(_UNSPACED_SPLIT.findall(token))
            split = True
        else:
            out.append(token)
    return out if split else tokens


def measure(text: str, raw_tokens: Sequence[str], tokens: Sequence[str], stopset: FrozenSet[str],
            url_hints: Sequence[str] = _URL_HINTS, notice_signs: Sequence[str] = _NOTICE_SIGNS,
            counted: Optional[Sequence[str]] = None) -> Measure:
    """Measure one block, given its word tokens (as written and lower-cased) and the page stoplist.

    ``counted`` are the tokens the stopword share is taken over (default
    ``tokens``; :func:`stop_tokens` of them on a page with Han or Kana).
    ``url_hints`` (lower-case) and ``notice_signs`` may be cut down to those
    present on the page (:func:`analyse` does), which skips their per-block scans.
    """
    counted = tokens if counted is None else counted
    chars = len(text)
    n = chars or 1
    digits = len(_DIGIT.findall(text))
    # Every character is a word character, a space or a symbol: no third scan needed.
    word_chars = sum(map(len, raw_tokens))
    symbols = chars - word_chars - (chars - len("".join(text.split())))
    title, caps, capitals, cased = _cased_shares(raw_tokens) if raw_tokens else (0.0, 0.0, 0, 0)
    stripped = text.rstrip()
    units = _units(tokens) if counted is tokens else _split_units(counted)
    return Measure(
        units, chars, sum(map(stopset.__contains__, counted)), len(counted),
        _ends_terminal(text, long=units >= TEXT_UNITS),
        stripped[-1:] == ":", stripped.endswith(_CUT_MARKS),
        len(_SENTENCE_MARK.findall(text)), text.count(",") + text.count("\u060c") + text.count("\u3001"),
        title, caps, digits / n, symbols / n,
        _BULLET.match(text) is not None, _separators(text),
        bool(url_hints) and _any_in(text.lower(), url_hints) and _URLISH.search(text) is not None,
        bool(notice_signs) and any(sign in text for sign in notice_signs),
        text[:1].islower(), digits > 0 and _DATEISH.search(text) is not None, capitals, cased,
        *_script_letters(text, word_chars, digits))


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
    same_first: List[int]   # other short lines on the page that start with the same word
    same_last: List[int]    # ... that end with the same word ("says", "ago", "Reply")
    stop_known: bool
    median_units: float
    max_units: float
    region: tuple


class Memo:
    """What :func:`analyse` works out for one block text, kept between its calls on one page
    (the engine's passes; a line repeated on the page): the text's tokens, and its
    :class:`Measure` under each stopset. Both depend on the text and the stopset alone (the
    URL hints and notice signs :func:`analyse` cuts down to the page's only skip scans)."""

    __slots__ = ("words", "measures")

    def __init__(self) -> None:
        self.words: Dict[str, tuple] = {}
        self.measures: Dict[FrozenSet[str], Dict[str, Measure]] = {}

    def words_of(self, text: str) -> tuple:
        """(tokens as written, lower-cased, as the stopword signal counts them) of ``text``."""
        found = self.words.get(text)
        if found is None:
            raw = word_tokens(text)
            tokens = list(map(str.lower, raw))
            # A text without letters of an unspaced script: stop_tokens would give ``tokens`` back.
            counted = stop_tokens(tokens) if not text.isascii() and _UNSPACED.search(text) else tokens
            found = self.words[text] = (raw, tokens, counted)
        return found


def analyse(blocks: Sequence[Block], language: Optional[str], memo: Optional[Memo] = None) -> Page:
    """Measure every block of a page once (with ``memo``, a text measured before against the
    same stopset is not measured again)."""
    memo = Memo() if memo is None else memo
    words = list(map(memo.words_of, [b.text for b in blocks]))
    token_lists = [w[1] for w in words]
    counted = [w[2] for w in words]
    stopset, known = stoplist.page_stopset(counted, language)
    done = memo.measures.setdefault(stopset, {})
    todo = {b.text: w for b, w in zip(blocks, words) if b.text not in done}  # a repeated line once
    if todo:
        whole = "\n".join(b.text for b in blocks)
        lowered = whole.lower()
        hints = tuple(h for h in _URL_HINTS if h in lowered)
        signs = tuple(s for s in _NOTICE_SIGNS if s in whole)
        for text, (raw, toks, c) in todo.items():
            done[text] = measure(text, raw, toks, stopset, hints, signs, counted=c)
    measures = [done[b.text] for b in blocks]
    has_stops = bool(stopset)
    texty = [is_texty(m, has_stops) for m in measures]
    counts = Counter(b.text for b in blocks)
    units = sorted(m.units for m in measures) or [0.0]
    short = [is_shortish(m) for m in measures]
    same_first, same_last = _same_ends(token_lists, measures)
    return Page(blocks=blocks, measures=measures, texty=texty, short=short, short_runs=_run_lengths(short),
                repeats=[counts[b.text] - 1 for b in blocks], same_first=same_first, same_last=same_last,
                stop_known=known,
                median_units=units[len(units) // 2], max_units=units[-1],
                region=body_region(measures, texty))


SAME_END_UNITS = 12


def _same_ends(token_lists: Sequence[Sequence[str]], measures: Sequence[Measure]) -> tuple:
    """For each short line, how many other short lines share its first word, and its last.

    Comment headers ("Ann says:", "Bo says:"), teaser timestamps ("3h ago"),
    "Reply" and "Share" lines repeat their ends; the lines of an article rarely do.
    Lines longer than ``SAME_END_UNITS`` units count 0.
    """
    short = [bool(toks) and m.units <= SAME_END_UNITS for toks, m in zip(token_lists, measures)]
    firsts = Counter(toks[0] for toks, s in zip(token_lists, short) if s)
    lasts = Counter(toks[-1] for toks, s in zip(token_lists, short) if s)
    same_first = [firsts[toks[0]] - 1 if s else 0 for toks, s in zip(token_lists, short)]
    same_last = [lasts[toks[-1]] - 1 if s else 0 for toks, s in zip(token_lists, short)]
    return same_first, same_last


def _alternation(short: Sequence[bool], radius: int) -> List[float]:
    """Share of changes short <-> not short between neighbours within ``radius`` of each line.

    Teaser lists and comment threads alternate a title-like line and a sentence
    at every line or two; an article's subheadings come every few paragraphs.
    """
    n = len(short)
    prefix = prefix_sums([0] + [1 if short[k] != short[k - 1] else 0 for k in range(1, n)])
    out = []
    for i in range(n):
        a, b = max(1, i - radius + 1), min(n, i + radius + 1)   # changes between a-1..b-1
        out.append((prefix[b] - prefix[a]) / (b - a) if b > a else 0.0)
    return out


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

# Neighbourhoods and thresholds of the page-context columns in :func:`local_vectors`.
TEXTY_RADIUS = 5          # prose blocks counted within this many blocks ("log_texty_near")
TEXTY_NEAR_SCALE = 10.0   # ... divided by this, so a full neighbourhood reads 1.0
DATE_RADIUS = 10          # short dated lines counted within this many blocks ("log_dates_near")
DATE_LINE_UNITS = 12      # a dated line this long or shorter counts (comment headers, bylines)
DIGIT_RADIUS = 5          # short digit lines counted within this many blocks ("log_digit_short_near")
DIGIT_LINE_UNITS = 6      # a digit line this long or shorter counts ("3h ago", "12 comments")
STOPLESS_UNITS = 3        # a line this short without stopwords is "short_stopless"
ALTERNATION_RADIUS = 5    # window of the short/long alternation share ("alternation")
GAP_CAP = 3               # blank lines before/after a block, capped here


LOCAL_NAMES = (
    "log_units", "log_chars", "stop_ratio", "log_stop", "terminal", "colon", "ellipsis", "log_marks",
    "comma_rate", "title", "caps", "digits", "symbols", "bullet", "log_separators", "urlish", "notice",
    "lower_start", "log_repeats", "gap_before", "gap_after", "position", "units_vs_max", "units_vs_median",
    "in_region", "log_dist_region", "region_pos", "log_short_run", "log_bullet_run", "log_texty_near",
    "prev_units", "next_units", "prev_stop", "next_stop", "prev_terminal", "next_terminal",
    "prev_short", "next_short", "stop_known", "short_stopless", "texty", "dateish", "log_dates_near",
    "log_same_first", "log_same_last", "alternation", "log_digit_short_near",
)


def _stop_ratio(m: Measure) -> float:
    return m.stop / m.tokens if m.tokens else 0.0


def _region_columns(n: int, region: tuple) -> tuple:
    """(inside, log distance, relative position) of every block against the body region."""
    start, end = region
    span = max(end - start, 1)
    inside, dist, pos = [], [], []
    for i in range(n):
        if i < start:
            inside.append(0.0), dist.append(_log(start - i)), pos.append(-0.5)
        elif i > end:
            inside.append(0.0), dist.append(_log(i - end)), pos.append(1.5)
        else:
            inside.append(1.0), dist.append(0.0), pos.append((i - start) / span)
    return inside, dist, pos


# Case tells a page's lines apart when at most this share of its letters are in a script
# without case (a Chinese, Thai or Arabic page with a few English menu words has 76-94 %) and
# at least CAPITALS_SHARE of its words in a cased script start with a capital (the lowest of
# the dev sets' 1,640 gold texts in a cased script, body only, is 0.032; the median 0.16; a
# page in lower case 0).
CASELESS_SHARE = 0.5
CAPITALS_SHARE = 0.01


def reads_case(measures: Sequence[Measure]) -> bool:
    """Whether case carries information on a page: most of its letters are in a cased script
    (Latin, Cyrillic, Greek, Armenian) and some of its words start with a capital. False on a page
    in Chinese, Japanese, Korean, Arabic, Hebrew, Hindi, Thai or Georgian (English menu words
    included) and on one written all in lower case, where the title-case and all-caps signals
    read 0 on every line; and on one without letters. A page written all in capitals reads
    case (every line title-case and all-caps alike), as the first detector has always read it.

    >>> def page(*texts): return [measure(t, t.split(), t.lower().split(), frozenset()) for t in texts]
    >>> reads_case(page("The Big Day", "A sentence on it.")), reads_case(page("the big day"))
    (True, False)
    >>> reads_case(page("\u6e2f\u53e3\u8bae\u4f1a\u5468\u4e00\u6295\u7968\u51b3\u5b9a\u91cd\u5efa\u65e7\u77f3\u7801\u5934", "Home"))
    False
    """
    capitals = sum(m.capitals for m in measures)
    if not capitals or capitals < CAPITALS_SHARE * sum(m.cased for m in measures):
        return False
    caseless = sum(m.caseless for m in measures)
    return caseless <= CASELESS_SHARE * (caseless + sum(m.cased_letters for m in measures))


def prefix_sums(values: Iterable[float]) -> list:
    """``[0, v0, v0+v1, ...]``: the sum of any window is then one subtraction.

    >>> prefix_sums([1, 0, 2])
    [0, 1, 1, 3]
    """
    return list(accumulate(values, initial=0))


def _near_counts(flags: Sequence[bool], radius: int) -> List[int]:
    """How many true flags lie within ``radius`` (>= 0) positions of each position (itself excluded)."""
    prefix = prefix_sums(map(int, flags))
    n = len(flags)
    # prefix[min(n, i + radius + 1)] and prefix[max(0, i - radius)] for every i, as slices.
    upper = prefix[radius + 1:] + [prefix[n]] * min(n, radius)
    lower = [0] * min(n, radius) + prefix[:max(0, n - radius)]
    return [u - v - (1 if f else 0) for u, v, f in zip(upper, lower, flags)]


# A page with blank lines before at most this share of its blocks (or before one) is laid out flat.
FLAT_SHARE = 0.02


def layout_gaps(page: Page) -> List[float]:
    """Blank lines before each block (capped), as the page's layout gives them.

    A page without blank lines after its first block (a scraper that joined every
    line with one newline; at most one blank line, or one in ``FLAT_SHARE`` of the
    blocks, a stray one above a caption) has no layout to read, and the trees,
    fitted on rendered pages, then dropped far more body (dev pages flattened so:
    scrapinghub 0.919 -> 0.890, wcxb 0.818 -> 0.763). Such a page gets the gaps
    rendered text has besides its own: a blank line on each side of a prose block,
    or of a sentence of ``SHORT_UNITS`` or more words (a brief's short paragraphs).

    >>> from cleaner.document import Block
    >>> lines = ["Home", "News", "The council approved the budget on Monday after a long debate.", "Share"]
    >>> layout_gaps(analyse([Block(i, t) for i, t in enumerate(lines)], "en"))
    [0.0, 0.0, 1.0, 1.0]
    """
    gaps = [float(min(b.gap_before, GAP_CAP)) for b in page.blocks]
    if len(gaps) < 2 or sum(1 for g in gaps[1:] if g) > max(1.0, FLAT_SHARE * (len(gaps) - 1)):
        return gaps
    prose = [t or (m.terminal and m.units >= SHORT_UNITS) for t, m in zip(page.texty, page.measures)]
    return [gaps[0]] + [max(gaps[i], 1.0 if prose[i] or prose[i - 1] else 0.0) for i in range(1, len(gaps))]


def local_vectors(page: Page) -> List[List[float]]:
    """Stage-1 feature vectors, one per block, in :data:`LOCAL_NAMES` order.

    Built column by column (one list comprehension per feature), then zipped
    into rows: far cheaper in Python than one function call per block.
    """
    ms = page.measures
    n = len(ms)
    if not n:
        return []
    log = _log
    bullet_runs = _run_lengths([m.bullet for m in ms])
    near = _near_counts(page.texty, TEXTY_RADIUS)
    # Comment threads: many short lines with a date or a clock time close together.
    dates = _near_counts([m.dateish and m.units <= DATE_LINE_UNITS for m in ms], DATE_RADIUS)
    # Teaser timestamps, counts and numbered handles: short lines with digits close together.
    digit_short = _near_counts([m.digits > 0 and m.units <= DIGIT_LINE_UNITS for m in ms], DIGIT_RADIUS)
    log_units = [log(m.units) for m in ms]
    stop = [_stop_ratio(m) for m in ms]
    terminal = [float(m.terminal) for m in ms]
    short = [float(s) for s in page.short]
    gaps = layout_gaps(page)
    inside, dist, pos = _region_columns(n, page.region)
    max_units = page.max_units or 1
    log_median = log(page.median_units)
    columns = [
        log_units, [log(m.chars) for m in ms], stop, [log(m.stop) for m in ms], terminal,
        [float(m.colon) for m in ms], [float(m.ellipsis) for m in ms], [log(m.marks) for m in ms],
        [m.commas / (m.tokens or 1) for m in ms], [m.title for m in ms], [m.caps for m in ms],
        [m.digits for m in ms], [m.symbols for m in ms], [float(m.bullet) for m in ms],
        [log(m.separators) for m in ms], [float(m.urlish) for m in ms], [float(m.notice) for m in ms],
        [float(m.lower_start) for m in ms], [log(r) for r in page.repeats],
        gaps, gaps[1:] + [float(GAP_CAP)], [i / max(n - 1, 1) for i in range(n)],
        [m.units / max_units for m in ms], [u - log_median for u in log_units],
        inside, dist, pos, [log(r) for r in page.short_runs], [log(r) for r in bullet_runs],
        [k / TEXTY_NEAR_SCALE for k in near],
        [0.0] + log_units[:-1], log_units[1:] + [0.0], [0.0] + stop[:-1], stop[1:] + [0.0],
        [0.0] + terminal[:-1], terminal[1:] + [0.0], [1.0] + short[:-1], short[1:] + [1.0],
        [float(page.stop_known)] * n, [float(m.units <= STOPLESS_UNITS and m.stop == 0) for m in ms],
        [float(t) for t in page.texty], [float(m.dateish) for m in ms], [log(k) for k in dates],
        [log(k) for k in page.same_first], [log(k) for k in page.same_last],
        _alternation(page.short, ALTERNATION_RADIUS), [log(k) for k in digit_short],
    ]
    return [list(row) for row in zip(*columns)]
