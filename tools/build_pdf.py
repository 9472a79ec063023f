"""Print the site to one PDF per language: every page in navigation order, with a contents.

    python tools/build_pdf.py [--site-dir build/offline] [--out-dir dist] [--lang zh --lang en]

Reads the offline build (``tools/build_offline.py`` writes it; links end in ``.html``, every
asset is local) and, for each language, joins the pages in the order of the site's own
navigation into one print page: a title page, a table of contents with page numbers, then
each page's article, each starting on a new page. Ids are made unique (``losses--summary``)
and links between pages become links inside the PDF; an image or script path is made relative
to the print page; a link to any other local file (a notebook download) is dropped, keeping
its text, because it would not resolve from a PDF. The page's own stylesheets and scripts
stay, so math is typeset and code highlighted exactly as on the site; Material's print styles
plus ``tools/pdf_print.css`` lay it out on A4 (long code lines wrap).

Headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright) opens the print page
from ``file://`` and prints it twice: the first print tells on which page each heading landed
(Chromium writes a named destination for every link target); the numbers are filled in and
the same tab prints again. Any request that is not ``file://`` is refused and fails the
build. pypdf then adds bookmarks (the contents again), the title and the language. Each PDF
is written to a temporary file and renamed.

The Chinese font is a cut-down copy of the installed Noto Sans CJK SC that Chromium can embed
as a real font (``tools/pdf_fonts.py`` says why); the build writes it next to the print
pages and removes both afterwards.
"""

import argparse
import io
import os
import posixpath
import re
import shutil
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup

import chromium
from pdf_fonts import font_faces

ROOT = Path(__file__).resolve().parents[1]
PRINT_CSS = Path(__file__).with_name("pdf_print.css")
DEFAULT_LANG = "zh"
PRINT_NAME = "nnguide-print.html"
WORDS = {
    "zh": {"contents": "目录", "online": "在线阅读："},
    "en": {"contents": "Contents", "online": "Read online: "},
}
# Text font of each language's PDF (tools/pdf_fonts.py): Chinese text, Latin letters
# included, in Noto Sans CJK SC; English text in the theme's fonts, Chinese words in it in
# Noto Sans CJK SC. Code keeps its monospace font, Chinese in it from Noto Sans CJK SC.
TEXT_FONT = {"zh": "nnguide CJK", "en": "nnguide CJK only"}
FONT_DIR = "assets/nnguide-print-fonts"
FONT_MARKER = "/* nnguide print fonts */"
PLACEHOLDER = "000"        # reserves the width of a page number in the first print
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass
class Entry:
    """A page of the PDF: its nav title and path, and the sections (h2) listed in the contents."""
    title: str
    path: str              # site-relative, e.g. "en/losses.html"
    anchor: str            # id of the page's section in the print page
    sections: list = field(default_factory=list)    # [(id, title), ...]


@dataclass
class PrintPage:
    """One language's print page: its HTML, its contents, the characters it shows."""
    lang: str
    html: str
    entries: list
    title: str
    chars: set
    dropped: dict          # page path -> links to local files that were dropped


# ---------------------------------------------------------------- reading the site

def lang_root(lang):
    return "" if lang == DEFAULT_LANG else f"{lang}/"


def read_html(site_dir, path):
    file = Path(site_dir) / path
    if not file.is_file():
        raise SystemExit(f"{file} is missing: build the offline site first "
                         f"(python tools/build_offline.py --site-dir {site_dir})")
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def resolve(base_path, ref):
    """A relative URL found in the page at ``base_path`` as a site-relative path, or None."""
    if not ref or ref.startswith(("#", "//", "data:")) or _SCHEME.match(ref):
        return None
    url = urllib.parse.urljoin("http://site/" + base_path, ref)
    return urllib.parse.unquote(urllib.parse.urlsplit(url).path.lstrip("/"))


def relative(path, from_dir):
    return posixpath.relpath(path, from_dir or ".")


def nav_pages(home, home_path):
    """(title, site path) of every page in the primary navigation of ``home``, in order.

    Links in the secondary navigation (the current page's own headings) and links to other
    sites are left out."""
    nav = home.select_one("nav.md-nav--primary")
    if nav is None:
        raise SystemExit(f"{home_path} has no primary navigation (nav.md-nav--primary)")
    pages = []
    for link in nav.select("a.md-nav__link[href]"):
        if link.find_parent("nav", class_="md-nav--secondary"):
            continue
        path = resolve(home_path, link["href"])
        if path is None or not path.endswith(".html"):
            continue
        if path not in [p for _, p in pages]:
            pages.append((link.get_text(" ", strip=True), path))
    if not pages:
        raise SystemExit(f"{home_path}: no pages found in the navigation")
    return pages


def slug_of(path, root):
    """The id prefix of a page: ``en/losses.html`` -> ``losses``; ``a/b.html`` -> ``a-b``."""
    return re.sub(r"[^\w-]", "-", path.removeprefix(root).removesuffix(".html"))


# ---------------------------------------------------------------- the print page

def _rewrite_article(article, page_path, print_dir, anchors, slug):
    """Make ids unique, turn links between pages into links inside the print page,
    and make local asset paths relative to the print page; returns dropped links."""
    dropped = []
    for el in article.select("[id]"):
        el["id"] = f"{slug}--{el['id']}"
    for el in article.select("label[for]"):
        el["for"] = f"{slug}--{el['for']}"
    for link in article.select("a[href]"):
        href = link["href"]
        if href.startswith("#"):
            if len(href) > 1:
                link["href"] = f"#{slug}--{href[1:]}"
            continue
        target = resolve(page_path, href)
        if target is None:
            continue                                   # another site: a normal link
        fragment = urllib.parse.urlsplit(href).fragment
        if target in anchors:
            other = anchors[target]
            link["href"] = f"#{other}--{fragment}" if fragment else f"#page-{other}"
        else:
            dropped.append(href)
            link.unwrap()
    for el in article.select("[src]"):
        target = resolve(page_path, el["src"])
        if target is not None:
            el["src"] = relative(target, print_dir)
    for img in article.select("img[loading]"):
        del img["loading"]                   # figures load lazily on the site: not on paper
    return dropped


def _heading_text(heading):
    heading = BeautifulSoup(str(heading), "html.parser")
    for extra in heading.select(".headerlink"):
        extra.decompose()
    return heading.get_text(" ", strip=True)


def _contents(soup, entries, words):
    nav = soup.new_tag("nav", attrs={"class": "nnguide-print-toc", "id": "contents"})
    heading = soup.new_tag("h1", attrs={"id": "contents-title"})
    heading.string = words["contents"]
    nav.append(heading)
    top = soup.new_tag("ol")
    nav.append(top)

    def line(parent, anchor, text, cls):
        item = soup.new_tag("li", attrs={"class": cls})
        link = soup.new_tag("a", href=f"#{anchor}")
        title = soup.new_tag("span", attrs={"class": "nnguide-toc-title"})
        title.string = text
        page = soup.new_tag("span", attrs={"class": "nnguide-toc-page"})
        page.string = PLACEHOLDER
        link.append(title)
        link.append(page)
        item.append(link)
        parent.append(item)
        return item

    for entry in entries:
        item = line(top, entry.anchor, entry.title, "nnguide-toc-page-entry")
        if entry.sections:
            sub = soup.new_tag("ol")
            item.append(sub)
            for anchor, text in entry.sections:
                line(sub, anchor, text, "nnguide-toc-section")
    return nav


def _cover(soup, home, lang, words):
    cover = soup.new_tag("section", attrs={"class": "nnguide-print-cover"})
    name = home.select_one(".md-header__topic .md-ellipsis")
    title = soup.new_tag("p", attrs={"class": "nnguide-cover-title"})
    title.string = name.get_text(strip=True) if name else ""
    cover.append(title)
    description = home.select_one('meta[name="description"]')
    if description and description.get("content"):
        p = soup.new_tag("p", attrs={"class": "nnguide-cover-description"})
        p.string = description["content"]
        cover.append(p)
    canonical = home.select_one('link[rel="canonical"]')
    if canonical and canonical.get("href", "").startswith(("http://", "https://")):
        url = re.sub(r"index\.html$", "", canonical["href"])
        p = soup.new_tag("p", attrs={"class": "nnguide-cover-url"})
        p.string = words["online"] + url
        cover.append(p)
    copyright_ = home.select_one(".md-copyright__highlight")
    if copyright_:
        p = soup.new_tag("p", attrs={"class": "nnguide-cover-copyright"})
        p.string = copyright_.get_text(" ", strip=True)
        cover.append(p)
    return cover


def build_print_page(site_dir, lang):
    """The print page for ``lang`` (a :class:`PrintPage`); the contents show placeholders
    for the page numbers."""
    root = lang_root(lang)
    home_path = root + "index.html"
    home = read_html(site_dir, home_path)
    pages = nav_pages(home, home_path)
    anchors = {path: slug_of(path, root) for _, path in pages}
    soup = read_html(site_dir, home_path)
    head, body = soup.head, soup.body
    article = soup.select_one("article.md-content__inner")
    if article is None:
        raise SystemExit(f"{home_path} has no article.md-content__inner")
    article.clear()

    styles = {resolve(home_path, l["href"]) for l in head.select('link[rel="stylesheet"]')}
    scripts = {resolve(home_path, s["src"]) for s in body.select("script[src]")}
    entries, sections, dropped = [], [], {}
    for title, path in pages:
        page = read_html(site_dir, path)
        for link in page.head.select('link[rel="stylesheet"]'):
            target = resolve(path, link["href"])
            if target and target not in styles:
                styles.add(target)
                head.append(soup.new_tag("link", rel="stylesheet", href=relative(target, root)))
        for script in page.body.select("script[src]"):
            target = resolve(path, script["src"])
            if target and target not in scripts:
                scripts.add(target)
                body.append(soup.new_tag("script", src=relative(target, root)))
        content = page.select_one("article.md-content__inner")
        if content is None:
            raise SystemExit(f"{path} has no article.md-content__inner")
        for extra in content.select(".nnguide-download, .md-content__button, .md-source-file"):
            extra.decompose()
        for details in content.select("details"):       # a collapsed block prints open
            details["open"] = ""
        slug = anchors[path]
        lost = _rewrite_article(content, path, root, anchors, slug)
        if lost:
            dropped[path] = lost
        entry = Entry(title, path, f"page-{slug}")
        for h2 in content.select("h2[id]"):
            entry.sections.append((h2["id"], _heading_text(h2)))
        entries.append(entry)
        section = soup.new_tag("section", attrs={"class": "nnguide-print-page",
                                                 "id": entry.anchor,
                                                 "data-source": path})
        section.extend(list(content.contents))
        sections.append(section)

    cover = _cover(soup, home, lang, WORDS[lang])
    article.append(cover)
    article.append(_contents(soup, entries, WORDS[lang]))
    for section in sections:
        article.append(section)
    style = soup.new_tag("style", attrs={"id": "nnguide-print-css"})
    style.string = (PRINT_CSS.read_text(encoding="utf-8") + "\n" + FONT_MARKER + "\n"
                    f':root {{ --md-text-font: "{TEXT_FONT[lang]}"; '
                    f'--md-code-font: "nnguide CJK only"; }}\n')
    head.append(style)
    title = cover.select_one(".nnguide-cover-title").get_text()
    if soup.title:
        soup.title.string = title
    return PrintPage(lang, str(soup), entries, title, set(soup.body.get_text()), dropped)


# ---------------------------------------------------------------- printing

WAIT_JS = """
async () => {
  await document.fonts.ready;
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  const left = [...document.querySelectorAll(".arithmatex")]
    .filter(el => !el.querySelector(".katex, math"));
  return {untypeset: left.map(el => el.textContent.trim().slice(0, 60)),
          broken: [...document.images].filter(img => !img.naturalWidth)
                    .map(img => img.getAttribute("src").slice(0, 80))};
}
"""


# The footer is drawn apart from the page, without its fonts: page numbers only.
FOOTER = ('<div style="width:100%;font-size:8px;color:#666;padding:0 14mm;'
          'text-align:right;font-family:sans-serif">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
MARGIN_MM = {"top": 16, "bottom": 18, "left": 14, "right": 14}
PDF_OPTIONS = dict(format="A4", print_background=True, display_header_footer=True,
                   header_template="<span></span>", footer_template=FOOTER,
                   margin={side: f"{mm}mm" for side, mm in MARGIN_MM.items()})
# The width Chromium lays the page out in: A4 less the margins, in CSS pixels.
PRINT_WIDTH = int((210 - MARGIN_MM["left"] - MARGIN_MM["right"]) / 25.4 * 96)
# A table wider than the page even with its cells as narrow as they go is scaled down to fit.
FIT_TABLES_JS = """
() => {
  const fitted = [];
  const right = document.querySelector("article").getBoundingClientRect().right;
  for (const table of document.querySelectorAll("article table")) {
    const room = Math.floor(right - table.getBoundingClientRect().left);
    const need = Math.ceil(table.scrollWidth);
    if (need > room + 1) {
      table.style.zoom = (Math.floor(room / need * 1000) / 1000).toString();
      const page = table.closest("[data-source]");
      fitted.push(`${page ? page.dataset.source : "?"}: ${need} px -> ${room} px`);
    }
  }
  return fitted;
}
"""
# What sticks out of the page's width. Chromium would shrink the whole PDF to fit it
# (text at half size), so the build stops instead.
TOO_WIDE_JS = """
() => {
  const width = document.documentElement.clientWidth, found = [];
  // Inside a box that clips (KaTeX draws its stretchy parts 400em wide and clips them),
  // an element does not show past its box: that box is checked instead.
  const clipped = el => {
    for (let a = el.parentElement; a && a.tagName !== "ARTICLE"; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll("article *")) {
    const r = el.getBoundingClientRect();
    if (r.right <= width + 1 || found.some(f => f.el.contains(el)) || clipped(el)) continue;
    const page = el.closest("[data-source]");
    found.push({el, text: `${page ? page.dataset.source : "?"}: <${el.tagName.toLowerCase()} ` +
      `class="${el.getAttribute("class") || ""}"> reaches ${Math.round(r.right)} px ` +
      `("${el.textContent.trim().replace(/\\s+/g, " ").slice(0, 40)}")`});
  }
  return {width, found: found.map(f => f.text).slice(0, 10)};
}
"""
SET_NUMBERS_JS = """
numbers => {
  for (const link of document.querySelectorAll(".nnguide-print-toc a[href^='#']")) {
    const number = numbers[link.getAttribute("href").slice(1)];
    if (number) link.querySelector(".nnguide-toc-page").textContent = String(number);
  }
}
"""


def open_print_page(context, html_file, lang):
    """A tab with ``html_file`` opened from file://, math typeset and images loaded.

    Fails on anything that would spoil the PDF: a request outside file:// (refused),
    a script error, a formula left untypeset, an image that did not load, an element
    wider than the page."""
    outside, errors = [], []

    def guard(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    tab = context.new_page()
    tab.route("**/*", guard)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.set_viewport_size({"width": PRINT_WIDTH, "height": 1000})
    tab.goto(Path(html_file).resolve().as_uri(), wait_until="load")
    tab.emulate_media(media="print", color_scheme="light")
    try:
        tab.wait_for_function("[...document.querySelectorAll('.arithmatex')]"
                              ".every(el => el.querySelector('.katex, math'))", timeout=20_000)
    except Exception:
        pass                                      # reported below, with the formulas
    state = tab.evaluate(WAIT_JS)
    problems = []
    if state["untypeset"]:
        problems.append(f"math not typeset: {state['untypeset'][:5]}")
    if state["broken"]:
        problems.append(f"images that did not load: {state['broken'][:5]}")
    if outside:
        problems.append(f"requests outside file:// (refused): {sorted(set(outside))[:5]}")
    if errors:
        problems.append(f"script errors: {errors[:5]}")
    for fitted in tab.evaluate(FIT_TABLES_JS):
        print(f"  {lang}: table scaled down to fit the page: {fitted}")
    too_wide = tab.evaluate(TOO_WIDE_JS)
    if too_wide["found"]:
        problems.append(f"wider than the page ({too_wide['width']} px; Chromium would shrink "
                        f"the whole PDF to fit): " + "; ".join(too_wide["found"]))
    if problems:
        tab.close()
        raise SystemExit(f"printing {html_file} ({lang}):\n  " + "\n  ".join(problems))
    return tab


def destinations(pdf, anchors):
    """``{anchor: (page index, top)}`` from the PDF's named destinations (Chromium writes one
    for every link target)."""
    from pypdf import PdfReader
    reader = PdfReader(pdf if isinstance(pdf, (str, Path)) else io.BytesIO(pdf))
    found = {}
    for name, dest in reader.named_destinations.items():
        name = urllib.parse.unquote(str(name)).lstrip("/")     # pypdf: "/page-losses"
        if name in anchors:
            found[name] = (reader.get_destination_page_number(dest), dest.top)
    missing = [a for a in anchors if a not in found]
    if missing:
        raise SystemExit(f"the PDF has no destination for {missing[:5]}: "
                         f"cannot number the contents")
    return found


def add_outline(pdf_file, entries, places, title, lang):
    """Bookmarks (page, then its sections) at the contents' targets; title and language.

    Chromium writes an outline only into a tagged PDF, which here takes six times as long
    to print and doubles the file; and it doubles some Chinese titles at the top of a page."""
    from pypdf import PdfWriter
    from pypdf.generic import Fit, NameObject, TextStringObject
    writer = PdfWriter(clone_from=str(pdf_file))
    for entry in entries:
        page, top = places[entry.anchor]
        parent = writer.add_outline_item(title=entry.title, page_number=page,
                                         fit=Fit.xyz(top=top))
        for anchor, text in entry.sections:
            page, top = places[anchor]
            writer.add_outline_item(title=text, page_number=page, parent=parent,
                                    fit=Fit.xyz(top=top))
    writer.add_metadata({"/Title": title})
    writer._root_object[NameObject("/Lang")] = TextStringObject(lang)
    writer.page_mode = "/UseOutlines"
    with open(pdf_file, "wb") as f:
        writer.write(f)


def build_pdf(browser, site_dir, page, font_css, pdf_path, keep_html=False):
    """Print ``page`` (a :class:`PrintPage`) to ``pdf_path``; returns (PDF pages, seconds
    per step)."""
    from pypdf import PdfReader
    site_dir, pdf_path, lang = Path(site_dir), Path(pdf_path), page.lang
    html_file = site_dir / lang_root(lang) / PRINT_NAME
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=pdf_path.name + ".", suffix=".tmp", dir=pdf_path.parent)
    os.close(fd)
    context = browser.new_context(color_scheme="light", locale=lang)
    anchors = [e.anchor for e in page.entries] + [a for e in page.entries for a, _ in e.sections]
    times = {}
    try:
        t = time.monotonic()
        html_file.write_text(page.html.replace(FONT_MARKER, FONT_MARKER + "\n" + font_css),
                             encoding="utf-8")
        tab = open_print_page(context, html_file, lang)
        times["load"], t = time.monotonic() - t, time.monotonic()
        first = destinations(tab.pdf(**PDF_OPTIONS), anchors)
        numbers = {anchor: number + 1 for anchor, (number, _) in first.items()}
        tab.evaluate(SET_NUMBERS_JS, numbers)
        times["print 1"], t = time.monotonic() - t, time.monotonic()
        tab.pdf(path=tmp, **PDF_OPTIONS)
        times["print 2"], t = time.monotonic() - t, time.monotonic()
        places = destinations(tmp, anchors)
        if {anchor: number + 1 for anchor, (number, _) in places.items()} != numbers:
            raise SystemExit(f"{pdf_path}: the page numbers moved between the two prints")
        add_outline(tmp, page.entries, places, page.title, lang)
        times["outline"] = time.monotonic() - t
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, pdf_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        context.close()
        if not keep_html:
            html_file.unlink(missing_ok=True)
    return len(PdfReader(pdf_path).pages), times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-dir", type=Path, default=ROOT / "build" / "offline",
                        help="the offline build to print (default: build/offline)")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "dist",
                        help="where nnguide.<lang>.pdf go (default: dist)")
    parser.add_argument("--lang", action="append", choices=sorted(WORDS),
                        help="a language to print (default: all)")
    parser.add_argument("--keep-html", action="store_true",
                        help=f"keep the print pages ({PRINT_NAME}) and their fonts in the "
                             f"site folder")
    args = parser.parse_args(argv)
    problem = chromium.missing()
    if problem:
        raise SystemExit(problem)
    from playwright.sync_api import sync_playwright
    langs = args.lang or sorted(WORDS, key=lambda l: l != DEFAULT_LANG)
    t0 = time.monotonic()
    pages = {lang: build_print_page(args.site_dir, lang) for lang in langs}
    t1 = time.monotonic()
    font_dir = args.site_dir / FONT_DIR
    chars = set().union(*(page.chars for page in pages.values()))
    font_css, seconds = font_faces(chars, font_dir, font_dir.resolve().as_uri() + "/")
    print(f"print pages joined in {t1 - t0:.1f} s; fonts cut to {len(chars)} characters "
          f"in {seconds:.1f} s")
    try:
        with sync_playwright() as p:
            browser = chromium.launch(p)
            try:
                for lang, page in pages.items():
                    t0 = time.monotonic()
                    pdf = args.out_dir / f"nnguide.{lang}.pdf"
                    count, times = build_pdf(browser, args.site_dir, page, font_css, pdf,
                                             args.keep_html)
                    steps = ", ".join(f"{step} {sec:.1f}" for step, sec in times.items())
                    print(f"{pdf}: {count} PDF pages from {len(page.entries)} site pages, "
                          f"{pdf.stat().st_size / 1e6:.2f} MB in {time.monotonic() - t0:.1f} s "
                          f"({steps})")
                    for path, links in page.dropped.items():
                        print(f"  {lang}: {path}: links to local files dropped (kept as text): "
                              f"{links}")
            finally:
                browser.close()
    finally:
        if not args.keep_html:
            shutil.rmtree(font_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
