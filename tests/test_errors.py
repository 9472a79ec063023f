"""Bad input gets a clear error naming what was given and what was expected."""

import numpy as np
import pytest

from nnguide import (
    SimpleNet,
    TwoLayerNet,
    cross_entropy_error,
    mean_squared_error,
    numerical_diff,
    numerical_gradient,
    softmax,
    train,
)

LOSSES = [mean_squared_error, cross_entropy_error]


def square_sum(x):
    return np.sum(x**2)


# --- numerical_gradient and numerical_diff -----------------------------------------

@pytest.mark.parametrize("x, dtype", [
    (np.array([3, 4]), "int64"),
    (np.array([3, 4], dtype=np.int32), "int32"),
    (np.array([True, False]), "bool"),
    (np.array([3, 4], dtype=np.uint8), "uint8"),
])
def test_numerical_gradient_rejects_non_float_arrays(x, dtype):
    """The book's version silently returns [25000, 35000] for an int array [3, 4]."""
    before = x.tobytes()
    with pytest.raises(TypeError, match=rf"floating-point array, got dtype {dtype}.*"
                                        r"x\.astype\(float\)"):
        numerical_gradient(square_sum, x)
    assert x.tobytes() == before


@pytest.mark.parametrize("x, given", [([3.0, 4.0], "list"), ((3.0, 4.0), "tuple"),
                                      (3.0, "float")])
def test_numerical_gradient_rejects_non_arrays(x, given):
    with pytest.raises(TypeError, match=rf"needs x to be a numpy array .*got {given}\. "
                                        r"Use np\.array"):
        numerical_gradient(square_sum, x)


@pytest.mark.parametrize("x, given", [
    (np.array([3.0, 4.0]), r"ndarray with shape \(2,\)"),
    ([3.0, 4.0], r"list with shape \(2,\)"),
    ("3.0", "str"),
    (3 + 1j, "complex"),
])
def test_numerical_diff_needs_one_real_number(x, given):
    with pytest.raises(TypeError, match=rf"one real number, got {given}.*numerical_gradient"):
        numerical_diff(lambda v: v, x)


# --- losses --------------------------------------------------------------------

@pytest.mark.parametrize("loss", LOSSES)
def test_shape_mismatch_names_the_accepted_forms(loss):
    y = np.full((3, 10), 0.1)
    with pytest.raises(ValueError, match=r"t has shape \(2,\), which does not match y of shape "
                                         r"\(3, 10\)\. Accepted forms of t: one-hot \(3, 10\), "
                                         r"or class labels \(3,\) / \(3, 1\)"):
        loss(y, np.array([1, 2]))
    with pytest.raises(ValueError, match=r"t has shape \(3, 9\).*one-hot \(3, 10\)"):
        loss(y, np.zeros((3, 9)))
    with pytest.raises(ValueError, match=r"t has shape \(9,\).*y of shape \(10,\).*"
                                         r"one-hot \(10,\), or class labels \(\) / \(1,\)"):
        loss(np.full(10, 0.1), np.zeros(9))


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("labels, low, high", [([0, 10], 0, 10), ([-1, 3], -1, 3),
                                               ([12, 11], 11, 12)])
def test_label_out_of_range(loss, labels, low, high):
    y = np.full((2, 10), 0.1)
    with pytest.raises(ValueError, match=rf"labels must lie in 0\.\.9 for 10 classes, "
                                         rf"got values from {low} to {high}"):
        loss(y, np.array(labels))


@pytest.mark.parametrize("loss", LOSSES)
def test_scalar_label_out_of_range(loss):
    with pytest.raises(ValueError, match=r"0\.\.2 for 3 classes, got values from 3 to 3"):
        loss([0.2, 0.3, 0.5], 3)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("labels, dtype", [(np.array([2.0, 1.0]), "float64"),
                                           (np.array([True, False]), "bool"),
                                           ([2.0, 1.0], "float64")])
def test_float_or_bool_labels(loss, labels, dtype):
    with pytest.raises(TypeError, match=rf"class labels must be integers, got dtype {dtype}\. "
                                        r"Convert with t\.astype\(int\)"):
        loss(np.full((2, 10), 0.1), labels)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("y", [np.empty((0, 10)), np.empty(0), []])
def test_empty_batch(loss, y):
    with pytest.raises(ValueError, match=r"y is empty \(shape \(0,( 10)?\)\)\. "
                                         r"Expected at least one sample"):
        loss(y, np.empty(0, dtype=int))


@pytest.mark.parametrize("loss", LOSSES)
def test_y_with_too_many_dimensions(loss):
    with pytest.raises(ValueError, match=r"y must have shape \(C,\) or \(N, C\), "
                                         r"got shape \(2, 3, 4\)"):
        loss(np.full((2, 3, 4), 0.25), np.zeros(2, dtype=int))


@pytest.mark.parametrize("loss", LOSSES)
def test_non_numeric_y(loss):
    with pytest.raises(TypeError, match=r"y must be numeric, got an array of dtype <U3"):
        loss(["0.1", "0.9"], 1)


def test_non_numeric_softmax_input():
    with pytest.raises(TypeError, match=r"a must be numeric, got an array of dtype object"):
        softmax(np.array([1.0, None]))


# --- networks --------------------------------------------------------------------

@pytest.fixture
def net():
    return TwoLayerNet(4, 3, 2, rng=0)


@pytest.mark.parametrize("method", ["predict", "loss", "gradient", "loss_and_gradient",
                                    "accuracy", "numerical_gradient"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_network_input(net, method, bad):
    x = np.ones((3, 4))
    x[1, 2] = bad
    args = (x,) if method == "predict" else (x, np.array([0, 1, 0]))
    with pytest.raises(ValueError, match=r"x contains 1 NaN or infinite value\(s\) "
                                         r"\(shape \(3, 4\)\)\. Expected finite numbers"):
        getattr(net, method)(*args)


@pytest.mark.parametrize("method", ["predict", "loss", "gradient"])
@pytest.mark.parametrize("shape", [(3, 5), (3, 3), (5,), (2, 3, 4)])
def test_wrong_input_width(net, method, shape):
    args = (np.ones(shape),) if method == "predict" else (np.ones(shape), np.array([0, 1, 0]))
    expected = rf"x must have shape \(4,\) or \(N, 4\), got \({shape[0]},"
    with pytest.raises(ValueError, match=expected + r".*Flatten images first"):
        getattr(net, method)(*args)


@pytest.mark.parametrize("method", ["predict", "loss", "gradient"])
def test_empty_network_batch(net, method):
    x = np.empty((0, 4))
    args = (x,) if method == "predict" else (x, np.empty(0, dtype=int))
    with pytest.raises(ValueError, match=r"x is empty \(shape \(0, 4\)\)\. "
                                         r"Expected at least one sample"):
        getattr(net, method)(*args)


@pytest.mark.parametrize("method", ["loss", "gradient", "accuracy"])
def test_network_target_errors(net, method):
    x = np.ones((3, 4))
    with pytest.raises(ValueError, match=r"0\.\.1 for 2 classes, got values from 0 to 2"):
        getattr(net, method)(x, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"t has shape \(2,\).*y of shape \(3, 2\)"):
        getattr(net, method)(x, np.array([0, 1]))
    with pytest.raises(TypeError, match=r"class labels must be integers, got dtype float64"):
        getattr(net, method)(x, np.array([0.0, 1.0, 1.0]))


def test_scalar_network_input(net):
    with pytest.raises(ValueError, match=r"x must have shape \(4,\) or \(N, 4\), got \(\)"):
        net.predict(np.float64(1.0))


@pytest.mark.parametrize("size", [0, -3, 2.5, "10", None])
def test_bad_layer_sizes(size):
    with pytest.raises(ValueError, match=rf"hidden_size must be a positive whole number, "
                                         rf"got {size!r}"):
        TwoLayerNet(4, size, 2)


def test_simple_net_wrong_W_shape():
    with pytest.raises(ValueError, match=r"W must have shape \(2, 3\), got \(3, 2\)"):
        SimpleNet(np.ones((3, 2)))


# --- train -----------------------------------------------------------------------

def _train(batch_size, n=10, iters_num=3):
    net = TwoLayerNet(4, 3, 2, rng=0)
    x, t = np.ones((n, 4)), np.zeros(n, dtype=int)
    return train(net, x, t, x, t, iters_num=iters_num, batch_size=batch_size, progress=False)


@pytest.mark.parametrize("batch_size", [11, 1000, -1, -20])
def test_train_rejects_a_bad_batch_size(batch_size):
    with pytest.raises(ValueError, match=rf"batch_size must be a whole number between 1 and the number of "
                                         rf"training samples \(10\), got {batch_size}"):
        _train(batch_size)


def test_train_on_an_empty_set():
    with pytest.raises(ValueError, match=r"training samples \(0\), got 5"):
        _train(5, n=0)


@pytest.mark.parametrize("batch_size", [0, 2.5])
def test_train_rejects_zero_or_fractional_batch_size(batch_size):
    with pytest.raises(ValueError, match=rf"batch_size .*got {batch_size}"):
        _train(batch_size)
