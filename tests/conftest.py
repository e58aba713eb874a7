"""Shared test options: ``pytest --update-golden`` rewrites golden files on purpose."""
from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden/*.txt from the current output (review the diff before committing)")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether to rewrite golden files; under CI only the explicit flag may, never a leaked
    ``CLEANER_UPDATE_GOLDEN`` (every golden test would compare its output with itself)."""
    if os.environ.get("CLEANER_UPDATE_GOLDEN") and os.environ.get("CI"):
        pytest.fail("CLEANER_UPDATE_GOLDEN is set under CI: golden files change only on purpose "
                    "(pytest --update-golden), never in CI")
    return bool(request.config.getoption("--update-golden") or os.environ.get("CLEANER_UPDATE_GOLDEN"))
