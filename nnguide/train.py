"""Mini-batch stochastic gradient descent over a network and a data set."""

from dataclasses import dataclass, field

import numpy as np
from tqdm import tqdm

from nnguide.checks import check_args, stop_if_diverged


@dataclass
class TrainingHistory:
    """What a training run recorded.

    Attributes
    ----------
    train_loss : list of float
        The mini-batch loss at every iteration, computed before that
        iteration's update.
    train_acc, test_acc : list of float
        Accuracy on the whole training and test sets before training
        (epoch 0) and after every epoch: ``train_acc[k]`` is after k epochs.
    """

    train_loss: list = field(default_factory=list)
    train_acc: list = field(default_factory=list)
    test_acc: list = field(default_factory=list)


# --8<-- [start:sgd_step]
@check_args
def sgd_step(network, x_batch, t_batch, learning_rate):
    """One step of param -= learning_rate * grad; returns the loss."""
    loss, grads = network.loss_and_gradient(x_batch, t_batch)
    for key in network.params:
        network.params[key] -= learning_rate * grads[key]
    return loss
# --8<-- [end:sgd_step]


# --8<-- [start:batch_indices]
@check_args
def batch_indices(train_size, batch_size, rng=None):
    """Endless batches of indices; an epoch uses each sample at most once.

    The indices are shuffled at the start of every epoch; the last, short
    batch of an epoch is dropped so that every batch has ``batch_size``
    samples (``batch_size`` must not exceed ``train_size``).
    """
    rng = np.random.default_rng(rng)
    while True:
        order = rng.permutation(train_size)
        for start in range(0, train_size - batch_size + 1, batch_size):
            yield order[start:start + batch_size]
# --8<-- [end:batch_indices]


# --8<-- [start:chunked_accuracy]
@check_args(x="samples", t="targets")
def chunked_accuracy(network, x, t, chunk_size=1000):
    """Accuracy over a whole set, chunk_size samples at a time."""
    correct = 0.0
    for start in range(0, len(x), chunk_size):
        x_chunk = x[start:start + chunk_size]
        t_chunk = t[start:start + chunk_size]
        correct += network.accuracy(x_chunk, t_chunk) * len(x_chunk)
    return correct / len(x)
# --8<-- [end:chunked_accuracy]


# --8<-- [start:train]
@check_args
def train(network, x_train, t_train, x_test, t_test, iters_num=10000,
          batch_size=100, learning_rate=0.1, rng=None, progress=True,
          log=None):
    """Train network by mini-batch SGD; record the loss and accuracies.

    Parameters
    ----------
    network : TwoLayerNet or any object with ``params``,
        ``loss_and_gradient(x, t)`` and ``accuracy(x, t)``
    x_train : ndarray, shape (N, D)
        Training inputs, one sample per row.
    t_train : ndarray, shape (N,) labels or (N, C) one-hot
        Their right answers.
    x_test, t_test : ndarray
        Held-out data, only used to measure accuracy.
    iters_num : int
        Number of SGD steps.
    batch_size : int
        Samples per step (at most N).
    learning_rate : float
        Step size.
    rng : numpy.random.Generator or int, optional
        Random source (or seed) for the batches.
    progress : bool
        Show a tqdm progress bar.
    log : callable, optional
        Called as ``log(epoch, train_acc, test_acc)`` before training
        (epoch 0) and after every epoch.

    Returns
    -------
    TrainingHistory
        The loss at every step, the accuracies after every epoch.

    Raises
    ------
    FloatingPointError
        When the loss becomes NaN or infinite (the run diverged); the
        message names the iteration and the learning rate.
    """
    history = TrainingHistory()
    iter_per_epoch = len(x_train) // batch_size
    batches = batch_indices(len(x_train), batch_size, rng)

    def record():
        history.train_acc.append(chunked_accuracy(network, x_train, t_train))
        history.test_acc.append(chunked_accuracy(network, x_test, t_test))
        if log is not None:
            epoch = len(history.test_acc) - 1
            log(epoch, history.train_acc[-1], history.test_acc[-1])

    record()
    for i in tqdm(range(iters_num), disable=not progress, unit="iter"):
        batch_mask = next(batches)
        loss = sgd_step(network, x_train[batch_mask], t_train[batch_mask],
                        learning_rate)
        stop_if_diverged(loss, i, learning_rate)
        history.train_loss.append(loss)
        if (i + 1) % iter_per_epoch == 0:
            record()
    return history
# --8<-- [end:train]
