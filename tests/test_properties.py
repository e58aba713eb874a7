"""Property-based tests (hypothesis) over generated pages: prose in several languages and
scripts mixed with generated chrome of each rule's kind."""
from __future__ import annotations

from typing import List

import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import cleaner
from cleaner.ledger import Ledger, replay
from cleaner.rules import builtin_rules, load_rules_text
from cleaner.rules.matchers import BlockMatcher, SpanMatcher
from cleaner.segment import fold_space
from cleaner.testing import apply_rule

VOCAB = {
    "en": ("the council said that new budget would rise for schools and roads in city next year after "
           "long debate while members of opposition argued this plan was too costly families").split(),
    "es": ("el consejo dijo que nuevo presupuesto subirá para las escuelas y carreteras en ciudad próximo año "
           "después de largo debate mientras miembros oposición dijeron este plan era caro").split(),
    "de": ("der rat sagte dass neue haushalt für schulen und straßen in der stadt im nächsten jahr steigen "
           "werde nach langer debatte während mitglieder opposition plan zu teuer fanden").split(),
    "ru": ("совет заявил что новый бюджет вырастет для школ и дорог в городе в следующем году после "
           "долгих дебатов пока члены оппозиции считали этот план слишком дорогим").split(),
    "bn": ("পরিষদ বলেছে যে নতুন বাজেট স্কুল এবং রাস্তার জন্য শহরে আগামী বছর বাড়বে দীর্ঘ বিতর্কের পর "
           "বিরোধী সদস্যরা বলেছেন এই পরিকল্পনা খুব ব্যয়বহুল").split(),
}
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def sentence(draw, lang: str) -> str:
    words = draw(st.lists(st.sampled_from(VOCAB[lang]), min_size=10, max_size=30))
    text = " ".join(words)
    return text[0].upper() + text[1:] + draw(st.sampled_from([".", ".", "!", "?"]))


@st.composite
def prose_page(draw, min_paragraphs: int = 3) -> List[str]:
    lang = draw(st.sampled_from(sorted(VOCAB)))
    return draw(st.lists(sentence(lang), min_size=min_paragraphs, max_size=8))


def single_line_examples() -> List[str]:
    """Chrome lines taken from the block rules' own remove examples."""
    return [e.input for r in builtin_rules() if isinstance(getattr(r, "matcher", None), (BlockMatcher, SpanMatcher))
            for e in r.remove_examples if "\n" not in e.input and e.output is None]


CHROME = single_line_examples()


@st.composite
def mixed_page(draw) -> str:
    lines = draw(prose_page())
    for chrome in draw(st.lists(st.sampled_from(CHROME), max_size=6)):
        lines.insert(draw(st.integers(0, len(lines))), chrome)
    return "\n".join(lines)


@FAST
@given(mixed_page())
def test_idempotent(page: str) -> None:
    once = cleaner.clean(page)
    assert cleaner.clean(once) == once


SHORT_CHROME = ["Reply", "Home", "Share this", "Sport", "Read more", "Next article", "3 comments", "What do you think?"]


@st.composite
def short_page(draw) -> str:
    """One to six lines, prose and short chrome the rules may not know, one or two newlines apart:
    the shapes where the detector has little page to go on."""
    lang = draw(st.sampled_from(sorted(VOCAB)))
    lines = draw(st.lists(st.one_of(sentence(lang), st.sampled_from(SHORT_CHROME)), min_size=1, max_size=6))
    return draw(st.sampled_from(["\n", "\n\n"])).join(lines)


@FAST
@given(short_page())
def test_idempotent_on_short_pages(page: str) -> None:
    once = cleaner.clean(page)
    assert cleaner.clean(once) == once


@FAST
@given(mixed_page())
# A span that takes a block's every word removes the block: it is accounted for by that span.
@example("Senior Member 5+ Year Member Joined Mar 3, 2014 Messages 52 Reaction score 12 Points 310\n"
         "The council met on Monday to discuss the new budget for the coming year.")
def test_only_removes_and_accounts_for_every_block_once(page: str) -> None:
    result = cleaner.clean_document(page)
    stripped = {r.index for r in result.removals if r.span}
    source = {b.index: b.text for b in result.document.blocks}
    for block in result.blocks:  # a subsequence of the input, text unchanged unless a span went
        assert block.index in stripped or block.text == fold_space(source[block.index])
    indices = [b.index for b in result.blocks]
    assert indices == sorted(indices)
    whole = [r.index for r in result.removals if r.span is None]
    assert len(whole) == len(set(whole)) and not set(whole) & set(indices)
    ledger = Ledger(result.document)
    for removal in result.removals:
        ledger.apply(removal)
    emptied = set(source) - set(whole) - set(indices)  # each went with the span that took its last word
    assert all(i in stripped and ledger.removed(i) and not regex.search(r"[\p{L}\p{N}]", ledger.text(i))
               for i in emptied)
    assert replay(result.document, result.removals) == result.blocks


@FAST
@given(mixed_page())
def test_deterministic(page: str) -> None:
    assert cleaner.clean_document(page).removals == cleaner.clean_document(page).removals


SITE_RULE = load_rules_text("""
domains: [example.com]
rules:
  - id: example-any-line
    summary: Every line (a deliberately greedy site rule)
    why: To prove site scoping.
    match: {block: '.'}
    examples: {remove: ["x"], keep: [""]}
""", "site.yaml")


@FAST
@given(prose_page(), st.sampled_from(["https://other.org/a", "https://example.com.evil.net/", "https://notexample.com/", None]))
def test_site_rule_never_fires_on_another_domain(lines: List[str], url) -> None:
    text = "\n".join(lines)
    result = cleaner.clean_document(text, url=url, rules=SITE_RULE, language=False, detector=False)
    assert all(r.rule != "example-any-line" for r in result.removals)
    on_site = cleaner.clean_document(text, url="https://www.example.com/x", rules=SITE_RULE, language=False, detector=False)
    assert on_site.text == ""


GENERIC = [r for r in builtin_rules() if not r.domains]


@settings(max_examples=15, deadline=None)
@given(prose_page(), st.data())
def test_each_generic_rule_removes_its_chrome_and_keeps_prose(lines: List[str], data) -> None:
    for rule in GENERIC:
        assert apply_rule(rule, "\n".join(lines)) == "\n\n".join(fold_space(x) for x in lines), rule.id
        for example in rule.remove_examples:
            if "\n" in example.input or example.output is not None:
                continue  # context rules are covered by their own examples
            page = list(lines)
            page.insert(data.draw(st.integers(0, len(page))), example.input)
            assert apply_rule(rule, "\n".join(page)) == "\n\n".join(fold_space(x) for x in lines), rule.id


@FAST
@given(st.text(max_size=300))
def test_any_text_is_handled(text: str) -> None:
    try:
        result = cleaner.clean_document(text)
    except cleaner.InputError:
        return  # control-character junk is refused with a clear error
    assert isinstance(result.text, str)


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_are_handled(data: bytes) -> None:
    try:
        result = cleaner.clean_document(data)
    except cleaner.InputError:
        return  # binary junk is refused with a clear error
    assert isinstance(result.text, str)
    # It only removes: a byte decodes to one character at most, and a line break may become a blank line.
    assert len(result.text) <= 2 * len(data)
