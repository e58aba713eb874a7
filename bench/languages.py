"""Body kept on hand-written news pages in 38 languages, text and HTML mode.

    python bench/languages.py            # every language
    python bench/languages.py de ja th   # some

The dev sets are mostly English; the hidden sets are not. Each language in
``bench/multilingual/`` has one story (eight paragraphs, one of them a quote,
and an in-body subheading; some languages also a variant of seven short
paragraphs), written for this benchmark, with site chrome around it: a menu,
a headline, a byline and a date, a photo caption, share buttons, a "related"
list and copyright lines, in the page's language and in English. Twelve of the
languages are ones langdetect does not know.

Each story is cleaned as four inputs:
- ``text``: one line per block with a blank line between them, as the dev sets' ``text/``;
- ``flat``: the same lines joined by single newlines, as many scrapers write them;
- ``three``: the flat page with only three paragraphs;
- ``html``: an article page with ``<nav>``, ``<figure>``, an ``<aside>`` and a ``<footer>``.
For each input the script prints the body blocks kept out of the total (paragraphs
and the subheading) and the chrome lines left, then totals per input.
"""
from __future__ import annotations

import html
import logging
import sys
import unicodedata
from pathlib import Path
from typing import Dict, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cleaner  # noqa: E402
from bench.multilingual import pages1, pages2, pages3, pages4, pages5, pages6, short_pages  # noqa: E402

LANGUAGES = pages1.L + pages2.L + pages3.L + pages4.L + pages5.L + pages6.L
ENGLISH_TOP = ["Home", "Sign in", "Subscribe"]
ENGLISH_BOTTOM = ["Share this article", "Share on Facebook", "Tweet", "Privacy policy", "Cookie settings"]
INPUTS = ("text", "flat", "three", "short", "html")


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def body(lang: dict, variant: str) -> List[str]:
    """The story's blocks in page order (paragraphs and the subheading)."""
    p = lang["p"]
    if variant == "three":
        return [p[0], p[1], p[4]]
    if variant == "short":
        s = short_pages.SHORT[lang["code"]]
        return s[:3] + [lang["sub"]] + s[3:]
    return p[:4] + [lang["sub"]] + p[4:]


def chrome(lang: dict) -> List[str]:
    return [lang["site"], *lang["menu"], *ENGLISH_TOP, lang["head"], lang["byline"], lang["date"], lang["cap"],
            *lang["share"], *ENGLISH_BOTTOM, lang["rel_h"], *lang["rel"], lang["copy"]]


def text_page(lang: dict, story: List[str], separator: str) -> str:
    lines = [lang["site"], *lang["menu"], *ENGLISH_TOP, lang["head"], lang["byline"], lang["date"],
             story[0], story[1], lang["cap"], *story[2:], *lang["share"], *ENGLISH_BOTTOM[:3],
             lang["rel_h"], *lang["rel"], *ENGLISH_BOTTOM[3:], lang["copy"]]
    return separator.join(lines) + "\n"


def html_page(lang: dict, story: List[str]) -> str:
    e = html.escape
    nav = "".join(f'<li><a href="/{i}">{e(m)}</a></li>' for i, m in enumerate(lang["menu"] + ENGLISH_TOP))
    parts = [f"<h2>{e(t)}</h2>" if t == lang["sub"] else f"<p>{e(t)}</p>" for t in story]
    parts.insert(1, f'<figure><img src="/a.jpg" alt=""><figcaption>{e(lang["cap"])}</figcaption></figure>')
    share = "".join(f'<li><a href="#s{i}">{e(s)}</a></li>' for i, s in enumerate(lang["share"] + ENGLISH_BOTTOM[:3]))
    related = "".join(f'<li><a href="/n/{i}">{e(r)}</a></li>' for i, r in enumerate(lang["rel"]))
    return (f'<!DOCTYPE html><html lang="{lang["code"]}"><head><meta charset="utf-8">'
            f'<title>{e(lang["head"])} | {e(lang["site"])}</title></head><body>'
            f'<header><a href="/">{e(lang["site"])}</a><nav><ul>{nav}</ul></nav></header><main><article>'
            f'<h1>{e(lang["head"])}</h1><p class="byline">{e(lang["byline"])} · <time>{e(lang["date"])}</time></p>'
            f'{"".join(parts)}<ul class="share">{share}</ul></article>'
            f'<aside><h2>{e(lang["rel_h"])}</h2><ul>{related}</ul></aside></main>'
            f'<footer><p>{e(lang["copy"])}</p><ul><li><a href="/privacy">{e(ENGLISH_BOTTOM[3])}</a></li>'
            f'<li><a href="/cookies">{e(ENGLISH_BOTTOM[4])}</a></li></ul></footer></body></html>')


def run(lang: dict, kind: str) -> Tuple[int, int, int]:
    """(body blocks kept, body blocks, chrome lines left) for one input."""
    variant = kind if kind in ("three", "short") else "full"
    story = body(lang, variant)
    if kind == "html":
        source, mode = html_page(lang, story), "html"
    else:
        source, mode = text_page(lang, story, "\n\n" if kind == "text" else "\n"), "text"
    kept = [_norm(b.text) for b in cleaner.clean_document(source, mode=mode).blocks]
    stories = [_norm(t) for t in story]
    found = sum(any(s in k for k in kept) for s in stories)
    with_body = [k for k in kept if any(s in k for s in stories)]
    left = len(kept) - len(with_body)  # kept blocks that hold no body
    joined = " ".join(stories)
    for line in map(_norm, chrome(lang)):  # and chrome merged into a body block (one big HTML <p>)
        left += line not in joined and any(line in k for k in with_body)
    return found, len(story), left


def main() -> None:
    logging.disable(logging.CRITICAL)
    wanted = set(sys.argv[1:])
    langs = [lang for lang in LANGUAGES if not wanted or lang["code"] in wanted]
    totals: Dict[str, List[int]] = {kind: [0, 0, 0] for kind in INPUTS}
    print(f"{'lang':6s}" + "".join(f"{kind:>16s}" for kind in INPUTS) + "   (body kept/total, +chrome left)")
    for lang in langs:
        cells = []
        for kind in INPUTS:
            if kind == "short" and lang["code"] not in short_pages.SHORT:
                cells.append(f"{'-':>16s}")
                continue
            kept, total, left = run(lang, kind)
            for k, v in enumerate((kept, total, left)):
                totals[kind][k] += v
            cells.append(f"{f'{kept}/{total} +{left}':>16s}")
        print(f"{lang['code']:6s}" + "".join(cells))
    print(f"{'all':6s}" + "".join(f"{f'{t[0]}/{t[1]} +{t[2]}':>16s}" for t in totals.values()))


if __name__ == "__main__":
    main()
