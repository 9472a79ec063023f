"""Loss functions: how far the network's output is from the right answer."""

import numpy as np

from nnguide._checks import as_float_array, check_not_empty

DELTA = 1e-7
"""Added inside the log so that ``log(0)`` never gives ``-inf``."""


def _targets_as_batch(y, t):
    """Bring ``y`` to shape (N, C) and ``t`` to one-hot (N, C) or labels (N,).

    Returns ``(y, t, is_label)``.
    """
    y = as_float_array(y, "y")
    check_not_empty(y, "y")
    if y.ndim not in (1, 2):
        raise ValueError(f"y must have shape (C,) or (N, C), got shape {y.shape}.")
    y2 = y.reshape(1, -1) if y.ndim == 1 else y
    n, c = y2.shape
    t = np.asarray(t)
    if t.shape == y.shape:
        return y2, as_float_array(t, "t").reshape(n, c), False
    if t.shape in ((n,), (n, 1)) or (y.ndim == 1 and t.ndim == 0):
        return y2, _check_labels(t.reshape(n), c), True
    accepted = (f"one-hot {y.shape}, or class labels {() if y.ndim == 1 else (n,)}"
                f" / {(1,) if y.ndim == 1 else (n, 1)}")
    raise ValueError(
        f"t has shape {t.shape}, which does not match y of shape {y.shape}. "
        f"Accepted forms of t: {accepted}. Pass one label per sample, "
        f"or a one-hot row per sample."
    )


def _check_labels(t, num_classes):
    """Check that ``t`` holds integer class labels in ``[0, num_classes)``."""
    if not (np.issubdtype(t.dtype, np.integer) and t.dtype != bool):
        raise TypeError(
            f"class labels must be integers, got dtype {t.dtype}. "
            f"Convert with t.astype(int), or pass one-hot rows of the same shape as y."
        )
    if t.size and (t.min() < 0 or t.max() >= num_classes):
        raise ValueError(
            f"class labels must lie in 0..{num_classes - 1} for {num_classes} classes, "
            f"got values from {t.min()} to {t.max()}."
        )
    return t


# --8<-- [start:mean_squared_error]
def mean_squared_error(y, t):
    """Half the sum of squared differences, averaged over the batch.

    Parameters
    ----------
    y : array_like, shape (C,) or (N, C)
        Network output (e.g. softmax probabilities).
    t : array_like, shape like ``y`` (one-hot) or (N,) / (N, 1) (labels)
        The right answers.

    Returns
    -------
    float
        ``0.5 * sum((y - t)**2) / N``.

    Examples
    --------
    >>> from nnguide import mean_squared_error
    >>> mean_squared_error([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0], 2)
    0.09750000000000003
    """
    y, t, is_label = _targets_as_batch(y, t)
    if is_label:
        t = np.eye(y.shape[1], dtype=y.dtype)[t]
    per_sample = 0.5 * np.sum((y - t) ** 2, axis=1)
    return float(np.sum(per_sample) / y.shape[0])
# --8<-- [end:mean_squared_error]


# --8<-- [start:cross_entropy_error]
def cross_entropy_error(y, t):
    """Cross entropy ``-sum(t * log(y + 1e-7))``, averaged over the batch.

    Parameters
    ----------
    y : array_like, shape (C,) or (N, C)
        Predicted probabilities (each row sums to 1).
    t : array_like, shape like ``y`` (one-hot) or (N,) / (N, 1) (labels)
        The right answers. With labels, only the probability of the right
        class is looked up: ``y[np.arange(N), t]``.

    Returns
    -------
    float
        The mean loss over the N samples.

    Examples
    --------
    >>> from nnguide import cross_entropy_error
    >>> cross_entropy_error([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0], 2)
    0.510825457099338
    """
    return batch_cross_entropy(*_targets_as_batch(y, t))


def batch_cross_entropy(y, t, is_label):
    """The mean cross entropy of a batch already in shape: ``y`` (N, C) and
    ``t`` as one-hot (N, C) or labels (N,), as ``_targets_as_batch`` returns them."""
    if is_label:
        per_sample = -np.log(y[np.arange(y.shape[0]), t] + DELTA)
    else:
        per_sample = -np.sum(t * np.log(y + DELTA), axis=1)
    return float(np.sum(per_sample) / y.shape[0])
# --8<-- [end:cross_entropy_error]
