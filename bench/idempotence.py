"""Does cleaning the output again change it? ``clean(clean(x)) == clean(x)`` on every dev text.

    python bench/idempotence.py --jobs 2          # text and auto mode, all 1,678 dev texts
    python bench/idempotence.py --split holdout

For each page of ``../shared/bench/*/text/`` the script cleans the text, cleans the
output again with the same options, and prints per mode how many pages changed and
their ids (the property test checks the same on generated pages; this checks it on
real ones).
"""
from __future__ import annotations

import argparse
import sys
from multiprocessing import Pool
from pathlib import Path
from typing import List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import devsets  # noqa: E402

MODES = ("text", "auto")


def changed_modes(page: devsets.Page) -> Tuple[str, List[str]]:
    """The page's key and the modes in which a second cleaning changed the first's output."""
    import cleaner

    changed = []
    for mode in MODES:
        once = cleaner.clean(page.text(), url=page.url, mode=mode)
        if cleaner.clean(once, url=page.url, mode=mode) != once:
            changed.append(mode)
    return f"{page.set}/{page.id}", changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="all", choices=["all", "train", "holdout"])
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    pages = list(devsets.iter_sets(split=args.split))
    with Pool(args.jobs) as pool:
        results = pool.map(changed_modes, pages, chunksize=8)
    for mode in MODES:
        keys = [key for key, modes in results if mode in modes]
        print(f"{mode:5s} mode: {len(keys)} of {len(pages):,} pages change when cleaned again" + (f": {keys}" if keys else ""))


if __name__ == "__main__":
    main()
