"""Fixtures of the browser tests: the built site served from 127.0.0.1, and ``visit``: one page
of the site, loaded once for the tests about it (Chromium itself: ``chromium`` in the root
conftest.py)."""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from static_server import serve

from .browsing import DESKTOP, Log, load
from .site_pages import SITE_PATH, SitePage

@pytest.fixture(scope="session")
def site(built_site):
    """The address of the built site, served on 127.0.0.1 under site_url's path
    ("http://127.0.0.1:<port>/nnguide/"), as on GitHub Pages."""
    server, address = serve(built_site, SITE_PATH)
    yield address
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def screenshots():
    """The folder named by $NNGUIDE_SCREENSHOTS, where the tests put screenshots of every
    page (desktop and phone); None when it is not set (no screenshots: they take time)."""
    folder = os.environ.get("NNGUIDE_SCREENSHOTS")
    if not folder:
        return None
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def reader_tab(chromium):
    """The tab in which the tests load the pages one after another, each as a first visit
    (browsing.load): 1280 px wide, light system palette, no HTTP cache, empty storage.

    One tab for all pages is several times cheaper than a new one per page: Chromium keeps
    its renderer process and the code it compiled (Material, KaTeX, axe-core).
    """
    context = chromium.new_context(viewport=DESKTOP, color_scheme="light",
                                   reduced_motion="reduce",       # no transitions to wait for
                                   permissions=["clipboard-read", "clipboard-write"])
    context.set_default_timeout(10_000)
    context.route("**/*", lambda route: route.continue_())    # Playwright: no HTTP cache
    yield context.new_page()
    context.close()


@dataclass
class Visit:
    page: SitePage     # which page of the site
    site: str          # the site's address
    tab: object        # Playwright's Page, showing it: 1280 px wide, light palette
    log: Log           # what it loaded and reported since it was loaded


@pytest.fixture(scope="module")
def visit(request, reader_tab, site, screenshots):
    """One page of the site (``request.param``: parametrize tests with ``indirect=True``),
    loaded once for the tests of a module about it, as a first visit.

    Tests that change the tab (palette, width, clicks) put it back as they found it.
    """
    page = request.param
    reader_tab.set_viewport_size(DESKTOP)
    log = load(reader_tab, site, page.path)
    if screenshots:
        reader_tab.screenshot(path=screenshots / f"{page}.png", full_page=True)
    yield Visit(page, site, reader_tab, log)
    log.stop()
