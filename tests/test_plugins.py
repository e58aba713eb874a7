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
    result = cleaner.clean_document("LAST CHANCE TO ENTER THE DRAW\n" + BODY, language=False, detector=False)
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
    result = cleaner.clean_document("LAST CHANCE TO ENTER THE DRAW\n" + BODY, rules=[ShoutingLines()],
                                    builtin_rules=False, language=False, detector=False)
    assert result.text == BODY and result.removals[0].stage == "user"


def test_a_python_rules_domains_are_compared_like_yaml_ones() -> None:
    """A plugin's domains=("www.Example.com",) never fired on https://www.example.com/ (YAML ones are normalised)."""
    from cleaner.document import Removal
    from cleaner.rules.model import Rule

    class SiteLines(Rule):
        id = "demo-site-lines"
        domains = ("www.Example.COM.",)

        def find(self, page):
            return [Removal(b.index, self.id, "user", "site chrome") for b in page.blocks if b.text == "Site menu"]

    for url in ("https://www.example.com/a", "https://news.example.com/a"):
        result = cleaner.clean_document("Site menu\n" + BODY, url=url, rules=[SiteLines()], builtin_rules=False,
                                        language=False, detector=False)
        assert result.text == BODY, url
    other = cleaner.clean_document("Site menu\n" + BODY, url="https://example.org/", rules=[SiteLines()],
                                   builtin_rules=False, language=False, detector=False)
    assert other.text.startswith("Site menu")


def test_a_python_rule_reads_the_pages_site_from_page_domain() -> None:
    """``Page.domain`` is the plugin API's view of the site; a refactoring left the property on
    the regex budget's class below it, and a rule reading it raised AttributeError."""
    from cleaner.document import Removal
    from cleaner.rules.model import Rule

    class OwnSite(Rule):
        id = "demo-own-site"

        def find(self, page):
            return [Removal(b.index, self.id, "user", f"the name of {page.domain}")
                    for b in page.blocks if b.text.lower() == page.domain]

    result = cleaner.clean_document("example.com\n" + BODY, url="https://www.example.com/a", rules=[OwnSite()],
                                    builtin_rules=False, language=False, detector=False)
    assert result.text == BODY and result.removals[0].reason == "the name of example.com"


def test_plugins_off_with_builtin_rules() -> None:
    assert registry.all_rules((), builtin=False)[3] == ("plugin", ())


QUESTION = "What made you start writing about the harbour?"
ANSWERS = ["I grew up two streets from the pier and spent every summer watching the boats come in.",
           "My grandfather kept a diary of every storm that hit the town, and I inherited all of it.",
           "The fishermen told better stories than any book I had read, so I started to write them down."]


def _interview_html(copies: int) -> str:
    parts = "".join(f"<p>{QUESTION}</p><p>{answer} She laughed when she said it.</p>" for answer in ANSWERS[:copies])
    return (f"<html><head><title>Harbour voices</title></head><body><article><h1>Harbour voices</h1>"
            f"<p>{BODY} Three writers told us why they keep coming back to the old port.</p>{parts}"
            "</article></body></html>")


def test_duplicate_block_keeps_a_recurring_question_in_html_mode() -> None:
    # Three copies, new prose after each: the interview's structure, all of it stays.
    kept = cleaner.clean_document(_interview_html(3), mode="html", language=False)
    assert kept.text.count(QUESTION) == 3
    assert "duplicate-block" not in {r.rule for r in kept.removals}
    # Two copies: the earlier one is a copy, as before.
    twice = cleaner.clean_document(_interview_html(2), mode="html", language=False)
    assert twice.text.count(QUESTION) == 1
    assert [r.rule for r in twice.removals if r.rule == "duplicate-block"] == ["duplicate-block"]


def test_duplicate_block_drops_earlier_copies_in_text_mode() -> None:
    page = "\n\n".join([BODY] + [f"{QUESTION}\n\n{answer}" for answer in ANSWERS])
    result = cleaner.clean_document(page, mode="text", language=False, detector=False)
    assert result.text.count(QUESTION) == 1
    assert sum(r.rule == "duplicate-block" for r in result.removals) == 2


class _EntryPoint:
    """What importlib.metadata gives for one entry point, with a load() we choose."""

    def __init__(self, name: str, load) -> None:
        self.name, self.value, self.group, self.load = name, f"broken_pkg:{name}", registry.PLUGIN_GROUP, load


def _boom():
    raise ImportError("No module named 'broken_pkg'")


class _RaisesInInit(cleaner.rules.Rule):
    id = "raises"

    def __init__(self) -> None:
        raise ValueError("missing setting")


@pytest.mark.parametrize("entry, words", [(_EntryPoint("gone", _boom), "plugin 'gone' (broken_pkg:gone) failed to load: ImportError"),
                                          (_EntryPoint("init", lambda: _RaisesInInit), "failed to build its rules: ValueError: missing setting")])
def test_a_broken_plugin_is_a_rule_error_naming_it(monkeypatch: pytest.MonkeyPatch, entry, words) -> None:
    """It was a bare traceback in every command, naming no plugin."""
    monkeypatch.setattr(registry.metadata, "entry_points", lambda group: [entry])
    registry.plugin_rules.cache_clear()
    try:
        with pytest.raises(cleaner.RuleError, match="plugin") as info:
            cleaner.clean(BODY)
        assert words in str(info.value)
    finally:
        registry.plugin_rules.cache_clear()


def test_an_entry_point_rule_without_a_source_is_named_by_its_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    """``cleaner rules list`` and rule errors said "<python>" for a plugin's rule."""
    from importlib import metadata

    from cleaner.rules import Rule

    class Quiet(Rule):
        id = "quiet-demo"

        def find(self, page):
            return []

    entry = metadata.EntryPoint(name="quiet", value="quiet_pkg:Quiet", group=registry.PLUGIN_GROUP)
    monkeypatch.setattr(metadata.EntryPoint, "load", lambda self: Quiet)
    monkeypatch.setattr(registry.metadata, "entry_points", lambda group: [entry])
    registry.plugin_rules.cache_clear()
    try:
        (rule,) = registry.plugin_rules()
        assert rule.source == "entry point quiet (quiet_pkg:Quiet)"
    finally:
        registry.plugin_rules.cache_clear()
