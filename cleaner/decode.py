"""Turn the caller's ``str | bytes`` into text, and tell HTML from plain text.

>>> decode("caf\\u00e9".encode("cp1252") + b" au lait")
'café au lait'
>>> looks_like_html("<html><body><p>Hi</p></body></html>")
True
"""
from __future__ import annotations

import codecs
import re
from typing import Union

import regex
from charset_normalizer import from_bytes

from .errors import InputError

_DECLARED = regex.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9._:-]{2,40})|<\?xml[^>]{0,100}encoding=["']([A-Za-z0-9._-]{2,40})""", regex.I)
# HTML: a document (doctype, <html>, <head> or <body> first), a text that opens with a tag
# (after a BOM, an XML declaration or comments), or one with markup all through it. A few
# tags inside plain text (a scraper left "<p>Share this</p>" in, a how-to quotes "<html>")
# keep it text: read as HTML, such a page came out empty.
_PROLOG = r"^\ufeff?\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:<!--.*?-->\s*)*"
_HTML_DOCUMENT = regex.compile(_PROLOG + r"<(?:!doctype\s+html|html|head|body)\b", regex.I | regex.S)
_HTML_OPENS = regex.compile(_PROLOG + r"</?[a-z][\w:-]{0,30}[\s/>]", regex.I | regex.S)
_HTML_TAG = regex.compile(r"<(?:p|div|br|span|a|article|section|table|li|ul|ol|h[1-6])\b[^>]{0,500}>", regex.I)
_CLOSING_TAG = regex.compile(r"</[a-z][\w:-]{0,30}\s*>", regex.I)  # a fragment closes what it opens;
# a scraped text that starts with a tracking pixel's <img ...> does not
# A <br> or <p> set against text ("one<br>two", "<p>Text"): markup that HTML lets go unclosed.
_TOUCHING_TAG = regex.compile(r"\S<(?:br|p)\b[^>]{0,200}>|<(?:br|p)\b[^>]{0,200}>[^\s<]", regex.I)
HTML_MIN_TAGS = 5  # such tags in the first 5,000 characters that make a text HTML
HTML_TAG_LINES = 0.25  # ... when at least this share of its lines hold one
# Control characters other than tab, line feed, carriage return, form feed: a sign of binary data.
# The standard re module: a plain character class, about 3x faster than regex here.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
# The same characters as bytes: UTF-8 writes them as these single bytes and never uses a byte
# under 0x80 inside another character, so deleting them from the encoded text counts them.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0e, 0x1b), *range(0x1c, 0x20), 0x7f])
_BINARY_SHARE = 0.02
_BINARY_MIN = 8  # ... and at least this many: "OK\x02" is a text with a stray control character
# A surrogate (U+D800-U+DFFF) in UTF-8 written with "surrogatepass": only a str built from
# broken UTF-16 holds one (a JSON string cut inside a pair).
_SURROGATE_UTF8 = re.compile(rb"\xed[\xa0-\xbf]")
_SAMPLE_BYTES = 100_000  # the head whose share of control characters says "binary"
_CHAOS_TOLERANCE = 0.02
_LATIN = regex.compile(r"\p{Script=Latin}")
_CP1252_PUNCT = set("€‚„…†‡ˆ‰‹‘’“”•–—˜™›\u00a0¡¢£¤¥¦§¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿×÷")


# Labels browsers read as a superset (the WHATWG encoding standard): a page declared
# ISO-8859-1 is decoded as windows-1252, so its curly quotes and dashes (0x80-0x9F) are not
# read as control characters.
_WEB_SUPERSET = {"ascii": "cp1252", "iso8859-1": "cp1252", "iso8859-9": "cp1254", "iso8859-11": "cp874",
                 "tis-620": "cp874"}  # keys: codecs.lookup(label).name ("latin-1" -> "iso8859-1")


def web_charset(label: str) -> Union[str, None]:
    """The Python codec for a charset label as a browser reads it; None for an unknown label.

    >>> web_charset("ISO-8859-1"), web_charset("utf8"), web_charset("no-such-charset"), web_charset("hex")
    ('cp1252', 'utf-8', None, None)
    """
    try:
        info = codecs.lookup(label.strip().strip("\"'"))
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):  # "hex", "base64", "rot13", "zlib": not charsets
        return None
    return _WEB_SUPERSET.get(info.name, info.name)


def _declared_charset(head: bytes) -> Union[str, None]:
    match = _DECLARED.search(head)
    if not match:
        return None
    return web_charset((match.group(1) or match.group(2)).decode("ascii"))


def _bom_charset(data: bytes) -> Union[str, None]:
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                      (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return name
    return None


def _utf16_without_bom(data: bytes) -> Union[str, None]:
    """``utf-16-le``/``-be`` when the zero bytes sit on one side of each pair (ASCII-range
    text in UTF-16 with no BOM, which also decodes as UTF-8 full of NULs), else None.

    >>> _utf16_without_bom("Hello, world".encode("utf-16-le")), _utf16_without_bom(b"Hello, world")
    ('utf-16-le', None)
    """
    head = data[:4096]
    pairs = len(head) // 2
    if pairs < 4:
        return None
    even, odd = head[0:2 * pairs:2].count(0), head[1:2 * pairs:2].count(0)
    if odd >= 0.3 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def _decode_bytes(data: bytes) -> str:
    charset = _bom_charset(data) or _utf16_without_bom(data)
    if charset:
        return data.decode(charset, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data[:4096])
    if declared and not declared.startswith("utf-16"):
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    return data.decode(_detected_charset(data), errors="replace")


def _plain_western(data: bytes) -> bool:
    """Mostly ASCII with a few Latin letters in windows-1252: a legacy Western page."""
    try:
        text = data[:50_000].decode("cp1252")
    except UnicodeDecodeError:
        return False
    extra = [c for c in text if not c.isascii()]
    return len(extra) <= 0.1 * len(text) and all(_LATIN.match(c) or c in _CP1252_PUNCT for c in extra)


def _detected_charset(data: bytes) -> str:
    """charset-normalizer's guess; windows-1252 (the web's legacy default) when the text reads
    as plain Western text in it or it is as plausible as the guess."""
    if _plain_western(data):
        return "cp1252"
    matches = from_bytes(data[:200_000])
    best = matches.best()
    if best is None:
        raise InputError("bytes are not text in any encoding cleaner could detect (binary data?)")
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos + _CHAOS_TOLERANCE:
            return "cp1252"
    return best.encoding


def _control_count(data: bytes) -> int:
    r"""How many of ``_CONTROL``'s characters the UTF-8 ``data`` holds (a C-speed count,
    unlike ``findall``).

    >>> text = "a\x00b\x07c\n\té\x7f"
    >>> _control_count(text.encode("utf-8")), len(_CONTROL.findall(text))
    (3, 3)
    """
    return len(data) - len(data.translate(None, _CONTROL_BYTES))


def decode(source: Union[str, bytes, bytearray, memoryview]) -> str:
    """Return ``source`` as text; bytes are decoded by BOM, UTF-8, declared or detected charset.

    Raises :class:`TypeError` for other types and :class:`InputError` for binary junk.
    """
    if isinstance(source, str):
        text = source
    elif isinstance(source, (bytes, bytearray, memoryview)):
        text = _decode_bytes(bytes(source))
    else:
        raise TypeError(f"cleaner takes str or bytes, not {type(source).__name__}")
    # One UTF-8 copy answers both checks at C speed (a regex over a 300 KB str took about 1 ms).
    data = text.encode("utf-8", "surrogatepass")
    if not text.isascii() and _SURROGATE_UTF8.search(data):
        text = _without_lone_surrogates(text)
        data = text.encode("utf-8")
    head = data[:_SAMPLE_BYTES]
    controls = _control_count(head)
    if controls >= _BINARY_MIN and controls > _BINARY_SHARE * len(head):
        raise InputError("input looks binary (many control characters), not a web page or text")
    if controls or (len(data) > len(head) and _control_count(data)):
        return _CONTROL.sub("", text)
    return text


def _without_lone_surrogates(text: str) -> str:
    r"""``text`` with each UTF-16 surrogate pair joined into its character and each lone
    surrogate (a string cut inside a pair, ``"\ud83d"`` in JSON) made U+FFFD: the HTML parser
    stops reading at a lone one, and the rest of the page was lost.

    >>> _without_lone_surrogates("a\ud83d\ude00 b\ud83d c") == "a\U0001F600 b\ufffd c"
    True
    """
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def looks_like_html(text: str) -> bool:
    """True when ``text`` opens as an HTML document, or with any tag (after a BOM, an XML
    declaration or comments) and closes one, or holds ``HTML_MIN_TAGS`` block or inline tags
    (p, div, a, span, li, h1...) in its first 5,000 characters, on a quarter of its lines or more,
    with a closing tag or a <br>/<p> set against text; a text that quotes a tag or two, names
    several apart from its words, or quotes markup on a few of its lines, stays text.

    >>> looks_like_html("<div><p>Hi</p></div>"), looks_like_html("Wrap it in a <p> tag, then close it with </p>.")
    (True, False)
    """
    head = text[:5000]
    closes = _CLOSING_TAG.search(head) is not None
    if _HTML_DOCUMENT.match(head) or (closes and _HTML_OPENS.match(head)):
        return True
    if not (closes or _TOUCHING_TAG.search(head)):
        return False  # a text that names tags ("use <p>, <div> or <li>") closes none and sets them apart
    tags = 0
    for _ in _HTML_TAG.finditer(head):
        tags += 1
        if tags >= HTML_MIN_TAGS:
            return _markup_throughout(head)
    return False


def _markup_throughout(head: str) -> bool:
    r"""At least ``HTML_TAG_LINES`` of the lines hold a tag: a text whose few lines quote markup
    (a tutorial's code sample) stays text, as it was before its chrome was cleaned away.

    >>> _markup_throughout("Intro<p>a</p>\n<p>b</p>"), _markup_throughout("Say hi.\nUse <p>.\nBye.\nOk.\nNo.")
    (True, False)
    """
    lines = [line for line in head.split("\n") if line.strip()]
    return sum(1 for line in lines if _HTML_TAG.search(line)) >= HTML_TAG_LINES * len(lines)
