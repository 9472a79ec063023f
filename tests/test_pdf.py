"""The PDFs (``make pdf``: dist/nnguide.zh.pdf, dist/nnguide.en.pdf).

Read with poppler (``pdftotext``, ``pdffonts``: fast on CJK text, where pypdf's text
extraction takes minutes) and pypdf (bookmarks, page contents). Checked: a sane page count;
the text is in the PDF's language and searchable as such (no Kangxi radicals standing in for
ideographs, no ligature characters); every font embedded, none drawn as nameless Type 3
glyphs, Noto Sans CJK SC for Chinese; math typeset (KaTeX's fonts, no TeX left); the
contents and the bookmarks list every navigation page in order, with the right page numbers;
figures drawn; every line of code and every table cell printed whole (long lines wrap,
wide tables are scaled to fit), at full size (nothing made Chromium shrink the PDF).
See tests/dist_support.py for where the PDFs come from (built here, or ``$NNGUIDE_DIST``).
"""

import re
import shutil
import subprocess
import zipfile

import pytest

import dist_support
from dist_support import LANGS

pytestmark = [pytest.mark.slow, pytest.mark.browser]   # built with Chromium unless given

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
RADICALS = re.compile(r"[\u2e80-\u2fdf]")        # CJK radicals supplement, Kangxi radicals
LIGATURES = re.compile(r"[\ufb00-\ufb06]")
RAW_TEX = ("\\frac", "\\sum", "\\partial", "\\mathrm", "\\left", "\\(", "\\[", "$$")
WORDS = {"zh": ["神经网络", "梯度下降", "交叉熵误差", "损失函数", "数值微分"],
         "en": ["neural network", "gradient descent", "cross-entropy", "loss function",
                "numerical differentiation"]}
# A page drawing a vector figure (matplotlib SVG) has thousands of path segments; pages of
# text, code, tables and formulas (glyphs come from fonts) have at most about a thousand.
FIGURE_SEGMENTS = 1500
GET_POPPLER = "apt-get install poppler-utils"
FOOTER = re.compile(r"\n\s*\d+ / \d+$")      # the page number at the foot of each page


def poppler(tool, *args):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler) is not installed: {GET_POPPLER}")
    return subprocess.run([tool, *map(str, args)], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def pdf():
    """``{lang: facts}`` for each PDF: path, pypdf reader, text of each page, fonts."""
    pypdf = pytest.importorskip("pypdf", reason="pip install -e '.[docs]' (pypdf)")
    facts = {}
    for lang, path in dist_support.pdfs().items():
        pages = poppler("pdftotext", "-enc", "UTF-8", "-layout", path, "-").split("\f")
        pages = [FOOTER.sub("", page.rstrip()) for page in pages]
        raw = poppler("pdftotext", "-enc", "UTF-8", "-raw", path, "-").split("\f")
        fonts = [line.split() for line in poppler("pdffonts", path).splitlines()[2:]]
        facts[lang] = {"path": path, "reader": pypdf.PdfReader(path),
                       "pages": pages[:-1] if pages and not pages[-1].strip() else pages,
                       "raw": "".join(FOOTER.sub("", page.rstrip()) for page in raw),
                       "fonts": fonts}
    return facts


def mapped_code_points(reader):
    """Every character the fonts' ToUnicode maps give a glyph (bfchar and bfrange)."""
    points, seen = set(), set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            cmap = font.get("/ToUnicode")
            if cmap is None or id(cmap.get_object()) in seen:
                continue
            seen.add(id(cmap.get_object()))
            text = cmap.get_object().get_data().decode("latin-1")
            for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
                for _, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    points.update(map(ord, bytes.fromhex(dst).decode("utf-16-be")))
            for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
                for lo, hi, dst in re.findall(
                        r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])",
                        block):
                    if dst.startswith("["):
                        for one in re.findall(r"<([0-9A-Fa-f]+)>", dst):
                            points.update(map(ord, bytes.fromhex(one).decode("utf-16-be")))
                    else:
                        first = ord(bytes.fromhex(dst[1:-1]).decode("utf-16-be")[-1])
                        points.update(range(first, first + int(hi, 16) - int(lo, 16) + 1))
    return points


def squeeze(text):
    return re.sub(r"\s+", "", text)


def outline(reader):
    """Top-level bookmarks: ``[(title, page number from 1, [(child title, page), ...])]``."""
    items, entries = reader.outline, []
    for i, item in enumerate(items):
        if isinstance(item, list):
            continue
        children = items[i + 1] if i + 1 < len(items) and isinstance(items[i + 1], list) else []
        entries.append((item.title, reader.get_destination_page_number(item) + 1,
                        [(c.title, reader.get_destination_page_number(c) + 1)
                         for c in children if not isinstance(c, list)]))
    return entries


def start_of_contents(pages, lang):
    heading = {"zh": "目录", "en": "Contents"}[lang]
    return next(i for i, page in enumerate(pages) if page.strip().startswith(heading))


@pytest.mark.parametrize("lang", LANGS)
def test_page_count_is_sane(pdf, lang):
    count = len(pdf[lang]["reader"].pages)
    site_pages = len(dist_support.nav())
    assert len(pdf[lang]["pages"]) == count
    assert 2 * site_pages <= count <= 200, (
        f"{pdf[lang]['path']}: {count} pages for {site_pages} site pages")


@pytest.mark.parametrize("lang", LANGS)
def test_text_is_in_the_language_and_searchable(pdf, lang):
    text = "".join(pdf[lang]["pages"])
    chars = re.sub(r"\s", "", text)
    cjk = len(CJK.findall(chars)) / len(chars)
    if lang == "zh":
        assert cjk > 0.12, f"only {cjk:.1%} of the Chinese PDF's characters are Chinese"
    else:
        ascii_share = sum(c < "\x80" for c in chars) / len(chars)
        assert cjk < 0.02 and ascii_share > 0.95, (
            f"the English PDF is {cjk:.1%} Chinese, {ascii_share:.1%} ASCII")
    missing = [w for w in WORDS[lang] if w not in re.sub(r"\s+", " ", text)]
    assert not missing, f"words a reader would search for are not found: {missing}"
    # pdftotext folds radicals into ideographs; other readers (pypdf, some viewers) do not.
    # So look at what the fonts' ToUnicode maps say each glyph is.
    mapped = "".join(map(chr, mapped_code_points(pdf[lang]["reader"])))
    radicals, ligatures = set(RADICALS.findall(mapped)), set(LIGATURES.findall(mapped))
    assert not radicals, (f"glyphs mapped to radicals instead of ideographs (search and "
                          f"copy fail): {sorted(radicals)[:10]}")
    assert not ligatures, f"glyphs mapped to ligature characters: {sorted(ligatures)}"
    if lang == "zh":
        assert len(CJK.findall(mapped)) > 500, "the fonts hold few Chinese characters"


@pytest.mark.parametrize("lang", LANGS)
def test_fonts_are_embedded(pdf, lang):
    fonts = pdf[lang]["fonts"]
    assert fonts, "pdffonts found no fonts"
    not_embedded = [f for f in fonts if f[-5] != "yes"]
    type3 = [f for f in fonts if "Type" in f and f[f.index("Type") + 1] == "3"]
    assert not not_embedded, f"fonts not embedded: {not_embedded}"
    assert not type3, f"{len(type3)} fonts drawn as Type 3 glyphs (no font name, poor text)"
    names = [f[0].split("+", 1)[-1] for f in fonts]
    assert any(n.startswith("NotoSansCJKsc-Regular") for n in names), names
    if lang == "zh":
        assert any(n.startswith("NotoSansCJKsc-Bold") for n in names), names


@pytest.mark.parametrize("lang", LANGS)
def test_math_is_typeset(pdf, lang):
    """The site typesets math with KaTeX: its fonts are in the PDF and no TeX is left."""
    names = {f[0].split("+", 1)[-1] for f in pdf[lang]["fonts"]}
    assert {"KaTeX_Main-Regular", "KaTeX_Math-Italic"} <= names, sorted(names)
    text = "".join(pdf[lang]["pages"])
    left = [tex for tex in RAW_TEX if tex in text]
    assert not left, f"TeX left in the PDF: {left}"


@pytest.mark.parametrize("lang", LANGS)
def test_contents_and_bookmarks_list_every_nav_page_in_order(pdf, lang):
    titles = dist_support.nav_titles(lang)
    pages = pdf[lang]["pages"]
    bookmarks = outline(pdf[lang]["reader"])
    assert [title for title, _, _ in bookmarks] == titles, "bookmarks differ from the nav"
    first = start_of_contents(pages, lang)
    body_start = min(page for _, page, _ in bookmarks) - 1
    lines = [line.strip() for page in pages[first:body_start] for line in page.splitlines()]
    numbered = [m.groups() for m in map(re.compile(r"^(.*\S)\s{2,}(\d+)$").match, lines) if m]
    listed = [(re.sub(r"\s+", " ", t), int(n)) for t, n in numbered]
    for title, page, children in bookmarks:
        for name, number in [(title, page)] + children:
            assert (re.sub(r"\s+", " ", name), number) in listed, (
                f"the contents do not list {name!r} on page {number}: {listed[:40]}")
        for name, number in children:     # headings: shown where their bookmark points
            assert squeeze(name) in squeeze(pages[number - 1]), (
                f"the bookmark for {name!r} points to page {number}, which does not show it")
        assert not children or page <= children[0][1]
    order = [listed.index((re.sub(r"\s+", " ", t), p)) for t, p, _ in bookmarks]
    assert order == sorted(order), "the contents list the pages out of order"


@pytest.mark.parametrize("lang", LANGS)
def test_figures_are_drawn(pdf, lang):
    """Each site page with a vector figure (SVG, in the offline copy) has a PDF page that
    draws one; its PNG images (notebook outputs) are embedded as images."""
    reader = pdf[lang]["reader"]
    bookmarks = outline(reader)
    starts = [page for _, page, _ in bookmarks] + [len(reader.pages) + 1]
    figures = 0
    with zipfile.ZipFile(dist_support.offline_zip()) as z:
        for (title, start, _), end, (_, source) in zip(bookmarks, starts[1:],
                                                        dist_support.nav()):
            html = z.read("nnguide-offline/" + dist_support.page_file(source, lang)).decode()
            svgs = len(re.findall(r'<img\b[^>]*\bsrc="[^"]*\.svg"', html))
            pngs = len(re.findall(r'<img\b[^>]*\bsrc="data:image/png', html))
            pages = range(start - 1, end - 1)
            if svgs:
                segments = [_path_segments(reader.pages[i]) for i in pages]
                assert max(segments) >= FIGURE_SEGMENTS, (
                    f"{title!r} (pages {start}-{end - 1}) draws none of its {svgs} figures: "
                    f"path segments per page {segments}")
            images = sum(_images(reader.pages[i]) for i in pages)
            assert images >= pngs, f"{title!r}: {images} images in the PDF, {pngs} on the page"
            figures += svgs + pngs
    assert figures >= 8, f"only {figures} figures on the {lang} pages"


def _path_segments(page):
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    for xobject in page["/Resources"].get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject["/Subtype"] == "/Form":
            data += xobject.get_data()
    tokens = data.split()
    return tokens.count(b"l") + tokens.count(b"c")


def _images(page):
    return sum(1 for x in page["/Resources"].get("/XObject", {}).values()
               if x.get_object()["/Subtype"] == "/Image")


@pytest.mark.parametrize("lang", LANGS)
def test_every_line_of_code_and_table_cell_is_printed_whole(pdf, lang):
    """Every line of code and every table cell of the language's pages (offline copy) is in
    the PDF, whole.

    Chromium leaves text that a box cuts off out of the PDF: a long line that did not wrap,
    or a table wider than the page, would be missing its end. Whitespace is ignored (a
    wrapped line is split in two). Code is looked up in the text in reading order (a line
    may wrap onto the next page), table cells in the order they are drawn (the lines of
    neighbouring cells interleave on the page)."""
    bs4 = pytest.importorskip("bs4", reason="pip install -e '.[docs]' (beautifulsoup4)")
    prefix = "nnguide-offline/" + ("" if lang == "zh" else f"{lang}/")
    texts = {"code": squeeze("".join(pdf[lang]["pages"])), "cell": squeeze(pdf[lang]["raw"])}
    counts = {"code": 0, "cell": 0}
    missing = []
    with zipfile.ZipFile(dist_support.offline_zip()) as z:
        for name in z.namelist():
            rest = name.removeprefix(prefix)
            if not name.startswith(prefix) or "/" in rest or not rest.endswith(".html"):
                continue
            article = bs4.BeautifulSoup(z.read(name).decode("utf-8"), "html.parser").article
            if article is None:
                continue
            items = [("code", line) for pre in article.select("pre")
                     for line in pre.get_text().splitlines() if line.strip()]
            items += [("cell", cell.get_text(" ", strip=True))
                      for cell in article.select("td, th")
                      if cell.get_text(strip=True) and not cell.select(".katex, .arithmatex")]
            for kind, text in items:
                counts[kind] += 1
                if squeeze(text) not in texts[kind]:
                    missing.append(f"{rest} ({kind}): {text[:100]}")
    assert counts["code"] > 100 and counts["cell"] > 50, f"too little found: {counts}"
    assert not missing, f"{len(missing)} of {counts} not (whole) in the PDF: {missing[:10]}"


@pytest.mark.parametrize("lang", LANGS)
def test_text_is_printed_at_its_size(pdf, lang):
    """Chromium shrinks the whole PDF when anything is wider than the page (the build stops
    on that): the text keeps its size. Most words are code (8 px monospace: 9 pt boxes);
    shrunk to fit a table 1.35 times too wide, they measured 6.7 pt."""
    bbox = poppler("pdftotext", "-bbox", "-f", 4, "-l", 12, pdf[lang]["path"], "-")
    heights = sorted(float(bottom) - float(top) for top, bottom in re.findall(
        r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', bbox))
    assert heights, "no words found on pages 4-12"
    median = heights[len(heights) // 2]
    assert median >= 8.5, f"the words are {median:.1f} pt high: the PDF was shrunk to fit"
