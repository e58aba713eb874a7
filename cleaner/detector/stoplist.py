"""The stopword set a page is measured against.

A language with a jusText stoplist (ISO 639-1 code, mapped to jusText's
English names by :func:`cleaner.language.stopwords`) uses it. Otherwise the
page's own most frequent short words stand in: in running text of any spaced
language those are function words, which is all the stopword signal needs.
"""
from __future__ import annotations

from collections import Counter
from typing import FrozenSet, Optional, Sequence

from ..language import normalise_code, stopwords as _jusText_stopwords

FALLBACK_SIZE = 40
FALLBACK_MAX_LEN = 5
FALLBACK_MIN_TOKENS = 8


def language_stoplist(language: Optional[str]) -> FrozenSet[str]:
    """jusText's stoplist for an ISO code, lowercased; empty when there is none."""
    if not language:
        return frozenset()
    return _jusText_stopwords(normalise_code(language))


def page_stoplist(token_lists: Sequence[Sequence[str]]) -> FrozenSet[str]:
    """The page's most frequent short words, counted in sentence-length blocks only.

    Menus repeat their words too, so only blocks of at least
    ``FALLBACK_MIN_TOKENS`` tokens are counted.
    """
    counts: Counter = Counter()
    for tokens in token_lists:
        if len(tokens) >= FALLBACK_MIN_TOKENS:
            counts.update(t for t in tokens if len(t) <= FALLBACK_MAX_LEN and not t.isdigit())
    return frozenset(w for w, _ in counts.most_common(FALLBACK_SIZE))

