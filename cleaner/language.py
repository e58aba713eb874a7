"""Page language and off-language paragraphs: a cheap script check, then seeded langdetect.

* The page language comes from its longest blocks: their dominant Unicode
  script, and when the script is shared by many languages (Latin, Cyrillic,
  Arabic, Devanagari...) a vote of langdetect over the longest prose blocks,
  weighted by length (:func:`page_language`).
* A block whose script differs from the page's is off-language, unless at
  least ``MIXED_SHARE`` of its words hold letters of the page's script (handles,
  URLs and tokens without a letter do not count), or it is one of a run of at most
  ``QUOTED_RUN`` such blocks between two prose blocks in the page's script (a
  quotation in its original script, a shell command). A same-script
  block is asked of langdetect only when it has at least ``MIN_WORDS`` words
  and reads as prose (titles, names, code and tables fool langdetect), and
  only when its function words do not already say it is in the page's language
  (:func:`reads_as`); it goes only when langdetect is at least ``MIN_PROB``
  sure of another language and that language's function words back it
  (:func:`_function_words_back`); a close neighbour of the page's language
  (Norwegian on a Swedish page) only in a block of ``NEIGHBOUR_MIN_WORDS``+ words.
* Never on one- or two-word lines: langdetect calls "ISTANBUL" Indonesian.

Detection is deterministic: one seeded factory of our own, not langdetect's
global state. ``langdetect-rs`` (bit-identical, ~40x faster) is used when
installed; ``CLEANER_LANGDETECT=langdetect`` forces the reference library.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from functools import lru_cache
from itertools import islice
from operator import itemgetter
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

import regex

from .document import Block, Removal
from .textshape import is_paragraph, word_count

MIN_WORDS = 5
MIN_PROB = 0.9
# A block this much in the page's script is the page's language mixed with another
# script (a byline with an e-mail address, a trademark notice naming a brand): it stays.
MIXED_SHARE = 0.3
# langdetect tells close neighbours apart on a long paragraph, not on a short one, and it
# names a neighbour for a language it does not know (an Icelandic page voted Swedish, then
# its eight-word sentences Norwegian): a block claimed by a neighbour of the page's
# language (``_NEIGHBOURS``) goes only from this many words.
NEIGHBOUR_MIN_WORDS = 12
_SAMPLE_WORDS = 40
SEED = 0
_VOTERS = 6
_PROSE_LOWER = 0.6
_PROSE_LETTERS = 0.85
_SAMPLE_LETTERS = 120
_FIRST = itemgetter(0)
# Deleting the non-letters leaves the letters in order: one C-level pass instead
# of a list with one string per letter.
_NON_LETTERS = regex.compile(r"\P{L}+")
# Runs of non-ASCII characters: the standard library's scanner finds them several times
# faster than ``regex`` tests a Unicode property, so only they are asked about letters.
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# In ASCII the letters are A-Z and a-z; deleting every other byte with
# bytes.translate counts them at memory speed (str.isalpha per character is ~30x slower).
_ASCII_NON_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())
# The page script is counted on the first letters of each of its longest blocks.
_PAGE_SAMPLE_LETTERS = 2000
# Scripts that name one language, and families written together (Japanese mixes three).
_SCRIPT_LANGUAGE = {"Hangul": "ko", "Greek": "el", "Thai": "th", "Hebrew": "he", "Georgian": "ka",
                    "Armenian": "hy", "Bengali": "bn", "Tamil": "ta", "Telugu": "te", "Kannada": "kn",
                    "Malayalam": "ml", "Gujarati": "gu", "Gurmukhi": "pa", "Oriya": "or", "Sinhala": "si",
                    "Khmer": "km", "Lao": "lo", "Myanmar": "my", "Tibetan": "bo", "Kana": "ja"}
_SCRIPTS = ("Latin", "Cyrillic", "Arabic", "Devanagari", "Han", "Hiragana", "Katakana", "Ethiopic",
            *[s for s in _SCRIPT_LANGUAGE if s != "Kana"])
_SCRIPT_RES = [(name, regex.compile(rf"\p{{Script={name}}}")) for name in _SCRIPTS]
_FAMILY = {"Hiragana": "Kana", "Katakana": "Kana"}


@lru_cache(maxsize=4096)
def char_script(ch: str) -> str:
    """The script family of one letter ('Latin', 'Cyrillic', 'Han', 'Kana'...)."""
    for name, pattern in _SCRIPT_RES:
        if pattern.match(ch):
            return _FAMILY.get(name, name)
    return "Other"


def _letters(text: str, limit: int) -> str:
    """The first ``limit`` letters among the first ``4 * limit`` characters."""
    return _NON_LETTERS.sub("", text[: limit * 4])[:limit]


def _add_scripts(counts: Counter, letters: str) -> Counter:
    """Add each letter's script to ``counts``: the same counts, keys in the same order as
    counting letter by letter, with one :func:`char_script` call per distinct letter."""
    for letter, n in Counter(letters).items():
        counts[char_script(letter)] += n
    return counts


def _ascii_letter_count(text: str) -> int:
    return len(text.encode("ascii", "ignore").translate(None, _ASCII_NON_LETTERS))


def _non_ascii_letters(text: str) -> str:
    """The letters among the non-ASCII characters of ``text``, in order."""
    return _NON_LETTERS.sub("", "".join(_NON_ASCII.findall(text)))


def letter_count(text: str) -> int:
    """How many letters (Unicode category L) ``text`` holds.

    >>> letter_count("Le 3 mai, à Paris")
    11
    """
    if text.isascii():
        return _ascii_letter_count(text)
    return _ascii_letter_count(text) + len(_non_ascii_letters(text))


def dominant_script(text: str, sample: int = _SAMPLE_LETTERS) -> Optional[str]:
    """The script of most of the first ``sample`` letters in the first ``4 * sample`` characters.

    None when there are no letters there.

    >>> dominant_script("Привет, мир"), dominant_script("1234")
    ('Cyrillic', None)
    """
    head = text[: sample * 4]
    if head.isascii():
        return "Latin" if any(map(str.isalpha, head)) else None
    if not _non_ascii_letters(head):  # curly quotes, dashes...: every letter is ASCII, Latin
        return "Latin" if _ascii_letter_count(head) else None
    counts = Counter(map(char_script, _letters(text, sample)))
    return counts.most_common(1)[0][0] if counts else None


def _page_script(texts: Sequence[str]) -> Optional[str]:
    """Japanese pages mix Kana and Han; a page with any real Kana share is Kana.

    Only each text's head is read (the sample :func:`_letters` takes).
    """
    return _script_of_heads(tuple(text[: 4 * _PAGE_SAMPLE_LETTERS] for text in texts))


@lru_cache(maxsize=256)
def _script_of_heads(heads: Tuple[str, ...]) -> Optional[str]:
    """:func:`_page_script` of texts cut to their heads. Remembered: the engine asks again on
    every pass, mostly of the same longest blocks; keyed on heads, a long page costs no more."""
    counts: Counter = Counter()
    for head in heads:
        if head.isascii():  # the same sample as _letters takes, counted without the list
            counts["Latin"] += min(letter_count(head), _PAGE_SAMPLE_LETTERS)
        else:
            _add_scripts(counts, _letters(head, _PAGE_SAMPLE_LETTERS))
    if not counts:
        return None
    if counts["Kana"] >= 0.1 * sum(counts.values()):
        return "Kana"
    return counts.most_common(1)[0][0]


def _same_script(block_script: str, page_script: str) -> bool:
    cjk = {"Han", "Kana"}
    return block_script == page_script or (block_script in cjk and page_script in cjk) or \
        (page_script == "Hangul" and block_script == "Han")


class LanguageDetector:
    """A seeded langdetect factory (langdetect-rs when installed, same labels)."""

    def __init__(self, backend: Optional[str] = None) -> None:
        self.backend = backend or os.environ.get("CLEANER_LANGDETECT") or _default_backend()
        if self.backend == "langdetect-rs":
            from langdetect_rs import DetectorFactory, PROFILES_DIRECTORY
        else:
            from langdetect.detector_factory import DetectorFactory, PROFILES_DIRECTORY
        self._factory = DetectorFactory()
        self._factory.load_profile(PROFILES_DIRECTORY)
        self._factory.seed = SEED
        self.probabilities = lru_cache(maxsize=4096)(self._probabilities)

    def _probabilities(self, text: str) -> Tuple[Tuple[str, float], ...]:
        """[(language, probability), ...] best first; [] when langdetect finds no features."""
        detector = self._factory.create()
        detector.append(text)
        try:
            return tuple((p.lang, p.prob) for p in detector.get_probabilities())
        except Exception:  # LangDetectException: no usable features in the text
            return ()


def _default_backend() -> str:
    try:
        import langdetect_rs  # noqa: F401
        return "langdetect-rs"
    except ImportError:
        return "langdetect"


@lru_cache(maxsize=2)
def detector(backend: Optional[str] = None) -> LanguageDetector:
    """One detector per process (profiles load once)."""
    return LanguageDetector(backend)


# Codes that name a language langdetect knows under another code (Norwegian Bokmål and
# Nynorsk, the withdrawn ISO codes of Hebrew and Indonesian).
_CODE_ALIASES = {"nb": "no", "nn": "no", "iw": "he", "in": "id", "ji": "yi"}


def normalise_code(code: str) -> str:
    """A language code as the stage compares them.

    >>> [normalise_code(c) for c in ("zh-cn", "pt_BR", "EN", "nb", "iw")]
    ['zh', 'pt', 'en', 'no', 'he']
    """
    base = code.replace("_", "-").split("-")[0].lower()
    return _CODE_ALIASES.get(base, base)


@lru_cache(maxsize=1)
def known_languages() -> FrozenSet[str]:
    """The codes a page can be in for this stage: langdetect's profiles (``zh-cn`` read as
    ``zh``) and the languages a script alone names (``ka`` for Georgian...). A page forced
    to any other code would lose every prose block as off-language."""
    from langdetect.detector_factory import PROFILES_DIRECTORY
    return frozenset(normalise_code(name) for name in os.listdir(PROFILES_DIRECTORY)) | frozenset(_SCRIPT_LANGUAGE.values())


def is_sentence_like(text: str) -> bool:
    """Sentence-like: most words start lower-case and most characters are letters.

    Titles, names, ALL-CAPS lines, code and tables fool langdetect; prose does not.

    >>> is_sentence_like("the plan was approved on Monday by the council"), is_sentence_like("GRAND HOTEL RESORT & SPA")
    (True, False)
    """
    words = text.split()
    if not words:
        return False
    lower = sum(map(str.islower, map(_FIRST, words))) / len(words)  # split() words are never empty
    dense = len(text) - text.count(" ")
    return lower >= _PROSE_LOWER and letter_count(text) >= _PROSE_LETTERS * dense


def page_language(blocks: Sequence[Block]) -> Optional[str]:
    """ISO 639-1 code of the page, or None when it cannot tell.

    The dominant script of the longest blocks names the language when only one
    language uses it; otherwise the longest prose blocks vote, weighted by length.
    A text that stands on the page more than once, digits aside, does not vote
    (a repeated sign-up pitch, a "lorem ipsum" placeholder in every product card,
    the variants of one listing), unless every prose block is repeated.
    """
    by_length = sorted((b.text for b in blocks), key=len, reverse=True)  # stable: page order among equals
    longest = by_length[:8]
    texts = [t for t in longest if len(t) >= 20] or longest
    if not texts:
        return None
    script = _page_script(texts)
    if script in _SCRIPT_LANGUAGE:
        return _SCRIPT_LANGUAGE[script]
    if script == "Han":
        return "zh"
    # The longest prose blocks of 40+ characters; walking the blocks longest first
    # and stopping at the sixth gives the same list as sorting all prose blocks.
    shapes = Counter(map(_shape, by_length))
    once = (t for t in by_length if len(t) >= 40 and shapes[_shape(t)] == 1 and is_sentence_like(t))
    voters = list(islice(once, _VOTERS)) or \
        list(islice(dict.fromkeys(t for t in by_length if len(t) >= 40 and is_sentence_like(t)), _VOTERS))
    return _vote(voters or [" ".join(texts)[:3000]])


_DIGITS = re.compile(r"\d+")


def _shape(text: str) -> str:
    """A text with its digits left out: "Chain, 104 links" and "Chain, 120 links" match."""
    return _DIGITS.sub("", text)


def _vote(voters: Sequence[str]) -> Optional[str]:
    """The language with the most letters of ``voters`` behind it (first seen wins a tie)."""
    votes: Counter = Counter()
    left = sum(map(len, voters))
    for text in voters:
        left -= len(text)
        probs = detector().probabilities(text[:1000])
        if probs:
            votes[normalise_code(probs[0][0])] += len(text)
        ranked = votes.most_common(2)
        # Stop asking langdetect once the leader wins even if every vote left goes to the runner-up.
        if ranked and ranked[0][1] > (ranked[1][1] if len(ranked) > 1 else 0) + left:
            break
    return votes.most_common(1)[0][0] if votes else None


def page_script_of(language: Optional[str], blocks: Sequence[Block]) -> Optional[str]:
    """The script of the page: the one ``language`` is written in when only it uses that
    script, else the dominant script of the longest blocks."""
    reverse = {v: k for k, v in _SCRIPT_LANGUAGE.items()}
    if language in reverse:
        return reverse[language]
    longest = sorted(blocks, key=lambda b: len(b.text), reverse=True)[:8]
    return _page_script([b.text for b in longest])


@lru_cache(maxsize=64)
def stopwords(language: Optional[str]) -> FrozenSet[str]:
    """The jusText stoplist of a language (by ISO code), empty when there is none."""
    name = _JUSTEXT_NAMES.get(language or "")
    if not name:
        return frozenset()
    try:
        import justext
        return frozenset(justext.get_stoplist(name))
    except (ImportError, ValueError):
        return frozenset()


# A handle, an e-mail address or a URL names something in no language (a hashtag is a word).
_IDENTIFIER = re.compile(r"^\W*@\w|\w@\w|://|^\W*www\.")


def _script_share(text: str, script: str) -> float:
    """The share of the block's first words that hold a letter of ``script``.

    Words, not letters (one Hangul syllable carries as much as several Latin
    letters); an unspaced run of Han or Kana counts as many words as
    :func:`~cleaner.textshape.word_count` gives it. Handles, e-mail addresses,
    URLs and tokens without a letter are in no script and do not count (unless
    the block holds nothing else).
    """
    tokens = text.split()[:_SAMPLE_WORDS]
    if not tokens:
        return 0.0
    tokens = [t for t in tokens if not _IDENTIFIER.search(t) and any(map(str.isalpha, t))] or tokens
    sizes = [max(1, word_count(t)) for t in tokens]
    inside = sum(n for t, n in zip(tokens, sizes)
                 if any(ch.isalpha() and _same_script(char_script(ch), script) for ch in t))
    return inside / sum(sizes)


# Languages whose function words overlap so much that a stoplist share cannot tell them
# apart (and English, the usual intruder on any page): a block reads as the page's
# language only when the page's stoplist covers more of its words than each of these.
_NEIGHBOURS: Dict[str, Tuple[str, ...]] = {
    "es": ("pt", "gl", "ca", "it"), "pt": ("es", "gl"), "gl": ("pt", "es"), "ca": ("es", "oc", "fr"),
    "oc": ("ca", "fr"), "it": ("es", "pt"), "fr": ("ca", "oc"), "ro": ("it",),
    "cs": ("sk",), "sk": ("cs",), "pl": ("cs", "sk"),
    "da": ("no", "nn", "sv"), "no": ("da", "nn", "sv"), "nb": ("da", "nn", "sv"), "nn": ("no", "da"),
    "sv": ("no", "da"), "is": ("da", "no"),
    "hr": ("sr", "bs", "sl"), "sr": ("hr", "bs"), "bs": ("hr", "sr"), "sl": ("hr", "bs"),
    "ru": ("uk", "be", "bg"), "uk": ("ru", "be"), "be": ("ru", "uk"), "bg": ("mk", "ru"), "mk": ("bg", "sr"),
    "id": ("ms", "jv"), "ms": ("id",), "jv": ("id",), "nl": ("af", "de"), "af": ("nl",), "de": ("nl", "lb"),
    "lb": ("de",), "hi": ("mr", "ne"), "mr": ("hi", "ne"), "ne": ("hi", "mr"), "fa": ("ur",), "ur": ("fa",),
}
# A block reads as the page's language when at least this share of its first words are
# that language's stopwords (and it has at least STOPWORD_MIN_WORDS of them to count; langdetect
# guesses wildly on lines of five to seven words, and gave many plain English ones away).
STOPWORD_SHARE = 0.3
STOPWORD_MIN_WORDS = 5
_STOPWORD_SAMPLE_CHARS = 400
_WORDS = regex.compile(r"\w+")


def _first_words(text: str) -> List[str]:
    """The lower-cased words of a block's start, where its function words are counted."""
    return _WORDS.findall(text[:_STOPWORD_SAMPLE_CHARS].lower())


def reads_as(text: str, language: str) -> bool:
    """Function words say ``text`` is in ``language``: no need to ask langdetect.

    At least ``STOPWORD_SHARE`` of its first words (of ``STOPWORD_MIN_WORDS`` or more)
    are on the language's stoplist, and more of them than on the stoplist of English
    or of any close neighbour (Spanish and Portuguese share most function words).
    Cheaper than langdetect by an order of magnitude, and right on the short
    plain-English lines langdetect gives to other languages.

    >>> reads_as("The council met on Monday and voted to approve the budget for next year.", "en")
    True
    >>> reads_as("O governo anunciou ontem que vai aumentar os impostos sobre os combustíveis.", "es")
    False
    """
    own = stopwords(language)
    if not own:
        return False
    words = _first_words(text)
    if len(words) < STOPWORD_MIN_WORDS:
        return False
    hits = sum(map(own.__contains__, words))
    if hits < STOPWORD_SHARE * len(words):
        return False
    rivals = _NEIGHBOURS.get(language, ()) + (() if language == "en" else ("en",))
    return all(sum(map(stopwords(r).__contains__, words)) < hits for r in rivals)


# Why a block goes: (rule, reason, score), or None when it stays.
Verdict = Optional[Tuple[str, str, Optional[float]]]


def judge_block(text: str, language: str, script: Optional[str]) -> Verdict:
    """The language stage's call on one block text (see the module doc); depends on nothing else."""
    block_script = dominant_script(text)
    if block_script is None:
        return None
    words = word_count(text)
    if words < 3:
        return None
    if script and not _same_script(block_script, script) and _script_share(text, script) < MIXED_SHARE:
        return "language-script", f"{block_script} script on a {script} page ({language})", None
    if words < MIN_WORDS or not is_sentence_like(text):
        return None
    if reads_as(text, language):
        return None
    probs = detector().probabilities(text)
    if not probs or probs[0][1] < MIN_PROB:
        return None
    claimed = normalise_code(probs[0][0])
    if claimed == language or not _function_words_back(text, claimed, language):
        return None
    if claimed in _NEIGHBOURS.get(language, ()) and words < NEIGHBOUR_MIN_WORDS:
        return None
    return ("language-mismatch", f"langdetect: {probs[0][0]} p={probs[0][1]:.2f}, page is {language}",
            round(probs[0][1], 3))


# A block claimed by another language goes only when at least this share of its first words
# are that language's stopwords: in the stories of the 30 languages of bench/languages.py
# that have a stoplist they are about half the words (of their 264 paragraphs of 5+ words
# in the blank-lined input, one is under 0.2: five Korean words). English with its letters
# swapped for Cyrillic ones, on a page voted Macedonian, was called Russian at p=1.00
# paragraph by paragraph on the strength of "а", "и" (bench/letter_swap.py).
CLAIMED_SHARE = 0.2


def _function_words_back(text: str, claimed: str, language: str) -> bool:
    """The block's first words hold more stopwords of ``claimed`` than of the page's
    ``language``, and at least ``CLAIMED_SHARE`` of them (true when ``claimed`` has no
    stoplist: nothing to check with).

    langdetect is sure of *some* language even for one it does not know: Icelandic
    read as Hungarian at p=1.00, Kazakh as Russian on a page it calls Ukrainian.
    Such a paragraph has few of the claimed language's function words, so it stays:
    a handful of short words two languages share ("а", "и", "он" in Cyrillic) do
    not make it that language.

    >>> _function_words_back("Minnihlutinn gagnrýndi að ekkert fé væri veitt til að bæta samgöngur.", "hu", "no")
    False
    >>> _function_words_back("The council said that it would vote on the plan in the spring.", "en", "es")
    True
    """
    own = stopwords(claimed)
    if not own:
        return True
    words = _first_words(text)
    hits = sum(map(own.__contains__, words))
    return hits >= CLAIMED_SHARE * len(words) and hits > sum(map(stopwords(language).__contains__, words))


def off_language(blocks: Sequence[Block], language: str, *, script: Optional[str] = None,
                 memo: Optional[Dict[Tuple[str, str, Optional[str]], Verdict]] = None) -> List[Removal]:
    """Removals for blocks not in ``language`` (see the module doc for the tests applied).

    ``memo`` keeps each block text's verdict between calls on the same page
    (the engine's passes), since a verdict depends only on the text, the
    language and the page script.
    """
    script = script or page_script_of(language, blocks)
    memo = {} if memo is None else memo
    verdicts = []
    for block in blocks:
        key = (block.text, language, script)
        if key in memo:
            verdict = memo[key]
        else:
            verdict = memo[key] = judge_block(block.text, language, script)
        verdicts.append(verdict)
    if script:
        _spare_quoted_runs(blocks, verdicts, script)
    removals = []
    for block, verdict in zip(blocks, verdicts):
        if verdict is not None:
            rule, reason, score = verdict
            removals.append(Removal(block.index, rule, "language", reason, score=score))
    return removals


# A run of at most this many blocks in another script, between two prose blocks of the page's
# script, is part of the story: a quotation in its original script, a verse, commands or code.
QUOTED_RUN = 4


def _other_script(text: str, script: str) -> bool:
    block_script = dominant_script(text)
    return block_script is not None and not _same_script(block_script, script)


def _page_prose(text: str, script: str) -> bool:
    """Prose in the page's script: a paragraph (:func:`~cleaner.textshape.is_paragraph`), or
    a line of ``MIN_WORDS``+ words that reads like a sentence or announces what follows
    ("Type this command:", "The prophet said:"); not a teaser title."""
    block_script = dominant_script(text)
    return block_script is not None and _same_script(block_script, script) and (
        is_paragraph(text) or (word_count(text) >= MIN_WORDS and (
            is_sentence_like(text) or text.rstrip().endswith(":"))))


def _spare_quoted_runs(blocks: Sequence[Block], verdicts: List[Verdict], script: str) -> None:
    """Clear the script verdicts of each short run of other-script blocks whose neighbours on
    both sides are prose in the page's script (in place)."""
    i, n = 0, len(blocks)
    while i < n:
        if verdicts[i] is None or verdicts[i][0] != "language-script":
            i += 1
            continue
        j = i
        while j < n and _other_script(blocks[j].text, script):  # with its short lines (not judged)
            j += 1
        if j - i <= QUOTED_RUN and i > 0 and j < n and \
                _page_prose(blocks[i - 1].text, script) and _page_prose(blocks[j].text, script):
            for k in range(i, j):
                if verdicts[k] is not None and verdicts[k][0] == "language-script":
                    verdicts[k] = None
        i = max(j, i + 1)


# jusText stoplist names by ISO 639-1 code (the languages jusText ships that have a code).
_JUSTEXT_NAMES: Dict[str, str] = {
    "af": "Afrikaans", "sq": "Albanian", "ar": "Arabic", "an": "Aragonese", "hy": "Armenian", "az": "Azerbaijani",
    "eu": "Basque", "be": "Belarusian", "bn": "Bengali", "bs": "Bosnian", "br": "Breton", "bg": "Bulgarian",
    "ca": "Catalan", "hr": "Croatian", "cs": "Czech", "da": "Danish", "nl": "Dutch", "en": "English",
    "eo": "Esperanto", "et": "Estonian", "fi": "Finnish", "fr": "French", "gl": "Galician", "ka": "Georgian",
    "de": "German", "el": "Greek", "gu": "Gujarati", "ht": "Haitian", "he": "Hebrew", "hi": "Hindi",
    "hu": "Hungarian", "is": "Icelandic", "id": "Indonesian", "ga": "Irish", "it": "Italian", "jv": "Javanese",
    "kn": "Kannada", "kk": "Kazakh", "ko": "Korean", "ku": "Kurdish", "la": "Latin", "lv": "Latvian",
    "lt": "Lithuanian", "lb": "Luxembourgish", "mk": "Macedonian", "ms": "Malay", "ml": "Malayalam",
    "mr": "Marathi", "mn": "Mongolian", "ne": "Nepali", "no": "Norwegian_Bokmal", "nb": "Norwegian_Bokmal",
    "nn": "Norwegian_Nynorsk", "oc": "Occitan", "fa": "Persian", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sr": "Serbian", "sk": "Slovak", "sl": "Slovenian", "es": "Spanish",
    "sw": "Swahili", "sv": "Swedish", "tl": "Tagalog", "ta": "Tamil", "te": "Telugu", "th": "Thai",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "cy": "Welsh", "yo": "Yoruba",
}
