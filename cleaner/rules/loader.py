"""Read rule files: safe YAML with line numbers, JSON Schema check, regex compilation.

Every problem becomes a :class:`~cleaner.errors.RuleError` that names the file,
the line and the field, with a hint for the usual mistakes (an unquoted value
holding ``: ``, an unknown field, a broken pattern).
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

import jsonschema
import regex
import yaml

from ..errors import RuleError
from .matchers import BlockMatcher, RestOfPageMatcher, RunAfterHeadingMatcher, SpanMatcher
from .model import Example, host_name
from .yaml_rule import Matcher, YamlRule

PathKey = Tuple[Any, ...]
MAX_VALUES = 100_000  # values one rules file may build (the shipped packs: a few thousand)
_PLAIN_HINT = "rule files are plain YAML: no tags such as !!python/... or !!binary, and no merge keys (<<)"


@lru_cache(maxsize=1)
def schema() -> Dict[str, Any]:
    """The JSON Schema of a rule file (``rules/schema.json``)."""
    return json.loads(resources.files("cleaner").joinpath("packs").joinpath("schema.json").read_text(encoding="utf-8"))


def _build(root: yaml.Node, file: str) -> Tuple[Any, Dict[PathKey, int]]:
    """Build plain Python data from a YAML node graph, recording each value's line by its path."""
    lines: Dict[PathKey, int] = {}
    constructor = yaml.constructor.SafeConstructor()
    inside: Set[yaml.Node] = set()

    def fail(message: str, node: yaml.Node, path: PathKey, hint: Optional[str] = None) -> RuleError:
        """The error at ``node``, naming this file, its line and the field."""
        return RuleError(message, path=file, line=node.start_mark.line + 1, field=_dotted(path), hint=hint)

    def scalar(node: yaml.Node, path: PathKey) -> Any:
        """A key or value as PyYAML's safe loader reads it."""
        try:
            return constructor.construct_object(node, deep=True)
        except yaml.MarkedYAMLError as exc:
            raise fail(f"not valid YAML: {exc.problem}", node, path, _PLAIN_HINT) from None
        except (ValueError, KeyError, AttributeError):  # what PyYAML raises for e.g. "!!int x"
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise fail(f"{node.value!r} is not a valid {tag}", node, path, _PLAIN_HINT) from None

    built = 0

    def build(node: yaml.Node, path: PathKey) -> Any:
        """The data of ``node``, at ``path`` in the file."""
        nonlocal built
        built += 1
        if built > MAX_VALUES:  # aliases of aliases ("billion laughs") multiply a small file
            raise fail(f"the file expands to more than {MAX_VALUES:,} values", node, path,
                       "aliases (*name) that repeat lists holding aliases multiply; write the values out")
        lines[path] = node.start_mark.line + 1
        if node in inside:
            raise fail("an alias (*name) refers to the anchor (&name) it is inside", node, path,
                       "an anchored list or mapping cannot contain itself")
        inside.add(node)
        out: Any
        if isinstance(node, yaml.MappingNode):
            out = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise fail("a key must be plain text, not a list or mapping", key_node, path,
                               "a line starting with '? ' or a key in [] or {} makes such a key; quote it")
                key = scalar(key_node, path)
                if key in out:
                    raise fail(f"duplicate key {key!r}", key_node, path + (key,))
                out[key] = build(value_node, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            out = [build(item, path + (i,)) for i, item in enumerate(node.value)]
        else:
            out = scalar(node, path)
        inside.discard(node)
        return out

    return build(root, ()), lines


def _dotted(path: Iterable[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<top>"


def _line_of(path: PathKey, lines: Dict[PathKey, int]) -> Optional[int]:
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


def _wants_text(error: jsonschema.ValidationError) -> bool:
    """The schema asked for a string where the error is (directly, or as one of its options)."""
    options = [error.schema] + list(error.schema.get("oneOf", [])) + list(error.schema.get("anyOf", []))
    return any(isinstance(o, dict) and o.get("type") == "string" for o in options)


def _hint(error: jsonschema.ValidationError) -> Optional[str]:
    value = error.instance
    if (isinstance(value, dict) and len(value) == 1 and not {"input", "output"} & set(value)
            and error.validator != "additionalProperties" and _wants_text(error)):
        key, val = next(iter(value.items()))
        return f"YAML read this as a mapping {{{key!r}: {val!r}}}; quote text that contains ': ', e.g. \"{key}: {val}\""
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return f"known fields here: {', '.join(allowed)}"
    if error.validator == "pattern" and error.path and error.path[-1] == "id":
        return "rule ids are kebab-case: lowercase letters, digits and single hyphens"
    return None


def _read_yaml(text: str, path: str) -> Tuple[Any, Dict[PathKey, int]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is None:
            raise RuleError("the file is empty; it needs a top-level 'rules:' list", path=path, line=1)
        return _build(node, path)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        hint = "a value holding ': ' or starting with a quote, '*', '&', '!' or '%' must be quoted"
        raise RuleError(f"not valid YAML: {exc.problem or exc}", path=path,
                        line=mark.line + 1 if mark else None, hint=hint) from None
    except yaml.reader.ReaderError as exc:
        code = f"{exc.character:04x}"
        raise RuleError(f"not valid YAML: unprintable character #x{code}", path=path,
                        line=text.count("\n", 0, exc.position) + 1,
                        hint=f'remove it, or write it as an escape in double quotes, e.g. "\\u{code}"') from None
    except RecursionError:
        raise RuleError("not valid YAML: lists or mappings nested too deeply", path=path) from None


_MORE_SHOWN = 5  # schema problems listed after the first


def _validate(data: Any, lines: Dict[PathKey, int], path: str) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (_line_of(tuple(e.absolute_path), lines) or 0))
    if not errors:
        return
    first = jsonschema.exceptions.best_match(errors)
    where = tuple(first.absolute_path)
    others = [e for e in errors if e is not first][:_MORE_SHOWN]
    more = "".join(f"\n  also line {_line_of(tuple(e.absolute_path), lines)}, field {_dotted(e.absolute_path)!r}: "
                   f"{e.message[:200]}" for e in others)
    if len(errors) - 1 > len(others):
        more += f"\n  (and {len(errors) - 1 - len(others)} more problem(s))"
    raise RuleError(first.message + more, path=path, line=_line_of(where, lines),
                    field=_dotted(where), hint=_hint(first))


# Ordinary texts in a few scripts: a pattern found in each of them, at least once as an empty
# match, is found in any text (an empty alternative, an optional whole, a lone lookahead or \b).
_ORDINARY = ("The council met on Monday.", "x", "1", "记者会召开", "Ödön")


def matches_any_text(pattern: regex.Pattern) -> bool:
    r"""Whether ``pattern`` matches every block: found in each ordinary text, once at least
    as an empty match. (A pattern that matches only an empty or punctuation-only text,
    ``^\W*$``, or any character, ``.``, is a rule's own choice.)

    >>> [matches_any_text(regex.compile(p)) for p in ("Advertisement|", r"Ad|\b", r"^\W*$|Ad", ".")]
    [True, True, False, False]
    """
    found = [pattern.search(text) for text in _ORDINARY]
    return all(found) and any(m.end() == m.start() for m in found)


def _compile(pattern: str, where: PathKey, lines: Dict[PathKey, int], path: str) -> regex.Pattern:
    try:
        compiled = regex.compile(pattern, regex.V0)
    except regex.error as exc:
        raise RuleError(f"invalid regular expression: {exc}", path=path, line=_line_of(where, lines),
                        field=_dotted(where), hint="YAML single quotes keep backslashes as they are: '\\bword\\b'") from None
    if matches_any_text(compiled):
        raise RuleError("the pattern matches an empty text anywhere, so it matches every block of every page",
                        path=path, line=_line_of(where, lines), field=_dotted(where),
                        hint="an empty alternative ('Advertisement|') or a pattern whose every part is "
                             "optional ('x*') matches anywhere: remove it, or make a part required")
    return compiled


_MATCHERS = ("block", "span", "run-after-heading", "rest-of-page")


def _matcher(match: Dict[str, Any], where: PathKey, lines: Dict[PathKey, int], path: str) -> Matcher:
    def rx(key: str, sub: Optional[str] = None) -> regex.Pattern:
        value = match[key][sub] if sub else match[key]
        return _compile(value, where + ((key, sub) if sub else (key,)), lines, path)

    kinds = [k for k in match if k in _MATCHERS]
    stray = [k for k in match if k in ("max_words", "max_run") and kinds and kinds != ["block"]]
    if len(kinds) > 1 or stray:
        key = kinds[1] if len(kinds) > 1 else stray[0]
        problem = (f"a rule has one matcher; this one has {' and '.join(kinds)}" if len(kinds) > 1
                   else f"{key} works only with block")
        raise RuleError(problem, path=path, line=_line_of(where + (key,), lines), field=_dotted(where + (key,)),
                        hint=f"matchers: {', '.join(_MATCHERS)}")
    if "run-after-heading" in match:
        opts = match["run-after-heading"]
        return RunAfterHeadingMatcher(rx("run-after-heading", "heading"), opts.get("min_items", 2), opts.get("max_words", 16))
    if "rest-of-page" in match:
        opts = match["rest-of-page"]
        single = [k for k in ("after_prose", "inline_unless_prose_follows") if opts.get(k)]
        if opts.get("min_markers", 1) > 1 and single:
            where_key = where + ("rest-of-page", single[0])
            raise RuleError(f"{single[0]} works only with min_markers: 1 (one marker starts the rest of the page)",
                            path=path, line=_line_of(where_key, lines), field=_dotted(where_key),
                            hint="drop min_markers, or drop " + " and ".join(single))
        return RestOfPageMatcher(rx("rest-of-page", "marker"), opts.get("within", 0.4), opts.get("max_words", 10),
                                 opts.get("min_markers", 1), opts.get("after_prose"),
                                 opts.get("inline_unless_prose_follows", False))
    if "span" in match:
        return SpanMatcher(rx("span"))
    if "block" in match:
        return BlockMatcher(rx("block"), match.get("max_words"), match.get("max_run"))
    raise RuleError(f"match needs one of: {', '.join(_MATCHERS)}",
                    path=path, line=_line_of(where, lines), field=_dotted(where))


def _examples(items: List[Any]) -> Tuple[Example, ...]:
    return tuple(Example(i) if isinstance(i, str) else Example(i["input"], i["output"]) for i in items)


def _normalise_domains(data: Any) -> None:
    """Rewrite every ``domains`` list of a rule file in place with :func:`host_name` (before
    the schema check: ``www.example.com`` matched no page, ``bücher.de`` failed the schema)."""
    if not isinstance(data, dict):
        return
    rules = data.get("rules")
    holders = [data] + ([r for r in rules if isinstance(r, dict)] if isinstance(rules, list) else [])
    for holder in holders:
        if isinstance(holder.get("domains"), list):
            holder["domains"] = [host_name(d) if isinstance(d, str) else d for d in holder["domains"]]


def load_rules_text(text: str, path: str = "<string>") -> List[YamlRule]:
    """Parse, validate and compile the rules of one YAML document."""
    data, lines = _read_yaml(text, path)
    _normalise_domains(data)
    _validate(data, lines, path)
    file_domains = tuple(data.get("domains", ()))
    rules = []
    for i, item in enumerate(data["rules"]):
        where = ("rules", i)
        rules.append(YamlRule(
            id=item["id"], summary=item["summary"], why=item["why"], risk=item.get("risk", ""),
            category=item.get("category", "other"), domains=tuple(item.get("domains", file_domains)),
            modes=tuple(item.get("modes", ())),
            matcher=_matcher(item["match"], where + ("match",), lines, path),
            source=f"{path}:{_line_of(where, lines)}",
            remove_examples=_examples(item["examples"]["remove"]),
            keep_examples=_examples(item["examples"]["keep"]),
        ))
    return rules


def load_rule_file(path: "str | Path") -> List[YamlRule]:
    """Load one rule file; errors name this path."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"cannot read rule file: {exc}", path=str(p)) from None
    return load_rules_text(text, str(p))


def load_rule_files(paths: Iterable["str | Path"]) -> List[YamlRule]:
    """Load several rule files, rejecting an id defined twice."""
    rules: List[YamlRule] = []
    for path in paths:
        rules.extend(load_rule_file(path))
    check_unique(rules)
    return rules


def check_unique(rules: Iterable[Any]) -> None:
    """``RuleError`` when two rules share an id, naming where each is defined."""
    seen: Dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            path, _, line = rule.source.rpartition(":")
            raise RuleError(f"rule id {rule.id!r} is already defined at {seen[rule.id]}",
                            path=path or rule.source, line=int(line) if line.isdigit() else None, field="id")
        seen[rule.id] = rule.source
