"""The text-mode body detector: each signal on small hand-written pages."""
from __future__ import annotations

from dataclasses import replace

import pytest

import cleaner

from cleaner.detector import Verdict, classify_blocks
from cleaner.detector import context, features, region, stoplist
from cleaner.document import Block
from cleaner.segment import split_text
from cleaner.textshape import word_tokens

MENU = "\n".join(["Home", "World", "Business", "Sport", "Culture", "Travel", "Weather"])
BODY = [
    "The harbour council voted on Monday to rebuild the old stone pier, which has been closed to the "
    "public since a storm cracked its foundations two winters ago.",
    "Engineers told the meeting that the work would take about eighteen months, and that the fishing "
    "boats would be moved to a temporary mooring on the east side of the bay while it went on.",
    "Not everyone was pleased with the plan. Several shop owners said that the closure had already cost "
    "them most of their summer trade, and they asked the council for help with their rents.",
    "The council said it would publish a full timetable for the works in the spring, after a last round "
    "of talks with the people who live and work along the front.",
]
FOOTER = "\n".join(["About us", "Contact", "Privacy policy", "Terms of use", "Careers", "Advertise"])


def _page(*parts: str) -> str:
    return "\n\n".join(parts)


def _article() -> str:
    return _page(MENU, "Council votes to rebuild the old pier", "By A. Writer", "3 March 2024", *BODY,
                 "Share this article", FOOTER, "\u00a9 2024 Example Media Ltd. All rights reserved.")


def _verdicts(text: str, language: str = "en"):
    blocks = split_text(text)
    return blocks, classify_blocks(blocks, language)


def _kept(text: str, language: str = "en"):
    blocks, verdicts = _verdicts(text, language)
    return [b.text for b, v in zip(blocks, verdicts) if v.keep]


# --- interface ---------------------------------------------------------------------------

def test_one_verdict_per_block_in_range():
    blocks, verdicts = _verdicts(_article())
    assert len(verdicts) == len(blocks)
    assert all(isinstance(v, Verdict) and 0.0 <= v.score <= 1.0 for v in verdicts)


def test_chrome_scores_below_every_paragraph():
    blocks, verdicts = _verdicts(_article())
    body = [v.score for b, v in zip(blocks, verdicts) if b.text in BODY]
    chrome = [v.score for b, v in zip(blocks, verdicts) if b.text not in BODY]
    assert len(body) == len(BODY) and chrome
    assert max(chrome) < min(body)


def test_drop_reasons_name_what_was_seen():
    blocks, verdicts = _verdicts(_article())
    seen = ("link-list run", "copyright", "repeated", "short", "stopwords", "punctuation", "URL",
            "separators", "digits", "outside the main text region")
    dropped = [(b.text, v.reason) for b, v in zip(blocks, verdicts) if not v.keep]
    assert dropped
    for text, reason in dropped:
        assert any(word in reason for word in seen), (text, reason)


def test_empty_input():
    assert classify_blocks([]) == []


def test_a_page_under_min_blocks_is_kept_whatever_its_score():
    """One or two blocks have no page to be told apart from (a one-line input, or all the rules left)."""
    from cleaner.detector import MIN_BLOCKS
    for text in (BODY[0], "Home", _page(BODY[0], "Reply"), _page("Sport", BODY[1])):
        verdicts = classify_blocks(split_text(text), "en", threshold=0.999)
        assert len(verdicts) < MIN_BLOCKS and all(v.keep and v.reason == "" for v in verdicts)


def test_a_page_keeps_its_best_block_only_when_no_block_passes_and_it_is_a_sentence():
    verdicts = classify_blocks(split_text("\n".join([BODY[0], "What do you think?", "Reply"])), "en", threshold=0.999)
    assert [v.keep for v in verdicts] == [True, False, False]
    assert not any(v.keep for v in classify_blocks(split_text(MENU), "en", threshold=0.999))
    # a page where some block passes is judged as usual: the fallback adds nothing
    assert not all(v.keep for v in classify_blocks(split_text(_article()), "en"))


def test_a_sentence_and_a_chrome_line_keep_the_sentence_end_to_end():
    from cleaner import clean
    for text in (BODY[0] + "\nReply", "Advertisement\n" + BODY[0] + "\nWhat do you think?\nReply"):
        out = clean(text, language=False)
        assert BODY[0] in out and clean(out, language=False) == out


def test_deterministic_and_index_gaps_ignored():
    blocks, verdicts = _verdicts(_article())
    gapped = [replace(b, index=10 * b.index + 7) for b in blocks]
    assert classify_blocks(gapped, "en") == verdicts
    assert classify_blocks(blocks, "en") == verdicts


# --- end to end on a hand-written article ---------------------------------------------

def test_article_body_kept_chrome_dropped():
    kept = _kept(_article())
    assert kept == BODY


def test_a_page_joined_with_single_newlines_keeps_its_body():
    """Without a blank line anywhere the trees lost body paragraphs (on a three-paragraph page
    two of three); such a page now gets the gaps rendered text has, around each prose block."""
    flat = "\n".join([MENU, "Council votes to rebuild the old pier", "By A. Writer", "3 March 2024", *BODY[:3],
                      "Share this article", "Related stories", "Ferry fares rise in May", FOOTER])
    assert _kept(flat) == BODY[:3]
    gaps = features.layout_gaps(features.analyse(split_text(flat), "en"))
    # 7 menu lines, headline, byline, date: none; then a blank line around each of the 3 paragraphs
    assert gaps == [0.0] * 10 + [1.0] * 4 + [0.0] * 8
    laid_out = split_text(_article())  # a page with blank lines keeps its own
    assert features.layout_gaps(features.analyse(laid_out, "en")) == [float(min(b.gap_before, features.GAP_CAP))
                                                                       for b in laid_out]


SHORT_BODY = ["The old pier reopened to walkers on Saturday morning.", "Hundreds of people queued before the gates opened.",
              "The repairs took two years and cost four million.", "Fishing boats will return to the pier next month.",
              "Entry is free, and the pier is open every day."]


def test_a_single_newline_page_of_short_paragraphs_keeps_them():
    """A brief's paragraphs of 8-10 words are not prose blocks; on a page without blank lines
    they got no gaps around them, and most of them went (a probe in 13 languages kept half)."""
    flat = "\n".join([MENU, "Pier reopens", "By A. Writer", "3 March 2024", *SHORT_BODY, "Share this article", FOOTER])
    assert _kept(flat) == SHORT_BODY


def test_a_single_newline_page_with_one_stray_blank_line_is_still_laid_out():
    """One blank line (above the deck, say) on an otherwise flat page turned the layout fix
    off, and two of the three paragraphs went; a brief lost one of five."""
    from cleaner import clean
    for title, body in (("Council votes to rebuild the old pier", BODY[:3]), ("Pier reopens", SHORT_BODY)):
        head = "\n".join([MENU, title, "By A. Writer", "3 March 2024"])
        flat = head + "\n\nPier reopens after two years\n" + "\n".join([*body, "Share this article", FOOTER])
        assert clean(flat, language=False).split("\n\n") == body
        gaps = features.layout_gaps(features.analyse(split_text(flat), "en"))
        assert gaps[len(MENU.split("\n")) + 3] == 1.0  # the page's own blank line stays too


def test_menu_dropped_as_link_list_run():
    blocks, verdicts = _verdicts(_article())
    home = next(v for b, v in zip(blocks, verdicts) if b.text == "Home")
    assert not home.keep and home.reason.startswith("link-list run")


def test_copyright_line_dropped_with_reason():
    blocks, verdicts = _verdicts(_article())
    notice = next(v for b, v in zip(blocks, verdicts) if b.text.startswith("\u00a9"))
    assert not notice.keep and "copyright" in notice.reason


def test_body_survives_a_second_run():
    kept_once = _kept(_article())
    assert _kept("\n\n".join(kept_once)) == kept_once


@pytest.mark.parametrize("low, high", [(0.2, 0.5), (0.5, 0.8), (0.8, 0.99)])
def test_a_higher_threshold_keeps_a_subset(low, high):
    blocks = split_text(_page(MENU, *BODY[:2], "What happens next", *BODY[2:], FOOTER))
    kept = {t: {b.index for b, v in zip(blocks, classify_blocks(blocks, "en", threshold=t)) if v.keep}
            for t in (low, high)}
    assert kept[high] <= kept[low]
    verdicts = classify_blocks(blocks, "en", threshold=high)
    assert all(v.keep == (v.score >= high) for v in verdicts)


def test_a_threshold_under_every_score_keeps_the_whole_page():
    blocks, verdicts = _verdicts(_article())
    assert not all(v.keep for v in verdicts)
    lowest = min(v.score for v in verdicts)
    assert lowest > 0
    assert all(v.keep for v in classify_blocks(blocks, "en", threshold=lowest / 2))


def test_in_body_subheading_kept_between_paragraphs():
    text = _page(MENU, *BODY[:2], "What happens next", *BODY[2:], FOOTER)
    assert "What happens next" in _kept(text)


def test_other_language_and_unknown_language():
    body_pt = [
        "A c\u00e2mara municipal decidiu na segunda-feira reconstruir o velho cais de pedra, que est\u00e1 "
        "fechado ao p\u00fablico desde que uma tempestade abriu fendas nas suas funda\u00e7\u00f5es.",
        "Os engenheiros disseram que a obra vai demorar cerca de dezoito meses e que os barcos de pesca "
        "ser\u00e3o levados para um ancoradouro provis\u00f3rio do outro lado da ba\u00eda.",
        "Nem todos ficaram satisfeitos com o plano, e v\u00e1rios comerciantes pediram ajuda para pagar "
        "as rendas enquanto as obras durarem, porque perderam grande parte do ver\u00e3o.",
    ]
    text = _page("In\u00edcio\nMundo\nEconomia\nDesporto\nCultura\nViagens", *body_pt,
                 "Sobre n\u00f3s\nContactos\nPrivacidade\nTermos\nEmprego")
    for language in ("pt", None, "xx"):
        assert _kept(text, language) == body_pt


# Hand-written pages (not from the dev sets): a menu, headline, date, five paragraphs,
# a related list and a footer. The shipped detector once kept one Chinese paragraph of
# five: no line of an unspaced script had a stopword, and a comma every few characters
# made a sentence count as four words.
ZH_PAGE = (
    '首页',
    '新闻',
    '体育',
    '财经',
    '科技',
    '登录',
    '注册',
    '城市新建的地铁线路今天正式开通运营',
    '2026年11月20日 来源：本报',
    '本市第五条地铁线路今天上午正式开通，全长二十八公里，共设二十个车站。',
    '市交通局负责人表示，新线路开通后，从城东到市中心的时间将从一个小时缩短到三十分钟。',
    '许多市民一早就来到车站，希望成为第一批乘客。一位退休教师说，她已经等了这条线路十年了。',
    '根据计划，今年年底前还将有两条线路开工建设，预计在三年内完成。',
    '专家认为，地铁网络的扩大有助于减少道路拥堵和空气污染，但票价和运营成本仍然是需要关注的问题。',
    '相关新闻',
    '市政府发布新的公交补贴政策',
    '机场快线明年开工',
    '热门文章',
    '关于我们',
    '联系我们',
    '广告服务',
    '版权所有 © 2026 本报',
)
JA_PAGE = (
    'ホーム',
    'ニュース',
    'スポーツ',
    '経済',
    'ログイン',
    '新しい地下鉄線が開業',
    '2026年11月20日',
    '市内で五番目となる地下鉄線が、今日の午前に開業しました。全長は二十八キロで、駅は二十か所あります。',
    '市の交通局によると、新しい路線によって、東部から中心部までの時間が一時間から三十分に短くなるということです。',
    '朝早くから多くの市民が駅に集まり、最初の電車に乗ろうと列を作りました。',
    '退職した教師の女性は、この路線を十年待っていたと話していました。',
    '市は、年末までにさらに二つの路線の工事を始める予定です。',
    '関連記事',
    'バスの補助金が新しくなります',
    '空港線の工事は来年から',
    '会社概要',
    'お問い合わせ',
    'プライバシーポリシー',
    'Copyright © 2026',
)


@pytest.mark.parametrize("lines, language", [(ZH_PAGE, "zh-cn"), (JA_PAGE, "ja")])
def test_chinese_and_japanese_pages_keep_their_paragraphs(lines, language):
    body = [line for line in lines if line.endswith("\u3002")]
    assert len(body) == 5
    # The whole engine (language detected, rules first): the paragraphs and nothing else.
    assert cleaner.clean("\n".join(lines)) == "\n\n".join(body)
    # The detector alone, on the raw page: every paragraph scores above every other line.
    blocks, verdicts = _verdicts("\n".join(lines), language)
    scores = {b.text: v.score for b, v in zip(blocks, verdicts)}
    assert min(scores[t] for t in body) > max(s for t, s in scores.items() if t not in body)


# --- single signals --------------------------------------------------------------------

def _measure(text: str, stopset=frozenset({"the", "of", "a", "and", "to"})):
    raw = word_tokens(text)
    return features.measure(text, raw, [t.lower() for t in raw], stopset)


def test_stopword_count_uses_the_stoplist():
    m = _measure("The end of the road and a new start")
    assert (m.stop, m.tokens) == (5, 9)
    assert _measure("Quarterly Results Archive").stop == 0


def test_vowel_signs_stay_inside_their_words_for_the_stopword_share():
    """The standard library's \\w cut Hindi words at each vowel sign ("में" read as "म"), so the
    page's stoplist missed them: prose read 0.18-0.28 stopwords (European prose about 0.55)
    and a two-word menu line 0.5."""
    prose = ["पुरानी बेकरी सर्दियों में मरम्मत के बाद पिछले हफ्ते फिर से खुल गई और लोग सुबह से कतार में थे।",
             "मेयर ने कहा कि शहर के स्कूलों और सड़कों पर अगले साल ज़्यादा पैसा खर्च किया जाएगा।",
             "विपक्ष के नेताओं ने कहा कि इस योजना से गरीब इलाकों के परिवारों पर कर का बोझ बढ़ेगा।"]
    menu = ["मुखपृष्ठ", "संपर्क करें", "खेल समाचार"]
    page = features.analyse([Block(i, t) for i, t in enumerate(menu + prose)], "hi")
    shares = [m.stop / m.tokens for m in page.measures]
    assert max(shares[:len(menu)]) == 0 and min(shares[len(menu):]) > 0.45
    assert word_tokens("में बेकरी") == ["में", "बेकरी"]
    # Thai: a letter with its vowel signs and tone marks is one token of the stopword signal.
    assert features.stop_tokens(["ที่นี่"]) == ["ที่", "นี่"]


def test_han_and_kana_count_a_character_a_token_for_the_stopword_share():
    # An unspaced run is one \\w+ token; without the split a Japanese or Chinese page has
    # no frequent short tokens, so every line read "no stopwords" and prose scored as chrome.
    prose = ["\u4eca\u65e5\u306f\u96e8\u304c\u964d\u3063\u305f\u306e\u3067\u3001\u5bb6\u3067\u672c\u3092\u8aad\u3093\u3060\u3002",  # 今日は雨が降ったので、家で本を読んだ。
             "\u5f7c\u306f\u99c5\u307e\u3067\u6b69\u3044\u3066\u3001\u96fb\u8eca\u3067\u6771\u4eac\u306b\u884c\u3063\u305f\u3002",  # 彼は駅まで歩いて、電車で東京に行った。
             "\u79c1\u306f\u305d\u306e\u672c\u3092\u53cb\u9054\u306b\u8cb8\u3057\u305f\u306e\u3067\u3001\u4eca\u306f\u624b\u5143\u306b\u306a\u3044\u3002"]  # 私はその本を友達に貸したので、今は手元にない。
    menu = ["\u30db\u30fc\u30e0", "\u4f1a\u793e\u6982\u8981", "\u304a\u554f\u3044\u5408\u308f\u305b"]  # ホーム 会社概要 お問い合わせ
    page = features.analyse([Block(i, t) for i, t in enumerate(menu + prose)], "ja")
    shares = [m.stop / m.tokens for m in page.measures]
    assert min(shares[len(menu):]) > 0.3 and max(shares[:len(menu)]) < min(shares[len(menu):])
    assert features.stop_tokens(["\u6771\u4eac\u3067", "news"]) == ["\u6771", "\u4eac", "\u3067", "news"]
    # A Latin line is measured as before on a page with Han or Kana (a language switcher):
    # a word a token, and a long compound still counts as one unspaced run would.
    latin = ["The end of the road", "Donaudampfschifffahrtsgesellschaftskapit\u00e4nsm\u00fctze"]
    alone = features.analyse([Block(i, t) for i, t in enumerate(latin)], "de").measures
    mixed = features.analyse([Block(i, t) for i, t in enumerate(latin + ["\u65e5\u672c\u8a9e"])], "de").measures
    assert [(m.units, m.tokens) for m in mixed[:2]] == [(m.units, m.tokens) for m in alone] == [(5.0, 5), (24.0, 1)]
    # Two characters a word, also when commas cut the line into short runs (the mean
    # run length once made this 20-character sentence four words).
    zh = "\u8bb8\u591a\u5e02\u6c11\uff0c\u5e0c\u671b\u6210\u4e3a\uff0c\u7b2c\u4e00\u6279\u4e58\u5ba2\uff0c\u4e00\u4f4d\u6559\u5e08\u8bf4\u3002"  # 许多市民，希望成为，第一批乘客，一位教师说。
    (m,) = features.analyse([Block(0, zh)], "zh").measures
    assert m.units == 9.0 and m.tokens == 18


def test_terminal_punctuation_sees_through_closing_quotes():
    assert _measure('He said "we are done."').terminal
    assert _measure("Is it over? (yes)").terminal is False
    assert _measure("\u8fd9\u662f\u4e00\u4e2a\u53e5\u5b50\u3002").terminal
    assert not _measure("Read more").terminal
    # Thai and Lao end a sentence with no mark: a line of a sentence's length ends one, a label does not.
    assert _measure("ชาวบ้านจำนวนมากมารอ"
                    "ตั้งแต่เช้ามืด "
                    "เพื่อเดินข้ามสะพาน").terminal
    assert not _measure("ข่าวกีฬา").terminal  # a two-word menu label
    # A price in Thai digits is no sentence end; a closing quote after the last letter is seen through.
    price = "ราคาพิเศษสำหรับสมาชิกเท่านั้น"
    assert _measure(price).terminal and _measure(price + "”").terminal
    assert not _measure(price + " ๑,๕๐๐").terminal


def test_colon_ellipsis_bullet_separator_url_notice():
    assert _measure("Related stories:").colon
    assert _measure("The mayor said that the plan...").ellipsis
    # Two dots cut a teaser short on Korean and Chinese portals; spaces after it do not hide it.
    assert _measure("시장, 새 예산안 발표..").ellipsis and _measure("The mayor said that the plan… ").ellipsis
    assert not _measure("The mayor said that the plan.").ellipsis
    assert _measure("* Travel").bullet and _measure("3. Third point").bullet
    assert not _measure("3.5 million people").bullet
    assert _measure("Home | News | Sport").separators == 2
    assert _measure("Write to desk@example.org").urlish
    assert _measure("Visit EXAMPLE.ORG for the full list").urlish
    assert _measure("Www.Example.Net/news").urlish
    assert not _measure("We met at noon.").urlish
    assert _measure("\u00a9 2024 Some Company").notice


def test_case_and_digit_shares():
    m = _measure("Top Ten Travel Deals")
    assert m.title == 1.0
    assert _measure("the quiet morning").title == 0.0
    assert _measure("BREAKING NEWS").caps == 1.0
    assert _measure("12/03/2024").digits > 0.6


def _reads_case(*texts: str) -> bool:
    return features.reads_case(features.analyse(split_text(_page(*texts)), None).measures)


def test_a_page_reads_case_when_most_letters_are_cased_and_some_words_start_with_a_capital():
    """Case tells lines apart on a page in a cased script that writes capitals; not on one in
    a script without case, English menu words and all, nor on one written in lower case."""
    assert _reads_case(_article())
    assert _reads_case(*BODY)  # prose alone, a capital a sentence: under 1 % of its letters
    assert _reads_case("\u0413\u043b\u0430\u0432\u043d\u0430\u044f", "\u0421\u043e\u0432\u0435\u0442 "
                       "\u043f\u0440\u043e\u0433\u043e\u043b\u043e\u0441\u043e\u0432\u0430\u043b.")  # Russian
    assert not _reads_case(_article().lower())
    zh = "\u6e2f\u53e3\u8bae\u4f1a\u5468\u4e00\u6295\u7968\u51b3\u5b9a\u91cd\u5efa\u65e7\u77f3\u7801\u5934\u3002"
    assert not _reads_case("Home", "Sign in", zh * 3)
    assert _reads_case("Home", "Sign in", "Share this article", zh[:6])  # mostly English: cased
    georgian = "\u10e5\u10d0\u10da\u10d0\u10e5\u10d8\u10e1 \u10e1\u10d0\u10d1\u10ed\u10dd "  # lower case to Unicode
    assert not _reads_case("Home", georgian * 10)
    assert not _reads_case("2024 | 12:30") and not features.reads_case([])
    # Letters are counted, not words: runs led by a digit or a Latin letter, numbers aside.
    dated = "12\u67088\u65e5\uff0c" + zh + "2024\u5e74\u7b2c\u4e09\u5b63\u5ea6\u3002"
    assert not _reads_case("Home", "Login", dated * 3)
    ja = "4\u4e07\u518a\u4ee5\u4e0a\u306e\u672c\u3092\u53ce\u3081\u308b\u56f3\u66f8\u9928\u304c\u958b\u9928\u3057\u305f\u3002"
    assert not _reads_case("Home", "Sign in", ja * 3, "Kindle\u3084\u697d\u5929kobo\u306b\u306f" + ja)
    # Georgian capitals (Mtavruli) are a display style: they do not make a lower-case page cased.
    assert not _reads_case("\u1ca1\u1c90\u1ca5\u1c90\u1ca0\u1c97\u1ca3\u1c94\u1c9a\u1c9d", _article().lower())
    assert _reads_case("Results", "12 3 45 10 7 88 91 2", "Team 4 2 1 0 3 9")  # digits aside


def test_a_page_without_case_is_scored_by_the_caseless_weights(monkeypatch):
    """Without a model given, a page that does not read case gets ``caseless_model``; the
    others the default weights. (A stand-in caseless model that drops every block shows which
    one scored the page.)"""
    from cleaner.detector import model

    shipped = model.default_model()
    dropping = replace(shipped, stage2=replace(shipped.stage2, bias=-40.0,
                                               log_odds=lambda x: -40.0))
    monkeypatch.setattr(model, "caseless_model", lambda: dropping)
    assert any(v.keep for v in _verdicts(_article())[1])
    dropped = [v for v in _verdicts(_article().lower())[1] if not v.keep]
    assert len(dropped) >= len(split_text(_article())) - 1  # the best sentence stays at most
    assert all(v.reason.endswith("(detector for pages without case)") for v in dropped)
    assert not any("without case" in v.reason for v in _verdicts(_article())[1])
    assert sum(v.keep for v in classify_blocks(split_text(_article().lower()), "en", model=shipped)) >= len(BODY)


def test_given_caseless_weights_score_the_pages_without_case_and_only_those():
    """``caseless=`` (``Options.detector_weights_caseless``): the pages without case get it, the
    others ``model`` or, without one, the shipped weights; ``model`` alone still scores every page."""
    from cleaner.detector import model

    shipped = model.default_model()
    dropping = replace(shipped, stage2=replace(shipped.stage2, bias=-40.0, log_odds=lambda x: -40.0))
    cased, lower = split_text(_article()), split_text(_article().lower())
    for given in (None, shipped):
        assert sum(v.keep for v in classify_blocks(cased, "en", model=given, caseless=dropping)) >= len(BODY)
        dropped = [v for v in classify_blocks(lower, "en", model=given, caseless=dropping) if not v.keep]
        assert len(dropped) >= len(lower) - 1
        assert all(v.reason.endswith("(detector for pages without case)") for v in dropped)
    # The pair the other way round: the page that reads case gets the given cased weights.
    assert sum(v.keep for v in classify_blocks(cased, "en", model=dropping, caseless=shipped)) <= 1
    assert sum(v.keep for v in classify_blocks(lower, "en", model=dropping, caseless=shipped)) >= len(BODY)


def test_url_in_capitals_found_on_a_page():
    page = features.analyse(split_text(_page(BODY[0], "MORE AT HARBOUR-NEWS.ORG", "Tips: DESK AT NEWS.NET")), "en")
    assert [m.urlish for m in page.measures] == [False, True, True]


def test_dates_and_clock_times():
    assert _measure("Posted on 4 May 2021 at 10:15").dateish
    assert _measure("Jo on 4 May at 9:05 said:").dateish
    assert not _measure("We sold 3 boats and 40 nets.").dateish
    names = features.LOCAL_NAMES
    lines = ["Ann, 2021", "Nice piece.", "Bo, 10:15", "Agreed.", "Cy, 11:20", "Not sure."]
    vectors = features.local_vectors(features.analyse(split_text(_page(*lines)), "en"))
    assert vectors[1][names.index("log_dates_near")] > vectors[0][names.index("log_dates_near")] > 0


def test_units_count_letters_in_unspaced_scripts():
    zh = "\u6e2f\u53e3\u8bae\u4f1a\u5468\u4e00\u6295\u7968\u51b3\u5b9a\u91cd\u5efa\u65e7\u77f3\u7801\u5934"
    assert _measure(zh).tokens == 1
    assert _measure(zh).units == len(zh) / 2
    assert _measure("one two three").units == 3


def test_page_stoplist_from_sentence_blocks_only():
    sentences = [[t.lower() for t in word_tokens(s)] for s in BODY]
    menu = [["home"], ["home"], ["home"], ["home"], ["home"], ["home"], ["home"], ["home"], ["home"]]
    words = stoplist.page_stoplist(sentences + menu)
    assert "the" in words and "home" not in words
    assert stoplist.language_stoplist("xx") == frozenset()
    assert stoplist.language_stoplist("pt-BR") == stoplist.language_stoplist("pt")


@pytest.mark.parametrize("wrong", ["fa", "vi", "af"])
def test_a_stoplist_that_covers_little_of_the_page_gives_way_to_the_pages_own_words(wrong):
    """A page voted a language it is not in (one the vote cannot name, read as a neighbour)
    was measured against that language's list: its prose had next to no stopwords, as chrome
    has. Now the list stands only when it covers KNOWN_MIN_COVERAGE of what the page's own
    frequent words cover, and the page is read as a page of unknown language."""
    blocks = split_text(_article())
    assert features.analyse(blocks, "en").stop_known
    assert not features.analyse(blocks, wrong).stop_known
    assert [v.score for v in classify_blocks(blocks, wrong)] == [v.score for v in classify_blocks(blocks, None)]
    sentences = [[t.lower() for t in word_tokens(s)] for s in BODY]
    assert stoplist.page_stopset(sentences, "en") == (stoplist.language_stoplist("en"), True)
    assert stoplist.page_stopset(sentences, wrong) == (stoplist.page_stoplist(sentences), False)


def test_repeated_lines_are_counted():
    page = features.analyse(split_text(_page("Subscribe", BODY[0], "Subscribe")), "en")
    assert page.repeats == [1, 0, 1]


def test_runs_of_short_lines():
    page = features.analyse(split_text(_page(MENU, BODY[0], "Next")), "en")
    assert page.short_runs[:7] == [7] * 7
    assert page.short_runs[7] == 0 and page.short_runs[8] == 1


def test_body_region_is_the_prose_span():
    page = features.analyse(split_text(_article()), "en")
    first, last = page.region
    texts = [b.text for b in page.blocks[first:last + 1]]
    assert texts == BODY
    assert region.body_region([], []) == (0, -1)


def test_context_distances_and_mass():
    page = features.analyse(split_text(_page("a b", BODY[0], BODY[1], "c d")), "en")
    rows = context.context_vectors(page, [0.1, 0.9, 0.9, 0.1])
    names = context.CONTEXT_NAMES
    before, after = names.index("mass_before"), names.index("mass_after")
    assert rows[0][before] == 0.0 and rows[0][after] == pytest.approx(1.0)
    assert rows[3][before] == pytest.approx(1.0) and rows[3][after] == pytest.approx(0.0)
    assert rows[1][names.index("prev1")] == 0.1 and rows[1][names.index("next1")] == 0.9


def test_sandwiched_near_miss_raised_to_threshold():
    assert context.keep_sandwiched([0.9, 0.4, 0.8, 0.1, 0.9], 0.5) == [0.9, 0.5, 0.8, 0.1, 0.9]
    assert context.keep_sandwiched([0.6, 0.4, 0.9], 0.5) == [0.6, 0.4, 0.9]


def test_feature_vectors_match_their_names():
    page = features.analyse(split_text(_article()), "en")
    assert all(len(v) == len(features.LOCAL_NAMES) for v in features.local_vectors(page))


def test_span_support_is_one_inside_the_best_span():
    units = [2.0, 40.0, 3.0, 40.0, 2.0, 5.0, 2.0]
    scores = [0.1, 0.9, 0.4, 0.9, 0.1, 0.8, 0.1]
    support = context.span_support(units, scores, pad=12.0)
    assert support[1:4] == pytest.approx([1.0, 1.0, 1.0])
    # a short teaser after a chrome line is reachable only at a loss; the line after it costs more
    assert support[4] == pytest.approx(support[5]) and support[6] < support[5] < 1.0
    assert all(-3.0 <= s <= 1.0 for s in support)
    assert context.span_support([3.0], [0.1], pad=2.0) == [-3.0]


def test_span_support_pad_makes_short_chrome_costly():
    units = [30.0, 1.0, 1.0, 1.0, 10.0]
    scores = [0.9, 0.0, 0.0, 0.0, 0.9]
    thin, padded = (context.span_support(units, scores, pad) for pad in (0.0, 12.0))
    assert thin[4] == pytest.approx(1.0)
    assert padded[4] < 1.0


def test_short_lines_sharing_an_end_word_are_counted():
    lines = ["Ann says:", "A fine piece, thanks for writing it.", "Bo says:", "I disagree with most of it.",
             "Reply", BODY[0]]
    page = features.analyse(split_text(_page(*lines)), "en")
    assert page.same_last[0] == page.same_last[2] == 1
    assert page.same_last[4] == 0 and page.same_first[0] == 0
    assert page.same_last[5] == 0   # long lines are not counted


def test_alternation_of_short_and_long_lines():
    short = [True, False] * 5
    assert features._alternation(short, 5) == [1.0] * 10
    assert features._alternation([False] * 6, 5) == [0.0] * 6
    mixed = features._alternation([True] + [False] * 9, 5)
    assert mixed[0] > mixed[9] == 0.0


def test_short_digit_lines_nearby():
    names = features.LOCAL_NAMES
    lines = ["Storm hits coast", "3h ago", "Council meets", "5h ago", "Road closed", "8h ago"]
    vectors = features.local_vectors(features.analyse(split_text(_page(*lines)), "en"))
    assert vectors[0][names.index("log_digit_short_near")] > 0
    assert all(len(v) == len(names) for v in vectors)


def test_a_page_of_prose_blocks_only_is_kept_whole_whatever_the_scores():
    from cleaner.detector import keep_mask
    prose = features.analyse(split_text(_page(*BODY)), "en")
    assert all(prose.texty)
    assert keep_mask(prose, [0.1, 0.9, 0.2, 0.9], 0.5) == [True] * 4
    labelled = features.analyse(split_text(_page("Council news", *BODY)), "en")
    assert keep_mask(labelled, [0.1, 0.1, 0.9, 0.2, 0.9], 0.5) == [False, False, True, False, True]


def test_a_list_of_dates_a_sentence_announces_stays_with_it():
    """The trees read each short item alone and scored a tour's dates as a link list, and the
    sentence announcing them with it; a sentence ending with a colon keeps its list."""
    from cleaner import clean
    dates = [f"{day} June -- {hall}" for day, hall in zip(range(3, 27, 3), (
        "Harbour Hall, Portsmouth", "The Old Mill, Exeter", "Town Arena, Bristol", "Corn Exchange, Bath",
        "Pier Pavilion, Brighton", "City Hall, Leeds", "The Forum, Norwich", "Castle Yard, York"))]
    intro = "The band will play these dates on its summer tour, the first in ten years:"
    page = "\n\n".join([MENU, "Band announces summer tour", BODY[0], BODY[1], intro, *dates,
                        "Share this article", "Related stories", "Ferry fares rise in May", FOOTER])
    out = clean(page, language=False).split("\n\n")
    assert out == [BODY[0], BODY[1], intro, *dates]


def test_the_flat_layout_holds_for_a_long_page_with_a_few_stray_blank_lines():
    """One blank line in fifty blocks still reads as flat; more than that is the page's own layout."""
    lines = [MENU] + [f"{BODY[i % 3]}" if i % 4 == 0 else f"Link number {i}" for i in range(120)]
    text = "\n".join(lines)
    blocks = split_text(text)
    two = [replace(b, gap_before=1) if b.index in (40, 80) else b for b in blocks]
    five = [replace(b, gap_before=1) if b.index in (20, 40, 60, 80, 100) else b for b in blocks]
    gaps_two = features.layout_gaps(features.analyse(two, "en"))
    gaps_five = features.layout_gaps(features.analyse(five, "en"))
    assert sum(gaps_two) > 20 and gaps_two[40] == gaps_two[80] == 1.0   # prose gaps added, its own kept
    assert sum(gaps_five) == 5                                            # read as laid out


# --- the engine's passes reuse measurements ------------------------------------------------

def test_measurements_kept_between_passes_equal_a_fresh_analysis():
    """A text measured on an earlier pass (``features.Memo``) measures as it would on a page of
    its own: the same page with fewer blocks, a line that moves, another language's stoplist
    (or none), a mixed Latin and Han page."""
    blocks = split_text(_article())
    memo = features.Memo()
    assert features.analyse(blocks, "en", memo) == features.analyse(blocks, "en")
    kept = [b for b in blocks if word_tokens(b.text) and len(b.text) > 20]
    laid_out = [replace(b, gap_before=1) for b in kept]
    for later, language in ((kept, "en"), (laid_out, "en"), (kept[::-1], "en"), (kept, "de"), (kept, None)):
        assert features.analyse(later, language, memo) == features.analyse(later, language)
    mixed = blocks + [Block(len(blocks), "\u6771\u4eac\u3067\u4f1a\u8b70\u304c\u958b\u304b\u308c\u305f\u3002")]
    assert features.analyse(mixed, "en", memo) == features.analyse(mixed, "en")


@pytest.mark.parametrize("radius", [0, 1, 2, 5])
def test_near_counts_count_the_flags_around_each_position(radius):
    flags = [True, False, True, True, False, False, True, False, True, True, True]
    for n in range(len(flags) + 1):
        got = features._near_counts(flags[:n], radius)
        assert got == [sum(flags[j] for j in range(max(0, i - radius), min(n, i + radius + 1)) if j != i)
                       for i in range(n)]


@pytest.mark.parametrize("lo, hi", [(-3, 0), (1, 4), (-10, -3), (4, 11), (-20, 20)])
def test_window_means_average_the_scores_at_those_offsets(lo, hi):
    scores = [0.1, 0.9, 0.4, 0.8, 0.2, 0.7, 0.3, 0.6, 0.5]
    for n in range(len(scores) + 1):
        got = context._window_means(scores[:n], lo, hi)
        prefix = features.prefix_sums(scores[:n])
        want = []  # the formula the slices replaced, to the bit
        for i in range(n):
            a, b = min(max(i + lo, 0), n), min(max(i + hi, 0), n)
            want.append((prefix[b] - prefix[a]) / (b - a) if b > a else 0.0)
        assert got == want
        windows = [scores[max(0, i + lo):max(0, min(n, i + hi))] for i in range(n)]
        assert got == pytest.approx([sum(w) / len(w) if w else 0.0 for w in windows])
