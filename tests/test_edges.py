"""Edge trimming (cleaner/edges.py): title-like lines outside the span of paragraphs."""
from __future__ import annotations

from typing import List, Sequence, Tuple

from cleaner.document import Block
from cleaner.edges import trim_edges
from cleaner.textshape import MIN_PROSE_WORDS, is_paragraph

PARA_1 = "The bakery on the corner opened again last week after a long winter of repairs to its ovens."
PARA_2 = "Customers queued from early morning, and the owners said they had sold out of bread by noon."
PARA_3 = "They plan to open a second shop by the river next year if the rent there stays low enough."


def _blocks(*texts: str) -> List[Block]:
    return [Block(i, text) for i, text in enumerate(texts)]


def _trimmed(blocks: Sequence[Block]) -> List[Tuple[int, str]]:
    return [(r.index, r.rule) for r in trim_edges(blocks)]


# --- is_paragraph ------------------------------------------------------------------------

def test_sentence_of_several_words_is_a_paragraph():
    assert is_paragraph(PARA_1)
    assert is_paragraph('She said the shop "would stay open all summer."')


def test_short_or_unpunctuated_lines_are_not_paragraphs():
    assert not is_paragraph("Local news")
    assert not is_paragraph("It rained.")   # ends a sentence but too few words
    assert not is_paragraph("Bakery reopens after a long winter of repairs to its ovens")
    assert not is_paragraph(" ".join(["word"] * (MIN_PROSE_WORDS - 1)) + ".")


def test_long_unpunctuated_line_is_a_paragraph():
    line = " ".join(f"item{i}" for i in range(30))
    assert is_paragraph(line)
    assert not is_paragraph(" ".join(f"item{i}" for i in range(29)))


def test_arabic_question_mark_ends_a_paragraph():
    question = "هل سيفتح المخبز القديم في الحي أبوابه مرة أخرى بعد انتهاء أعمال الإصلاح في الشتاء؟"
    assert is_paragraph(question)
    assert not is_paragraph(question[:-1])


def test_devanagari_danda_ends_a_paragraph():
    sentence = "पुरानी बेकरी सर्दियों में मरम्मत के बाद पिछले हफ्ते फिर से खुल गई और लोग सुबह से कतार में थे।"
    assert is_paragraph(sentence)
    assert not is_paragraph(sentence[:-1])


def test_a_thai_line_of_several_words_is_a_paragraph():
    """Thai ends a sentence with a space, not a mark: its short paragraphs read as title-like
    lines and went as lead-in/tail-out (a brief kept one of eight)."""
    short = "ห้องสมุดเปิดให้บริการทุกวันโดยไม่เสียค่าเข้าชม"  # two characters count as a word in Thai
    assert is_paragraph(short)
    assert not is_paragraph("หน้าแรก")  # one menu word


# --- trim_edges --------------------------------------------------------------------------

def test_lead_in_lines_above_the_first_paragraph_go():
    blocks = _blocks("Local news", "Bakery reopens after winter", PARA_1, PARA_2)
    assert _trimmed(blocks) == [(0, "lead-in"), (1, "lead-in")]


def test_tail_out_lines_below_the_last_paragraph_go():
    blocks = _blocks(PARA_1, PARA_2, "Tags", "Food and drink")
    assert _trimmed(blocks) == [(2, "tail-out"), (3, "tail-out")]


def test_lines_between_paragraphs_stay():
    blocks = _blocks("Local news", PARA_1, "What comes next", PARA_2, "Opening hours", PARA_3, "Tags")
    assert _trimmed(blocks) == [(0, "lead-in"), (6, "tail-out")]


def test_a_subheading_over_short_sentences_after_the_last_paragraph_stays():
    """Sentences of four to seven words are not paragraphs (Korean or Georgian ones often are
    that short): the subheading above them was taken as a widget title below the story."""
    blocks = _blocks(PARA_1, "A reading room under the clock", "Entry is free every day.",
                     "Courses start in the autumn.", "Tags", "Food and drink")
    assert _trimmed(blocks) == [(4, "tail-out"), (5, "tail-out")]
    # Three words are not a sentence that extends the story ("Read more." or "Thank you!").
    assert _trimmed(_blocks(PARA_1, "More from the bakery", "Read more here.")) == [(1, "tail-out")]


def test_sentences_and_long_lines_at_the_edges_stay():
    caption = "Photo: the new ovens were installed in March."
    blocks = _blocks(caption, PARA_1, PARA_2)
    assert _trimmed(blocks) == []


def test_page_without_paragraphs_is_untouched():
    blocks = _blocks("Home", "Local news", "Weather", "Contact us")
    assert trim_edges(blocks) == []
    assert trim_edges([]) == []


def test_removals_carry_the_block_index_and_a_reason():
    blocks = [Block(10, "Local news"), Block(20, PARA_1), Block(30, "Tags")]
    removals = trim_edges(blocks)
    assert [(r.index, r.stage) for r in removals] == [(10, "edges"), (30, "edges")]
    assert "above the first paragraph" in removals[0].reason
    assert "below the last paragraph" in removals[1].reason


def test_arabic_and_devanagari_paragraphs_bound_the_edges():
    arabic = "هل سيفتح المخبز القديم في الحي أبوابه مرة أخرى بعد انتهاء أعمال الإصلاح في الشتاء؟"
    hindi = "पुरानी बेकरी सर्दियों में मरम्मत के बाद पिछले हफ्ते फिर से खुल गई और लोग सुबह से कतार में थे।"
    assert _trimmed(_blocks("أخبار محلية", arabic, "وسوم")) == [(0, "lead-in"), (2, "tail-out")]
    assert _trimmed(_blocks("स्थानीय समाचार", hindi, "टैग")) == [(0, "lead-in"), (2, "tail-out")]


# --- a list the last paragraph announces ---------------------------------------------------

ITEMS = ("1) A wooden train set", "2) A box of coloured pencils", "3) A kite")


def test_items_of_a_list_announced_by_the_last_paragraph_stay():
    intro = "These are the presents the owners liked best this year, in order:"
    page = _blocks(PARA_1, PARA_2, intro, *ITEMS, "Tags")
    assert _trimmed(page) == [(6, "tail-out")]
    # Announced by the last paragraph itself (30 words or more, so a paragraph without a sentence end).
    announcing = PARA_2 + " They also asked the children which presents they liked best, and the three they named most often were:"
    assert is_paragraph(announcing) and announcing.endswith(":")
    page = _blocks(PARA_1, announcing, *ITEMS, "Tags")
    assert _trimmed(page) == [(5, "tail-out")]


def test_list_after_a_paragraph_that_announces_nothing_is_trimmed():
    page = _blocks(PARA_1, PARA_2, *ITEMS)
    assert _trimmed(page) == [(2, "tail-out"), (3, "tail-out"), (4, "tail-out")]
    # A short label with a colon ("Share this:") announces no list either.
    page = _blocks(PARA_1, PARA_2, "Share this:", "* Facebook", "* Email")
    assert [i for i, _ in _trimmed(page)] == [3, 4]


def test_a_list_under_a_short_heading_after_the_last_paragraph_stays():
    items = ["* Rye loaf: 4 euros", "* Seed bread: 5 euros", "* Fruit cake: 9 euros"]
    assert _trimmed(_blocks(PARA_1, PARA_2, "Prices this week", *items)) == []
    # Under three items it is not a list the story shows: heading and items are edges.
    assert _trimmed(_blocks(PARA_1, PARA_2, "Prices this week", *items[:2], "Tags")) == [
        (2, "tail-out"), (3, "tail-out"), (4, "tail-out"), (5, "tail-out")]
    # The heading must be short: a long title-like line over bullets is not one.
    long_heading = "Everything you need to know about the prices at the bakery this week"
    assert (2, "tail-out") in _trimmed(_blocks(PARA_1, PARA_2, long_heading, *items))


DATES = ["June 9 -- Harbour Hall, Portsmouth", "June 12 -- The Old Mill, Exeter", "June 14 -- Town Arena, Bristol"]


def test_an_announced_list_without_bullets_stays_anywhere_on_the_page():
    """Tour dates or a table's rows carry no bullet; under a sentence that announces them
    (8+ words, a colon) they stay, below the last paragraph and above the first alike."""
    intro = "The band will play these dates on its summer tour next year:"
    assert _trimmed(_blocks(PARA_1, PARA_2, intro, *DATES, "Tags")) == [(6, "tail-out")]
    assert _trimmed(_blocks("World", intro, *DATES, PARA_1, PARA_2)) == [(0, "lead-in")]
    # A pager or a one-word line ends the run.
    assert _trimmed(_blocks(PARA_1, PARA_2, intro, *DATES, "2", "Tags")) == [(6, "tail-out"), (7, "tail-out")]
    # Two such lines are not a list, nor are lines without a digit (the sentence, right after the
    # last paragraph, stays as before); a short label announces nothing.
    assert [i for i, _ in _trimmed(_blocks(PARA_1, PARA_2, intro, *DATES[:2], "Tags"))] == [3, 4, 5]
    assert [i for i, _ in _trimmed(_blocks(PARA_1, PARA_2, intro, "Portsmouth", "Exeter", "Bristol"))] == [3, 4, 5]
    assert [i for i, _ in _trimmed(_blocks("World", intro, *DATES[:2], PARA_1))] == [0, 2, 3]
    assert [i for i, _ in _trimmed(_blocks(PARA_1, PARA_2, "Tour dates:", *DATES))] == [3, 4, 5]
