"""Numerical differentiation: derivatives and gradients from small differences."""

import numpy as np

from nnguide.checks import check_args


# --8<-- [start:numerical_diff]
@check_args(x="real")
def numerical_diff(f, x, h=1e-4):
    """Derivative of f at x by the central difference.

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

    Returns
    -------
    float
        The estimate of the derivative.

    Examples
    --------
    >>> from nnguide import numerical_diff
    >>> numerical_diff(lambda x: 0.01 * x**2 + 0.1 * x, 5)
    0.1999999999990898
    """
    return (f(x + h) - f(x - h)) / (2 * h)
# --8<-- [end:numerical_diff]


# --8<-- [start:numerical_gradient]
@check_args(x="float array")
def numerical_gradient(f, x, h=1e-4):
    """Gradient of f at x by central differences, for x of any shape.

    Each element of ``x`` is nudged by ``+h`` and ``-h`` **in place**, ``f(x)``
    is evaluated, and the element is put back exactly as it was. That
    in-place nudge is what lets ``f`` ignore its argument and read the array
    from elsewhere (the book's ``lambda W: net.loss(x, t)``). If ``f``
    raises, ``x`` is restored before the error propagates.

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``x`` and returns one number.
    x : ndarray of float
        The point; a writable floating-point array (float64 recommended: in
        float32 or float16 a step that rounds away is an error).
    h : float, optional
        The step for every element.

    Returns
    -------
    ndarray, same shape and dtype as x
        The partial derivative of ``f`` by each element of ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from nnguide import numerical_gradient
    >>> numerical_gradient(lambda x: np.sum(x**2), np.array([3.0, 4.0]))
    array([6., 8.])
    """
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        fxh1 = f(x)  # f(x+h)
        x[idx] = tmp_val - h
        fxh2 = f(x)  # f(x-h)
        x[idx] = tmp_val  # put the value back
        grad[idx] = (fxh1 - fxh2) / (2 * h)
    return grad
# --8<-- [end:numerical_gradient]
