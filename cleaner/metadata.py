"""Metadata read back from what the stages removed.

HTML pages get their metadata from trafilatura; page text has none. What is
missing, the byline and date rules' removals give (author, date), and in text
mode the headline is the headline-like line that the detector or the edges stage
dropped just above the body and whose words the body uses most.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Dict, FrozenSet, Optional, Sequence, Set

import regex

from .document import Block, Metadata, Removal
from .detector.stoplist import language_stoplist
from .rules.matchers import is_headline
from .textshape import LIST_ITEM, NO_SPACE_CHAR, word_count

# The rules whose removals name the author, and what each puts before or after the name
# (the leads of ``byline`` and ``byline-cjk`` in rules/generic/60-bylines-dates.yaml).
AUTHOR_RULES = ("byline", "byline-cjk")
_BY = regex.compile(r"^\W*(?:(?i:by|written by|reported by|words by|posted by|submitted by|por|par|von|di|door|av|af|od"
                    r"|от|автор:?)\s+|(?:โดย|بقلم)\s+|लेखक\s*:\s*"
                    r"|(?:记者|記者|责任编辑|責任編輯|責任編集|编辑|編集|撰文|作者)(?:\s*[:：]\s*|\s+)|文\s*[/／]\s*"
                    r"|\[[^\]]{1,20}\]\s*)")
_BY_AFTER = regex.compile(r"\s*(?:기자|특파원)(?:\s*[\w.+-]+@[\w.-]+)?\W*$")
_HEADLINE_WINDOW = 8
_TITLE_STAGES = ("detector", "edges")  # what drops a headline: the detector, or the edges stage's lead-in
# A menu, not a headline: items set apart by bars, bullets or slashes ("Home | News | Sport").
_MENU = regex.compile(r"\s[|·•/»]\s")
_CODE = regex.compile(r"[{}<>=]")
_BULLET = regex.compile(rf"{LIST_ITEM.pattern}|^[+>]\s")  # a list item, or a "+ More" toggle
_BODY_BLOCKS = 40  # the body blocks a headline's words are looked for in
_SHARED = 1 / 3  # the least share of a headline's content terms that the body uses
_WORD = regex.compile(r"\w+")


def _author(text: str) -> str:
    """The name in a byline.

    >>> _author("By Jane Doe |"), _author("记者 王明"), _author("[서울=연합뉴스] 홍길동 기자 hong@example.com")
    ('Jane Doe', '王明', '홍길동')
    """
    return _BY_AFTER.sub("", _BY.sub("", text)).strip(" |,–—-")


def _terms(text: str, stop: FrozenSet[str] = frozenset()) -> Set[str]:
    """Content terms: words of four or more letters that are not stopwords, case-folded;
    in scripts written without spaces, each pair of adjacent characters.

    >>> sorted(_terms("On this page: the Council budget", frozenset({"this"})))
    ['budget', 'council', 'page']
    """
    terms: Set[str] = set()
    for word in _WORD.findall(text.casefold()):
        # An ASCII word holds no letter of an unspaced script: the search is spared.
        if not word.isascii() and NO_SPACE_CHAR.search(word):
            terms.update(word[i:i + 2] for i in range(len(word) - 1))
        elif len(word) >= 4 and word not in stop:
            terms.add(word)
    return terms


def _headline(blocks: Sequence[Block], kept: Sequence[Block], removals: Dict[int, Removal],
              stop: FrozenSet[str]) -> Optional[str]:
    """Of the dropped headline-like lines just above the body, the one whose content
    words the body uses most (at least a third of them; the nearest of equals).

    A headline names what the story is about, so its words recur in the body; a
    menu ("Latest News Top Stories"), a prompt ("You are signed in as"), a
    byline or a bullet item mostly does not.
    """
    if not kept:
        return None
    first = next(i for i, b in enumerate(blocks) if b.index == kept[0].index)
    body = _terms(" ".join(b.text for b in kept[:_BODY_BLOCKS]), stop)
    best: Optional[str] = None
    best_share = _SHARED
    for block in reversed(blocks[max(0, first - _HEADLINE_WINDOW):first]):
        removal = removals.get(block.index)
        if not (removal and removal.stage in _TITLE_STAGES and word_count(block.text) >= 3
                and is_headline(block.text, 25) and not _MENU.search(block.text)
                and not _BULLET.match(block.text) and not _CODE.search(block.text)):
            continue
        terms = _terms(block.text, stop)
        share = len(terms & body) / len(terms) if len(terms) >= 2 else 0.0
        if share > best_share or (best is None and share >= best_share):  # the nearest of equals
            best, best_share = block.text, share
    return best


def fill_metadata(base: Metadata, blocks: Sequence[Block], kept: Sequence[Block],
                  removals: Sequence[Removal], language: Optional[str] = None) -> Metadata:
    """Fill title, author and date that ``base`` lacks from the page's removed blocks
    (``language``: the page's, whose stopwords a headline's words are counted without)."""
    whole = {r.index: r for r in removals if r.span is None}
    texts = {b.index: b.text for b in blocks}
    author = next((_author(texts[r.index]) for r in removals if r.rule in AUTHOR_RULES), None)
    date = next((texts[r.index] for r in removals if r.rule == "date-line"), None)
    return replace(base, title=base.title or _headline(blocks, kept, whole, language_stoplist(language)),
                   author=base.author or author or None, date=base.date or date)
