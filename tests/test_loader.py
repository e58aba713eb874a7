"""Rule files: bad YAML and bad rules give errors that name file, line and field."""
from __future__ import annotations

from pathlib import Path

import pytest

import cleaner
from cleaner.errors import RuleError, RuleTimeout
from cleaner.rules import load_rule_file, load_rules_text
from cleaner.rules.loader import check_unique

GOOD = """\
rules:
  - id: drop-promo
    summary: Promo lines
    why: Ads are not body.
    match:
      block: '(?i)^promo code'
    examples:
      remove: ["Promo code SAVE10"]
      keep: ["The promo ended in May."]
"""


def _variant(match: str, remove: str, keep: str) -> str:
    """GOOD with another ``match:`` body and other remove and keep examples (YAML flow lists)."""
    rules = GOOD.replace("      block: '(?i)^promo code'\n", match)
    rules = rules.replace('remove: ["Promo code SAVE10"]', f"remove: {remove}")
    return rules.replace('keep: ["The promo ended in May."]', f"keep: {keep}")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_loads_with_source_line(tmp_path: Path) -> None:
    (rule,) = load_rule_file(write(tmp_path, GOOD))
    assert rule.id == "drop-promo" and rule.source.endswith("mine.yaml:2")


def test_unquoted_colon_in_example_names_line_and_hints(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('keep: ["The promo ended in May."]', "keep:\n        - Photo: PTI"))
    with pytest.raises(RuleError) as info:
        load_rule_file(path)
    err = info.value
    assert err.path == str(path) and err.line == 10 and err.field == "rules[0].examples.keep[0]"
    assert "quote" in err.hint and "Photo: PTI" in err.hint
    assert f"{path}:10" in str(err)


def test_invalid_regex_names_field(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("'(?i)^promo code'", "'(unclosed'"))
    with pytest.raises(RuleError) as info:
        load_rule_file(path)
    assert info.value.line == 6 and info.value.field == "rules[0].match.block"
    assert "regular expression" in str(info.value)


def test_unknown_field_lists_known_ones(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("    why: Ads are not body.\n", "    why: Ads are not body.\n    colour: red\n"))
    with pytest.raises(RuleError) as info:
        load_rule_file(path)
    assert info.value.line == 2 and "colour" in str(info.value) and "summary" in info.value.hint


def test_missing_field(tmp_path: Path) -> None:
    with pytest.raises(RuleError) as info:
        load_rule_file(write(tmp_path, GOOD.replace("    why: Ads are not body.\n", "")))
    assert "'why' is a required property" in str(info.value) and info.value.line == 2


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    with pytest.raises(RuleError) as info:
        load_rule_file(write(tmp_path, GOOD.replace("summary: Promo lines", "summary: Promo: lines")))
    assert info.value.line == 3 and "YAML" in str(info.value)


def test_yaml_is_loaded_safely(tmp_path: Path) -> None:
    evil = "rules: !!python/object/apply:os.system ['echo hacked']\n"
    with pytest.raises(RuleError):
        load_rule_file(write(tmp_path, evil))


def test_duplicate_ids_rejected() -> None:
    twice = GOOD + GOOD.split("rules:\n", 1)[1]
    with pytest.raises(RuleError, match="already defined"):
        check_unique(load_rules_text(twice))


def test_user_rule_file_is_applied(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    text = "Promo code SAVE10\nThe council approved the budget for the new school year on Monday."
    result = cleaner.clean_document(text, rules=[str(path)], language=False, detector=False)
    assert result.text == "The council approved the budget for the new school year on Monday."
    assert [(r.rule, r.stage) for r in result.removals] == [("drop-promo", "user")]


def test_catastrophic_user_regex_times_out_naming_the_rule(tmp_path: Path) -> None:
    # The lookahead can never hold, so every way to split the a's is tried; the stage screen
    # (RE2 drops lookarounds) lets the text through to the rule's own search.
    path = write(tmp_path, GOOD.replace("'(?i)^promo code'", "'^(a|aa)+(?=x)$'"))
    with pytest.raises(RuleTimeout) as info:
        cleaner.clean("a" * 40, rules=[str(path)], language=False, detector=False, regex_timeout=0.2)
    assert info.value.rule_id == "drop-promo" and "mine.yaml" in str(info.value)


# The lookahead never holds, so every way to split the a's is tried; the stage screen (RE2
# drops lookarounds) does not rule the line out for a rest-of-page marker either.
@pytest.mark.parametrize("match", ["run-after-heading: {heading: '^(a|aa)+(?=x)$'}",
                                   "rest-of-page: {marker: '^(a|aa)+(?=x)$', within: 1.0, max_words: 50}"])
def test_catastrophic_context_pattern_times_out_naming_the_rule(tmp_path: Path, match: str) -> None:
    path = write(tmp_path, GOOD.replace("block: '(?i)^promo code'", match))
    for _ in range(2):  # the second time too: a timeout is never remembered as an answer
        with pytest.raises(RuleTimeout) as info:
            cleaner.clean("a" * 40 + "\nx\ny", rules=[str(path)], language=False, detector=False,
                          builtin_rules=False, regex_timeout=0.2)
        assert info.value.rule_id == "drop-promo"


def test_a_pattern_slow_on_every_block_runs_out_of_the_page_budget(tmp_path: Path, monkeypatch) -> None:
    """``regex_timeout`` bounds one call: a pattern just under it on each block of a long page
    ran for as long as the page was long. Each call here takes a few ms (under the 0.2 s
    timeout); the budget, lowered to 0.01 s for the test, is spent after a few blocks (only the
    time inside the calls counts: a slow start of the process does not)."""
    from cleaner import engine
    monkeypatch.setattr(engine, "REGEX_BUDGET_MIN", 0.05)  # 0.05 x regex_timeout 0.2 s = 0.01 s
    monkeypatch.setattr(engine, "REGEX_BUDGET_BLOCKS", 10_000)  # 50 blocks count for 0.005 x 0.2 s
    path = write(tmp_path, GOOD.replace("'(?i)^promo code'", "'^(a|aa)+(?=x)$'"))
    page = "\n".join(["a" * 22] * 50)
    with pytest.raises(RuleTimeout) as info:
        cleaner.clean(page, rules=[str(path)], language=False, detector=False, builtin_rules=False,
                      regex_timeout=0.2)
    assert info.value.rule_id == "drop-promo" and "page's time budget" in str(info.value)
    monkeypatch.undo()  # the shipped budget (10 x 0.2 s here) lets the same page through
    assert cleaner.clean(page, rules=[str(path)], language=False, detector=False, builtin_rules=False,
                         regex_timeout=0.2).split("\n\n") == ["a" * 22] * 50


def test_schema_is_valid_json_schema() -> None:
    import jsonschema
    jsonschema.Draft202012Validator.check_schema(cleaner.rules.schema())


def test_a_misspelt_key_gets_the_known_fields_and_every_problem_is_listed(tmp_path: Path) -> None:
    """'blok:' was hinted as a string YAML had read as a mapping (quote it), and a second
    problem was only counted ('and 1 more problem(s)'), never shown."""
    bad = GOOD.replace("      block:", "      blok:").replace("    why: Ads are not body.\n",
                                                              "    why: Ads are not body.\n    category: bogus\n")
    with pytest.raises(RuleError) as info:
        load_rule_file(write(tmp_path, bad))
    err = info.value
    assert "'blok' was unexpected" in str(err) and "known fields here: block" in err.hint and "quote" not in err.hint
    assert "also line 5, field 'rules[0].category': 'bogus' is not one of" in str(err)


def test_check_rules_takes_paths_like_clean_does(tmp_path: Path) -> None:
    """check_rules(["my_rules.yaml"]) raised AttributeError: it took rule objects only."""
    from cleaner.testing import check_rules
    path = write(tmp_path, GOOD)
    assert check_rules([path]) == [] and check_rules([str(path)]) == []
    assert check_rules(str(path)) == [] and check_rules(path) == []  # one path, as clean(rules=...) takes
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(GOOD.replace('keep: ["The promo ended in May."]', 'keep: ["Promo code XYZ"]'), encoding="utf-8")
    (failure,) = check_rules([wrong])
    assert "Promo code XYZ" in failure


def test_rest_of_page_min_markers_needs_that_many_markers(tmp_path: Path) -> None:
    rules = _variant("      rest-of-page: {marker: '^\\w+ says:$', within: 0.9, min_markers: 2}\n",
                     '[{input: "Body text here.\\nAnn says:\\nHi\\nBo says:\\nNo", output: "Body text here.\\n"}]',
                     '["Body text here.\\nAnn says:\\nHi there"]')
    (rule,) = load_rule_file(write(tmp_path, rules))
    from cleaner.testing import check_rules
    assert check_rules([rule]) == []
    one = "The vote is next month, the mayor said.\nAnn says:\nGreat news.\nThe end of the story."
    two = one + "\nBo says:\nI doubt it."
    assert cleaner.clean(one, rules=[rule], builtin_rules=False, language=False, detector=False) == one.replace("\n", "\n\n")
    assert cleaner.clean(two, rules=[rule], builtin_rules=False, language=False, detector=False) == \
        "The vote is next month, the mayor said."
    with pytest.raises(RuleError) as info:
        load_rule_file(write(tmp_path, rules.replace("min_markers: 2", "min_markers: 0")))
    assert info.value.field.endswith("min_markers")


@pytest.mark.parametrize("option", ["after_prose: 50", "inline_unless_prose_follows: true"])
def test_a_rest_of_page_option_for_one_marker_is_refused_with_more_markers(tmp_path: Path, option: str) -> None:
    """The option was loaded and then never read: the rule ran as if it were not there."""
    rules = _variant(f"      rest-of-page: {{marker: '^Comments$', min_markers: 2, {option}}}\n",
                     '["Body text here.\\nComments\\nHi"]', '["Body text here."]')
    with pytest.raises(RuleError) as info:
        load_rule_file(write(tmp_path, rules))
    assert info.value.line == 6 and info.value.field == f"rules[0].match.rest-of-page.{option.split(':')[0]}"
    assert "min_markers: 1" in str(info.value)


@pytest.mark.parametrize("pattern", ["'Advertisement|'", "'(?i)(promo)?'", "'x*'", "'Advertisement|\\b'", "'(?=\\w)'"])
def test_a_pattern_that_matches_an_empty_text_is_refused(tmp_path: Path, pattern: str) -> None:
    """It matched every block of every page: the rule wiped the page, and only ``cleaner rules
    test`` (its examples) could tell."""
    with pytest.raises(RuleError) as info:
        load_rule_file(write(tmp_path, GOOD.replace("'(?i)^promo code'", pattern)))
    assert info.value.line == 6 and info.value.field == "rules[0].match.block"
    assert "matches an empty text" in str(info.value) and "'Advertisement|'" in info.value.hint


def test_a_pattern_that_matches_only_an_empty_or_punctuation_line_loads() -> None:
    """Such a pattern matches an empty text but not an ordinary block: a rule's own choice."""
    rules = load_rules_text(_variant("      block: '^\\W*$|(?i)^promo code'\n", '["* * *", "Promo code SAVE10"]',
                                     '["The promo ended in May."]'))
    from cleaner.testing import check_rules
    assert check_rules(rules) == []


@pytest.mark.parametrize("text, line, words", [
    (GOOD.replace("Promo lines", "Promo \x07lines"), 3, "unprintable character #x0007"),  # a raw control byte
    ("rules: &a [*a]\n", 1, "refers to the anchor"),  # an anchor inside itself
    ("rules:\n  - id: x\n    ? [a, b]\n    : x\n", 3, "key must be plain text"),  # a list as a key
    ("rules:\n  - {? {a: 1} : x}\n", 2, "key must be plain text"),  # a mapping as a key
    ("rules:\n  - id: !!int x\n", 2, "not a valid !!int"),  # a tag PyYAML fails to convert
])
def test_broken_yaml_names_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RuleError) as info:
        load_rule_file(path)
    assert info.value.path == str(path) and info.value.line == line and words in str(info.value)
    assert info.value.hint


def test_yaml_nested_too_deeply_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "rules: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(RuleError, match="nested too deeply") as info:
        load_rule_file(path)
    assert info.value.path == str(path)


def test_yaml_aliases_that_multiply_are_refused(tmp_path: Path) -> None:
    """Ten levels of ten aliases each would build 10**10 values."""
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 10) + "]" for k in range(1, 10)]
    path = write(tmp_path, "\n".join(levels) + "\nrules: *a9\n")
    with pytest.raises(RuleError, match="expands to more than") as info:
        load_rule_file(path)
    assert info.value.path == str(path) and info.value.hint


def test_check_rules_reports_an_example_that_times_out(tmp_path: Path) -> None:
    from cleaner.testing import check_rules
    slow = GOOD.replace("'(?i)^promo code'", "'(a|a)+$'").replace('"Promo code SAVE10"', '"aaa"')
    (rule,) = load_rule_file(write(tmp_path, slow.replace('"The promo ended in May."', '"' + "a" * 34 + '!a"')))
    (failure,) = check_rules([rule])
    assert failure.startswith(f"{rule.source}: drop-promo: keep example 'aaaa") and "timed out" in failure


@pytest.mark.parametrize("mode", ["html", "text"])
def test_a_rule_for_one_mode_passes_its_own_examples(tmp_path: Path, mode: str) -> None:
    """An HTML-only rule never ran on its examples, so it could never pass 'rules test'."""
    from cleaner.testing import check_rules
    (rule,) = load_rule_file(write(tmp_path, GOOD.replace("    match:", f"    modes: [{mode}]\n    match:")))
    assert rule.modes == (mode,) or list(rule.modes) == [mode]
    assert check_rules([rule]) == []


def test_block_max_run_keeps_a_run_of_matches_and_drops_lone_ones(tmp_path: Path) -> None:
    """A table of dated rows is the page's data; the lone date line above the story is chrome."""
    rules = _variant("      block: '^\\d{4}-\\d\\d-\\d\\d\\b'\n      max_words: 6\n      max_run: 2\n",
                     '["2024-05-01", "2024-05-01\\n2024-05-02"]', '["2024-01-01 | 4.1\\n2024-02-01 | 3.9\\n2024-03-01 | 3.7"]')
    (rule,) = load_rule_file(write(tmp_path, rules))
    from cleaner.testing import check_rules
    assert check_rules([rule]) == [] and not rule.context_free
    page = ("2024-05-01\nThe agency published its monthly rates on Tuesday.\n"
            "2024-01-01 | 4.1\n2024-02-01 | 3.9\n2024-03-01 | 3.7\nRates fell in each month of the quarter.")
    out = cleaner.clean(page, rules=[rule], builtin_rules=False, language=False, detector=False)
    assert out.split("\n\n") == page.split("\n")[1:]
    # Without max_run every dated line goes.
    (greedy,) = load_rule_file(write(tmp_path, rules.replace("      max_run: 2\n", "")))
    assert greedy.context_free
    out = cleaner.clean(page, rules=[greedy], builtin_rules=False, language=False, detector=False)
    assert out.split("\n\n") == [page.split("\n")[1], page.split("\n")[-1]]


@pytest.mark.parametrize("match, line, field, words", [
    ("      span: 'x'\n      max_run: 2\n", 7, "rules[0].match.max_run", "max_run works only with block"),
    ("      span: 'x'\n      max_words: 3\n", 7, "rules[0].match.max_words", "max_words works only with block"),
    ("      block: 'x'\n      span: 'y'\n", 7, "rules[0].match.span", "has block and span"),
    ("      max_words: 3\n      max_run: 2\n", 6, "rules[0].match", "match needs one of: block"),
])
def test_block_options_need_a_block_matcher_and_one_matcher_a_rule(tmp_path: Path, match: str, line: int,
                                                                   field: str, words: str) -> None:
    """``max_words``/``max_run`` only mean something to ``block``, and two matchers in one rule
    used one of them silently."""
    with pytest.raises(RuleError) as info:
        load_rule_file(write(tmp_path, GOOD.replace("      block: '(?i)^promo code'\n", match)))
    assert info.value.line == line and info.value.field == field and words in str(info.value)
