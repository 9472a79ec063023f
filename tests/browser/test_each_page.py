"""Every page of both languages as a reader gets it, in headless Chromium.

Each page is opened once (the ``visit`` fixture: 1280 px, light palette, a first visit), then
every test below looks at it; a test that changes the tab (palette, width, clicks) puts it
back. The in-page scripts are the ``.js`` files of this folder.
"""

import json
import re
import urllib.request

import pytest

import downloads
import site_layout

from .browsing import SCHEME, axe_violations, dark_palette, phone_width, script
from .site_pages import LANGS, NOTEBOOK_PAGES, PAGES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

each_page = pytest.mark.parametrize("visit", PAGES, indirect=True, ids=str)
each_notebook_page = pytest.mark.parametrize("visit", NOTEBOOK_PAGES, indirect=True, ids=str)

MAX_BYTES = {"md": 500_000, "notebook": 1_000_000}      # sent for a first visit (gzip)
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
COPY_BUTTON = "button.md-code__button[data-md-type=copy]"
NOTHING_COPIED = "\u2063(nothing was copied)"
DRAWER_OPEN = "document.getElementById('__drawer').checked"



@each_page
def test_loads_with_no_error_and_nothing_from_another_host(visit):
    lang = visit.tab.evaluate("document.documentElement.lang")
    assert lang == visit.page.lang, f'<html lang="{lang}">, expected {visit.page.lang!r}'
    log = visit.log
    problems = ([f"request to another host: {url}" for url in log.outside]
                + [f"failed request: {failure}" for failure in log.failed]
                + [f"console error: {error}" for error in log.errors])
    assert not problems, "\n".join(dict.fromkeys(problems))


@each_page
def test_page_weight(visit):
    """Bytes sent for a first visit (gzip-compressed text, as GitHub Pages sends it)."""
    received = visit.log.received
    unknown = [url for url, size in received if size is None]
    assert not unknown, f"responses without Content-Length (size unknown): {unknown}"
    total = sum(size for _, size in received)
    largest = sorted(received, key=lambda r: -r[1])[:3]
    limit = MAX_BYTES[visit.page.kind]
    assert 0 < total <= limit, f"{total} bytes sent, limit {limit}; largest: {largest}"


@each_page
def test_math_is_typeset(visit):
    math = visit.tab.evaluate(script("math.js"))
    assert not math["rawTex"], f"TeX left as text: {math['rawTex']}"
    assert not math["untypeset"], f"math that KaTeX did not typeset: {math['untypeset']}"
    assert not math["errors"], f"KaTeX could not typeset: {math['errors']}"
    assert not math["rescaledMathML"], (f"{len(math['rescaledMathML'])} MathML elements sized "
                                        f"by script level: {math['rescaledMathML'][:3]}")
    if visit.page.kind == "notebook":
        notebook = json.loads(visit.page.source.read_text(encoding="utf-8"))
        markdown = "".join("".join(cell["source"]) for cell in notebook["cells"]
                           if cell["cell_type"] == "markdown")
        if re.search(r"\$[^$\s][^$]*\$", markdown):
            assert math["katex"] > 0, "the notebook's Markdown has $...$, none is typeset"


@each_page
def test_tables_come_wrapped_and_look_as_the_theme_draws_them(visit):
    """tools/wrapped_tables.py wraps each table at build time, as Material's script would
    once the page has loaded; on screen and on paper it looks as the theme draws a table."""
    for media in ("screen", "print"):
        visit.tab.emulate_media(media=media)
        try:
            tables = visit.tab.evaluate(script("tables.js"))
        finally:
            visit.tab.emulate_media(media="screen")
        for i, table in enumerate(tables):
            where = f"table {i + 1} ({media})"
            assert table["cls"] == "nnguide-table", f"{where}: class {table['cls']!r}"
            assert table["wrapped"], f"{where}: not in Material's two wrappers, or twice"
            assert not table["differences"], f"{where}: " + "; ".join(table["differences"][:5])


@each_page
def test_figures_show_with_alt_text_in_the_page_language(visit):
    problems = []
    for image in visit.tab.evaluate(script("images.js")):
        alt = (image["alt"] or "").strip()
        if not image["shown"]:
            problems.append(f"not shown: {image['src']}")
        if not alt:
            problems.append(f"no alt text: {image['src']}")
        elif visit.page.lang == "zh" and not CJK.search(alt):
            problems.append(f"alt text not in Chinese: {alt!r} ({image['src']})")
        elif visit.page.lang == "en" and (CJK.search(alt) or not re.search("[A-Za-z]", alt)):
            problems.append(f"alt text not in English: {alt!r} ({image['src']})")
    assert not problems, "\n".join(problems)


@each_page
def test_the_frame_speaks_the_page_language(visit):
    """Navigation, header, footer, labels and API section titles are in the page's language."""
    if visit.page.lang == "zh":
        placeholder = visit.tab.get_attribute(".md-search__input", "placeholder")
        assert CJK.search(placeholder or ""), f"search box placeholder {placeholder!r}"
    else:
        chinese = sorted({text for text in visit.tab.evaluate(script("frame_texts.js"))
                          if CJK.search(text)})
        assert not chinese, f"Chinese in the frame or labels of an English page: {chinese}"


@each_page
def test_language_switcher_leads_to_the_same_page_in_each_language(visit):
    links = dict(visit.tab.locator(".md-select__link[hreflang]").evaluate_all(
        "links => links.map(a => [a.hreflang, a.href])"))
    expected = {lang: visit.site + visit.page.twin(lang).path for lang in LANGS}
    assert links == expected, f"language links {links}, expected {expected}"
    # (test_whole_site.py clicks them, on one page)


@each_page
def test_copy_buttons_copy_the_code_without_prompts_or_outputs(visit):
    """A >>> block's copy button puts the code after the prompts on the clipboard, and that is
    Python (sybil runs the same examples, from the pages' sources)."""
    tab = visit.tab
    blocks = tab.evaluate(script("pycon_blocks.js"))
    problems = []
    for i, (block, copied) in enumerate(zip(blocks, tab.evaluate(script("copy_buttons.js")))):
        name = f"block {i + 1} ({block['firstLine']!r})"
        if not block["hasCopyButton"]:
            problems.append(f"{name}: no copy button")
        elif copied is None:
            problems.append(f"{name}: clicking its copy button copied nothing")
        elif [line for line in copied.splitlines() if line.strip()] != [
                line for line in block["code"] if line.strip()]:
            problems.append(f"{name}: the clipboard has\n{copied}\n--- instead of\n"
                            + "\n".join(block["code"]))
        else:
            try:
                compile(copied, name, "exec")
            except SyntaxError as error:
                problems.append(f"{name}: the copied code is not Python: {error}")
    assert not problems, "\n".join(problems)
    if blocks and blocks[0]["hasCopyButton"]:     # and a reader can click one with the mouse:
        tab.evaluate("text => navigator.clipboard.writeText(text)", NOTHING_COPIED)
        tab.locator(f'[data-pycon-block="0"] {COPY_BUTTON}').click(timeout=3000)
        copied = tab.evaluate(script("read_clipboard.js"), NOTHING_COPIED)
        assert copied is not None, "clicking the first copy button copied nothing"


@each_page
def test_no_code_block_scrolls_sideways_at_1280px(visit):
    wide = visit.tab.evaluate(script("wide_code.js"))
    assert not wide, "code blocks wider than their box:\n" + "\n".join(
        f"{b['title']}: {b['scrollWidth']} px in {b['clientWidth']} px; longest line "
        f"{b['longestLine']}" for b in wide)


@each_page
def test_no_serious_accessibility_violation_in_the_light_palette(visit):
    """axe-core: the rules it runs by default (those that can report serious problems)."""
    assert visit.tab.evaluate(SCHEME) == "default", "a light system did not get the light palette"
    problems = axe_violations(visit.tab)
    assert not problems, "\n".join(problems)


@each_page
def test_dark_palette_from_the_toggle_has_enough_contrast(visit):
    with dark_palette(visit.tab):                # clicks the toggle; asserts the palette is dark
        problems = axe_violations(visit.tab, only=["color-contrast"])
    assert not problems, "\n".join(problems)


@each_page
def test_on_a_375px_phone_nothing_overflows_and_the_drawer_shows_the_navigation(
        visit, screenshots):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    tab = visit.tab
    entries = len(site_layout.mkdocs_config()["nav"])     # top-level entries; a section is one
    with phone_width(tab):
        problems = tab.evaluate(script("overflow.js"))
        if screenshots:
            tab.screenshot(path=screenshots / f"{visit.page}-phone.png")
        tab.locator('label.md-header__button[for="__drawer"]').click()
        if not tab.evaluate(DRAWER_OPEN):
            problems.append("the menu button did not open the drawer")
        try:
            tab.wait_for_function(f"n => ({script('drawer_items.js')})().length >= n",
                                  arg=entries, timeout=3000)
        except PlaywrightTimeout:
            items = tab.evaluate(script("drawer_items.js"))
            problems.append(f"the drawer shows {len(items)} navigation entries, expected "
                            f"{entries}: {items}")
        if tab.evaluate(DRAWER_OPEN):
            tab.locator("label.md-overlay").dispatch_event("click")      # closes it again
    assert not problems, "\n".join(problems)


@each_page
def test_notebook_downloads_are_notebooks(visit):
    """A page with >>> examples offers them as a notebook (hooks/chapter_notebooks.py); a
    notebook page offers its notebook. Each .ipynb link downloads a notebook from the site."""
    links = visit.tab.locator("a[href$='.ipynb']").evaluate_all("links => links.map(a => a.href)")
    offers = visit.page.kind == "notebook" or "```pycon" in visit.page.source.read_text("utf-8")
    assert bool(links) == offers, (
        f"notebook links {links}; expected {'one' if offers else 'none'}")
    for href in links:
        assert href.startswith(visit.site), f"not on the site: {href}"
        with urllib.request.urlopen(href, timeout=10) as response:
            notebook = json.loads(response.read().decode("utf-8"))
        assert notebook.get("nbformat") == 4 and notebook.get("cells"), f"{href}: not a notebook"


@each_notebook_page
def test_notebook_page_shows_the_notebook_and_offers_it(visit):
    tab = visit.tab
    assert tab.locator(".jupyter-wrapper").count() == 1, "not rendered as a notebook"
    notebook = json.loads(visit.page.source.read_text(encoding="utf-8"))
    image_outputs = sum(
        any(kind in ("image/png", "image/jpeg", "image/gif") for kind in output.get("data", {}))
        for cell in notebook["cells"] for output in cell.get("outputs", []))
    figures = [image for image in tab.evaluate(script("images.js")) if image["inNotebook"]]
    assert len(figures) >= image_outputs, (
        f"{len(figures)} figures shown, the notebook has {image_outputs} image outputs")
    assert all(figure["shown"] for figure in figures), f"figures not shown: {figures}"
    links = tab.locator("a[href$='.ipynb']").evaluate_all("links => links.map(a => a.href)")
    assert len(links) == 1, f"expected one link to download the notebook: {links}"
    # the committed notebook, its install cell filled in for a build without an address
    wheel = site_layout.wheel_address("", visit.page.path + "index.html")
    offered = json.loads(downloads.fill_install_cell(json.dumps(notebook), wheel))
    with urllib.request.urlopen(links[0], timeout=10) as response:
        assert json.loads(response.read().decode("utf-8")) == offered, (
            f"{links[0]} is not {visit.page.source.name}")
