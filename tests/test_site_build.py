"""The built site: `mkdocs build --strict` passes, and the failures it does not catch are caught here.

``built_site`` (root conftest) builds the whole site once per session.
"""

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXTERNAL = re.compile(r"""<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=["'](?:https?:)?//"""
                      r"""|<link\b[^>]*\bhref=["'](?:https?:)?//[^"']*["'][^>]*>"""
                      r"""|@import\s+url\(\s*["']?(?:https?:)?//""", re.IGNORECASE)
LINK_REL = re.compile(r"""\brel=["']([^"']*)["']""")


def html_pages(site):
    return sorted(p for p in site.rglob("index.html") if "assets" not in p.parts)


def nav_pages():
    loader = yaml.SafeLoader
    loader.add_multi_constructor("!", lambda *args: None)
    loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *args: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)
    return [next(iter(entry.values())) for entry in config["nav"]]


def page_dir(site, source, lang):
    name = Path(source).stem
    base = site if lang == "zh" else site / "en"
    return base if name == "index" else base / name


def test_every_nav_page_is_built_in_both_languages(built_site):
    for source in nav_pages():
        for lang in ("zh", "en"):
            page = page_dir(built_site, source, lang) / "index.html"
            assert page.is_file(), f"{source} ({lang}) was not built: {page} missing"
            html = page.read_text(encoding="utf-8")
            assert f'<html lang="{lang}"' in html, f"{page}: wrong <html lang>"


def test_no_page_is_raw_notebook_json(built_site):
    raw = [p for p in html_pages(built_site) if p.read_text(encoding="utf-8").lstrip().startswith("{")]
    assert not raw, f"pages written as raw notebook JSON (i18n + jupyter hook broken): {raw}"


def test_no_page_loads_anything_from_outside_the_site(built_site):
    offenders = {}
    for page in html_pages(built_site) + sorted(built_site.rglob("*.css")):
        found = [m.group(0)[:120] for m in EXTERNAL.finditer(page.read_text(encoding="utf-8"))]
        found = [f for f in found if not _is_plain_link(f)]
        if found:
            offenders[str(page.relative_to(built_site))] = found
    assert not offenders, f"external resources: {offenders}"


def _is_plain_link(tag):
    """A <link rel=canonical/alternate> points elsewhere but loads nothing."""
    rel = LINK_REL.search(tag)
    return tag.lower().startswith("<link") and rel is not None and \
        set(rel.group(1).split()) <= {"canonical", "alternate", "prev", "next"}


def test_embedded_package_code_is_never_empty(built_site):
    block = re.compile(r'<span class="filename">(nnguide/[^<]+)</span><pre><span></span><code>(.*?)</code></pre>',
                       re.DOTALL)
    embeds = 0
    for page in html_pages(built_site):
        html = page.read_text(encoding="utf-8")
        assert "--8&lt;--" not in html and "--8<--" not in html, f"{page}: unresolved snippet"
        for name, code in block.findall(html):
            embeds += 1
            text = re.sub(r"<[^>]+>", "", code)
            assert ("def " in text or "class " in text), f"{page}: empty embed of {name}"
    assert embeds > 0, "no embedded nnguide code found in the built site"


def test_math_is_left_for_katex_and_katex_is_served(built_site):
    assert (built_site / "assets" / "katex" / "katex.min.js").is_file()
    assert any((built_site / "assets" / "katex" / "fonts").glob("*.woff2"))
    pages_with_math = [p for p in html_pages(built_site)
                       if 'class="arithmatex"' in p.read_text(encoding="utf-8")]
    assert len(pages_with_math) >= 2, "expected formulas on the chapter pages"
    for page in pages_with_math:
        assert "katex.min.js" in page.read_text(encoding="utf-8"), page


def test_search_index_holds_both_languages(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    zh_text = " ".join(d["text"] + d["title"] for d in docs if not d["location"].startswith("en/"))
    zh_text = zh_text.replace("\u200b", "")     # jieba's word boundaries (Material's search)
    en_text = " ".join(d["text"] + d["title"] for d in docs if d["location"].startswith("en/"))
    for term in ("交叉熵", "梯度"):
        assert term in zh_text, f"{term} missing from the Chinese search index"
    for term in ("entropy", "gradient"):
        assert term in en_text.lower(), f"{term} missing from the English search index"
