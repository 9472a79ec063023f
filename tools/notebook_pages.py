"""Notebook pages (mkdocs-jupyter) in both languages, light, offline and accessible.

Each workaround, with its upstream cause:

- i18n builds no notebook page, only copies the .ipynb (ultrabug/mkdocs-static-i18n#198):
  :func:`on_startup` makes mkdocs treat notebooks as pages for the run.
- MathJax and a mermaid loader come from cdnjs (danielfrg/mkdocs-jupyter#199 only
  lets one change MathJax's address): dropped; the site's KaTeX typesets the math.
- ~600 KB of JupyterLab CSS inlined into every notebook page (no option to leave it
  out; no upstream issue found): dropped; docs/stylesheets/extra.css styles notebooks.
- nbconvert's lab template writes no ``alt`` (jupyter/nbconvert#1112 taught only the
  classic template): copied from ``output.metadata["image/png"]["alt"]``.
- heading ids are the heading's text (jupyter/nbconvert#1233), so they differ between
  languages: an explicit ``<a id="..."></a>`` in the heading wins, TOC rebuilt.

tests/test_notebooks.py and tests/test_site_build.py check the result.
"""

import html as html_lib
import json
import re

from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

_STYLE = re.compile(r"<style\b[^>]*>.*?</style>\s*", re.S | re.I)
_EXTERNAL_SCRIPT = re.compile(r'<script\b[^>]*\bsrc="(?:https?:)?//[^"]*"[^>]*>\s*</script>\s*'
                              r'|<script\b[^>]*\bsrc=""[^>]*>\s*</script>\s*', re.I)
_MATHJAX_CONFIG = re.compile(r'<script type="text/x-mathjax-config">.*?</script>\s*', re.S)
_MODULE_SCRIPT = re.compile(r'<script type="module">.*?</script>\s*', re.S)
_COMMENTS = re.compile(r"<!-- (?:Load mathjax|MathJax configuration|End of mathjax configuration"
                       r"|End of mermaid configuration) -->\s*")
_HEADING = re.compile(r'<h(?P<level>[1-6]) id="[^"]*">(?P<inner>.*?)</h(?P=level)>', re.S)
_EXPLICIT_ID = re.compile(r'\s*<a id="(?P<id>[\w-]+)"\s*(?:/>|>\s*</a>)')
_ANCHOR_LINK = re.compile(r'<a class="anchor-link" href="#[^"]*">(?P<text>.*?)</a>', re.S)
_PNG = re.compile(r'<img\b[^>]*\bsrc="data:image/png;base64,[^"]*"[^>]*>')
_ALT = re.compile(r'\s+alt="[^"]*"')
_TAGS = re.compile(r"<[^>]+>")


_is_markdown_page = File.is_documentation_page


def _is_page(file):
    return file.src_uri.endswith(".ipynb") or _is_markdown_page(file)


def on_startup(command, dirty):
    """For this mkdocs run, a notebook is a page (the i18n plugin then builds it)."""
    File.is_documentation_page = _is_page


def on_shutdown():
    File.is_documentation_page = _is_markdown_page


def _is_notebook(page):
    return page.file.src_uri.endswith(".ipynb")


def _image_alts(path):
    """Alt texts of the notebook's PNG outputs, in document order ('' if none)."""
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    alts = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                meta = output.get("metadata", {}).get("image/png", {})
                alts.append(meta.get("alt") or output.get("metadata", {}).get("alt") or "")
    return alts


def _headings(html):
    """Give headings their explicit ids; returns the new HTML and TOC tokens."""
    tokens, stack = [], []

    def fix(m):
        level, inner = int(m["level"]), m["inner"]
        explicit = _EXPLICIT_ID.search(inner)
        if not explicit:
            return m.group(0)
        anchor_id = explicit["id"]
        inner = _EXPLICIT_ID.sub("", inner)
        inner = _ANCHOR_LINK.sub(
            lambda a: f'<a class="headerlink" href="#{anchor_id}" title="Permanent link">'
                      f'{a["text"]}</a>', inner)
        name = html_lib.unescape(_TAGS.sub("", _ANCHOR_LINK.sub("", inner)))
        name = name.replace("¶", "").strip()
        token = {"level": level, "id": anchor_id, "name": name, "children": []}
        while stack and stack[-1]["level"] >= level:
            stack.pop()
        (stack[-1]["children"] if stack else tokens).append(token)
        stack.append(token)
        return f'<h{level} id="{anchor_id}">{inner}</h{level}>'

    return _HEADING.sub(fix, html), tokens


def on_page_content(html, page, config, files):
    if not _is_notebook(page):
        return html
    html = _STYLE.sub("", html)
    html = _EXTERNAL_SCRIPT.sub("", html)
    html = _MATHJAX_CONFIG.sub("", html)
    html = _MODULE_SCRIPT.sub("", html)
    html = _COMMENTS.sub("", html)

    alts = iter(_image_alts(page.file.abs_src_path))

    def alt(m):
        tag = _ALT.sub("", m.group(0))
        return f'<img alt="{html_lib.escape(next(alts, ""))}"' + tag[len("<img"):]

    html = _PNG.sub(alt, html)

    html, tokens = _headings(html)
    if tokens:
        page.toc = get_toc(tokens)
    return html
