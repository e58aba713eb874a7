"""Python rules from other installed packages are found through the cleaner.rules entry points."""
from __future__ import annotations

from pathlib import Path

import pytest

import cleaner
from cleaner.rules import registry
from cleaner.testing import check_rules

BODY = "The council approved the new budget on Monday after a long debate."


@pytest.fixture
def demo_plugin(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent / "plugin_site"))
    registry.plugin_rules.cache_clear()
    yield
    registry.plugin_rules.cache_clear()


def test_plugin_is_discovered_and_runs(demo_plugin) -> None:
    ids = [r.id for r in registry.plugin_rules()]
    assert "demo-shouting" in ids and "duplicate-block" in ids
    result = cleaner.clean_document("BUY ONE GET ONE FREE\n" + BODY, language=False, detector=False)
    assert result.text == BODY
    assert [(r.rule, r.stage) for r in result.removals] == [("demo-shouting", "plugin")]


def test_plugin_examples_pass_the_same_checks(demo_plugin) -> None:
    assert check_rules(registry.plugin_rules()) == []


def test_rule_objects_can_be_passed_directly() -> None:
    import sys
    sys.path.insert(0, str(Path(__file__).parent / "plugin_site"))
    try:
        from cleaner_demo_plugin import ShoutingLines
    finally:
        sys.path.pop(0)
    result = cleaner.clean_document("BUY ONE GET ONE FREE\n" + BODY, rules=[ShoutingLines()],
                                    builtin_rules=False, language=False, detector=False)
    assert result.text == BODY and result.removals[0].stage == "user"


def test_plugins_off_with_builtin_rules() -> None:
    assert registry.all_rules((), builtin=False)[3] == ("plugin", ())
