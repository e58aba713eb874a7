"""Where rules come from: built-in packs, installed plugins, the user's files.

The registry is data: the packs are YAML files shipped in the wheel (the repo's
``rules/`` directory, installed as ``cleaner.packs``), plugins are entry points
in the group ``cleaner.rules``. Each entry point names a :class:`Rule`
subclass, a rule instance, a list of them, or a function returning a list.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any, Iterable, List, Optional, Sequence, Tuple

from ..errors import RuleError
from .loader import check_unique, load_rule_file, load_rules_text
from .model import Rule

PLUGIN_GROUP = "cleaner.rules"


def _pack_dir(folder: str) -> Any:
    """A folder of the shipped packs (``sites`` or ``generic``), as an importlib resource."""
    return resources.files("cleaner").joinpath("packs").joinpath(folder)


def _pack_files(folder: str) -> List[Any]:
    root = _pack_dir(folder)
    if not root.is_dir():
        return []
    return sorted((f for f in root.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)


def pack_path(source: str) -> Optional[Path]:
    """The file behind a built-in rule's ``source`` ("rules/generic/x.yaml:3"), resolved;
    None for a source outside the packs."""
    folder, _, name = (source.rpartition(":")[0] or source).removeprefix("rules/").partition("/")
    if not name or folder not in ("sites", "generic"):
        return None
    return Path(str(_pack_dir(folder).joinpath(name))).resolve()


@lru_cache(maxsize=1)
def builtin_rules() -> Tuple[Rule, ...]:
    """Site packs first, then generic packs, each in file-name order (read once)."""
    rules: List[Rule] = []
    for folder in ("sites", "generic"):
        for f in _pack_files(folder):
            rules.extend(load_rules_text(f.read_text(encoding="utf-8"), f"rules/{folder}/{f.name}"))
    check_unique(rules)
    return tuple(rules)


def _as_rules(obj: Any, name: str) -> List[Rule]:
    """The rules a plugin object gives (a Rule, a Rule class, a factory, or an iterable of
    them); ``RuleError`` naming ``name`` when building them fails or gives something else."""
    try:
        if isinstance(obj, type) and issubclass(obj, Rule):
            obj = obj()
        elif callable(obj) and not isinstance(obj, Rule):
            obj = obj()
        items = [obj] if isinstance(obj, Rule) else list(obj)
    except Exception as exc:  # a plugin's own bug: name the plugin, not a bare traceback
        raise RuleError(f"plugin {name!r} failed to build its rules: {type(exc).__name__}: {exc}") from exc
    for item in items:
        if not isinstance(item, Rule) or not item.id:
            raise RuleError(f"plugin {name!r} gave {item!r}, not a cleaner Rule with an id")
    return items


@lru_cache(maxsize=1)
def plugin_rules() -> Tuple[Rule, ...]:
    """Rules from installed packages' ``cleaner.rules`` entry points, by entry-point name."""
    rules: List[Rule] = []
    for ep in sorted(metadata.entry_points(group=PLUGIN_GROUP), key=lambda e: e.name):
        try:
            loaded = ep.load()
        except Exception as exc:  # ImportError, AttributeError... in the plugin's package
            raise RuleError(f"plugin {ep.name!r} ({ep.value}) failed to load: {type(exc).__name__}: {exc}") from exc
        for rule in _as_rules(loaded, f"{ep.name} ({ep.value})"):
            if rule.source == Rule.source:  # name the package's entry point, not "<python>"
                try:
                    rule.source = f"entry point {ep.name} ({ep.value})"
                except AttributeError:  # a rule class that makes ``source`` read-only keeps its own
                    pass
            rules.append(rule)
    return tuple(rules)


def resolve_rules(specs: Sequence[Any]) -> Tuple[Rule, ...]:
    """YAML paths and/or rule objects as rules, in the order given (ids not checked)."""
    rules: List[Rule] = []
    for spec in specs:
        if isinstance(spec, (str, Path)):
            rules.extend(_cached_file(str(Path(spec).resolve()), _mtime(spec)))
        else:
            rules.extend(_as_rules(spec, repr(spec)))
    return tuple(rules)


def user_rules(specs: Sequence[Any]) -> Tuple[Rule, ...]:
    """The ``rules=`` argument: YAML paths and/or rule objects, in the order given, each id once."""
    rules = resolve_rules(specs)
    check_unique(rules)
    return rules


def _mtime(path: "str | Path") -> float:
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return 0.0


@lru_cache(maxsize=64)
def _cached_file(path: str, mtime: float) -> Tuple[Rule, ...]:
    """A user file is parsed once per process (and again when it changes)."""
    return tuple(load_rule_file(path))


def all_rules(specs: Sequence[Any] = (), builtin: bool = True) -> Tuple[Tuple[str, Tuple[Rule, ...]], ...]:
    """The rule stages in running order: (stage name, rules)."""
    base = builtin_rules() if builtin else ()
    stages = (
        ("site", tuple(r for r in base if r.domains)),
        ("generic", tuple(r for r in base if not r.domains)),
        ("user", user_rules(specs)),
        ("plugin", plugin_rules() if builtin else ()),
    )
    check_unique(r for _, rules in stages for r in rules)
    return stages


def describe(rules: Iterable[Rule]) -> List[dict]:
    """Rows for ``cleaner rules list``: id, summary, scope, source."""
    return [{"id": r.id, "summary": r.summary, "scope": r.scope, "category": r.category, "source": r.source}
            for r in rules]
