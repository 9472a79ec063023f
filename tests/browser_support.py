"""Helpers for tests/test_browser.py: the pages of the site, a local server, one visit per page.

A *visit* loads a page in headless Chromium as a first visit (cache off, storage cleared),
desktop size, light palette, and records every fact the browser tests assert on; then, in the
same tab, it switches to the dark palette, narrows the window to a 375 px phone and opens the
drawer, and (Chinese pages) uses the language selector to go to English and back. Visits run
in the background, two at a time, on Playwright's async API in a thread of their own; each
page is visited once, however many tests look at it.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import http.server
import io
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
CHROMIUM = os.environ.get("NNGUIDE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
GET_BROWSER = ("apt-get install chromium (Debian's package; Playwright's own browser download "
               "does not work here) and pip install -e '.[browser]' (playwright, axe-playwright-python)")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
MAX_BYTES = {"md": 500_000, "notebook": 1_000_000}
SENTINEL = "\u2063nnguide: the copy button put nothing on the clipboard"


# ---------------------------------------------------------------- the pages

@dataclass(frozen=True)
class Page:
    lang: str
    slug: str          # "" for the home page, "losses", ...
    kind: str          # "md" or "notebook"
    source: Path

    @property
    def path(self):
        """URL path below the site root: "", "losses/", "en/", "en/losses/"."""
        prefix = "" if self.lang == DEFAULT_LANG else f"{self.lang}/"
        return prefix + (f"{self.slug}/" if self.slug else "")

    @property
    def id(self):
        return f"{self.lang}:{self.slug or 'index'}"

    def other(self, lang):
        return Page(lang, self.slug, self.kind, self.source)


def discover_pages():
    """Every page of the site, from docs/ (``name.zh.md``, ``name.en.ipynb``, ...).

    The list is needed at collection time, before the site is built; a test checks that
    it is exactly the set of pages in the built site.
    """
    pages = []
    for lang in LANGS:
        for source in sorted(DOCS.rglob(f"*.{lang}.*")):
            kind = {".md": "md", ".ipynb": "notebook"}.get(source.suffix)
            if kind is None:
                continue
            rel = source.relative_to(DOCS).as_posix()
            slug = rel[: -len(f".{lang}{source.suffix}")]
            slug = "" if slug == "index" else slug.removesuffix("/index")
            pages.append(Page(lang, slug, kind, source))
    return pages


def built_pages(site):
    """URL paths of the pages in a built site (every index.html but search/ and assets/)."""
    paths = set()
    for html in site.rglob("index.html"):
        rel = html.relative_to(site).parent.as_posix()
        if rel.split("/")[0] in ("assets", "search"):
            continue
        paths.add("" if rel == "." else rel + "/")
    return paths


def site_path_prefix(site_url=""):
    """The path the site is served under: that of ``site_url`` (``"/nnguide/"`` for
    ``https://example.org/nnguide/``), as on GitHub Pages; ``"/"`` for a build without an
    address (``built_site``), as ``mkdocs serve`` serves it. Some links are absolute paths
    (the language switcher on the home pages, mkdocs-jupyter's notebook address)."""
    path = urllib.parse.urlsplit(site_url).path or "/"
    return path if path.endswith("/") else path + "/"


# ---------------------------------------------------------------- the server

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map", ".ipynb", ".inv")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site below ``prefix``; text files gzip-compressed, as GitHub Pages serves them."""

    prefix = "/"
    gzipped = {}     # file path -> compressed bytes (shared by the handler threads)
    lock = threading.Lock()

    def translate_path(self, path):
        url_path = urllib.parse.urlsplit(path).path
        if not url_path.startswith(self.prefix):
            return str(Path(self.directory) / "__not_under_the_site_prefix__")
        return super().translate_path("/" + url_path[len(self.prefix):])

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urllib.parse.urlsplit(self.path).path.endswith("/"):
                return super().send_head()          # redirects to the "/" URL
            path = path / "index.html"
        if not (path.is_file() and path.suffix in COMPRESSIBLE
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        with self.lock:
            body = self.gzipped.get(path)
            if body is None:
                body = self.gzipped[path] = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):   # the browser hung up: fine
            super().handle_error(request, client_address)


class SiteServer:
    """The built site on http://127.0.0.1:<free port><prefix>, in a daemon thread."""

    def __init__(self, site, prefix):
        self.site = Path(site)
        self.prefix = prefix
        handler = type("Handler", (_Handler,), {"prefix": prefix, "gzipped": {}})
        self.httpd = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.base = self.origin + prefix
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def file_size(self, url):
        """Uncompressed size of the file behind a URL of the site (0 if none)."""
        path = urllib.parse.urlsplit(url).path
        if not path.startswith(self.prefix):
            return 0
        file = self.site / urllib.parse.unquote(path[len(self.prefix):])
        if file.is_dir() or path.endswith("/"):
            file = file / "index.html"
        return file.stat().st_size if file.is_file() else 0

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# ---------------------------------------------------------------- in-page scripts

FACTS_JS = r"""
async () => {
  const article = document.querySelector("article.md-content__inner") || document.body;
  const codeLike = "pre, code, .highlight, .katex, script, style, textarea, .jp-CodeCell .jp-InputArea";
  const blocks = "p, li, td, th, dd, dt, h1, h2, h3, h4, h5, h6, figcaption, blockquote, .admonition-title";
  // Text a reader sees, outside code and outside typeset math.
  const rawMath = [];
  const pattern = /\$\$|\$[^$\s][^$\n]*\$|\\\(|\\\)|\\\[|\\\]/;
  for (const el of article.querySelectorAll(blocks)) {
    if (el.closest(codeLike)) continue;
    let text = "";
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const parent = walker.currentNode.parentElement;
      if (parent && parent.closest(codeLike)) continue;
      text += walker.currentNode.textContent;
    }
    const m = text.match(pattern);
    if (m) rawMath.push(text.trim().slice(Math.max(0, m.index - 30), m.index + 60));
  }
  const arith = [...article.querySelectorAll(".arithmatex")];
  const images = [...article.querySelectorAll("img")];
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return {
    lang: document.documentElement.lang,
    scheme: document.body.getAttribute("data-md-color-scheme"),
    rawMath: [...new Set(rawMath)],
    arithmatex: arith.length,
    katex: article.querySelectorAll(".katex").length,
    untypeset: arith.filter(el => !el.querySelector(".katex")).map(el => el.textContent.trim().slice(0, 80)),
    katexErrors: [...article.querySelectorAll(".katex-error")].map(el => el.textContent.slice(0, 80)),
    jupyter: !!document.querySelector(".jupyter-wrapper"),
    images: images.map(img => ({
      src: img.currentSrc.startsWith("data:") ? img.currentSrc.slice(0, 40) + "..." : img.currentSrc,
      alt: img.getAttribute("alt"), width: img.naturalWidth, complete: img.complete,
      notebook: !!img.closest(".jupyter-wrapper"),
    })),
    downloads: [...document.querySelectorAll("a[href]")]
      .filter(a => new URL(a.href).pathname.endsWith(".ipynb")).map(a => a.href),
    // Words of the page's frame and headings (not its prose): must be in the page's language.
    uiTexts: [
      ...[...document.querySelectorAll(".doc :is(th, .doc-section-title), .md-nav__link, " +
                                       ".md-footer, .md-header__topic, .md-search__output")]
        .map(el => el.textContent),
      ...[...document.querySelectorAll("[title], [aria-label], [placeholder]")]
        .filter(el => !el.closest(".md-select__list"))
        .flatMap(el => ["title", "aria-label", "placeholder"].map(a => el.getAttribute(a)))]
      .filter(t => t && t.trim()).map(t => t.trim().replace(/\s+/g, " ").slice(0, 80)),
    searchPlaceholder: (document.querySelector(".md-search__input") || {}).placeholder,
    switcher: Object.fromEntries([...document.querySelectorAll(".md-select__link[hreflang]")]
      .map(a => [a.getAttribute("hreflang"), a.href])),
  };
}
"""

# Marks each ">>>" block and returns, for each, the code a reader should get: the text after
# the prompts, without output lines.
PYCON_JS = r"""
() => {
  const out = [];
  const blocks = [...document.querySelectorAll("article .highlight")].filter(block => {
    const prompt = block.querySelector("code .gp");
    return prompt && prompt.textContent.startsWith(">>>");
  });
  blocks.forEach((block, i) => {
    block.setAttribute("data-nnguide-pycon", String(i));
    const lines = [{prompt: "", text: ""}];
    const walk = node => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          const parts = child.textContent.split("\n");
          parts.forEach((part, k) => {
            if (k > 0) lines.push({prompt: "", text: ""});
            lines[lines.length - 1].text += part;
          });
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          if (child.classList.contains("gp")) lines[lines.length - 1].prompt += child.textContent;
          else walk(child);
        }
      }
    };
    walk(block.querySelector("code"));
    const code = lines.filter(l => l.prompt).map(l => l.text);
    const shown = lines.map(l => l.prompt + l.text);
    out.push({code, shown, hasButton: !!block.querySelector("button.md-code__button[data-md-type=copy]")});
  });
  return out;
}
"""

# Scrolls a block's copy button into view; returns the point to click, and whether the button
# is what a click there hits (nothing covers it).
BUTTON_JS = r"""
i => {
  const button = document.querySelector(
    `[data-nnguide-pycon="${i}"] button.md-code__button[data-md-type=copy]`);
  button.scrollIntoView({block: "center", behavior: "instant"});
  const r = button.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = document.elementFromPoint(x, y);
  return {x, y, hit: !!hit && (hit === button || button.contains(hit)),
          hitWhat: hit ? hit.outerHTML.slice(0, 100) : null};
}
"""

READ_CLIPBOARD_JS = """
async sentinel => {
  const text = await navigator.clipboard.readText();
  await navigator.clipboard.writeText(sentinel);
  return text;
}
"""

# What does not fit a phone: the page scrolling sideways, an element beyond the viewport, or
# content cut off by overflow hidden. Code, tables and display math may scroll inside their
# own box (that box must fit).
OVERFLOW_JS = r"""
() => {
  const vw = document.documentElement.clientWidth;
  const problems = [];
  const describe = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    if (el.classList.length) s += "." + [...el.classList].join(".");
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 50);
    return text ? `${s} ("${text}")` : s;
  };
  const sw = document.documentElement.scrollWidth;
  if (sw > vw + 1) problems.push(`the page scrolls sideways: scrollWidth ${sw} > ${vw}`);
  const scrolls = "pre, .highlight, .md-typeset__scrollwrap, .md-typeset__table, table, " +
                  ".katex-display, .arithmatex, .jp-OutputArea-output, .jp-RenderedHTMLCommon table";
  const root = document.querySelector(".md-content") || document.body;
  for (const el of root.querySelectorAll("*")) {
    if (el.parentElement && el.parentElement.closest(scrolls)) continue;
    const cs = getComputedStyle(el);
    if (cs.display === "none" || cs.visibility === "hidden" || cs.position === "fixed") continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (cs.clip !== "auto" || cs.clipPath !== "none") continue;  // visually hidden on purpose
    if (r.right > vw + 1 || r.left < -1) {
      problems.push(`${describe(el)} spans x=${Math.round(r.left)}..${Math.round(r.right)} (viewport ${vw})`);
    } else if (!el.matches(scrolls) && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
      if (["hidden", "clip"].includes(cs.overflowX)) {
        problems.push(`${describe(el)} cuts off its content: ${el.scrollWidth} px wide in ${el.clientWidth} px`);
      } else if (cs.overflowX === "visible" && r.left + el.scrollWidth > vw + 1) {
        problems.push(`${describe(el)} spills out of the screen: content to x=${Math.round(r.left + el.scrollWidth)} (viewport ${vw})`);
      }
    }
  }
  return problems.slice(0, 20);
}
"""

# axe-core's color-contrast rule costs seconds on a page of highlighted code and math (one
# check per token) although a page has only a few dozen kinds of text. The contrast of text
# depends on its colour, size, weight, opacity and the background behind it: this picks one
# element (the smallest) per such kind not yet checked on an earlier page, for axe to check.
CONTRAST_SAMPLES_JS = r"""
seen => {
  seen = new Set(seen);
  const best = new Map();
  for (const el of document.body.querySelectorAll("*")) {
    if (![...el.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) continue;
    const cs = getComputedStyle(el);
    if (cs.display === "none" || cs.visibility === "hidden") continue;
    let background = "canvas", opacity = 1;
    for (let e = el; e; e = e.parentElement) {
      const s = e === el ? cs : getComputedStyle(e);
      opacity *= parseFloat(s.opacity);
      if (background !== "canvas") continue;
      if (s.backgroundImage !== "none") background = s.backgroundImage;
      else if (!/^(transparent|rgba\(.*,\s*0\))$/.test(s.backgroundColor)) background = s.backgroundColor;
    }
    const kind = [cs.color, background, cs.fontSize, cs.fontWeight, opacity.toFixed(2),
                  cs.textShadow, cs.webkitTextFillColor].join(" | ");
    if (seen.has(kind)) continue;
    const size = el.getElementsByTagName("*").length;
    if (!best.has(kind) || size < best.get(kind).size) best.set(kind, {el, size});
  }
  window.__nnguideContrastSamples = [...best.values()].map(v => v.el);
  return [...best.keys()];
}
"""

DRAWER_ITEMS_JS = r"""
() => {
  const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
  const items = [...document.querySelectorAll(".md-nav--primary > .md-nav__list > .md-nav__item")];
  return items.filter(item => {
    const link = item.querySelector(":scope > .md-nav__link, :scope > a");
    if (!link) return false;
    const r = link.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.left >= -1 && r.right <= vw + 1 && r.top < vh
      && getComputedStyle(link).visibility !== "hidden";
  }).map(item => item.textContent.trim().replace(/\s+/g, " ").slice(0, 40));
}
"""


# ---------------------------------------------------------------- one visit per page

@dataclass
class Load:
    """What one load of a page showed."""
    url: str
    console_errors: list = field(default_factory=list)
    external: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    requests: list = field(default_factory=list)     # (url, bytes transferred, bytes uncompressed)
    bytes: int = 0
    raw_bytes: int = 0
    facts: dict = field(default_factory=dict)

    @property
    def biggest(self):
        return sorted(self.requests, key=lambda r: -r[1])[:3]


@dataclass
class Visit:
    page: Page
    desktop: Load = None
    dark: dict = field(default_factory=dict)        # after the palette toggle, on a phone
    switches: list = field(default_factory=list)    # language selector clicks (zh pages)
    axe: list = field(default_factory=list)         # violations, desktop light
    snippets: list = field(default_factory=list)    # per >>> block: code, shown, clipboard, problem
    timings: dict = field(default_factory=dict)


class Browser:
    """One headless Chromium for the session, driven from its own thread (Playwright's async API).

    Page visits run a few at a time in the background as soon as they are scheduled, so the
    tests that wait for them overlap with the tests that drive the browser themselves
    (``call``) and with the runs of the copied snippets (``on_snippets``).
    """

    def __init__(self, server, shots, axe_script, on_snippets=None, concurrency=2):
        self.server = server
        self.shots = shots
        self.axe_script = axe_script
        self.contrast_seen = {}   # palette -> kinds of text whose contrast axe has checked
        self.on_snippets = on_snippets
        self.concurrency = concurrency
        self.local = re.compile("^" + re.escape(server.origin) + "/")
        self.visits = {}          # Page -> concurrent.futures.Future of a Visit
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True,
                                       name="nnguide-browser")
        self.thread.start()
        try:
            self.call(self._start())
        except BaseException:
            self.loop.call_soon_threadsafe(self.loop.stop)
            raise

    def call(self, coroutine, timeout=180):
        """Run a coroutine on the browser's thread and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def _start(self):
        from playwright.async_api import async_playwright
        self.playwright = await async_playwright().start()
        # Nothing leaves the machine: every host but the loopback goes to a dead proxy (and
        # is recorded as a request to another host); Chromium never proxies 127.0.0.1.
        self.browser = await self.playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS + ["--proxy-server=http://127.0.0.1:9"])
        self.clipboard = asyncio.Lock()       # one clipboard for the whole browser
        self.slots = asyncio.Queue()
        for _ in range(self.concurrency):
            self.slots.put_nowait(await self._new_slot())

    async def _new_slot(self):
        """A context and a tab that visit pages one after another. Each visit is a first load
        all the same: the tab ignores the cache and the storage is cleared at every load."""
        context = await self.new_context(viewport=DESKTOP, color_scheme="light",
                                         reduced_motion="reduce",   # Material drops transitions
                                         permissions=["clipboard-read", "clipboard-write"])
        await context.add_init_script("localStorage.clear(); sessionStorage.clear();")
        tab = await context.new_page()
        cdp = await context.new_cdp_session(tab)
        await cdp.send("Network.enable")
        await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        return context, tab, cdp

    async def _stop(self):
        await self.browser.close()
        await self.playwright.stop()

    def close(self):
        for future in self.visits.values():
            future.cancel()
        try:
            self.call(self._stop(), timeout=30)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)

    def url(self, page):
        return self.server.base + page.path

    async def new_context(self, **options):
        context = await self.browser.new_context(**options)
        context.set_default_timeout(15_000)
        return context

    # -- visits

    def schedule(self, pages):
        for page in pages:
            if page not in self.visits:
                self.visits[page] = asyncio.run_coroutine_threadsafe(self._visit(page), self.loop)

    def visit(self, page):
        """The Visit of page (scheduled now if it was not); re-raises what went wrong in it."""
        self.schedule([page])
        return self.visits[page].result(timeout=300)

    def done(self):
        return [f.result() for f in self.visits.values()
                if f.done() and not f.cancelled() and f.exception() is None]

    async def _open(self, tab, url):
        """Load url in tab as a first visit; record its requests and errors; wait until the
        network is quiet (the search index, fonts and favicon come after the load event)."""
        load = Load(url)
        state = {"inflight": 0, "last": time.monotonic()}
        seen = set()      # this load's requests
        finished = []

        def started(request):
            seen.add(request)
            state["inflight"] += 1
            state["last"] = time.monotonic()
            if not self.local.match(request.url) and request.url.startswith(("http", "ws")):
                load.external.append(request.url)

        def ended(request, ok=True):
            if request not in seen:
                return
            state["inflight"] -= 1
            state["last"] = time.monotonic()
            if ok:
                finished.append(request)
            elif self.local.match(request.url):
                load.failed.append(f"{request.url} ({request.failure})")

        def response(resp):
            if resp.request in seen and resp.status >= 400:
                load.failed.append(f"{resp.url} (HTTP {resp.status})")

        def console(message):
            if message.type == "error":
                load.console_errors.append(f"{message.text} [{message.location.get('url', '')}]")

        handlers = {"request": started, "requestfinished": ended,
                    "requestfailed": lambda request: ended(request, ok=False),
                    "response": response, "console": console,
                    "pageerror": lambda error: load.console_errors.append(f"uncaught: {error}")}
        await tab.goto("about:blank")     # end the previous page: its late requests are not ours
        for event, handler in handlers.items():
            tab.on(event, handler)
        try:
            await tab.goto(url, wait_until="load")
            await tab.evaluate("document.fonts.ready.then(() => true)")
            deadline = time.monotonic() + 10
            while (state["inflight"] > 0 or time.monotonic() - state["last"] < 0.12) \
                    and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
        finally:
            for event, handler in handlers.items():
                tab.remove_listener(event, handler)
        for request in finished:
            if self.local.match(request.url):
                sizes = await request.sizes()
                load.requests.append((request.url, max(sizes["responseBodySize"], 0),
                                      self.server.file_size(request.url)))
        load.bytes = sum(r[1] for r in load.requests)
        load.raw_bytes = sum(r[2] for r in load.requests)
        return load

    def _shot(self, page, suffix=""):
        return self.shots / f"{page.lang}-{page.slug.replace('/', '-') or 'index'}{suffix}.png"

    async def _visit(self, page):
        """Desktop, light, a first load: requests, errors, bytes, math, figures, screenshot,
        copy buttons, axe. Then, in the same tab, as a reader would: the palette toggle to dark
        (axe's contrast check again), the window narrowed to a 375 px phone (overflow,
        screenshot, the drawer), and the language selector there and back."""
        context, tab, cdp = await self.slots.get()
        healthy = False
        try:
            visit = Visit(page)
            t0 = time.monotonic()
            await tab.set_viewport_size(DESKTOP)
            visit.desktop = await self._open(tab, self.url(page))
            visit.desktop.facts = await tab.evaluate(FACTS_JS)
            await tab.screenshot(path=self._shot(page), full_page=True)
            t1 = time.monotonic()
            async with self.clipboard:
                await tab.bring_to_front()
                visit.snippets = await self._copy_snippets(tab)
            if self.on_snippets and visit.snippets and all(
                    b["clipboard"] is not None for b in visit.snippets):
                self.on_snippets(page, "\n".join(b["clipboard"] for b in visit.snippets) + "\n")
            t2 = time.monotonic()
            if self.axe_script:
                await tab.evaluate(self.axe_script)
                visit.axe = (await tab.evaluate(
                    "axe.run(document, {resultTypes: ['violations'], "
                    "rules: {'color-contrast': {enabled: false}}})"))["violations"]
                visit.axe += await self._contrast(tab, "light")
            t3 = time.monotonic()
            visit.dark = await self._dark_phone(tab, page)
            t4 = time.monotonic()
            if page.lang == DEFAULT_LANG:
                await tab.set_viewport_size(DESKTOP)
                await cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
                visit.switches = await self._switch_languages(tab, page)
                await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            visit.timings.update(load=t1 - t0, copy=t2 - t1, axe=t3 - t2, phone=t4 - t3,
                                 switch=time.monotonic() - t4)
            healthy = True
            return visit
        finally:
            if not healthy:      # a tab in an unknown state: replace it
                await context.close()
                context, tab, cdp = await self._new_slot()
            self.slots.put_nowait((context, tab, cdp))

    async def _dark_phone(self, tab, page):
        facts = {}
        toggle = tab.locator('label.md-header__button[for="__palette_1"]')
        await toggle.click()
        facts["scheme"] = await tab.evaluate("document.body.getAttribute('data-md-color-scheme')")
        if self.axe_script:
            facts["axe"] = await self._contrast(tab, "dark")
        await tab.set_viewport_size(PHONE)
        facts["overflow"] = await tab.evaluate(OVERFLOW_JS)
        await tab.evaluate("window.scrollTo(0, 0); document.querySelectorAll('.md-dialog')"
                           ".forEach(d => d.classList.remove('md-dialog--active'))")
        await tab.screenshot(path=self._shot(page, "-phone-dark"))     # the first screen
        await tab.locator('label.md-header__button[for="__drawer"]').click()
        try:
            await tab.wait_for_function(f"({DRAWER_ITEMS_JS})().length >= 2", timeout=3000)
        except Exception:
            pass         # the test reports what was visible
        facts["drawer_open"] = await tab.evaluate("document.getElementById('__drawer').checked")
        facts["drawer_items"] = await tab.evaluate(DRAWER_ITEMS_JS)
        return facts

    async def _contrast(self, tab, palette):
        """axe-core's color-contrast rule on each kind of text not checked before (see
        CONTRAST_SAMPLES_JS)."""
        seen = self.contrast_seen.setdefault(palette, set())
        kinds = await tab.evaluate(CONTRAST_SAMPLES_JS, sorted(seen))
        if not kinds:
            return []
        result = await tab.evaluate(
            "axe.run({include: window.__nnguideContrastSamples.map(el => [el])}, "
            "{runOnly: ['color-contrast'], resultTypes: ['violations']})")
        seen.update(kinds)
        return result["violations"]

    async def _switch_languages(self, tab, page):
        """Use the language selector as a reader does: to each other language and back."""
        steps = []
        here = page
        for lang in [l for l in LANGS if l != page.lang] + [page.lang]:
            there = here.other(lang)
            await tab.hover(".md-select")
            await tab.locator(f'.md-select__link[hreflang="{lang}"]').click()
            try:
                await tab.wait_for_url(self.url(there), timeout=5000)
            except Exception:
                pass
            steps.append({"to": lang, "expected": self.url(there), "url": tab.url,
                          "lang": await tab.evaluate("document.documentElement.lang")})
            here = there
        return steps

    async def _copy_snippets(self, tab):
        """Click the copy button of every >>> block, as a reader does; read the clipboard."""
        blocks = await tab.evaluate(PYCON_JS)
        await tab.evaluate("s => navigator.clipboard.writeText(s)", SENTINEL)
        for i, block in enumerate(blocks):
            block["clipboard"] = None
            block["problem"] = None
            if not block["hasButton"]:
                block["problem"] = "no copy button"
                continue
            spot = await tab.evaluate(BUTTON_JS, i)
            if not spot["hit"]:
                block["problem"] = f"the copy button is covered by {spot['hitWhat']}"
                continue
            await tab.mouse.click(spot["x"], spot["y"])
            text = await tab.evaluate(READ_CLIPBOARD_JS, SENTINEL)
            if text == SENTINEL:
                block["problem"] = "clicking the copy button put nothing on the clipboard"
            else:
                block["clipboard"] = text
        return blocks


def load_axe_script():
    """axe-core's axe.min.js as shipped inside the axe-playwright-python wheel (no npm, no network)."""
    try:
        from importlib.resources import files
        return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None


def format_weights(visits):
    """A table of the pages, heaviest first: bytes transferred (gzip) and uncompressed."""
    rows = sorted((v for v in visits if v.desktop), key=lambda v: -v.desktop.bytes)
    lines = [f"{'page':26} {'kind':8} {'KB sent':>8} {'limit':>6} {'KB raw':>7} {'files':>5}  "
             f"largest (KB sent)"]
    for v in rows:
        load = v.desktop
        biggest = ", ".join(f"{urllib.parse.urlsplit(u).path.rstrip('/').rsplit('/', 1)[-1]} "
                            f"{sent / 1000:.0f}" for u, sent, _ in load.biggest)
        lines.append(f"{v.page.id:26} {v.page.kind:8} {load.bytes / 1000:8.0f} "
                     f"{MAX_BYTES[v.page.kind] / 1000:6.0f} {load.raw_bytes / 1000:7.0f} "
                     f"{len(load.requests):5}  {biggest}")
    return "\n".join(lines)


def notebook_image_outputs(path):
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return sum(1 for cell in nb.get("cells", []) for out in cell.get("outputs", [])
               if any(k in ("image/png", "image/jpeg", "image/gif") for k in out.get("data", {})))
