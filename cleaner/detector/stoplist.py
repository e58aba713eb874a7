"""The stopword set a page is measured against.

A language with a jusText stoplist (ISO 639-1 code, mapped to jusText's
English names by :func:`cleaner.language.stopwords`) uses it. Otherwise the
page's own most frequent short words stand in: in running text of any spaced
language those are function words, which is all the stopword signal needs.
They also stand in when the language's list covers far less of the page's
sentences than they do: the page is not in that language (a language the
vote cannot name, read as a neighbour), and measured against that list its
prose would look like chrome.
"""
from __future__ import annotations

from collections import Counter
from typing import FrozenSet, Optional, Sequence, Tuple

from ..language import normalise_code, stopwords as _jusText_stopwords

FALLBACK_SIZE = 40
FALLBACK_MAX_LEN = 5
FALLBACK_MIN_TOKENS = 8


def language_stoplist(language: Optional[str]) -> FrozenSet[str]:
    """jusText's stoplist for an ISO code, lowercased; empty when there is none."""
    if not language:
        return frozenset()
    return _jusText_stopwords(normalise_code(language))


def _sentence_counts(token_lists: Sequence[Sequence[str]]) -> Counter:
    """How often each token occurs in the page's blocks of ``FALLBACK_MIN_TOKENS`` tokens or more."""
    counts: Counter = Counter()
    for tokens in token_lists:
        if len(tokens) >= FALLBACK_MIN_TOKENS:
            counts.update(tokens)
    return counts


def _frequent_short(counts: Counter) -> FrozenSet[str]:
    short = Counter({w: n for w, n in counts.items() if len(w) <= FALLBACK_MAX_LEN and not w.isdigit()})
    return frozenset(w for w, _ in short.most_common(FALLBACK_SIZE))


def page_stoplist(token_lists: Sequence[Sequence[str]]) -> FrozenSet[str]:
    """The page's most frequent short words, counted in sentence-length blocks only.

    Menus repeat their words too, so only blocks of at least
    ``FALLBACK_MIN_TOKENS`` tokens are counted.
    """
    return _frequent_short(_sentence_counts(token_lists))


# The language's list is used when it covers at least this share of what the page's own
# frequent words cover, token by token, in its sentence-length blocks.
KNOWN_MIN_COVERAGE = 0.3


def _hits(stopset: FrozenSet[str], counts: Counter) -> int:
    """How many of the counted tokens are in ``stopset``."""
    return sum(n for w, n in counts.items() if w in stopset)


def page_stopset(token_lists: Sequence[Sequence[str]], language: Optional[str]) -> Tuple[FrozenSet[str], bool]:
    """The stopwords a page is measured against, and whether they are its language's list:
    jusText's list for ``language`` unless it covers under ``KNOWN_MIN_COVERAGE`` of what
    :func:`page_stoplist` covers, else that one.

    >>> lines = [s.split() for s in ["het is een mooie dag in de stad en de zon schijnt",
    ...                                "we gaan naar de markt en het park in de middag"]]
    >>> page_stopset(lines, "vi")[1], page_stopset(lines, "nl")[1]
    (False, True)
    """
    counts = _sentence_counts(token_lists)
    known = language_stoplist(language)
    if known:
        hits = _hits(known, counts)
        # The page's own words cover at most its short tokens: past that bound, no need to rank them.
        if hits >= KNOWN_MIN_COVERAGE * sum(n for w, n in counts.items() if len(w) <= FALLBACK_MAX_LEN):
            return known, True
        own = _frequent_short(counts)
        return (known, True) if hits >= KNOWN_MIN_COVERAGE * _hits(own, counts) else (own, False)
    return _frequent_short(counts), False
