"""A two-layer network (input -> sigmoid hidden layer -> softmax output)."""

import numpy as np

from nnguide._checks import as_float_array, check_finite, check_not_empty
from nnguide.activations import sigmoid, softmax
from nnguide.differentiation import numerical_gradient
from nnguide.losses import _targets_as_batch, batch_cross_entropy, cross_entropy_error


# --8<-- [start:TwoLayerNet]
class TwoLayerNet:
    """``softmax(sigmoid(x @ W1 + b1) @ W2 + b2)``, trained by its gradients.

    Parameters
    ----------
    input_size, hidden_size, output_size : int
        Layer widths, e.g. 784, 50, 10 for MNIST.
    weight_init_std : float, optional
        Standard deviation of the normally distributed initial weights.
        Biases start at zero.
    rng : numpy.random.Generator or int, optional
        Random source (or seed) for the initial weights.
    dtype : numpy dtype, optional
        float64 (default, for gradient checks) or float32 (faster training).

    Attributes
    ----------
    params : dict of ndarray
        ``W1`` (input, hidden), ``b1`` (hidden,), ``W2`` (hidden, output),
        ``b2`` (output,).
    """

    def __init__(self, input_size, hidden_size, output_size,
                 weight_init_std=0.01, rng=None, dtype=np.float64):
        for name, size in [("input_size", input_size), ("hidden_size", hidden_size),
                           ("output_size", output_size)]:
            if isinstance(size, bool) or not (isinstance(size, (int, np.integer)) and size > 0):
                raise ValueError(f"{name} must be a positive whole number, got {size!r}; "
                                 f"for MNIST use TwoLayerNet(784, 50, 10).")
        rng = np.random.default_rng(rng)
        self.dtype = np.dtype(dtype)
        self.params = {
            "W1": weight_init_std * rng.standard_normal((input_size, hidden_size)),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * rng.standard_normal((hidden_size, output_size)),
            "b2": np.zeros(output_size),
        }
        for key in self.params:
            self.params[key] = self.params[key].astype(self.dtype)

    def _check_input(self, x):
        x = np.asarray(x)
        if x.dtype != self.dtype:
            x = as_float_array(x, "x").astype(self.dtype)
        check_not_empty(x, "x")
        input_size = self.params["W1"].shape[0]
        if x.ndim not in (1, 2) or x.shape[-1] != input_size:
            raise ValueError(
                f"x must have shape ({input_size},) or (N, {input_size}), got {x.shape}. "
                f"Flatten images first, e.g. load_mnist(flatten=True)."
            )
        check_finite(x, "x")
        return x

    def _forward(self, x):
        """Hidden activations ``z1`` and output probabilities ``y``."""
        p = self.params
        z1 = sigmoid(x @ p["W1"] + p["b1"])
        return z1, softmax(z1 @ p["W2"] + p["b2"])

    def predict(self, x):
        """Class probabilities, shape (N, output_size) (or (output_size,))."""
        return self._forward(self._check_input(x))[1]

    def loss(self, x, t):
        """Mean cross-entropy loss on the batch ``(x, t)``; ``t`` one-hot or labels."""
        return cross_entropy_error(self.predict(x), t)

    def accuracy(self, x, t):
        """Fraction of samples whose most probable class is the right one."""
        y = self.predict(x)
        y, t, is_label = _targets_as_batch(y, t)
        labels = t if is_label else np.argmax(t, axis=1)
        return float(np.mean(np.argmax(y, axis=1) == labels))

    def numerical_gradient(self, x, t, h=1e-4):
        """Gradients of the loss by central differences: simple but very slow.

        Every one of the network's parameters is nudged twice, each time
        followed by a full forward pass. Returns a dict with the same keys
        and shapes as ``params``.
        """
        loss_W = lambda W: self.loss(x, t)  # noqa: E731 -- W is nudged in place
        return {key: numerical_gradient(loss_W, param, h) for key, param in self.params.items()}

    def gradient(self, x, t):
        """Gradients of the loss by backpropagation (same result, far faster)."""
        return self.loss_and_gradient(x, t)[1]

    def loss_and_gradient(self, x, t):
        """The loss and its gradients from one forward and one backward pass.

        Returns
        -------
        loss : float
        grads : dict of ndarray, same keys and shapes as ``params``
        """
        x = self._check_input(x)
        z1, y = self._forward(x)
        y, t, is_label = _targets_as_batch(y, t)   # y becomes (N, C), even for N = 1
        x, z1 = np.atleast_2d(x), np.atleast_2d(z1)
        loss = batch_cross_entropy(y, t, is_label)   # t is checked once, above
        dy = _softmax_cross_entropy_grad(y, t, is_label)
        p = self.params
        dz1 = dy @ p["W2"].T
        da1 = dz1 * z1 * (1 - z1)          # sigmoid'(a1) = z1 * (1 - z1)
        grads = {"W1": x.T @ da1, "b1": da1.sum(axis=0),
                 "W2": z1.T @ dy, "b2": dy.sum(axis=0)}
        return loss, grads
# --8<-- [end:TwoLayerNet]


# --8<-- [start:softmax_cross_entropy_grad]
def _softmax_cross_entropy_grad(y, t, is_label):
    """Gradient of the mean cross entropy w.r.t. the scores: ``(y - t) / N``."""
    n = y.shape[0]
    if is_label:
        dy = y.copy()
        dy[np.arange(n), t] -= 1
    else:
        dy = y - t.astype(y.dtype, copy=False)
    return dy / n
# --8<-- [end:softmax_cross_entropy_grad]
