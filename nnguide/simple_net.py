"""The chapter's smallest network: one 2x3 weight matrix, softmax, cross entropy."""

import numpy as np

from nnguide._checks import as_float_array
from nnguide.activations import softmax
from nnguide.losses import cross_entropy_error


# --8<-- [start:SimpleNet]
class SimpleNet:
    """A one-layer network ``softmax(x @ W)`` used to show the gradient of a loss.

    Parameters
    ----------
    W : array_like, shape (2, 3), optional
        Weights. If omitted they are drawn from a standard normal distribution.
    rng : numpy.random.Generator or int, optional
        Random source (or seed) for the initial weights.
    """

    def __init__(self, W=None, rng=None):
        if W is None:
            W = np.random.default_rng(rng).standard_normal((2, 3))
        W = as_float_array(W, "W")
        if W.shape != (2, 3):
            raise ValueError(f"W must have shape (2, 3), got {W.shape}.")
        self.W = W.copy()

    def predict(self, x):
        """Scores ``x @ W``; ``x`` has shape (2,) or (N, 2)."""
        return np.dot(as_float_array(x, "x"), self.W)

    def loss(self, x, t):
        """Cross-entropy loss of ``softmax(predict(x))`` against ``t``."""
        return cross_entropy_error(softmax(self.predict(x)), t)
# --8<-- [end:SimpleNet]
