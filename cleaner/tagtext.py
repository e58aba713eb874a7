"""The text between a page's tags, for a page HTML mode cannot read (nested deeper than the
tree parser goes, or trafilatura failed on it): the standard library's event parser keeps no
tree, so no depth stops it, and the engine cleans what it reads in text mode."""
from __future__ import annotations

from html.parser import HTMLParser
from typing import List

# Tags whose content is not text a reader sees (not <head>, whose end tag HTML lets a page leave
# out: all after it would be hidden; what it holds that is text is in <title>).
_HIDDEN = frozenset({"script", "style", "noscript", "template", "title", "svg", "math"})
# Tags that start a new line (a block of the text).
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th",
    "tr", "ul"})


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: List[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: object) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def text_between_tags(html: str) -> str:
    """The visible text of ``html``, a line for each block element, blank lines between blocks
    (the shape of text mode's input), without scripts, styles and the title.

    >>> text_between_tags("<html><head><title>T</title></head><body><div><p>One &amp; two</p>"
    ...                   "<script>x()</script><p>Three</p></div></body></html>")
    'One & two\\n\\nThree'
    """
    collector = _Collector()
    collector.feed(html)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n\n".join(line for line in lines if line)
