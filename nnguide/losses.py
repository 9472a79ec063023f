"""Loss functions: how far the network's output is from the right answer.

Both take ``y``, the network's output for one sample (C,) or a batch (N, C),
and ``t``, the right answers as class labels (N,) or one-hot rows (N, C),
and return the mean loss over the batch as a Python float.
"""

import numpy as np

from nnguide.checks import check_args


# --8<-- [start:mean_squared_error]
@check_args(y="outputs", t="one-hot")
def mean_squared_error(y, t):
    """Half the sum of squared errors, averaged over the batch.

    Parameters
    ----------
    y : array_like, shape (C,) or (N, C)
        Network output (e.g. softmax probabilities).
    t : array_like, shape (C,) or (N, C) one-hot, or (N,) class labels
        The right answers.

    Returns
    -------
    float
        ``0.5 * sum((y - t)**2) / N``: the book's "mean squared error" is
        half a *sum* of squares (the 1/2 cancels the 2 of the derivative).

    Examples
    --------
    >>> from nnguide import mean_squared_error
    >>> y = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]
    >>> mean_squared_error(y, 2)
    0.09750000000000003
    """
    return 0.5 * np.sum((y - t) ** 2) / y.shape[0]
# --8<-- [end:mean_squared_error]


# --8<-- [start:cross_entropy_error]
@check_args(y="probabilities", t="labels")
def cross_entropy_error(y, t):
    """Mean cross-entropy error of a batch: y (N, C) and labels t (N,).

    Parameters
    ----------
    y : array_like, shape (C,) or (N, C)
        Predicted probabilities, in [0, 1].
    t : array_like, shape (C,) or (N, C) one-hot, or (N,) class labels
        The right answers. One-hot rows are turned into labels: only the
        probability of the right class counts, ``y[np.arange(N), t]``.

    Returns
    -------
    float
        ``-sum(log(y[n, t[n]] + 1e-7)) / N``; the 1e-7 keeps ``log(0)``
        from giving ``-inf``.

    Examples
    --------
    >>> from nnguide import cross_entropy_error
    >>> y = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]
    >>> cross_entropy_error(y, 2)
    0.510825457099338
    """
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size
# --8<-- [end:cross_entropy_error]
