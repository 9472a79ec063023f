"""Gradient descent: walk downhill along the negative gradient."""

import numpy as np

from nnguide._checks import as_float_array
from nnguide.differentiation import numerical_gradient


# --8<-- [start:gradient_descent_path]
def gradient_descent_path(f, init_x, lr=0.01, step_num=100):
    """Every point visited by gradient descent, starting point included.

    Parameters
    ----------
    f : callable
        The function to minimise; takes an array shaped like ``init_x``.
    init_x : array_like
        Starting point. It is copied, never modified.
    lr : float, optional
        Learning rate: how far each step goes along ``-gradient``.
    step_num : int, optional
        Number of steps.

    Returns
    -------
    ndarray, shape (step_num + 1, *init_x.shape)
    """
    if isinstance(step_num, bool) or not (isinstance(step_num, (int, np.integer)) and step_num >= 0):
        raise ValueError(f"step_num must be a whole number >= 0, got {step_num!r}; "
                         f"for example step_num=100.")
    x = as_float_array(init_x, "init_x").copy()
    path = [x.copy()]
    for _ in range(step_num):
        x -= lr * numerical_gradient(f, x)
        path.append(x.copy())
    return np.array(path)
# --8<-- [end:gradient_descent_path]


# --8<-- [start:gradient_descent]
def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """Minimise ``f`` by ``step_num`` steps of ``x -= lr * gradient``.

    Same parameters as :func:`gradient_descent_path`; returns only the
    final point, shape like ``init_x``.

    Examples
    --------
    >>> import numpy as np
    >>> from nnguide import gradient_descent
    >>> gradient_descent(lambda x: x[0]**2 + x[1]**2, np.array([-3.0, 4.0]), lr=0.1)
    array([-6.11110793e-10,  8.14814391e-10])
    """
    return gradient_descent_path(f, init_x, lr, step_num)[-1]
# --8<-- [end:gradient_descent]
