"""The offline copy (``make offline``: dist/nnguide-offline.zip), opened from disk.

The zip is unpacked and every page of both languages is opened from ``file://`` in headless
Chromium (Playwright), once; any request that is not ``file://`` is refused and recorded.
Checked: nothing is requested from anywhere else, no script error, math typeset, figures
shown, the language selector and the notebook downloads point at files of the copy, search
finds Chinese and English words, and every local link or file reference resolves.
See tests/dist_support.py for where the zip comes from (built here, or ``$NNGUIDE_DIST``).
"""

import json
import re
import urllib.parse
import zipfile
from pathlib import Path

import pytest

import dist_support
from dist_support import LANGS, ROOT

SHIM = "assets/javascripts/iframe-worker/shim.js"
SEARCHES = [("zh", "交叉熵", "losses.html"), ("en", "entropy", "en/losses.html")]
REF = re.compile(r"""\b(?P<attr>href|src)=["'](?P<ref>[^"']*)["']""")
LOADS_FROM_ELSEWHERE = re.compile(
    r"""<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc=["'](?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//|@import\s+["'](?:https?:)?//""", re.IGNORECASE)
LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
LINK_LOADS = {"stylesheet", "preload", "modulepreload", "icon", "manifest", "prefetch"}

FACTS_JS = r"""
async () => {
  const article = document.querySelector("article.md-content__inner") || document.body;
  const images = [...article.querySelectorAll("img")];
  for (const img of images) {      // a figure loads when the reader comes near it (lazy)
    img.scrollIntoView();
    await img.decode().catch(() => null);
  }
  return {
    lang: document.documentElement.lang,
    katex: article.querySelectorAll(".katex").length,
    untypeset: [...article.querySelectorAll(".arithmatex")]
      .filter(el => !el.querySelector(".katex, math")).map(el => el.textContent.slice(0, 60)),
    katexErrors: [...article.querySelectorAll(".katex-error")]
      .map(el => el.textContent.slice(0, 60)),
    images: images.map(img => ({src: img.getAttribute("src").slice(0, 80),
                                width: img.naturalWidth})),
    downloads: [...document.querySelectorAll("a[download]")].map(a => a.href),
    switcher: Object.fromEntries([...document.querySelectorAll(".md-select__link[hreflang]")]
      .map(a => [a.getAttribute("hreflang"), a.href])),
  };
}
"""


# ---------------------------------------------------------------- no build needed

def test_offline_config_only_adds_the_offline_plugin():
    """mkdocs.offline.yml INHERITs mkdocs.yml. mkdocs merges mappings of an inherited file
    but replaces lists: mkdocs.yml's plugins must stay a mapping for `offline` to be added
    to them rather than replace them."""
    main = dist_support.load_config("mkdocs.yml")
    offline = dist_support.load_config("mkdocs.offline.yml")
    assert isinstance(main["plugins"], dict), (
        "mkdocs.yml's plugins must be a mapping (`search:`, not `- search:`), or "
        "mkdocs.offline.yml would replace them all with its one plugin")
    assert offline == {"INHERIT": "mkdocs.yml", "plugins": {"offline": {}},
                       "extra": {"polyfills": [SHIM]}}


def test_iframe_worker_shim_is_vendored_with_its_licence():
    shim = ROOT / "overrides" / SHIM
    licence = shim.with_name("LICENSE")
    assert "IFrameWorker" in shim.read_text(encoding="utf-8"), f"{shim} is not iframe-worker"
    assert "Permission is hereby granted" in licence.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the zip

@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    """The unpacked offline copy: the folder that holds index.html."""
    folder = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(dist_support.offline_zip()) as z:
        tops = {name.split("/", 1)[0] for name in z.namelist()}
        assert tops == {"nnguide-offline"}, f"the zip should hold one folder, not {tops}"
        z.extractall(folder)
    return folder / "nnguide-offline"


def html_files(copy):
    return sorted(p for p in copy.rglob("*.html")
                  if p.relative_to(copy).parts[0] not in ("assets", "search"))


@pytest.mark.slow
def test_zip_holds_every_page_of_both_languages(copy):
    for lang in LANGS:
        for title, source in dist_support.nav():
            page = copy / dist_support.page_file(source, lang)
            assert page.is_file(), f"{title} ({lang}) is missing from the offline copy: {page}"
            assert f'<html lang="{lang}"' in page.read_text(encoding="utf-8"), page
    for needed in ("README.txt", "search/search_index.js", SHIM):
        assert (copy / needed).is_file(), f"{needed} is missing from the offline copy"
    server_only = [p.relative_to(copy).as_posix() for p in copy.rglob("*")
                   if p.suffix == ".map" or p.name in ("404.html", "sitemap.xml")]
    assert not server_only, f"files only a web server needs are in the zip: {server_only}"


@pytest.mark.slow
def test_every_local_link_and_file_reference_resolves(copy):
    broken = {}
    for page in html_files(copy):
        for m in REF.finditer(page.read_text(encoding="utf-8")):
            ref = m["ref"]
            if not ref or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//|^#", ref):
                continue
            path = urllib.parse.unquote(urllib.parse.urlsplit(ref).path)
            target = (page.parent / path).resolve()
            if not target.is_file() or not target.is_relative_to(copy.resolve()):
                broken.setdefault(page.relative_to(copy).as_posix(), []).append(ref)
    assert not broken, f"links or files that do not resolve inside the copy: {broken}"


@pytest.mark.slow
def test_nothing_is_loaded_from_another_host(copy):
    found = {}
    for file in html_files(copy) + sorted(copy.rglob("*.css")):
        text = file.read_text(encoding="utf-8")
        hits = [m.group(0)[:100] for m in LOADS_FROM_ELSEWHERE.finditer(text)]
        for tag in LINK_TAG.findall(text):
            rel = re.search(r"""\brel=["']([^"']*)["']""", tag)
            href = re.search(r"""\bhref=["']((?:https?:)?//[^"']*)["']""", tag)
            if href and rel and LINK_LOADS & set(rel.group(1).lower().split()):
                hits.append(tag[:100])
        if hits:
            found[file.relative_to(copy).as_posix()] = hits
    assert not found, f"resources loaded from other hosts: {found}"


# ---------------------------------------------------------------- in the browser

class Tab:
    """A fresh browser context and tab that refuses and records every request that is not
    file://, and records script errors."""

    def __init__(self, chromium):
        self.outside, self.errors = [], []
        self.context = chromium.new_context(viewport={"width": 1280, "height": 800})
        self.context.route("**/*", self._guard)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _guard(self, route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def open(self, file):
        self.page.goto(Path(file).resolve().as_uri(), wait_until="load")

    def close(self):
        self.context.close()
        assert not self.outside, f"requests that left the disk: {self.outside}"


@pytest.fixture(scope="module")
def visits(copy, chromium):
    """Every page of the copy, opened once from file:// in one tab: ``{path: facts}``.

    A request made after a page's facts were read counts for the next page (for the last
    one: within 300 ms)."""
    tab = Tab(chromium)
    facts, seen, path = {}, 0, None
    try:
        for page in html_files(copy):
            tab.errors.clear()
            tab.open(page)
            path = page.relative_to(copy).as_posix()
            facts[path] = tab.page.evaluate(FACTS_JS)
            facts[path].update(outside=tab.outside[seen:], errors=list(tab.errors))
            seen = len(tab.outside)
        tab.page.wait_for_timeout(300)
        facts[path]["outside"] += tab.outside[seen:]
        facts[path]["errors"] = list(tab.errors)
    finally:
        tab.outside.clear()          # reported by the tests, page by page
        tab.close()
    return facts


@pytest.mark.slow
@pytest.mark.browser
def test_no_request_leaves_the_disk_and_no_script_fails(visits):
    outside = {path: v["outside"] for path, v in visits.items() if v["outside"]}
    errors = {path: v["errors"] for path, v in visits.items() if v["errors"]}
    assert not outside, f"requests outside file:// (refused): {outside}"
    assert not errors, f"script errors: {errors}"


@pytest.mark.slow
@pytest.mark.browser
def test_math_is_typeset_and_figures_show(visits):
    for path, v in visits.items():
        assert not v["untypeset"], f"{path}: math left as TeX: {v['untypeset'][:3]}"
        assert not v["katexErrors"], f"{path}: KaTeX errors: {v['katexErrors'][:3]}"
        broken = [img["src"] for img in v["images"] if not img["width"]]
        assert not broken, f"{path}: images that did not load from disk: {broken}"
    for lang_path in ("gradient.html", "en/gradient.html"):
        page = visits[lang_path]
        assert page["katex"] >= 5, f"{lang_path}: only {page['katex']} typeset formulas"
        svgs = [img for img in page["images"] if img["src"].endswith(".svg")]
        assert len(svgs) >= 2, f"{lang_path}: figures missing: {page['images']}"


@pytest.mark.slow
@pytest.mark.browser
def test_language_selector_points_to_the_same_page_in_the_other_language(copy, visits):
    for path, v in visits.items():
        lang = "en" if path.startswith("en/") else "zh"
        name = path.removeprefix("en/")
        wanted = {"zh": (copy / name).as_uri(), "en": (copy / "en" / name).as_uri()}
        assert v["lang"] == lang, f"{path}: <html lang={v['lang']!r}>"
        assert v["switcher"] == wanted, f"{path}: language selector {v['switcher']}"


@pytest.mark.slow
@pytest.mark.browser
def test_language_selector_switches_in_the_browser(copy, chromium):
    tab = Tab(chromium)
    try:
        tab.open(copy / "gradient.html")
        for lang, file in (("en", copy / "en" / "gradient.html"), ("zh", copy / "gradient.html")):
            tab.page.hover(".md-select")
            tab.page.locator(f'.md-select__link[hreflang="{lang}"]').click()
            tab.page.wait_for_url(file.as_uri(), timeout=5000)
            assert tab.page.evaluate("document.documentElement.lang") == lang
    finally:
        tab.close()


@pytest.mark.slow
@pytest.mark.browser
def test_notebook_downloads_are_notebooks_in_the_copy(copy, visits):
    count = 0
    for path, v in visits.items():
        for href in v["downloads"]:
            file = Path(urllib.parse.unquote(urllib.parse.urlsplit(href).path))
            assert href.startswith("file:") and file.is_relative_to(copy), f"{path}: {href}"
            assert file.suffix == ".ipynb" and file.is_file(), f"{path}: {href} is missing"
            notebook = json.loads(file.read_text(encoding="utf-8"))
            assert notebook["nbformat"] == 4 and notebook["cells"], f"{file}: not a notebook"
            count += 1
    for lang_path in ("notebook.html", "en/notebook.html", "gradient.html", "en/gradient.html"):
        assert visits[lang_path]["downloads"], f"{lang_path} has no notebook download"
    assert count >= 4


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("lang,query,target", SEARCHES, ids=[s[0] for s in SEARCHES])
def test_search_finds_words_of_both_languages(copy, chromium, lang, query, target):
    tab = Tab(chromium)
    try:
        tab.open(copy / ("index.html" if lang == "zh" else "en/index.html"))
        tab.page.locator(".md-search__input").click()
        tab.page.keyboard.type(query)    # CJK text arrives as text input, with no key events:
        tab.page.keyboard.press("End")   # a key, as an input method's commit, starts the search
        tab.page.locator(".md-search-result__item").first.wait_for(timeout=15000)
        links = tab.page.evaluate("[...document.querySelectorAll('.md-search-result__item a')]"
                                  ".map(a => a.href.split(/[?#]/)[0])")
    finally:
        tab.close()
    assert (copy / target).as_uri() in links, f"{query!r} did not find {target}: {links[:8]}"
