"""What a line of text looks like, measured the same way by every stage.

Word counts and sentence ends, in any script: scripts written without spaces
(Chinese, Japanese, Thai, Lao, Khmer, Burmese, Tibetan) count two letters a
word (vowel signs and tone marks ride on a letter and do not count), and a
sentence may end in the full stops and question marks of the Latin, CJK,
Arabic, Urdu, Devanagari, Armenian, Greek, Ethiopic, Burmese and Khmer scripts.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import List, Sequence, Set, Tuple

import regex

NO_SPACE_SCRIPTS = ("Han", "Hiragana", "Katakana", "Thai", "Lao", "Khmer", "Myanmar", "Tibetan")
# The inside of a character class of those scripts (vowel signs and tone marks included).
NO_SPACE_CLASS = "".join(rf"\p{{{s}}}" for s in NO_SPACE_SCRIPTS)
# Letters only: a vowel sign or tone mark (Thai, Burmese, Khmer) rides on a letter.
NO_SPACE_CHAR = regex.compile(f"(?V1)[[{NO_SPACE_CLASS}]--\\p{{M}}]")
# Sentence-final marks: Latin, ellipsis, CJK full-width and half-width, Arabic question mark,
# Urdu full stop, Devanagari danda and double danda, Armenian full stop, Greek question mark,
# Ethiopic full stop, Burmese section mark, Khmer khan.
SENTENCE_MARKS = ".!?\u2026\u3002\uff01\uff1f\uff61\u061f\u06d4\u0964\u0965\u0589\u037e\u1362\u104b\u17d4"
# Closing quotes and brackets that may follow the mark.
CLOSERS = "\"'\u201d\u2019\u00bb\u203a)]}"
# How a teaser or a truncated title ends.
ELLIPSES = ("...", "\u2026")
_SENTENCE_END = regex.compile(rf"[{regex.escape(SENTENCE_MARKS)}][{regex.escape(CLOSERS)}]*\s*$")
_CUT_SHORT = regex.compile(rf"(?:{'|'.join(map(regex.escape, ELLIPSES))})[{regex.escape(CLOSERS)}\s]*$")
# A list item: a bullet or a number ("1." "2)") and a space at the start of the line.
LIST_ITEM = regex.compile(r"^(?:[*\u2022\u25cf\u25aa\u25ba\u25b8\u2023\u2043\u00b7-]\s|\d{1,3}[.)]\s)")
# Lines (up to this long) recur across pages and passes; longer blocks only within a page
# (every rule and pass counts them). Each kind has its own cache, so a page's long blocks do
# not push the lines out. (32,768 lines cost a worker about 10 MB of a long run for no
# measurable speed.)
_LINE_LENGTH = 200


def _count_words(text: str) -> int:
    words = len(text.split())
    if text.isascii():
        return words
    # Each unspaced-script character is non-ASCII, so it adds at least one byte in UTF-8:
    # when half the added bytes is at most the words by spaces, half the number of such
    # characters is too, and the count by spaces stands without looking for them.
    if (len(text.encode("utf-8", "surrogatepass")) - len(text)) // 2 <= words:
        return words
    return max(words, len(NO_SPACE_CHAR.findall(text)) // 2)


_count_line_words = lru_cache(maxsize=4096)(_count_words)
_count_block_words = lru_cache(maxsize=4096)(_count_words)


_ASCII_TOKEN = re.compile(r"\w+")
_TOKEN = regex.compile(r"\w+")


def word_tokens(text: str) -> List[str]:
    """The ``\\w+`` tokens of ``text``, combining marks kept inside their words: the standard
    library's ``\\w`` cuts Devanagari, Bengali, Tamil, Thai or Burmese words at each vowel sign
    (``regex`` does not); ASCII text is read by the faster scanner, which gives the same tokens.

    >>> word_tokens("हिंदी भाषा"), word_tokens("the news")
    (['हिंदी', 'भाषा'], ['the', 'news'])
    """
    return (_ASCII_TOKEN if text.isascii() else _TOKEN).findall(text)


def word_count(text: str) -> int:
    """Words separated by spaces; for scripts written without spaces, two letters a word.

    >>> word_count("Read more stories"), word_count("東京で会議が開かれた")
    (3, 5)
    """
    if len(text) <= _LINE_LENGTH:
        return _count_line_words(text)
    return _count_block_words(text)


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends with a sentence mark, closing quotes and brackets allowed after it.

    >>> ends_sentence('He said "yes."'), ends_sentence("هل أتيت؟"), ends_sentence("Read more")
    (True, True, False)
    >>> ends_sentence("یہ ایک جملہ ہے۔"), ends_sentence("Ես տուն եմ գնում։")
    (True, True)
    """
    return _SENTENCE_END.search(text) is not None


def cut_short(text: str) -> bool:
    """Whether ``text`` ends with an ellipsis (closing quotes, brackets and spaces may follow).

    >>> cut_short("The council met on Monday and agreed to..."), cut_short("He left. »"), cut_short("“So… ”")
    (True, False, True)
    """
    return _CUT_SHORT.search(text) is not None


def introduces_list(text: str) -> bool:
    """Whether ``text`` ends with a colon, as a sentence that announces a list does.

    >>> introduces_list("The best offers this week:"), introduces_list("Prices fell.")
    (True, False)
    """
    return text.rstrip().endswith((":", "\uff1a"))


# Prose: a long line, or a sentence of several words (Thai and Lao end a sentence with a
# space, not a mark: there a line of several words is a sentence).
MIN_PROSE_WORDS = 8
_UNMARKED_SCRIPTS = r"\p{Thai}\p{Lao}"
_UNMARKED_SENTENCES = regex.compile(f"[{_UNMARKED_SCRIPTS}]")
_UNMARKED_LETTER = regex.compile(rf"(?V1)[[{_UNMARKED_SCRIPTS}]&&[\p{{L}}\p{{M}}]]")


def is_unmarked_letter(char: str) -> bool:
    """Whether ``char`` is a letter or vowel sign of Thai or Lao, which end a sentence with
    no mark: a line of a sentence's length that ends on one ends a sentence (a digit or the
    baht sign does not).

    >>> is_unmarked_letter("\u0e35"), is_unmarked_letter("\u0e51"), is_unmarked_letter("a"), is_unmarked_letter("")
    (True, False, False, False)
    """
    return _UNMARKED_LETTER.fullmatch(char) is not None


def is_paragraph(text: str) -> bool:
    """Prose: a long block, or a sentence of several words ending in terminal punctuation
    (in Thai and Lao, which have none, any line of several words).

    >>> is_paragraph("The council approved the budget on Monday after a long debate."), is_paragraph("Share")
    (True, False)
    """
    words = word_count(text)
    return words >= 30 or (words >= MIN_PROSE_WORDS and (ends_sentence(text) or bool(_UNMARKED_SENTENCES.search(text))))


# A line of this many words or more that ends with a colon announces a list. Its items may
# carry no bullet: at least this many lines in a row, each of 2 to this many words and
# holding a digit (a tour's dates, a table's rows, a price list).
ANNOUNCING_WORDS = 8
PLAIN_ITEMS = 3
PLAIN_ITEM_WORDS = 20
_DIGIT = regex.compile(r"\d")


def _plain_item(text: str) -> bool:
    return 2 <= word_count(text) <= PLAIN_ITEM_WORDS and bool(_DIGIT.search(text))


def _runs(texts: Sequence[str]) -> Tuple[List[int], List[int]]:
    """For each line, how many bulleted or numbered lines, and how many plain items
    (:func:`_plain_item`), start there in a row."""
    bullets, plain = [0] * (len(texts) + 1), [0] * (len(texts) + 1)
    for j in range(len(texts) - 1, -1, -1):
        bullets[j] = bullets[j + 1] + 1 if LIST_ITEM.match(texts[j]) else 0
        plain[j] = plain[j + 1] + 1 if _plain_item(texts[j]) else 0
    return bullets, plain


def _items(bullets: List[int], plain: List[int], i: int) -> int:
    return bullets[i + 1] or (plain[i + 1] if plain[i + 1] >= PLAIN_ITEMS else 0)


def announced_items(texts: Sequence[str], i: int) -> int:
    """How many of the lines after ``texts[i]`` (a line that announces a list) are its items:
    the bulleted or numbered lines right after it, or else a run of ``PLAIN_ITEMS`` or more
    lines of 2 to ``PLAIN_ITEM_WORDS`` words that each hold a digit; 0 when neither follows.

    >>> announced_items(["Tour dates:", "June 9 -- Tampa, FL", "June 10 -- Miami, FL",
    ...                  "June 14 -- Atlanta, GA", "Page 1 of 3", "2"], 0)
    4
    >>> announced_items(["Follow us on:", "Facebook", "Twitter", "Instagram"], 0)
    0
    """
    return _items(*_runs(list(texts[i:])), 0)


def announced_lists(texts: Sequence[str]) -> Set[int]:
    """The positions of every list a line of ``ANNOUNCING_WORDS`` or more words ending with a
    colon announces (:func:`announced_items`), the line included: a season's standings
    under "The final standings after 36 races:", the types a manual lists under "The
    server implements the following types:". One pass over the page. Risk: a box of
    figures under a long label (the weather, the markets) stays when the detector kept
    its label.

    >>> sorted(announced_lists(["Menu", "The band will play these dates next summer:", "June 9 -- Tampa",
    ...                         "June 10 -- Miami", "June 14 -- Atlanta", "Share"]))
    [1, 2, 3, 4]
    """
    heads = [i for i, text in enumerate(texts) if introduces_list(text) and word_count(text) >= ANNOUNCING_WORDS]
    if not heads:  # most pages: no line to read the items of
        return set()
    bullets, plain = _runs(texts)
    listed: Set[int] = set()
    for i in heads:
        items = _items(bullets, plain, i)
        if items:
            listed.update(range(i, i + items + 1))
    return listed
