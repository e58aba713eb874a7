"""The one document model every stage reads: blocks with positions, and removals.

Plain frozen dataclasses, no behaviour from the layers above. A page becomes a
:class:`Document` (ordered :class:`Block` objects); each stage returns
:class:`Removal` records; the engine folds them into a :class:`CleanResult`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Mapping, Optional, Tuple

BlockKind = Literal["paragraph", "heading", "list_item", "quote", "table", "code", "line"]
Mode = Literal["text", "html"]


@dataclass(frozen=True)
class Block:
    """One unit of the page, in reading order.

    ``index`` is the block's position in the document (0-based, stable: it is
    the key of the audit trail). ``line`` is the 1-based line of the input the
    block starts on (text mode) or its order in the extracted tree (HTML mode).
    ``gap_before`` counts the blank lines between this block and the previous
    one in text mode (0 in HTML mode). ``kind`` is ``"line"`` for text mode,
    where the structure is unknown, and the element kind in HTML mode.
    """

    index: int
    text: str
    kind: BlockKind = "line"
    line: int = 0
    gap_before: int = 0


@dataclass(frozen=True)
class Removal:
    """Why a block (or a span inside it) went.

    ``span`` is ``None`` when the whole block is removed, else ``(start, end)``
    offsets for an inline strip (an image URL inside a sentence) into the block's
    text as the rule saw it: the original, or what spans applied before it left
    (:func:`cleaner.ledger.seen_texts` gives that text for each removal). ``score``:
    for ``body-detector`` the block's body score (low: surely chrome), for
    ``language-mismatch`` langdetect's probability of the other language, else ``None``.
    """

    index: int
    rule: str
    stage: str
    reason: str
    span: Optional[Tuple[int, int]] = None
    score: Optional[float] = None


@dataclass(frozen=True)
class Metadata:
    """What the page says about itself; never part of the body text."""

    title: Optional[str] = None
    author: Optional[str] = None
    date: Optional[str] = None
    url: Optional[str] = None
    sitename: Optional[str] = None


@dataclass(frozen=True)
class Document:
    """A page as the stages see it: ordered blocks plus what is known about it."""

    blocks: Tuple[Block, ...]
    mode: Mode = "text"
    url: Optional[str] = None
    domain: Optional[str] = None
    metadata: Metadata = field(default_factory=Metadata)
    #: Blocks dropped while the page was read (HTML mode: the headline, lone links,
    #: pieces outside the story, promo and declared boxes); the engine records them
    #: first in the audit trail.
    extracted_removals: Tuple["Removal", ...] = ()
    #: Why HTML mode could not read the page (then its blocks are the text between its tags,
    #: cleaned in text mode); None when it could.
    read_error: Optional[str] = None
    #: HTML mode: trafilatura's jusText check could not read the page's language (see
    #: :class:`cleaner.extract.Extraction`); its extraction may have stopped after the lead.
    justext_blind: bool = False

    def __len__(self) -> int:
        return len(self.blocks)


@dataclass(frozen=True)
class CleanResult:
    """The outcome of cleaning one page.

    ``blocks`` are the kept blocks (text after any span strips), in order;
    ``removals`` is the audit trail, in the order the stages decided.
    ``text`` joins the kept blocks with a blank line between them.
    """

    blocks: Tuple[Block, ...]
    removals: Tuple[Removal, ...]
    document: Document
    language: Optional[str] = None
    metadata: Metadata = field(default_factory=Metadata)
    stats: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)
