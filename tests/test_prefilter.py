"""The stage screen (cleaner.rules.prefilter) only skips work: with or without it, every rule
fires exactly as before, for the built-in packs and for any user pattern."""
from __future__ import annotations

import json
from typing import List, Optional, Tuple

import pytest
import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import cleaner
from cleaner.config import Options
from cleaner.document import Document, Removal
from cleaner.engine import run_rule_stage
from cleaner.errors import RuleTimeout
from cleaner.ledger import Ledger
from cleaner.rules import Rule, builtin_rules, load_rules_text
from cleaner.rules import superset
from cleaner.rules.loader import matches_any_text
from cleaner.rules.matchers import BlockMatcher, SpanMatcher, word_count
from cleaner.rules.prefilter import (JOIN_FLOATING_MAX_CHARS, PageScreen, StageScreen, anchored_at_start,
                                     joinable_source, stage_screen)
from cleaner.segment import split_text

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PATTERN_RULES = [r for r in builtin_rules() if r.screen() is not None]
# The built-in rules' patterns as the stage screen gets them: (rule id, pattern, max_words),
# from block and span rules' screen() and rest-of-page rules' hint().
SCREENED = [(r.id, *s) for r in builtin_rules() for s in (r.screen(), r.hint()) if s is not None]

# Each screen test runs with the ``regex`` screen and with RE2 standing in (when installed).
ENGINES = [False, pytest.param(True, marks=pytest.mark.skipif(not superset.enabled(), reason="google-re2 absent"))]


def fires(pattern: regex.Pattern, max_words: Optional[int], text: str) -> bool:
    """What a block or span rule with this pattern does to a block of ``text``: touch it or not."""
    if max_words is not None and word_count(text) > max_words:
        return False
    return pattern.search(text) is not None


# --- what may be joined and what counts as anchored ------------------------------------------

@pytest.mark.parametrize("source", [r"(a)\1", r"(?P<x>a)(?P=x)", r"a(?i)b", r"(?x) a b", r"a(*SKIP)(*FAIL)|b",
                                    r"(?V1)a", r"(a|b(?1))", r"(a)?(?(1)a|b)", r"(?#note)a", r"(?a)\w"])
def test_patterns_whose_meaning_depends_on_context_are_not_joined(source: str) -> None:
    assert joinable_source(regex.compile(source)) is None


def test_leading_and_compile_time_flags_become_a_scoped_group() -> None:
    assert joinable_source(regex.compile(r"(?i)^ad$", regex.V0)) == "(?i:^ad$)"
    assert joinable_source(regex.compile(r"^ad$", regex.V0 | regex.IGNORECASE)) == "(?i:^ad$)"
    assert joinable_source(regex.compile(r"(?s)a.b", regex.V0)) == "(?s:a.b)"


@pytest.mark.parametrize("source, anchored", [
    (r"^a", True), (r"(?i)^a|^b", True), (r"^a|b", False), (r"a^", False), (r"(^a)", False),
    (r"^*a", False), (r"[|]^a", False), (r"^[|]a|^b", True), (r"^[]|]a", True), (r"^\|a|^b", True),
    (r"(?m)^a", False), (r"^(?:a|b)", True), (r"^[[:alpha:]]|b", False),
])
def test_anchored_at_start(source: str, anchored: bool) -> None:
    assert anchored_at_start(regex.compile(source, regex.V0)) is anchored


# --- the screen never says "no" where a rule would fire -------------------------------------

def chrome_like_text() -> st.SearchStrategy:
    """Texts near what the built-in rules look for: their own examples, cut, cased and padded."""
    examples = [line for r in builtin_rules() for e in r.remove_examples + r.keep_examples
                for line in e.input.split("\n") if line.strip()]
    words = st.sampled_from(" ".join(examples).split() + ["©", "|", "-", ":", "2024", "12:30 pm", "https://x.io/a.jpg"])
    return st.one_of(
        st.sampled_from(examples),
        st.lists(words, min_size=1, max_size=30).map(" ".join),
        st.tuples(st.sampled_from(examples), st.sampled_from(["upper", "lower", "title", "same"]),
                  st.text(max_size=5)).map(lambda t: getattr(t[0], t[1], lambda: t[0])() + t[2]),
        st.text(max_size=80),
    )


@pytest.mark.parametrize("use_re2", ENGINES)
@SETTINGS
@given(chrome_like_text())
def test_builtin_screen_says_maybe_wherever_a_builtin_rule_fires(use_re2: bool, text: str) -> None:
    screen = StageScreen([(p, m) for _, p, m in SCREENED], use_re2)
    candidates = screen.candidates(text, 1.0)
    for rule_id, pattern, max_words in SCREENED:
        if screen.covers((pattern, max_words)) and fires(pattern, max_words, text):
            assert (pattern, max_words) in candidates, (rule_id, text)


@pytest.mark.parametrize("use_re2", ENGINES)
def test_every_builtin_pattern_and_hint_is_covered(use_re2: bool) -> None:
    screen = StageScreen([(p, m) for _, p, m in SCREENED], use_re2)
    assert [rule_id for rule_id, p, m in SCREENED if not screen.covers((p, m))] == []
    assert any(r.hint() is not None for r in builtin_rules())


# Small user patterns from a grammar with the constructs that could misbehave when joined:
# anchors, alternation, sets holding '|', lookarounds, scoped and leading flags, quantifiers.
ATOMS = ["a", "b", "ab", "A", "B", r"\w", r"\d", r"\s", r"\W", ".", r"\p{Lu}", r"\p{Ll}", "[|a]", "[^b]",
         r"\|", r"\b", "$", "^", r"\.", " ", "(?i)", r"\1", "(*SKIP)", "(*PRUNE)"]


def _regex_grammar(atoms: List[str], quantifiers: List[str], wrappers: List[str], anchor: str,
                   flags: List[str]) -> st.SearchStrategy:
    """Patterns made of ``atoms``: sequences, alternations, quantified groups and each of
    ``wrappers`` (format strings such as ``"(?!{})"``) around smaller patterns; at the top,
    two alternatives, some starting with ``anchor``, after one of the leading ``flags``."""
    def extend(inner: st.SearchStrategy) -> st.SearchStrategy:
        return st.one_of(
            st.lists(inner, min_size=1, max_size=4).map("".join),
            st.tuples(inner, inner).map(lambda t: f"(?:{t[0]}|{t[1]})"),
            st.tuples(inner, st.sampled_from(quantifiers)).map(lambda t: f"(?:{t[0]}){t[1]}"),
            *[inner.map(wrapper.format) for wrapper in wrappers],
        )

    body = st.recursive(st.sampled_from(atoms), extend, max_leaves=6)
    top = st.one_of(body, st.tuples(body, body).map("|".join), body.map(lambda s: anchor + s),
                    st.tuples(body, body).map(lambda t: f"^{t[0]}|{anchor}{t[1]}"))
    return st.tuples(st.sampled_from(flags), top).map("".join)


def _pattern() -> st.SearchStrategy:
    return _regex_grammar(ATOMS, ["*", "+", "?", "{1,2}", "*?"],
                          ["(?!{})", "(?={})", "(?<!{})", "(?i:{})", "({})"], "^", ["", "(?i)", "(?s)", "(?m)"])


def compiled(source: str) -> Optional[regex.Pattern]:
    try:
        return regex.compile(source, regex.V0)
    except regex.error:
        return None


def _assert_maybe_wherever_one_fires(specs: List[Tuple[str, Optional[int]]], texts: List[str],
                                     use_re2: bool = False) -> None:
    """The stage screen of ``specs`` (pattern source, word limit) names each covered pattern
    as a candidate on every text where it fires."""
    screened = [(p, m) for p, m in ((compiled(s), m) for s, m in specs) if p is not None]
    screen = StageScreen(screened, use_re2)
    for text in texts:
        candidates = screen.candidates(text, 1.0)
        for p, m in screened:
            if screen.covers((p, m)) and fires(p, m, text):
                assert (p, m) in candidates, (screened, text)


@pytest.mark.parametrize("use_re2", ENGINES)
@SETTINGS
@given(st.lists(st.tuples(_pattern(), st.sampled_from([None, 1, 3])), min_size=1, max_size=4),
       st.lists(st.text(alphabet="aAbB |.1\n", max_size=12), min_size=1, max_size=6))
# Joined naively, these would hide the second pattern: a backtracking verb ends the attempt for
# every branch, and a backreference would point at the first pattern's group.
@example([("a(*SKIP)(*FAIL)", None), ("ab", None)], ["ab"])
@example([(r"(a)\1", None), (r"(b)\1", None)], ["bb"])
def test_generated_screen_says_maybe_wherever_a_generated_pattern_fires(
        use_re2: bool, specs: List[Tuple[str, Optional[int]]], texts: List[str]) -> None:
    _assert_maybe_wherever_one_fires(specs, texts, use_re2)


@pytest.mark.parametrize("use_re2", ENGINES)
@SETTINGS
@given(st.lists(st.tuples(_pattern(), st.sampled_from([None, 1, 3, 12, 30, 60])), min_size=1, max_size=4),
       st.lists(st.lists(st.text(alphabet="aAbB|.1", min_size=5, max_size=8), min_size=9, max_size=70).map(" ".join),
                min_size=1, max_size=3))
def test_long_texts_meet_each_floating_pattern_within_its_word_limit(
        use_re2: bool, specs: List[Tuple[str, Optional[int]]], texts: List[str]) -> None:
    """Past ``JOIN_FLOATING_MAX_CHARS`` the floating patterns are tried one by one, each only
    on blocks its rule may see: still "maybe" wherever a pattern fires."""
    assert all(len(text) > JOIN_FLOATING_MAX_CHARS for text in texts)
    _assert_maybe_wherever_one_fires(specs, texts, use_re2)


def _rules_yaml(specs: List[Tuple[str, Optional[int], str]]) -> str:
    lines = ["rules:"]
    for i, (source, max_words, kind) in enumerate(specs):
        quoted = json.dumps(source)  # a YAML double-quoted scalar: the backslashes reach the loader as written
        match = f"{{span: {quoted}}}" if kind == "span" else (
            f"{{block: {quoted}" + (f", max_words: {max_words}}}" if max_words else "}"))
        lines += [f"  - id: user-{i}", "    summary: generated", "    why: test",
                  f"    match: {match}", "    examples: {remove: ['x'], keep: ['y']}"]
    return "\n".join(lines)


def _run(rules, text: str, screened: bool) -> Tuple[list, list]:
    doc = Document(blocks=tuple(split_text(text)))
    ledger = Ledger(doc)
    options = Options(language=False, detector=False)
    screen = PageScreen(stage_screen(rules) if screened else StageScreen(()), options.regex_timeout)
    seen: dict = {}
    for _ in range(2):  # a second pass, as the engine's, with the memory of what each rule saw
        run_rule_stage(ledger, "user", rules, doc, None, options, seen=seen, screen=screen)
    return ledger.removals, [b.text for b in ledger.alive()]


@SETTINGS
@given(st.lists(st.tuples(_pattern(), st.sampled_from([None, 2]), st.sampled_from(["block", "span"])),
                min_size=1, max_size=5),
       st.lists(st.text(alphabet="aAbB |.1", min_size=1, max_size=12), min_size=1, max_size=8))
@example([(r"(a)\1", None, "block"), (r"\d\.", None, "span")], ["aa b", "1. b"])
def test_user_rules_remove_the_same_with_and_without_the_screen(specs, lines: List[str]) -> None:
    # A rule file refuses a pattern that does not compile or that matches an empty text.
    specs = [s for s in specs if compiled(s[0]) is not None and not matches_any_text(compiled(s[0]))]
    if not specs:
        return
    rules = load_rules_text(_rules_yaml(specs))
    assert [r.screen()[0].pattern for r in rules] == [s for s, _, _ in specs]
    text = "\n".join(lines)
    assert _run(rules, text, True) == _run(rules, text, False)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(chrome_like_text(), min_size=1, max_size=12))
def test_builtin_stage_removes_the_same_with_and_without_the_screen(lines: List[str]) -> None:
    rules = [r for r in builtin_rules() if not r.domains]
    text = "\n".join(line.replace("\n", " ") for line in lines)
    assert _run(rules, text, True) == _run(rules, text, False)


def test_each_pattern_rule_is_shown_only_the_blocks_its_pattern_may_be_found_in(monkeypatch) -> None:
    """The screen answers per pattern: a rule is not shown a block that only another rule's
    pattern is found in (here under ``regex``, which answers for each floating pattern)."""
    monkeypatch.setenv("CLEANER_SCREEN", "regex")
    rules = load_rules_text(_rules_yaml([("alpha", None, "block"), ("beta", None, "block")]))
    shown = {}
    for rule in rules:
        def spy(page, rule=rule, find=rule.find):
            shown[rule.id] = [b.text for b in page.blocks]
            return find(page)
        monkeypatch.setattr(rule, "find", spy)
    removals, left = _run(rules, "an alpha line\na beta line\na gamma line", True)
    assert shown == {"user-0": ["an alpha line"], "user-1": ["a beta line"]}
    assert left == ["a gamma line"]


def test_a_rest_of_page_rule_is_told_which_blocks_its_marker_may_be_in(monkeypatch) -> None:
    """A rest-of-page rule sees the whole page (it cuts the tail) but tests for its marker
    only in the blocks the screen names (``Page.hinted``); it removes the same."""
    monkeypatch.setenv("CLEANER_SCREEN", "regex")
    rules = load_rules_text("""rules:
  - id: user-tail
    summary: generated
    why: test
    match: {rest-of-page: {marker: '^Comments$', within: 0.9, max_words: 3}}
    examples: {remove: ['x'], keep: ['y']}
""")
    shown = []
    find = rules[0].find
    monkeypatch.setattr(rules[0], "find", lambda page: shown.append(page) or find(page))
    text = "The council met on Monday to vote.\nIt passed.\nComments\nGreat news."
    removals, left = _run(rules, text, True)
    assert [b.text for b in shown[0].blocks] == text.split("\n")
    assert shown[0].hinted == {2}
    assert left == ["The council met on Monday to vote.", "It passed."]
    assert _run(rules, text, False) == (removals, left)


class _PluginWithOtherHint(Rule):
    """A plugin whose ``hint`` is its own business (not a method), or returns no pattern pair."""

    id = "plugin-hint"
    context_free = True

    def __init__(self, hint) -> None:
        self.hint = hint

    def find(self, page):
        return [Removal(b.index, self.id, "rules", "says ad") for b in page.blocks if b.text == "ad"]


@pytest.mark.parametrize("hint", ["a string", lambda: ["not", "a", "pair"], lambda: ({}, 3)])
def test_a_plugin_hint_that_is_not_a_pattern_pair_leaves_the_rule_unscreened(hint) -> None:
    out = cleaner.clean("The council met on Monday to vote on the budget.\nad", rules=[_PluginWithOtherHint(hint)],
                        builtin_rules=False, language=False, detector=False)
    assert out == "The council met on Monday to vote on the budget."


# --- timeouts ----------------------------------------------------------------------------------

class _SlowScreen(StageScreen):
    def __init__(self) -> None:
        super().__init__([(regex.compile("x", regex.V0), None)])
        self.calls = 0

    def candidates(self, text: str, timeout: float):
        self.calls += 1
        raise TimeoutError


def test_a_screen_timeout_switches_the_screen_off_for_the_page() -> None:
    slow = _SlowScreen()
    page = PageScreen(slow, 0.1)
    assert page.candidates("a") == page.candidates("b") == page.candidates("c") == slow.covered != frozenset()
    assert slow.calls == 1  # one timeout at most per page: the rules' own calls then run


def test_catastrophic_user_pattern_on_many_blocks_still_names_the_rule(monkeypatch) -> None:
    monkeypatch.setenv("CLEANER_SCREEN", "regex")  # RE2 would answer "not found" at once (below)
    rules = load_rules_text(_rules_yaml([("^(a|aa)+$", None, "block")]), "mine.yaml")
    with pytest.raises(RuleTimeout) as info:
        cleaner.clean("\n".join(["a" * 40 + "b"] * 5), rules=rules, builtin_rules=False,
                      language=False, detector=False, regex_timeout=0.1)
    assert info.value.rule_id == "user-0"


@pytest.mark.skipif(not superset.enabled(), reason="google-re2 absent")
def test_with_re2_a_catastrophic_pattern_that_cannot_match_is_never_run() -> None:
    """RE2 runs the pattern's loose form in linear time and finds nothing: the rule's own
    backtracking search is never started, so nothing times out and nothing is removed."""
    rules = load_rules_text(_rules_yaml([("^(a|aa)+$", None, "block")]), "mine.yaml")
    text = "\n".join(["a" * 40 + "b"] * 5)
    result = cleaner.clean_document(text, rules=rules, builtin_rules=False, language=False, detector=False,
                                    regex_timeout=0.1)
    assert not result.removals and result.text.split() == text.split()


# --- needles and first word characters ---------------------------------------------------------

from cleaner.rules.prefilter import first_word_chars, needles, with_first_word_test  # noqa: E402

ALL_CHARS = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)


def test_non_word_escapes_never_match_a_word_character() -> None:
    """The reader takes ``\\W`` and ``\\s`` for characters that are never ``\\w``."""
    word = set(regex.findall(r"\w", ALL_CHARS))
    assert not word & set(regex.findall(r"\s", ALL_CHARS))
    assert not word & set(regex.findall(r"\W", ALL_CHARS))


def test_case_variants_are_what_a_case_insensitive_literal_matches() -> None:
    """Needles and first word characters rest on the regex module's list of a letter's cases."""
    from cleaner.rules.syntax import case_forms
    for char in "aiksIKSß" + "éøçñüœ" + "кфσΣ" + "ǅ":
        found = set(regex.findall("(?i)" + regex.escape(char), ALL_CHARS))
        assert found == case_forms(char, regex.V0 | regex.UNICODE), char


@pytest.mark.parametrize("source, expected", [
    (r"(?i)\bwe use cookies|cookie (?:policy|settings)", {"we use cookies", "cookie "}),
    (r"colou?r", {"colo"}),
    (r"(?i)(?:share|save) this (?:event|article)", {"event", "article"}),  # the longest shortest needle
    (r"(?:back|return|go back) to (?:the )?(?:blog|news)", {"blog", "news"}),  # then the fewest
    (r"[|]abc|x[]|]def", {"abc", "def"}),
    (r"\.(?:jpe?g|png)", None),             # 'jp' is too short a needle
    (r"abc(?=xyz)|(?<!q)def", {"abc", "def"}),
    (r"a\d+bcd\s*(?:efg)+", {"bcd"}),
    (r"(?:xyz)?abcd|ab{2}cd", None),        # 'cd' and 'ab' are too short
    (r"(?i)STRASSE|straße", {"strasse"}),
    (r"\u00dfe{3}", None),                  # escapes it does not read: no needles
    (r"abc\N{LATIN SMALL LETTER A}def", None),  # syntax the reader does not know
    (r"a{,3}bcd{x", None),
])
def test_needles(source: str, expected) -> None:
    found, _ = needles(regex.compile(source, regex.V0))
    assert found == (None if expected is None else frozenset(expected))


def test_a_text_holding_an_unusual_case_variant_is_searched_without_needles() -> None:
    pattern = regex.compile(r"(?i)\binvest now\b", regex.V0)
    found, unsafe = needles(pattern)
    assert found == {"invest now"} and "\u0130" in unsafe  # 'İ' matches 'i' but folds to 'i̇'
    text = "Some words before we say: \u0130NVEST NOW, and more words after that to be long enough."
    assert pattern.search(text) and StageScreen([(pattern, None)]).candidates(text, 1.0) == {(pattern, None)}


@pytest.mark.parametrize("source, expected", [
    (r"^\W*(?:ad|tags?):", {"a", "t"}),
    (r"(?i)^\W*(?:by|von)\s", {"b", "B", "v", "V"}),
    (r"(?i)^\W*k", {"k", "K", "\u212a"}),
    (r"^\W*(?:\d+ comments|no comments)", None),    # a digit class: not a set of characters
    (r"^\W*(?:©|copyright)", None),                  # a match may hold no word character
    (r"^(?:[^.]{1,9}, )?thanks", None),
    (r"^\W*(?=x)(?:y)?z", {"y", "z"}),
])
def test_first_word_chars(source: str, expected) -> None:
    found = first_word_chars(regex.compile(source, regex.V0))
    assert found == (None if expected is None else frozenset(expected))


WORDS = ["cook", "ies", "share", "this", "İnvest", "ınvest", "STRAẞE", "straße", "Kelvin", "ſhare", "σίγμα",
         "ΣΊΓΜΑ", "©", "2024", "a", "b", "|", ".", "-", ":", "(c)", "  ", "\n"]
WORD_ATOMS = ["cook", "ies", "share", "this", "invest", "straße", "kelvin", "σίγμα", "ΣΙΓΜΑ", "[|a]", "[^b]",
              r"\w", r"\W", r"\s", r"\d", ".", r"\b", r"\.", r"\|", " ", r"\p{Lu}", "©", "(?i)"]


def _word_pattern() -> st.SearchStrategy:
    return _regex_grammar(WORD_ATOMS, ["*", "+", "?", "{1,2}", "{2}", "*?", "++"],
                          ["(?!{})", "(?={})", "(?<={})", "(?i:{})", "(?-i:{})", "({})", "(?P<g>{})", "(?>{})"],
                          r"^\W*", ["", "(?i)", "(?s)"])


def _word_text() -> st.SearchStrategy:
    return st.lists(st.sampled_from(WORDS), min_size=1, max_size=20).map("".join) | \
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=20).map(" ".join)


@SETTINGS
@given(_word_pattern(), st.lists(_word_text(), min_size=1, max_size=5))
def test_needles_and_first_word_chars_hold_wherever_the_pattern_matches(source: str, texts: List[str]) -> None:
    pattern = compiled(source)
    if pattern is None or joinable_source(pattern) is None:
        return
    found, unsafe = needles(pattern)
    first = first_word_chars(pattern)
    guarded = regex.compile(with_first_word_test(pattern, joinable_source(pattern)), regex.V0)
    for text in texts:
        if found is not None and pattern.search(text) and not any(c in text for c in unsafe):
            assert any(n in text.casefold() for n in found), (source, text, found)
        if anchored_at_start(pattern):
            assert bool(guarded.match(text)) == bool(pattern.match(text)), (source, text)
            if first is not None and pattern.match(text):
                assert regex.search(r"\w", text).group() in first, (source, text, first)


@SETTINGS
@given(st.lists(st.tuples(_word_pattern(), st.sampled_from([None, 3, 30])), min_size=1, max_size=4),
       st.lists(_word_text(), min_size=1, max_size=5))
def test_screen_with_needles_says_maybe_wherever_a_word_pattern_fires(
        specs: List[Tuple[str, Optional[int]]], texts: List[str]) -> None:
    _assert_maybe_wherever_one_fires(specs, texts)
