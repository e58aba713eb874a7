"""Every rule's own examples, built-in and plugin: one test case per example (ids rule::kind[i])."""
from __future__ import annotations

import pytest

from cleaner.rules import builtin_rules, plugin_rules
from cleaner.testing import check_example, check_rules

RULES = list(builtin_rules()) + list(plugin_rules())
CASES = [pytest.param(rule, example, kind == "remove", id=f"{rule.id}::{kind}[{i}]")
         for rule in RULES
         for kind, examples in (("remove", rule.remove_examples), ("keep", rule.keep_examples))
         for i, example in enumerate(examples)]


def test_there_are_rules_and_cases() -> None:
    assert len(RULES) >= 20 and len(CASES) >= 2 * len(RULES)


@pytest.mark.parametrize("rule,example,must_remove", CASES)
def test_rule_example(rule, example, must_remove) -> None:
    assert check_example(rule, example, must_remove) is None


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_is_documented(rule) -> None:
    assert rule.id and rule.summary and rule.why and rule.category
    assert rule.remove_examples and rule.keep_examples


def test_rule_ids_are_unique() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))


def test_check_rules_reports_a_broken_example() -> None:
    from cleaner.rules import load_rules_text
    (rule,) = load_rules_text("""
rules:
  - id: drop-foo
    summary: Foo lines
    why: test
    match: {block: '^foo$'}
    examples: {remove: ["bar"], keep: ["foo"]}
""")
    failures = check_rules([rule])
    assert len(failures) == 2 and "remove example 'bar'" in failures[0] and "keep example 'foo'" in failures[1]


def test_rule_reference_is_current() -> None:
    from pathlib import Path

    from cleaner.rules.reference import own_rules, render
    committed = (Path(__file__).resolve().parents[1] / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render(own_rules()), "run: python -m cleaner.rules.reference > docs/rules.md"
