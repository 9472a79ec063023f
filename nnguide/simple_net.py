"""The chapter's smallest network: a 2x3 weight matrix, softmax, cross-entropy error."""

import numpy as np

from nnguide.activations import softmax
from nnguide.checks import check_args
from nnguide.losses import cross_entropy_error


# --8<-- [start:SimpleNet]
class SimpleNet:
    """softmax(np.dot(x, W)): one layer, to show the gradient of a loss.

    Parameters
    ----------
    W : array_like, shape (2, 3), optional
        Weights, copied. If omitted, drawn from a standard normal
        distribution with ``rng``.
    rng : numpy.random.Generator or int, optional
        Random source (or seed) for the weights.
    """

    @check_args(W="weights")
    def __init__(self, W=None, rng=None):
        if W is None:
            W = np.random.default_rng(rng).standard_normal((2, 3))
        self.W = W

    @check_args(x="input")
    def predict(self, x):
        """Scores np.dot(x, W) for x of shape (2,) or (N, 2)."""
        return np.dot(x, self.W)

    def loss(self, x, t):
        """Cross-entropy error of softmax(predict(x)) against t."""
        z = self.predict(x)
        y = softmax(z)
        loss = cross_entropy_error(y, t)
        return loss
# --8<-- [end:SimpleNet]
