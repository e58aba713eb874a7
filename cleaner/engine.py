"""The engine: decode -> segment -> rule stages -> language -> detector -> edges -> result
(HTML that keeps next to nothing: the rescue from its visible text).

Every stage returns :class:`~cleaner.document.Removal` records; the
:class:`~cleaner.ledger.Ledger` applies them, so each block ends kept or
removed exactly once and the audit says by whom and why.
"""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple
from urllib.parse import urlsplit

from . import language as lang
from .config import Options
from .decode import decode, looks_like_html
from .document import Block, CleanResult, Document, Metadata, Removal
from .errors import ExtractionError, InputError, RuleError, RuleTimeout
from .edges import trim_edges
from .ledger import Ledger
from .metadata import fill_metadata
from .rules.model import Page, RegexBudget, Rule, host_name
from .rules.prefilter import PageScreen
from .rules.registry import all_rules
from .segment import split_text
from .textshape import ends_sentence, word_count

if TYPE_CHECKING:
    from .detector.features import Memo

LOGGER = logging.getLogger(__name__)


def domain_of(url: Optional[str]) -> Optional[str]:
    """The host of ``url`` without a leading ``www.``, lower-cased.

    >>> domain_of("https://WWW.Example.co.uk/a?b=1"), domain_of("http://[::1"), domain_of("https://bücher.de./x")
    ('example.co.uk', None, 'xn--bcher-kva.de')

    A URL that does not parse names no host: the page is still cleaned, by the rules of
    every site (a crawler's broken URL must not cost the record).
    """
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:  # "http://[::1": an unclosed IPv6 bracket, a bad port...
        return None
    return host_name(host) or None


def build_document(source: Any, url: Optional[str], options: Options) -> Document:
    """Decode ``source`` and cut it into blocks (HTML through trafilatura, text by lines)."""
    return document_of(decoded(source, options), url, options)


def decoded(source: Any, options: Options) -> str:
    """``source`` as text (:func:`~cleaner.decode.decode`), refused when over ``options.max_bytes``."""
    size = len(source) if isinstance(source, (bytes, bytearray)) else \
        source.nbytes if isinstance(source, memoryview) else _utf8_size(source, options.max_bytes) \
        if isinstance(source, str) else 0
    if size > options.max_bytes:
        raise InputError(f"page is {size:,} bytes (UTF-8), over max_bytes={options.max_bytes:,}; "
                         "raise max_bytes (--max-bytes) to clean it")
    return decode(source)


def _utf8_size(text: str, limit: int) -> int:
    """The size of ``text`` in UTF-8 bytes (counted only when it could pass ``limit``: a
    character is at most four bytes)."""
    if text.isascii() or 4 * len(text) <= limit:
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def document_of(text: str, url: Optional[str], options: Options) -> Document:
    """The blocks of a decoded page: HTML through trafilatura, text by lines."""
    html = options.mode == "html" or (options.mode == "auto" and looks_like_html(text))
    read_error, justext_blind = None, False
    if html:
        from .extract import extract_page
        try:
            blocks, metadata, dropped, justext_blind = extract_page(text, url)
        except ExtractionError as error:
            LOGGER.warning("%s: %s; cleaning the text between its tags instead", url or "page", error)
            from .tagtext import text_between_tags
            # What the page's head gave before the failure still holds.
            blocks, metadata, dropped = split_text(text_between_tags(text)), error.metadata or Metadata(), []
            read_error = str(error)
        metadata = replace(metadata, url=metadata.url or url)
    else:
        blocks, metadata, dropped = split_text(text), Metadata(url=url), []
    # Without a URL, an HTML page's own canonical URL (or og:url) names its site for site rules.
    return Document(blocks=tuple(blocks), mode="html" if html and read_error is None else "text", url=url,
                    domain=domain_of(url or metadata.url), metadata=metadata, extracted_removals=tuple(dropped),
                    read_error=read_error, justext_blind=justext_blind)


Seen = Dict[str, Set[Tuple[int, str]]]


def run_rule_stage(ledger: Ledger, stage: str, rules: Sequence[Rule], doc: Document,
                   language: Optional[str], options: Options, seen: Optional[Seen] = None,
                   screen: Optional[PageScreen] = None, budget: Optional[RegexBudget] = None) -> None:
    """Run ``rules`` in order; each sees the blocks still alive after the ones before it.

    ``seen`` remembers which block texts each context-free rule has judged, so
    later passes only show it blocks whose text changed. ``screen`` (built from
    ``rules`` when not given) answers, in one call a block, which pattern rules of
    the stage may fire on it; each is shown only those blocks. A rule with a
    ``hint()`` sees every block and is told which ones its pattern may be in.
    ``budget``: the time the rules' pattern calls may still take on the page, all passes
    and stages together (:func:`regex_budget`); None for no page budget.
    """
    if screen is None:
        screen = PageScreen.of(rules, options.regex_timeout)
    # ledger.alive() returns the same tuple until a removal lands, so the
    # screened blocks are worked out again only after a rule removed something.
    alive: Tuple[Block, ...] = ()
    screened: Dict[Any, List[Block]] = {}
    for rule in rules:
        if not rule.applies_to(doc.domain) or not rule.runs_in(doc.mode):
            continue
        if options.keep_captions and rule.category in ("caption", "credit"):
            continue
        blocks = ledger.alive()
        narrowed = False
        key, hint = screen.key(rule), screen.hint_key(rule)
        if (key is not None or hint is not None) and blocks is not alive:
            alive, screened = blocks, screen.blocks_by_key(blocks)
        if key is not None:
            blocks, narrowed = tuple(screened.get(key, ())), True
        if rule.context_free and seen is not None:
            done = seen.setdefault(rule.id, set())
            blocks = tuple(b for b in blocks if (b.index, b.text) not in done)
            done.update((b.index, b.text) for b in blocks)
            narrowed = True
        if narrowed and not blocks:
            continue
        hinted = None if hint is None else frozenset(b.index for b in screened.get(hint, ()))
        page = Page(doc, blocks, language, options.regex_timeout, hinted, budget)
        ledger.apply_all(_checked(rule, page, stage, doc, ledger))


def _checked(rule: Rule, page: Page, stage: str, doc: Document, ledger: Ledger) -> Iterable[Removal]:
    """``rule``'s removals on ``page`` in ``stage``, checked: a rule that raises, or returns
    something other than a removal of a block of this page with a span inside its text,
    is a :class:`RuleError` naming the rule (a plugin's bug must not read as a bad page,
    or duplicate text through a reversed span)."""
    def error(message: str) -> RuleError:
        return RuleError(f"rule {rule.id!r} ({type(rule).__name__}) {message}", path=getattr(rule, "source", None))

    try:
        found = list(rule.find(page))
    except (RuleError, RuleTimeout):
        raise
    except Exception as exc:
        raise error(f"failed: {type(exc).__name__}: {exc}") from exc
    for removal in found:
        if not isinstance(removal, Removal):
            raise error(f"returned {removal!r}, not a cleaner Removal")
        if removal.rule != rule.id:  # the audit trail names the rule that removed the text
            raise error(f"returned a removal under the id {removal.rule!r}, not its own")
        if not _is_int(removal.index) or not 0 <= removal.index < len(doc.blocks):
            raise error(f"removed block {removal.index!r}; the page has blocks 0 to {len(doc.blocks) - 1}")
        if removal.span is not None and not (isinstance(removal.span, tuple) and len(removal.span) == 2
                                             and all(map(_is_int, removal.span))):
            raise error(f"cut span {removal.span!r}; a span is a (start, end) tuple of character offsets")
        if removal.span is not None and not 0 <= removal.span[0] < removal.span[1] <= len(ledger.text(removal.index)):
            raise error(f"cut span {removal.span} from block {removal.index}, "
                        f"which holds {len(ledger.text(removal.index))} characters")
        yield removal if removal.stage == stage else replace(removal, stage=stage)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _language_stage(ledger: Ledger, language: Optional[str], memo: Dict[Any, lang.Verdict]) -> None:
    if language:
        ledger.apply_all(lang.off_language(ledger.alive(), language, memo=memo))


def _detector_stage(ledger: Ledger, language: Optional[str], options: Options, as_output: bool = False,
                    memo: Optional["Memo"] = None) -> None:
    """``as_output``: the blocks are laid out as the output text lays them out (one blank line
    between two), as cleaning that output again would read them. ``memo``: the detector's
    per-text measurements, kept between the passes over one page."""
    from .detector import classify_blocks, load_model
    blocks = ledger.alive()
    if as_output:
        blocks = tuple(replace(b, gap_before=1 if i else 0) for i, b in enumerate(blocks))
    model = load_model(options.detector_weights) if options.detector_weights else None
    caseless = load_model(options.detector_weights_caseless) if options.detector_weights_caseless else None
    verdicts = classify_blocks(blocks, language, model=model, threshold=options.detector_threshold, memo=memo,
                               caseless=caseless)
    ledger.apply_all(
        Removal(block.index, "body-detector", "detector", v.reason, score=round(v.score, 3))
        for block, v in zip(blocks, verdicts) if not v.keep)


def resolve_language(option: Any, blocks: Sequence[Block]) -> Optional[str]:
    """``None`` detects, ``False`` turns the stage off, a code forces it."""
    if option is False:
        return None
    if isinstance(option, str) and option:
        return lang.normalise_code(option)
    return lang.page_language(blocks)


# The rules' pattern calls on one page may take, in all, regex_timeout once for every
# REGEX_BUDGET_BLOCKS blocks, and never less than REGEX_BUDGET_MIN times regex_timeout (a page of
# the dev sets takes about 0.05 ms a block; a 56,000-paragraph page a few seconds in all). Only
# the time inside the calls counts.
REGEX_BUDGET_MIN = 10
REGEX_BUDGET_BLOCKS = 100


def regex_budget(document: Document, options: Options) -> float:
    """Seconds the rules' patterns may take on ``document`` in all (one call: ``regex_timeout``)."""
    return options.regex_timeout * max(REGEX_BUDGET_MIN, len(document.blocks) / REGEX_BUDGET_BLOCKS)


MAX_PASSES = 8
# HTML mode runs one pass: after trafilatura's extraction a second one almost never finds more
# (one train page of 1,355 moved; docs/measurements.md) and it cost 30 % of pages a second run
# of every stage. Its output is text: cleaned again, it takes text mode's passes.
HTML_PASSES = 1


def _one_pass(ledger: Ledger, stages: Sequence[Tuple[str, Sequence[Rule]]], document: Document,
              language: Optional[str], options: Options, seen: Seen, screens: Dict[str, PageScreen],
              verdicts: Dict[Any, lang.Verdict], budget: RegexBudget, first: bool = True,
              measured: Optional["Memo"] = None) -> None:
    for stage, rules in stages:
        run_rule_stage(ledger, stage, rules, document, language, options, seen, screens[stage], budget)
    if options.language is not False:
        _language_stage(ledger, language, verdicts)
    if options.detector and document.mode == "text" and ledger.alive():
        # The detector is a model of page text; on HTML, trafilatura's DOM
        # extraction has done that job (the detector measured worse there).
        # After the first pass the blocks are read as the output lays them out (a blank line
        # between two), as cleaning the output again reads them: the fixpoint is then the output's.
        _detector_stage(ledger, language, options, as_output=not first, memo=measured)
        ledger.apply_all(trim_edges(ledger.alive()))


def run(document: Document, options: Options) -> CleanResult:
    """Run every stage over ``document`` and keep the audit trail.

    Stages read context (neighbours, position in the page), so removing chrome
    can expose more; in text mode the passes repeat until one removes nothing, which makes
    ``clean(clean(x)) == clean(x)`` for text input. HTML mode runs ``HTML_PASSES`` (an HTML
    page's output is text: cleaned again, it goes through text mode's detector and edges).
    """
    budget = RegexBudget(regex_budget(document, options))
    ledger = Ledger(document)
    ledger.apply_all(document.extracted_removals)
    stages = all_rules(options.rules, options.builtin_rules)
    language = resolve_language(options.language, ledger.alive()) if ledger.alive() else None
    seen: Seen = {}
    # One screen a stage for the whole page: its answers hold in every pass.
    screens = {stage: PageScreen.of(rules, options.regex_timeout) for stage, rules in stages}
    verdicts: Dict[Any, lang.Verdict] = {}  # the language stage's verdict on each block text
    measured: Optional["Memo"] = None  # the detector's measurements of each block text, kept between passes
    if options.detector and document.mode == "text":
        from .detector.features import Memo
        measured = Memo()
    passes = MAX_PASSES if document.mode == "text" else HTML_PASSES
    for done in range(1, passes + 1):
        before = len(ledger.removals)
        _one_pass(ledger, stages, document, language, options, seen, screens, verdicts, budget, first=done == 1,
                  measured=measured)
        if len(ledger.removals) == before or done == passes:
            break
        # The next pass reads the page language from what is left, as cleaning the output
        # again would: a vote that chrome or a dropped paragraph swung is taken again.
        # Not after the last pass: on HTML pages a vote on what is left was wrong more
        # often than the first (docs/measurements.md), and it cost a vote a page.
        language = resolve_language(options.language, ledger.alive()) if ledger.alive() else None
    counts = Counter(r.rule for r in ledger.removals)
    # What the page's markup (or, in text mode, nothing) did not give, the removals may:
    # the byline and date lines the rules took, a headline the detector dropped.
    metadata = fill_metadata(document.metadata, document.blocks, ledger.alive(), ledger.removals, language)
    return CleanResult(blocks=ledger.alive(), removals=tuple(ledger.removals), document=document,
                       language=language, metadata=metadata,
                       stats={"blocks_in": len(document.blocks), "blocks_out": len(ledger.alive()),
                              "removed_by_rule": dict(counts)})


# HTML mode: when what the page's extraction keeps is under RESCUE_WORDS words, the page's
# visible text is cleaned in text mode too, and that result is taken when it keeps at least
# RESCUE_RATIO times as many words and a sentence of RESCUE_SENTENCE_WORDS words or more
# (trafilatura found next to nothing on a page that has a body: a forum thread, a listing, a
# story in an element it skips). Chosen on the train split (docs/measurements.md): 11 pages
# up, none down. An HTML result that already reads as a short story (RESCUE_BRIEF_WORDS
# words or more, one of its blocks a sentence of RESCUE_SENTENCE_WORDS+ words) stands: a news
# brief's visible text has teasers the detector might keep. A visible text over
# RESCUE_MAX_CHARS characters, or a page over four times that, is not tried (the text run
# costs about 2 s a megabyte).
RESCUE_WORDS = 50
RESCUE_BRIEF_WORDS = 20
RESCUE_RATIO = 4
RESCUE_SENTENCE_WORDS = 8
RESCUE_MAX_CHARS = 500_000


def _word_total(blocks: Iterable[Block]) -> int:
    return sum(word_count(b.text) for b in blocks)


def _has_a_sentence(blocks: Iterable[Block]) -> bool:
    return any(word_count(b.text) >= RESCUE_SENTENCE_WORDS and ends_sentence(b.text) for b in blocks)


# A page whose language jusText does not know (``Document.justext_blind``: Chinese, Japanese,
# Thai...): trafilatura checks a short or unclean extraction against jusText, and on other
# pages jusText's reading replaces one that stopped after the lead; here jusText keeps nothing
# and the lead stands. So the visible text is cleaned in text mode when the HTML kept anything,
# and the story it finds there is taken when it holds at least BLIND_RATIO times the HTML
# result's words: the HTML's blocks and the text-mode blocks kept next to them (blocks at most
# STORY_GAP dropped blocks apart), not the teasers and comments elsewhere on the page that
# the detector also kept. Measured on the train split's English pages with their letters
# swapped into another script, which jusText cannot read either (docs/measurements.md); no
# page of the dev sets as written is touched.
BLIND_RATIO = 2
STORY_GAP = 2


def _story_blocks(fallback: CleanResult, found: Sequence[Block]) -> Tuple[Block, ...]:
    """The story the HTML result ``found`` belongs to, on ``fallback``'s page: runs of blocks
    kept by either, at most ``STORY_GAP`` blocks apart, that hold a block of ``found`` (each
    text's first occurrence on the page); fallback's kept blocks there and ``found``'s own.
    Empty when under half of ``found``'s words are among the fallback page's blocks.

    >>> page = [Block(i, t) for i, t in enumerate(["Menu", "Lead.", "More.", "Share", "Ads", "Menu", "Teaser."])]
    >>> fallback = CleanResult(blocks=(page[2], page[6]), removals=(), document=Document(blocks=tuple(page)))
    >>> [b.text for b in _story_blocks(fallback, [Block(0, "Lead.")])]
    ['Lead.', 'More.']
    """
    from .pieces import compact
    page = fallback.document.blocks
    unseen = {compact(b.text) for b in found}
    anchors: Set[int] = set()
    for block in page:
        text = compact(block.text)
        if text in unseen:
            unseen.discard(text)
            anchors.add(block.index)
    if 2 * _word_total(page[i] for i in anchors) < _word_total(found):
        return ()
    kept = {b.index: b for b in fallback.blocks}
    members = sorted(anchors | kept.keys())
    story: Set[int] = set()
    run_start = 0
    for k in range(1, len(members) + 1):
        if k == len(members) or members[k] - members[k - 1] > STORY_GAP + 1:
            run = members[run_start:k]
            if anchors.intersection(run):
                story.update(run)
            run_start = k
    return tuple(kept.get(i, page[i]) for i in sorted(story))


def _a_story(blocks: Sequence[Block], words: int) -> bool:
    """An HTML result that stands without the rescue: ``RESCUE_WORDS`` words, or a brief."""
    return words >= RESCUE_WORDS or (words >= RESCUE_BRIEF_WORDS and _has_a_sentence(blocks))


def rescue_from_visible_text(result: CleanResult, html: str, options: Options) -> CleanResult:
    """``result`` of an HTML page, or, when it keeps under ``RESCUE_WORDS`` words and is not a
    brief, the text-mode result on the page's visible text if that keeps far more (see
    ``RESCUE_WORDS``); on a page jusText could not read, the story that result finds around
    the HTML's (see ``BLIND_RATIO``). The one taken says so in ``stats["fallback"]``. The
    text run starts from the metadata the HTML run found."""
    kept = _word_total(result.blocks)
    blind = result.document.justext_blind and kept > 0
    if not blind and _a_story(result.blocks, kept):
        return result
    from .extract import visible_text
    text = visible_text(html) if len(html) <= 4 * RESCUE_MAX_CHARS else ""
    if not text.strip() or len(text) > RESCUE_MAX_CHARS:
        return result
    page, lines = result.document, tuple(split_text(text))
    if kept and _word_total(lines) < min(BLIND_RATIO, RESCUE_RATIO) * kept:
        # Neither result could be taken: what the text run keeps, and the story, are some of
        # these lines, so they would hold under BLIND_RATIO (or RESCUE_RATIO) times the HTML's words.
        return result
    fallback = run(Document(blocks=lines, mode="text", url=page.url, domain=page.domain,
                            metadata=result.metadata), options)
    story = _story_blocks(fallback, result.blocks) if blind else ()
    if story and _word_total(story) >= BLIND_RATIO * kept:
        # The HTML's own blocks stay even where text mode dropped them: the rescue adds to the
        # HTML result. Text mode's other kept blocks go.
        taken = {b.index for b in story}
        removals = tuple(r for r in fallback.removals if r.index not in taken)
        away = tuple(Removal(b.index, "away-from-story", "rescue", "kept by text mode, but away from the "
                             "story the HTML extraction found") for b in fallback.blocks if b.index not in taken)
        reason = f"visible text: jusText could not read the page's language; the HTML extraction kept {kept} word(s)"
        return replace(fallback, blocks=story, removals=removals + away,
                       stats={**fallback.stats, "blocks_out": len(story),
                              "removed_by_rule": dict(Counter(r.rule for r in removals + away)), "fallback": reason})
    if (_a_story(result.blocks, kept) or _word_total(fallback.blocks) < max(1, RESCUE_RATIO * kept)
            or not _has_a_sentence(fallback.blocks)):
        return result
    reason = f"visible text: the HTML extraction kept {kept} word(s)"
    return replace(fallback, stats={**fallback.stats, "fallback": reason})


def clean_document(source: Any, url: Optional[str], options: Options) -> CleanResult:
    """Decode, segment and clean one page (an HTML page whose extraction keeps next to
    nothing is cleaned again from its visible text: :func:`rescue_from_visible_text`)."""
    if url is not None and not isinstance(url, str):
        raise TypeError(f"url must be a str or None, not {type(url).__name__}")
    text = decoded(source, options)
    document = document_of(text, url, options)
    result = run(document, options)
    if document.read_error:
        return replace(result, stats={**result.stats, "fallback": f"text between the tags: {document.read_error}"})
    if document.mode == "html" and options.detector:
        return rescue_from_visible_text(result, text, options)
    return result


def explain_lines(result: CleanResult) -> Iterable[Tuple[Block, Tuple[Removal, ...], Optional[str]]]:
    """Every input block, in page order, with the removals that touched it (in the order
    they were applied: spans, then maybe the removal that took the rest) and its kept text
    (None when it went, also when spans left nothing of it)."""
    applied: Dict[int, List[Removal]] = {}
    for removal in result.removals:
        applied.setdefault(removal.index, []).append(removal)
    kept = {b.index: b.text for b in result.blocks}
    for block in result.document.blocks:
        yield block, tuple(applied.get(block.index, ())), kept.get(block.index)
