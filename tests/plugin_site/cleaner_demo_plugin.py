"""A tiny third-party rule plugin, installed for the tests by putting this folder on sys.path.

A real plugin package declares the same entry point in its pyproject.toml:

    [project.entry-points."cleaner.rules"]
    shouting = "cleaner_demo_plugin:ShoutingLines"
"""
from cleaner.document import Removal
from cleaner.rules import Example, Rule


class ShoutingLines(Rule):
    """Drop lines of four or more words written all in capitals."""

    id = "demo-shouting"
    summary = "Lines of 4+ words all in capitals"
    why = "Demo plugin: shouted promo lines."
    source = "cleaner_demo_plugin.py"
    remove_examples = (Example("LAST CHANCE TO ENTER THE DRAW"),)
    keep_examples = (Example("NASA said on Monday the launch would go ahead."),)

    def find(self, page):
        for block in page.blocks:
            if len(block.text.split()) >= 4 and block.text.isupper():
                yield Removal(block.index, self.id, "plugin", "all capitals")
