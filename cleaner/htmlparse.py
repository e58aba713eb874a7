"""An HTML page parsed as trafilatura's ``load_html`` parses it, on a parser whose element
lookup runs in C, read 2,048 elements deep."""
from __future__ import annotations

import threading
from typing import Optional

from lxml import etree
from lxml import html as lxml_html


# trafilatura's parser settings with a class lookup that runs in C. lxml.html's own lookup calls
# Python for every element object lxml makes (every step of every tree walk, trafilatura's
# included): about 5 ms of a 70 ms page on the dev sets, same output. Every element is then a
# plain HtmlElement (no FormElement or InputElement), which neither trafilatura nor cleaner needs.
# ``huge_tree``: libxml2 stops at 256 nested elements without it (2,048 with it) and keeps only
# what came before; a page of unclosed <div>s, whose text is deeper, came out empty.
def _new_parser() -> lxml_html.HTMLParser:
    parser = lxml_html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                                  remove_comments=True, remove_pis=True, huge_tree=True)
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment, pi=lxml_html.HtmlProcessingInstruction,
        entity=lxml_html.HtmlEntity))
    return parser


class _Parsers(threading.local):
    """One parser a thread: a parser's error log (read by :func:`cut_at_depth`) is its last
    parse's, and another thread's parse would overwrite it."""

    def __init__(self) -> None:
        self.parser = _new_parser()


_PARSERS = _Parsers()


def parser() -> lxml_html.HTMLParser:
    """This thread's parser."""
    return _PARSERS.parser


# What trafilatura's ``repair_faulty_html`` deletes first (its ``INVALID_XML_CHARS``): C0 controls
# but tab, newline and carriage return, as UTF-8 bytes; and U+FFFE, U+FFFF.
_XML_INVALID_BYTES = bytes(c for c in range(32) if c not in (9, 10, 13))


def _clean_utf8(html: str) -> Optional[bytes]:
    """``html`` as UTF-8 when it encodes and holds none of the characters trafilatura's repair
    deletes (then that deletion, a regex pass over the whole page of about 0.8 ms, changes
    nothing); None otherwise (a lone surrogate, a control character: the repair as it is), and
    for a page that opens with non-ASCII space (U+00A0, U+3000...): lxml tells a document from a
    fragment by ``^\\s*<html``, which reads such space as a space in a str and not in bytes."""
    lead = len(html) - len(html.lstrip())
    if lead and not html[:lead].isascii():
        return None
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError:
        return None
    if len(data.translate(None, _XML_INVALID_BYTES)) != len(data) or "\ufffe" in html or "\uffff" in html:
        return None
    return data


def _repair_lines(html: str, beginning: str) -> str:
    """trafilatura's ``repair_faulty_html`` on a page without its invalid characters (``_clean_utf8``):
    the same steps after its deletion, which would delete nothing (a trafilatura without these
    patterns: its own repair)."""
    try:
        from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML
    except ImportError:
        from trafilatura.utils import repair_faulty_html
        return repair_faulty_html(html, beginning)
    if "doctype" in beginning:
        firstline, _, rest = html.partition("\n")
        html = DOCTYPE_TAG.sub("", firstline, count=1) + "\n" + rest
    for line in html[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            html = FAULTY_HTML.sub(r"\1>", html, count=1)
            break
    return html


def parse_html(html: str) -> Optional[etree._Element]:
    """trafilatura's ``load_html`` for a string, on this thread's :func:`parser`: the same repairs, the same tree
    (read from the page's UTF-8 bytes when that gives the same, see ``_clean_utf8``), the same
    refusal of a dubious page whose root has fewer than two children."""
    from trafilatura.utils import is_dubious_html, repair_faulty_html

    beginning = html[:50].lower()
    data = _clean_utf8(html)
    if data is None:
        html = repair_faulty_html(html, beginning)
    else:
        repaired = _repair_lines(html, beginning)
        if repaired != html:
            html, data = repaired, repaired.encode("utf-8")
    tree = None
    try:
        # Parsed as UTF-8 bytes when the text encodes cleanly: the same tree (the parser reads
        # bytes as UTF-8 whatever the page declares), about 0.2 ms a page faster than a str.
        tree = lxml_html.fromstring(html if data is None else data, parser=parser())
    except Exception:  # ValueError: a str with an encoding declaration, lxml wants bytes
        pass
    if data is None and (tree is None or len(tree) < 1):
        try:
            tree = lxml_html.fromstring(html.encode("utf8", "surrogatepass"), parser=parser())
        except Exception:
            tree = None
    elif tree is None or len(tree) < 1:  # as a str first, this tree would have been taken only if better
        try:
            again = lxml_html.fromstring(html, parser=parser())
            tree = again if again is not None and len(again) >= 1 else tree
        except Exception:  # ValueError: an encoding declaration (the bytes' tree stands, as before)
            pass
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree


def load_html(html: str) -> Optional[etree._Element]:
    """Parse ``html`` as trafilatura's loader does (``parse_html``); None for empty or unparsable input.

    A fragment ("<p>...</p>", a CMS field) is read as the body of a document: the
    loader refuses some fragments and roots others at their first element, and
    trafilatura then extracted nothing from them.
    """
    if not html or not html.strip():
        return None
    try:
        tree = parse_html(html)
        if tree is None or tree.tag != "html":
            tree = parse_html(f"<html><body>{html}</body></html>")
        return tree
    except Exception:  # lxml raises a zoo of errors on broken markup
        return None


def cut_at_depth() -> bool:
    """Whether this thread's last parse stopped at the parser's depth limit (2,048 nested
    elements) and lost what came after."""
    return any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser().error_log)
