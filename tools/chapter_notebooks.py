"""Every chapter page as a runnable Jupyter notebook, generated at build time (a mkdocs hook).

For each page with examples, the build writes ``<page>.ipynb`` next to the
page's ``index.html`` (``/gradient/gradient.ipynb``, ``/en/gradient/gradient.ipynb``)
and sets ``page.meta["notebook"]``, which ``overrides/main.html`` turns into a
download button. The page is the one source, so a notebook is never stale.

The page is read by the parser that sybil uses (``pages.py``): what sybil
runs becomes code cells (prompts and outputs stripped; a cell ends after each
example that prints something; an example that expects a traceback gets the
``raises-exception`` tag); examples sybil skips, ``py`` fences and package
code embedded with ``--8<--`` (resolved as on the site: shown_code.py, pymdownx.snippets)
are shown in Markdown cells. Admonitions become block quotes, relative links
point to the published site (in a build without an address, ``site_url`` empty,
they stay relative to the notebook's place in the site). The first cell installs
nnguide from the site's wheel (``site_layout.install_line``, ``tools/downloads.py``).
"""

import re
from pathlib import Path

import markdown as python_markdown
import nbformat

import pages
import shown_code
import site_layout

INTRO = {
    "zh": ("> 本笔记本由网页 [{title}]({url}) 自动生成。第一个单元安装 nnguide，"
           "之后按顺序运行各个单元即可（**Run All**）。"),
    "en": ("> This notebook was generated from the page [{title}]({url}). The first cell "
           "installs nnguide; then run the cells in order (**Run All**)."),
}

_LINK = re.compile(r"(?P<bang>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)"
                   r"(?P<title>\s+\"[^\"]*\")?\)(?P<attrs>\{[^}\n]*\})?")
_ADMONITION = re.compile(r'^(?P<indent> *)(?:!!!|\?\?\?\+?)\s+(?P<type>[\w-]+)'
                         r'(?:\s+"(?P<title>[^"]*)")?\s*$')
_OPENING = re.compile(r"^(?P<prefix>[^`~]*)(?P<ticks>`{3,}|~{3,})")


# ---------------------------------------------------------------- Markdown

def resolve_snippets(text, options=None, lang=None):
    """``--8<--`` lines resolved as on the site: package code as ``shown_code.py`` shows it
    on a page in ``lang`` (the hook before this one), the rest by pymdownx.snippets with the
    site's options."""
    text = shown_code.embed(text, site_layout.ROOT, lang)
    options = site_layout.markdown_options("pymdownx.snippets") if options is None else options
    md = python_markdown.Markdown(extensions=["pymdownx.snippets"],
                                  extension_configs={"pymdownx.snippets": options})
    return "\n".join(md.preprocessors["snippet"].run(text.split("\n")))


def quote_admonitions(lines):
    """``!!! note "Title"`` and its indented body -> a Markdown block quote."""
    out, i = [], 0
    while i < len(lines):
        m = _ADMONITION.match(lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        indent = len(m["indent"])
        body, i = [], i + 1
        while i < len(lines) and (not lines[i].strip() or
                                  len(lines[i]) - len(lines[i].lstrip(" ")) >= indent + 4):
            body.append(lines[i][indent + 4:])
            i += 1
        while body and not body[-1].strip():
            body.pop()
        title = m["title"] if m["title"] is not None else m["type"].capitalize()
        quoted = [f"> **{title}**" if title else ">", ">"]
        quoted += [f"> {line}" if line.strip() else ">" for line in quote_admonitions(body)]
        out += [" " * indent + line for line in quoted] + [""]
    return out


def absolute(target, lang, site_url):
    """A page-relative link or image path as an address on the published site.

    Pages and their files (figures) are per language; ``downloads/`` is served
    once, at the site's root, for every language (tools/downloads.py).
    """
    if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", target):
        return target
    path, hash_, anchor = target.partition("#")
    if path.endswith((".md", ".ipynb")):
        page = path.rsplit(".", 1)[0].removesuffix("/index").removesuffix("index") or "index"
        return f"{site_url}{site_layout.url_for(page, lang)}{hash_}{anchor}"
    if path.startswith(site_layout.DOWNLOADS):
        return f"{site_url}{path}{hash_}{anchor}"
    return f"{site_url}{site_layout.url_for('index', lang)}{path}{hash_}{anchor}"


def rewrite_line(line, lang, site_url):
    """Links made absolute; ``# Title { #id }`` -> ``# Title <a id="id"></a>``."""
    def link(m):
        target = absolute(m["target"], lang, site_url)
        return f"{m['bang']}[{m['text']}]({target}{m['title'] or ''})"

    line = _LINK.sub(link, line)
    heading = pages.HEADING.match(line)
    if heading and not line.startswith(" "):
        anchor = f' <a id="{heading["id"]}"></a>' if heading["id"] else ""
        line = f"{heading['hashes']} {heading['text']}{anchor}"
    return line


def shown_fence(fence, text):
    """A fence shown, not run: its language kept, a ``title`` as a line above it."""
    opening, _, rest = text.partition("\n")
    m = _OPENING.match(opening)
    language = fence.language.lstrip(".{")
    above = ""
    if language in ("py", "python", "pycon"):
        title = re.search(r'title="([^"]*)"', fence.info)
        above = f"{m['prefix']}`{title[1]}`:\n\n" if title else ""
        language = "python" if language == "py" else language
    return f"{above}{m['prefix']}{m['ticks']}{language}\n{rest}" if rest else text


def session(example):
    """A skipped example as the ``>>>`` session the page shows."""
    first, *more = example.source.rstrip("\n").split("\n")
    lines = [f">>> {first}"] + [f"... {line}" for line in more]
    return "```pycon\n" + "\n".join(lines + example.want.rstrip("\n").split("\n")) + "\n```"


# ---------------------------------------------------------------- cells

class Cells:
    """Notebook cells as ``[("markdown" | "code", text, tags), ...]``, built in page order."""

    def __init__(self, lang, site_url):
        self.lang, self.site_url = lang, site_url
        self.cells, self.prose = [], []

    def flush(self):
        text = "\n".join(self.prose).strip("\n")
        if text.strip():
            self.cells.append(("markdown", text, []))
        self.prose.clear()

    def _continue(self, lines):
        """Append ``lines``; the first continues the current line (text is cut mid-line)."""
        if self.prose:
            self.prose[-1] += lines[0]
            lines = lines[1:]
        self.prose.extend(lines)

    def add_prose(self, text):
        first, *rest = text.split("\n")
        self._continue([rewrite_line(first, self.lang, self.site_url)])
        for line in rest:
            heading = pages.HEADING.match(line)
            if heading and not line.startswith(" ") and len(heading["hashes"]) <= 2:
                self.flush()
            self.prose.append(rewrite_line(line, self.lang, self.site_url))

    def add_shown(self, text):
        self._continue(text.split("\n"))

    def add_examples(self, examples):
        code = []
        for example in examples:
            if example.skipped:
                self.add_shown(session(example))
                continue
            if code and (code[-1].count("\n") > 1 or example.source.count("\n") > 1):
                code.append("\n")
            code.append(example.source)
            if example.want or example.raises:
                self._code("".join(code), example.raises)
                code = []
        if code:
            self._code("".join(code), False)

    def _code(self, source, raises):
        self.flush()
        self.cells.append(("code", source.rstrip("\n"), ["raises-exception"] if raises else []))


def _pieces(text, examples):
    """``(start, end, piece)`` in page order: fences, examples outside them, skip comments."""
    fences = [(f.start, f.end, f) for f in pages.fences(text)]
    inside = {e for e in examples for start, end, _ in fences if start <= e.start < end}
    pieces = fences + [(e.start, e.end, e) for e in examples if e not in inside]
    pieces += [(start, end, None) for start, end in pages.skip_directives(text)]
    return sorted(pieces, key=lambda piece: piece[0])


def page_to_cells(markdown, lang, site_url, snippets=None):
    """A page's Markdown as ``[("markdown" | "code", text, tags), ...]``."""
    text = "\n".join(quote_admonitions(resolve_snippets(markdown, snippets, lang).split("\n")))
    examples = pages.examples(text)
    cells, position = Cells(lang, site_url), 0
    for start, end, piece in _pieces(text, examples):
        cells.add_prose(text[position:start])
        position = end
        if isinstance(piece, pages.Example):        # an invisible code block
            cells.add_examples([piece])
        elif isinstance(piece, pages.Fence):
            run = [e for e in examples if piece.start <= e.start < piece.end]
            if run and not all(e.skipped for e in run):
                cells.add_examples(run)
            else:
                cells.add_shown(shown_fence(piece, text[start:end]))
    cells.add_prose(text[position:])
    cells.flush()
    return cells.cells


def _title(markdown, default):
    heading = next((m for m in map(pages.HEADING.match, markdown.splitlines())
                    if m and len(m["hashes"]) == 1), None)
    return heading["text"] if heading else default


def page_to_notebook(markdown, lang, page_url, site_url, snippets=None, title=None,
                     install=None):
    """A page's Markdown as an ``nbformat`` v4 notebook, or None if it has no examples.

    ``page_url`` is the page's address (for the link in the intro cell),
    ``site_url`` the site's root address ending in ``/`` (or the root relative
    to the page's folder, ``../../``, in a build without an address),
    ``snippets`` the pymdownx.snippets options (default: those of mkdocs.yml),
    ``install`` the first cell (default: ``site_layout.install_line()``).
    """
    cells = page_to_cells(markdown, lang, site_url, snippets)
    if not any(kind == "code" for kind, _, _ in cells):
        return None
    intro = INTRO.get(lang, INTRO["en"]).format(title=title or _title(markdown, page_url),
                                                url=page_url)
    v4 = nbformat.v4
    install = site_layout.install_line() if install is None else install
    new = [v4.new_code_cell(install, metadata={"tags": [site_layout.INSTALL_TAG]})]
    kind, text, _ = cells[0]
    if kind == "markdown" and text.startswith("# "):     # the intro goes under the title
        first, _, rest = text.partition("\n")
        cells[0] = (kind, f"{first}\n\n{intro}\n{rest}", [])
    else:
        new.append(v4.new_markdown_cell(intro))
    for kind, text, tags in cells:
        new.append(v4.new_markdown_cell(text) if kind == "markdown" else
                   v4.new_code_cell(text, metadata={"tags": tags} if tags else {}))
    for n, cell in enumerate(new):
        cell["id"] = f"cell-{n}"
    nb = v4.new_notebook(cells=new)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "nnguide": {"source": page_url, "lang": lang},
    }
    return nb


# ---------------------------------------------------------------- mkdocs hooks

_pending = {}


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if not src.endswith(".md") or page.file.abs_dest_path is None:
        return markdown
    lang = site_layout.lang_of(src)
    dest = page.file.dest_uri
    site_url = config["site_url"] or site_layout.relative_root(dest)
    site_url = site_url if site_url.endswith("/") or not site_url else site_url + "/"
    install = site_layout.install_line(wheel=site_layout.wheel_address(config["site_url"], dest))
    nb = page_to_notebook(markdown, lang, site_url + page.url, site_url,
                          snippets=config["mdx_configs"]["pymdownx.snippets"], title=page.title,
                          install=install)
    if nb is None:
        return markdown
    stem = site_layout.page_name(src)
    page.meta["notebook"] = f"{stem}.ipynb"
    page.meta["notebook_download"] = f"nnguide-{stem}.{lang}.ipynb"
    _pending[page.file.abs_dest_path] = (Path(page.file.abs_dest_path).parent / f"{stem}.ipynb",
                                         nbformat.writes(nb) + "\n")
    return markdown


def on_post_page(output, page, config):
    item = _pending.pop(page.file.abs_dest_path, None)
    if item is not None:
        path, text = item
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return output
