"""Write and execute the training notebooks: ``python tools/make_notebooks.py``.

Writes ``docs/notebook.<lang>.ipynb`` for every language: the chapter's
training run (TwoLayerNet 784-50-10 on real MNIST, the recipe of
``make_history.RECIPE``, seeded) with its printed accuracies and its loss and
accuracy plots. The notebooks have the same code; only ``LANG`` (the language
of the plot labels) and the note printed where the Chinese font is missing
(the setup cell then falls back to English labels) differ. They are committed executed, because the site
renders them with mkdocs-jupyter's ``execute: false``; ``make history`` runs
this after ``make_history.py``, and tests/test_notebooks.py checks that the
printed accuracies are those of ``tools/training-history.json``.

Reads MNIST as ``load_mnist`` does (``$NNGUIDE_DATA``, the user cache); one
training run per language. ``--no-execute`` writes the notebooks without outputs.
"""

import argparse
import os
import sys
import time

import nbformat
from nbclient import NotebookClient

import make_history
import site_layout

DOCS = site_layout.DOCS
INSTALL_TAG = site_layout.INSTALL_TAG

TEXT = {
    "zh": {
        "title": """# 训练笔记本 <a id="training-notebook"></a>

这个笔记本完整地跑一遍[实现学习算法](../training/)一页的训练：两层神经网络（784-50-10）在真实的 MNIST 数据上用小批量随机梯度下降法学习，迭代 10000 次（批量大小 100，学习率 0.1），并把学习的过程画出来。网页上显示的输出就是这个笔记本运行后保存下来的结果。

随机种子是固定的（初始权重 `rng=0`，小批量的抽取 `rng=1`），所以重新运行会得到同样的识别精度（最后几位可能因机器而略有差别）。

下一个单元安装 nnguide；如果已经装好，可以跳过它。""",
        "imports": """## 准备 <a id="setup"></a>

导入需要的函数。`LANG` 决定图中文字的语言（`"zh"` 或 `"en"`）。中文标签需要 Noto Sans CJK SC 字体（Debian/Ubuntu 的 `fonts-noto-cjk` 包）和 3.11 以上版本的 matplotlib。找不到这个字体时（比如在 Colab 上），下面的单元会改用英文标签，并打印出安装字体的方法。""",
        "data": """## 读入 MNIST <a id="load-mnist"></a>

图像展平成 784 个像素并归一化到 0.0～1.0，正确解标签用独热编码。第一次运行时会下载数据（约 11 MB）。""",
        "train": """## 训练 <a id="train"></a>

每次迭代随机取 100 张图像组成一个小批量，用误差反向传播法求出损失函数关于各个参数的梯度，再沿负梯度方向更新参数：

$$
W \\leftarrow W - \\eta \\frac{\\partial L}{\\partial W}
$$

其中 $\\eta = 0.1$ 是学习率。60000 张训练图像每 600 次迭代用过一遍，称为一个 epoch。训练开始前（第 0 个 epoch）和每个 epoch 结束时，分别计算训练数据和测试数据上的识别精度并打印出来。""",
        "loss": """## 损失函数的变化 <a id="loss-curve"></a>

每次迭代记录一次小批量的损失（更新参数之前的值）。单个小批量的损失起伏很大（浅色曲线），但 100 次迭代的平均值（深色曲线）稳步下降：网络确实在学习。""",
        "accuracy": """## 识别精度的变化 <a id="accuracy-curve"></a>

曲线从第 0 个 epoch，也就是训练开始之前画起：这时网络还什么都没学，识别精度只有约 0.11，和随机猜测差不多；一个 epoch 之后就升到了约 0.78。训练数据和测试数据的识别精度几乎重合、一起上升。这说明网络学到的是对没见过的数据也成立的规律，没有发生过拟合。""",
        "summary": """## 小结 <a id="summary"></a>

- 只需迭代 10000 次，这个小网络对测试数据的识别精度就超过了 94%。
- 损失曲线逐渐下降，训练精度和测试精度一同提高，两者几乎没有差距。
- 试着改变 `learning_rate`（例如 0.01 或 1.0）、隐藏层的大小或 `iters_num`，再运行一遍，比较曲线有什么不同。""",
        "alt_loss": "训练损失随迭代次数变化的曲线：每个小批量的损失从约 2.3 开始下降，起伏较大；100 次迭代的平均值平稳下降到 0.2 左右。",
        "alt_accuracy": "训练开始前（第 0 个 epoch）和每个 epoch 结束时的识别精度：训练数据和测试数据的精度几乎重合，从训练前的约 0.11、第 1 个 epoch 后的约 0.78 上升到第 16 个 epoch 后的约 0.95。",
        "font_note": [
            "找不到中文字体 Noto Sans CJK SC，图中的文字改用英文。",
            "要显示中文：运行下面三行，重启内核，再从头运行这个笔记本。",
        ],
    },
    "en": {
        "title": """# Training notebook <a id="training-notebook"></a>

This notebook runs the training of the page [Implementing the learning algorithm](../training/) in full: a two-layer network (784-50-10) learns from the real MNIST data by mini-batch stochastic gradient descent, for 10,000 iterations (batch size 100, learning rate 0.1), and the notebook plots how it learns. The outputs shown on this page are the ones saved when the notebook was run.

The random seeds are fixed (initial weights `rng=0`, mini-batch draws `rng=1`), so running it again gives the same accuracies (the last digits may differ slightly between machines).

The next cell installs nnguide; skip it if nnguide is already installed.""",
        "imports": """## Setup <a id="setup"></a>

Import what the notebook uses. `LANG` sets the language of the labels in the plots (`"zh"` or `"en"`). Chinese labels need the font Noto Sans CJK SC (Debian/Ubuntu package `fonts-noto-cjk`) and matplotlib 3.11 or later. Where that font is missing (on Colab, for example), the next cell switches to English labels and prints how to install it.""",
        "data": """## Load MNIST <a id="load-mnist"></a>

Images are flattened to 784 pixels and normalized to 0.0–1.0; labels are one-hot. The first run downloads the data (about 11 MB).""",
        "train": """## Train <a id="train"></a>

Every iteration draws 100 images at random as a mini-batch, computes the gradient of the loss with respect to every parameter by backpropagation, and moves each parameter against its gradient:

$$
W \\leftarrow W - \\eta \\frac{\\partial L}{\\partial W}
$$

where $\\eta = 0.1$ is the learning rate. Every 600 iterations the network has used all 60,000 training images once: one epoch. Before training (epoch 0) and after each epoch the accuracy on the training data and on the test data is printed.""",
        "loss": """## The loss <a id="loss-curve"></a>

The loss of the mini-batch is recorded at every iteration (before that iteration's update). A single batch's loss jumps around (light curve), but its mean over 100 iterations (dark curve) goes steadily down: the network is learning.""",
        "accuracy": """## The accuracy <a id="accuracy-curve"></a>

The curves start at epoch 0, before training: the network has learned nothing yet, and its accuracy is only about 0.11, about as good as a random guess; after one epoch it is already about 0.78. The accuracies on the training data and on the test data rise together and almost coincide. So what the network learns holds for images it has never seen: it does not overfit.""",
        "summary": """## Summary <a id="summary"></a>

- After only 10,000 iterations this small network recognizes more than 94% of the test images.
- The loss goes down, and training and test accuracy rise together with almost no gap.
- Change `learning_rate` (e.g. to 0.01 or 1.0), the hidden layer's size or `iters_num`, run the notebook again and compare the curves.""",
        "alt_loss": "Training loss against iteration: the loss of each mini-batch starts near 2.3 and falls while jumping around; its mean over 100 iterations falls smoothly to about 0.2.",
        "alt_accuracy": "Accuracy before training (epoch 0) and after each epoch: training and test accuracy almost coincide, rising from about 0.11 before training and 0.78 after epoch 1 to about 0.95 after epoch 16.",
        "font_note": [
            "No font Noto Sans CJK SC: the plots use English labels.",
            "For Chinese labels, run these three lines, restart the kernel",
            "and run this notebook again.",
        ],
    },
}

# What gets Chinese labels on a machine without the font (Colab: fonts-noto-cjk is not
# installed, and matplotlib before 3.11 reads only the first face, "JP", of its .ttc).
FONT_INSTALL = [
    "  !apt-get install -y fonts-noto-cjk",
    '  %pip install -U "matplotlib>=3.11"',
]

CODE = {
    "imports": """\
import matplotlib
import matplotlib.pyplot as plt
from matplotlib import font_manager

from nnguide import TwoLayerNet, load_mnist, plots, train

LANG = "{lang}"

if LANG == "zh":
    try:
        font_manager.findfont("Noto Sans CJK SC", fallback_to_default=False)
    except ValueError:  # no such font: English labels, and how to get the font
        LANG = "en"
{note}
""",
    "data": """\
(x_train, t_train), (x_test, t_test) = load_mnist(
    normalize=True, one_hot_label=True)
print(x_train.shape, t_train.shape, x_test.shape, t_test.shape)
""",
    "train": """\
net = TwoLayerNet(784, {hidden_size}, 10, rng={net_seed})


def log(epoch, train_acc, test_acc):
    print(f"epoch {{epoch:2d}}  train acc {{train_acc:.4f}}  "
          f"test acc {{test_acc:.4f}}")


history = train(net, x_train, t_train, x_test, t_test,
                iters_num={iters_num}, batch_size={batch_size},
                learning_rate={learning_rate}, rng={batch_seed},
                progress=False, log=log)
print(f"final test accuracy {{history.test_acc[-1]:.4f}}")
""",
    "loss": """\
with plt.rc_context(plots.style(LANG)):
    fig, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
    plots.plot_loss(ax, history.train_loss, lang=LANG)
    plt.show()
""",
    "accuracy": """\
with plt.rc_context(plots.style(LANG)):
    fig, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
    plots.plot_accuracy(ax, history.train_acc, history.test_acc, lang=LANG)
    plt.show()
""",
}


def imports_code(lang):
    """The setup cell: imports, ``LANG``, and the fallback to English labels without the font.

    The note is printed only where the font is missing; it says how to install the font
    (and a matplotlib that finds it) and where matplotlib's font cache is, which must be
    rebuilt after the font is installed.
    """
    lines = [f"{line}\\n" for line in TEXT[lang]["font_note"]] + [
        f"{line}\\n" for line in FONT_INSTALL]
    strings = [f'"{line}"' if '"' not in line else f"'{line}'" for line in lines]
    strings.append('f"  !rm -rf {matplotlib.get_cachedir()}"')
    indent = " " * 14
    note = "        print(" + ("\n" + indent).join(strings) + ")"
    return CODE["imports"].format(lang=lang, note=note).rstrip("\n")


def notebook_path(lang):
    return DOCS / f"notebook.{lang}.ipynb"


def build(lang):
    """The notebook for ``lang``, without outputs."""
    text = TEXT[lang]
    v4 = nbformat.v4
    cells = [
        v4.new_markdown_cell(text["title"]),
        v4.new_code_cell(site_layout.install_line("plots"), metadata={"tags": [INSTALL_TAG]}),
        v4.new_markdown_cell(text["imports"]),
        v4.new_code_cell(imports_code(lang)),
        v4.new_markdown_cell(text["data"]),
        v4.new_code_cell(CODE["data"].rstrip("\n")),
        v4.new_markdown_cell(text["train"]),
        v4.new_code_cell(CODE["train"].format(**make_history.RECIPE).rstrip("\n")),
        v4.new_markdown_cell(text["loss"]),
        v4.new_code_cell(CODE["loss"].rstrip("\n"), metadata={"alt": text["alt_loss"]}),
        v4.new_markdown_cell(text["accuracy"]),
        v4.new_code_cell(CODE["accuracy"].rstrip("\n"), metadata={"alt": text["alt_accuracy"]}),
        v4.new_markdown_cell(text["summary"]),
    ]
    for n, cell in enumerate(cells):
        cell["id"] = f"cell-{n}"
    nb = v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return nb


def execute(nb, timeout=1200):
    """Run every cell but the install cell, in the notebook's folder; errors are fatal.

    Cells with an ``alt`` entry in their metadata pass it on to their image
    outputs (``output.metadata["image/png"]["alt"]``), where the site's hook
    (``tools/notebook_pages.py``) turns it into the ``alt`` attribute.
    """
    original = list(nb.cells)
    install = [cell for cell in original if INSTALL_TAG in cell.metadata.get("tags", [])]
    nb.cells = [cell for cell in original if cell not in install]
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=False,
                            record_timing=False, resources={"metadata": {"path": str(DOCS)}})
    client.execute(env=dict(os.environ, **site_layout.SINGLE_THREAD))
    nb.cells = original
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
        alt = cell.metadata.get("alt")
        for output in cell.get("outputs", []):
            if alt and "image/png" in output.get("data", {}):
                output.setdefault("metadata", {}).setdefault("image/png", {})["alt"] = alt
    return nb


def merge_streams(outputs):
    """Join consecutive stdout (or stderr) outputs into one, as Jupyter shows them."""
    merged = []
    for output in outputs:
        if (output.output_type == "stream" and merged and merged[-1].output_type == "stream"
                and merged[-1].name == output.name):
            merged[-1].text += output.text
        else:
            merged.append(output)
    return merged


def write(nb, path):
    nbformat.validate(nb)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", action="append", choices=site_layout.languages())
    parser.add_argument("--no-execute", action="store_true")
    args = parser.parse_args(argv)
    for lang in args.lang or site_layout.languages():
        nb = build(lang)
        if not args.no_execute:
            start = time.perf_counter()
            nb = execute(nb)
            print(f"executed {lang} in {time.perf_counter() - start:.1f} s")
        write(nb, notebook_path(lang))
        print(f"wrote {notebook_path(lang).relative_to(site_layout.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
