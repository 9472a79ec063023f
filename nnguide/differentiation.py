"""Numerical differentiation: derivatives and gradients from small differences."""

import numbers

import numpy as np


# --8<-- [start:numerical_diff]
def numerical_diff(f, x, h=1e-4):
    """Derivative of a one-variable function by the central difference.

    ``(f(x + h) - f(x - h)) / (2 * h)``: its error shrinks like ``h**2``,
    while the forward difference ``(f(x + h) - f(x)) / h`` errs like ``h``.

    Parameters
    ----------
    f : callable
        A function of one real number returning a real number.
    x : float
        The point at which to differentiate.
    h : float, optional
        The step. ``1e-4`` balances truncation error against rounding error.

    Examples
    --------
    >>> from nnguide import numerical_diff
    >>> numerical_diff(lambda x: 0.01 * x**2 + 0.1 * x, 5)
    0.1999999999990898
    """
    if not isinstance(x, numbers.Real) and not (np.ndim(x) == 0 and np.isreal(x)):
        raise TypeError(
            f"numerical_diff needs x to be one real number, got {type(x).__name__} "
            f"with shape {np.shape(x)}. For a function of several variables use "
            f"numerical_gradient(f, x) with a float array x."
        )
    return float((f(x + h) - f(x - h)) / (2 * h))
# --8<-- [end:numerical_diff]


# --8<-- [start:numerical_gradient]
def numerical_gradient(f, x, h=1e-4):
    """Gradient of ``f`` at ``x`` by central differences, for any shape of ``x``.

    Each element of ``x`` is nudged by ``+h`` and ``-h`` **in place**, ``f(x)``
    is evaluated, and the element is put back exactly as it was, even if
    ``f`` raises. That in-place nudge is what lets ``f`` ignore its argument
    and read the array from elsewhere (the book's ``lambda W: net.loss(x, t)``).

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``x`` and returns a number.
    x : ndarray of float
        The point; it must be a floating-point array (it is modified and
        restored while the function runs).
    h : float, optional
        The step for every element.

    Returns
    -------
    ndarray, same shape and dtype as ``x``

    Examples
    --------
    >>> import numpy as np
    >>> from nnguide import numerical_gradient
    >>> numerical_gradient(lambda x: np.sum(x**2), np.array([3.0, 4.0]))
    array([6., 8.])
    """
    _check_gradient_input(x)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        original = x[idx]
        try:
            x[idx] = original + h
            f_plus = f(x)
            x[idx] = original - h
            f_minus = f(x)
        finally:
            x[idx] = original
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
# --8<-- [end:numerical_gradient]


def _check_gradient_input(x):
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"numerical_gradient needs x to be a numpy array (it nudges x in place), "
            f"got {type(x).__name__}. Use np.array(..., dtype=float)."
        )
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"numerical_gradient needs a floating-point array, got dtype {x.dtype}: "
            f"an integer array cannot hold x + 1e-4, so the result would be silently "
            f"wrong (e.g. [25000, 35000] instead of [6, 8] at [3, 4]). "
            f"Use x.astype(float) or np.array([3.0, 4.0])."
        )
