"""The site's figures (docs/assets/figures) are current, reproducible and fully labelled.

``python scripts/make_figures.py`` draws them; its manifest records the
SHA-256 of every figure and of the code that drew it. These tests fail when
the code changed but the figures were not redrawn, when a figure was edited
by hand, when redrawing the cheap figures does not give the same bytes, or
when a label has a glyph the font lacks.
"""

import importlib.util
import logging
import re
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _load_make_figures():
    spec = importlib.util.spec_from_file_location("make_figures", ROOT / "scripts" / "make_figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mf = _load_make_figures()
CHEAP = [name for name, (_, _, needs_mnist) in mf.FIGURES.items() if not needs_mnist]
REGENERATE = "run: python scripts/make_figures.py (NNGUIDE_DATA must point to MNIST)"


def test_figures_match_the_code_that_draws_them():
    problems = mf.stale()
    assert not problems, "stale figures:\n  " + "\n  ".join(problems) + f"\n{REGENERATE}"


def test_every_figure_exists_in_both_languages():
    for name in mf.FIGURES:
        for lang in mf.LANGS:
            path = mf.FIGURE_DIR / mf.file_name(name, lang)
            assert path.is_file(), f"{path} is missing; {REGENERATE}"
            head = path.read_text(encoding="utf-8")[:400]
            assert "<svg" in head, f"{path} is not an SVG"


@pytest.fixture(scope="module")
def redrawn(tmp_path_factory):
    """The cheap figures redrawn into a temporary folder (matplotlib warnings are errors)."""
    out = tmp_path_factory.mktemp("figures")
    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Collect(level=logging.WARNING)
    logger = logging.getLogger("matplotlib")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for name in CHEAP:
                for lang in mf.LANGS:
                    mf.render(name, lang, out)
    finally:
        logger.removeHandler(handler)
    return out, records


def test_redrawing_gives_no_matplotlib_warning(redrawn):
    """E.g. "findfont: Font family 'Noto Sans CJK SC' not found" (logged, not warned)."""
    _, records = redrawn
    assert not records, "matplotlib logged: " + "; ".join(r.getMessage() for r in records)


@pytest.mark.parametrize("name", CHEAP)
def test_cheap_figure_is_reproducible(redrawn, name):
    out, _ = redrawn
    for lang in mf.LANGS:
        fname = mf.file_name(name, lang)
        committed = (mf.FIGURE_DIR / fname).read_bytes()
        if (out / fname).read_bytes() != committed:
            drawn_with, here = mf.load_manifest().get("environment"), mf.environment()
            hint = ("" if drawn_with == here else
                    f" The committed figures were drawn with {drawn_with}, this machine has "
                    f"{here}: pin that matplotlib / install that font, or redraw.")
            pytest.fail(f"{fname}: redrawing it gives different bytes; {REGENERATE}.{hint}")


def test_glyph_missing_is_an_error(tmp_path):
    """The guard works: a label the fonts cannot draw makes rendering fail."""
    def draw_bad(lang):
        fig, ax = mf.plt.subplots()
        ax.set_title("\u0f00")  # a Tibetan syllable: in neither font
        return fig

    mf.FIGURES["_bad"] = (draw_bad, [], False)
    try:
        with pytest.raises(UserWarning, match="Glyph .* missing"):
            mf.render("_bad", "zh", tmp_path)
    finally:
        del mf.FIGURES["_bad"]


def test_chinese_figures_use_the_cjk_font():
    for name in mf.FIGURES:
        zh = (mf.FIGURE_DIR / mf.file_name(name, "zh")).read_text(encoding="utf-8")
        en = (mf.FIGURE_DIR / mf.file_name(name, "en")).read_text(encoding="utf-8")
        assert "NotoSansCJKsc" in zh, f"{name}.zh.svg: no glyph from Noto Sans CJK SC"
        assert "NotoSansCJK" not in en, f"{name}.en.svg: has CJK glyphs in the English figure"


def test_svg_is_deterministic_and_self_contained():
    for path in sorted(mf.FIGURE_DIR.glob("*.svg")):
        text = path.read_text(encoding="utf-8")
        assert "<dc:date>" not in text, f"{path.name}: has a date (use metadata={{'Date': None}})"
        assert not re.search(r'(?:href|src)="(?:https?:)?//', text), f"{path.name}: loads an URL"
        assert path.stat().st_size < 400_000, f"{path.name}: {path.stat().st_size:,} bytes"


def test_pages_use_figures_that_exist_with_alt_text():
    """``![alt](assets/figures/NAME.svg)``: both language files exist, and alt is not empty."""
    pattern = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*assets/figures/[^)\s]+)")
    for page in sorted(DOCS.glob("*.md")):
        for m in pattern.finditer(page.read_text(encoding="utf-8")):
            assert m["alt"].strip(), f"{page.name}: figure {m['src']} has no alt text"
            stem = Path(m["src"]).name.removesuffix(".svg")
            for lang in mf.LANGS:
                assert (mf.FIGURE_DIR / f"{stem}.{lang}.svg").is_file(), \
                    f"{page.name}: {m['src']} has no {stem}.{lang}.svg"
