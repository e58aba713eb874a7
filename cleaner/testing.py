"""Check rules against their own examples; used by cleaner's suite and by users for their packs.

>>> from cleaner.rules import builtin_rules
>>> check_rules(builtin_rules())
[]
"""
from __future__ import annotations

import os
from typing import Any, Iterable, List, Optional, Tuple

from .config import Options
from .document import CleanResult, Document
from .engine import explain_lines, run_rule_stage
from .errors import RuleTimeout
from .ledger import Ledger
from .rules.model import Example, Rule
from .rules.registry import resolve_rules
from .segment import split_text

_OPTIONS = Options(language=False, detector=False)


def _run_alone(rule: Rule, text: str, options: Optional[Options]) -> Tuple[Document, Ledger]:
    """``rule`` alone on ``text``, as if on its first domain and in a mode it runs in (an
    HTML-only rule's examples are its blocks, one a line, read as an HTML page's)."""
    domain = rule.domains[0] if rule.domains else None
    mode = "text" if rule.runs_in("text") else "html"
    doc = Document(blocks=tuple(split_text(text)), url=None, domain=domain, mode=mode)
    ledger = Ledger(doc)
    run_rule_stage(ledger, "rules", [rule], doc, None, options or _OPTIONS)
    return doc, ledger


def apply_rule(rule: Rule, text: str, options: Optional[Options] = None) -> str:
    """Run ``rule`` alone on ``text`` (a page, one block a line); return the kept text.

    A site rule runs as if on its first domain.
    """
    return "\n\n".join(b.text for b in _run_alone(rule, text, options)[1].alive())


def explain_rule(rule: Rule, text: str) -> str:
    """``text`` line by line as ``rule`` alone judges it: ``-`` removed (with the
    reason), ``~`` cut to what follows ``=>``, two spaces kept.

    >>> from cleaner.rules import load_rules_text
    >>> (r,) = load_rules_text('''
    ... rules:
    ...   - {id: no-ads, summary: Ads, why: chrome, match: {block: '^Advertisement$'},
    ...      examples: {remove: [Advertisement], keep: [Ads are loud.]}}''')
    >>> print(explain_rule(r, "Advertisement\\nThe council met on Monday."))
    - Advertisement    [no-ads: matched 'Advertisement']
      The council met on Monday.
    """
    doc, ledger = _run_alone(rule, text, None)
    result = CleanResult(blocks=ledger.alive(), removals=tuple(ledger.removals), document=doc)
    lines = []
    for block, removals, kept in explain_lines(result):
        why = "".join(f"    [{r.rule}: {r.reason}]" for r in removals)
        if not removals:
            lines.append(f"  {block.text}")
        elif kept is None:
            lines.append(f"- {block.text}{why}")
        else:
            lines.append(f"~ {block.text} => {kept}{why}")
    return "\n".join(lines)


def rule_snapshot(rule: Rule) -> str:
    """Every example of ``rule`` explained by :func:`explain_rule`: the rule's snapshot file."""
    parts = [f"# {rule.id} ({rule.scope}, {rule.category})"]
    for kind, examples in (("remove", rule.remove_examples), ("keep", rule.keep_examples)):
        for i, example in enumerate(examples):
            parts.append(f"## {kind}[{i}]\n{explain_rule(rule, example.input)}")
    return "\n".join(parts) + "\n"


def _blocks_text(text: str) -> str:
    return "\n\n".join(b.text for b in split_text(text))


def check_example(rule: Rule, example: Example, must_remove: bool) -> Optional[str]:
    """None when ``example`` behaves as the rule says, else a one-line failure."""
    try:
        return _check_example(rule, example, must_remove)
    except RuleTimeout as exc:
        return (f"{rule.source}: {rule.id}: {'remove' if must_remove else 'keep'} example {example.input!r}: "
                f"timed out after {exc.seconds:g} s: the pattern backtracks catastrophically; rewrite it")


def _check_example(rule: Rule, example: Example, must_remove: bool) -> Optional[str]:
    """:func:`check_example`, letting a :class:`~cleaner.errors.RuleTimeout` through."""
    got = apply_rule(rule, example.input)
    if example.output is not None:
        want = _blocks_text(example.output)
    else:
        want = "" if must_remove else _blocks_text(example.input)
    if got != want:
        kind = "remove" if must_remove else "keep"
        return f"{rule.source}: {rule.id}: {kind} example {example.input!r}: expected {want!r}, got {got!r}"
    again = apply_rule(rule, got)
    if again != got:
        return f"{rule.source}: {rule.id}: not idempotent on {example.input!r}: {got!r} -> {again!r}"
    return None


def check_rules(rules: Iterable[Any]) -> List[str]:
    """Every failing example of every rule (empty when all pass). ``rules`` as ``clean``'s
    ``rules=``: rule objects and/or YAML paths (a broken file raises ``RuleError``; ids
    are not checked here, ``cleaner rules test`` reports clashes itself)."""
    failures = []
    if isinstance(rules, (str, os.PathLike)):  # one path, as ``clean(rules="my_rules.yaml")`` takes it
        rules = [rules]
    for rule in resolve_rules(list(rules)):
        if not rule.remove_examples or not rule.keep_examples:
            failures.append(f"{rule.source}: {rule.id}: needs at least one remove and one keep example")
        for example in rule.remove_examples:
            failures.append(check_example(rule, example, True))
        for example in rule.keep_examples:
            failures.append(check_example(rule, example, False))
    return [f for f in failures if f]
