"""The pages' sources: every snippet is run, and both languages say the same thing.

sybil only runs fences whose info string is exactly ``pycon`` or ``python``;
any other spelling (``python title="..."``, ``python3``) would silently not
run, so it fails here instead. The languages of a page must have identical
code blocks, heading ids, images and formulas, the same prose structure, and
prose that changed together since the last sync (tools/translations.py).
Every page is read by the one parser (tools/pages.py).
"""

import re
from collections import Counter

import pytest

import pages
import site_layout
import translations

LANGS = site_layout.languages()
DEFAULT = site_layout.default_language()
PAGES = translations.page_names()
MARKDOWN_PAGES = [site_layout.source(page, lang) for lang in LANGS for page in PAGES]
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")
MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.DOTALL)
PYTHONISH = re.compile(r"^(pycon|python3?|py3?|ipython3?)\b", re.IGNORECASE)


def test_every_page_is_in_the_nav_in_every_language():
    in_docs = {(site_layout.page_name(p), site_layout.lang_of(p))
               for p in site_layout.DOCS.glob("*.*") if p.suffix in (".md", ".ipynb")}
    in_nav = {(site_layout.page_name(entry), lang)
              for entry in site_layout.nav_pages() for lang in LANGS}
    assert in_docs == in_nav, (f"in docs/ but not in mkdocs.yml's nav (or not translated): "
                               f"{sorted(in_docs - in_nav)}; in the nav but missing: "
                               f"{sorted(in_nav - in_docs)}")


@pytest.mark.parametrize("page", MARKDOWN_PAGES, ids=lambda p: p.name)
def test_python_fences_are_run_by_sybil(page):
    text = page.read_text(encoding="utf-8")
    starts = [example.start for example in pages.examples(text, page)]
    for fence in pages.fences(text):
        where = f"{page.name}:{text.count(chr(10), 0, fence.start) + 1}"
        if fence.info in pages.RUNNABLE:
            assert any(fence.start <= s < fence.end for s in starts), \
                f"{where}: ```{fence.info} block not collected"
        elif PYTHONISH.match(fence.info) and fence.language != "py":
            pytest.fail(f"{where}: ```{fence.info} is not run by sybil; use ```pycon for a "
                        f"runnable session or ```py for shown-only code")


def _skeleton(page):
    text = page.read_text(encoding="utf-8")
    prose = pages.without_fences(text)
    headings = [m for m in map(pages.HEADING.match, prose.splitlines()) if m]
    missing = [h["text"] for h in headings if not re.fullmatch(r"[A-Za-z0-9_-]+", h["id"] or "")]
    assert not missing, f"{page.name}: headings without an explicit English {{ #id }}: {missing}"
    return {
        "code blocks": [(fence.info, fence.source) for fence in pages.fences(text)],
        "heading ids": [(len(h["hashes"]), h["id"]) for h in headings],
        "images": IMAGE.findall(prose),
        "formulas": MATH.findall(prose),
    }


@pytest.mark.parametrize("page", PAGES)
def test_languages_have_the_same_skeleton(page):
    first, *others = LANGS
    for other in others:
        a, b = (_skeleton(site_layout.source(page, lang)) for lang in (first, other))
        for part in a:
            assert a[part] == b[part], (
                f"{page}.{first}.md and {page}.{other}.md differ in their {part}:\n"
                f"  {first}: {a[part]}\n  {other}: {b[part]}")


def test_heading_ids_are_unique_per_page():
    for page in MARKDOWN_PAGES:
        ids = [i for _, i in _skeleton(page)["heading ids"]]
        repeated = [i for i, n in Counter(ids).items() if n > 1]
        assert not repeated, f"{page.name}: repeated heading ids {repeated}"


def test_languages_run_the_same_number_of_examples():
    counts = {lang: sum(len(pages.examples(site_layout.source(page, lang).read_text("utf-8")))
                        for page in PAGES) for lang in LANGS}
    assert len(set(counts.values())) == 1 and counts[DEFAULT] > 0, counts


@pytest.mark.parametrize("page", PAGES)
def test_languages_have_the_same_prose_structure(page):
    problems = translations.structure_differences(page)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", PAGES)
def test_no_language_changed_alone(page):
    problems = translations.drift(page)
    assert not problems, "\n".join(problems)


def test_known_structure_differences_still_exist():
    """An allowed difference that is gone must leave the list (a stale excuse hides drift)."""
    for page, section in translations.KNOWN_DIFFERENCES:
        counts = [{k: n for k, n in translations.structure(page, lang).items()
                   if k[0] == section} for lang in LANGS]
        assert any(c != counts[0] for c in counts), (
            f"{page} #{section} no longer differs between languages: remove it from "
            f"KNOWN_DIFFERENCES in tools/translations.py")


def test_a_drift_is_reported_with_the_page_and_the_command(tmp_path, monkeypatch):
    """The check can fail: one language's paragraph changed alone is named, with the fix."""
    page = PAGES[1]
    for lang in LANGS:
        (tmp_path / f"{page}.{lang}.md").write_bytes(site_layout.source(page, lang).read_bytes())
    monkeypatch.setattr(site_layout, "DOCS", tmp_path)
    record = {page: {lang: translations.digest(page, lang) for lang in LANGS}}
    assert translations.drift(page, record) == []
    changed = tmp_path / f"{page}.{DEFAULT}.md"
    changed.write_text(changed.read_text("utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    [message] = translations.drift(page, record)
    assert f"{page}.{DEFAULT}.md changed" in message
    assert f"python tools/translations.py --sync {page}" in message
    [structure] = translations.structure_differences(page)
    assert "paragraph" in structure


# Snippet sections in nnguide/ that no page embeds (the package's owners decide: embed or
# remove). The test below fails when one is embedded or gone, so this list only shrinks,
# and fails on any new section that no page embeds.
UNEMBEDDED = {"nnguide/activations.py:softmax"}


def test_every_snippet_section_is_embedded_by_a_page():
    start = re.compile(r"--8<-- \[start:([\w-]+)\]")
    sections = {f"nnguide/{path.name}:{name}"
                for path in sorted((site_layout.ROOT / "nnguide").glob("*.py"))
                for name in start.findall(path.read_text(encoding="utf-8"))}
    embedded = {m for page in MARKDOWN_PAGES
                for m in re.findall(r'--8<-- "([^"]+)"', page.read_text(encoding="utf-8"))}
    unused = sections - embedded
    assert not unused - UNEMBEDDED, (f"snippet sections no page embeds: "
                                     f"{sorted(unused - UNEMBEDDED)}; embed them or remove "
                                     f"their --8<-- markers")
    assert not UNEMBEDDED - unused, (f"embedded or removed now, take them off UNEMBEDDED: "
                                     f"{sorted(UNEMBEDDED - unused)}")
