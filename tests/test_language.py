"""Language stage: script check, seeded langdetect, never on short lines."""
from __future__ import annotations

import pytest

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


def test_same_script_other_language_dropped_when_confident() -> None:
    result = cleaner.clean_document("\n".join(EN + [ES]), builtin_rules=False, detector=False)
    assert ES not in result.text and result.removals[0].rule == "language-mismatch"


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
