"""The book's chapter-4 training code, as the book writes it (the baseline).

This is the reference that ``bench_training.py`` times nnguide against. It
follows the book's ``two_layer_net.py`` and ``train_neuralnet.py`` on purpose,
including the habits that cost time:

* float64 weights (``np.random.randn``-style) with the loader's float32
  images, so numpy converts every batch to float64 before each product
  (``prepare`` can convert the images once instead, as a faster variant);
* one-hot float64 labels;
* mini-batches drawn with replacement by ``choice`` at every iteration
  (a seeded ``numpy.random.Generator`` instead of the global ``np.random``);
* ``gradient`` runs a forward pass, and the logged loss runs a second one;
* accuracy over the full training and test sets in one go, every epoch.

One change for a like-for-like count: the accuracy is measured after each
full epoch (16 times in 10,000 steps), as nnguide does, not also before the
first step as the book does.

It is written here, in the project's own words, and is not part of the
package.
"""

import time

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_grad(x):
    return (1.0 - sigmoid(x)) * sigmoid(x)


def softmax(x):
    if x.ndim == 2:
        x = x.T
        x = x - np.max(x, axis=0)
        y = np.exp(x) / np.sum(np.exp(x), axis=0)
        return y.T
    x = x - np.max(x)
    return np.exp(x) / np.sum(np.exp(x))


def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:  # one-hot -> label index
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


def one_hot(labels, num_classes=10):
    t = np.zeros((labels.size, num_classes))  # float64, as in the book
    t[np.arange(labels.size), labels] = 1
    return t


class BookTwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, rng=None):
        rng = np.random.default_rng(rng)
        self.params = {
            "W1": weight_init_std * rng.standard_normal((input_size, hidden_size)),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * rng.standard_normal((hidden_size, output_size)),
            "b2": np.zeros(output_size),
        }

    def predict(self, x):
        W1, W2 = self.params["W1"], self.params["W2"]
        b1, b2 = self.params["b1"], self.params["b2"]
        a1 = np.dot(x, W1) + b1
        z1 = sigmoid(a1)
        a2 = np.dot(z1, W2) + b2
        return softmax(a2)

    def loss(self, x, t):
        y = self.predict(x)
        return cross_entropy_error(y, t)

    def accuracy(self, x, t):
        y = self.predict(x)
        y = np.argmax(y, axis=1)
        t = np.argmax(t, axis=1)
        return np.sum(y == t) / float(x.shape[0])

    def gradient(self, x, t):
        W1, W2 = self.params["W1"], self.params["W2"]
        b1, b2 = self.params["b1"], self.params["b2"]
        grads = {}
        batch_num = x.shape[0]

        # forward
        a1 = np.dot(x, W1) + b1
        z1 = sigmoid(a1)
        a2 = np.dot(z1, W2) + b2
        y = softmax(a2)

        # backward
        dy = (y - t) / batch_num
        grads["W2"] = np.dot(z1.T, dy)
        grads["b2"] = np.sum(dy, axis=0)
        da1 = np.dot(dy, W2.T)
        dz1 = sigmoid_grad(a1) * da1
        grads["W1"] = np.dot(x.T, dz1)
        grads["b1"] = np.sum(dz1, axis=0)
        return grads


def prepare(data, float64_images=False):
    """One-hot float64 labels, as the book's ``load_mnist(one_hot_label=True)``
    gives them, made before the clock starts.

    The images stay as loaded (float32 in [0, 1], as the book's loader gives
    them too), so numpy converts each batch to float64 for every product with
    the float64 weights, as it does when the book's code runs.
    ``float64_images=True`` converts them once here instead: not the book's
    code any more, but a faster baseline, measured as a variant.
    """
    (x_train, t_train), (x_test, t_test) = data
    if float64_images:
        x_train, x_test = x_train.astype(np.float64), x_test.astype(np.float64)
    return (x_train, one_hot(t_train)), (x_test, one_hot(t_test))


def train(data, iters_num=10000, batch_size=100, learning_rate=0.1, seed=0):
    """The book's ``train_neuralnet.py`` loop; returns the accuracy history."""
    (x_train, t_train), (x_test, t_test) = data
    network = BookTwoLayerNet(input_size=784, hidden_size=50, output_size=10, rng=seed)
    rng = np.random.default_rng(seed + 1)
    train_size = x_train.shape[0]
    train_loss_list, train_acc_list, test_acc_list = [], [], []
    iter_per_epoch = max(train_size / batch_size, 1)

    for i in range(iters_num):
        batch_mask = rng.choice(train_size, batch_size)
        x_batch = x_train[batch_mask]
        t_batch = t_train[batch_mask]

        grad = network.gradient(x_batch, t_batch)
        for key in ("W1", "b1", "W2", "b2"):
            network.params[key] -= learning_rate * grad[key]

        loss = network.loss(x_batch, t_batch)
        train_loss_list.append(loss)

        # The book tests at i % iter_per_epoch == 0 (before the first step too);
        # here, like nnguide, after every full epoch: 16 tests, not 17.
        if (i + 1) % iter_per_epoch == 0:
            train_acc_list.append(network.accuracy(x_train, t_train))
            test_acc_list.append(network.accuracy(x_test, t_test))
    return train_acc_list, test_acc_list


def run(data, iters, batch_size=100, learning_rate=0.1, seed=0, float64_images=False):
    """Prepare (untimed), train (timed); the same result shape for every contender."""
    data = prepare(data, float64_images)
    start, cpu_start = time.perf_counter(), time.process_time()
    train_acc, test_acc = train(data, iters, batch_size, learning_rate, seed)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "epochs": len(test_acc),
            "train_acc": float(train_acc[-1]) if train_acc else None,
            "test_acc": float(test_acc[-1]) if test_acc else None}
