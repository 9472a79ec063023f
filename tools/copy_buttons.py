"""Write the code blocks' copy buttons into the pages, instead of Material's script adding them.

With the feature ``content.code.copy``, Material's script adds a copy button to each code
block when the page loads, block after block, and reads the block's size after each one, so
the browser lays the page out again for every block: on a phone, a long task that grows with
the number of code blocks (issue 11). This hook writes the same markup into the HTML, in
Material's place (``<nav class="md-code__nav">`` before the ``<code>`` of each ``pre``), with
the same title (Material's translation of "clipboard.copy" for the page's language, read from
the page's own configuration); the feature stays off in mkdocs.yml. Material's clipboard
integration handles a click on any ``[data-clipboard-target]``, so copying works as before,
including ``data-md-copying``, which stylesheets/extra.css uses to copy runnable code only.
The target is found through ``data-nnguide-code`` on the block, not through the ``id`` that
Material's script gives each ``pre``.
"""

from __future__ import annotations

import html as html_lib
import json
import re

from mkdocs.exceptions import PluginError

_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
# A highlighted block: <div class="... highlight ...">[<span class="filename">…</span>]<pre …>
# [<span></span>]<code …> (pymdownx.highlight and mkdocstrings' signatures alike).
_BLOCK = re.compile(
    r'<div(?P<attrs>\s[^>]*\bclass="(?:[^"]*\s)?highlight(?:\s[^"]*)?"[^>]*)>'
    r'(?P<head>(?:<span class="filename">.*?</span>)?<pre\b[^>]*>(?:<span></span>)?)'
    r'(?=<code\b)', re.S)


def _copy_title(output, page):
    match = _CONFIG.search(output)
    try:
        return json.loads(match.group(1))["translations"]["clipboard.copy"]
    except (AttributeError, ValueError, KeyError) as exc:
        raise PluginError(f"tools/copy_buttons.py: {page.file.src_uri}: no Material "
                          "configuration with a 'clipboard.copy' translation in the page "
                          "(<script id=\"__config\">); is the theme mkdocs-material?") from exc


def on_post_page(output, page, config):
    if "highlight" not in output or "<code" not in output:
        return output
    title = html_lib.escape(_copy_title(output, page))
    count = iter(range(1, 1_000_000))

    def add(m):
        n = next(count)
        return (f'<div data-nnguide-code="{n}"{m["attrs"]}>{m["head"]}'
                f'<nav class="md-code__nav"><button class="md-code__button" title="{title}" '
                f'data-clipboard-target="[data-nnguide-code=&quot;{n}&quot;] &gt; pre &gt; code" '
                f'data-md-type="copy"></button></nav>')
    return _BLOCK.sub(add, output)
