"""Quality gate: mean F1 on a fixed sample of held-out dev pages must not fall below a floor.

The floors were set from a measurement minus a small margin. Lowering one is a
decision: set CLEANER_LOWER_FLOORS=1 to see the current figures (a set under its floor
then shows as an expected failure, not as a pass), and change the floor in the same
commit that explains why. ``.ci/run`` sets CI, so there the gate never skips.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import cleaner

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))
import devsets  # noqa: E402

HAVE_SETS = (devsets.ROOT / "scrapinghub").is_dir()
# A checkout without ../shared skips the gate; CI always has it, so there a
# missing set fails instead of passing as a skip.
pytestmark = pytest.mark.skipif(not HAVE_SETS and not os.environ.get("CI"),
                                reason="the shared dev sets are not beside this checkout")
SAMPLE = 20  # pages per set, the first held-out ones
# measured 2026-12-07 on commit 2d81f1a (python -m pytest -s tests/test_quality_floor.py prints
# them): text 0.932 / 0.958, html 0.985 / 0.960; floors are those minus 0.02 (the floors of
# 2026-11-23, 0.81 / 0.923 / 0.96 / 0.937, would have let text scrapinghub lose 0.12)
FLOORS = {("text", "scrapinghub"): 0.912, ("text", "wcxb-dev"): 0.938,
          ("html", "scrapinghub"): 0.965, ("html", "wcxb-dev"): 0.94}


def mean_f1(mode: str, set_name: str) -> float:
    pages = devsets.pages(set_name, "holdout")[:SAMPLE]
    scores = []
    for page in pages:
        source = page.text() if mode == "text" else page.html_bytes()
        scores.append(devsets.prf(cleaner.clean(source, url=page.url, mode=mode), page.gold())[2])
    return sum(scores) / len(scores)


@pytest.mark.parametrize("mode,set_name", sorted(FLOORS), ids=lambda v: str(v))
def test_mean_f1_above_floor(mode: str, set_name: str) -> None:
    assert HAVE_SETS, f"the dev sets are not at {devsets.ROOT}"
    f1 = mean_f1(mode, set_name)
    print(f"{mode} {set_name}: mean F1 {f1:.3f} (floor {FLOORS[mode, set_name]:.3f})")
    if f1 < FLOORS[mode, set_name] and os.environ.get("CLEANER_LOWER_FLOORS"):
        pytest.xfail(f"{mode} {set_name}: mean F1 {f1:.3f} under its floor {FLOORS[mode, set_name]:.3f} "
                     "(CLEANER_LOWER_FLOORS is set)")
    assert f1 >= FLOORS[mode, set_name]


# The same sample in text mode with its letters swapped into Cyrillic or Arabic ones, page and
# gold alike (bench/letter_swap.py): a language that langdetect and the stoplists do not know.
# Measured 2026-12-07 on commit e407d50: Cyrillic 0.882 / 0.952, Arabic 0.856 / 0.940 (before
# the language stage asked for a fifth of the claimed language's stopwords, and the detector
# for a stoplist that covers the page: Cyrillic 0.831 / 0.940); floors are those minus 0.02.
# And written in lower case (words and stoplist known, no case: what the scripts without case
# show the detector's title-case signals), measured 2026-12-07 on commit a80f623: 0.913 / 0.948.
# Since the detector trained for pages without case scores those (2026-12-08): Arabic 0.874 /
# 0.951 (0.856 / 0.940 before), lower case 0.929 / 0.956 (0.913 / 0.948); their floors sit
# halfway, so that pages without case scored by the first detector again fail here.
SWAPPED_FLOORS = {("cyrillic", "scrapinghub"): 0.862, ("cyrillic", "wcxb-dev"): 0.932,
                  ("arabic", "scrapinghub"): 0.865, ("arabic", "wcxb-dev"): 0.945,
                  ("lower", "scrapinghub"): 0.921, ("lower", "wcxb-dev"): 0.952}


@pytest.mark.parametrize("script,set_name", sorted(SWAPPED_FLOORS), ids=lambda v: str(v))
def test_mean_f1_in_an_unknown_language_above_floor(script: str, set_name: str) -> None:
    assert HAVE_SETS, f"the dev sets are not at {devsets.ROOT}"
    swap = devsets.LETTER_SWAPS[script]
    pages = devsets.pages(set_name, "holdout")[:SAMPLE]
    f1 = sum(devsets.prf(cleaner.clean(p.text().translate(swap), url=p.url, mode="text"),
                         p.gold().translate(swap))[2] for p in pages) / len(pages)
    floor = SWAPPED_FLOORS[script, set_name]
    print(f"text {set_name} in {script} letters: mean F1 {f1:.3f} (floor {floor:.3f})")
    if f1 < floor and os.environ.get("CLEANER_LOWER_FLOORS"):
        pytest.xfail(f"{script} {set_name}: mean F1 {f1:.3f} under its floor {floor:.3f} (CLEANER_LOWER_FLOORS is set)")
    assert f1 >= floor


# Dev pages where cleaning the output again changed it: the detector read the first call's later
# passes with the input's blank lines, not the output's (dev-4852), and a page needed six passes
# (dev-4120). The text is read from the dev sets at run time; none of it is in this repo.
RECLEANED = ("dev-4852", "dev-4120")


@pytest.mark.parametrize("page_id", RECLEANED)
def test_cleaning_the_output_again_changes_nothing_on_dev_pages(page_id: str) -> None:
    assert HAVE_SETS, f"the dev sets are not at {devsets.ROOT}"
    page = next(p for p in devsets.pages("wcxb-dev") if p.id == page_id)
    once = cleaner.clean(page.text(), url=page.url, mode="text")
    assert once and cleaner.clean(once, url=page.url, mode="text") == once
