"""Language stage: script check, seeded langdetect, never on short lines."""
from __future__ import annotations

from collections import Counter

import pytest
import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

import cleaner
from cleaner import language as lang
from cleaner.document import Block

EN = ["The city council approved the new budget on Monday after a long and heated debate.",
      "Spending on schools and roads will rise by a tenth next year, the mayor told reporters.",
      "Opposition members said the plan would raise taxes for families in the poorer districts."]
BN = "শহরের পরিষদ সোমবার দীর্ঘ বিতর্কের পর নতুন বাজেট অনুমোদন করেছে বলে জানা গেছে"
ES = "El ayuntamiento aprobó el nuevo presupuesto el lunes después de un largo debate en el pleno."


def blocks(lines):
    return [Block(i, t) for i, t in enumerate(lines)]


def test_page_language_from_longest_blocks() -> None:
    assert lang.page_language(blocks(["Menu", *EN])) == "en"
    assert lang.page_language(blocks([BN, BN + " আজ"])) == "bn"


def test_other_script_paragraph_dropped_without_any_rule() -> None:
    text = "\n".join(EN + [BN, BN + " আরও"])
    result = cleaner.clean_document(text, builtin_rules=False, detector=False)
    assert result.language == "en" and BN not in result.text
    assert {r.rule for r in result.removals} == {"language-script"}


def test_a_short_run_in_another_script_between_two_paragraphs_stays() -> None:
    """A quotation in its original script (or a shell command on a Russian page) between two
    paragraphs of the page's script is part of the story; the same lines at the page's end
    are not."""
    quote = ["Η πόλη χρειάζεται νέα σχολεία και καλύτερους δρόμους για όλους.", "Ο δήμαρχος"]
    inside = cleaner.clean_document("\n".join(EN[:2] + quote + EN[2:]), builtin_rules=False, detector=False)
    assert inside.removals == () and quote[0] in inside.text
    at_end = cleaner.clean_document("\n".join(EN + quote), builtin_rules=False, detector=False)
    assert [r.rule for r in at_end.removals] == ["language-script"] and quote[0] not in at_end.text
    # More than QUOTED_RUN blocks in a row are another page's text, not a quotation.
    long_run = [f"Η πόλη χρειάζεται νέα σχολεία {i}" for i in range(lang.QUOTED_RUN + 1)]
    between = cleaner.clean_document("\n".join(EN[:2] + long_run + EN[2:]), builtin_rules=False, detector=False)
    assert between.language == "en" and len(between.removals) == len(long_run)
    shorter = cleaner.clean_document("\n".join(EN[:2] + long_run[1:] + EN[2:]), builtin_rules=False, detector=False)
    assert shorter.removals == ()
    # Between two teaser titles (not prose) the line is another site's text: it goes.
    teasers = ["Pier To Close Next Year As Repairs Stall", quote[0], "Council Votes To Raise Parking Fees Again"]
    between_titles = cleaner.clean_document("\n".join(EN + teasers), builtin_rules=False, detector=False)
    assert [r.index for r in between_titles.removals] == [4]


def test_handles_links_and_signs_are_in_no_script() -> None:
    """A Russian credit line with three handles and a link counted one Cyrillic word in five
    and went as Latin; handles, e-mail addresses, URLs and letterless tokens now do not count."""
    line = "Источник: @city_news @mayor_office @council_tv https://t.me/citynews"
    assert lang.judge_block(line, "ru", "Cyrillic") is None
    assert lang.judge_block("Фото: Getty Images — — —", "ru", "Cyrillic") is None  # one word in three, not six
    assert lang.judge_block("Follow the city council on its new channel", "ru", "Cyrillic") is not None
    # A hashtag is a word: a line of Chinese hashtags on an English page still goes.
    assert lang.judge_block("#北京 #上海 #广州 #深圳 #新闻", "en", "Latin") is not None


def test_same_script_other_language_dropped_when_confident() -> None:
    result = cleaner.clean_document("\n".join(EN + [ES]), builtin_rules=False, detector=False)
    assert ES not in result.text and result.removals[0].rule == "language-mismatch"


@pytest.mark.parametrize("middle", ["Der der der der der der der der der opposition.",
                                    "Der der der der der der der der der der der sagte opposition."])
def test_the_page_language_is_read_again_from_what_each_pass_leaves(middle: str) -> None:
    """Found by test_properties.test_idempotent: the whole page voted German; the detector
    dropped a paragraph, and the two left voted Danish when the output was cleaned again, so
    the second run dropped the German one. Each pass now votes on what the last one left."""
    page = "\n".join(["Savvy Tokyo"] * 3 + ["Der der der der der der der der der der.", middle,
                                             "Der der der der der der der der der der der."])
    once = cleaner.clean_document(page)
    assert once.text and once.language == cleaner.clean_document(once.text).language
    assert cleaner.clean(once.text) == once.text


PT = "O governo anunciou ontem que vai aumentar os impostos sobre os combustíveis a partir do próximo mês."
ES_PAGE = ["El gobierno anunció ayer que va a subir los impuestos sobre los combustibles el mes que viene.",
           "La oposición criticó la medida y pidió que se debata en el parlamento antes del verano.",
           "Los transportistas dicen que el precio del gasóleo ya es el más alto de los últimos diez años."]


class _NoLangdetect:
    def probabilities(self, text):
        raise AssertionError(f"langdetect asked about {text!r}")


def test_function_words_decide_without_langdetect(monkeypatch) -> None:
    monkeypatch.setattr(lang, "detector", lambda backend=None: _NoLangdetect())
    assert all(lang.reads_as(t, "en") for t in EN)
    assert all(lang.judge_block(t, "en", "Latin") is None for t in EN)
    assert all(lang.judge_block(t, "es", "Latin") is None for t in ES_PAGE)


def test_function_words_leave_close_languages_and_english_to_langdetect() -> None:
    assert lang.reads_as(ES_PAGE[0], "es") and not lang.reads_as(PT, "es")  # pt shares most es stopwords
    assert not lang.reads_as(EN[0], "ms") and not lang.reads_as(EN[0], "fr")
    assert not lang.reads_as("The budget was approved", "en")  # too few words to count
    result = cleaner.clean_document("\n".join(ES_PAGE + [PT]), builtin_rules=False, detector=False)
    assert result.language == "es" and PT not in result.text
    assert [r.rule for r in result.removals] == ["language-mismatch"]


def test_short_lines_never_dropped_on_language() -> None:
    result = cleaner.clean_document("\n".join(["ISTANBUL", "Merci beaucoup"] + EN), builtin_rules=False, detector=False)
    assert "ISTANBUL" in result.text and "Merci beaucoup" in result.text


def test_language_off_and_forced() -> None:
    text = "\n".join(EN + [ES])
    assert ES in cleaner.clean(text, language=False, builtin_rules=False, detector=False)
    forced = cleaner.clean_document(text, language="es", builtin_rules=False, detector=False)
    assert forced.language == "es" and ES in forced.text and EN[0] not in forced.text


def test_detection_is_deterministic() -> None:
    text = "Ceci est une phrase courte en français pour le test du détecteur."
    runs = {tuple(lang.LanguageDetector().probabilities(text)) for _ in range(3)}
    assert len(runs) == 1


def test_accelerator_gives_the_reference_labels() -> None:
    pytest.importorskip("langdetect_rs")
    samples = EN + [ES, BN, "Der Stadtrat hat am Montag den neuen Haushalt beschlossen.",
                    "Городской совет утвердил новый бюджет в понедельник."]
    ref, fast = lang.LanguageDetector("langdetect"), lang.LanguageDetector("langdetect-rs")
    assert [ref.probabilities(s) for s in samples] == [fast.probabilities(s) for s in samples]
    assert all(ref.probabilities(s) for s in samples)


def test_scripts() -> None:
    assert lang.dominant_script(BN) == "Bengali"
    assert lang.dominant_script("ひらがなとカタカナ") == "Kana"
    assert lang.dominant_script("12 345") is None


# --- shortcuts that must not change a verdict ---------------------------------------------------

class _Labels:
    """A stand-in detector: each text's label is given by the test."""

    def __init__(self, labels):
        self.labels, self.asked = labels, []

    def probabilities(self, text):
        self.asked.append(text)
        label = self.labels.get(text)
        return ((label, 0.99),) if label else ()


def _full_vote(voters, labels):
    """The vote as it was first written: every voter asked, most letters wins, first seen on a tie."""
    votes: Counter = Counter()
    for text in voters:
        if labels.get(text[:1000]):
            votes[labels[text[:1000]]] += len(text)
    return votes.most_common(1)[0][0] if votes else None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 60), st.sampled_from(["en", "es", "de", None])), max_size=6))
@example([(8, "es"), (18, "en"), (8, "es")])  # a tie at the end: the first language seen wins
def test_vote_stops_early_only_when_the_winner_is_settled(voters) -> None:
    texts = [f"{i:02d}" + "x" * n for i, (n, _) in enumerate(voters)]
    labels = {t: label for t, (_, label) in zip(texts, voters) if label}
    fake = _Labels(labels)
    original = lang.detector
    lang.detector = lambda backend=None: fake
    try:
        assert lang._vote(texts) == _full_vote(texts, labels)
    finally:
        lang.detector = original


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_letter_count_counts_unicode_letters(text: str) -> None:
    assert lang.letter_count(text) == len(regex.findall(r"\p{L}", text))


def test_voters_are_the_longest_prose_blocks() -> None:
    # The longest block is Spanish in capitals (a banner, not prose): it must not vote,
    # though its letters alone outweigh the English paragraphs.
    banner = (ES.upper() + " ") * 4
    assert lang.page_language(blocks(EN + [banner])) == "en"
    # The same Spanish as prose, longest on the page, wins the vote.
    assert lang.page_language(blocks(EN + [(ES + " ") * 4])) == "es"


def test_a_text_repeated_on_the_page_does_not_vote() -> None:
    # Spanish teaser cards, one per product, repeated with other numbers: more letters
    # than the English paragraphs, but one text; the page is English.
    cards = [f"{ES} Oferta {n} por ciento." for n in (10, 20, 30, 40, 50, 60)]
    assert lang.page_language(blocks(EN + cards)) == "en"
    # When every prose block is repeated, the repeated ones vote after all.
    assert lang.page_language(blocks([ES, ES, "Menu"])) == "es"


def test_short_plain_lines_read_as_the_page_language_without_langdetect(monkeypatch) -> None:
    monkeypatch.setattr(lang, "detector", lambda backend=None: _NoLangdetect())
    assert lang.judge_block("I like walking to work.", "en", "Latin") is None


def test_off_language_memo_gives_the_same_removals_without_asking_again() -> None:
    page = blocks(EN + [ES, BN, "Merci beaucoup", ES + " Otra vez."])
    fake = _Labels({ES: "es", ES + " Otra vez.": "es"})
    original = lang.detector
    lang.detector = lambda backend=None: fake
    try:
        memo: dict = {}
        first = lang.off_language(page, "en", memo=memo)
        asked = len(fake.asked)
        assert asked and lang.off_language(page, "en", memo=memo) == first
        assert len(fake.asked) == asked  # the second pass was answered from the memo
        assert lang.off_language(page, "en") == first and len(fake.asked) > asked
    finally:
        lang.detector = original
    assert {r.rule for r in first} == {"language-mismatch", "language-script"}


# Paragraphs of languages close to Spanish: they share many of its stopwords ("de", "a", "la").
PT = "A proposta foi aprovada por uma maioria de deputados que votaram a favor da reforma no final da sessão."
CA = "L'ajuntament va aprovar el nou pressupost dilluns després d'un llarg debat al ple de la ciutat."
ES_PAGE = [ES, "Los concejales de la oposición votaron en contra y pidieron más dinero para los barrios.",
           "La alcaldesa dijo que las obras en las escuelas empezarán en primavera si no hay retrasos."]


@pytest.mark.parametrize("paragraph", [PT, CA])
def test_related_language_paragraph_dropped_despite_shared_stopwords(paragraph: str) -> None:
    removals = lang.off_language(blocks(ES_PAGE + [paragraph]), "es")
    assert [(r.index, r.rule) for r in removals] == [(3, "language-mismatch")]


def test_a_short_block_claimed_by_a_close_neighbour_stays() -> None:
    """An Icelandic page voted Swedish lost an eight-word sentence that langdetect called
    Norwegian (p=1.00): on a short block it cannot tell neighbours apart. From
    NEIGHBOUR_MIN_WORDS words (the paragraphs above) the neighbour's paragraph still goes."""
    short_pt = "O governo aprovou ontem a nova lei das escolas."
    assert lang.word_count(short_pt) < lang.NEIGHBOUR_MIN_WORDS <= lang.word_count(PT)
    assert lang.detector().probabilities(short_pt)[0][0] == "pt"
    assert lang.off_language(blocks(ES_PAGE + [short_pt]), "es") == []
    short_no = "Biblioteket er åpent hver dag, og inngangen er gratis."
    assert lang.judge_block(short_no, "sv", "Latin") is None
    assert lang.judge_block(short_no, "fi", "Latin") is not None  # not a neighbour: it goes


# Languages langdetect does not know: it is still sure of *some* language for a paragraph.
ICELANDIC = ["Bæjarstjórn samþykkti í gær nýja fjárhagsáætlun fyrir næsta ár eftir langar umræður á fundinum.",
             "Íbúar óskuðu eftir meira fé til skólanna og til viðgerða á vegum í sveitinni.",
             "Bæjarstjórinn sagði að lokaatkvæðagreiðslan færi fram í næsta mánuði þegar fresturinn rennur út.",
             "Samkvæmt bæjaryfirvöldum munu útgjöld til félagsþjónustu hækka um tíu prósent frá þessu ári.",
             "Minnihlutinn gagnrýndi að ekkert fé væri veitt til að bæta almenningssamgöngur á svæðinu."]
KAZAKH = ["Қалалық мәслихат кеше ұзақ талқылаудан кейін келесі жылға арналған жаңа бюджетті бекітті.",
          "Тұрғындар мектептерге және ауылдағы жолдарды жөндеуге көбірек қаражат бөлуді сұрады.",
          "Әкім соңғы дауыс беру келесі айда, ұсыныстар қабылдау мерзімі аяқталғанда өтетінін айтты.",
          "Жергілікті билік өкілдерінің айтуынша, әлеуметтік қызметтерге жұмсалатын шығын он пайызға өседі.",
          "Оппозиция аймақтағы қоғамдық көлікті жақсартуға қаражат бөлінбегенін сынға алды."]


@pytest.mark.parametrize("page", [ICELANDIC, KAZAKH])
def test_a_page_in_a_language_langdetect_lacks_keeps_its_paragraphs(page) -> None:
    """langdetect read one Icelandic paragraph as Hungarian (p=1.00) on a page it called
    Norwegian, and one Kazakh paragraph as Russian on a 'Ukrainian' page: both went. A
    paragraph goes only when the claimed language's function words back langdetect."""
    result = cleaner.clean_document("\n".join(page), builtin_rules=False, detector=False)
    assert result.removals == () and result.text == "\n\n".join(page)


# English written in Cyrillic letters, one for one: a stand-in for a language langdetect
# does not know that shares a few short words ("а", "и", "он") with Russian.
_AS_CYRILLIC = str.maketrans("abcdefghijklmnopqrstuvwxyz" + "abcdefghijklmnopqrstuvwxyz".upper(),
                             "абвгдежзийклмнопрстуфхцчшщ" + "абвгдежзийклмнопрстуфхцчшщ".upper())


def test_a_paragraph_with_a_few_of_the_claimed_languages_short_words_stays() -> None:
    """langdetect called such a paragraph Russian (p=1.00) on a page voted Macedonian, and its
    three Russian stopwords of sixteen words (more than its Macedonian ones) sent it away. A
    Russian paragraph on that page, half of it Russian stopwords, still goes."""
    unknown = "On a quiet morning the village opened a market for farmers who travel from distant valleys."
    unknown = unknown.translate(_AS_CYRILLIC)
    assert lang.detector().probabilities(unknown)[0][0] == "ru"
    assert lang.judge_block(unknown, "mk", "Cyrillic") is None
    russian = "Городской совет в понедельник одобрил новый бюджет после долгих споров о стоимости моста через реку."
    assert lang.judge_block(russian, "mk", "Cyrillic")[0] == "language-mismatch"


def test_block_mixing_the_page_script_with_another_stays() -> None:
    ko_page = ["시의회는 월요일 오랜 논의 끝에 새해 예산안을 통과시켰다고 밝혔다",
               "학교와 도로 예산은 내년에 십 퍼센트 늘어날 것이라고 시장이 말했다"]
    byline = "김민수 기자 minsu.kim.reporter@example.com"   # more Latin than Hangul letters
    removals = lang.off_language(blocks(ko_page + [byline, "Breaking news from the city desk today"]), "ko")
    assert [(r.index, r.rule) for r in removals] == [(3, "language-script")]


# --- letter counts and the block script: shortcuts give the plain definitions' answers ------

MIXED_TEXT = st.text(alphabet=st.sampled_from(list("ab Z1.,\n’“”—…\u00e9\u00df\u0434\u6771\u3042\u05d0"
                                                  "\u0e01\u00a0\U0001d400")), max_size=600)


@settings(max_examples=300, deadline=None)
@given(MIXED_TEXT)
def test_letter_count_and_dominant_script_match_their_definitions(text: str) -> None:
    assert lang.letter_count(text) == len(lang._NON_LETTERS.sub("", text))
    counts = Counter(map(lang.char_script, lang._letters(text, lang._SAMPLE_LETTERS)))
    assert lang.dominant_script(text) == (counts.most_common(1)[0][0] if counts else None)
