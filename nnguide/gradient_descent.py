"""Gradient descent: walk downhill along the negative gradient."""

import numpy as np

from nnguide.checks import check_args
from nnguide.differentiation import numerical_gradient


# --8<-- [start:gradient_descent]
@check_args
def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """Minimize ``f`` by ``step_num`` steps of ``x -= lr * grad``.

    Parameters
    ----------
    f : callable
        The function to minimize; takes an array shaped like ``init_x``.
    init_x : array_like
        Starting point. It is copied, never modified.
    lr : float, optional
        Learning rate: how far each step goes along ``-grad``.
    step_num : int, optional
        Number of steps.

    Returns
    -------
    ndarray, shape like ``init_x``
        The last point.

    Examples
    --------
    >>> import numpy as np
    >>> from nnguide import gradient_descent
    >>> f = lambda x: x[0]**2 + x[1]**2
    >>> gradient_descent(f, np.array([-3.0, 4.0]), lr=0.1)
    array([-6.11110793e-10,  8.14814391e-10])
    """
    x = init_x.copy()
    for i in range(step_num):
        grad = numerical_gradient(f, x)
        x -= lr * grad
    return x
# --8<-- [end:gradient_descent]


# --8<-- [start:gradient_descent_path]
@check_args
def gradient_descent_path(f, init_x, lr=0.01, step_num=100):
    """Like gradient_descent, but returns every point, the start included.

    Returns
    -------
    ndarray, shape (step_num + 1, *init_x.shape)
        ``init_x``, then the point after each step.
    """
    x = init_x.copy()
    path = [x.copy()]
    for i in range(step_num):
        grad = numerical_gradient(f, x)
        x -= lr * grad
        path.append(x.copy())
    return np.array(path)
# --8<-- [end:gradient_descent_path]
