"""Deterministic synthetic pages for the integration tests and the Ray benchmark.

Hand-written vocabulary, no real text: each page is a few article paragraphs
wrapped in the chrome lines scrapers pick up (menus, share prompts, footers).
"""
from __future__ import annotations

import random
from typing import Dict, Iterator, List

_SUBJECTS = ["The council", "A local baker", "The research team", "Our correspondent", "The river authority",
             "A group of students", "The museum", "Farmers in the valley", "The new mayor", "Volunteers"]
_VERBS = ["announced", "questioned", "welcomed", "postponed", "described", "measured", "defended",
          "reviewed", "celebrated", "rejected"]
_OBJECTS = ["the plan for a second bridge", "the results of the winter survey", "a proposal to extend the tram line",
            "the rising cost of heating the old school", "an exhibition of maps drawn two centuries ago",
            "the decision to close the harbour road", "a study of bees in the city parks",
            "the budget for the public library", "changes to the night bus timetable", "the restoration of the mill"]
_TAILS = ["after a long debate on Monday evening", "despite objections from several residents",
          "in a statement published this week", "according to figures released on Thursday",
          "before the end of the summer", "while the inspectors were still on site",
          "at a packed meeting in the town hall", "for the third time this year"]
_HEADERS = ["Home | News | Sport | Weather | Contact", "Menu", "Skip to main content", "Sign in | Register",
            "Breaking news", "Latest stories"]
_FOOTERS = ["Share on Facebook", "Share on Twitter", "Subscribe to our newsletter", "Advertisement",
            "Copyright 2024 Example Media. All rights reserved.", "Read more", "Related articles",
            "Follow us on Instagram", "Privacy policy | Terms of use | Cookies"]


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_TAILS)}."


def synthetic_page(rng: random.Random, paragraphs: int = 4) -> str:
    """One page as text: header chrome, ``paragraphs`` of 2–4 sentences, footer chrome."""
    lines: List[str] = rng.sample(_HEADERS, 2)
    lines += [" ".join(_sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(paragraphs)]
    lines += rng.sample(_FOOTERS, 3)
    return "\n".join(lines) + "\n"


def synthetic_records(n: int, seed: int = 0, paragraphs: int = 4) -> Iterator[Dict[str, object]]:
    """``n`` records ``{"id", "url", "text"}``; every 97th has ``text=None`` (a bad record)."""
    rng = random.Random(seed)
    for i in range(n):
        text = None if i % 97 == 96 else synthetic_page(rng, paragraphs)
        yield {"id": i, "url": f"https://news.example.org/{i}", "text": text}


def synthetic_html(rng: random.Random, paragraphs: int = 3) -> str:
    """One page as HTML: a nav bar, an article of ``paragraphs`` paragraphs, a footer."""
    body = "".join(f"<p>{' '.join(_sentence(rng) for _ in range(3))}</p>" for _ in range(paragraphs))
    return (f"<html><head><title>{rng.choice(_OBJECTS).capitalize()}</title></head><body>"
            f"<nav><a href='/'>Home</a> | <a href='/news'>News</a> | <a href='/sport'>Sport</a></nav>"
            f"<article><h1>{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}</h1>{body}</article>"
            f"<footer>{rng.choice(_FOOTERS)} | Copyright 2024 Example Media. All rights reserved.</footer>"
            "</body></html>")
