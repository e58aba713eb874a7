"""HTML mode: trafilatura's tree walked into typed blocks, headline in metadata, chrome pruned."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from cleaner import clean
from cleaner.document import Block, Metadata
from cleaner.boxes import BOX_CLASS
from cleaner.extract import extract_html, extract_page

SENTENCE = "The harbour committee met again on {day} to discuss the plans for the old pier and its future use."
URL = "https://news.example.org/2024/05/harbour-plans"


def _page(body: str, title: str = "Harbour plans move ahead", extra_head: str = "") -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Example News</title>
<meta property="og:title" content="{title}">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-05-14T09:00:00Z">
<meta property="og:site_name" content="Example News">
{extra_head}</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article>{body}</article></main>
<footer><p>Copyright 2024 Example News. All rights reserved.</p></footer>
</body></html>"""


ARTICLE = _page(f"""
<h1>Harbour plans move ahead</h1>
<p>{SENTENCE.format(day="Monday")} Members asked for a new survey of the timber.</p>
<p>{SENTENCE.format(day="Tuesday")} A decision is expected before the summer.</p>
<h2>What residents said</h2>
<p>{SENTENCE.format(day="Wednesday")} Several residents spoke at the open meeting.</p>
<ul><li>Keep the pier open to walkers all year round.</li>
<li>Restore the lamps along the eastern side of the pier.</li></ul>
<blockquote><p>We have waited twenty years for somebody to look after this pier properly.</p></blockquote>
<p>{SENTENCE.format(day="Thursday")} The council will publish the minutes next week.</p>
""")


@pytest.fixture(scope="module")
def article():
    return extract_html(ARTICLE, URL)


def test_returns_blocks_and_metadata(article):
    blocks, meta = article
    assert blocks and all(isinstance(b, Block) for b in blocks)
    assert isinstance(meta, Metadata)


def test_block_fields_are_positions(article):
    blocks, _ = article
    assert [b.index for b in blocks] == sorted({b.index for b in blocks})
    assert [b.line for b in blocks] == sorted(b.line for b in blocks)
    assert all(b.gap_before == 0 for b in blocks)


def test_every_extracted_piece_is_a_block_and_each_drop_has_a_reason():
    from cleaner.extract import extract_page

    blocks, meta, removals, _ = extract_page(ARTICLE, URL)
    assert [b.index for b in blocks] == list(range(len(blocks)))
    headline = [r for r in removals if r.rule == "extract-headline"]
    assert len(headline) == 1 and blocks[headline[0].index].text == meta.title
    assert all(r.stage == "extract" and r.reason for r in removals)
    kept = {b.index for b in extract_html(ARTICLE, URL)[0]}
    assert kept == {b.index for b in blocks} - {r.index for r in removals}


def test_clean_explains_what_extraction_dropped():
    import cleaner

    result = cleaner.clean_document(ARTICLE, url=URL, mode="html")
    whys = {r.rule for r in result.removals}
    assert "extract-headline" in whys
    assert result.metadata.title not in result.text


def test_structure_kept_as_kinds(article):
    blocks, _ = article
    kinds = {b.text: b.kind for b in blocks}
    assert kinds["What residents said"] == "heading"
    assert kinds["Keep the pier open to walkers all year round."] == "list_item"
    assert kinds["Restore the lamps along the eastern side of the pier."] == "list_item"
    assert kinds["We have waited twenty years for somebody to look after this pier properly."] == "quote"
    assert kinds[SENTENCE.format(day="Monday") + " Members asked for a new survey of the timber."] == "paragraph"


def test_reading_order_kept(article):
    blocks, _ = article
    texts = [b.text for b in blocks]
    days = [next(i for i, t in enumerate(texts) if f"on {d} " in t) for d in ("Monday", "Tuesday", "Wednesday", "Thursday")]
    assert days == sorted(days)
    assert texts.index("What residents said") < days[2]


def test_headline_is_metadata_not_a_block(article):
    blocks, meta = article
    assert meta.title == "Harbour plans move ahead"
    assert all("Harbour plans move ahead" not in b.text for b in blocks)


def test_metadata_filled(article):
    _, meta = article
    assert meta.author == "Jane Doe"
    assert meta.date == "2024-05-14"
    assert meta.sitename == "Example News"
    assert meta.url == URL


def test_navigation_and_footer_dropped(article):
    blocks, _ = article
    text = "\n".join(b.text for b in blocks)
    assert "Sport" not in text
    assert "All rights reserved" not in text


def test_whitespace_folded():
    html = _page(f"<p>  {SENTENCE.format(day='Friday')}\n\n   It   was\u00a0\u00a0long.  </p>" * 2)
    blocks, _ = extract_html(html, URL)
    assert blocks
    assert all("  " not in b.text and "\n" not in b.text and b.text == b.text.strip() for b in blocks)


def test_table_gives_one_block_per_row():
    rows = "".join(f"<tr><td>Pier section {i}</td><td>{i * 10} metres</td></tr>" for i in range(1, 4))
    html = _page(f"<p>{SENTENCE.format(day='Monday')}</p><table>{rows}</table><p>{SENTENCE.format(day='Friday')}</p>")
    blocks, _ = extract_html(html, URL)
    table = [b for b in blocks if b.kind == "table"]
    assert len(table) == 3
    assert "Pier section 2" in table[1].text and "20 metres" in table[1].text


def test_deterministic():
    assert extract_html(ARTICLE, URL) == extract_html(ARTICLE, URL)


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "<html><body></body></html>"])
def test_empty_gives_no_blocks(html):
    blocks, meta = extract_html(html)
    assert blocks == []
    assert isinstance(meta, Metadata)


@pytest.mark.parametrize("html, text", [("<<<>>>", "<<<>>>"), ("<div><p>unclosed", "unclosed"),
                                        ("\x00\x01binary", "binary")])
def test_a_malformed_fragment_gives_what_a_browser_shows(html, text):
    """Read as a document's body (a lone fragment gave nothing before), never a crash."""
    blocks, meta = extract_html(html)
    assert [b.text for b in blocks] == [text] and isinstance(meta, Metadata)


def test_url_kept_in_metadata_without_page_url():
    _, meta = extract_html("<p>x</p>", "https://example.com/a")
    assert meta.url == "https://example.com/a"


def _texts(html: str):
    return [b.text for b in extract_html(html, URL)[0]]


def test_lone_link_paragraph_dropped():
    days = ("Monday", "Tuesday", "Wednesday")
    body = "".join(f"<p>{SENTENCE.format(day=d)}</p>" for d in days[:2])
    body += '<p><a href="/offer">Claim your free pier tour today</a></p>' + f"<p>{SENTENCE.format(day=days[2])}</p>"
    texts = _texts(_page(body))
    assert not any("Claim your free pier tour" in t for t in texts)
    assert len([t for t in texts if "harbour committee" in t]) == 3


def test_paragraphs_of_a_promo_box_dropped_with_their_reason():
    days = ("Monday", "Tuesday", "Wednesday")
    box = ('<div class="promo-box"><h3>Never miss a harbour story</h3>'
           "<p>Get the week's news from the coast in your inbox every Friday morning.</p></div>")
    body = "".join(f"<p>{SENTENCE.format(day=d)}</p>" for d in days[:2]) + box + f"<p>{SENTENCE.format(day=days[2])}</p>"
    extraction = extract_page(_page(body), URL)
    dropped = {extraction.blocks[r.index].text: r.rule for r in extraction.removals}
    assert dropped.get("Get the week's news from the coast in your inbox every Friday morning.") == "extract-widget"
    assert [t for t in _texts(_page(body)) if "harbour committee" in t] == [SENTENCE.format(day=d) for d in days]


def test_a_large_element_named_like_a_box_is_a_wrapper_and_kept():
    story = "".join(f"<p>{SENTENCE.format(day=d)} {SENTENCE.format(day=d)}</p>"
                    for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"))
    texts = _texts(_page(f'<div class="layout-with-promo-rail">{story}</div>'))
    assert len([t for t in texts if "harbour committee" in t]) == 6


def test_class_words_match_whole_words_only():
    assert BOX_CLASS.search("site-promo") and BOX_CLASS.search("newsletter_box") and BOX_CLASS.search("Modal")
    assert not BOX_CLASS.search("promotional-copy") and not BOX_CLASS.search("consentino")
    assert not BOX_CLASS.search("headerPromo")  # camelCase halves are not words here: kept conservative


def _promo_page(box: str, body_class: str = "", article_class: str = "") -> str:
    days = ("Monday", "Tuesday", "Wednesday")
    story = "".join(f"<p>{SENTENCE.format(day=d)}</p>" for d in days[:2]) + box + f"<p>{SENTENCE.format(day=days[2])}</p>"
    return (f'<html><head><title>Harbour plans</title></head><body class="{body_class}">'
            f'<article class="{article_class}"><h1>Harbour plans</h1>{story}</article></body></html>')


PROMO_LINE = "Get the week's news from the coast in your inbox every Friday morning."


def test_box_named_by_its_id_dropped():
    assert PROMO_LINE not in _texts(_promo_page(f'<div id="inline-promo"><p>{PROMO_LINE}</p></div>'))


def test_story_paragraph_repeated_in_a_box_stays():
    repeated = SENTENCE.format(day="Monday")
    texts = _texts(_promo_page(f'<div class="promo-box"><p>{repeated}</p><p>{PROMO_LINE}</p></div>'))
    assert repeated in texts and PROMO_LINE not in texts


@pytest.mark.parametrize("body_class, article_class", [("modal-open", ""), ("", "post tag-cookie category-sponsored")])
def test_page_level_elements_and_topic_classes_name_no_box(body_class, article_class):
    texts = _texts(_promo_page(f"<p>{PROMO_LINE}</p>", body_class, article_class))
    assert PROMO_LINE in texts and len([t for t in texts if "harbour committee" in t]) == 3


def test_box_word_limit_counts_text_not_scripts():
    from lxml import html as lxml_html
    from cleaner.boxes import BOX_MAX_WORDS, find_boxes

    def boxes(words: int, script: str = "") -> int:
        source = f'<html><body><p>Story.</p><div class="promo">{"word " * words}{script}</div></body></html>'
        return len(find_boxes(lxml_html.document_fromstring(source)).named)

    assert boxes(BOX_MAX_WORDS) == 1 and boxes(BOX_MAX_WORDS + 1) == 0
    assert boxes(BOX_MAX_WORDS, "<script>var a = 1; var b = 2; var c = 3;</script>") == 1


def test_box_word_limit_skips_what_noscripts_hold():
    from lxml import html as lxml_html
    from cleaner.boxes import BOX_MAX_WORDS, find_boxes
    fallback = "<noscript><p>" + "word " * (BOX_MAX_WORDS + 5) + "</p></noscript>"
    source = f'<html><body><div class="promo"><p>Join the club</p>{fallback} tail words</div></body></html>'
    assert len(find_boxes(lxml_html.document_fromstring(source)).named) == 1


def test_an_id_names_a_box_when_the_class_only_looks_like_one():
    from lxml import html as lxml_html
    from cleaner.boxes import find_boxes
    source = '<html><body><div class="promotional-copy" id="popup"><p>Join</p></div></body></html>'
    assert [b.get("id") for b in find_boxes(lxml_html.document_fromstring(source)).named] == ["popup"]


def test_nested_boxes_give_the_outer_one():
    from lxml import html as lxml_html
    from cleaner.boxes import find_boxes
    source = '<html><body><div class="modal"><div id=\'newsletter\'><p>Join</p></div></div></body></html>'
    assert [b.get("class") for b in find_boxes(lxml_html.document_fromstring(source)).named] == ["modal"]


def test_box_named_by_class_or_id_whatever_the_other_says():
    from lxml import html as lxml_html
    from cleaner.boxes import find_boxes
    source = ("<html><body><div class='promo &amp; more' id='x'><p>A</p></div>"
              '<section id="rail" class="tag-promo"><div class="ad" id="advert-slot"><p>B</p></div></section></body></html>')
    boxes = find_boxes(lxml_html.document_fromstring(source)).named
    assert [b.get("class") for b in boxes] == ["promo & more", "ad"]


def test_box_step_never_empties_the_page():
    from lxml import html as lxml_html
    from cleaner.boxes import drop_box_pieces, find_boxes
    from cleaner.pieces import Piece
    source = f'<html><body><div class="popup"><p>{PROMO_LINE}</p></div></body></html>'
    tree = lxml_html.document_fromstring(source)
    pieces = [Piece("paragraph", PROMO_LINE)]
    assert drop_box_pieces(pieces, find_boxes(tree).named, tree.text_content) == pieces


COOKIE_LINES = ["We and our partners store and access information on your device to show you ads and measure them.",
                "You can change your choices at any time by opening the privacy settings at the foot of the page."]


def _dialog(attributes: str, lines=COOKIE_LINES, filler: int = 0) -> str:
    """A consent pop-up as sites write it: no box word in its class, longer than a promo box when ``filler``."""
    more = "".join(f"<p>Partner number {i} uses your data for measurement, profiling and ads on other sites.</p>"
                   for i in range(filler))
    return f'<div class="ot-pc-x" {attributes}><h3>Your privacy</h3>' + "".join(f"<p>{t}</p>" for t in lines) + more + "</div>"


@pytest.mark.parametrize("attributes, filler", [('role="dialog"', 20), ("role='alertdialog'", 20),
                                                ('aria-modal="true"', 20), ("data-nosnippet", 0)])
def test_declared_overlay_dropped_with_its_reason(attributes, filler):
    """An element that its markup declares a dialog (however long: a consent centre lists its
    partners), or a small one kept out of search snippets, is not the story, whatever its class."""
    extraction = extract_page(_promo_page(_dialog(attributes, filler=filler)), URL)
    dropped = {extraction.blocks[r.index].text: r.rule for r in extraction.removals}
    assert {dropped.get(t) for t in COOKIE_LINES} == {"extract-declared-box"}
    kept = [b.text for b in extraction.blocks if b.text not in dropped]
    assert [t for t in kept if "harbour committee" in t] == [SENTENCE.format(day=d) for d in ("Monday", "Tuesday", "Wednesday")]


def test_dialog_element_is_an_overlay():
    from cleaner.boxes import find_boxes
    page = _promo_page(_dialog("open").replace("<div ", "<dialog ", 1).replace("</div>", "</dialog>"))
    assert [b.tag for b in find_boxes(lxml_html.document_fromstring(page)).declared] == ["dialog"]


def test_large_nosnippet_text_is_the_story_and_kept():
    """Sites also keep article paragraphs out of search snippets: only a small such element is a box."""
    texts = _texts(_promo_page(_dialog("data-nosnippet", filler=20)))
    assert all(t in texts for t in COOKIE_LINES)


@pytest.mark.parametrize("inner", ['<div itemprop="articleBody"></div>', "<article></article>", "<main></main>"])
def test_dialog_holding_a_story_is_kept(inner):
    """A story opened as an overlay from a list page is the page's story."""
    texts = _texts(_promo_page(_dialog('role="dialog" aria-modal="true"').replace("<h3>", inner + "<h3>", 1)))
    assert all(t in texts for t in COOKIE_LINES)


def test_headings_a_dialog_repeats_stay():
    """A table-of-contents drawer lists the story's own headings: short texts the page has
    outside the drawer too stay; the drawer's own title goes."""
    days = ("Monday", "Tuesday")
    story = "".join(f"<h2>Plans for {d}</h2><p>{SENTENCE.format(day=d)}</p>" for d in days)
    drawer = ('<div role="dialog" aria-modal="true"><p>Contents of this story</p><ul>'
              + "".join(f"<li>Plans for {d}</li>" for d in days) + "</ul></div>")
    page = (f"<html><head><title>Harbour plans</title></head><body><article><h1>Harbour plans</h1>{story}"
            f"</article>{drawer}</body></html>")
    extraction = extract_page(page, URL)
    dropped = {extraction.blocks[r.index].text for r in extraction.removals}
    kept = [b.text for b in extraction.blocks if b.text not in dropped]
    assert [t for t in kept if t.startswith("Plans for")][:2] == ["Plans for Monday", "Plans for Tuesday"]
    assert "Contents of this story" not in kept


def test_undeclared_box_and_other_roles_kept():
    for attributes in ('role="region"', 'aria-modal="false"', 'role="dialogue"', ""):
        texts = _texts(_promo_page(_dialog(attributes)))
        assert all(t in texts for t in COOKIE_LINES), attributes


def test_story_paragraph_repeated_in_a_dialog_stays():
    repeated = SENTENCE.format(day="Monday")
    texts = _texts(_promo_page(_dialog('role="dialog"', lines=[repeated, COOKIE_LINES[0]])))
    assert repeated in texts and COOKIE_LINES[0] not in texts


@pytest.mark.parametrize("body_attr, article_attr", [("data-nosnippet", ""), ("", 'role="dialog" aria-modal="true"')])
def test_page_level_elements_declare_no_box(body_attr, article_attr):
    from cleaner.boxes import find_boxes
    page = (f"<html><body {body_attr}><main {body_attr}><article {article_attr}><p>{PROMO_LINE}</p>"
            "</article></main></body></html>")
    assert find_boxes(lxml_html.document_fromstring(page)).declared == []


def test_declared_boxes_outermost_and_of_both_kinds():
    from cleaner.boxes import find_boxes
    source = ('<html><body><p>Story.</p><div role="dialog" id="a"><div data-nosnippet id="b"><p>Hi</p></div></div>'
              '<section aria-modal="true" class="newsletter" id="c"><p>Sign in</p></section></body></html>')
    boxes = find_boxes(lxml_html.document_fromstring(source))
    assert [b.get("id") for b in boxes.declared] == ["a", "c"] and [b.get("id") for b in boxes.named] == ["c"]


def test_run_of_link_paragraphs_kept():
    links = "".join(f'<p><a href="/pier/{i}">Pier walk number {i} along the coast</a></p>' for i in range(1, 5))
    body = f"<p>{SENTENCE.format(day='Monday')}</p>{links}<p>{SENTENCE.format(day='Friday')}</p>"
    texts = _texts(_page(body))
    assert [t for t in texts if t.startswith("Pier walk number")] == [f"Pier walk number {i} along the coast" for i in range(1, 5)]


def test_link_inside_prose_kept():
    body = (f"<p>{SENTENCE.format(day='Monday')}</p>"
            f'<p>The full report is <a href="/report">available online</a> for every resident.</p>'
            f"<p>{SENTENCE.format(day='Friday')}</p>")
    assert "The full report is available online for every resident." in _texts(_page(body))


def test_quoted_paragraphs_are_quotes():
    body = (f"<p>{SENTENCE.format(day='Monday')}</p><blockquote><p>First quoted line about the pier.</p>"
            f"<p>Second quoted line about the lamps.</p></blockquote><p>{SENTENCE.format(day='Friday')}</p>")
    blocks, _ = extract_html(_page(body), URL)
    assert [b.kind for b in blocks if "quoted line" in b.text] == ["quote", "quote"]


# ---------------------------------------------------------------- readability as a second opinion

from lxml import html as lxml_html  # noqa: E402

from cleaner.pieces import Piece  # noqa: E402
from cleaner.second_opinion import reconcile  # noqa: E402

STORY = [SENTENCE.format(day=d) for d in ("Monday", "Tuesday", "Wednesday", "Thursday")]


def _candidate(paragraphs):
    return lxml_html.fromstring("<div>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div>")


def test_pieces_around_the_shared_story_dropped():
    pieces = ([Piece("paragraph", "Subscribe to the harbour weekly for twelve pounds a year")]
              + [Piece("paragraph", p) for p in STORY]
              + [Piece("heading", "More from the coast"), Piece("list_item", "Lighthouse keepers return")])
    kept = reconcile(pieces, _candidate(STORY), URL)
    assert [p.text for p in kept] == STORY


def test_a_sentence_just_above_the_shared_story_stays_as_its_lead():
    """Readability skips a short standfirst above the story: a paragraph of 12-30 words there
    went with the teasers. Just above the story and ending a sentence, it stays; a promo line
    there, or a sentence above it with a teaser between, still goes."""
    lead = "The harbour council has agreed to spend four million pounds on the old stone pier."
    promo = "Subscribe to the harbour weekly for twelve pounds a year"
    pieces = [Piece("paragraph", lead)] + [Piece("paragraph", p) for p in STORY]
    assert [p.text for p in reconcile(pieces, _candidate(STORY), URL)] == [lead, *STORY]
    pieces = [Piece("paragraph", lead), Piece("paragraph", promo)] + [Piece("paragraph", p) for p in STORY]
    assert [p.text for p in reconcile(pieces, _candidate(STORY), URL)] == STORY
    for not_a_lead in ("The harbour council has agreed to spend four million pounds on the old stone pier and...",
                       "The harbour council has agreed to spend four million pounds on the old stone pier",
                       "The council agreed to spend four million pounds on the pier."):  # 11 words
        pieces = [Piece("paragraph", not_a_lead)] + [Piece("paragraph", p) for p in STORY]
        assert [p.text for p in reconcile(pieces, _candidate(STORY), URL)] == STORY, not_a_lead


def test_pieces_inside_the_shared_story_kept():
    pieces = [Piece("paragraph", STORY[0]), Piece("heading", "What residents said"),
              Piece("list_item", "Keep the pier open"), *(Piece("paragraph", p) for p in STORY[1:])]
    assert reconcile(pieces, _candidate(STORY), URL) == pieces


def _candidate_html(html):
    return lxml_html.fromstring(f"<div>{html}</div>")


def _story_with_gap(gap):
    """readability's candidate: the story's four paragraphs, ``gap`` between the second and third."""
    return _candidate_html(f"<p>{STORY[0]}</p><p>{STORY[1]}</p>{gap}<p>{STORY[2]}</p><p>{STORY[3]}</p>")


@pytest.mark.parametrize("gap, put_back", [
    ("<h2>What residents asked for</h2><ul><li>Keep the pier open</li><li>Light the lamps</li></ul>",
     [("heading", "What residents asked for"), ("list_item", "Keep the pier open"),
      ("list_item", "Light the lamps")]),
    ("<table><tr><th>Berth</th><th>Fee</th></tr><tr><td>North quay</td><td>12 pounds</td></tr></table>",
     [("table", "Berth | Fee"), ("table", "North quay | 12 pounds")]),
], ids=["list-and-subheading", "table"])
def test_in_body_pieces_trafilatura_left_out_of_the_story_are_put_back(gap, put_back):
    """readability kept an in-body list, subheading or table between paragraphs trafilatura kept."""
    pieces = [Piece("paragraph", p) for p in STORY]
    kept = reconcile(pieces, _story_with_gap(gap), URL)
    assert [(p.kind, p.text) for p in kept] == [
        ("paragraph", STORY[0]), ("paragraph", STORY[1]), *put_back, ("paragraph", STORY[2]), ("paragraph", STORY[3])]
    assert kept[0] is pieces[0] and kept[-1] is pieces[-1]


def test_a_short_heading_found_further_down_does_not_move_the_gap():
    """"Background" is a word of a later paragraph too: it is a heading trafilatura lacks,
    not a piece the two share, and the list around it stays where it was."""
    story = STORY[:3] + [STORY[3] + " The background to the vote was a storm."]
    pieces = [Piece("paragraph", p) for p in story]
    candidate = _candidate_html(f"<p>{story[0]}</p><ul><li>Fix the railings</li></ul><h2>Background</h2>"
                                f"<ul><li>Paint the posts</li></ul>" + "".join(f"<p>{p}</p>" for p in story[1:]))
    assert [p.text for p in reconcile(pieces, candidate, URL)] == [
        story[0], "Fix the railings", "Background", "Paint the posts", *story[1:]]


def test_gaps_are_filled_when_the_candidate_shares_less_than_most_of_the_story():
    """A candidate too far from trafilatura's text to trim by (it lacks the second half)
    still says where trafilatura dropped a list between two paragraphs both have."""
    more = [SENTENCE.format(day=d) + " The vote was close." for d in ("Friday", "Saturday", "Sunday", "today")]
    pieces = [Piece("paragraph", p) for p in STORY + more]
    kept = reconcile(pieces, _story_with_gap("<ul><li>Keep the pier open</li></ul>"), URL)
    assert [p.text for p in kept] == [*STORY[:2], "Keep the pier open", *STORY[2:], *more]


def test_gap_that_also_lacks_a_paragraph_stays_out():
    """A kicker over a teaser's summary: trafilatura left the box out on purpose."""
    pieces = [Piece("paragraph", p) for p in STORY]
    candidate = _story_with_gap("<h3>Read next</h3>"
                                "<p>Lighthouse keepers return to the island after a long winter away</p>")
    assert reconcile(pieces, candidate, URL) == pieces


def test_list_below_the_shared_story_is_not_put_back():
    pieces = [Piece("paragraph", p) for p in STORY]
    candidate = _candidate_html("".join(f"<p>{p}</p>" for p in STORY) + "<ul><li>More from the coast</li></ul>")
    assert reconcile(pieces, candidate, URL) == pieces


def test_audit_keeps_the_dropped_pieces_when_a_step_adds_some():
    """A step may drop pieces and add others: the added ones join the page after the piece they
    follow, and the dropped ones stay on the page with their reason."""
    from cleaner.extract import _audited

    a, b, c = (Piece("paragraph", t) for t in ("a", "b", "c"))
    new = Piece("list_item", "n")
    page, why = _audited([a, b, c], [(("r1", "x"), lambda ps: [a, new, c]),
                                     (("r2", "y"), lambda ps: [p for p in ps if p is not c])])
    assert [p.text for p in page] == ["a", "n", "b", "c"]
    assert why == {id(b): ("r1", "x"), id(c): ("r2", "y")}


def test_candidate_that_misses_the_story_ignored():
    other = [f"A different text about the weather on day {i} with many words in it to pass." for i in range(6)]
    pieces = [Piece("paragraph", p) for p in STORY]
    assert reconcile(pieces, _candidate(other), URL) == pieces


def test_much_longer_candidate_holding_the_story_replaces_it():
    more = STORY + [SENTENCE.format(day=d) + " It rained." for d in ("Friday", "Saturday", "Sunday", "today")]
    pieces = [Piece("paragraph", p) for p in STORY[:3]]
    kept = reconcile(pieces, _candidate(more), URL)
    assert [p.text for p in kept] == more
    assert all(p.kind == "paragraph" for p in kept)


def test_short_candidate_ignored():
    pieces = [Piece("paragraph", "Lighthouse keepers return"), Piece("paragraph", STORY[0])]
    assert reconcile(pieces, _candidate(STORY[:1]), URL) == pieces


def test_long_lead_above_the_shared_story_kept():
    lead = SENTENCE.format(day="Sunday") + " Members of the public were invited to speak for two minutes each."
    story = STORY + [SENTENCE.format(day=d) for d in ("Friday", "Saturday")]
    pieces = [Piece("paragraph", "Subscribe now"), Piece("paragraph", lead), *(Piece("paragraph", p) for p in story)]
    assert [p.text for p in reconcile(pieces, _candidate(story), URL)] == [lead, *story]


def test_trafilatura_hands_over_its_readability_candidate():
    """The second opinion rides on trafilatura's own pass: if an upgrade stops
    calling ``external.try_readability`` there, this is where it shows."""
    from cleaner.htmlparse import load_html
    from cleaner.second_opinion import trafilatura_pass

    story = "".join(f"<p>The harbour board met on day {i} and agreed that the old pier, "
                    f"closed since the storm, would reopen to boats in the spring.</p>" for i in range(8))
    page = (f"<html><body><nav><a href='/'>Home</a> <a href='/n'>News</a></nav>"
            f"<article>{story}</article><footer>Contact us</footer></body></html>")
    body, candidate, fell_back, justext_blind = trafilatura_pass(load_html(page), None)
    assert body is not None and candidate is not None and not fell_back and not justext_blind
    assert "harbour board" in " ".join(candidate.itertext())


@pytest.mark.parametrize("lead, blind", [
    ("市政府星期一宣布，老火车站将改建为新的公共图书馆，预计明年春天开工，整个工程大约需要两年时间才能完成。", True),
    ("เทศบาลประกาศเมื่อวันจันทร์ว่าสถานีรถไฟเก่าจะกลายเป็นห้องสมุดประชาชนแห่งใหม่ โดยจะเริ่มก่อสร้างในปีหน้า", True),
    ("The city said on Monday that the old railway station will become the new public library.", False),
    ("Град је у понедељак саопштио да ће стара железничка станица постати нова јавна библиотека.", False),
])
def test_the_pass_says_when_justext_could_not_read_the_page_language(monkeypatch, lead, blind) -> None:
    """trafilatura checks a short extraction against jusText; its stoplists know English and
    Serbian words, and no Chinese or Thai ones (cleaner then reads the visible text too)."""
    from cleaner import second_opinion
    from cleaner.htmlparse import load_html

    shares = []
    real = second_opinion.stopword_share
    monkeypatch.setattr(second_opinion, "stopword_share", lambda *a: shares.append(real(*a)) or shares[-1])
    page = (f"<html><body><nav><a href='/'>Home</a></nav><article><p>{lead}</p></article>"
            "<div>Share on Facebook</div></body></html>")  # English widget words beside any language
    assert second_opinion.trafilatura_pass(load_html(page), None).justext_blind is blind
    # jusText ran and its share was read: a False is a reading, not a check that never ran.
    assert len(shares) == 1 and (shares[0] < second_opinion.JUSTEXT_BLIND_SHARE) is blind


# Two halves of one story, about the same topic but in different sentences.
FIRST_HALF = [f"The harbour board said the old pier would reopen to fishing boats on day {i}, "
              f"once the timber survey of the pier was finished." for i in range(3)]
SECOND_HALF = [f"Fishing crews told the harbour board on day {i} that the pier survey must also "
               f"cover the old timber steps and the lamps along the pier." for i in range(5)]


def test_story_split_between_the_extractors_is_joined_in_page_order():
    """trafilatura took one half, readability the other: both kept, the page's half first."""
    page = lxml_html.fromstring("<html><body><article>" + "".join(f"<p>{p}</p>" for p in SECOND_HALF + FIRST_HALF)
                                + "</article></body></html>")
    pieces = [Piece("paragraph", p) for p in FIRST_HALF]
    kept = reconcile(pieces, _candidate(SECOND_HALF), URL, page)
    assert [p.text for p in kept] == SECOND_HALF + FIRST_HALF
    assert [p.text for p in reconcile(pieces, _candidate(SECOND_HALF), URL)] == FIRST_HALF + SECOND_HALF


def test_unrelated_longer_candidate_not_joined():
    """A longer candidate that shares no piece and little vocabulary (comments, a sidebar) is ignored."""
    other = [f"Reader number {i} wrote that cheap flights to sunny islands were easy to book online "
             f"last winter with a good travel agent." for i in range(5)]
    pieces = [Piece("paragraph", p) for p in FIRST_HALF]
    assert reconcile(pieces, _candidate(other), URL) == pieces


# Readers' comments on the FIRST_HALF story: the same topic and many of its function words.
COMMENTS = ["I think the board is wasting our money on the pier again, as it always does.",
            "We used to fish off the old pier when I was a kid and it was the best part of the summer.",
            "Who is going to pay for all of this in the end? Not the board, that is for sure.",
            "Great news for the town, I hope they open it before the summer is over.",
            "The harbour was a lot busier when I was young, and the boats were bigger then.",
            "Does anyone know if the cafe by the pier will open again on the day of the fair?",
            "It was about time, the old pier was an eyesore once the paint was gone."]


def test_comments_on_the_story_are_not_joined_as_its_other_half():
    """Counted over all words, comments share half the story's vocabulary; over content words they do not."""
    pieces = [Piece("paragraph", p) for p in FIRST_HALF]
    assert reconcile(pieces, _candidate(COMMENTS), URL) == pieces


def test_headline_that_is_the_only_piece_kept():
    """A short post whose one paragraph repeats the title: it is the page, not a headline."""
    from cleaner.extract import drop_headline

    post = Piece("paragraph", "Harbour plans move ahead after the vote on Monday")
    assert drop_headline([post], "Harbour plans move ahead after the vote") == [post]
    body = Piece("paragraph", SENTENCE.format(day="Monday"))
    assert drop_headline([post, body], "Harbour plans move ahead after the vote") == [body]


def _bare_page(head: str) -> str:
    body = "".join(f"<p>{SENTENCE.format(day=d)}</p>" for d in ("Monday", "Tuesday"))
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


def test_json_ld_metadata_is_read_and_unescaped():
    ld = ('{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Pier &amp; harbour plans",'
          ' "author": {"@type": "Person", "name": "Jane  Doe"},'
          ' "publisher": {"@type": "Organization", "name": "Harbour &amp; Coast News"}}')
    _, meta = extract_html(_bare_page(f'<script type="application/ld+json">{ld}</script>'), URL)
    assert meta.author == "Jane Doe"
    assert meta.sitename == "Harbour & Coast News"


def test_broken_json_ld_falls_back_to_trafilatura_regex_reader():
    ld = '{"@context": "https://schema.org", "@type": "NewsArticle", "author": {"name": "Jane Doe"}, oops'
    _, meta = extract_html(_bare_page(f'<script type="application/ld+json">{ld}</script>'), URL)
    assert meta.author == "Jane Doe"


@pytest.mark.parametrize("ld", ['[1, 2, "x"]', '"just a string"', '{"@graph": 3, "@context": "https://schema.org"}',
                                '{"@context": "https://schema.org", "@type": ["NewsArticle"], "author": [null, 5]}'])
def test_odd_json_ld_shapes_do_not_fail_the_page(ld):
    blocks, meta = extract_html(_bare_page(f'<script type="application/ld+json">{ld}</script>'), URL)
    assert blocks and isinstance(meta, Metadata)


def test_html_metadata_takes_author_and_date_from_the_lines_the_rules_removed():
    """The byline and date rules took the lines, and the metadata stayed empty (text mode filled it)."""
    import cleaner
    page = ("<html><body><article><p>By Jane Doe</p><p>March 3, 2024</p><p>The council approved the new budget "
            "on Monday after a long debate about schools and roads.</p><p>Members said the spending would rise by "
            "a tenth next year, and the mayor agreed.</p></article></body></html>")
    result = cleaner.clean_document(page)
    assert [r.rule for r in result.removals] == ["byline", "date-line"]
    assert (result.metadata.author, result.metadata.date) == ("Jane Doe", "March 3, 2024")


def _serialised(tree):
    from lxml import etree
    return None if tree is None else etree.tostring(tree, encoding="unicode")


LOADER_CASES = [
    ARTICLE,
    "<p>A fragment from a CMS field.</p>",
    "<div><p>One</p><p>Two</p></div>",
    "just some words, no markup",
    "<?xml version='1.0' encoding='utf-8'?><html><body><p>Declared</p></body></html>",
    "<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE html>\n<html><head><title>T</title></head><body><p>B</p></body></html>",
    "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\"><html><body><p>Old doctype</p></body></html>",
    "<html/>\n<body><p>Self-closed html</p></body>",
    "<html><body><p>Control \x01 and \x0b characters</p><!-- a comment --><?pi x?></body></html>",
    "<html><body><form><input value='x'><label>Name</label><select><option>a</select></form></body></html>",
    "\xa0<html><body><p>One</p><p>Two</p></body></html>",  # \s for lxml's str test, not its bytes one
    "\u3000\n<!DOCTYPE html><html><body><p>Ideographic space first</p></body></html>",
]


def _parsed_both_ways(html: str):
    """``html``, and ``html`` wrapped as a body (what ``_load`` does with a fragment), parsed by
    cleaner's ``_parse`` and by trafilatura's ``load_html``: pairs of serialised trees."""
    from trafilatura.utils import load_html

    from cleaner.htmlparse import parse_html

    return [(_serialised(parse_html(x)), _serialised(load_html(x))) for x in (html, f"<html><body>{html}</body></html>")]


@pytest.mark.parametrize("html", LOADER_CASES)
def test_loader_parses_as_trafilatura_does(html):
    """cleaner's parser (a C class lookup) gives the tree trafilatura's loader gives."""
    for ours, theirs in _parsed_both_ways(html):
        assert ours == theirs


def test_loader_makes_no_python_lookup_per_element():
    """Each element of a loaded page is a plain HtmlElement: lxml.html's per-element Python
    class lookup (FormElement, InputElement...) is not on the path of every tree walk."""
    from lxml import html as lxml_html

    from cleaner.htmlparse import load_html

    tree = load_html(LOADER_CASES[-1])
    assert {type(el) for el in tree.iter()} == {lxml_html.HtmlElement}


_MARKUP = st.lists(st.sampled_from(["<p>", "</p>", "<div class='a'>", "</div>", "<html>", "<body>", "<br/>",
                                    "<!DOCTYPE html>", "<?xml version='1.0' encoding='utf-8'?>", "<html/>",
                                    "<form><input>", "&amp;", "&nbsp;", "<", ">", "\x00", "\n"])
                   | st.text(max_size=12), max_size=12).map("".join)


@settings(max_examples=200, deadline=None)
@given(_MARKUP)
def test_the_repair_without_deletion_is_trafilaturas_repair(html):
    """Where ``_clean_utf8`` found nothing to delete, ``_repair_lines`` repairs as
    ``repair_faulty_html`` does (a trafilatura that adds a step fails here)."""
    from trafilatura.utils import repair_faulty_html

    from cleaner.htmlparse import _clean_utf8, _repair_lines

    if _clean_utf8(html) is not None:
        assert _repair_lines(html, html[:50].lower()) == repair_faulty_html(html, html[:50].lower())


@settings(max_examples=200, deadline=None)
@given(_MARKUP)
def test_loader_matches_trafilatura_on_any_markup(html):
    for ours, theirs in _parsed_both_ways(html):
        assert ours == theirs


# A short page: too little text for trafilatura's main extractor, so it falls back to one
# paragraph a page element (here the <article>, or the whole body for the shorter Chinese one).
SHORT_STORY = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head><body>
<header><nav><a href="/">{nav[0]}</a> <a href="/news">{nav[1]}</a> <a href="/sport">{nav[2]}</a></nav></header>
<article><h1>{title}</h1><div class="byline">{byline}</div>
<div class="share"><a href="#">{share[0]}</a> <a href="#">{share[1]}</a></div>
<p>{body[0]}</p><p>{body[1]}</p></article><footer>{footer}</footer></body></html>"""
SHORT_EN = SHORT_STORY.format(
    lang="en", title="Council approves riverside park", nav=("Home", "News", "Sport"),
    byline="By Ann Lee, March 5, 2024", share=("Share on Facebook", "Share on X"),
    body=("The council on Monday approved a plan to build a park by the river, with work due next spring.",
          "The mayor said the park would give nearby residents more room to walk."),
    footer="Copyright 2024 Example News")
SHORT_ZH = SHORT_STORY.format(
    lang="zh", title="市政府批准新公园计划", nav=("首页", "新闻", "体育"), byline="记者 王明 2024年3月5日",
    share=("分享到微信", "分享到微博"), body=("市政府周一批准了在河边建设新公园的计划，预计明年春天开工。",
                                       "市长表示，这个公园将为附近居民提供更多休闲空间。"),
    footer="版权所有 © 2024 某某新闻网")


def test_a_short_page_is_read_as_lines_so_its_chrome_can_go():
    """trafilatura's fallback gives the <article>'s text as one paragraph; it comes back as lines."""
    blocks, _, removals, _ = extract_page(SHORT_EN, URL)
    assert [b.text for b in blocks] == ["Council approves riverside park", "By Ann Lee, March 5, 2024",
                                        "Share on Facebook Share on X",
                                        "The council on Monday approved a plan to build a park by the river, "
                                        "with work due next spring.",
                                        "The mayor said the park would give nearby residents more room to walk."]
    assert [r.rule for r in removals] == ["extract-headline"]
    assert clean(SHORT_EN, url=URL) == ("The council on Monday approved a plan to build a park by the river, with "
                                        "work due next spring.\n\nThe mayor said the park would give nearby "
                                        "residents more room to walk.")


def test_a_whole_page_fallback_is_read_as_lines_with_links_as_words():
    """Shorter still, the fallback is the whole body's text: each block element's text a line,
    its links' texts words in it; footers stay out, as trafilatura's fallback left them."""
    texts = [b.text for b in extract_page(SHORT_ZH, URL)[0]]
    assert texts == ["首页 新闻 体育", "市政府批准新公园计划", "记者 王明 2024年3月5日", "分享到微信 分享到微博",
                     "市政府周一批准了在河边建设新公园的计划，预计明年春天开工。", "市长表示，这个公园将为附近居民提供更多休闲空间。"]
    # ...which the rules then read one by one: menu (breadcrumb), byline with date, share links.
    assert clean(SHORT_ZH, url=URL) == "市政府周一批准了在河边建设新公园的计划，预计明年春天开工。\n\n市长表示，这个公园将为附近居民提供更多休闲空间。"


def test_a_fallback_listing_keeps_its_link_lines():
    """The lone-link step is for paragraphs in a story; in a fallback page link lines are the listing."""
    items = "".join(f'<li><a href="/jobs/{i}">Pier warden number {i}</a></li>' for i in range(1, 4))
    page = f"<html><head><title>Jobs</title></head><body><h1>Open jobs</h1><ul>{items}</ul></body></html>"
    texts = [b.text for b in extract_html(page, URL)[0]]
    assert [t for t in texts if t.startswith("Pier warden")] == [f"Pier warden number {i}" for i in range(1, 4)]


def test_a_fallback_text_that_is_no_element_of_the_page_stays_whole():
    """An article body read from the page's JSON-LD is the story, not a page element's text: one block."""
    import json
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Pier",
          "articleBody": f"{SENTENCE.format(day='Monday')}\n{SENTENCE.format(day='Tuesday')}"}
    page = (f'<html><head><title>Pier</title><script type="application/ld+json">{json.dumps(ld)}</script></head>'
            '<body><div id="app">Loading</div></body></html>')
    assert _texts(page) == [f"{SENTENCE.format(day='Monday')} {SENTENCE.format(day='Tuesday')}"]


def test_a_fallback_line_keeps_inline_formatting_inside_its_words():
    """Read as lines, inline formatting runs on ("river<b>'s</b>"), while a menu's links or a
    dropdown's options stay words of their own."""
    page = ("<html><head><title>Low water</title></head><body><article><h1>Low water</h1>"
            "<p>The river<b>'s</b> level is at 10<sup>2</sup> cm, the <a href='/m'>mayor</a> said.</p>"
            "<nav><a href='/a'>Arizona</a><a href='/b'>Atlanta</a></nav>"
            "<select><option>Boston</option><option>Chicago</option></select></article></body></html>")
    assert _texts(page) == ["The river's level is at 102 cm, the mayor said.", "Arizona Atlanta", "Boston Chicago"]


def test_giant_page_skips_the_second_opinion(monkeypatch):
    """Each piece is looked for in the candidate's text: past READABILITY_MAX_SCAN characters
    scanned (a 20 MB page of 56,000 paragraphs) trafilatura's pieces stand, as they are."""
    from cleaner import second_opinion

    pieces = ([Piece("paragraph", "Subscribe to the harbour weekly for twelve pounds a year")]
              + [Piece("paragraph", p) for p in STORY])
    assert [p.text for p in reconcile(pieces, _candidate(STORY), URL)] == STORY
    monkeypatch.setattr(second_opinion, "READABILITY_MAX_SCAN", 1000)
    assert reconcile(pieces, _candidate(STORY), URL) == pieces


@pytest.mark.parametrize("depth", [300, 1500])
def test_text_below_hundreds_of_unclosed_elements_is_read(depth):
    """libxml2 stops at 256 nested elements unless told otherwise: the page came out empty."""
    html = "<html><body>" + "<div><span>menu</span>" * depth + f"<p>{SENTENCE.format(day='Monday')}</p>" * 3
    assert SENTENCE.format(day="Monday") in clean(html + "</body></html>", url=URL)


# ---------------------------------------------------------------- lists trafilatura left out

from cleaner.second_opinion import fill_sibling_lists  # noqa: E402

ITEMS = ["New roofs for three primary schools", "Longer opening hours at the library"]


def _story_page(between: str, after: str = "") -> "lxml_html.HtmlElement":
    """A page whose story is STORY, ``between`` after its second paragraph, ``after`` at its end."""
    return lxml_html.fromstring(
        f"<html><body><nav><ul><li>Home</li><li>News</li></ul></nav><article>"
        f"<p>{STORY[0]}</p><p>{STORY[1]}</p>{between}<p>{STORY[2]}</p><p>{STORY[3]}</p>{after}"
        f"</article></body></html>")


def _list(items, tag: str = "ul") -> str:
    return f"<{tag}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{tag}>"


def _kinds(pieces):
    return [(p.kind, p.text) for p in pieces]


def test_a_list_between_two_kept_paragraphs_is_put_back_after_the_first():
    pieces = [Piece("paragraph", p) for p in STORY]
    kept = fill_sibling_lists(pieces, _story_page(_list(ITEMS, "ol")))
    assert _kinds(kept) == [("paragraph", STORY[0]), ("paragraph", STORY[1]),
                            *(("list_item", i) for i in ITEMS), ("paragraph", STORY[2]), ("paragraph", STORY[3])]
    # Under a subheading trafilatura kept, before the next paragraph: the same.
    pieces = [*(Piece("paragraph", p) for p in STORY[:2]), Piece("heading", "What the money buys"),
              *(Piece("paragraph", p) for p in STORY[2:])]
    kept = fill_sibling_lists(pieces, _story_page(f"<h2>What the money buys</h2>{_list(ITEMS)}"))
    assert [p.text for p in kept][2:5] == ["What the money buys", *ITEMS]


def test_a_list_the_story_does_not_hold_on_both_sides_stays_out():
    pieces = [Piece("paragraph", p) for p in STORY]
    # Its neighbours are not consecutive pieces (trafilatura left the paragraph after it out).
    assert fill_sibling_lists(pieces[:2] + pieces[3:], _story_page(_list(ITEMS))) == pieces[:2] + pieces[3:]
    # A gallery's captions, and a list trafilatura kept part of.
    gallery = "<ul>" + "".join(f"<li><img src='/{k}.jpg'>{i}</li>" for k, i in enumerate(ITEMS)) + "</ul>"
    assert fill_sibling_lists(pieces, _story_page(gallery)) == pieces
    partly = pieces[:2] + [Piece("list_item", ITEMS[0])] + pieces[2:]
    assert fill_sibling_lists(partly, _story_page(_list(ITEMS))) == partly


def test_a_list_closing_the_story_goes_back_unless_it_is_all_links():
    pieces = [Piece("paragraph", p) for p in STORY]
    kept = fill_sibling_lists(pieces, _story_page("", _list(ITEMS)))
    assert [p.text for p in kept] == [*STORY, *ITEMS]
    links = "<ul>" + "".join(f"<li><a href='/{k}'>{i}</a></li>" for k, i in enumerate(ITEMS)) + "</ul>"
    assert fill_sibling_lists(pieces, _story_page("", links)) == pieces


def test_a_list_item_nested_thousands_deep_loses_no_text():
    """Reading such an item recursed past Python's limit, and the error cost the page all of
    its extraction: the list stays out, the story stays in."""
    from cleaner.htmlparse import load_html  # the page parser: 2,048 levels deep, not libxml2's 256
    deep = "<li>" + "<span>" * 1500 + "Deep item" + "</span>" * 1500 + "</li>"
    page = (f"<html><body><article><p>{STORY[0]}</p><p>{STORY[1]}</p><ul>{deep}<li>{ITEMS[0]}</li></ul>"
            f"<p>{STORY[2]}</p><p>{STORY[3]}</p></article></body></html>")
    pieces = [Piece("paragraph", p) for p in STORY]
    assert fill_sibling_lists(pieces, load_html(page)) == pieces


def test_an_extraction_step_that_fails_leaves_the_pieces(monkeypatch):
    from cleaner import extract
    page = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in STORY) + "</article></body></html>"
    before = [b.text for b in extract_page(page, URL).blocks]

    def broken(pieces, tree):
        raise ValueError("a bug in one step")
    monkeypatch.setattr(extract, "fill_sibling_lists", broken)
    assert [b.text for b in extract_page(page, URL).blocks] == before == STORY


def test_a_letterless_item_is_left_out_not_its_list():
    """An item "→" has no words, which every piece holds: it kept its whole list out."""
    pieces = [Piece("paragraph", p) for p in STORY]
    kept = fill_sibling_lists(pieces, _story_page(f"<ul><li>{ITEMS[0]}</li><li>→</li></ul>"))
    assert [p.text for p in kept] == [*STORY[:2], ITEMS[0], *STORY[2:]]


def test_past_the_scan_budget_the_pieces_stay_as_they_are(monkeypatch):
    """Each list's lines are looked for in the page's text: on a page of thousands of lists
    that grew with lists times page length (7 s for 6,000 lists)."""
    from cleaner import second_opinion
    pieces = [Piece("paragraph", p) for p in STORY]
    page = _story_page(_list(ITEMS))
    assert len(fill_sibling_lists(pieces, page)) == len(STORY) + len(ITEMS)
    monkeypatch.setattr(second_opinion, "SIBLING_MAX_SCAN", 10)
    assert fill_sibling_lists(pieces, page) == pieces


def test_long_piece_texts_are_not_remembered():
    from cleaner import pieces
    pieces._cached_words.cache_clear()
    pieces.padded_piece_words("word " * (pieces._CACHED_TEXT // 5 + 1))
    pieces.padded_piece_words("a short paragraph")
    assert pieces._cached_words.cache_info().currsize == 1


def test_each_thread_parses_with_its_own_parser():
    """The depth check reads the parser's error log of the last parse: with one parser for all
    threads, another thread's parse could clear it before it was read."""
    import threading

    from cleaner.htmlparse import parser
    theirs = []
    worker = threading.Thread(target=lambda: theirs.append(parser()))
    worker.start()
    worker.join()
    assert parser() is parser() and theirs[0] is not parser()
