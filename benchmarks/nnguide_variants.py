"""nnguide's training with one of its speed choices undone.

Each variant runs ``nnguide.train.train`` exactly as the ``nnguide``
contender does, except for one thing, so that the difference in time is what
that one choice buys. Run them with, for example::

    python benchmarks/bench_training.py --contenders nnguide,nnguide-float64,nnguide-one-hot

The changes are made in the benchmark's own process only (a wrapper class,
a replaced helper); the package is not modified.
"""

import importlib
import time

import numpy as np

VARIANTS = {
    "float64": "float64 weights and images instead of float32",
    "one-hot": "one-hot float32 labels instead of class labels",
    "two-pass": "a second forward pass for the logged loss (the book's loss + gradient)",
    "whole-eval": "accuracy over each whole set at once instead of 1,000-sample chunks",
    "choice": "each batch drawn with replacement by rng.choice instead of a shuffle per epoch",
}


def _one_hot(labels, num_classes=10, dtype=np.float32):
    t = np.zeros((labels.size, num_classes), dtype=dtype)
    t[np.arange(labels.size), labels] = 1
    return t


def run(data, iters, batch_size, learning_rate, seed, variant):
    """Train with ``variant`` undone; returns the same fields as every contender."""
    from nnguide.two_layer_net import TwoLayerNet

    # The module, not the function ``nnguide.train`` that the package exports.
    train_module = importlib.import_module("nnguide.train")

    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; known: {', '.join(VARIANTS)}")
    (x_train, t_train), (x_test, t_test) = data
    dtype = np.dtype(np.float64 if variant == "float64" else np.float32)
    x_train, x_test = x_train.astype(dtype, copy=False), x_test.astype(dtype, copy=False)
    if variant == "one-hot":
        t_train, t_test = _one_hot(t_train), _one_hot(t_test)

    network_class = TwoLayerNet
    if variant == "two-pass":
        class TwoPassNet(TwoLayerNet):
            def loss_and_gradient(self, x, t):
                grads = TwoLayerNet.loss_and_gradient(self, x, t)[1]
                return self.loss(x, t), grads   # the loss from a second forward pass

        network_class = TwoPassNet
    if variant == "whole-eval":
        chunked = train_module.chunked_accuracy
        train_module.chunked_accuracy = lambda net, x, t: chunked(net, x, t, chunk_size=len(x))
    if variant == "choice":
        def batch_indices(train_size, batch_size, rng):
            while True:
                yield rng.choice(train_size, batch_size)

        train_module.batch_indices = batch_indices

    start, cpu_start = time.perf_counter(), time.process_time()
    network = network_class(784, 50, 10, rng=seed, dtype=dtype)
    history = train_module.train(network, x_train, t_train, x_test, t_test,
                                 iters_num=iters, batch_size=batch_size,
                                 learning_rate=learning_rate,
                                 rng=np.random.default_rng(seed + 1), progress=False)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "epochs": len(history.test_acc),
            "train_acc": history.train_acc[-1] if history.train_acc else None,
            "test_acc": history.test_acc[-1] if history.test_acc else None}
