"""Mini-batch stochastic gradient descent over a network and a data set."""

from dataclasses import dataclass, field

import numpy as np
from tqdm import tqdm


@dataclass
class TrainingHistory:
    """What a training run recorded.

    Attributes
    ----------
    train_loss : list of float
        The mini-batch loss at every iteration.
    train_acc, test_acc : list of float
        Accuracy on the full training and test sets before training
        (index 0) and after every epoch (index = epoch).
    """

    train_loss: list = field(default_factory=list)
    train_acc: list = field(default_factory=list)
    test_acc: list = field(default_factory=list)


# --8<-- [start:sgd_step]
def sgd_step(network, x_batch, t_batch, learning_rate):
    """One step of ``param -= learning_rate * grad``; returns the batch loss."""
    loss, grads = network.loss_and_gradient(x_batch, t_batch)
    for key, param in network.params.items():
        param -= learning_rate * grads[key]
    return loss
# --8<-- [end:sgd_step]


# --8<-- [start:batch_indices]
def batch_indices(train_size, batch_size, rng):
    """Endless mini-batches of indices: each epoch visits every sample once.

    The data are shuffled at the start of every epoch; the last, short batch
    of an epoch is dropped so every batch has ``batch_size`` samples.
    """
    _check_batch_size(batch_size, train_size)
    while True:
        order = rng.permutation(train_size)
        for start in range(0, train_size - batch_size + 1, batch_size):
            yield order[start:start + batch_size]
# --8<-- [end:batch_indices]


# --8<-- [start:chunked_accuracy]
def chunked_accuracy(network, x, t, chunk_size=1000):
    """Accuracy over a whole set, evaluated ``chunk_size`` samples at a time.

    1000 MNIST images in float32 take about 3 MB, small enough to stay in the
    CPU's cache between the input check and the matrix product that follow.
    """
    correct = 0.0
    for start in range(0, len(x), chunk_size):
        stop = start + chunk_size
        correct += network.accuracy(x[start:stop], t[start:stop]) * len(x[start:stop])
    return correct / len(x)
# --8<-- [end:chunked_accuracy]


# --8<-- [start:train]
def train(network, x_train, t_train, x_test, t_test, iters_num=10000,
          batch_size=100, learning_rate=0.1, rng=None, progress=True, log=None):
    """Train ``network`` by mini-batch SGD and record how it learns.

    Parameters
    ----------
    network : TwoLayerNet or any object with ``params``,
        ``loss_and_gradient(x, t)`` and ``accuracy(x, t)``
    x_train : ndarray, shape (N, D)
    t_train : ndarray, shape (N,) labels or (N, C) one-hot
    x_test, t_test : ndarray
        Held-out data, only used to measure accuracy.
    iters_num : int
        Number of SGD steps.
    batch_size : int
        Samples per step.
    learning_rate : float
        Step size.
    rng : numpy.random.Generator or int, optional
        Random source (or seed) for the batches.
    progress : bool
        Show a tqdm progress bar.
    log : callable, optional
        Called as ``log(epoch, train_acc, test_acc)`` before training (epoch 0)
        and after every epoch.

    Returns
    -------
    TrainingHistory
    """
    for x, t, name in [(x_train, t_train, "train"), (x_test, t_test, "test")]:
        if len(x) != len(t):
            raise ValueError(
                f"x_{name} has {len(x)} samples but t_{name} has {len(t)} labels; "
                f"pass one label per sample (the arrays load_mnist returns match).")
    _check_batch_size(batch_size, len(x_train))
    rng = np.random.default_rng(rng)
    iter_per_epoch = len(x_train) // batch_size      # >= 1: batch_size <= len(x_train)
    history = TrainingHistory()
    batches = batch_indices(len(x_train), batch_size, rng)

    def record():
        history.train_acc.append(chunked_accuracy(network, x_train, t_train))
        history.test_acc.append(chunked_accuracy(network, x_test, t_test))
        if log is not None:
            log(len(history.test_acc) - 1, history.train_acc[-1], history.test_acc[-1])

    record()                                          # epoch 0: before any step
    for i in tqdm(range(iters_num), disable=not progress, unit="iter"):
        idx = next(batches)
        history.train_loss.append(sgd_step(network, x_train[idx], t_train[idx], learning_rate))
        if (i + 1) % iter_per_epoch == 0:
            record()
    return history
# --8<-- [end:train]


def _check_batch_size(batch_size, train_size):
    if isinstance(batch_size, bool) or not (
            isinstance(batch_size, (int, np.integer)) and 0 < batch_size <= train_size):
        raise ValueError(
            f"batch_size must be a whole number between 1 and the number of training "
            f"samples ({train_size}), got {batch_size!r}."
        )
