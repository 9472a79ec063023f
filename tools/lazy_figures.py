"""Figures load when the reader comes near them, into a box of their own size.

A figure is an SVG that matplotlib wrote (tools/make_figures.py), shown with ``<img>``. The
browser parses and lays out such an image like a small page, on the page's main thread:
the gradient page's three figures have 1,800 elements, as many as its formulas' HTML. On a
phone, loading them with the page made its longest tasks longer and held back its first
paint (issue 11). With ``loading="lazy"`` a figure is fetched only when the reader scrolls
near it, and not at all by a reader who stops before it.

``width`` and ``height``, the SVG's own size in CSS pixels, reserve the figure's box before
it arrives, so the text does not move when it does (Material's ``max-width: 100%`` and
``height: auto`` keep the ratio on a narrow screen). The PDF build removes ``loading``
(tools/build_pdf.py): a printed page has no scrolling to wait for.
"""

from __future__ import annotations

import posixpath
import re

from mkdocs.exceptions import PluginError

_FIGURE = re.compile(r'<img\b(?P<attrs>[^>]*\bsrc="(?P<src>[^"]*assets/figures/[^"]+\.svg)"'
                     r'[^>]*?)\s*/?>')
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="(?P<w>[\d.]+)pt"[^>]*?\bheight="(?P<h>[\d.]+)pt"')
PX_PER_PT = 4 / 3


def svg_size(text, name):
    """(width, height) in CSS pixels of an SVG that gives its size in points."""
    match = _SVG_SIZE.search(text[:2000])
    if not match:
        raise PluginError(f"tools/lazy_figures.py: {name}: no width and height in points on "
                          "its <svg> element (is it a figure from tools/make_figures.py?)")
    return tuple(round(float(match[k]) * PX_PER_PT) for k in ("w", "h"))


def on_page_content(html, page, files, **kwargs):
    if "assets/figures/" not in html:
        return html

    def lazy(m):
        url = posixpath.normpath(posixpath.join(posixpath.dirname(page.url), m["src"]))
        figure = next((f for f in files if f.dest_uri == url), None)
        if figure is None:
            raise PluginError(f"tools/lazy_figures.py: {page.file.src_uri}: figure "
                              f"{m['src']!r} ({url}) is not among the site's files")
        width, height = svg_size(figure.content_string, figure.src_uri)
        return (f'<img{m["attrs"]} width="{width}" height="{height}" loading="lazy" '
                f'decoding="async" />')
    return _FIGURE.sub(lazy, html)
