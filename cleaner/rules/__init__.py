"""Rules: the model, YAML loading, matchers and the registry of packs and plugins."""
from .loader import load_rule_file, load_rule_files, load_rules_text, schema
from .model import Example, Page, Rule
from .registry import all_rules, builtin_rules, describe, plugin_rules, user_rules
from .yaml_rule import YamlRule

__all__ = ["Example", "Page", "Rule", "YamlRule", "all_rules", "builtin_rules", "describe",
           "load_rule_file", "load_rule_files", "load_rules_text", "plugin_rules", "schema", "user_rules"]
