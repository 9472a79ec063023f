"""Activations and softmax: values, stability for any magnitude, derivatives."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnguide import numerical_diff, relu, sigmoid, sigmoid_grad, softmax, step_function

HYPOTHESIS = settings(max_examples=50, deadline=None, database=None)


def rel_error(a, n):
    """Relative error |a - n| / (|a| + |n|), as a float."""
    return abs(a - n) / max(abs(a) + abs(n), np.finfo(float).tiny)


# --- softmax -------------------------------------------------------------------

def test_softmax_book_example():
    y = softmax([0.3, 2.9, 4.0])
    np.testing.assert_allclose(y, [0.01821127, 0.24519181, 0.73659691], rtol=0, atol=5e-9)
    assert y.sum() == pytest.approx(1.0, abs=1e-15)


def test_softmax_keeps_shape_and_treats_rows_separately():
    a = np.array([[0.3, 2.9, 4.0], [1.0, 1.0, 1.0]])
    y = softmax(a)
    assert y.shape == (2, 3)
    np.testing.assert_array_equal(y[0], softmax(a[0]))
    np.testing.assert_allclose(y[1], [1 / 3] * 3, rtol=1e-15)


def test_softmax_ignores_a_constant_shift():
    a = np.array([0.3, 2.9, 4.0])
    np.testing.assert_allclose(softmax(a + 1000.0), softmax(a), rtol=1e-12)


def test_softmax_of_the_books_overflowing_example():
    """The naive exp(a) / sum(exp(a)) gives [nan, nan, nan] for [1010, 1000, 990]."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = softmax(np.array([1010.0, 1000.0, 990.0]))
    np.testing.assert_allclose(y, [9.99954600e-01, 4.53978686e-05, 2.06106005e-09],
                               rtol=1e-7, atol=5e-10)


def test_softmax_keeps_float32():
    assert softmax(np.array([1.0, 2.0], dtype=np.float32)).dtype == np.float32
    assert softmax([1, 2]).dtype == np.float64


@HYPOTHESIS
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, max_side=20),
                  elements=st.floats(-1e300, 1e300)))
def test_softmax_rows_are_probabilities_for_any_finite_magnitude(a):
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # overflow would be a RuntimeWarning
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            y = softmax(a)
    assert y.shape == a.shape
    assert np.all(np.isfinite(y))
    assert np.all((y >= 0) & (y <= 1))
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    # The largest score gets the largest probability.
    row_max = np.argmax(a, axis=-1)
    np.testing.assert_array_equal(np.take_along_axis(y, row_max[..., None], -1)[..., 0],
                                  y.max(axis=-1))


# --- sigmoid, step, relu ---------------------------------------------------------

def test_sigmoid_values():
    assert sigmoid(0.0) == 0.5
    assert type(sigmoid(0.0)) is float
    np.testing.assert_allclose(sigmoid(np.array([-1.0, 1.0, 2.0])),
                               [0.26894142, 0.73105858, 0.88079708], rtol=0, atol=5e-9)


@HYPOTHESIS
@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=10),
                  elements=st.floats(-1e300, 1e300)))
def test_sigmoid_never_overflows_and_is_symmetric(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = np.asarray(sigmoid(x))
        y_neg = np.asarray(sigmoid(-x))
    assert np.all((y >= 0) & (y <= 1))
    np.testing.assert_allclose(y + y_neg, 1.0, rtol=0, atol=1e-15)


def test_sigmoid_grad_agrees_with_numerical_diff():
    """Oracle: elementwise relative error < 1e-7 (h = 1e-5); observed <= ~1e-9."""
    worst = 0.0
    for x in np.linspace(-6.0, 6.0, 49):
        analytic = sigmoid_grad(float(x))
        numeric = numerical_diff(sigmoid, float(x), h=1e-5)
        worst = max(worst, rel_error(analytic, numeric))
    assert worst < 1e-7
    assert sigmoid_grad(0.0) == 0.25


def test_step_function_gives_integers():
    y = step_function(np.array([-1.0, 0.0, 0.5, 2.0]))
    np.testing.assert_array_equal(y, [0, 0, 1, 1])
    assert np.issubdtype(y.dtype, np.integer)


def test_step_function_has_zero_numerical_derivative_away_from_zero():
    """Why a step network cannot learn: its slope is 0 almost everywhere."""
    assert numerical_diff(lambda x: float(step_function(x)), 1.0) == 0.0
    assert numerical_diff(lambda x: float(step_function(x)), -1.0) == 0.0


def test_relu():
    np.testing.assert_array_equal(relu(np.array([-2.0, 0.0, 3.0])), [0.0, 0.0, 3.0])
