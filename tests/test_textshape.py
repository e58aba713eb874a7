"""textshape.word_count: the shortcut for spaced non-ASCII text gives the plain definition's count."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.textshape import NO_SPACE_CHAR, _count_words, word_count


def plain_count(text: str) -> int:
    """The definition: words by spaces, or two unspaced-script characters a word when more."""
    return max(len(text.split()), len(NO_SPACE_CHAR.findall(text)) // 2)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab ,.\n\u00e9\u2019\u0434\u6771\u4eac\u3067\u0e01\u0e02\u1780"
                                             "\U0001f600\u00a0")), max_size=120))
def test_word_count_is_the_plain_count(text: str) -> None:
    assert _count_words(text) == plain_count(text)
    assert word_count(text) == plain_count(text)


def test_word_count_examples() -> None:
    assert word_count("Read more stories") == 3
    assert word_count("東京で会議が開かれた") == 5
    assert word_count("Le ministre a dit “oui” à l’été") == 7
    assert word_count("Привет, мир и всё") == 4
    assert word_count("lone \ud800 surrogate") == 3
