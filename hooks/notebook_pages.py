"""Make mkdocs-jupyter's notebook pages light, offline and accessible.

mkdocs-jupyter renders a notebook with nbconvert's JupyterLab template, which

- loads MathJax from cdnjs (``<script src="https://cdnjs...">``) and carries a
  mermaid loader that imports from cdnjs;
- inlines about 600 KB of JupyterLab CSS (fixed to one light or dark theme);
- gives every image output an ``<img>`` without ``alt``;
- derives heading ids from the heading text, which is empty for Chinese.

For pages built from ``.ipynb`` files this hook drops the MathJax and mermaid
scripts (``overrides/assets/javascripts/nnguide-notebook-math.js`` renders the
math with the site's own KaTeX), drops the inlined CSS (``overrides/main.html``
links ``assets/stylesheets/nnguide-notebook.css``, which follows the site's
light and dark palettes), copies each image's alt text from the notebook
(``output.metadata["image/png"]["alt"]``, written by
``scripts/make_notebooks.py``), and takes heading ids from an explicit
``<a id="..."></a>`` in the heading, rebuilding the page's table of contents
to match. tests/test_notebooks.py checks the result.
"""

import html as html_lib
import json
import re

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
        name = html_lib.unescape(_TAGS.sub("", _ANCHOR_LINK.sub("", inner))).replace("¶", "").strip()
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
