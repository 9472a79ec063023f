"""Bad input gets a clear error at the boundary: every public name x every kind of bad input.

Each row of ``CASES`` calls one public function, class or method with one bad
input and says what must happen: the exception type, the function and
argument the message starts with (``"train: learning_rate"`` means the
message reads ``"train: learning_rate must be ..., got ..."``) and a piece of
what the message must say was given. Every error must be raised by nnguide's
own checks (``nnguide/checks.py``, or ``mnist.py``'s argument checks), in one
line, never from deep inside numpy or Python. The table is
``ROWS`` (written out, one row per case) plus ``generated_rows()`` (every
array or number argument x the wrong types). ``NAN_IN_NAN_OUT`` lists where
NaN in gives NaN out, which is allowed because it is the honest answer.

``mnist.load_mnist`` and ``mnist.download`` have their own argument tests in
``test_mnist.py``; only the kinds missing there are rows here.
"""

import math
import re
import traceback
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import nnguide
from nnguide import (
    SimpleNet, TwoLayerNet, cross_entropy_error, gradient_descent, gradient_descent_path,
    load_mnist, mean_squared_error, numerical_diff, numerical_gradient, relu, sigmoid,
    sigmoid_grad, softmax, step_function, train,
)
from nnguide import mnist, plots
from nnguide.train import batch_indices, chunked_accuracy, sgd_step

PACKAGE_DIR = Path(nnguide.__file__).resolve().parent

WRONG_TYPE = "wrong type"
SHAPE = "wrong or empty shape"
NOT_FLOAT = "int/bool where floats are needed"
COARSE = "dtype too coarse for the step"
NUMBER = "non-finite or non-positive number"
SIZE = "non-integer or negative size/count"
READ_ONLY = "read-only array"
NOT_SCALAR = "f returns no scalar"
NOT_PROB = "not probabilities"
TARGETS = "targets that do not fit"
NON_FINITE = "non-finite data"
OPTION = "bad option"
DIVERGED = "NaN/inf loss in training"


def sq(x):
    return np.sum(x ** 2)


def net(dtype=np.float64):
    """A fresh 4-3-2 network (no row may change a shared one)."""
    return TwoLayerNet(4, 3, 2, rng=0, dtype=dtype)


def simple():
    return SimpleNet(np.ones((2, 3)))


X, T = np.ones((3, 4)), np.array([0, 1, 0])
Y = np.array([[0.1, 0.9], [0.5, 0.5], [1.0, 0.0]])
F16 = np.array([3.0, 4.0], dtype=np.float16)
F32_1000 = np.array([1000.0, 4.0], dtype=np.float32)


def read_only(x):
    x = np.array(x, dtype=float)
    x.flags.writeable = False
    return x


def nan_params():
    network = net()
    network.params["W2"][0, 0] = np.nan
    return network


class InfiniteLossNet:
    """A network whose loss is infinite: train must stop at once."""

    def __init__(self):
        self.params = {"W": np.zeros(1)}

    def loss_and_gradient(self, x, t):
        return math.inf, {"W": np.zeros(1)}

    def accuracy(self, x, t):
        return 0.5


def diverging_run():
    """A float32 network with learning_rate=1e38: the weights overflow, the loss becomes NaN."""
    rng = np.random.default_rng(0)
    x, t = rng.random((20, 20), dtype=np.float32), rng.integers(0, 3, 20)
    network = TwoLayerNet(20, 10, 3, rng=0, dtype=np.float32)
    with np.errstate(all="ignore"):
        train(network, x, t, x, t, iters_num=50, batch_size=10, learning_rate=1e38, rng=1,
              progress=False)


def row(kind, id, call, error, where, given):
    return pytest.param(kind, call, error, where, given, id=id)


ROWS = [
    # --- numerical_diff / numerical_gradient ------------------------------------------
    row(SHAPE, "numerical_diff-x-array", lambda: numerical_diff(sq, np.array([3.0, 4.0])),
        TypeError, "numerical_diff: x", "shape (2,)"),
    row(NUMBER, "numerical_diff-x-inf", lambda: numerical_diff(sq, math.inf),
        ValueError, "numerical_diff: x", "got inf"),
    row(NUMBER, "numerical_diff-x-huge-int", lambda: numerical_diff(sq, 10 ** 400),
        ValueError, "numerical_diff: x", "401 digits"),
    row(NUMBER, "numerical_diff-h-0", lambda: numerical_diff(sq, 1.0, h=0),
        ValueError, "numerical_diff: h", "got 0"),
    row(NUMBER, "numerical_diff-h-negative", lambda: numerical_diff(sq, 1.0, h=-1e-4),
        ValueError, "numerical_diff: h", "got -0.0001"),
    row(NUMBER, "numerical_diff-h-nan", lambda: numerical_diff(sq, 1.0, h=math.nan),
        ValueError, "numerical_diff: h", "got nan"),
    row(NUMBER, "numerical_diff-h-inf", lambda: numerical_diff(sq, 1.0, h=math.inf),
        ValueError, "numerical_diff: h", "got inf"),
    row(COARSE, "numerical_diff-float32-at-1000",
        lambda: numerical_diff(lambda x: x ** 2, np.float32(1000)),
        ValueError, "numerical_diff: h", "dtype float32 (|x| up to 1000)"),
    row(COARSE, "numerical_diff-float16", lambda: numerical_diff(lambda x: x ** 2, np.float16(3)),
        ValueError, "numerical_diff: h", "dtype float16"),
    row(COARSE, "numerical_diff-float64-at-1e20", lambda: numerical_diff(lambda x: x ** 2, 1e20),
        ValueError, "numerical_diff: h", "h=0.0001 at x=1e+20"),
    row(COARSE, "numerical_diff-h-1e-50", lambda: numerical_diff(sq, 5.0, h=1e-50),
        ValueError, "numerical_diff: h", "h=1e-50 at x=5"),
    row(NOT_SCALAR, "numerical_diff-f-vector", lambda: numerical_diff(lambda x: [x, x], 1.0),
        TypeError, "numerical_diff: f", "a list [1.0001, 1.0001]"),
    row(NOT_SCALAR, "numerical_diff-f-None", lambda: numerical_diff(lambda x: None, 1.0),
        TypeError, "numerical_diff: f", "got None"),
    row(NOT_SCALAR, "numerical_diff-f-complex", lambda: numerical_diff(lambda x: 1j * x, 1.0),
        TypeError, "numerical_diff: f", "(complex)"),
    row(WRONG_TYPE, "numerical_diff-f-two-arguments",
        lambda: numerical_diff(lambda x, y: x, 1.0),
        TypeError, "numerical_diff: f", "a function of (x, y)"),
    row(NOT_FLOAT, "numerical_gradient-x-int", lambda: numerical_gradient(sq, np.array([3, 4])),
        TypeError, "numerical_gradient: x", "dtype int64"),
    row(NOT_FLOAT, "numerical_gradient-x-bool",
        lambda: numerical_gradient(sq, np.array([True, False])),
        TypeError, "numerical_gradient: x", "dtype bool"),
    row(NOT_FLOAT, "numerical_gradient-x-uint8",
        lambda: numerical_gradient(sq, np.array([3, 4], np.uint8)),
        TypeError, "numerical_gradient: x", "dtype uint8"),
    row(WRONG_TYPE, "numerical_gradient-x-list", lambda: numerical_gradient(sq, [3.0, 4.0]),
        TypeError, "numerical_gradient: x", "a list [3.0, 4.0]"),
    row(COARSE, "numerical_gradient-float16", lambda: numerical_gradient(sq, F16.copy()),
        ValueError, "numerical_gradient: h", "dtype float16 (|x| up to 4)"),
    row(COARSE, "numerical_gradient-float32-at-1000",
        lambda: numerical_gradient(sq, F32_1000.copy()),
        ValueError, "numerical_gradient: h", "dtype float32 (|x| up to 1000)"),
    row(COARSE, "numerical_gradient-float32-h-1e-9",
        lambda: numerical_gradient(sq, np.array([3.0, 4.0], np.float32), h=1e-9),
        ValueError, "numerical_gradient: h", "h=1e-09 with x of dtype float32"),
    row(NUMBER, "numerical_gradient-h-0", lambda: numerical_gradient(sq, np.ones(2), h=0.0),
        ValueError, "numerical_gradient: h", "got 0.0"),
    row(READ_ONLY, "numerical_gradient-read-only",
        lambda: numerical_gradient(sq, read_only([3.0, 4.0])),
        ValueError, "numerical_gradient: x", "a read-only array"),
    row(READ_ONLY, "numerical_gradient-broadcast-view",
        lambda: numerical_gradient(sq, np.broadcast_to(np.ones(1), (3,))),
        ValueError, "numerical_gradient: x", "a read-only array"),
    row(NOT_SCALAR, "numerical_gradient-f-elementwise",
        lambda: numerical_gradient(lambda x: x ** 2, np.array([3.0, 4.0])),
        TypeError, "numerical_gradient: f", "shape (2,)"),
    row(NOT_SCALAR, "numerical_gradient-f-bool",
        lambda: numerical_gradient(lambda x: bool(x[0] > 0), np.array([3.0, 4.0])),
        TypeError, "numerical_gradient: f", "True (bool)"),
    row(NOT_SCALAR, "numerical_gradient-f-string",
        lambda: numerical_gradient(lambda x: "0.5", np.array([3.0, 4.0])),
        TypeError, "numerical_gradient: f", "the string '0.5'"),
    row(WRONG_TYPE, "numerical_gradient-f-not-callable",
        lambda: numerical_gradient(3.0, np.array([3.0, 4.0])),
        TypeError, "numerical_gradient: f", "3.0 (float)"),
    # --- gradient_descent, gradient_descent_path ----------------------------------------
    row(COARSE, "gradient_descent-init-float16", lambda: gradient_descent(sq, F16),
        TypeError, "gradient_descent: init_x", "a float16 array"),
    row(COARSE, "gradient_descent-init-float32-at-1000", lambda: gradient_descent(sq, F32_1000),
        ValueError, "gradient_descent: init_x", "a float32 array with |x| up to 1000"),
    row(NOT_FLOAT, "gradient_descent-init-bool", lambda: gradient_descent(sq, [True, False]),
        TypeError, "gradient_descent: init_x", "a bool array"),
    row(NUMBER, "gradient_descent-lr-nan", lambda: gradient_descent(sq, [1.0], lr=math.nan),
        ValueError, "gradient_descent: lr", "got nan"),
    row(NUMBER, "gradient_descent-lr-inf", lambda: gradient_descent(sq, [1.0], lr=math.inf),
        ValueError, "gradient_descent: lr", "got inf"),
    row(NUMBER, "gradient_descent-lr-0", lambda: gradient_descent(sq, [1.0], lr=0),
        ValueError, "gradient_descent: lr", "got 0"),
    row(NUMBER, "gradient_descent-lr-negative", lambda: gradient_descent(sq, [1.0], lr=-0.1),
        ValueError, "gradient_descent: lr", "got -0.1"),
    row(NUMBER, "gradient_descent-lr-huge-int", lambda: gradient_descent(sq, [1.0], lr=10 ** 400),
        ValueError, "gradient_descent: lr", "401 digits"),
    row(SIZE, "gradient_descent-step_num-negative",
        lambda: gradient_descent(sq, [1.0], step_num=-1),
        ValueError, "gradient_descent: step_num", "got -1"),
    row(SIZE, "gradient_descent-step_num-float", lambda: gradient_descent(sq, [1.0], step_num=2.5),
        TypeError, "gradient_descent: step_num", "2.5 (float)"),
    row(SIZE, "gradient_descent-step_num-whole-float",
        lambda: gradient_descent(sq, [1.0], step_num=100.0),
        TypeError, "gradient_descent: step_num", "100.0 (float)"),
    row(NOT_SCALAR, "gradient_descent-f-elementwise",
        lambda: gradient_descent(lambda x: x ** 2, [1.0, 2.0]),
        TypeError, "gradient_descent: f", "shape (2,)"),
    row(NUMBER, "gradient_descent_path-lr-nan",
        lambda: gradient_descent_path(sq, [1.0], lr=math.nan),
        ValueError, "gradient_descent_path: lr", "got nan"),
    row(SIZE, "gradient_descent_path-step_num-negative",
        lambda: gradient_descent_path(sq, [1.0], step_num=-3),
        ValueError, "gradient_descent_path: step_num", "got -3"),
    row(COARSE, "gradient_descent_path-init-float16", lambda: gradient_descent_path(sq, F16),
        TypeError, "gradient_descent_path: init_x", "a float16 array"),
    # --- activations, softmax ------------------------------------------------------------
    row(NOT_FLOAT, "sigmoid-bool", lambda: sigmoid(True),
        TypeError, "sigmoid: x", "a bool array"),
    row(NOT_FLOAT, "relu-bool-array", lambda: relu(np.array([True, False])),
        TypeError, "relu: x", "a bool array"),
    row(NOT_FLOAT, "sigmoid_grad-bool", lambda: sigmoid_grad(np.array([True])),
        TypeError, "sigmoid_grad: x", "a bool array"),
    row(NOT_FLOAT, "step_function-bool", lambda: step_function(False),
        TypeError, "step_function: x", "a bool array"),
    row(NON_FINITE, "step_function-nan", lambda: step_function([0.5, math.nan]),
        ValueError, "step_function: x", "1 nan value(s)"),
    row(SHAPE, "softmax-scalar", lambda: softmax(3.0),
        ValueError, "softmax: a", "shape ()"),
    row(SHAPE, "softmax-3d", lambda: softmax(np.ones((2, 2, 2))),
        ValueError, "softmax: a", "shape (2, 2, 2)"),
    row(SHAPE, "softmax-empty", lambda: softmax([]),
        ValueError, "softmax: a", "an empty array of shape (0,)"),
    row(SHAPE, "softmax-empty-rows", lambda: softmax(np.ones((2, 0))),
        ValueError, "softmax: a", "shape (2, 0)"),
    row(NON_FINITE, "softmax-plus-inf", lambda: softmax([1.0, math.inf]),
        ValueError, "softmax: a", "scores of +inf"),
    row(NON_FINITE, "softmax-all-minus-inf", lambda: softmax([[0.0, 1.0], [-math.inf] * 2]),
        ValueError, "softmax: a", "a row whose scores are all -inf"),
    # --- losses --------------------------------------------------------------------------
    row(WRONG_TYPE, "softmax-object-array", lambda: softmax(np.array([1.0, None])),
        TypeError, "softmax: a", "dtype object"),
    row(SHAPE, "mean_squared_error-y-scalar", lambda: mean_squared_error(0.5, 0),
        ValueError, "mean_squared_error: y", "shape ()"),
    row(SHAPE, "mean_squared_error-y-3d", lambda: mean_squared_error(np.ones((2, 2, 2)), [0, 1]),
        ValueError, "mean_squared_error: y", "shape (2, 2, 2)"),
    row(SHAPE, "mean_squared_error-y-empty", lambda: mean_squared_error(np.empty((0, 10)), []),
        ValueError, "mean_squared_error: y", "an empty array of shape (0, 10)"),
    row(WRONG_TYPE, "mean_squared_error-y-strings", lambda: mean_squared_error(["0.1", "0.9"], 1),
        TypeError, "mean_squared_error: y", "dtype <U3"),
    row(TARGETS, "mean_squared_error-t-too-few", lambda: mean_squared_error(Y, [0, 1]),
        ValueError, "mean_squared_error: t", "shape (2,)"),
    row(TARGETS, "mean_squared_error-t-one-hot-width",
        lambda: mean_squared_error(Y, np.zeros((3, 9))),
        ValueError, "mean_squared_error: t", "shape (3, 9)"),
    row(TARGETS, "mean_squared_error-t-label-too-big", lambda: mean_squared_error(Y, [0, 1, 2]),
        ValueError, "mean_squared_error: t", "labels from 0 to 2"),
    row(TARGETS, "mean_squared_error-t-float-labels",
        lambda: mean_squared_error(Y, [0.0, 1.0, 0.0]),
        TypeError, "mean_squared_error: t", "labels of dtype float64"),
    row(TARGETS, "mean_squared_error-t-bool-labels",
        lambda: mean_squared_error(Y, np.array([True, False, True])),
        TypeError, "mean_squared_error: t", "labels of dtype bool"),
    row(TARGETS, "mean_squared_error-t-not-one-hot",
        lambda: mean_squared_error(Y, [[0.5, 0.5]] * 3),
        ValueError, "mean_squared_error: t", "rows that are not one-hot"),
    row(NOT_PROB, "cross_entropy_error-y-scores", lambda: cross_entropy_error([0.3, 2.9, 4.0], 2),
        ValueError, "cross_entropy_error: y", "values from 0.3 to 4"),
    row(NOT_PROB, "cross_entropy_error-y-negative",
        lambda: cross_entropy_error([-0.1, 1.1], 1),
        ValueError, "cross_entropy_error: y", "values from -0.1 to 1.1"),
    row(NOT_PROB, "cross_entropy_error-y-inf", lambda: cross_entropy_error([math.inf, 0.5], 1),
        ValueError, "cross_entropy_error: y", "to inf"),
    row(SHAPE, "cross_entropy_error-y-empty", lambda: cross_entropy_error([], []),
        ValueError, "cross_entropy_error: y", "an empty array"),
    row(TARGETS, "cross_entropy_error-t-negative", lambda: cross_entropy_error([0.5, 0.5], -1),
        ValueError, "cross_entropy_error: t", "labels from -1 to -1"),
    row(TARGETS, "cross_entropy_error-t-scalar-too-big",
        lambda: cross_entropy_error([0.2, 0.3, 0.5], 3),
        ValueError, "cross_entropy_error: t", "labels from 3 to 3"),
    row(TARGETS, "cross_entropy_error-t-float", lambda: cross_entropy_error([0.5, 0.5], 1.0),
        TypeError, "cross_entropy_error: t", "labels of dtype float64"),
    row(TARGETS, "cross_entropy_error-t-two-ones",
        lambda: cross_entropy_error([0.5, 0.5], [1, 1]),
        ValueError, "cross_entropy_error: t", "rows that are not one-hot"),
    row(TARGETS, "cross_entropy_error-t-wrong-length",
        lambda: cross_entropy_error(np.full((2, 3), 1 / 3), [0, 1, 2]),
        ValueError, "cross_entropy_error: t", "shape (3,)"),
    # --- SimpleNet -----------------------------------------------------------------------
    row(SHAPE, "SimpleNet-W-shape", lambda: SimpleNet(np.ones((3, 2))),
        ValueError, "SimpleNet: W", "shape (3, 2)"),
    row(OPTION, "SimpleNet-rng-negative", lambda: SimpleNet(rng=-1),
        ValueError, "SimpleNet: rng", "got -1"),
    row(OPTION, "SimpleNet-rng-float", lambda: SimpleNet(rng=1.5),
        TypeError, "SimpleNet: rng", "1.5 (float)"),
    row(OPTION, "SimpleNet-rng-RandomState", lambda: SimpleNet(rng=np.random.RandomState(0)),
        TypeError, "SimpleNet: rng", "(RandomState)"),
    row(SHAPE, "SimpleNet.predict-x-width", lambda: simple().predict([1.0, 2.0, 3.0]),
        ValueError, "SimpleNet.predict: x", "shape (3,)"),
    row(SHAPE, "SimpleNet.predict-x-scalar", lambda: simple().predict(1.0),
        ValueError, "SimpleNet.predict: x", "shape ()"),
    row(SHAPE, "SimpleNet.predict-x-empty", lambda: simple().predict(np.empty((0, 2))),
        ValueError, "SimpleNet.predict: x", "an empty array of shape (0, 2)"),
    row(TARGETS, "SimpleNet.loss-t-label-too-big", lambda: simple().loss([0.6, 0.9], 5),
        ValueError, "cross_entropy_error: t", "labels from 5 to 5"),
    row(SHAPE, "SimpleNet.loss-x-width", lambda: simple().loss([0.6, 0.9, 0.1], 2),
        ValueError, "SimpleNet.predict: x", "shape (3,)"),
    # --- TwoLayerNet ---------------------------------------------------------------------
    row(SIZE, "TwoLayerNet-input_size-0", lambda: TwoLayerNet(0, 3, 2),
        ValueError, "TwoLayerNet: input_size", "got 0"),
    row(SIZE, "TwoLayerNet-hidden_size-negative", lambda: TwoLayerNet(4, -3, 2),
        ValueError, "TwoLayerNet: hidden_size", "got -3"),
    row(SIZE, "TwoLayerNet-output_size-float", lambda: TwoLayerNet(4, 3, 2.0),
        TypeError, "TwoLayerNet: output_size", "2.0 (float)"),
    row(SIZE, "TwoLayerNet-hidden_size-bool", lambda: TwoLayerNet(4, True, 2),
        TypeError, "TwoLayerNet: hidden_size", "True (bool)"),
    row(NUMBER, "TwoLayerNet-weight_init_std-nan",
        lambda: TwoLayerNet(4, 3, 2, weight_init_std=math.nan),
        ValueError, "TwoLayerNet: weight_init_std", "got nan"),
    row(NUMBER, "TwoLayerNet-weight_init_std-inf",
        lambda: TwoLayerNet(4, 3, 2, weight_init_std=math.inf),
        ValueError, "TwoLayerNet: weight_init_std", "got inf"),
    row(NUMBER, "TwoLayerNet-weight_init_std-0", lambda: TwoLayerNet(4, 3, 2, weight_init_std=0),
        ValueError, "TwoLayerNet: weight_init_std", "got 0"),
    row(NUMBER, "TwoLayerNet-weight_init_std-negative",
        lambda: TwoLayerNet(4, 3, 2, weight_init_std=-0.01),
        ValueError, "TwoLayerNet: weight_init_std", "got -0.01"),
    row(NOT_FLOAT, "TwoLayerNet-dtype-int", lambda: TwoLayerNet(4, 3, 2, dtype=int),
        ValueError, "TwoLayerNet: dtype", "dtype int64"),
    row(COARSE, "TwoLayerNet-dtype-float16", lambda: TwoLayerNet(4, 3, 2, dtype=np.float16),
        ValueError, "TwoLayerNet: dtype", "dtype float16"),
    row(OPTION, "TwoLayerNet-dtype-name", lambda: TwoLayerNet(4, 3, 2, dtype="banana"),
        TypeError, "TwoLayerNet: dtype", "the string 'banana'"),
    row(OPTION, "TwoLayerNet-rng-str", lambda: TwoLayerNet(4, 3, 2, rng="0"),
        TypeError, "TwoLayerNet: rng", "the string '0'"),
    row(SHAPE, "TwoLayerNet.predict-x-width", lambda: net().predict(np.ones((3, 5))),
        ValueError, "TwoLayerNet.predict: x", "shape (3, 5)"),
    row(SHAPE, "TwoLayerNet.predict-x-images", lambda: net().predict(np.ones((3, 2, 2))),
        ValueError, "TwoLayerNet.predict: x", "shape (3, 2, 2)"),
    row(SHAPE, "TwoLayerNet.predict-x-empty", lambda: net().predict(np.empty((0, 4))),
        ValueError, "TwoLayerNet.predict: x", "an empty array of shape (0, 4)"),
    row(SHAPE, "TwoLayerNet.predict-x-scalar", lambda: net().predict(np.float64(1.0)),
        ValueError, "TwoLayerNet.predict: x", "shape ()"),
    row(NOT_FLOAT, "TwoLayerNet.predict-x-bool", lambda: net().predict(np.ones(4, bool)),
        TypeError, "TwoLayerNet.predict: x", "a bool array"),
    row(SHAPE, "TwoLayerNet.loss-x-width", lambda: net().loss(np.ones((3, 5)), T),
        ValueError, "TwoLayerNet.predict: x", "shape (3, 5)"),
    row(TARGETS, "TwoLayerNet.loss-t-label-too-big", lambda: net().loss(X, [0, 1, 2]),
        ValueError, "cross_entropy_error: t", "labels from 0 to 2"),
    row(TARGETS, "TwoLayerNet.accuracy-t-wrong-length", lambda: net().accuracy(X, [0, 1]),
        ValueError, "TwoLayerNet.accuracy: t", "shape (2,)"),
    row(TARGETS, "TwoLayerNet.accuracy-t-soft-rows",
        lambda: net().accuracy(X, np.full((3, 2), 0.5)),
        ValueError, "TwoLayerNet.accuracy: t", "rows that are not one-hot"),
    row(NON_FINITE, "TwoLayerNet.accuracy-x-nan",
        lambda: net().accuracy(np.full((3, 4), math.nan), T),
        ValueError, "TwoLayerNet.accuracy: x", "NaN or infinite values"),
    row(NON_FINITE, "TwoLayerNet.accuracy-params-nan", lambda: nan_params().accuracy(X, T),
        ValueError, "TwoLayerNet.accuracy: params", "params['W2']"),
    row(SHAPE, "TwoLayerNet.accuracy-x-empty", lambda: net().accuracy(np.empty((0, 4)), []),
        ValueError, "TwoLayerNet.accuracy: x", "an empty array"),
    row(TARGETS, "TwoLayerNet.gradient-t-float", lambda: net().gradient(X, [0.0, 1.0, 0.0]),
        TypeError, "TwoLayerNet.loss_and_gradient: t", "labels of dtype float64"),
    row(SHAPE, "TwoLayerNet.gradient-x-width", lambda: net().gradient(np.ones((3, 5)), T),
        ValueError, "TwoLayerNet.loss_and_gradient: x", "shape (3, 5)"),
    row(TARGETS, "TwoLayerNet.loss_and_gradient-t-wrong-length",
        lambda: net().loss_and_gradient(X, [0, 1]),
        ValueError, "TwoLayerNet.loss_and_gradient: t", "shape (2,)"),
    row(SHAPE, "TwoLayerNet.loss_and_gradient-x-empty",
        lambda: net().loss_and_gradient(np.empty((0, 4)), []),
        ValueError, "TwoLayerNet.loss_and_gradient: x", "an empty array"),
    row(NUMBER, "TwoLayerNet.numerical_gradient-h-0", lambda: net().numerical_gradient(X, T, h=0),
        ValueError, "TwoLayerNet.numerical_gradient: h", "got 0"),
    row(NUMBER, "TwoLayerNet.numerical_gradient-h-nan",
        lambda: net().numerical_gradient(X, T, h=math.nan),
        ValueError, "TwoLayerNet.numerical_gradient: h", "got nan"),
    row(COARSE, "TwoLayerNet.numerical_gradient-float32-h-1e-9",
        lambda: net(np.float32).numerical_gradient(X, T, h=1e-9),
        ValueError, "numerical_gradient: h", "h=1e-09 with x of dtype float32"),
    row(TARGETS, "TwoLayerNet.numerical_gradient-t-label-too-big",
        lambda: net().numerical_gradient(X, [0, 5, 0]),
        ValueError, "cross_entropy_error: t", "labels from 0 to 5"),
    # --- train and its parts --------------------------------------------------------------
    row(SIZE, "train-iters_num-negative", lambda: train(net(), X, T, X, T, iters_num=-5),
        ValueError, "train: iters_num", "got -5"),
    row(SIZE, "train-iters_num-float", lambda: train(net(), X, T, X, T, iters_num=1e4),
        TypeError, "train: iters_num", "10000.0 (float)"),
    row(SIZE, "train-batch_size-0", lambda: train(net(), X, T, X, T, batch_size=0),
        ValueError, "train: batch_size", "got 0"),
    row(SIZE, "train-batch_size-negative", lambda: train(net(), X, T, X, T, batch_size=-20),
        ValueError, "train: batch_size", "got -20"),
    row(SIZE, "train-batch_size-too-big", lambda: train(net(), X, T, X, T, batch_size=4),
        ValueError, "train: batch_size", "4 with only 3 samples"),
    row(SIZE, "train-batch_size-default-too-big", lambda: train(net(), X, T, X, T),
        ValueError, "train: batch_size", "100 with only 3 samples"),
    row(NUMBER, "train-learning_rate-nan",
        lambda: train(net(), X, T, X, T, batch_size=1, learning_rate=math.nan),
        ValueError, "train: learning_rate", "got nan"),
    row(NUMBER, "train-learning_rate-inf",
        lambda: train(net(), X, T, X, T, batch_size=1, learning_rate=math.inf),
        ValueError, "train: learning_rate", "got inf"),
    row(NUMBER, "train-learning_rate-negative",
        lambda: train(net(), X, T, X, T, batch_size=1, learning_rate=-1),
        ValueError, "train: learning_rate", "got -1"),
    row(OPTION, "train-progress-string",
        lambda: train(net(), X, T, X, T, batch_size=1, progress="False"),
        TypeError, "train: progress", "the string 'False'"),
    row(OPTION, "train-log-not-callable", lambda: train(net(), X, T, X, T, batch_size=1, log=3),
        TypeError, "train: log", "3 (int)"),
    row(OPTION, "train-rng-negative", lambda: train(net(), X, T, X, T, batch_size=1, rng=-1),
        ValueError, "train: rng", "got -1"),
    row(WRONG_TYPE, "train-network-SimpleNet",
        lambda: train(simple(), X[:, :2], T, X[:, :2], T, batch_size=1),
        TypeError, "train: network", "(SimpleNet)"),
    row(SHAPE, "train-x_train-1d", lambda: train(net(), np.ones(4), 0, X, T, batch_size=1),
        ValueError, "train: x_train", "shape (4,)"),
    row(SHAPE, "train-x_train-width", lambda: train(net(), np.ones((3, 5)), T, X, T),
        ValueError, "train: x_train", "shape (3, 5)"),
    row(SHAPE, "train-x_train-empty", lambda: train(net(), np.empty((0, 4)), [], X, T),
        ValueError, "train: x_train", "an empty array of shape (0, 4)"),
    row(SHAPE, "train-x_test-width", lambda: train(net(), X, T, np.ones((3, 5)), T, batch_size=1),
        ValueError, "train: x_test", "shape (3, 5)"),
    row(SHAPE, "train-x_test-empty",
        lambda: train(net(), X, T, np.empty((0, 4)), [], batch_size=1),
        ValueError, "train: x_test", "an empty array"),
    row(TARGETS, "train-t_train-wrong-length", lambda: train(net(), X, [0, 1], X, T, batch_size=1),
        ValueError, "train: t_train", "shape (2,)"),
    row(TARGETS, "train-t_test-label-too-big",
        lambda: train(net(), X, T, X, [0, 1, 7], batch_size=1),
        ValueError, "train: t_test", "labels from 0 to 7"),
    row(NON_FINITE, "train-x_train-nan",
        lambda: train(net(), np.full((3, 4), math.nan), T, X, T, batch_size=1),
        ValueError, "train: x_train", "NaN or infinite values"),
    row(NON_FINITE, "train-x_test-inf",
        lambda: train(net(), X, T, np.full((3, 4), math.inf), T, batch_size=1),
        ValueError, "train: x_test", "NaN or infinite values"),
    row(DIVERGED, "train-loss-nan", diverging_run,
        FloatingPointError, "train: learning_rate", "the loss became nan at iteration"),
    row(DIVERGED, "train-loss-inf",
        lambda: train(InfiniteLossNet(), X, T, X, T, batch_size=1, learning_rate=0.5,
                      progress=False),
        FloatingPointError, "train: learning_rate", "the loss became inf at iteration 0"),
    row(NUMBER, "sgd_step-learning_rate-nan", lambda: sgd_step(net(), X, T, math.nan),
        ValueError, "sgd_step: learning_rate", "got nan"),
    row(NUMBER, "sgd_step-learning_rate-0", lambda: sgd_step(net(), X, T, 0),
        ValueError, "sgd_step: learning_rate", "got 0"),
    row(TARGETS, "sgd_step-t_batch-label-too-big", lambda: sgd_step(net(), X, [0, 9, 0], 0.1),
        ValueError, "TwoLayerNet.loss_and_gradient: t", "labels from 0 to 9"),
    row(WRONG_TYPE, "sgd_step-network-None", lambda: sgd_step(None, X, T, 0.1),
        TypeError, "sgd_step: network", "got None"),
    row(SIZE, "batch_indices-train_size-0", lambda: batch_indices(0, 1),
        ValueError, "batch_indices: train_size", "got 0"),
    row(SIZE, "batch_indices-batch_size-too-big", lambda: batch_indices(3, 5),
        ValueError, "batch_indices: batch_size", "5 with only 3 samples"),
    row(SIZE, "batch_indices-train_size-float", lambda: batch_indices(60000.0, 100),
        TypeError, "batch_indices: train_size", "60000.0 (float)"),
    row(OPTION, "batch_indices-rng-str", lambda: batch_indices(3, 1, rng="seed"),
        TypeError, "batch_indices: rng", "the string 'seed'"),
    row(SIZE, "chunked_accuracy-chunk_size-0", lambda: chunked_accuracy(net(), X, T, 0),
        ValueError, "chunked_accuracy: chunk_size", "got 0"),
    row(SHAPE, "chunked_accuracy-x-empty", lambda: chunked_accuracy(net(), np.empty((0, 4)), []),
        ValueError, "chunked_accuracy: x", "an empty array"),
    row(SHAPE, "chunked_accuracy-x-width", lambda: chunked_accuracy(net(), np.ones((3, 5)), T),
        ValueError, "chunked_accuracy: x", "shape (3, 5)"),
    row(TARGETS, "chunked_accuracy-t-wrong-length", lambda: chunked_accuracy(net(), X, [0, 1]),
        ValueError, "chunked_accuracy: t", "shape (2,)"),
    row(NON_FINITE, "chunked_accuracy-x-nan",
        lambda: chunked_accuracy(net(), np.full((3, 4), math.nan), T),
        ValueError, "TwoLayerNet.accuracy: x", "NaN or infinite values"),
    row(WRONG_TYPE, "chunked_accuracy-network-None", lambda: chunked_accuracy(None, X, T),
        TypeError, "chunked_accuracy: network", "got None"),
    # --- plots ---------------------------------------------------------------------------
    row(OPTION, "plots.style-lang", lambda: plots.style("fr"),
        ValueError, "style: lang", "the string 'fr'"),
    row(OPTION, "plots.plot_history-lang", lambda: plots.plot_history(nnguide.TrainingHistory(),
                                                                       lang="de"),
        ValueError, "plot_history: lang", "the string 'de'"),
    row(WRONG_TYPE, "plots.plot_history-history-dict",
        lambda: plots.plot_history({"train_loss": []}),
        TypeError, "plot_history: history", "(dict)"),
    row(SIZE, "plots.plot_loss-window-0", lambda: plots.plot_loss(None, [1.0, 0.5], window=0),
        ValueError, "plot_loss: window", "got 0"),
    row(OPTION, "plots.plot_accuracy-lang", lambda: plots.plot_accuracy(None, [0.5], [0.5], "EN"),
        ValueError, "plot_accuracy: lang", "the string 'EN'"),
    row(OPTION, "plots.plot_descent_path-title", lambda: plots.plot_descent_path(
        None, [[1.0, 2.0]], title="no"),
        TypeError, "plot_descent_path: title", "the string 'no'"),
    row(OPTION, "plots.plot_learning_rates-lang",
        lambda: plots.plot_learning_rates(None, {}, lang="zh-CN"),
        ValueError, "plot_learning_rates: lang", "the string 'zh-CN'"),
    row(NUMBER, "plots.gradient_field-step-0", lambda: plots.gradient_field(sq, step=0),
        ValueError, "gradient_field: step", "got 0"),
    row(SIZE, "plots.plot_function_surface-num-0",
        lambda: plots.plot_function_surface(None, sq, num=0),
        ValueError, "plot_function_surface: num", "got 0"),
    row(SHAPE, "plots.tangent_line-x-array", lambda: plots.tangent_line(np.sin, [1.0, 2.0]),
        TypeError, "tangent_line: x", "a list [1.0, 2.0]"),
    row(WRONG_TYPE, "plots.plot_tangents-f", lambda: plots.plot_tangents(None, "f", [5.0]),
        TypeError, "plot_tangents: f", "the string 'f'"),
    row(OPTION, "plots.plot_neg_log-lang", lambda: plots.plot_neg_log(None, lang=None),
        ValueError, "plot_neg_log: lang", "got None"),
    row(WRONG_TYPE, "plots.plot_gradient_field-grads",
        lambda: plots.plot_gradient_field(None, [[0.0, 0.0]], None),
        TypeError, "plot_gradient_field: grads", "got None"),
    # --- mnist: kinds that test_mnist.py does not cover --------------------------------------
    row(WRONG_TYPE, "mnist.load_mnist-data_dir-float", lambda: load_mnist(data_dir=1.5),
        TypeError, "load_mnist: data_dir", "1.5 (type float)"),
    row(WRONG_TYPE, "mnist.data_dirs-data_dir-int", lambda: mnist.data_dirs(7),
        TypeError, "data_dirs: data_dir", "7 (type int)"),
    row(WRONG_TYPE, "mnist.find_data_dir-data_dir-list", lambda: mnist.find_data_dir(["mnist"]),
        TypeError, "find_data_dir: data_dir", "['mnist'] (type list)"),
    row(WRONG_TYPE, "mnist.download-data_dir-a-file", lambda: mnist.download(__file__),
        NotADirectoryError, "download: data_dir", "is a file, not a folder"),
]

# Wrong types for every argument that takes an array, and for every number argument.
ARRAY_TYPES = [
    ("None", None, TypeError, "got None"),
    ("str", "0.5", TypeError, "the string '0.5'"),
    ("object", object(), TypeError, "object"),
    ("complex", np.array([0.5 + 1j, 0.5]), TypeError, "complex"),
    ("ragged", [[0.5, 0.5], [1.0]], ValueError, "[[0.5, 0.5], [1.0]]"),
]
ARRAY_ARGUMENTS = [  # id, "function: argument", call with the bad value
    ("sigmoid-x", "sigmoid: x", lambda v: sigmoid(v)),
    ("sigmoid_grad-x", "sigmoid_grad: x", lambda v: sigmoid_grad(v)),
    ("relu-x", "relu: x", lambda v: relu(v)),
    ("step_function-x", "step_function: x", lambda v: step_function(v)),
    ("softmax-a", "softmax: a", lambda v: softmax(v)),
    ("mean_squared_error-y", "mean_squared_error: y", lambda v: mean_squared_error(v, 0)),
    ("mean_squared_error-t", "mean_squared_error: t", lambda v: mean_squared_error(Y, v)),
    ("cross_entropy_error-y", "cross_entropy_error: y", lambda v: cross_entropy_error(v, 0)),
    ("cross_entropy_error-t", "cross_entropy_error: t", lambda v: cross_entropy_error(Y, v)),
    ("numerical_gradient-x", "numerical_gradient: x", lambda v: numerical_gradient(sq, v)),
    ("gradient_descent-init_x", "gradient_descent: init_x", lambda v: gradient_descent(sq, v)),
    ("gradient_descent_path-init_x", "gradient_descent_path: init_x",
     lambda v: gradient_descent_path(sq, v)),
    ("SimpleNet-W", "SimpleNet: W", lambda v: SimpleNet(v)),
    ("SimpleNet.predict-x", "SimpleNet.predict: x", lambda v: simple().predict(v)),
    ("SimpleNet.loss-t", "cross_entropy_error: t", lambda v: simple().loss([0.6, 0.9], v)),
    ("TwoLayerNet.predict-x", "TwoLayerNet.predict: x", lambda v: net().predict(v)),
    ("TwoLayerNet.loss-x", "TwoLayerNet.predict: x", lambda v: net().loss(v, T)),
    ("TwoLayerNet.accuracy-x", "TwoLayerNet.accuracy: x", lambda v: net().accuracy(v, T)),
    ("TwoLayerNet.accuracy-t", "TwoLayerNet.accuracy: t", lambda v: net().accuracy(X, v)),
    ("TwoLayerNet.gradient-x", "TwoLayerNet.loss_and_gradient: x",
     lambda v: net().gradient(v, T)),
    ("TwoLayerNet.loss_and_gradient-t", "TwoLayerNet.loss_and_gradient: t",
     lambda v: net().loss_and_gradient(X, v)),
    ("TwoLayerNet.numerical_gradient-x", "TwoLayerNet.numerical_gradient: x",
     lambda v: net().numerical_gradient(v, T)),
    ("train-x_train", "train: x_train", lambda v: train(net(), v, T, X, T, batch_size=1)),
    ("train-t_train", "train: t_train", lambda v: train(net(), X, v, X, T, batch_size=1)),
    ("train-x_test", "train: x_test", lambda v: train(net(), X, T, v, T, batch_size=1)),
    ("train-t_test", "train: t_test", lambda v: train(net(), X, T, X, v, batch_size=1)),
    ("sgd_step-x_batch", "TwoLayerNet.loss_and_gradient: x", lambda v: sgd_step(net(), v, T, 0.1)),
    ("chunked_accuracy-x", "chunked_accuracy: x", lambda v: chunked_accuracy(net(), v, T)),
    ("chunked_accuracy-t", "chunked_accuracy: t", lambda v: chunked_accuracy(net(), X, v)),
    ("plots.plot_loss-train_loss", "plot_loss: train_loss", lambda v: plots.plot_loss(None, v)),
    ("plots.plot_accuracy-train_acc", "plot_accuracy: train_acc",
     lambda v: plots.plot_accuracy(None, v, [0.5])),
    ("plots.plot_descent_path-path", "plot_descent_path: path",
     lambda v: plots.plot_descent_path(None, v)),
]
NUMBER_TYPES = [
    ("None", None, "got None"),
    ("str", "0.1", "the string '0.1'"),
    ("complex", 0.1 + 0j, "(complex)"),
    ("list", [0.1], "a list [0.1]"),
    ("bool", True, "True (bool)"),
]
NUMBER_ARGUMENTS = [  # id, "function: argument", call with the bad value
    ("numerical_diff-x", "numerical_diff: x", lambda v: numerical_diff(sq, v)),
    ("numerical_diff-h", "numerical_diff: h", lambda v: numerical_diff(sq, 1.0, h=v)),
    ("numerical_gradient-h", "numerical_gradient: h",
     lambda v: numerical_gradient(sq, np.ones(2), h=v)),
    ("gradient_descent-lr", "gradient_descent: lr", lambda v: gradient_descent(sq, [1.0], lr=v)),
    ("gradient_descent-step_num", "gradient_descent: step_num",
     lambda v: gradient_descent(sq, [1.0], step_num=v)),
    ("gradient_descent_path-lr", "gradient_descent_path: lr",
     lambda v: gradient_descent_path(sq, [1.0], lr=v)),
    ("TwoLayerNet-input_size", "TwoLayerNet: input_size", lambda v: TwoLayerNet(v, 3, 2)),
    ("TwoLayerNet-weight_init_std", "TwoLayerNet: weight_init_std",
     lambda v: TwoLayerNet(4, 3, 2, weight_init_std=v)),
    ("TwoLayerNet.numerical_gradient-h", "TwoLayerNet.numerical_gradient: h",
     lambda v: net().numerical_gradient(X, T, h=v)),
    ("train-iters_num", "train: iters_num", lambda v: train(net(), X, T, X, T, iters_num=v)),
    ("train-batch_size", "train: batch_size", lambda v: train(net(), X, T, X, T, batch_size=v)),
    ("train-learning_rate", "train: learning_rate",
     lambda v: train(net(), X, T, X, T, batch_size=1, learning_rate=v)),
    ("sgd_step-learning_rate", "sgd_step: learning_rate", lambda v: sgd_step(net(), X, T, v)),
    ("batch_indices-train_size", "batch_indices: train_size", lambda v: batch_indices(v, 1)),
    ("chunked_accuracy-chunk_size", "chunked_accuracy: chunk_size",
     lambda v: chunked_accuracy(net(), X, T, v)),
    ("plots.gradient_field-lim", "gradient_field: lim", lambda v: plots.gradient_field(sq, lim=v)),
]


# numerical_gradient changes x in place, so it takes only a NumPy array: a list is a TypeError.
ONLY_ARRAYS = {"numerical_gradient-x"}
NONE_ALLOWED = {"SimpleNet-W"}  # W=None: random weights


def generated_rows():
    for name, where, call in ARRAY_ARGUMENTS:
        for kind_id, value, error, given in ARRAY_TYPES:
            if value is None and name in NONE_ALLOWED:
                continue
            error = TypeError if name in ONLY_ARRAYS else error
            yield row(WRONG_TYPE, f"{name}-{kind_id}", lambda call=call, value=value: call(value),
                      error, where, given)
    for name, where, call in NUMBER_ARGUMENTS:
        for kind_id, value, given in NUMBER_TYPES:
            yield row(WRONG_TYPE, f"{name}-{kind_id}", lambda call=call, value=value: call(value),
                      TypeError, where, given)


CASES = ROWS + list(generated_rows())


@pytest.mark.parametrize("kind, call, error, where, given", CASES)
def test_bad_input_gets_a_clear_error(kind, call, error, where, given):
    with pytest.raises(Exception) as info:
        call()
    assert info.type is error, f"{info.type.__name__}: {info.value}"
    message = str(info.value)
    function, argument = where.split(": ")
    # It names the function (mnist writes "load_mnist(): ...") and the argument ...
    assert re.match(rf"{re.escape(function)}(\(\))?: ", message), message
    assert re.search(rf"(?<![\w.]){re.escape(argument)}(?!\w)", message), message
    # ... says what was given, in one line ...
    assert given in message, message
    assert "\n" not in message
    # ... and comes from nnguide's own checks, not from deep inside numpy or Python.
    raised_in = Path(traceback.extract_tb(info.tb)[-1].filename).resolve()
    assert raised_in.parent == PACKAGE_DIR, f"raised in {raised_in}: {message}"
    assert info.value.__cause__ is None


def test_the_table_covers_every_public_name():
    """Every name in nnguide.__all__, every method, train's parts, plots and mnist's functions."""
    covered = {param.id.split("-")[0] for param in CASES}
    public = set(nnguide.__all__) - {"TrainingHistory"}  # a record that train() fills in
    public -= {"load_mnist"}
    public |= {f"mnist.{name}" for name in ("load_mnist", "download", "data_dirs",
                                            "find_data_dir")}
    public |= {f"{cls.__name__}.{name}" for cls in (SimpleNet, TwoLayerNet)
               for name in vars(cls) if not name.startswith("_")}
    public |= {"sgd_step", "batch_indices", "chunked_accuracy"}
    public |= {f"plots.{name}" for name in plots.__all__ if name != "LABELS"}
    assert public - covered == set()
    assert covered - public == set()


def test_every_kind_of_bad_input_has_rows():
    kinds = Counter(param.values[0] for param in CASES)
    assert set(kinds) == {WRONG_TYPE, SHAPE, NOT_FLOAT, COARSE, NUMBER, SIZE, READ_ONLY,
                          NOT_SCALAR, NOT_PROB, TARGETS, NON_FINITE, OPTION, DIVERGED}


def test_ids_are_unique():
    ids = [param.id for param in CASES]
    assert len(ids) == len(set(ids))


# --- NaN in, NaN out: allowed where it is the honest answer -------------------------------

NAN_IN_NAN_OUT = [
    pytest.param(lambda: sigmoid([0.0, math.nan]), [False, True], id="sigmoid"),
    pytest.param(lambda: sigmoid_grad([0.0, math.nan]), [False, True], id="sigmoid_grad"),
    pytest.param(lambda: relu([1.0, math.nan]), [False, True], id="relu"),
    pytest.param(lambda: softmax([[0.0, 1.0], [math.nan, 1.0]]), [[False] * 2, [True] * 2],
                 id="softmax-a-row-with-nan"),
    pytest.param(lambda: numerical_diff(sq, math.nan), True, id="numerical_diff"),
    pytest.param(lambda: numerical_gradient(sq, np.array([1.0, math.nan])), [True, True],
                 id="numerical_gradient"),       # f(x) is nan at every nudge
    pytest.param(lambda: mean_squared_error([math.nan, 0.5], 1), True, id="mean_squared_error"),
    pytest.param(lambda: cross_entropy_error([0.5, math.nan], 1), True,
                 id="cross_entropy_error-right-class-nan"),
    pytest.param(lambda: net().predict(np.array([[1.0] * 4, [math.nan] * 4])),
                 [[False] * 2, [True] * 2], id="TwoLayerNet.predict"),
    pytest.param(lambda: net().loss(np.full(4, math.nan), 0), True, id="TwoLayerNet.loss"),
    pytest.param(lambda: simple().predict([math.nan, 1.0]), [True] * 3, id="SimpleNet.predict"),
]


@pytest.mark.parametrize("call, nan_where", NAN_IN_NAN_OUT)
def test_nan_in_gives_nan_out(call, nan_where):
    with np.errstate(invalid="ignore"):
        result = call()
    np.testing.assert_array_equal(np.isnan(result), nan_where)
