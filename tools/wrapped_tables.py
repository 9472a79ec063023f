"""Tables arrive in the page already wrapped as Material's script would wrap them.

Material's script puts each ``table:not([class])`` into two ``<div>``s (a box that scrolls
sideways) once the page has loaded. By then the browser has laid the table out, and moving
it makes the browser style and lay out the whole table again: on the glossary's three tables
this was the page's longest task on a phone (issue 11, benchmarks/README.md). This hook writes
the same two ``<div>``s around each Markdown table at build time and gives the table the class
``nnguide-table``, which Material's script leaves alone. Material styles only tables without a
class, so its table rules are copied, with their ``@media``, from the theme's own stylesheet to
``assets/stylesheets/tables.css`` at every build, for ``table.nnguide-table``, and linked
right after the theme's stylesheet on the pages that have a table: the tables look as before,
and follow the theme when it changes.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

CLASS = "nnguide-table"
CSS = "assets/stylesheets/tables.css"
THEIRS = "table:not([class])"
_TABLE = re.compile(r"<table>(.*?)</table>", re.S)     # a Markdown table: no attributes
_THEME_CSS = re.compile(
    r'<link rel="stylesheet" href="[^"]*assets/stylesheets/main\.\w+\.min\.css">')


def rules_for(css, theirs=THEIRS, ours=f"table.{CLASS}"):
    """The rules of a stylesheet whose selectors name ``theirs``, renamed ``ours``.

    Only the selectors of a list that name it are kept; ``@media`` and ``@supports`` blocks are
    kept around what they hold of it.
    """
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    kept, pos = [], 0
    while (start := css.find("{", pos)) >= 0:
        head, depth, end = css[pos:start].split(";")[-1].strip(), 1, start + 1   # after @charset;
        while depth:
            if end == len(css):
                raise ValueError(f"unbalanced braces after {head[:60]!r}")
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        body = css[start + 1:end - 1]
        if head.startswith(("@media", "@supports")):
            inner = rules_for(body, theirs, ours)
            if inner:
                kept.append(f"{head}{{{inner}}}")
        elif not head.startswith("@"):
            selectors = [s for s in _split_selectors(head) if theirs in s]
            if selectors:
                kept.append(f"{','.join(s.replace(theirs, ours) for s in selectors)}{{{body}}}")
        pos = end
    return "\n".join(kept)


def _split_selectors(head):
    """A selector list split at its top-level commas (not those inside ``:is(a, b)``)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(head):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(head[start:i].strip())
            start = i + 1
    return [*parts, head[start:].strip()]


def theme_stylesheet(config):
    """The text of Material's main stylesheet, as the pages link it."""
    found = [css for folder in config.theme.dirs
             for css in Path(folder).glob("assets/stylesheets/main.*.min.css")]
    if len(found) != 1:
        raise PluginError(f"tools/wrapped_tables.py: expected one main.*.min.css in the "
                          f"theme's folders {config.theme.dirs}, found {found}")
    return found[0].read_text(encoding="utf-8")


@event_priority(-150)   # after the i18n plugin (-100), which rebuilds every File from docs/
def on_files(files, config):
    rules = rules_for(theme_stylesheet(config))
    if not rules:
        raise PluginError(f"tools/wrapped_tables.py: no {THEIRS} rules in Material's "
                          "stylesheet: has the theme changed how it styles tables?")
    if files.get_file_from_path(CSS) is None:
        files.append(File.generated(config, CSS, content=f"/* Material's {THEIRS} rules, for "
                                    f"table.{CLASS} (tools/wrapped_tables.py) */\n{rules}\n"))
    return files


def on_page_content(html, **kwargs):
    return _TABLE.sub(r'<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
                      rf'<table class="{CLASS}">\1</table></div></div>', html)


def on_post_page(output, page, config):
    """A page with such a table links the rules right after the theme's stylesheet."""
    if f'<table class="{CLASS}">' not in output:
        return output
    link = f'<link rel="stylesheet" href="{get_relative_url(CSS, page.url)}">'
    output, found = _THEME_CSS.subn(lambda m: f"{m[0]}\n    {link}", output, count=1)
    if not found:
        raise PluginError(f"tools/wrapped_tables.py: {page.file.src_uri}: no link to the "
                          "theme's main.*.min.css to put the table rules after")
    return output
