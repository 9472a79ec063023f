"""Train the chapter's recipe once and record how it learns: ``python tools/make_history.py``.

Writes ``tools/training-history.json``: the recipe, the mini-batch loss at
every iteration (5 significant digits) and the accuracy on the training and
test data before training (epoch 0) and after every epoch. The training
figures are drawn from this file (``make_figures.py``) and the training
notebooks print the same numbers (``make_notebooks.py``): ``make history``
runs all three. Reads MNIST as ``load_mnist`` does (``--data-dir``,
``$NNGUIDE_DATA``, the user cache); one BLAS thread, about 10-20 s.
"""

import argparse
import json
import os
import sys

import site_layout

HISTORY = site_layout.ROOT / "tools" / "training-history.json"
REGENERATE = "make history"

# The chapter's recipe (training page, training notebooks, figures).
RECIPE = {"hidden_size": 50, "iters_num": 10000, "batch_size": 100,
          "learning_rate": 0.1, "net_seed": 0, "batch_seed": 1}


def train(recipe=RECIPE, iters_num=None, data_dir=None):
    """Run ``recipe`` on real MNIST (``iters_num`` overrides its length); a TrainingHistory."""
    from nnguide import TwoLayerNet, load_mnist
    from nnguide import train as train_network

    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True,
                                                      data_dir=data_dir)
    net = TwoLayerNet(784, recipe["hidden_size"], 10, rng=recipe["net_seed"])
    return train_network(net, x_train, t_train, x_test, t_test,
                         iters_num=recipe["iters_num"] if iters_num is None else iters_num,
                         batch_size=recipe["batch_size"], learning_rate=recipe["learning_rate"],
                         rng=recipe["batch_seed"], progress=False)


def as_record(history, recipe=RECIPE):
    return {
        "about": f"Written by tools/make_history.py; regenerate with: {REGENERATE}",
        "recipe": dict(recipe),
        "train_acc": list(history.train_acc),
        "test_acc": list(history.test_acc),
        "train_loss": [float(f"{loss:.5g}") for loss in history.train_loss],
    }


def load(path=HISTORY):
    """The recorded history: a dict with recipe, train_loss, train_acc, test_acc."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"{path} is missing; run: {REGENERATE}") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"{path} is not valid JSON ({err}); run: {REGENERATE}") from None
    missing = {"recipe", "train_loss", "train_acc", "test_acc"} - set(record)
    if missing:
        raise ValueError(f"{path} lacks {sorted(missing)}; run: {REGENERATE}")
    return record


def write(record, path=HISTORY):
    """Write ``record`` as JSON (one line per list), never leaving a half-written file."""
    lines = ",\n".join(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
                       for key, value in record.items())
    partial = path.with_suffix(".json.part")
    partial.write_text("{\n" + lines + "\n}\n", encoding="utf-8")
    partial.replace(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None,
                        help="folder with the four MNIST files (default: load_mnist's own "
                             "lookup: $NNGUIDE_DATA, the user cache, a download)")
    args = parser.parse_args(argv)
    history = train(data_dir=args.data_dir)
    write(as_record(history))
    print(f"wrote {HISTORY.relative_to(site_layout.ROOT)}: {len(history.train_loss)} "
          f"iterations, final test accuracy {history.test_acc[-1]:.4f}")
    return 0


if __name__ == "__main__":
    for name, value in site_layout.SINGLE_THREAD.items():   # before numpy loads
        os.environ.setdefault(name, value)
    sys.exit(main())
