"""Activation functions and softmax (the book's chapter 3, used by chapter 4)."""

import numpy as np

from nnguide._checks import as_float_array


# --8<-- [start:step_function]
def step_function(x):
    """Return 1 where ``x > 0`` and 0 elsewhere, as integers.

    Its derivative is 0 almost everywhere, which is why a network with step
    activations cannot learn by gradient descent.
    """
    y = (np.asarray(x) > 0).astype(np.int64)
    return y.item() if y.ndim == 0 else y
# --8<-- [end:step_function]


# --8<-- [start:sigmoid]
def sigmoid(x):
    """Logistic function ``1 / (1 + exp(-x))``, element-wise.

    For very negative ``x``, ``exp(-x)`` overflows to ``inf`` and
    ``1 / (1 + inf)`` is exactly 0, the right limit: the overflow is harmless,
    so its warning is switched off. (Two branches on the sign of ``x`` would
    avoid the overflow too, at several times the cost.)

    Examples
    --------
    >>> from nnguide import sigmoid
    >>> sigmoid(0.0)
    0.5
    """
    x = as_float_array(x, "x")
    with np.errstate(over="ignore"):
        y = 1 / (1 + np.exp(-x))
    return y.item() if y.ndim == 0 else y
# --8<-- [end:sigmoid]


def sigmoid_grad(x):
    """Derivative of :func:`sigmoid`: ``sigmoid(x) * (1 - sigmoid(x))``."""
    y = sigmoid(x)
    return (1.0 - y) * y


def relu(x):
    """Rectified linear unit ``max(0, x)``, element-wise."""
    return np.maximum(0, x)


# --8<-- [start:softmax]
def softmax(a):
    """Turn scores into probabilities that sum to 1.

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
    a = as_float_array(a, "a")
    shifted = a - np.max(a, axis=-1, keepdims=True)
    exp_a = np.exp(shifted)
    return exp_a / np.sum(exp_a, axis=-1, keepdims=True)
# --8<-- [end:softmax]
