"""Bytes in any common encoding are decoded; junk and wrong types get clear errors."""
from __future__ import annotations

import pytest

import cleaner
from cleaner.decode import decode, looks_like_html

FRENCH = "Le café était fermé à Noël, a déclaré le propriétaire à la presse locale."
JAPANESE = "東京都は新しい予算案を月曜日に発表した。教育費は一割増える見込みだ。"


def test_cp1252_bytes() -> None:
    assert decode(FRENCH.encode("cp1252")) == FRENCH


def test_declared_charset_in_html() -> None:
    html = f'<html><head><meta charset="shift_jis"></head><body><p>{JAPANESE}</p></body></html>'
    assert JAPANESE in decode(html.encode("shift_jis"))


def test_shift_jis_without_declaration() -> None:
    assert decode((JAPANESE * 3).encode("shift_jis")) == JAPANESE * 3


@pytest.mark.parametrize("codec", ["utf-16", "utf-8-sig", "utf-32"])
def test_bom_encodings(codec: str) -> None:
    assert decode(FRENCH.encode(codec)) == FRENCH


def test_binary_junk_is_an_input_error() -> None:
    with pytest.raises(cleaner.InputError, match="binary"):
        cleaner.clean(bytes(range(256)) * 50)


@pytest.mark.parametrize("value", [None, 42, ["text"], {"text": "x"}])
def test_wrong_type_is_a_type_error(value) -> None:
    with pytest.raises(TypeError, match="str or bytes"):
        cleaner.clean(value)


def test_html_sniffing() -> None:
    assert looks_like_html("<!DOCTYPE html><html><body></body></html>")
    assert looks_like_html("<div class='a'><p>Hello</p></div>")
    assert not looks_like_html("Prices rose 5 % <compared with> last year.")
    assert looks_like_html("\n  <p>One</p><p>Two</p>")                       # a fragment that opens with a tag
    assert looks_like_html("Intro " + "<p>x</p>" * 5)                        # markup all through it
    assert looks_like_html("\ufeff<div><h1>Title</h1><p>One</p></div>")                # after a BOM
    assert looks_like_html('<?xml version="1.0"?>\n<html><body><p>Hi</p></body></html>')
    assert looks_like_html("<!-- saved --> <b>Caption</b> of the photo")                 # any tag, closed
    assert not looks_like_html('<img height="1" width="1" src="https://t.example/px">\nThe council met.')
    assert not looks_like_html("Add a lang attribute to the <html> element so readers know.")
    assert not looks_like_html("<3 the new bridge, residents said.")
    # names five tags and closes none: a how-to, read as HTML it came out as 'and'
    assert not looks_like_html("Style guide: wrap text in <p> <div> <a> <li> <span> and so on.")
    assert looks_like_html("One line<br>two<br>three<br>four<br>five<br>six")  # a <br>-broken CMS field
    assert looks_like_html("<p>First<p>Second<p>Third<p>Fourth<p>Fifth")       # unclosed <p>, valid HTML
    # A tutorial's text whose code sample quotes markup on one line of many: cleaned once as text, its
    # output (the chrome gone, the sample now in the first 5,000 characters) was read as HTML the second time.
    tutorial = "\n\n".join([BODY.strip()] * 4 + ['<div class="card"><a href="/x"><span>Go</span></a><p>Hi</p><br></div>']
                             + [BODY.strip()] * 4)
    assert not looks_like_html(tutorial)
    assert cleaner.clean(cleaner.clean(tutorial)) == cleaner.clean(tutorial)
    assert looks_like_html("Intro\n" + "<li>One</li>\n<li>Two</li>\n" * 3)   # a fragment with text above it


BODY = "The council approved the new budget on Monday after a long debate in the chamber.\n" * 3


def test_an_html_fragment_is_read_as_a_document_body() -> None:
    """trafilatura's loader refused a lone paragraph (and rooted other fragments at their
    first element): HTML mode returned nothing, with nothing in the audit trail."""
    paragraph = "The council approved the new budget on Monday after a long debate in the chamber."
    result = cleaner.clean_document(f"<p>{paragraph}</p>", mode="html")
    assert result.text == paragraph and [b.text for b in result.document.blocks] == [paragraph]


def test_text_with_a_stray_tag_stays_text() -> None:
    """A scraper left one tag in; read as HTML, trafilatura found nothing and the page came out empty."""
    assert not looks_like_html(BODY + "<p>Share this</p>")
    result = cleaner.clean_document(BODY + "<p>Share this</p>")
    assert result.document.mode == "text"
    assert "The council approved the new budget" in result.text


def test_output_that_quotes_a_tag_cleans_to_itself() -> None:
    page = ("<html><body><p>The council approved the new budget on Monday after a long debate in the chamber.</p>"
            "<p>To make a paragraph, wrap text in a &lt;p&gt; tag and close it with &lt;/p&gt; at the end.</p>"
            "</body></html>")
    once = cleaner.clean(page)
    assert "<p>" in once and "The council approved" in once
    assert cleaner.clean(once) == once


def test_cleaner_error_family() -> None:
    assert issubclass(cleaner.InputError, cleaner.CleanerError)
    assert issubclass(cleaner.RuleError, cleaner.CleanerError)
    assert issubclass(cleaner.RuleTimeout, cleaner.CleanerError)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_text_not_binary(codec) -> None:
    """Without a BOM it decoded as UTF-8 full of NULs and was refused as binary."""
    page = "The council met on Monday. Der Rat tagte am Montag: Straße gesperrt.\n" * 20
    assert decode(page.encode(codec)) == page
    assert "Straße gesperrt" in cleaner.clean(page.encode(codec), language=False, detector=False)


def test_a_page_declared_iso_8859_1_is_read_as_windows_1252() -> None:
    """Browsers do; read as Latin-1, its curly quotes came out as control characters."""
    page = ('<html><head><meta charset="iso-8859-1"></head><body><article><p>The council approved the '
            '\u201csecond bridge\u201d plan after a long debate on Monday evening \u2013 residents said.</p>'
            '</article></body></html>')
    text = cleaner.clean(page.encode("cp1252"))
    assert "\u201csecond bridge\u201d" in text and "\u2013" in text


def test_text_that_quotes_the_html_tag_is_cleaned_as_text() -> None:
    page = BODY + "Add a lang attribute to the <html> element so screen readers know the language.\n"
    assert "lang attribute to the <html> element" in cleaner.clean(page, language=False, detector=False)


def test_a_charset_label_that_is_no_text_encoding_is_ignored() -> None:
    """codecs knows "hex" and "base64"; as a declared charset they failed the page."""
    page = ('<html><head><meta charset="hex"></head><body><article><p>Caf\u00e9 owners said the new bridge '
            'would bring more visitors to the old town every summer.</p></article></body></html>')
    assert "Caf\u00e9 owners" in cleaner.clean(page.encode("cp1252"))


def test_a_lone_surrogate_does_not_cut_an_html_page_short() -> None:
    """A scraper that cuts a string inside a UTF-16 pair writes "\\ud83d" in its JSON; the HTML
    parser stopped reading there, and the paragraphs after it were lost without a removal."""
    paragraphs = [f"Paragraph {n} of the council story tells how the members voted on the new budget today."
                  for n in ("one", "two", "three", "four")]
    broken = [paragraphs[0], paragraphs[1] + " \ud83d", *paragraphs[2:]]
    page = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in broken) + "</article></body></html>"
    out = cleaner.clean(page, mode="html", language=False)
    assert all(p in out for p in paragraphs[2:]) and "\ufffd" in out
    assert decode("pair \ud83d\ude00 joined") == "pair \U0001F600 joined"


@pytest.mark.parametrize("text, expected", [("OK\x02", "OK"), ("Tab\x01le", "Table"),
                                            ("The council met\x07 on Monday." * 3, "The council met on Monday." * 3)])
def test_a_stray_control_character_is_taken_out_of_a_text_not_called_binary(text: str, expected: str) -> None:
    """A short field with one control character was refused as binary (2 % of 6 characters), and a
    longer text kept its control characters unless it also held a NUL."""
    assert decode(text) == expected


def test_a_control_character_after_many_joined_surrogate_pairs_is_taken_out() -> None:
    """Joining the pairs shortened the text, and the search for control characters past the
    first 100,000 started too late."""
    assert decode("\ud83d\ude00" * 50_000 + "x\x01y").endswith("xy")
