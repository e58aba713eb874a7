"""One frozen options object that the Python API, the CLI and integrations all build."""
from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any, Literal, Optional, Tuple, Union

LanguageOption = Union[None, bool, str]


@dataclass(frozen=True)
class Options:
    """How to clean a page.

    ``rules``: user rules, as YAML paths and/or rule objects, run after the built-in packs.
    ``builtin_rules``: load the packs under ``rules/`` and installed plugins.
    ``language``: ``None`` detects the page language, ``False`` turns the stage off,
    a code such as ``"en"`` forces it. ``detector``: run the body detector and, after it,
    the edges stage that trims title-like lines around the body (text mode); on an HTML
    page whose extraction keeps next to nothing, clean its visible text so too
    (:func:`cleaner.engine.rescue_from_visible_text`).
    ``detector_threshold``: the body score a block needs to stay, in (0, 1); ``None``
    uses the shipped model's (0.5). Higher keeps less chrome and loses more body.
    ``detector_weights``: a weights JSON written by ``bench/train_detector.py`` (a
    detector trained on your own pages), used on every page (but those without case when
    ``detector_weights_caseless`` is given too); ``None`` uses the shipped
    ones (a second set for pages without case, :func:`cleaner.detector.model.shipped_model`).
    ``detector_weights_caseless``: weights from ``train_detector.py --caseless`` for the
    pages without case (:func:`cleaner.detector.features.reads_case`); with it, the pages
    that read case get ``detector_weights`` (or the shipped ones).
    ``keep_captions``: turn off the caption and credit rules (in text mode the detector
    may still drop such a line as chrome).
    ``mode``: ``"auto"`` sniffs HTML vs text. ``regex_timeout``: seconds one rule
    pattern may spend on one block (all the patterns on one page: 10 times that, or once
    for every 100 blocks of a longer page). ``max_bytes``: larger input is refused with an error.
    """

    rules: Tuple[Any, ...] = ()
    builtin_rules: bool = True
    language: LanguageOption = None
    detector: bool = True
    detector_threshold: Optional[float] = None
    detector_weights: Optional[str] = None
    detector_weights_caseless: Optional[str] = None
    keep_captions: bool = False
    mode: Literal["auto", "text", "html"] = "auto"
    regex_timeout: float = 1.0
    max_bytes: int = 20_000_000

    def __post_init__(self) -> None:
        """Check every value, however the options were built (``Options(...)`` directly, or
        ``from_kwargs``); ``rules`` becomes a tuple and the detector weights absolute paths."""
        object.__setattr__(self, "rules", _as_tuple(self.rules))
        if self.mode not in ("auto", "text", "html"):
            raise ValueError(f"mode must be 'auto', 'text' or 'html', not {self.mode!r}")
        language = self.language
        if not (language is None or language is False or isinstance(language, str)):
            raise ValueError(f"language must be None (detect it), False (no language stage) or a code "
                             f"such as 'en', not {language!r}")
        if isinstance(language, str) and language:
            from .language import known_languages, normalise_code
            if normalise_code(language) not in known_languages():
                raise ValueError(f"language {language!r} is not a code the language stage knows (one of "
                                 f"{', '.join(sorted(known_languages()))}); to detect the language leave it out "
                                 "(--language auto), to turn the stage off pass False (--language off)")
        timeout = self.regex_timeout
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout < float("inf"):
            raise ValueError(f"regex_timeout must be a number of seconds above 0, not {timeout!r}")
        max_bytes = self.max_bytes
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0:
            raise ValueError(f"max_bytes must be a whole number above 0, not {max_bytes!r}")
        threshold = self.detector_threshold
        if threshold is not None and not (isinstance(threshold, (int, float)) and 0 < threshold < 1):
            raise ValueError(f"detector_threshold must be a number between 0 and 1, not {threshold!r}")
        for name in ("detector_weights", "detector_weights_caseless"):
            if getattr(self, name) is not None:
                from .detector import load_model
                # Absolute: worker processes (Ray's in particular) may run in another directory.
                path = os.path.abspath(os.path.expanduser(os.fspath(getattr(self, name))))
                object.__setattr__(self, name, path)
                load_model(path)  # a missing or broken file fails here, before any page

    @classmethod
    def from_kwargs(cls, **kwargs: Any) -> "Options":
        """Build options from keyword arguments, rejecting unknown names (the values are
        checked by ``__post_init__``)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(kwargs) - known)
        if unknown:
            raise TypeError(f"unknown cleaner option(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return cls(**kwargs)

    @classmethod
    def checked(cls, **kwargs: Any) -> "Options":
        """:meth:`from_kwargs`, then the rules loaded (built-in packs, plugins and the user's
        files): a bad option or a missing or broken rules file raises here, before any page."""
        from .rules.registry import all_rules

        options = cls.from_kwargs(**kwargs)
        all_rules(options.rules, options.builtin_rules)
        return options


def language_option(word: str) -> Any:
    """A ``--language`` / ``CLEANER_LANGUAGE`` word as the ``language`` option: "auto" is
    None (detect), "off" is False (no language stage), any other word a code.

    >>> language_option("auto"), language_option("OFF"), language_option("pt-BR")
    (None, False, 'pt-BR')
    """
    return {"auto": None, "off": False}.get(word.lower(), word)


def _as_tuple(value: Any) -> Tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return (value,)
