"""Every rule's snapshot: its own examples, line by line, as the rule alone judges them.

The examples (``tests/test_rule_examples.py``) say *whether* a line goes; the
snapshot in ``golden/rules/<rule-id>.txt`` also pins *what* is left of it and
the reason the audit trail records. A rule change shows up as a reviewed diff:
``pytest tests/test_rule_snapshots.py --update-golden``, then ``git diff golden/rules``.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.rules import builtin_rules, plugin_rules
from cleaner.testing import rule_snapshot

SNAPSHOTS = Path(__file__).resolve().parents[1] / "golden" / "rules"
# cleaner's own rules only: the demo plugin of tests/plugin_site is on sys.path in some workers.
RULES = [r for r in list(builtin_rules()) + list(plugin_rules())
         if r.source.startswith(("rules/", "cleaner/"))]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_matches_its_snapshot(rule, update_golden: bool) -> None:
    path = SNAPSHOTS / f"{rule.id}.txt"
    got = rule_snapshot(rule)
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"no snapshot for {rule.id}: run pytest {__file__} --update-golden and review it"
    assert got == path.read_text(encoding="utf-8")


def test_no_snapshot_without_a_rule() -> None:
    ids = {r.id for r in RULES}
    orphans = sorted(p.stem for p in SNAPSHOTS.glob("*.txt") if p.stem not in ids)
    assert not orphans, f"snapshots of rules that no longer exist: {orphans}"
