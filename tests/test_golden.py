"""Seeds against their golden bodies. ``pytest --update-golden`` rewrites them on purpose;
review ``git diff golden/`` line by line against the content policy before committing."""
from __future__ import annotations

from pathlib import Path

import pytest

import cleaner

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def test_there_are_seeds_with_golden_files() -> None:
    assert len(SEEDS) == 5
    assert all((ROOT / "golden" / s.name).exists() for s in SEEDS)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_matches_golden(seed: Path, update_golden: bool) -> None:
    got = cleaner.clean(seed.read_bytes()) + "\n"
    golden = ROOT / "golden" / seed.name
    if update_golden:
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_output_is_stable_under_recleaning(seed: Path) -> None:
    once = cleaner.clean(seed.read_bytes())
    assert cleaner.clean(once) == once
