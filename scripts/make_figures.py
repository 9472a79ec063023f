"""Draw the site's figures from nnguide's own code: ``python scripts/make_figures.py``.

Writes ``docs/assets/figures/<name>.<lang>.svg`` for every figure in both
languages (zh, en) and ``docs/assets/figures/manifest.json``, which records
the SHA-256 of every figure file and of the code that drew it. Pages refer
to ``assets/figures/<name>.svg``: mkdocs-static-i18n serves the ``.zh`` file
on Chinese pages and the ``.en`` file on English pages.

``tests/test_figures.py`` fails when a figure is stale (the code changed but
the figures were not redrawn) and redraws the cheap figures to check they
are byte-identical. The training figures need the real MNIST files
(``NNGUIDE_DATA``) and a full training run (784-50-10, batch 100, lr 0.1,
10,000 iterations), so ``--skip-training`` leaves them as they are.

Options: ``--out DIR`` writes elsewhere (no manifest unless ``--manifest``),
``--only NAME`` draws one figure, ``--check`` only reports staleness.
"""

import argparse
import hashlib
import json
import os
import sys
import warnings
from pathlib import Path

# Run as a script: one BLAS thread for the training run, set before numpy loads (as
# fast as two on these small matrices, far faster on a busy machine; as in make_notebooks.py).
if __name__ == "__main__":
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_var, "1")

import matplotlib  # noqa: E402

matplotlib.use("svg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

from nnguide import plots  # noqa: E402
from nnguide.gradient_descent import gradient_descent_path  # noqa: E402

FIGURE_DIR = ROOT / "docs" / "assets" / "figures"
MANIFEST = FIGURE_DIR / "manifest.json"
LANGS = ("zh", "en")
SVG_METADATA = {"Date": None, "Creator": None}
HASH_SALT = "nnguide"
BORDER = "#d0d7de"
RASTER_DPI = 200  # only for artists drawn rasterized (the raw loss curve)

COMMON_SOURCES = ["nnguide/plots.py", "scripts/make_figures.py"]
DIFF_SOURCES = COMMON_SOURCES + ["nnguide/differentiation.py"]
DESCENT_SOURCES = DIFF_SOURCES + ["nnguide/gradient_descent.py", "nnguide/checks.py"]
TRAINING_SOURCES = COMMON_SOURCES + [
    "nnguide/train.py", "nnguide/two_layer_net.py", "nnguide/activations.py",
    "nnguide/losses.py", "nnguide/checks.py", "nnguide/mnist.py",
]

# The chapter's recipe (training page and training notebook).
TRAINING = {"hidden_size": 50, "iters_num": 10000, "batch_size": 100,
            "learning_rate": 0.1, "net_seed": 0, "batch_seed": 1}


def function_1(x):
    return 0.01 * x**2 + 0.1 * x


def function_2(x):
    return x[0]**2 + x[1]**2


# ---------------------------------------------------------------- figures

def draw_neg_log(lang):
    fig, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
    plots.plot_neg_log(ax, [0.6, 0.1], lang=lang)
    return fig


def draw_tangents(lang):
    fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
    plots.plot_tangents(ax, function_1, [5, 10], lang=lang)
    return fig


def draw_surface(lang):
    fig = plt.figure(figsize=(5.6, 4.6), layout="constrained")
    ax = fig.add_subplot(projection="3d")
    plots.plot_function_surface(ax, function_2, lang=lang)
    ax.view_init(elev=28, azim=-60)
    return fig


def draw_field(lang):
    fig, ax = plt.subplots(figsize=(5.6, 5.4), layout="constrained")
    points, grads = plots.gradient_field(function_2, lim=2.0, step=0.5)
    plots.plot_gradient_field(ax, points, grads, lang=lang)
    return fig


def draw_descent_path(lang):
    fig, ax = plt.subplots(figsize=(5.6, 5.4), layout="constrained")
    path = gradient_descent_path(function_2, np.array([-3.0, 4.0]), lr=0.1, step_num=20)
    plots.plot_descent_path(ax, path, lr=0.1, lang=lang, lim=4.5)
    return fig


def draw_learning_rates(lang):
    fig, axes = plt.subplots(1, 3, figsize=(11, 4.3), layout="constrained")
    paths = {lr: gradient_descent_path(function_2, np.array([-3.0, 4.0]), lr=lr, step_num=100)
             for lr in (10.0, 0.1, 1e-10)}
    plots.plot_learning_rates(axes, paths, lang=lang)
    return fig


_history = None


def training_history():
    """The chapter's training run on real MNIST (cached for both languages)."""
    global _history
    if _history is None:
        from nnguide import TwoLayerNet, load_mnist, train

        (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True)
        net = TwoLayerNet(784, TRAINING["hidden_size"], 10, rng=TRAINING["net_seed"])
        _history = train(net, x_train, t_train, x_test, t_test,
                         iters_num=TRAINING["iters_num"], batch_size=TRAINING["batch_size"],
                         learning_rate=TRAINING["learning_rate"], rng=TRAINING["batch_seed"],
                         progress=False)
    return _history


def draw_training_loss(lang):
    fig, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
    plots.plot_loss(ax, training_history().train_loss, lang=lang)
    return fig


def draw_training_accuracy(lang):
    fig, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
    history = training_history()
    plots.plot_accuracy(ax, history.train_acc, history.test_acc, lang=lang)
    return fig


# name -> (draw(lang) -> Figure, source files whose change makes it stale, needs MNIST)
FIGURES = {
    "neg-log": (draw_neg_log, COMMON_SOURCES, False),
    "numerical-diff-tangents": (draw_tangents, DIFF_SOURCES, False),
    "gradient-surface": (draw_surface, DIFF_SOURCES, False),
    "gradient-field": (draw_field, DIFF_SOURCES, False),
    "gradient-descent-path": (draw_descent_path, DESCENT_SOURCES, False),
    "learning-rates": (draw_learning_rates, DESCENT_SOURCES, False),
    "training-loss": (draw_training_loss, TRAINING_SOURCES, True),
    "training-accuracy": (draw_training_accuracy, TRAINING_SOURCES, True),
}


# ---------------------------------------------------------------- files

def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def source_hashes(name):
    return {src: sha256(ROOT / src) for src in FIGURES[name][1]}


def file_name(name, lang):
    return f"{name}.{lang}.svg"


def render(name, lang, out_dir):
    """Draw one figure in one language into ``out_dir``; returns the file path.

    Raises if matplotlib warns (e.g. "Glyph ... missing from font(s)").
    """
    draw = FIGURES[name][0]
    rc = dict(plots.style(lang), **{"svg.hashsalt": HASH_SALT})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with plt.rc_context(rc):
            fig = draw(lang)
            try:
                fig.patch.set_edgecolor(BORDER)
                fig.patch.set_linewidth(1.5)
                path = Path(out_dir) / file_name(name, lang)
                fig.savefig(path, format="svg", metadata=SVG_METADATA, dpi=RASTER_DPI)
            finally:
                plt.close(fig)
    return path


def environment():
    """What besides the code decides the bytes of an SVG: matplotlib and the CJK font file."""
    from matplotlib import font_manager

    font = Path(font_manager.findfont(font_manager.FontProperties(family=plots.CJK_FONT),
                                      fallback_to_default=False))
    return {"matplotlib": matplotlib.__version__,
            "cjk_font": f"{font.name} sha256:{sha256(font)[:16]}"}


def load_manifest(path=MANIFEST):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_manifest(names, out_dir, path=MANIFEST):
    manifest = load_manifest(path) if Path(path).exists() else {}
    figures = manifest.get("figures", {})
    for name in names:
        entry = {"sources": source_hashes(name),
                 "files": {file_name(name, lang): sha256(Path(out_dir) / file_name(name, lang))
                           for lang in LANGS}}
        if FIGURES[name][2]:
            history = training_history()
            entry["training"] = dict(TRAINING, final_test_acc=round(history.test_acc[-1], 4),
                                     final_train_acc=round(history.train_acc[-1], 4))
        figures[name] = entry
    manifest = {
        "about": "Written by scripts/make_figures.py; tests/test_figures.py checks it. "
                 "Regenerate with: python scripts/make_figures.py",
        "environment": environment(),
        "figures": {name: figures[name] for name in FIGURES if name in figures},
    }
    Path(path).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")


def stale(manifest_path=MANIFEST, figure_dir=FIGURE_DIR):
    """Human-readable reasons why committed figures do not match the code."""
    problems = []
    if not Path(manifest_path).exists():
        return [f"{manifest_path} is missing"]
    figures = load_manifest(manifest_path).get("figures", {})
    for name in FIGURES:
        entry = figures.get(name)
        if entry is None:
            problems.append(f"{name}: not in the manifest")
            continue
        for src, digest in source_hashes(name).items():
            if entry["sources"].get(src) != digest:
                problems.append(f"{name}: {src} changed since the figure was drawn")
        if set(entry["sources"]) != set(FIGURES[name][1]):
            problems.append(f"{name}: its list of source files changed")
        for lang in LANGS:
            fname = file_name(name, lang)
            path = Path(figure_dir) / fname
            if not path.exists():
                problems.append(f"{fname}: missing")
            elif entry["files"].get(fname) != sha256(path):
                problems.append(f"{fname}: edited by hand or not redrawn")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FIGURE_DIR)
    parser.add_argument("--only", action="append", choices=list(FIGURES))
    parser.add_argument("--skip-training", action="store_true",
                        help="do not redraw the figures that need MNIST and a training run")
    parser.add_argument("--check", action="store_true", help="only report stale figures")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale()
        for problem in problems:
            print(problem)
        print("figures are up to date" if not problems else
              "stale: run python scripts/make_figures.py")
        return 1 if problems else 0
    names = args.only or [name for name, (_, _, needs_mnist) in FIGURES.items()
                          if not (needs_mnist and args.skip_training)]
    args.out.mkdir(parents=True, exist_ok=True)
    for name in names:
        for lang in LANGS:
            path = render(name, lang, args.out)
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
                  f"  {path.stat().st_size:,} bytes")
    if args.out.resolve() == FIGURE_DIR.resolve():
        write_manifest(names, args.out)
        print(f"wrote {MANIFEST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
