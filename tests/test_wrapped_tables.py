"""tools/wrapped_tables.py: the theme's table rules, copied for the class the build gives tables.

The browser suite (tests/browser/test_each_page.py) compares the styles a reader gets; these
check the copying itself, fast.
"""

import re
from types import SimpleNamespace

import material
import pytest

import wrapped_tables

SAMPLE = """/*! a licence { with braces } */
@charset "UTF-8";.md-typeset table:not([class]) caption{color:red}.a{color:red}
.md-typeset table:not([class]) th,.md-typeset .other{padding:1em}
@media print{.x{display:none}.md-typeset table:not([class]){display:table}}
@keyframes spin{0%{opacity:0}to{opacity:1}}
:is(.b, table:not([class])) td{margin:0}
@supports (display:grid){@media screen{.md-typeset table:not([class]) a{color:blue}}}"""


def test_only_the_rules_that_name_the_selector_are_kept_with_their_media():
    assert wrapped_tables.rules_for(SAMPLE, ours="table.t").splitlines() == [
        ".md-typeset table.t caption{color:red}",
        ".md-typeset table.t th{padding:1em}",
        "@media print{.md-typeset table.t{display:table}}",
        ":is(.b, table.t) td{margin:0}",
        "@supports (display:grid){@media screen{.md-typeset table.t a{color:blue}}}",
    ]


def test_every_table_rule_of_materials_stylesheet_is_copied():
    config = SimpleNamespace(theme=SimpleNamespace(dirs=[material.__path__[0] + "/templates"]))
    theirs = wrapped_tables.theme_stylesheet(config)
    ours = wrapped_tables.rules_for(theirs)
    selector = wrapped_tables.THEIRS
    assert theirs.count(selector) > 0, "Material's stylesheet has no table:not([class]) rule"
    assert ours.count(f"table.{wrapped_tables.CLASS}") == theirs.count(selector), ours
    assert selector not in ours
    for rule in re.findall(r"[^{}]*\{[^{}]*\}", ours):   # each body is Material's own
        assert rule.split("{", 1)[1] in theirs, rule


def test_unbalanced_braces_are_refused():
    with pytest.raises(ValueError, match="unbalanced braces"):
        wrapped_tables.rules_for(".a table:not([class]){color:red")
