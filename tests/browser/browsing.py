"""What the browser tests do with a tab: open a page and record what it loads, run a script
from this folder, run axe-core, switch to the dark palette or a phone's width."""

import contextlib
import functools
import os
import urllib.parse
from importlib.resources import files
from pathlib import Path

HERE = Path(__file__).resolve().parent
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
SEARCH_INDEX = "**/search/search_index.json"


@functools.cache
def script(name):
    """The JavaScript function in ``tests/browser/<name>``, for ``tab.evaluate``."""
    return (HERE / name).read_text(encoding="utf-8")


class Log:
    """What a tab loads and reports, from now until stop()."""

    def __init__(self, tab, site):
        self.tab, self.site = tab, site               # site: "http://127.0.0.1:<port>/nnguide/"
        self.outside = []          # requests to any other host
        self.failed = []           # requests to the site that failed
        self.errors = []           # console errors, uncaught exceptions
        self.received = []         # (url, bytes sent: its Content-Length) for the site's files
        self.mine = "{0.scheme}://{0.netloc}/".format(urllib.parse.urlsplit(site))
        self.handlers = {"request": self._request, "response": self._response,
                         "requestfailed": self._request_failed, "console": self._console,
                         "pageerror": lambda error: self.errors.append(f"uncaught: {error}")}
        for event, handler in self.handlers.items():
            tab.on(event, handler)

    def stop(self):
        for event, handler in self.handlers.items():
            self.tab.remove_listener(event, handler)

    def _request(self, request):
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and not (
                request.url.startswith(self.mine)):
            self.outside.append(request.url)

    def _response(self, response):
        if response.url.startswith(self.mine):
            if response.status >= 400:
                self.failed.append(f"{response.url} (HTTP {response.status})")
            length = response.headers.get("content-length")
            self.received.append((response.url, None if length is None else int(length)))

    def _request_failed(self, request):
        if request.url.startswith(self.mine):
            self.failed.append(f"{request.url} ({request.failure})")

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"{message.text} [{message.location.get('url', '')}]")


def load(tab, site, path=""):
    """Load the site's page at path in tab, as a first visit; returns the Log of what it did
    (call its stop()).

    Loaded means: the load event, then the search index (Material fetches it in a worker after
    the load, on every page) and the fonts (KaTeX's come when the math is typeset).
    """
    origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(site))
    tab.goto(origin + "/blank")             # the server's bare 404 page, same origin: no script
    tab.evaluate("localStorage.clear(); sessionStorage.clear()")     # nothing stored before
    log = Log(tab, site)
    with tab.expect_response(SEARCH_INDEX):
        tab.goto(site + path)
    tab.evaluate("document.fonts.ready.then(() => null)")
    return log


def axe_violations(tab, only=None):
    """axe-core's serious and critical violations on the tab's page, in its current state.

    ``only``: the axe rule ids to run (default: every rule axe runs by default that can report
    a serious or critical violation). The color-contrast rule looks at one element per kind of
    text (contrast_samples.js).
    """
    if not tab.evaluate("typeof axe !== 'undefined'"):
        tab.evaluate(_axe_source())
    tab.evaluate(script("contrast_samples.js"))
    problems = []
    for violation in tab.evaluate(script("axe_run.js"), only):
        if violation["impact"] not in ("serious", "critical"):
            continue
        nodes = violation["nodes"]
        where = "; ".join(
            " ".join(node["target"]) + (f" ({node['any'][0]['message']})" if node["any"] else "")
            for node in nodes[:3])
        problems.append(f"{violation['id']} ({violation['impact']}, {len(nodes)} elements): "
                        f"{violation['help']}: {where}")
    return problems


@functools.cache
def _axe_source():
    """axe.min.js as the axe-playwright-python wheel ships it (no npm, no network)."""
    return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


SCHEME = "document.body.getAttribute('data-md-color-scheme')"


def toggle_palette(tab, to):
    """Click the header's palette toggle, as a reader does; the scheme must become ``to``
    ("slate": dark, "default": light)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    toggle = {"slate": "__palette_1", "default": "__palette_0"}[to]
    tab.locator(f'label.md-header__button[for="{toggle}"]').click()
    try:
        tab.wait_for_function(f"{SCHEME} === '{to}'", timeout=3000)
    except PlaywrightTimeout:
        raise AssertionError(f"the palette toggle did not switch to {to!r}: the scheme is "
                             f"{tab.evaluate(SCHEME)!r}") from None


@contextlib.contextmanager
def dark_palette(tab):
    """The tab in the dark palette, chosen with the toggle; light again afterwards."""
    toggle_palette(tab, "slate")
    try:
        yield
    finally:
        toggle_palette(tab, "default")


@contextlib.contextmanager
def phone_width(tab):
    """The tab 375 px wide, scrolled to the top; desktop size again afterwards."""
    tab.set_viewport_size(PHONE)
    tab.evaluate("window.scrollTo(0, 0)")
    try:
        yield
    finally:
        tab.set_viewport_size(DESKTOP)
