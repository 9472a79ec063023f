"""The reading experience, checked in a real browser (headless Chromium driven by Playwright).

The built site (``built_site``) is served on 127.0.0.1 under the path of ``site_url``, text
gzip-compressed as GitHub Pages serves it. Every page of both languages is visited (see
browser_support.Browser) and checked: no console error and no request to any other host, the
language selector, typeset math, copy buttons that copy runnable code (a page's snippets,
copied with the buttons and pasted in order into a fresh Python, run without error), the light
and dark palettes, a 375 px phone (nothing overflows, the drawer shows the navigation),
axe-core (no serious or critical violation), figures shown with alt text in the page's
language, notebook pages and downloads, page weight. Search is tried in both languages.

axe-core's color-contrast rule runs on one element per kind of text (colour, background,
size, weight, opacity) the first time that kind appears on the site, in each palette: a
contrast problem is reported on the first page that shows it. All other rules run on every
element of every page.

Screenshots of every page go to ``$NNGUIDE_SCREENSHOTS`` (default: ``<tmp>/nnguide-screenshots``),
with ``weights.txt``; the folder and the weight table are printed at the end of the run.
Without Chromium or Playwright these tests skip, saying how to get them (in CI a skip fails).
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import site_layout
from browser_support import (CHROMIUM, DESKTOP, GET_BROWSER, LANGS, MAX_BYTES, Browser,
                             SiteServer, built_pages, discover_pages, format_weights,
                             load_axe_script, notebook_image_outputs, site_path_prefix)

PAGES = discover_pages()
NOTEBOOKS = [p for p in PAGES if p.kind == "notebook"]
DEFAULT_PAGES = [p for p in PAGES if p.lang == "zh"]
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SEARCHES = {"zh-cross-entropy": ("zh", "交叉熵", "losses"), "zh-gradient": ("zh", "梯度", "gradient"),
            "en-entropy": ("en", "entropy", "losses"), "en-gradient": ("en", "gradient", "gradient")}


def ids(pages):
    return [p.id for p in pages]


# ---------------------------------------------------------------- fixtures

class SnippetRuns:
    """Runs each page's copied snippets in a fresh Python, two at a time, in the background."""

    def __init__(self, mnist_dir, folder):
        self.folder = folder
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="nnguide-paste")
        self.env = dict(os.environ, NNGUIDE_DATA=str(mnist_dir), MPLBACKEND="Agg",
                        PYTHONDONTWRITEBYTECODE="1")
        self.env.pop("PYTHONPATH", None)
        self.futures = {}
        self.running = set()

    def submit(self, page, code):
        script = self.folder / f"{page.lang}-{page.slug.replace('/', '-') or 'index'}.py"
        script.write_text(code, encoding="utf-8")
        self.futures[page] = self.pool.submit(self._run, script)

    def _run(self, script):
        started = time.monotonic()
        workdir = tempfile.mkdtemp(prefix=script.stem + "-", dir=self.folder)
        with subprocess.Popen([sys.executable, str(script)], cwd=workdir, env=self.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
            self.running.add(proc)
            try:
                stdout, stderr = proc.communicate(timeout=300)
            except subprocess.TimeoutExpired:
                proc.kill()
                stdout, stderr = proc.communicate()
                stderr += "\n(killed after 300 s)"
            finally:
                self.running.discard(proc)
        result = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
        return script, result, time.monotonic() - started

    def close(self):
        self.pool.shutdown(wait=False, cancel_futures=True)
        for proc in list(self.running):
            proc.kill()


class _Summary:
    """Prints the screenshot folder, the time spent and the page weights at the end."""

    def __init__(self, chromium):
        self.chromium = chromium

    def pytest_terminal_summary(self, terminalreporter):
        write = terminalreporter.write_line
        terminalreporter.section("nnguide in a browser")
        shots = self.chromium.shots
        write(f"screenshots: {shots}  ({len(list(shots.glob('*.png')))} PNG files, weights.txt)")
        visits = self.chromium.done()
        totals = {}
        for visit in visits:
            for key, seconds in visit.timings.items():
                totals[key] = totals.get(key, 0) + seconds
        write(f"{len(visits)} pages visited ({sum(v.page.lang == 'zh' for v in visits)} zh, "
              f"{sum(v.page.lang == 'en' for v in visits)} en); seconds spent in visits: "
              + ", ".join(f"{k} {s:.1f}" for k, s in totals.items()))
        runs = self.chromium.runs
        if runs and runs.futures:
            done = [f.result() for f in runs.futures.values()
                    if f.done() and not f.cancelled() and f.exception() is None]
            slowest = max(done, key=lambda r: r[2]) if done else None
            write(f"pasted snippets: {len(done)} pages run, {sum(r[2] for r in done):.1f} s in all"
                  + (f"; slowest {slowest[0].stem} {slowest[2]:.1f} s" if slowest else ""))
        if visits:
            write(format_weights(visits))


@pytest.fixture(scope="session")
def browser(request, tmp_path_factory):
    """Headless Chromium on the built site, served from 127.0.0.1. Every page is scheduled for
    a visit at once; visits run in the background, a few at a time."""
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        pytest.skip(f"playwright is not installed; to run the browser tests: {GET_BROWSER}")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM} (or set NNGUIDE_CHROMIUM); {GET_BROWSER}")
    site = request.getfixturevalue("built_site")
    try:
        runs = SnippetRuns(request.getfixturevalue("mnist_dir"), tmp_path_factory.mktemp("pasted"))
    except pytest.skip.Exception:
        runs = None      # test_pasted_snippets_run_in_a_fresh_python skips, saying why
    shots = Path(os.environ.get("NNGUIDE_SCREENSHOTS")
                 or Path(tempfile.gettempdir()) / "nnguide-screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("*.png"):
        old.unlink()
    server = SiteServer(site, site_path_prefix())
    chromium = Browser(server, shots, load_axe_script(), on_snippets=runs and runs.submit)
    chromium.runs = runs
    request.config.pluginmanager.register(_Summary(chromium), "nnguide-browser-summary")
    chromium.schedule(PAGES)
    try:
        yield chromium
    finally:
        try:
            (shots / "weights.txt").write_text(format_weights(chromium.done()) + "\n",
                                               encoding="utf-8")
            chromium.close()
        finally:
            server.close()
            if runs:
                runs.close()


# ---------------------------------------------------------------- the set of pages

def test_every_page_of_the_built_site_is_checked(built_site):
    built = built_pages(built_site)
    checked = {p.path for p in PAGES}
    assert built == checked, (f"built but not checked: {sorted(built - checked)}; "
                              f"checked but not built: {sorted(checked - built)}")


@pytest.mark.parametrize("lang", LANGS)
def test_there_is_a_notebook_page(lang):
    found = [p.id for p in NOTEBOOKS if p.lang == lang]
    assert found, f"no notebook page (docs/*.{lang}.ipynb): the notebook pages have not landed"


# ---------------------------------------------------------------- across pages
# (first: they drive the browser while the page visits run in the background)

async def search(chromium, home, query):
    context = await chromium.new_context(viewport=DESKTOP)
    try:
        tab = await context.new_page()
        await tab.goto(chromium.url(home))
        await tab.locator(".md-search__input").click()
        await tab.keyboard.type(query)     # CJK text arrives as text input, with no key events:
        await tab.keyboard.press("End")    # a key, as an input method's commit, makes Material search
        await tab.locator(".md-search-result__item").first.wait_for()
        return await tab.evaluate("[...document.querySelectorAll('.md-search-result__item a')]"
                                  ".map(a => a.origin + a.pathname)")
    finally:
        await context.close()


@pytest.mark.parametrize("lang,query,slug", list(SEARCHES.values()), ids=list(SEARCHES))
def test_search_finds_the_chapter_in_the_language(browser, lang, query, slug):
    home = next(p for p in PAGES if p.lang == lang and p.slug == "")
    chapter = next(p for p in PAGES if p.lang == lang and p.slug == slug)
    links = browser.call(search(browser, home, query))
    wanted, other = browser.url(chapter), browser.url(chapter.other("en" if lang == "zh" else "zh"))
    assert wanted in links, f"{query!r} did not find {wanted}: {links}"
    assert other not in links or links.index(wanted) < links.index(other), (
        f"{query!r} ranks the other language's chapter first: {links}")


async def palette_on_dark_system(chromium, page):
    """A reader whose system is dark gets the dark palette; the toggle switches and is kept."""
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    context = await chromium.new_context(viewport=DESKTOP, color_scheme="dark")
    try:
        tab = await context.new_page()
        await tab.goto(chromium.url(page))
        assert await tab.evaluate(scheme) == "slate", "a dark system did not give the dark palette"
        await tab.locator('label.md-header__button[for="__palette_0"]').click()
        await tab.wait_for_function(f"{scheme} === 'default'")
        await tab.reload()
        assert await tab.evaluate(scheme) == "default", "the palette chosen was not remembered"
    finally:
        await context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_dark_system_gives_dark_palette_and_the_choice_is_remembered(browser, lang):
    browser.call(palette_on_dark_system(browser, next(p for p in PAGES if p.lang == lang)))


# ---------------------------------------------------------------- every page

@pytest.mark.parametrize("page", PAGES, ids=ids(PAGES))
def test_page_loads_with_no_error_and_nothing_from_outside(browser, page):
    load = browser.visit(page).desktop
    problems = ([f"request to another host: {url}" for url in load.external]
                + [f"failed: {failure}" for failure in load.failed]
                + [f"console error: {text}" for text in load.console_errors])
    assert load.facts["lang"] == page.lang, f"<html lang={load.facts['lang']!r}>"
    assert not problems, "\n".join(dict.fromkeys(problems))


@pytest.mark.parametrize("page", PAGES, ids=ids(PAGES))
def test_page_weight(browser, page):
    load = browser.visit(page).desktop
    limit = MAX_BYTES[page.kind]
    assert 0 < load.bytes <= limit, (
        f"{load.bytes} bytes transferred (gzip) for a first load, limit {limit} "
        f"({load.raw_bytes} uncompressed); largest: {load.biggest}")


@pytest.mark.parametrize("page", PAGES, ids=ids(PAGES))
def test_math_is_typeset(browser, page):
    facts = browser.visit(page).desktop.facts
    assert not facts["rawMath"], f"TeX left as text: {facts['rawMath']}"
    assert not facts["untypeset"], f".arithmatex with no .katex inside: {facts['untypeset']}"
    assert not facts["katexErrors"], f"KaTeX could not typeset: {facts['katexErrors']}"
    assert facts["katex"] >= facts["arithmatex"]
    if page.kind == "notebook":
        notebook = json.loads(page.source.read_text(encoding="utf-8"))
        markdown = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
        if re.search(r"\$[^$\s][^$]*\$", markdown):
            assert facts["katex"] > 0, "the notebook's Markdown has $...$ math, the page shows none typeset"


@pytest.mark.parametrize("page", PAGES, ids=ids(PAGES))
def test_figures_show_and_have_alt_text_in_the_page_language(browser, page):
    problems = []
    for img in browser.visit(page).desktop.facts["images"]:
        alt = (img["alt"] or "").strip()
        if not img["complete"] or img["width"] == 0:
            problems.append(f"not shown (not decoded): {img['src']}")
        if not alt:
            problems.append(f"no alt text: {img['src']}")
        elif page.lang == "zh" and not CJK.search(alt):
            problems.append(f"alt text not in Chinese: {alt!r} ({img['src']})")
        elif page.lang == "en" and (CJK.search(alt) or not re.search(r"[A-Za-z]", alt)):
            problems.append(f"alt text not in English: {alt!r} ({img['src']})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", PAGES, ids=ids(PAGES))
def test_the_frame_speaks_the_page_language(browser, page):
    """Navigation, buttons, labels and API section titles are in the page's language."""
    facts = browser.visit(page).desktop.facts
    if page.lang == "zh":
        assert CJK.search(facts["searchPlaceholder"] or ""), (
            f"search box placeholder {facts['searchPlaceholder']!r} is not Chinese")
    else:
        chinese = sorted({text for text in facts["uiTexts"] if CJK.search(text)})
        assert not chinese, f"Chinese in the frame or labels of an English page: {chinese}"


@pytest.mark.parametrize("page", PAGES, ids=ids(PAGES))
def test_no_serious_accessibility_violation(browser, page):
    if browser.axe_script is None:
        pytest.skip("axe-core not found: pip install axe-playwright-python (it ships axe.min.js)")
    visit = browser.visit(page)
    problems = []
    for where, violations in (("light", visit.axe), ("dark", visit.dark.get("axe", []))):
        for v in violations:
            if v["impact"] not in ("serious", "critical"):
                continue
            nodes = v["nodes"]
            detail = "; ".join(
                f"{n['target']}" + (f" {n['any'][0]['message']}"
                                    if v["id"] == "color-contrast" and n.get("any") else "")
                for n in nodes[:3])
            problems.append(f"[{where}] {v['id']} ({v['impact']}, {len(nodes)} elements): "
                            f"{v['help']}: {detail}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", PAGES, ids=ids(PAGES))
def test_palette_toggle_gives_the_dark_palette(browser, page):
    visit = browser.visit(page)
    assert visit.desktop.facts["scheme"] == "default", "a light system did not give the light palette"
    assert visit.dark["scheme"] == "slate", "the palette toggle did not give the dark palette"


@pytest.mark.parametrize("page", PAGES, ids=ids(PAGES))
def test_fits_a_375px_phone(browser, page):
    overflow = browser.visit(page).dark["overflow"]
    assert not overflow, "\n".join(overflow)


@pytest.mark.parametrize("page", PAGES, ids=ids(PAGES))
def test_phone_drawer_shows_the_navigation(browser, page):
    facts = browser.visit(page).dark
    expected = len(site_layout.mkdocs_config()["nav"])  # top-level entries: a section is one
    assert facts["drawer_open"], "the hamburger did not open the drawer"
    assert len(facts["drawer_items"]) >= expected, (
        f"{len(facts['drawer_items'])} navigation entries visible in the drawer, expected "
        f"{expected}: {facts['drawer_items']}")


@pytest.mark.parametrize("page", PAGES, ids=ids(PAGES))
def test_language_switcher_goes_to_the_same_page_in_the_other_language(browser, page):
    visit = browser.visit(page)
    links = visit.desktop.facts["switcher"]
    expected = {lang: browser.url(page.other(lang)) for lang in LANGS}
    assert links == expected, f"language selector links {links}, expected {expected}"
    for step in visit.switches:    # zh pages: clicked to English and back
        assert step["url"] == step["expected"] and step["lang"] == step["to"], (
            f"clicking {step['to']!r} led to {step['url']} (<html lang={step['lang']!r}>), "
            f"expected {step['expected']}")
    if page.lang == "zh":
        assert [s["to"] for s in visit.switches] == ["en", "zh"]


@pytest.mark.parametrize("page", PAGES, ids=ids(PAGES))
def test_copy_button_copies_code_without_prompts_or_outputs(browser, page):
    problems = []
    for i, block in enumerate(browser.visit(page).snippets, 1):
        first = block["shown"][0] if block["shown"] else ""
        if block["problem"]:
            problems.append(f"block {i} ({first!r}): {block['problem']}")
            continue
        got = [line for line in block["clipboard"].splitlines() if line.strip()]
        want = [line for line in block["code"] if line.strip()]
        if got != want:
            problems.append(f"block {i} ({first!r}): the clipboard has\n{block['clipboard']}\n"
                            f"--- instead of\n" + "\n".join(block["code"]))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_notebook_page_shows_figures_and_offers_the_notebook(browser, page):
    facts = browser.visit(page).desktop.facts
    assert facts["jupyter"], "no .jupyter-wrapper: the notebook was not rendered as a notebook"
    figures = [img for img in facts["images"] if img["notebook"]]
    assert all(img["width"] > 0 for img in figures), f"figures not shown: {figures}"
    expected = notebook_image_outputs(page.source)
    assert len(figures) >= expected, f"{len(figures)} figures shown, the notebook has {expected}"
    assert facts["downloads"], "no link to download the .ipynb"
    for href in facts["downloads"]:
        assert href.startswith(browser.server.origin + "/"), href
        with urllib.request.urlopen(href, timeout=10) as response:
            notebook = json.loads(response.read().decode("utf-8"))
        assert notebook.get("nbformat") == 4 and notebook.get("cells"), f"{href}: not a notebook"
        assert notebook == json.loads(page.source.read_text(encoding="utf-8")), (
            f"{href} is not {page.source.name}")


@pytest.mark.parametrize("page", PAGES, ids=ids(PAGES))
def test_notebook_downloads_are_notebooks(browser, page):
    """Every .ipynb link of a page (notebook pages, chapters' generated notebooks) downloads
    a valid notebook from the site itself."""
    for href in browser.visit(page).desktop.facts["downloads"]:
        assert href.startswith(browser.server.origin + "/"), f"not on the site: {href}"
        with urllib.request.urlopen(href, timeout=10) as response:
            notebook = json.loads(response.read().decode("utf-8"))
        assert notebook.get("nbformat") == 4 and notebook.get("cells"), f"{href}: not a notebook"


@pytest.mark.parametrize("page", PAGES, ids=ids(PAGES))
def test_pasted_snippets_run_in_a_fresh_python(browser, page, mnist_dir):
    """A reader pastes the page's >>> snippets, copied with the buttons, in order: no error."""
    visit = browser.visit(page)
    uncopied = [i for i, block in enumerate(visit.snippets, 1) if block["clipboard"] is None]
    assert not uncopied, f"blocks {uncopied} could not be copied (see the copy-button test)"
    if not visit.snippets:
        return
    script, result, seconds = browser.runs.futures[page].result(timeout=600)
    assert result.returncode == 0, (
        f"{script} failed (exit {result.returncode}, {seconds:.1f} s):\n{result.stderr[-3000:]}")
