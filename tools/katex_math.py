"""Typeset the math with KaTeX while the site is built, so that pages need no script for it.

pymdownx.arithmatex (``generic: true``) leaves each formula of a Markdown page as
``<span class="arithmatex">\\(...\\)</span>`` or ``<div class="arithmatex">\\[...\\]</div>``;
mkdocs-jupyter leaves ``$...$`` and ``$$...$$`` in a notebook's Markdown cells. This hook
replaces each one with KaTeX's HTML (and MathML for screen readers), rendered by the very
``katex.min.js`` that ``tools/vendor_katex.sh`` vendors beside the stylesheet and fonts in
``docs/assets/katex`` (so the markup always matches the stylesheet), run in V8 through the
``mini-racer`` package: no Node.js, no network. The pages load only ``katex.min.css`` and the
fonts; the browser runs no script for math, which made up a long task on a phone (issue 11),
and the offline copy and the PDFs show the same math without JavaScript. A formula KaTeX cannot
parse fails the build, naming the page and the formula. It runs on the finished page
(``on_post_page``), after the search plugin has indexed the page, so the search index keeps
the TeX (not KaTeX's three copies of each formula's text).
"""

from __future__ import annotations

import html as html_lib
import json
import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.katex_math")

KATEX_JS = "assets/katex/katex.min.js"      # below docs_dir
# KaTeX's defaults, as auto-render used them in the browser, except that a formula KaTeX
# cannot parse stops the build (auto-render showed it in red).
OPTIONS = {"throwOnError": True, "output": "htmlAndMathml"}

_ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*'
    r'(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])\s*</(?P=tag)>', re.S)
# A notebook's Markdown cell as nbconvert renders it (its formulas stay as written).
_NB_MARKDOWN = re.compile(
    r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S)
_NB_MATH = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?P<inline>[^$\n]+?)(?<!\\)\$", re.S)
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_VERBATIM = ("code", "pre", "script", "style", "kbd", "samp")

_engine = {"path": None, "mtime": None, "ctx": None, "cache": {}}


def _katex(docs_dir):
    """A V8 context with katex.min.js loaded (kept across rebuilds of `mkdocs serve`)."""
    path = Path(docs_dir) / KATEX_JS
    if not path.is_file():
        raise PluginError(f"tools/katex_math.py: {path} not found; it typesets the math while "
                          "the site is built. Vendor KaTeX with: bash tools/vendor_katex.sh")
    mtime = path.stat().st_mtime
    if _engine["ctx"] is not None and _engine["path"] == path and _engine["mtime"] == mtime:
        return _engine["ctx"]
    try:
        from py_mini_racer import MiniRacer
    except ImportError as exc:
        raise PluginError("tools/katex_math.py needs the package mini-racer (V8) to run KaTeX "
                          "while the site is built: pip install -e '.[docs]' (or make serve, "
                          f"which installs it) ({exc})") from exc
    ctx = MiniRacer()
    # KaTeX reports non-fatal issues (e.g. Unicode text in math mode) on console.warn.
    ctx.eval("var __warnings = []; var console = {warn: function () {"
             " __warnings.push(Array.prototype.join.call(arguments, ' ')); },"
             " log: function () {}, error: function () {}};")
    ctx.eval(path.read_text(encoding="utf-8"))
    _engine.update(path=path, mtime=mtime, ctx=ctx, cache={})
    return ctx


def render(ctx, tex, display, where):
    """KaTeX's HTML for one formula (TeX source, not HTML-escaped)."""
    key = (tex, display)
    cached = _engine["cache"].get(key)
    if cached is not None:
        return cached
    options = json.dumps({**OPTIONS, "displayMode": display})
    try:
        out = ctx.eval(f"katex.renderToString({json.dumps(tex)}, {options})")
    except Exception as exc:       # KaTeX's ParseError comes out as a JS exception
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PluginError(f"{where}: KaTeX cannot typeset {tex!r}: {message}") from exc
    warnings = json.loads(ctx.eval("JSON.stringify(__warnings.splice(0))"))
    for warning in warnings:
        log.info("%s: KaTeX on %r: %s", where, tex, warning)
    out = f"<span>{out}</span>"      # the same markup as KaTeX's auto-render gave in the browser
    _engine["cache"][key] = out
    return out


def _markdown_math(html, ctx, where):
    def typeset(m):
        display = m["display"] is not None
        tex = html_lib.unescape(m["display"] if display else m["inline"]).strip()
        return f'<{m["tag"]} class="arithmatex">{render(ctx, tex, display, where)}</{m["tag"]}>'
    return _ARITHMATEX.sub(typeset, html)


def _notebook_math(html, ctx, where):
    """$...$ and $$...$$ in the text of notebook Markdown cells, not in code."""
    def typeset(m):
        display = m["display"] is not None
        tex = html_lib.unescape(m["display"] if display else m["inline"]).strip()
        return render(ctx, tex, display, where)

    def cell(m):
        parts, verbatim = [], 0
        for part in _TAG_OR_TEXT.split(m.group(2)):
            if part.startswith("<"):
                name = re.match(r"</?([a-zA-Z0-9]+)", part)
                if name and name.group(1).lower() in _VERBATIM and not part.endswith("/>"):
                    verbatim += -1 if part.startswith("</") else 1
                parts.append(part)
            else:
                parts.append(part if verbatim > 0 else _NB_MATH.sub(typeset, part))
        return m.group(1) + "".join(parts) + m.group(3)
    return _NB_MARKDOWN.sub(cell, html)


def on_post_page(output, page, config):
    # After the search plugin has indexed the page: the index keeps the TeX, as before.
    if "arithmatex" not in output and "jp-RenderedMarkdown" not in output:
        return output
    ctx = _katex(config.docs_dir)
    where = page.file.src_uri
    output = _markdown_math(output, ctx, where)
    if page.file.src_uri.endswith(".ipynb"):
        output = _notebook_math(output, ctx, where)
    return output
