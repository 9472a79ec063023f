"""Figures of the guide, drawn from nnguide's own numbers (needs matplotlib).

Every ``plot_*`` function draws on axes you pass in and returns them, so the
same code makes the site's figures (``tools/make_figures.py``) and the
plots in the notebooks. ``lang`` picks the labels: ``"zh"`` (Chinese) or
``"en"`` (English). Chinese labels need a CJK font: :func:`style` selects
"Noto Sans CJK SC" (Debian/Ubuntu package ``fonts-noto-cjk``).

Typical use::

    import matplotlib.pyplot as plt
    from nnguide import plots

    with plt.rc_context(plots.style("en")):
        fig = plots.plot_history(history, lang="en")
"""

import numpy as np

from nnguide.checks import check_args
from nnguide.differentiation import numerical_diff, numerical_gradient

__all__ = [
    "LABELS",
    "gradient_field",
    "plot_accuracy",
    "plot_descent_path",
    "plot_function_surface",
    "plot_gradient_field",
    "plot_history",
    "plot_learning_rates",
    "plot_loss",
    "plot_neg_log",
    "plot_tangents",
    "style",
    "tangent_line",
]

CJK_FONT = "Noto Sans CJK SC"
"""Font family for Chinese labels (it also has Latin letters and digits)."""

BLUE, ORANGE, GREEN, RED, GREY = "#1f6fb4", "#e07b00", "#2a9d4b", "#c8323c", "#8c8c8c"

LABELS = {
    "zh": {
        "x": "$x$",
        "fx": "$f(x)$",
        "function": "$f(x) = 0.01x^2 + 0.1x$",
        "tangent": "$x = {x:g}$ 处的切线（斜率 {slope:.4f}）",
        "x0": "$x_0$",
        "x1": "$x_1$",
        "f2": "$f(x_0, x_1) = x_0^2 + x_1^2$",
        "field": "负梯度 $-\\nabla f$ 指向函数值减小的方向",
        "path": "梯度下降的路径（学习率 {lr:g}，{steps} 步）",
        "start": "起点 $({x0:g}, {x1:g})$",
        "end": "终点",
        "minimum": "最小值 $(0, 0)$",
        "lr_title": "学习率 = {lr:g}",
        "lr_big": "过大：越过最小值，越走越远",
        "lr_good": "合适：逐步接近最小值",
        "lr_small": "过小：几乎原地不动",
        "final": "第 {steps} 步：({x0:.9g}, {x1:.9g})",
        "symlog": "（对称对数坐标）",
        "iteration": "迭代次数",
        "loss": "损失函数的值",
        "loss_raw": "每个小批量的损失",
        "loss_mean": "{window} 次迭代的平均",
        "epoch": "epoch",
        "accuracy": "识别精度",
        "train_acc": "训练数据",
        "test_acc": "测试数据",
        "prob_right": "正确类别的概率 $y$",
        "neg_log": "交叉熵误差 $-\\log y$",
        "neg_log_point": "$y = {y:g}$ 时，$-\\log y = {loss:.2f}$",
    },
    "en": {
        "x": "$x$",
        "fx": "$f(x)$",
        "function": "$f(x) = 0.01x^2 + 0.1x$",
        "tangent": "tangent at $x = {x:g}$ (slope {slope:.4f})",
        "x0": "$x_0$",
        "x1": "$x_1$",
        "f2": "$f(x_0, x_1) = x_0^2 + x_1^2$",
        "field": "The negative gradient $-\\nabla f$ points downhill",
        "path": "Gradient descent path (learning rate {lr:g}, {steps} steps)",
        "start": "start $({x0:g}, {x1:g})$",
        "end": "end",
        "minimum": "minimum $(0, 0)$",
        "lr_title": "learning rate = {lr:g}",
        "lr_big": "too large: overshoots, further each step",
        "lr_good": "about right: closes in on the minimum",
        "lr_small": "too small: hardly moves",
        "final": "step {steps}: ({x0:.9g}, {x1:.9g})",
        "symlog": " (symmetric log scale)",
        "iteration": "iteration",
        "loss": "loss",
        "loss_raw": "loss of each mini-batch",
        "loss_mean": "mean over {window} iterations",
        "epoch": "epoch",
        "accuracy": "accuracy",
        "train_acc": "training data",
        "test_acc": "test data",
        "prob_right": "probability of the correct class $y$",
        "neg_log": "cross-entropy error $-\\log y$",
        "neg_log_point": "$y = {y:g}$: $-\\log y = {loss:.2f}$",
    },
}
"""The figure labels in each language; ``{...}`` fields are filled in by the functions."""


def _text(lang, key, **fields):
    try:
        labels = LABELS[lang]
    except KeyError:
        raise ValueError(f"lang must be one of {sorted(LABELS)}, got {lang!r}.") from None
    return labels[key].format(**fields)


@check_args
def style(lang="en"):
    """rcParams for the guide's figures: fonts for ``lang``, white background.

    Use as ``with matplotlib.pyplot.rc_context(plots.style("zh")): ...``.
    Chinese text is set in "Noto Sans CJK SC"; a missing glyph makes
    matplotlib warn ("Glyph ... missing from font(s)").
    """
    if lang not in LABELS:
        raise ValueError(f"lang must be one of {sorted(LABELS)}, got {lang!r}.")
    families = [CJK_FONT, "DejaVu Sans"] if lang == "zh" else ["DejaVu Sans", CJK_FONT]
    return {
        "font.family": families,
        "font.size": 10,
        "axes.unicode_minus": True,
        "mathtext.fontset": "dejavusans",
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "savefig.facecolor": "white",
        "axes.edgecolor": "#4d4d4d",
        "axes.labelcolor": "#1a1a1a",
        "text.color": "#1a1a1a",
        "xtick.color": "#4d4d4d",
        "ytick.color": "#4d4d4d",
        "axes.grid": True,
        "grid.color": "#e3e3e3",
        "grid.linewidth": 0.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        "lines.linewidth": 1.8,
        "svg.fonttype": "path",
    }


# ---------------------------------------------------------------- losses

@check_args(points="numbers")
def plot_neg_log(ax, points=(0.6, 0.1), lang="en"):
    """The curve ``-log y`` for y in (0, 1], each of ``points`` marked on it."""
    y = np.linspace(0.001, 1.0, 1000)
    ax.plot(y, -np.log(y), color=BLUE)
    for y0, color in zip(points, [GREEN, RED, ORANGE, GREY]):
        loss = -np.log(y0)
        ax.plot([y0, y0], [0, loss], ":", color=color, linewidth=1.2)
        ax.plot([y0], [loss], "o", color=color, markersize=6)
        ax.annotate(_text(lang, "neg_log_point", y=y0, loss=loss), (y0, loss),
                    xytext=(10, 8), textcoords="offset points", color=color)
    ax.set_xlim(0, 1.0)
    ax.set_ylim(0, 5.0)
    ax.set_xlabel(_text(lang, "prob_right"))
    ax.set_ylabel(_text(lang, "neg_log"))
    return ax


# ---------------------------------------------------------------- numerical-diff

@check_args(f="callable", x="real")
def tangent_line(f, x):
    """Slope and intercept of the tangent of ``f`` at ``x``, slope by ``numerical_diff``."""
    slope = numerical_diff(f, x)
    return slope, f(x) - slope * x


@check_args(f="callable", points="numbers")
def plot_tangents(ax, f, points, x=None, lang="en"):
    """``f`` over ``x`` with its tangent lines at each of ``points``."""
    x = np.arange(0.0, 20.0, 0.1) if x is None else np.asarray(x, dtype=float)
    ax.plot(x, f(x), color=BLUE, label=_text(lang, "function"))
    for x0, color in zip(points, [ORANGE, GREEN, RED, GREY]):
        slope, intercept = tangent_line(f, x0)
        ax.plot(x, slope * x + intercept, color=color, linestyle="--", linewidth=1.4,
                label=_text(lang, "tangent", x=x0, slope=slope))
        ax.plot([x0], [f(x0)], "o", color=color, markersize=5)
    ax.set_xlabel(_text(lang, "x"))
    ax.set_ylabel(_text(lang, "fx"))
    ax.legend(loc="upper left")
    return ax


# ---------------------------------------------------------------- gradient

@check_args(f="callable", lim="positive", step="positive")
def gradient_field(f, lim=2.0, step=0.25):
    """Points of a square grid, shape (N, 2), and the gradient of ``f`` at each.

    Each row's gradient comes from ``numerical_gradient(f, point)``, where
    ``f`` takes one point ``[x0, x1]``.
    """
    ticks = np.arange(-lim, lim + step / 2, step)
    x0, x1 = np.meshgrid(ticks, ticks)
    points = np.column_stack([x0.ravel(), x1.ravel()])
    grads = np.array([numerical_gradient(f, point.copy()) for point in points])
    return points, grads


@check_args(f="callable", lim="positive", num="size")
def plot_function_surface(ax, f, lim=2.5, num=25, lang="en"):
    """``f(x0, x1)`` as a surface on a 3-D axes (``projection="3d"``)."""
    ticks = np.linspace(-lim, lim, num)
    x0, x1 = np.meshgrid(ticks, ticks)
    z = np.array([f(np.array(p)) for p in zip(x0.ravel(), x1.ravel())]).reshape(x0.shape)
    ax.plot_surface(x0, x1, z, cmap="viridis", edgecolor="#ffffff", linewidth=0.2,
                    antialiased=True)
    ax.set_xlabel(_text(lang, "x0"))
    ax.set_ylabel(_text(lang, "x1"))
    ax.set_zlabel("$f$")
    ax.set_title(_text(lang, "f2"))
    return ax


def _circles(ax, radii, **kwargs):
    t = np.linspace(0, 2 * np.pi, 181)
    for r in radii:
        ax.plot(r * np.cos(t), r * np.sin(t), color="#a6a6a6", linestyle=(0, (2, 2)),
                linewidth=0.8, **kwargs)


@check_args(points="numbers", grads="numbers")
def plot_gradient_field(ax, points, grads, lang="en"):
    """The negative gradient ``-grads`` as arrows at ``points`` (both (N, 2))."""
    points, grads = np.asarray(points), np.asarray(grads)
    lim = float(np.abs(points).max())
    _circles(ax, np.arange(0.5, lim * 1.5, 0.5))
    spacing = np.diff(np.unique(points[:, 0])).min() if len(points) > 1 else 1.0
    longest = float(np.hypot(grads[:, 0], grads[:, 1]).max()) or 1.0
    ax.quiver(points[:, 0], points[:, 1], -grads[:, 0], -grads[:, 1], color=BLUE,
              angles="xy", scale_units="xy", scale=longest / (0.95 * spacing), width=0.006,
              headwidth=3.5, headlength=4, headaxislength=3.5)
    ax.plot([0], [0], "+", color=RED, markersize=10, markeredgewidth=2)
    pad = 0.3
    ax.set_xlim(-lim - pad, lim + pad)
    ax.set_ylim(-lim - pad, lim + pad)
    ax.set_aspect("equal")
    ax.set_xlabel(_text(lang, "x0"))
    ax.set_ylabel(_text(lang, "x1"))
    ax.set_title(_text(lang, "field"))
    return ax


@check_args(path="numbers", lr=None, title="flag")
def plot_descent_path(ax, path, lr=None, lang="en", lim=None, title=True):
    """The points visited by gradient descent, ``path`` of shape (steps + 1, 2)."""
    path = np.asarray(path)
    lim = float(np.abs(path).max()) * 1.1 + 0.2 if lim is None else lim
    _circles(ax, np.arange(1.0, lim * 1.5, 1.0))
    ax.axhline(0, color="#9a9a9a", linewidth=0.8)
    ax.axvline(0, color="#9a9a9a", linewidth=0.8)
    ax.plot(path[:, 0], path[:, 1], "-", color=BLUE, linewidth=0.8, alpha=0.6)
    ax.plot(path[:, 0], path[:, 1], "o", color=BLUE, markersize=3.5)
    ax.plot(path[0, 0], path[0, 1], "o", color=ORANGE, markersize=7,
            label=_text(lang, "start", x0=path[0, 0], x1=path[0, 1]))
    ax.plot([0], [0], "+", color=RED, markersize=11, markeredgewidth=2,
            label=_text(lang, "minimum"))
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xlabel(_text(lang, "x0"))
    ax.set_ylabel(_text(lang, "x1"))
    if title and lr is not None:
        ax.set_title(_text(lang, "path", lr=lr, steps=len(path) - 1))
    ax.legend(loc="lower left")
    return ax


@check_args
def plot_learning_rates(axes, paths, lang="en"):
    """One panel per learning rate: ``paths`` maps ``lr`` to its descent path.

    Paths are shown in order of decreasing ``lr``; a path that runs off to
    huge values is drawn on symmetric-log axes so every step stays visible.
    """
    notes = iter(["lr_big", "lr_good", "lr_small"])
    for ax, (lr, path) in zip(axes, sorted(paths.items(), reverse=True)):
        path = np.asarray(path)
        note = next(notes, None)
        size = float(np.abs(path).max())
        if size > 1e3:
            ax.set_xscale("symlog", linthresh=1.0)
            ax.set_yscale("symlog", linthresh=1.0)
            lim = 10 ** np.ceil(np.log10(size) + 0.5)
            _circles(ax, [1.0, 5.0])
            ax.plot(path[:, 0], path[:, 1], "-", color=BLUE, linewidth=0.6, alpha=0.5)
            ax.plot(path[:, 0], path[:, 1], "o", color=BLUE, markersize=3)
            ax.plot(path[0, 0], path[0, 1], "o", color=ORANGE, markersize=7)
            ax.plot([0], [0], "+", color=RED, markersize=11, markeredgewidth=2)
            ax.set_xlim(-lim, lim)
            ax.set_ylim(-lim, lim)
            ticks = [-1e12, -1e8, -1e4, 0, 1e4, 1e8, 1e12]
            ax.set_xticks(ticks)
            ax.set_yticks(ticks)
            ax.minorticks_off()
            ax.set_xlabel(_text(lang, "x0") + _text(lang, "symlog"))
            ax.set_ylabel(_text(lang, "x1") + _text(lang, "symlog"))
            ax.tick_params(labelsize=8)
        else:
            plot_descent_path(ax, path, lang=lang, lim=5.0, title=False)
            ax.get_legend().remove()
        end = path[-1]
        ax.set_title(_text(lang, "lr_title", lr=lr) + "\n" + _text(lang, note), fontsize=10)
        ax.text(0.03, 0.97, _text(lang, "final", steps=len(path) - 1, x0=end[0], x1=end[1]),
                transform=ax.transAxes, va="top", fontsize=8,
                bbox={"boxstyle": "round,pad=0.3", "facecolor": "white",
                      "edgecolor": "#cccccc", "alpha": 0.9})
    return axes


# ---------------------------------------------------------------- training

@check_args(train_loss="numbers", window="size")
def plot_loss(ax, train_loss, window=100, lang="en"):
    """The mini-batch loss at every iteration, with its running mean."""
    loss = np.asarray(train_loss, dtype=float)
    it = np.arange(1, len(loss) + 1)
    # 10,000 noisy points: rasterized, an SVG stays small (the mean line stays vector).
    ax.plot(it, loss, color="#9ec5e8", linewidth=0.6, label=_text(lang, "loss_raw"),
            rasterized=True)
    if len(loss) >= window:
        mean = np.convolve(loss, np.ones(window) / window, mode="valid")
        ax.plot(it[window - 1:], mean, color=BLUE, linewidth=1.8,
                label=_text(lang, "loss_mean", window=window))
    ax.set_xlabel(_text(lang, "iteration"))
    ax.set_ylabel(_text(lang, "loss"))
    ax.set_xlim(0, len(loss))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper right")
    return ax


@check_args(train_acc="numbers", test_acc="numbers")
def plot_accuracy(ax, train_acc, test_acc, lang="en"):
    """Accuracy on the training and test data; item ``i`` is after epoch ``i`` (0: before)."""
    epochs = np.arange(len(train_acc))
    ax.plot(epochs, train_acc, "o-", color=BLUE, markersize=4, label=_text(lang, "train_acc"))
    ax.plot(epochs, test_acc, "s--", color=ORANGE, markersize=4, label=_text(lang, "test_acc"))
    ax.set_xlabel(_text(lang, "epoch"))
    ax.set_ylabel(_text(lang, "accuracy"))
    ax.set_ylim(0, 1.0)
    ax.set_xticks(epochs[::2] if len(epochs) > 10 else epochs)
    ax.legend(loc="lower right")
    return ax


@check_args
def plot_history(history, lang="en", figsize=(10, 3.8)):
    """A figure with the loss curve and the accuracy curves of a ``TrainingHistory``."""
    import matplotlib.pyplot as plt

    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=figsize, layout="constrained")
    plot_loss(ax_loss, history.train_loss, lang=lang)
    plot_accuracy(ax_acc, history.train_acc, history.test_acc, lang=lang)
    return fig
