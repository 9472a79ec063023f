"""Every chapter page as a runnable Jupyter notebook, generated at build time.

For each page with at least one ```` ```pycon ```` example, the build writes
``<page>.ipynb`` next to the page's ``index.html`` (so ``/gradient/gradient.ipynb``
and ``/en/gradient/gradient.ipynb``) and sets ``page.meta["notebook"]``,
which ``overrides/main.html`` turns into a download button. The page is the
one source, so a notebook can never be stale.

The notebook's first cell installs nnguide; then the prose becomes Markdown
cells and every ``pycon`` example a code cell (prompts and expected output
stripped; a cell ends after each example that prints something, so the
notebook shows every result the page shows; an example that expects a
traceback gets the ``raises-exception`` tag). ``py`` fences, package code
embedded with ``--8<--``, become Markdown code blocks with the section
resolved, not executed. Examples sybil skips are shown, not executed.
Relative links and images point to the published site.

``tests/test_notebooks.py`` imports :func:`page_to_notebook` and runs every
generated notebook.
"""

import doctest
import re
import textwrap
from pathlib import Path

import nbformat

PIP_INSTALL = '%pip install "nnguide @ git+https://github.com/nnguide/nnguide"'
DEFAULT_LANG = "zh"

INTRO = {
    "zh": ("> 本笔记本由网页 [{title}]({url}) 自动生成。第一个单元安装 nnguide，"
           "之后按顺序运行各个单元即可（**Run All**）。"),
    "en": ("> This notebook was generated from the page [{title}]({url}). The first cell "
           "installs nnguide; then run the cells in order (**Run All**)."),
}

_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
_ADMONITION = re.compile(r'^(?P<indent> *)(?:!!!|\?\?\?\+?)\s+(?P<type>[\w-]+)(?:\s+"(?P<title>[^"]*)")?\s*$')
_SNIPPET = re.compile(r'^\s*-{1,}8<-{1,}\s+"(?P<path>[^"]+)"\s*$')
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*(?:\{\s*#(?P<id>[\w-]+)[^}]*\})?\s*$")
_LINK = re.compile(r"(?P<bang>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)"
                   r"(?P<attrs>\{[^}\n]*\})?")
_COMMENT = re.compile(r"^\s*<!--(?P<body>.*?)-->\s*$")
_SKIP = re.compile(r"^\s*skip:\s*(?P<what>next|start|end)\b")

_sections_cache = {}


# ---------------------------------------------------------------- snippets

def _resolve_snippet(spec, base):
    """The text that ``--8<-- "path"`` or ``--8<-- "path:section"`` stands for, or None."""
    path, _, section = spec.partition(":")
    if section and not re.fullmatch(r"[A-Za-z][-\w]*", section):
        path, section = spec, ""
    file = Path(base) / path
    if not file.is_file():
        return None
    text = file.read_text(encoding="utf-8")
    if not section:
        return text.rstrip("\n")
    start = re.compile(rf"^\s*#?\s*-{{1,}}8<-{{1,}}\s+\[\s*start\s*:\s*{re.escape(section)}\s*\]")
    end = re.compile(rf"^\s*#?\s*-{{1,}}8<-{{1,}}\s+\[\s*end\s*:\s*{re.escape(section)}\s*\]")
    lines, inside = [], False
    for line in text.splitlines():
        if start.match(line):
            inside = True
        elif end.match(line):
            break
        elif inside and not re.match(r"^\s*#?\s*-{1,}8<-{1,}\s+\[", line):
            lines.append(line)
    return textwrap.dedent("\n".join(lines)).strip("\n") if lines else None


# ---------------------------------------------------------------- markdown

def _absolute(target, lang, site_url):
    """A page-relative link or image path as a URL on the published site."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", target):
        return target
    prefix = "" if lang == DEFAULT_LANG else f"{lang}/"
    path, hash_, anchor = target.partition("#")
    if path.endswith((".md", ".ipynb")):
        path = path.rsplit(".", 1)[0]
        path = "" if path in ("index", "") else (path[:-6] if path.endswith("/index") else path) + "/"
    return f"{site_url}{prefix}{path}{hash_}{anchor}"


def _rewrite_line(line, lang, site_url):
    def link(m):
        target = _absolute(m["target"], lang, site_url)
        return f"{m['bang']}[{m['text']}]({target}{m['title'] or ''})"
    line = _LINK.sub(link, line)
    heading = _HEADING.match(line)
    if heading and not line.startswith(" "):
        anchor = f' <a id="{heading["id"]}"></a>' if heading["id"] else ""
        line = f"{heading['hashes']} {heading['text']}{anchor}"
    return line


def _admonitions_to_quotes(lines):
    """``!!! note "Title"`` + indented body -> a Markdown blockquote (fences left as fences)."""
    out, i = [], 0
    while i < len(lines):
        m = _ADMONITION.match(lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        indent = len(m["indent"])
        title = m["title"] if m["title"] is not None else m["type"].capitalize()
        body, i = [], i + 1
        while i < len(lines) and (not lines[i].strip() or
                                  len(lines[i]) - len(lines[i].lstrip(" ")) >= indent + 4):
            body.append(lines[i][indent + 4:] if lines[i].strip() else "")
            i += 1
        while body and not body[-1]:
            body.pop()
        body = _admonitions_to_quotes(body)
        out.append(f"> **{title}**" if title else ">")
        out.append(">")
        in_fence = False
        for line in body:
            if _FENCE.match(line):
                in_fence = not in_fence
                out.append(line)
            else:
                out.append(line if in_fence else (f"> {line}" if line else ">"))
        out.append("")
    return out


def _examples(source):
    """The pycon block ``source`` as code cells: ``[(code, raises), ...]``."""
    parser = doctest.DocTestParser()
    cells, code = [], []
    for example in parser.get_examples(source):
        if code and (code[-1].count("\n") > 1 or example.source.count("\n") > 1):
            code.append("\n")
        code.append(example.source)
        if example.want or example.exc_msg is not None:
            cells.append(("".join(code).rstrip("\n"), example.exc_msg is not None))
            code = []
    if code:
        cells.append(("".join(code).rstrip("\n"), False))
    return cells


def page_to_cells(markdown, lang, site_url, base):
    """Split a page's Markdown into ``[("markdown" | "code", text, tags), ...]``."""
    lines = _admonitions_to_quotes(markdown.splitlines())
    cells, prose = [], []
    skip_next = skipping = False

    def flush():
        text = "\n".join(prose).strip("\n")
        if text.strip():
            cells.append(("markdown", text, []))
        prose.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        comment = _COMMENT.match(line)
        if comment:
            skip = _SKIP.match(comment["body"])
            if skip:
                skip_next = skip["what"] == "next"
                skipping = skip["what"] == "start" or (skipping and skip["what"] != "end")
            i += 1
            continue
        if line.lstrip().startswith("<!--") and "invisible-code-block:" in line:
            body, i = [], i + 1
            while i < len(lines) and "-->" not in lines[i]:
                body.append(lines[i])
                i += 1
            i += 1
            flush()
            cells.append(("code", textwrap.dedent("\n".join(body)).strip("\n"), []))
            continue
        fence = _FENCE.match(line)
        if fence and fence["info"].strip():
            indent, marker = fence["indent"], fence["fence"]
            info = fence["info"].strip()
            lang_name = info.split()[0].lstrip(".{")
            body, i = [], i + 1
            while i < len(lines) and not re.match(rf"^ *{re.escape(marker)}\s*$", lines[i]):
                body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
                i += 1
            i += 1
            source = "\n".join(body)
            if lang_name == "pycon" and not indent and not (skip_next or skipping):
                flush()
                for code, raises in _examples(source + "\n"):
                    cells.append(("code", code, ["raises-exception"] if raises else []))
            else:
                if lang_name in ("py", "python", "pycon"):
                    resolved = []
                    for body_line in body:
                        snippet = _SNIPPET.match(body_line)
                        if snippet:
                            text = _resolve_snippet(snippet["path"], base)
                            if text is not None:
                                resolved.append(text)
                        else:
                            resolved.append(body_line)
                    source = "\n".join(resolved)
                    title = re.search(r'title="([^"]*)"', info)
                    if title:
                        prose.append(f"{indent}`{title[1]}`:")
                        prose.append("")
                    lang_name = "python" if lang_name == "py" else lang_name
                prose.append(f"{indent}{marker}{lang_name}")
                prose.extend(f"{indent}{body_line}" if body_line else "" for body_line in
                             source.split("\n"))
                prose.append(f"{indent}{marker}")
            skip_next = False
            continue
        if fence:  # a fence without info string: copy it through unchanged
            marker = fence["fence"]
            prose.append(line)
            i += 1
            while i < len(lines):
                prose.append(lines[i])
                i += 1
                if re.match(rf"^ *{re.escape(marker)}\s*$", prose[-1]):
                    break
            continue
        snippet = _SNIPPET.match(line)
        if snippet:
            text = _resolve_snippet(snippet["path"], base)
            if text is not None and snippet["path"].endswith(".md"):
                prose.extend(_rewrite_line(t, lang, site_url) for t in text.splitlines())
            i += 1
            continue
        if _HEADING.match(line) and not line.startswith(" ") and len(line) - len(line.lstrip("#")) <= 2:
            flush()
        prose.append(_rewrite_line(line, lang, site_url))
        i += 1
    flush()
    return cells


def page_to_notebook(markdown, lang, page_url, site_url, base, title=None):
    """A page's Markdown as an ``nbformat`` v4 notebook, or None if it has no examples.

    ``page_url`` is the page's absolute URL (for the link in the intro cell),
    ``site_url`` the site's root URL ending in ``/``, ``base`` the folder that
    ``--8<--`` paths are relative to (the repository root).
    """
    cells = page_to_cells(markdown, lang, site_url, base)
    if not any(kind == "code" for kind, _, _ in cells):
        return None
    if title is None:
        heading = next((m for m in map(_HEADING.match, markdown.splitlines())
                        if m and len(m["hashes"]) == 1), None)
        title = heading["text"] if heading else page_url
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "nnguide": {"source": page_url, "lang": lang},
    }
    intro = INTRO.get(lang, INTRO["en"]).format(title=title, url=page_url)
    new = [nbformat.v4.new_code_cell(PIP_INSTALL, metadata={"tags": ["install"]})]
    for n, (kind, text, tags) in enumerate(cells):
        if n == 0 and kind == "markdown" and text.startswith("# "):
            first, _, rest = text.partition("\n")
            text = f"{first}\n\n{intro}\n{rest}"
        elif n == 0:
            new.append(nbformat.v4.new_markdown_cell(intro))
        if kind == "markdown":
            new.append(nbformat.v4.new_markdown_cell(text))
        else:
            new.append(nbformat.v4.new_code_cell(text, metadata={"tags": tags} if tags else {}))
    for n, cell in enumerate(new):
        cell["id"] = f"cell-{n}"
    nb.cells = new
    return nb


def page_lang(src_uri, default=DEFAULT_LANG):
    """The language of ``gradient.en.md`` (``en``); pages without a suffix get ``default``."""
    m = re.search(r"\.([a-z]{2})\.md$", src_uri)
    return m[1] if m else default


# ---------------------------------------------------------------- mkdocs hooks

_pending = {}


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if not src.endswith(".md") or page.file.abs_dest_path is None:
        return markdown
    lang = page_lang(src, config["theme"].get("language", DEFAULT_LANG))
    site_url = config["site_url"] or "/"
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    page_url = site_url + page.url
    nb = page_to_notebook(markdown, lang, page_url, site_url, Path(config["config_file_path"]).parent,
                          title=page.title)
    if nb is None:
        return markdown
    stem = re.sub(r"(\.[a-z]{2})?\.md$", "", Path(src).name)
    name = f"{stem}.ipynb"
    page.meta["notebook"] = name
    page.meta["notebook_download"] = f"nnguide-{stem}.{lang}.ipynb"
    _pending[page.file.abs_dest_path] = (Path(page.file.abs_dest_path).parent / name,
                                         nbformat.writes(nb) + "\n")
    return markdown


def on_post_page(output, page, config):
    item = _pending.pop(page.file.abs_dest_path, None)
    if item is not None:
        path, text = item
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return output
