"""Checks across pages: the set of pages tested, a dark system, the language switcher clicked."""

import pytest

from .browsing import SCHEME, load, phone_width, toggle_palette
from .site_pages import LANGS, NOTEBOOK_PAGES, PAGES, site_page

ROOT_COLOR_SCHEME = "getComputedStyle(document.documentElement).colorScheme"
THEME_COLOR = "document.querySelector('meta[name=theme-color]').content"
HEADER_COLOR = "getComputedStyle(document.querySelector('header')).backgroundColor"
FOCUSED_TOGGLE = "document.activeElement.name === '__palette'"
# the regions javascripts/a11y.js looks after: wide tables (Material's wrapper), notebook cells
REGIONS = ".md-typeset__scrollwrap, .jupyter-wrapper pre"
SCROLLING_WITHOUT_TABINDEX = f"""[...document.querySelectorAll("{REGIONS}")]
  .filter(el => el.scrollWidth > el.clientWidth && !el.hasAttribute("tabindex")).length"""
OURS = "document.querySelectorAll('[data-nnguide-tabindex]').length"


@pytest.mark.slow
def test_every_page_of_the_built_site_is_tested(built_site):
    built = {"" if html.parent == built_site else html.parent.relative_to(built_site).as_posix()
             + "/" for html in built_site.rglob("index.html")}
    built = {path for path in built if path.split("/")[0] not in ("assets", "search")}
    tested = {page.path for page in PAGES}
    assert built == tested, (f"built but not tested: {sorted(built - tested)}; "
                             f"tested but not built: {sorted(tested - built)}")


@pytest.mark.parametrize("lang", LANGS)
def test_there_is_a_notebook_page(lang):
    assert any(page.lang == lang for page in NOTEBOOK_PAGES), f"no docs/*.{lang}.ipynb"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_a_dark_system_gets_the_dark_palette_and_the_choice_is_kept(reader_tab, site, lang):
    tab = reader_tab
    tab.emulate_media(color_scheme="dark")
    try:
        load(tab, site, site_page(lang, "").path).stop()
        assert tab.evaluate(SCHEME) == "slate", "a dark system did not get the dark palette"
        assert tab.evaluate(ROOT_COLOR_SCHEME) == "dark", "the page is not dark for the browser"
        toggle_palette(tab, "default")
        tab.reload()
        assert tab.evaluate(SCHEME) == "default", "the palette chosen was not kept"
        assert tab.evaluate(ROOT_COLOR_SCHEME) != "dark", "the page is still dark for the browser"
        assert tab.evaluate(THEME_COLOR) == tab.evaluate(HEADER_COLOR), "theme-color is off"
    finally:
        tab.emulate_media(color_scheme="light")


@pytest.mark.browser
@pytest.mark.slow
def test_the_palette_toggle_works_from_the_keyboard(reader_tab, site):
    """Enter on the focused toggle moves to the next palette, and focus stays on the toggle
    (overrides/partials/javascripts/palette.html, as Material's own component did)."""
    tab = reader_tab
    load(tab, site, site_page(LANGS[0], "").path).stop()
    tab.focus("input[name=__palette]:checked")
    for expected in ("slate", "default"):
        tab.keyboard.press("Enter")
        assert tab.evaluate(SCHEME) == expected, f"Enter did not switch to {expected!r}"
        assert tab.evaluate(FOCUSED_TOGGLE), "the toggle lost the keyboard focus"


@pytest.mark.browser
@pytest.mark.slow
def test_language_switcher_goes_to_the_other_language_and_back(reader_tab, site):
    """Clicked as a reader does (every page's links are checked in test_each_page.py)."""
    start = site_page(LANGS[0], "losses")
    tab = reader_tab
    load(tab, site, start.path).stop()
    for lang in [*LANGS[1:], LANGS[0]]:
        tab.hover(".md-select")
        tab.locator(f'.md-select__link[hreflang="{lang}"]').click()
        expected = site + start.twin(lang).path
        tab.wait_for_url(expected)
        assert tab.evaluate("document.documentElement.lang") == lang


@pytest.mark.browser
@pytest.mark.slow
def test_scrolling_regions_are_reachable_from_the_keyboard_at_every_width(reader_tab, site):
    """A wide table or notebook cell that scrolls sideways gets tabindex="0" (axe's
    scrollable-region-focusable), and loses it again when the page gets wide enough for it:
    javascripts/a11y.js watches their sizes, as a phone turned sideways changes them."""
    tab = reader_tab
    load(tab, site, site_page(LANGS[0], "glossary").path).stop()
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    with phone_width(tab):
        try:
            tab.wait_for_function(f"({SCROLLING_WITHOUT_TABINDEX}) === 0 && ({OURS}) > 0",
                                  timeout=3000)
        except PlaywrightTimeout:
            raise AssertionError(
                f"375 px wide: {tab.evaluate(SCROLLING_WITHOUT_TABINDEX)} region(s) scroll "
                f"without tabindex, {tab.evaluate(OURS)} got one from a11y.js") from None
    try:
        tab.wait_for_function(f"({OURS}) === 0", timeout=3000)
    except PlaywrightTimeout:
        raise AssertionError(f"1280 px wide: {tab.evaluate(OURS)} region(s) that no longer "
                             "scroll kept the tabindex a11y.js gave them") from None
    assert tab.evaluate(SCROLLING_WITHOUT_TABINDEX) == 0, "1280 px: a region scrolls unreachable"


ANSWERS = """() => [...document.querySelectorAll("article details")].map(d => ({
  open: d.open,
  shown: [...d.children].filter(c => c.tagName !== "SUMMARY")
    .map(c => getComputedStyle(c).display !== "none" && c.getBoundingClientRect().height > 0)}))"""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_an_answer_is_rendered_only_once_the_reader_opens_it(reader_tab, site, lang):
    """stylesheets/extra.css: a closed <details> renders nothing (display: none), so that
    measuring its code blocks does not lay it out; a click on its summary shows all of it."""
    tab = reader_tab
    load(tab, site, site_page(lang, "gradient").path).stop()
    answers = tab.evaluate(ANSWERS)
    assert answers and not any(a["open"] for a in answers), f"no closed answers: {answers}"
    assert not any(any(a["shown"]) for a in answers), f"closed answers rendered: {answers}"
    for summary in tab.locator("article details > summary").all():
        summary.click()
    answers = tab.evaluate(ANSWERS)
    assert all(a["open"] and a["shown"] and all(a["shown"]) for a in answers), answers
