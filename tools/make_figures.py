"""Draw the site's figures: ``python tools/make_figures.py`` (``make figures``).

Writes ``docs/assets/figures/<name>.<lang>.svg`` for every figure in every
language. Pages refer to ``assets/figures/<name>.svg``: mkdocs-static-i18n
serves the file of the page's language. The figures are drawn from cheap
computations with nnguide's own functions (derivatives, gradient descent
paths) and from the recorded training run, ``tools/training-history.json``
(``make_history.py``): no figure needs MNIST or a training run.

``--check`` redraws every figure into a temporary folder and lists those whose
bytes differ from the committed file (tests/test_figures.py does the same).
Drawing is deterministic for a given matplotlib and CJK font (matplotlib is
pinned in pyproject.toml; the Chinese labels need Debian's ``fonts-noto-cjk``).
"""

import argparse
import sys
import tempfile
import warnings
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.figure import Figure

import make_history
import site_layout
from nnguide import plots
from nnguide.gradient_descent import gradient_descent_path

FIGURE_DIR = site_layout.DOCS / "assets" / "figures"
SVG_METADATA = {"Date": None, "Creator": None}
HASH_SALT = "nnguide"
BORDER = "#d0d7de"
RASTER_DPI = 200  # only for artists drawn rasterized (the raw loss curve)
REGENERATE = "make figures"


def function_1(x):
    return 0.01 * x**2 + 0.1 * x


def function_2(x):
    return x[0]**2 + x[1]**2


# ---------------------------------------------------------------- figures

def draw_neg_log(lang):
    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    ax = fig.subplots()
    plots.plot_neg_log(ax, [0.6, 0.1], lang=lang)
    return fig


def draw_tangents(lang):
    fig = Figure(figsize=(6.4, 4.2), layout="constrained")
    ax = fig.subplots()
    plots.plot_tangents(ax, function_1, [5, 10], lang=lang)
    return fig


def draw_surface(lang):
    fig = Figure(figsize=(5.6, 4.6), layout="constrained")
    ax = fig.add_subplot(projection="3d")
    plots.plot_function_surface(ax, function_2, lang=lang)
    ax.view_init(elev=28, azim=-60)
    return fig


def draw_field(lang):
    fig = Figure(figsize=(5.6, 5.4), layout="constrained")
    ax = fig.subplots()
    points, grads = plots.gradient_field(function_2, lim=2.0, step=0.5)
    plots.plot_gradient_field(ax, points, grads, lang=lang)
    return fig


def draw_descent_path(lang):
    fig = Figure(figsize=(5.6, 5.4), layout="constrained")
    ax = fig.subplots()
    path = gradient_descent_path(function_2, np.array([-3.0, 4.0]), lr=0.1, step_num=20)
    plots.plot_descent_path(ax, path, lr=0.1, lang=lang, lim=4.5)
    return fig


def draw_learning_rates(lang):
    fig = Figure(figsize=(11, 4.3), layout="constrained")
    axes = fig.subplots(1, 3)
    paths = {lr: gradient_descent_path(function_2, np.array([-3.0, 4.0]), lr=lr, step_num=100)
             for lr in (10.0, 0.1, 1e-10)}
    plots.plot_learning_rates(axes, paths, lang=lang)
    return fig


def draw_training_loss(lang):
    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    ax = fig.subplots()
    plots.plot_loss(ax, make_history.load()["train_loss"], lang=lang)
    return fig


def draw_training_accuracy(lang):
    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    ax = fig.subplots()
    history = make_history.load()
    plots.plot_accuracy(ax, history["train_acc"], history["test_acc"], lang=lang)
    return fig


FIGURES = {
    "neg-log": draw_neg_log,
    "numerical-diff-tangents": draw_tangents,
    "gradient-surface": draw_surface,
    "gradient-field": draw_field,
    "gradient-descent-path": draw_descent_path,
    "learning-rates": draw_learning_rates,
    "training-loss": draw_training_loss,
    "training-accuracy": draw_training_accuracy,
}


def file_name(name, lang):
    return f"{name}.{lang}.svg"


def render(name, lang, out_dir, draw=None):
    """Draw one figure in one language into ``out_dir``; returns the file path.

    Raises if matplotlib warns (e.g. "Glyph ... missing from font(s)").
    """
    draw = FIGURES[name] if draw is None else draw
    rc = dict(plots.style(lang), **{"svg.hashsalt": HASH_SALT})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with matplotlib.rc_context(rc):
            fig = draw(lang)
            fig.patch.set_edgecolor(BORDER)
            fig.patch.set_linewidth(1.5)
            path = Path(out_dir) / file_name(name, lang)
            fig.savefig(path, format="svg", metadata=SVG_METADATA, dpi=RASTER_DPI)
    return path


def render_all(out_dir, names=None):
    """Every figure (or ``names``) in every language; returns the paths."""
    return [render(name, lang, out_dir) for name in names or FIGURES
            for lang in site_layout.languages()]


def environment():
    """What besides the inputs decides an SVG's bytes: matplotlib and the CJK font file."""
    from matplotlib import font_manager

    try:
        font = font_manager.findfont(font_manager.FontProperties(family=plots.CJK_FONT),
                                     fallback_to_default=False)
    except ValueError:
        font = (f"not found (install fonts-noto-cjk; if it is installed, delete "
                f"matplotlib's font cache {matplotlib.get_cachedir()})")
    return f"matplotlib {matplotlib.__version__}, {plots.CJK_FONT}: {font}"


def stale(figure_dir=FIGURE_DIR):
    """The committed figures that redrawing does not reproduce byte for byte."""
    with tempfile.TemporaryDirectory() as tmp:
        return [path.name for path in render_all(tmp)
                if not (Path(figure_dir) / path.name).is_file()
                or (Path(figure_dir) / path.name).read_bytes() != path.read_bytes()]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FIGURE_DIR)
    parser.add_argument("--only", action="append", choices=list(FIGURES))
    parser.add_argument("--check", action="store_true",
                        help="redraw into a temporary folder; list the figures that differ")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale(args.out)
        for name in problems:
            print(f"{name}: redrawing gives different bytes")
        print(f"stale: run {REGENERATE} ({environment()})" if problems else
              "figures are up to date")
        return 1 if problems else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for path in render_all(args.out, args.only):
        print(f"{path}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
