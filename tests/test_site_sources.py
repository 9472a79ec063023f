"""The pages' sources: every snippet is run, and both languages say the same thing in code.

sybil only runs fences whose info string is exactly ``pycon`` or ``python``;
any other spelling (``python title="..."``, ``python3``) would silently not
run, so it fails here instead. The Chinese and English version of a page must
have identical code blocks, heading ids, images and formulas.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
from sybil.document import Document

from conftest import DOC_PARSERS

DOCS = Path(__file__).resolve().parents[1] / "docs"
LANGS = ("zh", "en")
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,}|~{3,})(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)(?P=ticks)[ \t]*$",
                   re.MULTILINE | re.DOTALL)
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.MULTILINE)
HEADING_ID = re.compile(r"\{\s*#([A-Za-z0-9_-]+)\s*\}\s*$")
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")
MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.DOTALL)
RUNNABLE = {"pycon", "python"}
PYTHONISH = re.compile(r"^(pycon|python3?|py3?|ipython3?)\b", re.IGNORECASE)


def pages(lang):
    return sorted(p for p in DOCS.glob(f"*.{lang}.*") if p.suffix in (".md", ".ipynb"))


def stem(path):
    return path.name.split(".")[0] + path.suffix


def fences(text):
    return [(m.group("info").strip(), m.group("body"), m.start(), m.end())
            for m in FENCE.finditer(text)]


def without_fences(text):
    return FENCE.sub("", text)


MARKDOWN_PAGES = [p for lang in LANGS for p in pages(lang) if p.suffix == ".md"]


def test_every_page_exists_in_both_languages():
    zh, en = {stem(p) for p in pages("zh")}, {stem(p) for p in pages("en")}
    assert zh, "no Chinese pages found in docs/"
    assert zh == en, f"only in Chinese: {sorted(zh - en)}; only in English: {sorted(en - zh)}"


@pytest.mark.parametrize("page", MARKDOWN_PAGES, ids=lambda p: p.name)
def test_python_fences_are_run_by_sybil(page):
    text = page.read_text(encoding="utf-8")
    regions = Document.parse(str(page), *DOC_PARSERS).regions
    starts = [start for start, _ in regions]
    for info, body, start, end in fences(text):
        lang = info.split()[0] if info else ""
        where = f"{page.name}:{text.count(chr(10), 0, start) + 1}"
        if info in RUNNABLE:
            assert any(start <= s < end for s in starts), f"{where}: ```{info} block not collected"
        elif PYTHONISH.match(info) and not lang == "py":
            pytest.fail(f"{where}: ```{info} is not run by sybil; use ```pycon for a runnable "
                        f"session or ```py for shown-only code")


def _skeleton(page):
    text = page.read_text(encoding="utf-8")
    prose = without_fences(text)
    headings = HEADING.findall(prose)
    missing = [h for _, h in headings if not HEADING_ID.search(h)]
    assert not missing, f"{page.name}: headings without an explicit {{ #id }}: {missing}"
    return {
        "code blocks": [(info, body) for info, body, _, _ in fences(text)],
        "heading ids": [(len(level), HEADING_ID.search(h).group(1)) for level, h in headings],
        "images": IMAGE.findall(prose),
        "formulas": MATH.findall(prose),
    }


@pytest.mark.parametrize("zh_page", [p for p in pages("zh") if p.suffix == ".md"],
                         ids=lambda p: p.name)
def test_both_languages_have_the_same_skeleton(zh_page):
    en_page = zh_page.with_name(zh_page.name.replace(".zh.", ".en."))
    zh, en = _skeleton(zh_page), _skeleton(en_page)
    for part in zh:
        assert zh[part] == en[part], (
            f"{zh_page.name} and {en_page.name} differ in their {part}:\n"
            f"  zh: {zh[part]}\n  en: {en[part]}")


def test_heading_ids_are_unique_per_page():
    for page in MARKDOWN_PAGES:
        ids = [i for _, i in _skeleton(page)["heading ids"]]
        repeated = [i for i, n in Counter(ids).items() if n > 1]
        assert not repeated, f"{page.name}: repeated heading ids {repeated}"


def test_both_languages_run_the_same_number_of_examples():
    counts = {lang: sum(len(Document.parse(str(p), *DOC_PARSERS).regions)
                        for p in pages(lang) if p.suffix == ".md") for lang in LANGS}
    assert counts["zh"] == counts["en"] > 0, counts
