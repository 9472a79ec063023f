"""Activation functions and softmax (the book's chapter 3, used by chapter 4)."""

import numpy as np

from nnguide.checks import check_args


@check_args(x="numbers without nan")
def step_function(x):
    """1 where x > 0, else 0 (integers); its slope is 0 almost everywhere."""
    return np.array(x > 0, dtype=np.int64)


@check_args(x="numbers")
def sigmoid(x):
    """Logistic function ``1 / (1 + exp(-x))``, element-wise.

    For very negative ``x``, ``exp(-x)`` overflows to ``inf`` and
    ``1 / (1 + inf)`` is exactly 0, the right limit: the overflow is
    harmless, so its warning is switched off.

    Examples
    --------
    >>> from nnguide import sigmoid
    >>> sigmoid(0.0)
    0.5
    """
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


@check_args(x="numbers")
def sigmoid_grad(x):
    """Derivative of :func:`sigmoid`: ``sigmoid(x) * (1 - sigmoid(x))``."""
    y = sigmoid(x)
    return (1.0 - y) * y


@check_args(x="numbers")
def relu(x):
    """Rectified linear unit ``max(0, x)``, element-wise."""
    return np.maximum(0, x)


# --8<-- [start:softmax]
@check_args(a="scores")
def softmax(a):
    """Turn scores into probabilities that sum to 1 (per row).

    Parameters
    ----------
    a : array_like, shape (C,) or (N, C)
        Scores of one sample, or one row per sample.

    Returns
    -------
    ndarray, same shape as ``a``
        Each row is non-negative and sums to 1.

    Notes
    -----
    Subtracting each row's maximum before ``exp`` changes nothing
    mathematically but keeps ``exp`` from overflowing.

    Examples
    --------
    >>> from nnguide import softmax
    >>> softmax([0.3, 2.9, 4.0]).round(4)
    array([0.0182, 0.2452, 0.7366])
    """
    exp_a = np.exp(a - np.max(a, axis=-1, keepdims=True))
    return exp_a / np.sum(exp_a, axis=-1, keepdims=True)
# --8<-- [end:softmax]
