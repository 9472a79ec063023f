"""Bad input, searched for: whatever a careless reader passes, the answer is right or refused.

Each property gives a public function arbitrary input (any dtype, any shape,
NaN, infinities, huge numbers; any Python value for a number argument) and
accepts exactly two outcomes: a result that agrees with an independent
computation written here (NaN only where the input makes NaN the honest
answer), or a ``TypeError``/``ValueError`` raised by nnguide's own checks whose
message starts with the function and names the argument. An error from deep
inside numpy or Python, or a wrong number, fails.
"""

import math
import re
import traceback
from pathlib import Path

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnguide
from nnguide import (
    TwoLayerNet, cross_entropy_error, gradient_descent, mean_squared_error, numerical_diff,
    numerical_gradient, relu, sigmoid, sigmoid_grad, softmax, step_function, train,
)

PACKAGE_DIR = Path(nnguide.__file__).resolve().parent
SEARCH = settings(max_examples=60, deadline=None, database=None)

DTYPES = [np.float16, np.float32, np.float64, np.int8, np.int64, np.uint8, np.bool_,
          np.complex128]
VALUES = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=16),
                   st.sampled_from([0.0, 0.5, 1.0, -1.0, 255.0, 1e4, -1e4, 3e38, 1e300]))


ANY_SHAPE = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)
ROWS = hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=4)   # (C,) or (N, C)
NETWORK_INPUT = st.sampled_from([(4,), (1, 4), (3, 4)])


@st.composite
def any_array(draw, shapes=ANY_SHAPE):
    """Any dtype, any shape up to 3-D (empty too), any values (NaN, inf, huge).

    ``shapes``: shapes the function takes are drawn half of the time.
    """
    dtype = draw(st.sampled_from(DTYPES))
    shape = draw(st.one_of(shapes, ANY_SHAPE))
    values = draw(hnp.arrays(np.float64, shape, elements=VALUES))
    if np.dtype(dtype).kind in "iub":
        values = np.nan_to_num(values, posinf=3, neginf=-3).clip(-100, 100)
    with np.errstate(all="ignore"):
        return values.astype(dtype)


ANY_ARRAY = any_array()


def refusal(error):
    """``"function: argument"`` of a clean refusal by nnguide's checks (else the test fails)."""
    assert isinstance(error, (TypeError, ValueError)), repr(error)
    message = str(error)
    raised_in = Path(traceback.extract_tb(error.__traceback__)[-1].filename).resolve()
    assert raised_in.parent == PACKAGE_DIR, f"raised in {raised_in}: {message}"
    assert "\n" not in message
    match = re.match(r"([\w.]+): (\w+) must be .+, got .+", message)
    assert match, message
    return f"{match[1]}: {match[2]}"


def call(function, *args, **kwargs):
    """(result, None) or (None, error); floating-point warnings are not errors here."""
    with np.errstate(all="ignore"):
        try:
            result = function(*args, **kwargs)
        except (TypeError, ValueError) as error:
            event(f"refused: {type(error).__name__}")
            return None, error
    event("accepted")
    return result, None


def as_float64(x):
    return np.asarray(x).astype(np.float64)


def close(result, expected, dtype):
    """Equal up to the rounding of ``dtype`` (NaN where expected is NaN)."""
    tol = {np.dtype(np.float16): 2e-3, np.dtype(np.float32): 1e-6}.get(np.dtype(dtype), 1e-12)
    np.testing.assert_allclose(as_float64(result), expected, rtol=tol, atol=tol, equal_nan=True)


def result_dtype(x):
    x = np.asarray(x)
    return x.dtype if x.dtype.kind == "f" else np.float64


# --- element-wise functions ------------------------------------------------------------

ELEMENTWISE = {
    "sigmoid": (sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    "sigmoid_grad": (sigmoid_grad, lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2),
    "relu": (relu, lambda x: np.where(np.isnan(x), np.nan, np.maximum(x, 0))),
    "step_function": (step_function, lambda x: (x > 0).astype(np.float64)),
}


@pytest.mark.parametrize("name", ELEMENTWISE)
@SEARCH
@given(x=ANY_ARRAY)
def test_elementwise_functions_are_right_or_refuse(name, x):
    function, oracle = ELEMENTWISE[name]
    result, error = call(function, x)
    if error is not None:
        assert refusal(error) == f"{name}: x"
        kind = x.dtype.kind
        assert kind in "bc" or (name == "step_function" and np.isnan(x).any()), error
        return
    assert np.shape(result) == x.shape
    with np.errstate(all="ignore"):
        expected = oracle(as_float64(x))
    if name == "sigmoid_grad":      # exp(-x) overflows for x < -710: the limit is 0
        expected = np.where(as_float64(x) < -700, 0.0, expected)
    close(result, expected, result_dtype(x))


# --- softmax ------------------------------------------------------------------------------

def softmax_oracle(a):
    """Row by row in float64: exp(a - max) / sum; a row with NaN is all NaN."""
    a = np.atleast_2d(a)
    out = np.full(a.shape, np.nan)
    for i, row in enumerate(a):
        if not np.isnan(row).any():
            e = np.exp(row - row.max())
            out[i] = e / e.sum()
    return out


@SEARCH
@given(a=any_array(ROWS))
def test_softmax_is_right_or_refuses(a):
    result, error = call(softmax, a)
    if error is not None:
        assert refusal(error) == "softmax: a"
        return
    assert a.dtype.kind in "iuf" and a.ndim in (1, 2) and a.size
    # +inf is refused, except in a row with NaN: that row gives NaN (NaN in, NaN out).
    rows = np.atleast_2d(a)
    assert not np.isposinf(rows[~np.isnan(rows).any(axis=1)]).any()
    expected = softmax_oracle(as_float64(a)).reshape(a.shape)
    close(result, expected, result_dtype(a))


# --- losses -------------------------------------------------------------------------------

@st.composite
def outputs_and_labels(draw):
    y = draw(any_array(ROWS))
    c = y.shape[-1] if y.ndim else 1
    n = y.shape[0] if y.ndim == 2 else 1
    labels = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, max(c - 1, 0))))
    return y, labels


@pytest.mark.parametrize("name", ["mean_squared_error", "cross_entropy_error"])
@SEARCH
@given(data=outputs_and_labels())
def test_losses_of_any_output_are_right_or_refuse(name, data):
    y, labels = data
    loss = {"mean_squared_error": mean_squared_error, "cross_entropy_error": cross_entropy_error}
    result, error = call(loss[name], y, labels)
    if error is not None:
        assert refusal(error) == f"{name}: y"
        return
    assert y.dtype.kind in "iuf" and y.ndim in (1, 2) and y.size
    assert type(result) is float
    if y.dtype == np.float16:
        return       # float16 rounds the 1e-7 and overflows (y - t)**2: only "no crash"
    y64 = np.atleast_2d(as_float64(y))
    n, c = y64.shape
    with np.errstate(all="ignore"):
        if name == "mean_squared_error":
            expected = 0.5 * np.sum((y64 - np.eye(c)[labels]) ** 2) / n
        else:
            assert not ((y64 < 0) | (y64 > 1)).any()      # not probabilities: refused
            expected = -np.sum(np.log(y64[np.arange(n), labels] + 1e-7)) / n
    if abs(expected) > np.finfo(result_dtype(y)).max:
        assert result == math.copysign(math.inf, expected)   # overflows in float32: honest
        return
    close(result, expected, result_dtype(y))


def read_targets(t, n, c):
    """The labels ``t`` stands for, by the documented forms; None if it is none of them."""
    if (t.shape == (n, c) or (n == 1 and t.shape == (c,))) and c > 1:
        rows = t.reshape(n, c)
        if ((rows == 0) | (rows == 1)).all() and (rows.sum(axis=1) == 1).all():
            return rows.argmax(axis=1)
        return None
    if t.shape in ((n,), (n, 1)) or (n == 1 and t.ndim == 0):
        if t.dtype.kind in "iu" and t.size and (t >= 0).all() and (t < c).all():
            return t.reshape(n)
    return None


@st.composite
def probabilities_and_targets(draw):
    n, c = draw(st.integers(1, 4)), draw(st.integers(2, 4))
    y = draw(hnp.arrays(np.float64, (n, c), elements=st.floats(0, 1)))
    shape = draw(st.sampled_from([(n,), (n, 1), (n, c), (c,), (), (n + 1,), (n, c + 1), (0,)]))
    dtype = draw(st.sampled_from([np.int64, np.uint8, np.float64, np.bool_]))
    t = draw(hnp.arrays(dtype, shape, elements=st.integers(-1, c).map(float)
                        if dtype == np.float64 else None))
    if draw(st.booleans()) and (shape == (n, c) or shape == (c,) and n == 1):
        t = np.eye(c, dtype=dtype)[draw(hnp.arrays(np.int64, (n,), elements=st.integers(
            0, c - 1)))].reshape(shape)                    # often a real one-hot
    return y, t


@pytest.mark.parametrize("name", ["mean_squared_error", "cross_entropy_error"])
@SEARCH
@given(data=probabilities_and_targets())
def test_losses_of_any_targets_are_right_or_refuse(name, data):
    y, t = data
    loss = {"mean_squared_error": mean_squared_error, "cross_entropy_error": cross_entropy_error}
    result, error = call(loss[name], y, t)
    labels = read_targets(t, *y.shape)
    if error is not None:
        assert refusal(error) == f"{name}: t"
        assert labels is None, f"{t!r} was refused: {error}"
        return
    assert labels is not None, f"{t!r} was accepted"
    n, c = y.shape
    if name == "mean_squared_error":
        expected = 0.5 * np.sum((y - np.eye(c)[labels]) ** 2) / n
    else:
        expected = -np.sum(np.log(y[np.arange(n), labels] + 1e-7)) / n
    assert result == pytest.approx(expected, rel=1e-12, abs=1e-15)


# --- a network ------------------------------------------------------------------------------

NET = TwoLayerNet(4, 3, 2, rng=0, weight_init_std=1.0)


def scores_oracle(x):
    """The network's scores a2 for x, in float64, written out here."""
    p = NET.params
    z1 = 1 / (1 + np.exp(-(np.atleast_2d(x) @ p["W1"] + p["b1"])))
    return z1 @ p["W2"] + p["b2"]


@SEARCH
@given(x=any_array(NETWORK_INPUT))
def test_a_network_predicts_right_or_refuses(x):
    result, error = call(NET.predict, x)
    if error is not None:
        assert refusal(error) == "TwoLayerNet.predict: x"
        return
    assert x.shape in ((4,), (len(x), 4)) and x.size and x.dtype.kind in "iuf"
    with np.errstate(all="ignore"):
        expected = softmax_oracle(scores_oracle(as_float64(x))).reshape(np.shape(result))
    close(result, expected, np.float64)


@SEARCH
@given(x=any_array(NETWORK_INPUT), seed=st.integers(0, 3))
def test_an_accuracy_is_right_or_refused(x, seed):
    """argmax of NaN is 0: an accuracy of non-finite input is refused, never a number."""
    n = len(x) if x.ndim == 2 else 1
    labels = np.random.default_rng(seed).integers(0, 2, n)
    result, error = call(NET.accuracy, x, labels)
    if error is not None:
        assert refusal(error) == "TwoLayerNet.accuracy: x"
        return
    assert np.isfinite(x).all()
    with np.errstate(all="ignore"):
        predicted = np.argmax(scores_oracle(as_float64(x)), axis=1)   # softmax keeps the order
    assert result == np.mean(predicted == labels)


# --- numbers: every Python value for every number argument -----------------------------

ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.text(max_size=3), st.integers(-10, 10),
    st.integers(10 ** 300, 10 ** 320), st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(max_magnitude=10), st.lists(st.floats(0, 1), max_size=2),
    st.sampled_from([np.float32(0.1), np.int64(3), np.array(0.5), np.array([1, 2]), object()]))


def positive(v):
    """A real number (not bool), finite and > 0: what a rate or a step must be."""
    if isinstance(v, (bool, np.bool_)) or not (
            isinstance(v, (int, float, np.integer, np.floating))
            or (isinstance(v, np.ndarray) and v.ndim == 0 and v.dtype.kind in "iuf")):
        return False
    try:
        return math.isfinite(float(v)) and float(v) > 0
    except OverflowError:
        return False


def resolvable_at_1(h):
    """The documented step rule at x = 1.0: (1 + h) - (1 - h) is within 1% of 2h."""
    with np.errstate(all="ignore"):
        h = np.float64(h)
        return bool(abs(((1.0 + h) - (1.0 - h)) - 2 * h) <= 0.01 * (2 * h))


def is_count(v, least):
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= least


NUMBER_ARGUMENTS = {
    "gradient_descent: lr": (lambda v: gradient_descent(np.sum, [1.0], lr=v, step_num=1),
                             positive),
    "numerical_diff: h": (lambda v: numerical_diff(math.sin, 1.0, h=v),
                          lambda v: positive(v) and resolvable_at_1(v)),
    "TwoLayerNet: weight_init_std": (lambda v: TwoLayerNet(2, 2, 2, weight_init_std=v),
                                     positive),
    "TwoLayerNet: hidden_size": (lambda v: TwoLayerNet(2, v, 2), lambda v: is_count(v, 1)
                                 and v < 1000),
    "gradient_descent: step_num": (lambda v: gradient_descent(np.sum, [1.0], step_num=v),
                                   lambda v: is_count(v, 0) and v < 1000),
    "train: iters_num": (lambda v: train(TwoLayerNet(2, 2, 2, rng=0), np.ones((4, 2)),
                                         [0, 1, 0, 1], np.ones((2, 2)), [0, 1], iters_num=v,
                                         batch_size=2, progress=False),
                         lambda v: is_count(v, 0) and v < 1000),
}


@pytest.mark.parametrize("where", NUMBER_ARGUMENTS)
@SEARCH
@given(value=ANY_VALUE)
def test_number_arguments_take_exactly_the_valid_values(where, value):
    run, valid = NUMBER_ARGUMENTS[where]
    if isinstance(value, int) and not isinstance(value, bool) and value > 1000 \
            and where.endswith(("hidden_size", "step_num", "iters_num")):
        return                                     # a valid but huge size: nothing to learn
    result, error = call(run, value)
    if error is None:
        assert valid(value), f"{value!r} was accepted"
    else:
        assert refusal(error) == where
        assert not valid(value), f"{value!r} was refused: {error}"


# --- numerical_gradient: where x + h rounds ----------------------------------------------

@SEARCH
@given(x=hnp.arrays(st.sampled_from([np.float16, np.float32, np.float64]),
                    hnp.array_shapes(min_dims=1, max_dims=2, max_side=3),
                    elements=st.floats(-6e4, 6e4, width=16)),
       h=st.sampled_from([1e-4, 1e-2, 1e-6]))
def test_numerical_gradient_refuses_a_step_that_rounds(x, h):
    """Refused exactly where x + h and x - h are not 2h apart (1% tolerance)."""
    before = x.tobytes()
    result, error = call(numerical_gradient, lambda z: float(np.sum(z.astype(np.float64))),
                         x, h)
    with np.errstate(all="ignore"):
        step = (x + x.dtype.type(h)).astype(np.float64) - (x - x.dtype.type(h))
    rounds = bool((np.abs(step - 2 * h) > 0.01 * 2 * h).any()) and x.dtype != np.float64
    assert x.tobytes() == before
    if error is not None:
        assert refusal(error) == "numerical_gradient: h"
        assert rounds
        return
    assert not rounds
    np.testing.assert_allclose(result, 1.0, rtol=0.011)   # d(sum x)/dx = 1, step 1% off at most
