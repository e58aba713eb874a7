"""The engine: audit trail, replay, stage order, scope, options, batch."""
from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

import cleaner
from cleaner.document import Removal
from cleaner.engine import explain_lines
from cleaner.io.explain import render
from cleaner.ledger import replay, seen_texts
from cleaner.rules import Rule

BODY = ("The council approved the new budget on Monday after a long debate.\n"
        "Spending on schools will rise by a tenth, the mayor told reporters.\n")
PAGE = ("Menu\nBy Jane Doe\n" + BODY + "Photo: Staff\nREAD MORE\nCity wins the cup\nRents rise again\n"
        "The vote is expected next month, officials said.\n© 2025 Example Media. All rights reserved.\nAbout us\n")
PLAIN = dict(language=False, detector=False)
ROOT = Path(__file__).resolve().parents[1]


def test_every_block_kept_or_removed_exactly_once() -> None:
    result = cleaner.clean_document(PAGE, **PLAIN)
    whole = [r.index for r in result.removals if r.span is None]
    kept = [b.index for b in result.blocks]
    assert len(whole) == len(set(whole))
    assert sorted(whole + kept) == [b.index for b in result.document.blocks]


def test_rules_remove_the_chrome_and_keep_the_body() -> None:
    result = cleaner.clean_document(PAGE, **PLAIN)
    assert result.text.split("\n\n") == BODY.strip().split("\n") + ["The vote is expected next month, officials said."]
    by_rule = {r.rule for r in result.removals}
    assert {"byline", "photo-credit", "link-run-after-heading", "copyright-tail", "navigation-word"} <= by_rule


def test_replaying_the_audit_gives_the_output() -> None:
    page = "See https://cdn.example.com/a.jpg for the photo taken at the scene on Sunday.\n" + PAGE
    result = cleaner.clean_document(page, **PLAIN)
    assert any(r.span for r in result.removals)
    assert replay(result.document, result.removals) == result.blocks


def test_span_strip_edits_the_block() -> None:
    result = cleaner.clean_document("The photo https://cdn.example.com/a/b.jpg was shared on Sunday by the team.", **PLAIN)
    assert result.text == "The photo was shared on Sunday by the team."


def test_explain_pairs_every_block_with_its_removal() -> None:
    result = cleaner.clean_document(PAGE, **PLAIN)
    lines = list(explain_lines(result))
    assert len(lines) == len(result.document.blocks)
    assert [r.rule for r in lines[1][1]] == ["byline"] and lines[1][2] is None
    assert lines[2][1] == () and lines[2][2] == lines[2][0].text


SITE_RULE = """
domains: [example.com]
rules:
  - id: example-promo
    summary: Example's promo box
    why: Site chrome.
    match: {block: '^Shop the look$'}
    examples: {remove: ["Shop the look"], keep: ["Shop owners said prices rose."]}
"""


def test_site_rule_only_on_its_domain(tmp_path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(SITE_RULE, encoding="utf-8")
    text = "Shop the look\n" + BODY
    on = cleaner.clean(text, url="https://news.example.com/a", rules=[str(path)], builtin_rules=False, **PLAIN)
    off = cleaner.clean(text, url="https://other.org/a", rules=[str(path)], builtin_rules=False, **PLAIN)
    assert "Shop the look" not in on and "Shop the look" in off


@pytest.mark.parametrize("domain, urls", [
    ("www.example.com", ["https://www.example.com/a", "https://example.com/a", "https://WWW.EXAMPLE.COM./a"]),
    ("bücher.de", ["https://bücher.de/a", "https://xn--bcher-kva.de/a", "https://shop.bücher.de/a"]),
    ("xn--bcher-kva.de", ["https://bücher.de/a"]),
    ("example.xn--p1ai", ["https://example.рф/a"]),
])
def test_site_rule_domains_match_as_hosts_do(tmp_path, domain, urls) -> None:
    """'www.example.com' matched no page; a Unicode domain failed the schema; an IDN host missed."""
    path = tmp_path / "site.yaml"
    path.write_text(f"""
domains: [{domain}]
rules:
  - id: example-promo
    summary: Example's promo box
    why: Site chrome.
    match: {{block: '^Shop the look$'}}
    examples: {{remove: ["Shop the look"], keep: ["Shop owners said prices rose."]}}
""", encoding="utf-8")
    for url in urls:
        assert "Shop the look" not in cleaner.clean("Shop the look\n" + BODY, url=url, rules=[str(path)],
                                                    builtin_rules=False, **PLAIN), url
    assert "Shop the look" in cleaner.clean("Shop the look\n" + BODY, url="https://other.org/a", rules=[str(path)],
                                            builtin_rules=False, **PLAIN)


def test_text_only_rule_does_not_run_on_html(tmp_path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("""
rules:
  - id: shouted-label
    summary: A label in capitals
    why: Chrome in scraped text; a subheading in HTML.
    modes: [text]
    match: {block: '^THE PLAN$'}
    examples: {remove: ["THE PLAN"], keep: ["The plan"]}
""", encoding="utf-8")
    first, second = BODY.splitlines()
    html = (f"<html><body><article><h1>Budget news</h1><p>{first}</p><h2>THE PLAN</h2><p>{second}</p>"
            "</article></body></html>")
    as_text = cleaner.clean_document("THE PLAN\n" + BODY, rules=[str(path)], builtin_rules=False, **PLAIN)
    as_html = cleaner.clean_document(html, mode="html", rules=[str(path)], builtin_rules=False, **PLAIN)
    assert "THE PLAN" not in as_text.text and [r.rule for r in as_text.removals] == ["shouted-label"]
    assert "THE PLAN" in as_html.text and "shouted-label" not in {r.rule for r in as_html.removals}


class _FirstBlockOnce(Rule):
    """Removes the first block it is shown and counts the passes that showed it the page."""

    id = "test-first-block"
    summary = "The first block"
    why = "Test rule: one removal, then nothing."

    def __init__(self) -> None:
        self.calls = 0

    def find(self, page):
        self.calls += 1
        if self.calls == 1 and page.blocks:
            yield Removal(page.blocks[0].index, self.id, "plugin", "first block")


def test_text_mode_repeats_passes_and_html_mode_runs_one() -> None:
    """A pass that removed something is followed by another in text mode (idempotent
    output); HTML mode stops after one (HTML_PASSES)."""
    first, second = BODY.splitlines()
    html = f"<html><body><article><p>Sign-up box.</p><p>{first}</p><p>{second}</p></article></body></html>"
    in_text, in_html = _FirstBlockOnce(), _FirstBlockOnce()
    cleaner.clean_document("Sign-up box.\n" + BODY, rules=[in_text], builtin_rules=False, **PLAIN)
    result = cleaner.clean_document(html, mode="html", rules=[in_html], builtin_rules=False, **PLAIN)
    assert in_text.calls == 2 and in_html.calls == 1
    assert "test-first-block" in {r.rule for r in result.removals}


def test_the_page_language_is_voted_again_only_before_another_pass(monkeypatch) -> None:
    """Text mode votes before each of its two passes (the second pass removes nothing); HTML
    mode votes once, before its one pass: no vote after the last pass."""
    from cleaner import language as lang
    votes: list[int] = []
    real = lang.page_language
    monkeypatch.setattr(lang, "page_language", lambda blocks: votes.append(len(blocks)) or real(blocks))
    first, second = BODY.splitlines()
    html = f"<html><body><article><p>Sign-up box.</p><p>{first}</p><p>{second}</p></article></body></html>"
    cleaner.clean_document("Sign-up box.\n" + BODY, rules=[_FirstBlockOnce()], builtin_rules=False, detector=False)
    assert votes == [3, 2]
    votes.clear()
    result = cleaner.clean_document(html, mode="html", rules=[_FirstBlockOnce()], builtin_rules=False, detector=False)
    assert votes == [3] and result.language == "en"


def test_keep_captions_keeps_credit_lines() -> None:
    text = BODY + "Photo: Staff"
    assert "Photo: Staff" not in cleaner.clean(text, **PLAIN)
    assert "Photo: Staff" in cleaner.clean(text, keep_captions=True, **PLAIN)


def test_builtin_rules_can_be_switched_off() -> None:
    assert "By Jane Doe" in cleaner.clean("By Jane Doe\n" + BODY, builtin_rules=False, **PLAIN)


def test_input_is_not_modified_and_result_is_deterministic() -> None:
    data = bytearray(PAGE.encode())
    first = cleaner.clean(bytes(data))
    assert data == bytearray(PAGE.encode()) and cleaner.clean(bytes(data)) == first


@pytest.mark.parametrize("empty", ["", "   \n\t\n", b"", b"\n\n"])
def test_empty_input_gives_empty_text(empty) -> None:
    result = cleaner.clean_document(empty)
    assert result.text == "" and result.removals == ()


def test_unknown_option_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="unknown cleaner option"):
        cleaner.clean("text", colour="red")


@pytest.mark.parametrize("threshold", [0, 1, 1.5, -0.1, "high"])
def test_detector_threshold_out_of_range_is_a_value_error(threshold) -> None:
    with pytest.raises(ValueError, match="detector_threshold"):
        cleaner.clean("text", detector_threshold=threshold)


def test_detector_threshold_decides_which_scores_stay() -> None:
    page = "\n".join(["Home", "News", "Sport", "Weather", "Contact us"] + [
        "The council approved the new budget on Monday after a long debate about the library.",
        "Members agreed that spending on schools and roads should rise by a tenth next year."])
    loose = cleaner.clean_document(page, mode="text", language=False, detector_threshold=0.01)
    strict = cleaner.clean_document(page, mode="text", language=False, detector_threshold=0.99)
    assert {b.index for b in strict.blocks} < {b.index for b in loose.blocks}
    for result, threshold in ((loose, 0.01), (strict, 0.99)):
        assert all(r.score < threshold for r in result.removals if r.stage == "detector")


def test_too_large_input_is_an_input_error() -> None:
    with pytest.raises(cleaner.InputError, match="max_bytes"):
        cleaner.clean("word " * 100, max_bytes=100)


def test_max_bytes_counts_the_utf8_bytes_of_a_str() -> None:
    """A str was measured in characters: 40 Chinese characters (120 bytes) passed max_bytes=100."""
    with pytest.raises(cleaner.InputError, match="120 bytes"):
        cleaner.clean("\u4e2d" * 40, max_bytes=100)
    assert cleaner.clean("\u4e2d" * 33, max_bytes=100, language=False, detector=False) == "\u4e2d" * 33


@pytest.mark.parametrize("option", [{"mode": "xml"}, {"regex_timeout": -1}, {"max_bytes": 0},
                                    {"language": "xx"}, {"detector_threshold": 2}])
def test_options_built_directly_are_checked_as_keyword_options_are(option) -> None:
    """``Options(...)`` skipped every check: mode="xml" ran text mode, a timeout of -1 was passed on."""
    with pytest.raises(ValueError, match=next(iter(option))):
        cleaner.Options(**option)


@pytest.mark.parametrize("option", [{"language": "english"}, {"language": "xx"}, {"regex_timeout": -1},
                                    {"regex_timeout": 0}, {"regex_timeout": float("nan")}, {"regex_timeout": True},
                                    {"max_bytes": 0}])
def test_options_that_would_empty_the_page_or_lift_the_regex_guard_are_refused(option) -> None:
    """A forced unknown language dropped every prose block as off-language; a timeout of
    -1 or NaN let a catastrophic user pattern run for ever."""
    with pytest.raises(ValueError, match=next(iter(option))):
        cleaner.clean(BODY, **option)


@pytest.mark.parametrize("url", ["http://[::1", "http://example.com:99999/x"])
def test_a_url_that_does_not_parse_still_cleans_the_page(url) -> None:
    html = f"<html><body><p>{BODY}</p></body></html>"
    assert cleaner.clean_document(BODY, url=url, **PLAIN).text == BODY.strip().replace("\n", "\n\n")
    assert "The council" in cleaner.clean(html, url=url)
    (out,) = cleaner.clean_batch([{"text": BODY, "url": url}], **PLAIN)
    assert "cleaner_error" not in out and out["clean_text"]


@pytest.mark.parametrize("code", ["EN-gb", "en_US", "en"])
def test_a_regional_language_code_is_read_as_its_language(code) -> None:
    result = cleaner.clean_document(BODY, language=code, detector=False)
    assert result.language == "en" and result.text == BODY.strip().replace("\n", "\n\n")


def test_an_older_or_regional_code_of_a_known_language_is_accepted() -> None:
    norwegian = "Bystyret vedtok budsjettet på mandag etter en lang debatt om skolene og veiene i byen.\n" * 3
    result = cleaner.clean_document(norwegian, language="nb", detector=False)
    assert result.language == "no" and result.text.count("Bystyret vedtok") == 1  # repeats go, the line stays


def test_clean_batch_keeps_every_record_and_reports_errors() -> None:
    records = [{"id": 1, "text": BODY, "url": "https://a.example/x"}, {"id": 2, "text": b"\x00\x01\x02" * 100},
               {"id": 3}, {"id": 4, "text": 42}]
    out = cleaner.clean_batch(records, **PLAIN)
    assert [r["id"] for r in out] == [1, 2, 3, 4]
    assert out[0]["clean_text"] == BODY.strip().replace("\n", "\n\n") and out[0]["url"] == "https://a.example/x"
    assert [o["cleaner_error"]["type"] for o in out[1:]] == ["InputError", "InputError", "TypeError"]
    assert "cleaner_error" not in out[0]


def test_clean_batch_turns_a_record_that_is_not_a_mapping_into_an_error_record() -> None:
    out = cleaner.clean_batch([{"text": BODY}, "not a dict", None, ["text", BODY]], **PLAIN)
    assert len(out) == 4 and "clean_text" in out[0]
    assert [o["cleaner_error"]["type"] for o in out[1:]] == ["InputError"] * 3
    assert "is a str" in out[1]["cleaner_error"]["message"]


def test_clean_batch_audit() -> None:
    (out,) = cleaner.clean_batch([{"text": "By Jane Doe\n" + BODY}], audit=True, **PLAIN)
    assert out["cleaner_audit"][0]["rule"] == "byline" and out["cleaner_audit"][0]["text"] == "By Jane Doe"


def test_clean_batch_bad_rule_file_raises_before_any_record(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [", encoding="utf-8")
    with pytest.raises(cleaner.RuleError, match="bad.yaml"):
        cleaner.clean_batch([{"text": BODY}], rules=[str(bad)])


def test_clean_batch_isolates_an_unexpected_failure() -> None:
    from cleaner.rules import Rule

    class Broken(Rule):
        id = "broken"

        def find(self, page):
            if any("boom" in b.text for b in page.blocks):
                raise RuntimeError("rule bug")
            return []

    out = cleaner.clean_batch([{"text": "boom"}, {"text": BODY}], rules=[Broken()], **PLAIN)
    assert out[0]["cleaner_error"] == {"type": "RuleError",  # names the rule, not only its exception
                                       "message": "<python>: rule 'broken' (Broken) failed: RuntimeError: rule bug"}
    assert out[1]["clean_text"] == BODY.strip().replace("\n", "\n\n")


@pytest.mark.parametrize("removal, words", [
    (Removal(99, "bad", "user", "x"), "removed block 99; the page has blocks 0 to 1"),
    (Removal(-1, "bad", "user", "x"), "removed block -1"),
    (Removal(0, "bad", "user", "x", span=(20, 5)), "cut span (20, 5) from block 0"),   # duplicated text
    (Removal(0, "bad", "user", "x", span=(500, 600)), "cut span (500, 600)"),          # never settled
    ("block 0", "returned 'block 0', not a cleaner Removal"),
    # These passed, or failed with a bare TypeError naming no rule:
    (Removal(True, "bad", "user", "x"), "removed block True"),
    (Removal(1.0, "bad", "user", "x"), "removed block 1.0"),
    (Removal(0, "bad", "user", "x", span=("0", "3")), "cut span ('0', '3'); a span is a (start, end) tuple"),
    (Removal(0, "bad", "user", "x", span=(0, 3, 5)), "cut span (0, 3, 5)"),
    (Removal(0, "byline", "user", "x"), "returned a removal under the id 'byline', not its own"),
])
def test_a_python_rule_that_returns_a_bad_removal_is_a_rule_error_naming_it(removal, words) -> None:
    from cleaner.rules import Rule

    class Bad(Rule):
        id = "bad"

        def find(self, page):
            return [removal]

    with pytest.raises(cleaner.RuleError, match="rule 'bad' \\(Bad\\)") as info:
        cleaner.clean(BODY, rules=[Bad()], **PLAIN)
    assert words in str(info.value)


def test_builtin_packs_are_read_once_per_process() -> None:
    # Parsing the YAML packs costs ~80 ms; a page must not pay it (a lost cache once made
    # every clean() re-read them).
    from cleaner.rules import builtin_rules
    assert builtin_rules() is builtin_rules()


SPAN_RULES = """
rules:
  - id: strip-pic
    summary: Picture markers
    why: Chrome.
    match: {span: '\\[pic\\]'}
    examples: {remove: [{input: "A [pic] b", output: "A b"}], keep: ["No pictures here."]}
  - id: strip-icon
    summary: Icon markers
    why: Chrome.
    match: {span: '\\[icon\\]'}
    examples: {remove: [{input: "A [icon] b", output: "A b"}], keep: ["No icons here."]}
"""


def test_the_audit_dicts_hold_every_field_of_a_removal_and_its_text() -> None:
    """removal_dicts builds its dicts field by field (asdict deep-copied each): no field lost."""
    from dataclasses import asdict
    page = "Share on Facebook\n" + BODY
    result = cleaner.clean_document(page, **PLAIN)
    audit = cleaner.removal_dicts(result)
    assert audit and [a["rule"] for a in audit] == [r.rule for r in result.removals]
    assert audit == [dict(asdict(r), text=t) for r, t in zip(result.removals, seen_texts(result.document, result.removals))]
    assert json.loads(json.dumps(audit))[0]["text"] == "Share on Facebook"


def test_the_audit_dicts_keep_the_fields_a_plugins_removal_adds() -> None:
    from dataclasses import asdict, dataclass, replace

    @dataclass(frozen=True)
    class Flagged(Removal):
        note: str = "checked by hand"

    result = cleaner.clean_document("Share on Facebook\n" + BODY, **PLAIN)
    flagged = replace(result, removals=tuple(Flagged(**asdict(r)) for r in result.removals))
    assert [a["note"] for a in cleaner.removal_dicts(flagged)] == ["checked by hand"]


def test_the_audit_names_what_each_of_several_spans_cut(tmp_path) -> None:
    """A second span's offsets point into what the first left: the audit paired them with the
    original text (the '[pic]' strip read as 'ter a'), and explain counted an emptied block as kept."""
    from cleaner.io.explain import render
    path = tmp_path / "spans.yaml"
    path.write_text(SPAN_RULES, encoding="utf-8")
    page = "After a [icon] long [pic] debate the council approved the budget.\n[icon] [pic]\n" + BODY
    result = cleaner.clean_document(page, rules=[str(path)], builtin_rules=False, **PLAIN)
    audit = cleaner.removal_dicts(result)
    assert [a["text"][a["span"][0]:a["span"][1]] for a in audit] == ["[pic]", "[pic]", "[icon]", "[icon]"]
    assert [b.text for b in replay(result.document, result.removals)] == [b.text for b in result.blocks]
    lines = [click.unstyle(line) for line in render(result)]
    assert lines[2].startswith("- [icon] [pic]") and "[strip-pic: " in lines[2] and "[strip-icon: " in lines[2]
    assert lines[1].startswith("~ After a [icon] long [pic] debate") and " => After a long debate" in lines[1]
    assert lines[-1].startswith("3 of 4 blocks kept, 1 removed")


SEED_HEADLINES = {  # the headline each seed page opens its story with
    "000": "Xi, Kim to hold talks in Beijing as North Korean leader makes rare foreign visit",
    "001": "China's Xi holds talks with North Korea's Kim in Beijing",
    "002": "China's Xi, North Korea's Kim pledge deeper ties during Beijing meet",
    "003": "China's Xi seeks closer coordination with North Korea in meeting with Kim",
    "004": "North Korean leader is in Beijing, where he attended Victory Day Parade",
}


@pytest.mark.parametrize("seed", sorted(SEED_HEADLINES))
def test_text_mode_title_of_each_seed_is_its_headline(seed) -> None:
    """Three seeds lost their title: the edges stage, not the detector, drops their headline."""
    path = next((ROOT / "seeds").glob(f"{seed}_*.txt"))
    assert cleaner.clean_document(path.read_text(encoding="utf-8")).metadata.title == SEED_HEADLINES[seed]


HEADLINE = "Council Approves New Budget After Long Debate"


@pytest.mark.parametrize("head, title", [
    (["Home | News | Sport | Weather"], None),
    ([HEADLINE], HEADLINE),
    # Nearer to the body than the headline, and title-like, but the body does not talk about them
    # (a menu without separators, a prompt, a byline): the title used to be the nearest.
    ([HEADLINE, "Latest News Top Stories Video Podcasts"], HEADLINE),
    ([HEADLINE, "You Are Signed In As Guest Reader"], HEADLINE),
    (["Latest News Top Stories Video Podcasts"], None),
    (["Opposition Windfall Verdict"], "Opposition Windfall Verdict"),  # a third of its words in the body is enough
    (["* Council Budget Vote Explained Simply", "+ Council Budget Schools Roads"], None),  # list items
])
def test_text_mode_takes_a_dropped_headline_as_title_but_not_a_menu(head, title) -> None:
    body = ["The council approved the new budget on Monday after a long debate about schools and roads in the city.",
            "Members said the spending would rise by a tenth next year, and the mayor agreed with the opposition.",
            "The vote is expected next month after a public hearing, officials said on Tuesday at the town hall."]
    result = cleaner.clean_document("\n".join(head + body))
    assert result.text == "\n\n".join(body) and result.metadata.title == title


STATION = ["The city council voted on Tuesday to turn the old railway station into a public library, ending a "
           "debate that had lasted for more than ten years.",
           "Supporters said the building, which has stood empty since the last train left in 1998, would give "
           "the town a reading room, a children's corner and space for evening classes.",
           "The plan will cost about four million euros, most of it from a regional fund for the reuse of "
           "historic buildings, and work is due to start next spring.",
           "Opponents had argued that the money should go to repairing roads and schools first, but the final "
           "vote was eleven to four in favour of the library.",
           "The mayor said the station's clock tower would be restored as well, and that the waiting hall would "
           "become the main reading room with long tables and lamps."]


def _station_page(story_box: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in STATION)
    return ('<html><head><title>Old station to become library</title></head><body>'
            '<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>'
            f'{story_box.format(f"<h1>Old station to become library</h1>{paragraphs}")}'
            '<footer>© 2025 Example Times. All rights reserved.</footer></body></html>')


POPUP = '<div class="modal popup"><aside class="popup-content">{}</aside></div>'


@pytest.mark.parametrize("mode, as_bytes", [("html", False), ("auto", False), ("auto", True)])
def test_html_page_whose_extraction_keeps_next_to_nothing_is_cleaned_from_its_visible_text(mode, as_bytes) -> None:
    """The story sits in a pop-up box that trafilatura skips (it returns the menu, 3 words): the
    text-mode result on the page's visible text keeps the story, and says why in the stats."""
    page = _station_page(POPUP)
    result = cleaner.clean_document(page.encode("utf-8") if as_bytes else page, mode=mode)
    assert result.text == "\n\n".join(STATION)
    assert result.document.mode == "text"
    assert result.stats["fallback"] == "visible text: the HTML extraction kept 3 word(s)"
    assert {r.rule for r in result.removals} >= {"copyright-tail"}  # the footer's removal is explained
    assert result.metadata.title == "Old station to become library"  # the HTML run's metadata
    assert cleaner.clean(result.text) == result.text
    assert "mode html -> visible text" in click.unstyle(next(render(result)))


def test_a_visible_text_of_menus_and_footers_does_not_replace_the_html_result() -> None:
    """Nothing on the page reads as a sentence: the rescue is not taken (a shop's or portal's
    page without main content keeps its near-empty result rather than its chrome)."""
    page = ('<html><body><nav><a href="/">Home</a> <a href="/c">Kettles</a></nav>'
            '<div class="modal popup"><aside><ul>' + "".join(
                f"<li><a href='/p{i}'>Blue kettle {i}</a> 1.7 l € 39.99 Add to cart</li>" for i in range(8)) +
            '</ul></aside></div><footer><a href="/help">Help Center</a> <a href="/jobs">Careers</a></footer>'
            '</body></html>')
    result = cleaner.clean_document(page, mode="html")
    assert result.document.mode == "html" and "fallback" not in result.stats


def test_when_the_visible_text_cannot_be_rendered_the_html_result_stands(monkeypatch) -> None:
    import inscriptis

    def broken(html):
        raise RecursionError("too deep")
    monkeypatch.setattr(inscriptis, "get_text", broken)
    result = cleaner.clean_document(_station_page(POPUP), mode="html")
    assert result.document.mode == "html" and "fallback" not in result.stats


def test_html_page_with_an_extracted_story_is_not_cleaned_again() -> None:
    result = cleaner.clean_document(_station_page("<article>{}</article>"), mode="html")
    assert result.text == "\n\n".join(STATION)
    assert result.document.mode == "html" and "fallback" not in result.stats


def test_without_the_detector_an_html_page_keeps_its_extraction() -> None:
    result = cleaner.clean_document(_station_page(POPUP), mode="html", detector=False)
    assert result.document.mode == "html" and "fallback" not in result.stats
    assert not any(p in result.text for p in STATION)


# A story written for these tests, in a language jusText has no stoplist for.
LIBRARY_ZH = [
    "市政府星期一宣布，老火车站将改建为新的公共图书馆，预计明年春天开工，整个工程大约需要两年时间才能完成。",
    "根据计划，原来的候车大厅将成为主阅览室，里面会摆放长桌和台灯，另外还会设立儿童角和几间夜校教室。",
    "这个项目预计花费约四千万元，其中大部分资金来自省里支持历史建筑再利用的专项基金，其余由市财政承担。",
    "反对者曾经认为，这笔钱应该先用于修路和修缮学校，但是议会最终的投票结果是十一票赞成、四票反对。",
    "市长在会后说，车站的钟楼也会一起修复，并且在图书馆开放以后，钟楼每天晚上都会按时亮灯到十点。",
    "附近的居民对这个消息普遍表示欢迎，一位在车站旁边开了二十年小店的老板说，老车站终于不会再空着了。",
    "图书馆的设计方案将在下个月公开展示，市民可以在市政府网站上留言，也可以到现场向设计师当面提问。",
    "市政府还表示，施工期间车站前的广场仍然开放，周末的农贸市场也会照常举行，不会受到太大的影响。",
]


def _library_page() -> str:
    story = "".join(f"<p>{p}</p>" for p in LIBRARY_ZH)
    return ("<html><head><title>老火车站将改建为图书馆</title></head><body>"
            "<nav><a href='/'>首页</a> <a href='/news'>新闻</a> <a href='/sport'>体育</a></nav>"
            f"<article><h1>老火车站将改建为图书馆</h1>{story}</article>"
            "<footer>© 2025 示例日报 版权所有</footer></body></html>")


@pytest.mark.parametrize("blind", [True, False])
def test_when_justext_cannot_read_the_language_the_story_comes_from_the_visible_text(monkeypatch, blind) -> None:
    """trafilatura stopped after the lead (3 paragraphs); on a page jusText can read, its check
    would have replaced that by the whole story, here it could not. The visible text's story,
    around the lead, is taken; on a page jusText read, the HTML result stands."""
    from lxml import etree

    from cleaner import extract
    from cleaner.second_opinion import TrafilaturaPass

    lead = etree.fromstring("<body>" + "".join(f"<p>{p}</p>" for p in LIBRARY_ZH[:3]) + "</body>")
    monkeypatch.setattr(extract, "trafilatura_pass", lambda tree, url: TrafilaturaPass(lead, None, False, blind))
    result = cleaner.clean_document(_library_page(), mode="html")
    if blind:
        assert result.text == "\n\n".join(LIBRARY_ZH)
        assert result.document.mode == "text"
        assert replay(result.document, result.removals) == result.blocks  # the audit trail adds up
        assert result.stats["blocks_out"] == len(result.blocks)
        assert result.stats["fallback"].startswith("visible text: jusText could not read the page's language")
        assert result.metadata.title == "老火车站将改建为图书馆"
    else:
        assert result.text == "\n\n".join(LIBRARY_ZH[:3])
        assert result.document.mode == "html" and "fallback" not in result.stats


def test_a_visible_text_too_short_to_double_the_html_result_is_not_cleaned(monkeypatch) -> None:
    """On a page jusText could not read, a visible text under twice the HTML result's words
    cannot hold a story that replaces it: the text run is not made (it cost 15-180 ms on such
    pages). The HTML result stands, as it would after the run."""
    from lxml import etree

    from cleaner import engine, extract
    from cleaner.second_opinion import TrafilaturaPass

    most = etree.fromstring("<body>" + "".join(f"<p>{p}</p>" for p in LIBRARY_ZH[:6]) + "</body>")
    monkeypatch.setattr(extract, "trafilatura_pass", lambda tree, url: TrafilaturaPass(most, None, False, True))
    runs = []
    real_run = engine.run
    monkeypatch.setattr(engine, "run", lambda document, options: runs.append(document.mode) or real_run(document, options))
    result = cleaner.clean_document(_library_page(), mode="html")
    assert runs == ["html"] and result.document.mode == "html" and "fallback" not in result.stats
    assert result.text == "\n\n".join(LIBRARY_ZH[:6])


def test_only_the_story_around_the_html_result_is_taken_from_the_visible_text() -> None:
    """Text mode also kept a teaser three dropped lines below the story: it is not taken; a block
    STORY_GAP dropped lines away from the story is."""
    from cleaner.document import Block, CleanResult, Document
    from cleaner.engine import STORY_GAP, _story_blocks

    lines = (["Home", "Lead one.", "Lead two.", "Body three."] + ["Share"] * STORY_GAP + ["Body four."]
             + ["Menu"] * (STORY_GAP + 1) + ["Teaser."])
    page = tuple(Block(i, t) for i, t in enumerate(lines))
    kept = [i for i, t in enumerate(lines) if t in ("Lead two.", "Body three.", "Body four.", "Teaser.")]
    fallback = CleanResult(blocks=tuple(page[i] for i in kept), removals=(), document=Document(blocks=page))
    found = [Block(0, "Lead one."), Block(1, "Lead two.")]
    # "Lead one." text mode dropped: the HTML's own block stays in the story.
    assert [b.text for b in _story_blocks(fallback, found)] == ["Lead one.", "Lead two.", "Body three.",
                                                                 "Body four."]
    # The HTML result's text is not on the visible page: nothing is taken.
    assert _story_blocks(fallback, [Block(0, "Something the visible text does not have, at length.")]) == ()


@pytest.mark.parametrize("story, tried", [
    # A news brief of 20+ words with a sentence: the HTML result stands, the visible text is not read.
    (["The bridge on Mill Road will close for repairs from Monday until the end of the month, the council said."], False),
    # Under 20 words: too little to be sure it is the story.
    (["The bridge on Mill Road will close on Monday."], True),
    # 20+ words but no sentence (a listing's lines): tried.
    (["Mill Road bridge repairs this month", "Council notices and road works", "Weekend closures and diversions list",
      "Bus routes 4 and 7 changes", "Parking permits for local residents", "Cycle lanes on the high street"], True),
])
def test_the_rescue_is_tried_only_when_the_html_result_is_not_a_short_story(monkeypatch, story, tried) -> None:
    from cleaner import extract
    calls = []
    monkeypatch.setattr(extract, "visible_text", lambda html: calls.append(1) or "")
    page = "<html><body><article>" + "".join(f"<p>{line}</p>" for line in story) + "</article></body></html>"
    result = cleaner.clean_document(page, mode="html")
    kept = sum(len(b.text.split()) for b in result.blocks)
    assert bool(calls) == tried and result.document.mode == "html"
    assert (kept < 20) == (len(story) == 1 and tried)  # the cases test what they say


def test_html_page_without_url_is_scoped_by_its_canonical_url(tmp_path) -> None:
    """A site rule never fired on an HTML file cleaned without url=, though the page names its site."""
    path = tmp_path / "site.yaml"
    path.write_text(SITE_RULE, encoding="utf-8")
    body = "".join(f"<p>{s}</p>" for s in BODY.split("\n") if s)
    page = ("<html><head><title>t</title><link rel='canonical' href='{}'></head><body><article>"
            "<p>Shop the look</p>" + body + "</article></body></html>")
    on = cleaner.clean(page.format("https://www.example.com/a"), rules=[str(path)], builtin_rules=False, **PLAIN)
    off = cleaner.clean(page.format("https://other.org/a"), rules=[str(path)], builtin_rules=False, **PLAIN)
    assert "Shop the look" not in on and "Shop the look" in off
    given = cleaner.clean(page.format("https://www.example.com/a"), url="https://other.org/a",
                          rules=[str(path)], builtin_rules=False, **PLAIN)
    assert "Shop the look" in given  # the URL the caller gives wins


@pytest.mark.parametrize("kwargs, message", [
    ({"url": 5}, "url must be a str or None, not int"),
    ({"url": b"https://example.com/"}, "url must be a str or None, not bytes"),
    ({"language": 123}, "language must be None"),
    ({"language": True}, "language must be None"),
])
def test_bad_url_or_language_types_say_so(kwargs, message) -> None:
    """url=5 raised "argument of type 'int' is not iterable"; language=True meant "detect"."""
    with pytest.raises((TypeError, ValueError), match=message):
        cleaner.clean(BODY, **kwargs)


def test_batch_record_errors_name_the_field_and_an_old_error_is_dropped() -> None:
    rows = cleaner.clean_batch([
        {"text": None}, {"text": 5}, {"html": "", "text": BODY},
        {"text": BODY, "cleaner_error": {"type": "InputError", "message": "from an earlier run"}},
        {"text": 7, "clean_text": "STALE", "language": "xx", "cleaner_audit": []}],
        html_field="html", **PLAIN)
    assert rows[0]["cleaner_error"]["message"] == "field 'text' is null, not a string"
    assert rows[1]["cleaner_error"]["message"] == "field 'text' is int, not a string"
    assert rows[2]["clean_text"] and "cleaner_error" not in rows[2]  # an empty html field: the text is cleaned
    assert rows[3]["clean_text"] and "cleaner_error" not in rows[3]
    assert rows[4] == {"text": 7, "cleaner_error": {"type": "TypeError", "message": "field 'text' is int, not a string"}}


def test_max_bytes_holds_for_a_memoryview() -> None:
    """A memoryview skipped the size check (bytes and str were refused, it was cleaned)."""
    data = (BODY * 10).encode()
    for source in (data, memoryview(data)):
        with pytest.raises(cleaner.InputError, match="over max_bytes=100"):
            cleaner.clean(source, max_bytes=100)


STORY_PARAGRAPHS = [
    "The council approved the new budget on Monday after a long debate about the cost of the bridge.",
    "Members who voted against it said the repairs could wait another year without any real danger.",
    "The mayor answered that the engineers had warned twice, and that waiting would cost far more.",
    "Work on the bridge starts in the spring, and the road will stay open to buses while it lasts.",
]


def test_a_page_nested_deeper_than_the_parser_reads_is_cleaned_from_the_text_between_its_tags() -> None:
    """The parser stops at 2,048 nested elements and kept nothing after them: the page came out
    empty, with no removal and no error."""
    story = "".join(f"<p>{p}</p>" for p in STORY_PARAGRAPHS)
    page = f"<html><body>{'<div>' * 3000}{story}{'</div>' * 3000}</body></html>"
    result = cleaner.clean_document(page, mode="html", language=False)
    assert [b.text for b in result.blocks] == STORY_PARAGRAPHS
    assert "nested deeper than the HTML parser reads" in result.stats["fallback"]


def test_a_deep_page_with_an_unclosed_head_keeps_its_text_and_url() -> None:
    """HTML lets a page leave out </head>: the text between the tags hid all after it."""
    story = "".join(f"<p>{p}</p>" for p in STORY_PARAGRAPHS)
    page = f"<html><head><meta charset=utf-8><title>Budget</title><body>{'<div>' * 3000}{story}</body></html>"
    result = cleaner.clean_document(page, url="https://example.org/budget", mode="html", language=False)
    assert [b.text for b in result.blocks] == STORY_PARAGRAPHS
    assert result.metadata.url == "https://example.org/budget"


def test_a_page_cleaned_from_the_text_between_its_tags_keeps_what_its_head_says() -> None:
    """The fallback started from empty metadata: the title and canonical URL of the head were lost."""
    story = "".join(f"<p>{p}</p>" for p in STORY_PARAGRAPHS)
    page = ("<html><head><title>Council approves the bridge budget</title>"
            "<meta property='article:published_time' content='2024-03-04T09:00:00Z'>"
            "<link rel='canonical' href='https://example.org/news/budget'></head>"
            f"<body>{'<div>' * 3000}{story}{'</div>' * 3000}</body></html>")
    result = cleaner.clean_document(page, mode="html", language=False)
    assert result.stats["fallback"].startswith("text between the tags")
    assert result.metadata.title == "Council approves the bridge budget"
    assert result.metadata.date == "2024-03-04"
    assert result.metadata.url == "https://example.org/news/budget"
    assert result.document.domain == "example.org"   # site rules see the page's own site
    given = cleaner.clean_document(page, url="https://mirror.example.net/b?id=1", mode="html", language=False)
    assert given.metadata.url == "https://example.org/news/budget"   # as on a page read whole
    assert given.document.domain == "mirror.example.net"             # the URL given names the site


def test_an_extraction_that_fails_says_so_and_the_page_is_cleaned_from_its_text(monkeypatch) -> None:
    """Any exception in HTML extraction gave an empty page, logged at debug level only."""
    from cleaner import extract

    def broken(tree, url):
        raise RuntimeError("a trafilatura that changed its API")

    monkeypatch.setattr(extract, "trafilatura_pass", broken)
    page = "<html><head><title>Bridge budget</title></head><body><nav><a href='/'>Home</a></nav><article>" + \
        "".join(f"<p>{p}</p>" for p in STORY_PARAGRAPHS) + "</article></body></html>"
    result = cleaner.clean_document(page, mode="html", language=False)
    assert [b.text for b in result.blocks] == STORY_PARAGRAPHS
    assert result.metadata.title == "Bridge budget"   # read before trafilatura failed
    assert result.stats["fallback"] == ("text between the tags: HTML extraction failed: "
                                        "RuntimeError: a trafilatura that changed its API")


@pytest.mark.parametrize("byline, author, body", [
    ("记者 王明", "王明", ["市议会星期一批准了新的预算，议员们就学校和道路的开支进行了长时间的辩论。",
                      "市长表示，明年的开支将增加一成，大多数居民支持这项计划。"]),
    ("홍길동 기자", "홍길동", ["시의회는 월요일 긴 토론 끝에 새 예산을 승인했다. 의원들은 학교와 도로에 대한 지출을 논의했다.",
                          "시장은 내년 지출이 10% 늘어날 것이라고 말했고 대부분의 주민이 이 계획을 지지했다."]),
    ("Posted by Jane Doe", "Jane Doe", STORY_PARAGRAPHS[:2]),
])
def test_the_author_is_read_from_every_byline_rule(byline: str, author: str, body: list) -> None:
    """Only rule ``byline`` gave the author: a Chinese or Korean byline (``byline-cjk``) gave none,
    and "Posted by" stayed in the name."""
    result = cleaner.clean_document("\n\n".join([byline, *body]), mode="text")
    assert [b.text for b in result.blocks] == body
    assert result.metadata.author == author


def test_the_rules_the_metadata_reads_the_author_from_exist() -> None:
    """Renaming a byline rule would silently end the author metadata."""
    from cleaner.metadata import AUTHOR_RULES
    from cleaner.rules.registry import builtin_rules
    assert set(AUTHOR_RULES) <= {rule.id for rule in builtin_rules()}
