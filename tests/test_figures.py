"""The site's figures (docs/assets/figures) are current, reproducible and fully labelled.

tools/make_figures.py draws them from cheap computations with nnguide's own
functions and from the recorded training run (tools/training-history.json).
Redrawing every figure must give the committed bytes, so a figure is stale
exactly when something it is drawn from changed (a function it plots, the
plotting code, the history), never because of a comment elsewhere. Labels
must not need a glyph the fonts lack.
"""

import logging
import re
import tomllib
import warnings

import matplotlib
import pytest

import make_figures
import site_layout

LANGS = site_layout.languages()
FIGURE_DIR = make_figures.FIGURE_DIR


@pytest.fixture(scope="module")
def redrawn(tmp_path_factory):
    """Every figure redrawn into a temporary folder; what matplotlib logged meanwhile."""
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
            make_figures.render_all(out)
    finally:
        logger.removeHandler(handler)
    return out, records


@pytest.mark.slow
def test_redrawing_gives_no_matplotlib_warning(redrawn):
    """E.g. "findfont: Font family 'Noto Sans CJK SC' not found" (logged, not warned)."""
    _, records = redrawn
    assert not records, "matplotlib logged: " + "; ".join(r.getMessage() for r in records)


def _pinned_matplotlib():
    pyproject = tomllib.loads((site_layout.ROOT / "pyproject.toml").read_text("utf-8"))
    pins = [d for d in pyproject["project"]["optional-dependencies"]["docs"]
            if d.startswith("matplotlib==")]
    return pins[0].split("==")[1] if pins else None


@pytest.mark.slow
@pytest.mark.parametrize("name", make_figures.FIGURES)
def test_figure_is_what_its_inputs_draw(redrawn, name):
    out, _ = redrawn
    for lang in LANGS:
        fname = make_figures.file_name(name, lang)
        if (out / fname).read_bytes() != (FIGURE_DIR / fname).read_bytes():
            pin = _pinned_matplotlib()
            hint = ("" if pin == matplotlib.__version__ else
                    f" This machine has matplotlib {matplotlib.__version__}, pyproject.toml "
                    f"pins {pin}: install the pin before redrawing.")
            pytest.fail(f"{fname}: redrawing it gives different bytes; run: "
                        f"{make_figures.REGENERATE} ({make_figures.environment()}).{hint}")


def test_every_figure_exists_in_every_language_and_nothing_else():
    expected = {make_figures.file_name(name, lang) for name in make_figures.FIGURES
                for lang in LANGS}
    present = {path.name for path in FIGURE_DIR.iterdir()}
    assert present == expected, (f"missing: {sorted(expected - present)} (run "
                                 f"{make_figures.REGENERATE}); not drawn by "
                                 f"tools/make_figures.py: {sorted(present - expected)}")
    for name in expected:
        assert "<svg" in (FIGURE_DIR / name).read_text(encoding="utf-8")[:400], name


def test_glyph_missing_is_an_error(tmp_path):
    """The guard works: a label the fonts cannot draw makes drawing fail."""
    def draw_bad(lang):
        fig = make_figures.Figure()
        fig.subplots().set_title("\u0f00")  # a Tibetan syllable: in neither font
        return fig

    with pytest.raises(UserWarning, match="Glyph .* missing"):
        make_figures.render("bad", "zh", tmp_path, draw=draw_bad)


def test_chinese_figures_use_the_cjk_font():
    for name in make_figures.FIGURES:
        zh = (FIGURE_DIR / make_figures.file_name(name, "zh")).read_text(encoding="utf-8")
        en = (FIGURE_DIR / make_figures.file_name(name, "en")).read_text(encoding="utf-8")
        assert "NotoSansCJKsc" in zh, f"{name}.zh.svg: no glyph from Noto Sans CJK SC"
        assert "NotoSansCJK" not in en, f"{name}.en.svg: has CJK glyphs in the English figure"


def test_svg_is_deterministic_and_self_contained():
    for path in sorted(FIGURE_DIR.glob("*.svg")):
        text = path.read_text(encoding="utf-8")
        assert "<dc:date>" not in text, f"{path.name}: has a date (use metadata={{'Date': None}})"
        assert not re.search(r'(?:href|src)="(?:https?:)?//', text), f"{path.name}: loads an URL"
        assert path.stat().st_size < 400_000, f"{path.name}: {path.stat().st_size:,} bytes"


def test_pages_use_figures_that_exist_with_alt_text():
    """``![alt](assets/figures/NAME.svg)``: every language's file exists, and alt is not empty."""
    pattern = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*assets/figures/[^)\s]+)")
    for page in sorted(site_layout.DOCS.glob("*.md")):
        for m in pattern.finditer(page.read_text(encoding="utf-8")):
            assert m["alt"].strip(), f"{page.name}: figure {m['src']} has no alt text"
            stem = m["src"].rsplit("/", 1)[-1].removesuffix(".svg")
            for lang in LANGS:
                assert (FIGURE_DIR / f"{stem}.{lang}.svg").is_file(), \
                    f"{page.name}: {m['src']} has no {stem}.{lang}.svg"
