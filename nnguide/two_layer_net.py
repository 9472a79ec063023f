"""A two-layer network: input -> sigmoid hidden layer -> softmax output."""

import numpy as np

from nnguide.activations import sigmoid, softmax
from nnguide.checks import check_args
from nnguide.differentiation import numerical_gradient
from nnguide.losses import cross_entropy_error

# Inside the network, a1 and a2 come from checked inputs: skip re-checking them
# on every training step (the public sigmoid and softmax check their input).
sigmoid, softmax = sigmoid.__wrapped__, softmax.__wrapped__


# --8<-- [start:TwoLayerNet]
class TwoLayerNet:
    """Two layers of weights: softmax(sigmoid(x W1 + b1) W2 + b2).

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
        Inputs are converted to it.

    Attributes
    ----------
    params : dict of ndarray
        ``W1`` (input, hidden), ``b1`` (hidden,), ``W2`` (hidden, output),
        ``b2`` (output,).

    Notes
    -----
    ``t`` may be class labels (N,) or one-hot rows (N, C) in every method.
    """

    @check_args
    def __init__(self, input_size, hidden_size, output_size,
                 weight_init_std=0.01, rng=None, dtype=np.float64):
        randn = np.random.default_rng(rng).standard_normal
        self.params = {}
        self.params["W1"] = weight_init_std * randn((input_size, hidden_size))
        self.params["b1"] = np.zeros(hidden_size)
        self.params["W2"] = weight_init_std * randn((hidden_size, output_size))
        self.params["b2"] = np.zeros(output_size)
        for key, value in self.params.items():
            self.params[key] = value.astype(dtype)

    @check_args(x="input")
    def predict(self, x):
        """Class probabilities for x of shape (D,) or (N, D)."""
        W1, W2 = self.params["W1"], self.params["W2"]
        b1, b2 = self.params["b1"], self.params["b2"]
        a1 = np.dot(x, W1) + b1
        z1 = sigmoid(a1)
        a2 = np.dot(z1, W2) + b2
        y = softmax(a2)
        return y

    def loss(self, x, t):
        """Cross-entropy error of the prediction for x against t."""
        y = self.predict(x)
        return cross_entropy_error(y, t)

    @check_args(x="finite batch", t="labels")
    def accuracy(self, x, t):
        """Fraction of samples whose most probable class is the right one."""
        y = self.predict(x)
        y = np.argmax(y, axis=1)
        return np.sum(y == t) / x.shape[0]

    @check_args(x="batch")
    def numerical_gradient(self, x, t, h=1e-4):
        """Gradients of the loss by central differences: slow, for checking.

        Returns a dict with the keys and shapes of ``params``.
        """
        loss_W = lambda W: self.loss(x, t)
        grads = {}
        for key in ("W1", "b1", "W2", "b2"):
            grads[key] = numerical_gradient(loss_W, self.params[key], h)
        return grads

    def gradient(self, x, t):
        """Gradients of the loss by backpropagation (chapter 5): fast."""
        return self.loss_and_gradient(x, t)[1]

    @check_args(x="batch", t="one-hot")
    def loss_and_gradient(self, x, t):
        """The loss and gradients: one forward and one backward pass.

        Returns
        -------
        loss : float
            The cross-entropy error of the batch.
        grads : dict of ndarray, same keys and shapes as params
            The gradient of the loss for each parameter.
        """
        W1, W2 = self.params["W1"], self.params["W2"]
        b1, b2 = self.params["b1"], self.params["b2"]
        batch_num = x.shape[0]
        # forward
        a1 = np.dot(x, W1) + b1
        z1 = sigmoid(a1)
        a2 = np.dot(z1, W2) + b2
        y = softmax(a2)
        loss = -np.sum(t * np.log(y + 1e-7)) / batch_num
        # backward (chapter 5 derives it; here only dy is explained)
        dy = (y - t) / batch_num
        grads = {}
        grads["W2"] = np.dot(z1.T, dy)
        grads["b2"] = np.sum(dy, axis=0)
        da1 = np.dot(dy, W2.T)
        dz1 = z1 * (1 - z1) * da1  # sigmoid_grad(a1) * da1
        grads["W1"] = np.dot(x.T, dz1)
        grads["b1"] = np.sum(dz1, axis=0)
        return loss, grads
# --8<-- [end:TwoLayerNet]
