"""Counting a run, the progress bar on stderr, and the closing summary."""
from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, TextIO

RULES_SHOWN = 20


@dataclass
class Tally:
    """Records read (``read``) and what became of them; ``rules`` counts removals per rule
    (a span cut from a kept block counts too)."""

    read: int = 0
    out: int = 0
    errors: int = 0
    skipped: int = 0
    skip_reasons: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)

    @classmethod
    def from_dict(cls, data: Optional[Dict[str, Any]]) -> "Tally":
        data = data or {}
        return cls(data.get("read", 0), data.get("out", 0), data.get("errors", 0), data.get("skipped", 0),
                   Counter(data.get("skip_reasons", {})), Counter(data.get("rules", {})))

    def to_dict(self) -> Dict[str, Any]:
        return {"read": self.read, "out": self.out, "errors": self.errors, "skipped": self.skipped,
                "skip_reasons": dict(self.skip_reasons), "rules": dict(self.rules)}

    @property
    def balanced(self) -> bool:
        """Every record read ended as exactly one output, error or counted skip."""
        return self.read == self.out + self.errors + self.skipped

    @property
    def every_record_failed(self) -> bool:
        """Some record failed and none gave an output or a counted skip (a lone bad page, a
        wrong ``--text-field``): the output is not kept and the run exits 1."""
        return bool(self.errors) and not self.out and not self.skipped

    def skip(self, reason: str) -> None:
        self.skipped += 1
        self.skip_reasons[reason] += 1


def progress(quiet: bool, stream: TextIO = sys.stderr) -> Any:
    """A tqdm bar counting records, shown only on a terminal and without ``--quiet``."""
    from tqdm import tqdm

    return tqdm(unit=" rec", dynamic_ncols=True, file=stream, smoothing=0.1,
                disable=quiet or not stream.isatty(), desc="cleaning")


def summary_lines(tally: Tally, seconds: float, done_now: Optional[int] = None) -> List[str]:
    """The closing report: in == out + errors (+ skipped), rate, and removals per rule.

    ``done_now``: records handled by this process (less than ``read`` after ``--resume``).
    """
    rate = (tally.read if done_now is None else done_now) / seconds if seconds > 0 else 0.0
    skipped = f" + skipped {tally.skipped:,}" if tally.skipped else ""
    # Whether the counts add up (every record accounted for), not whether the records were cleaned.
    verdict = "all accounted for" if tally.balanced else "MISMATCH"
    lines = [f"records: in {tally.read:,} = out {tally.out:,} + errors {tally.errors:,}{skipped}  [{verdict}]"
             f"  in {seconds:.1f} s ({rate:,.{0 if rate >= 10 else 1}f} records/s)"]
    for reason, n in tally.skip_reasons.most_common():
        lines.append(f"  skipped {n:,}: {reason}")
    if tally.rules:
        lines.append(f"removals: {sum(tally.rules.values()):,}")
        for rule, n in tally.rules.most_common(RULES_SHOWN):
            lines.append(f"  {n:>10,}  {rule}")
        if len(tally.rules) > RULES_SHOWN:
            lines.append(f"  ... and {len(tally.rules) - RULES_SHOWN} more rules")
    return lines
