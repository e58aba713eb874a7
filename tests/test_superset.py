"""RE2 stand-ins for screen patterns (cleaner.rules.superset) match wherever the pattern does."""
from __future__ import annotations

from typing import List

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from cleaner.rules import builtin_rules, superset
from cleaner.rules.prefilter import StageScreen, anchored_at_start, joinable_source

from test_prefilter import SETTINGS, _pattern, _word_pattern, _word_text, compiled

pytestmark = pytest.mark.skipif(not superset.enabled(), reason="google-re2 absent")


def _found_by_superset(pattern: regex.Pattern, texts: List[str], required: bool = True) -> None:
    """Where ``pattern`` is found in a text, its RE2 form says "maybe". Not ``required``: a
    pattern that cannot be joined or written for RE2 is passed over (it stays with ``regex``)."""
    source = joinable_source(pattern)
    written = None if source is None else superset.translated([source])[0]
    if written is None:
        assert not required, pattern.pattern
        return
    loose = superset.Superset([(written, anchored_at_start(pattern))])
    for text in texts:
        if pattern.search(text):
            assert loose.found(text), (pattern.pattern, written, text)


@SETTINGS
@given(st.one_of(_pattern(), _word_pattern()),
       st.lists(st.one_of(_word_text(), st.text(alphabet="aAbB iIİı|.1\né\u00df\u1e9e", max_size=14)),
                min_size=1, max_size=6))
def test_the_re2_form_matches_wherever_the_pattern_does(source: str, texts: List[str]) -> None:
    pattern = compiled(source)
    if pattern is not None:
        _found_by_superset(pattern, texts, required=False)


def test_every_builtin_screen_pattern_has_an_re2_form() -> None:
    """The whole shipped pack runs on RE2 when it is installed (none left to ``regex``)."""
    sources = [joinable_source(r.screen()[0]) for r in builtin_rules() if r.screen() is not None]
    assert all(s is not None for s in sources)
    missing = [s for s, w in zip(sources, superset.translated(sources)) if w is None]
    assert not missing


def test_builtin_patterns_are_found_in_their_own_examples() -> None:
    for rule in builtin_rules():
        if rule.screen() is not None:
            pattern = rule.screen()[0]
            _found_by_superset(pattern, [e.input for e in rule.remove_examples + rule.keep_examples])


def test_every_case_form_regex_accepts_is_accepted() -> None:
    """A case-insensitive letter matches in RE2 every character ``regex`` matches for it,
    also where Unicode's two case tables differ (Turkish dotted and dotless i, long s)."""
    for code in [*range(0x20, 0x250), *range(0x370, 0x530), 0x1E9E, 0x212A, 0x212B, 0x2C65]:
        char = chr(code)
        if not char.isprintable():
            continue
        source = "(?i:" + regex.escape(char) + ")"
        forms = set(regex.findall(source, "".join(chr(c) for c in range(0x20, 0x2D00))))
        _found_by_superset(regex.compile(source, regex.V0), sorted(forms))


@pytest.mark.parametrize("source, text", [
    (r"(?i:\binvest\b)", "\u0130NVEST now"),           # 'İ' is a form of 'i' for regex, not for RE2
    (r"(?:\w+ \d{2,4})", "caf\u00e9 \u0663\u0664"),    # non-ASCII word characters and digits
    (r"(?:^\W*(?=x)x{3}$)", "\u00ab xxx"),             # lookahead, count, end
    (r"(?:[^\s]{2,}\s\S)", "ab\u3000c"),               # ideographic space
    (r"(?:\p{Lu}\p{Ll}+)", "\u00c9t\u00e9"),
])
def test_loosened_constructs(source: str, text: str) -> None:
    pattern = regex.compile(source, regex.V0)
    assert pattern.search(text)
    _found_by_superset(pattern, [text])


@pytest.mark.parametrize("source", [r"(?:a\1)", r"(?:[[:alpha:]])", r"(?:a\N{BULLET})", r"(?:(?|a|b))"])
def test_what_it_cannot_read_is_left_to_regex(source: str) -> None:
    with pytest.raises(superset.Untranslatable):
        superset.re2_superset(source)


@pytest.mark.parametrize("source, text", [(r"(?:a\W+b)", "a\ud800b"), (r"(?:[^\ufffd])", "\ud800"),
                                          (r"(?:[\ud800-\ud9ff])", "x\ud800")])
def test_a_text_with_a_lone_surrogate_is_always_maybe(source: str, text: str) -> None:
    """RE2 reads UTF-8 only; such a text (a broken decode upstream) goes to the rules as is."""
    assert regex.search(source, text)
    loose = superset.Superset([(superset.re2_superset(source), False), ("(?:zzz)", True)])
    assert loose.found(text) == {0, 1}


def test_patterns_too_large_together_are_compiled_alone_or_left_to_regex(monkeypatch) -> None:
    """RE2 refuses a program over its memory budget ("pattern too large"): a group it refuses
    is compiled a pattern at a time, and a pattern it refuses alone is left to ``regex``."""
    real = superset._program

    def budget(sources, anchored):
        if len(sources) > 1 or "huge" in sources[0]:
            raise superset.re2.error("pattern too large - compile failed")
        return real(sources, anchored)

    monkeypatch.setattr(superset, "_program", budget)
    loose = superset.Superset([("(?:xyz)", False), ("(?:huge)", False), ("(?:abc)", True)])
    assert loose.failed == (1,) and len(loose._programs) == 2
    assert loose.found("xyz") and loose.found("abc") and not loose.found("huge")
    huge, xyz = regex.compile("huge"), regex.compile("xyz")
    screen = StageScreen([(huge, None), (xyz, None)], True)
    assert screen.covers((huge, None)) and screen.candidates("neither", 1.0) == frozenset()
    assert screen.candidates("a huge one", 1.0) == {(huge, None)} and screen.candidates("xyz", 1.0) == {(xyz, None)}


def test_found_names_the_patterns_of_the_programs_that_matched(monkeypatch) -> None:
    """A program answers for its group: a text found by one group's pattern names that
    group's patterns, not the others'."""
    monkeypatch.setattr(superset, "GROUP_SIZE", 2)
    loose = superset.Superset([("(?:ab)", False), ("(?:cd)", False), ("(?:ef)", False), ("(?:gh)", True)])
    assert loose.found("xxab") == {0, 1} and loose.found("xxef") == {2} and loose.found("gh") == {3}
    assert loose.found("xxab ef") == {0, 1, 2} and loose.found("nothing") == frozenset()


def test_a_pattern_that_takes_any_other_script_is_grouped_apart(monkeypatch) -> None:
    """The RE2 form of ``\\p{Lu}`` or ``\\W`` takes every non-ASCII character, so it matches most
    lines of a Cyrillic, Arabic or Chinese page; its program goes apart from the others, whose
    rules are then not asked of those lines (it named its whole group on every such line)."""
    monkeypatch.setattr(superset, "GROUP_SIZE", 2)
    broad = "(?m:^)[A-Z\\x{80}-\\x{10ffff}]+"
    loose = superset.Superset([("(?:ab)", True), (broad, True), ("(?:cd)", True), ("(?:ef)", True)])
    assert loose.found("Главная") == {1} and loose.found("首页") == {1}
    assert loose.found("ab") == {0, 2} and loose.found("Zed") == {1}


def test_a_text_longer_than_every_limit_of_a_program_is_not_asked_of_it(monkeypatch) -> None:
    """Patterns are grouped by their rules' word limits: a block longer than all of a group's
    limits is not scanned by its program, as those rules would not see the block."""
    monkeypatch.setattr(superset, "GROUP_SIZE", 2)
    loose = superset.Superset([("(?:ab)", False), ("(?:cd)", False), ("(?:ef)", False)], [3, None, 3])
    assert loose.found("ab cd ef", 3) == {0, 1, 2}  # the two short-limit patterns share a program
    assert loose.found("ab cd ef x", 4) == {1}
    assert loose.found("ab cd ef x") == {0, 1, 2}  # no word count given: every program is asked


def test_a_pattern_re2_cannot_parse_says_nothing_on_stderr(capfd) -> None:
    assert superset.translated(["(?:a|+)"]) == [None]
    assert capfd.readouterr().err == ""


def test_a_dfa_out_of_memory_answers_right_and_quietly(monkeypatch, capfd) -> None:
    """Patterns that outgrow the DFA cache (here a tiny one) still get exact answers, and RE2
    does not write a line to stderr for every text it scans the slow way."""
    monkeypatch.setattr(superset, "MAX_MEMORY", 1 << 20)
    monkeypatch.setattr(superset, "GROUP_SIZE", 200)
    sources = [superset.re2_superset(f"(?:a.*b.*c{i}.*d)") for i in range(200)]
    loose = superset.Superset([(s, False) for s in sources])
    assert not loose.found("a b c1 " * 300)
    assert loose.found("a b c1 " * 300 + "d")
    assert capfd.readouterr().err == ""


def test_caseless_scripts_hold_no_cased_letter_for_regex() -> None:
    """``\\p{Lu}`` and ``\\p{Ll}`` leave the caseless blocks out of their RE2 form: by the
    ``regex`` module's own tables, no character there is such a letter, case-insensitively too."""
    text = "".join(chr(c) for start, end in superset.CASELESS_BLOCKS for c in range(start, end + 1)
                   if not 0xD800 <= c <= 0xDFFF)
    for source in (r"\p{Lu}", r"\p{Ll}", r"(?i)\p{Lu}", r"(?i)\p{Ll}"):
        assert regex.search(source, text) is None, source


def test_a_capitalised_pattern_screens_out_caseless_lines_and_keeps_cased_ones() -> None:
    pattern = regex.compile(r"^\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+$")
    written = superset.translated([joinable_source(pattern)])[0]
    loose = superset.Superset([(written, True)])
    for line in ("Старый Пирс", "Ölçü Birimi", "Old Pier"):
        assert pattern.search(line) and loose.found(line) == {0}
    for line in ("الرصيف القديم", "旧码 头", "पुराना घाट", "옛 부두"):
        assert loose.found(line) == frozenset()
