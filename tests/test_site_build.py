"""The built site: `mkdocs build --strict` passes, and what it does not catch is caught here.

``built_site`` (root conftest) builds the whole site once per session; every
test here is therefore marked slow.
"""

import json
import re

import site_layout

LANGS = site_layout.languages()
PLAIN_LINK_RELS = {"canonical", "alternate", "translation", "prev", "next"}  # load nothing
_TAG = re.compile(r"<(?P<name>script|link|img|iframe|source|video|audio|embed|object|track)\b"
                  r"(?P<attrs>[^>]*)>", re.I)
_ATTR = re.compile(r'(?P<key>[\w:-]+)\s*=\s*'
                   r'(?:"(?P<dq>[^"]*)"|\'(?P<sq>[^\']*)\'|(?P<bare>[^\s>]+))')
_EXTERNAL = re.compile(r"^\s*(?:https?:)?//", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?(?:https?:)?//""", re.I)
_JS_IMPORT = re.compile(r"""import\(\s*["'](?:https?:)?//[^"']+""")


def html_pages(site):
    return sorted(p for p in site.rglob("index.html") if "assets" not in p.parts)


def _attrs(text):
    return {m["key"].lower(): next(v for v in (m["dq"], m["sq"], m["bare"]) if v is not None)
            for m in _ATTR.finditer(text)}


def test_every_nav_page_is_built_in_every_language(built_site):
    for source in site_layout.nav_pages():
        for lang in LANGS:
            page = built_site / site_layout.url_for(site_layout.page_name(source), lang)
            page = page / "index.html"
            assert page.is_file(), f"{source} ({lang}) was not built: {page} missing"
            html = page.read_text(encoding="utf-8")
            assert f'<html lang="{lang}"' in html, f"{page}: wrong <html lang>"


def test_no_page_is_raw_notebook_json(built_site):
    """ultrabug/mkdocs-static-i18n#198: tools/notebook_pages.py must keep working."""
    raw = [p for p in html_pages(built_site)
           if p.read_text(encoding="utf-8").lstrip().startswith("{")]
    assert not raw, f"pages written as raw notebook JSON (i18n + jupyter hook broken): {raw}"


def test_nothing_is_loaded_from_outside_the_site(built_site):
    """No <script src>, <link rel=stylesheet|icon|...>, <img src>, import(), CSS @import elsewhere.

    Links that load nothing (<a href>, <link rel=canonical|alternate>) may point anywhere.
    """
    problems = []
    for path in sorted(built_site.rglob("*.html")) + sorted(built_site.rglob("*.css")):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(built_site)
        for tag in _TAG.finditer(text) if path.suffix == ".html" else ():
            attrs, name = _attrs(tag["attrs"]), tag["name"].lower()
            if name == "link" and set(attrs.get("rel", "").lower().split()) <= PLAIN_LINK_RELS:
                continue
            for key in ("src", "href", "data", "srcset", "poster"):
                if key in attrs and _EXTERNAL.match(attrs[key]):
                    problems.append(f"{where}: <{name} {key}={attrs[key]}>")
        problems += [f"{where}: {m.group(0)}" for m in _JS_IMPORT.finditer(text)]
        problems += [f"{where}: {m.group(0)}" for m in _CSS_IMPORT.finditer(text)]
    assert not problems, "\n".join(problems[:20])


def test_embedded_package_code_is_never_empty(built_site):
    block = re.compile(r'<span class="filename">(nnguide/[^<]+)</span><pre><span></span>'
                       r'(?:<nav class="md-code__nav">.*?</nav>)?<code>(.*?)</code></pre>', re.DOTALL)
    embeds = 0
    for page in html_pages(built_site):
        html = page.read_text(encoding="utf-8")
        assert "--8&lt;--" not in html and "--8<--" not in html, f"{page}: unresolved snippet"
        for name, code in block.findall(html):
            embeds += 1
            text = re.sub(r"<[^>]+>", "", code)
            assert ("def " in text or "class " in text), f"{page}: empty embed of {name}"
    assert embeds > 0, "no embedded nnguide code found in the built site"


ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.DOTALL)
RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$")


def article(html):
    return html[html.index("<article"):html.index("</article>")]


def test_math_is_typeset_at_build_time_and_needs_no_script(built_site):
    """tools/katex_math.py: every formula is KaTeX's HTML in the page; no page loads KaTeX's
    script (nor auto-render); the stylesheet and fonts are served."""
    assert (built_site / "assets" / "katex" / "katex.min.css").is_file()
    assert any((built_site / "assets" / "katex" / "fonts").glob("*.woff2"))
    formulas = {}
    for page in html_pages(built_site):
        html = page.read_text(encoding="utf-8")
        name = str(page.relative_to(built_site))
        assert not re.search(r"<script[^>]*(katex|auto-render)", html), \
            f"{name} loads KaTeX's script"
        assert "katex-error" not in html, name
        for tag, inner in ARITHMATEX.findall(html):
            assert inner.startswith('<span><span class="katex'), f"{name}: untypeset {inner[:80]}"
        text = re.sub(r"<(code|pre|annotation|script|style)\b.*?</\1>", "", article(html),
                      flags=re.DOTALL)
        raw = RAW_TEX.findall(re.sub(r"<[^>]+>", "", text))
        assert not raw, f"{name}: TeX delimiters left in the text: {raw[:5]}"
        formulas[name] = html.count('<span class="katex">')
    assert formulas["losses/index.html"] >= 10 and formulas["en/losses/index.html"] >= 10
    # Notebook pages: $...$ in Markdown cells is typeset too.
    assert formulas["notebook/index.html"] >= 2 and formulas["en/notebook/index.html"] >= 2
    chapters = [n for n in formulas if not n.startswith("en/")]
    assert all(formulas[n] == formulas["en/" + n] for n in chapters if "en/" + n in formulas), \
        {n: (formulas[n], formulas.get("en/" + n)) for n in chapters}


def test_search_index_keeps_the_tex_not_katex_markup(built_site):
    """The index holds each formula's TeX, as before build-time KaTeX, not the text of
    KaTeX's markup (MathML, TeX and HTML run together: "yky_kyk\u200b" for y_k)."""
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["title"] + " " + d["text"] for d in index["docs"])
    assert r"\(y_k\)" in text
    assert "katex" not in text and "yky_k" not in text.replace("\u200b", "")


def test_every_code_block_has_a_copy_button_in_the_html(built_site):
    """tools/copy_buttons.py: each pre > code of a highlighted block gets Material's button,
    titled in the page's language, aimed at that block's code."""
    titles = {"zh": "复制", "en": "Copy to clipboard"}
    for page in html_pages(built_site):
        html = article(page.read_text(encoding="utf-8"))
        name = str(page.relative_to(built_site))
        lang = "en" if name.startswith("en/") else "zh"
        blocks = re.findall(r'<div data-nnguide-code="(\d+)"[^>]*\bclass="[^"]*\bhighlight\b'
                            r'[^>]*>(?:<span class="filename">.*?</span>)?<pre\b[^>]*>'
                            r'(?:<span></span>)?<nav class="md-code__nav">(.*?)</nav><code', html,
                            flags=re.DOTALL)
        assert len(blocks) == len(re.findall(r"<pre\b[^>]*>(?:<span></span>)?(?:<nav\b.*?</nav>)?"
                                             r"<code", html, flags=re.DOTALL)), name
        assert [int(n) for n, _ in blocks] == list(range(1, len(blocks) + 1)), name
        for n, nav in blocks:
            assert nav == (f'<button class="md-code__button" title="{titles[lang]}" '
                           f'data-clipboard-target="[data-nnguide-code=&quot;{n}&quot;] &gt; pre '
                           f'&gt; code" data-md-type="copy"></button>'), (name, nav)


def test_figures_load_lazily_into_a_box_of_their_own_size(built_site):
    """tools/lazy_figures.py: every figure waits for the reader (loading=lazy) and reserves
    the box of its SVG (width and height in points, as CSS pixels), so nothing moves."""
    figures = 0
    for page in html_pages(built_site):
        for m in _TAG.finditer(article(page.read_text(encoding="utf-8"))):
            attrs = _attrs(m["attrs"])
            if m["name"].lower() != "img" or "assets/figures/" not in attrs.get("src", ""):
                continue
            figures += 1
            svg = (page.parent / attrs["src"]).resolve().read_text(encoding="utf-8")[:2000]
            size = re.search(r'<svg\b[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', svg)
            where = f"{page.relative_to(built_site)}: {attrs['src']}"
            assert attrs.get("loading") == "lazy", f"{where}: loading={attrs.get('loading')}"
            assert (int(attrs.get("width", 0)), int(attrs.get("height", 0))) == tuple(
                round(float(pt) * 4 / 3) for pt in size.groups()), f"{where}: {attrs}"
    in_sources = sum(p.read_text(encoding="utf-8").count("](assets/figures/")
                     for p in site_layout.DOCS.glob("*.md"))
    assert figures == in_sources > 0, f"{figures} figures in the pages, {in_sources} in docs/"


def test_every_table_comes_in_materials_wrappers(built_site):
    """tools/wrapped_tables.py: no table is left for Material's script to move at load time."""
    wrapped, in_sources = 0, sum(len(re.findall(r"^\|[ :]*---", p.read_text(encoding="utf-8"),
                                                re.M)) for p in site_layout.DOCS.glob("*.md"))
    for page in html_pages(built_site):
        html = article(page.read_text(encoding="utf-8"))
        where = page.relative_to(built_site)
        assert not re.search(r"<table(?:>|\s(?![^>]*\bclass=))", html), f"{where}: a bare table"
        ours = html.split('<table class="nnguide-table">')
        for before in ours[:-1]:
            assert before.endswith('<div class="md-typeset__scrollwrap">'
                                   '<div class="md-typeset__table">'), f"{where}: not wrapped"
        wrapped += len(ours) - 1
    assert wrapped >= in_sources > 0, f"{wrapped} tables built, {in_sources} in docs/*.md"


def test_search_index_holds_every_language(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    terms = {"zh": ("交叉熵", "梯度"), "en": ("entropy", "gradient")}
    for lang in LANGS:
        prefix = site_layout.url_for("index", lang)
        others = [site_layout.url_for("index", other) for other in LANGS if other != lang]
        text = " ".join(d["text"] + d["title"] for d in docs
                        if d["location"].startswith(prefix)
                        and not any(o and d["location"].startswith(o) for o in others))
        for term in terms[lang]:
            assert term in text.lower(), f"{term} missing from the {lang} search index"


# ---------------------------------------------------------------- interface text per language

INTERFACE = {  # what each language's pages must say, and the English that must not stay
    "zh": {"permalink": "永久链接", "section": "参数：", "returns": "返回：",
           "bases": "基类：", "copy": 'aria-label="复制"',
           "copied": ">已复制<", "not_found": "找不到这个页面"},
    "en": {"permalink": "Permanent link", "section": "Parameters:", "returns": "Returns:",
           "bases": "Bases: ",
           "copy": 'aria-label="Copy to clipboard"', "copied": ">Copied!<",
           "not_found": "Page not found"},
}
_HEADERLINK = re.compile(r'<a class="headerlink" href="#[^"]*" title="(?P<title>[^"]*)"')
_API_LABEL = re.compile(r'<span class="doc-section-title">(?P<label>[^<]*)</span>')


def _page(site, name, lang):
    return (site / site_layout.url_for(name, lang) / "index.html").read_text(encoding="utf-8")


def test_heading_links_are_titled_in_the_page_language(built_site):
    """toc's permalink_title is one for the site; tools/interface_language.py sets it per build."""
    for lang in LANGS:
        prefix = site_layout.url_for("index", lang)
        others = [site_layout.url_for("index", o) for o in LANGS if o != lang]
        checked = 0
        for page in html_pages(built_site):
            where = page.relative_to(built_site).as_posix()
            if not where.startswith(prefix) or any(o and where.startswith(o) for o in others):
                continue
            titles = set(_HEADERLINK.findall(page.read_text(encoding="utf-8")))
            assert titles <= {INTERFACE[lang]["permalink"]}, f"{where}: {sorted(titles)}"
            checked += bool(titles)
        assert checked >= 10, f"{lang}: heading links found on only {checked} pages"
    notebook = _page(built_site, "notebook", "zh")
    assert f'title="{INTERFACE["zh"]["permalink"]}"' in notebook
    assert "Permanent link" not in notebook


def test_api_labels_are_in_the_page_language(built_site):
    """mkdocstrings' locale follows the language being built (and "Bases:" is translated)."""
    for lang in LANGS:
        html = _page(built_site, "api", lang)
        words = INTERFACE[lang]
        for key in ("section", "returns", "bases"):
            assert words[key] in html, f"api ({lang}): {words[key]!r} missing"
        other = next(o for o in LANGS if o != lang)
        labels = {m.group("label") for m in _API_LABEL.finditer(html)}
        assert labels, f"api ({lang}): no docstring labels found"
        for key in ("section", "returns"):
            foreign = INTERFACE[other][key]
            assert foreign not in labels, f"api ({lang}) shows {other} label {foreign!r}"
        # Parameters as lists, not tables (docstring_section_style: list): Material's script
        # wraps every table once the page has loaded, 400 ms of blocking time on a slow
        # phone for the API page's 31 tables (benchmarks/README.md), and a four-column
        # table scrolls sideways on a phone.
        assert "<table" not in html, f"api ({lang}): a docstring section is a table"
        assert INTERFACE[other]["bases"] not in html, f"api ({lang}): {other} 'Bases'"


def test_api_page_shows_what_a_reader_calls_not_internal_constants(built_site):
    html = _page(built_site, "api", "zh")
    for name in ("nnguide.checks.check_args", "nnguide.plots.plot_history",
                 "nnguide.losses.cross_entropy_error", "nnguide.train.train"):
        assert f'id="{name}"' in html, f"api: {name} missing"
    for constant in ("LABELS", "DEFAULT_RULES", "CJK_FONT", "RULES", "MIRRORS", "FILES"):
        assert not re.search(rf'id="nnguide\.\w+\.{constant}"', html), f"api shows {constant}"
    assert "$f(x)$" not in html, "api: the figure labels' dict is shown"


def test_notebook_copy_buttons_speak_the_page_language(built_site):
    for lang in LANGS:
        html = _page(built_site, "notebook", lang)
        assert html.count(INTERFACE[lang]["copy"]) >= 3, f"notebook ({lang}): copy buttons"
        assert INTERFACE[lang]["copied"] in html
        if lang != "en":
            assert "Copy to Clipboard" not in html and "Copied!" not in html, lang


def test_404_pages_are_in_their_language(built_site):
    """Each build writes the root 404.html; the default language must end up there."""
    for lang in LANGS:
        page = built_site / site_layout.url_for("index", lang) / "404.html"
        assert page.is_file(), f"{page} missing"
        html = page.read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in html, f"{page}: wrong <html lang>"
        assert INTERFACE[lang]["not_found"] in html, f"{page}: not in {lang}"
