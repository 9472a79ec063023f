"""Numerical differentiation: the book's values, gradients, and the in-place nudge."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnguide import cross_entropy_error, numerical_diff, numerical_gradient, softmax

HYPOTHESIS = settings(max_examples=50, deadline=None, database=None)


def rel_error(a, n):
    """Norm-based relative error ||a - n|| / (||a|| + ||n||)."""
    a, n = np.asarray(a, dtype=np.float64), np.asarray(n, dtype=np.float64)
    return float(np.linalg.norm(a - n) / max(np.linalg.norm(a) + np.linalg.norm(n),
                                                np.finfo(float).tiny))


# --- numerical_diff --------------------------------------------------------------

def function_1(x):
    return 0.01 * x**2 + 0.1 * x


def test_numerical_diff_book_values():
    at_5 = numerical_diff(function_1, 5)
    partial_x0 = numerical_diff(lambda x0: x0 * x0 + 4.0**2.0, 3.0)
    assert at_5 == 0.1999999999990898
    assert partial_x0 == 6.00000000000378
    assert type(at_5) is float and type(partial_x0) is float


@pytest.mark.parametrize("x", [5, 5.0, np.float64(5.0), np.int64(5), np.array(5.0)])
def test_numerical_diff_accepts_any_real_scalar(x):
    value = numerical_diff(function_1, x)
    assert type(value) is float
    assert value == pytest.approx(0.2, rel=1e-10)


@pytest.mark.skipif(np.lib.NumpyVersion(np.__version__) < "2.0.0",
                    reason="numpy 1.x promotes np.float32(5.0) + 1e-4 to float64 "
                           "(NEP 50 came in 2.0)")
def test_numerical_diff_at_a_float32_point_shows_rounding_error():
    """In float32, x + 1e-4 is rounded, so the slope is only good to ~3 digits."""
    value = numerical_diff(function_1, np.float32(5.0))
    assert type(value) is float
    assert value == pytest.approx(0.2, rel=1e-2)
    assert value != pytest.approx(0.2, rel=1e-6)


def test_central_difference_beats_forward_difference():
    """The central difference errs like h**2, the forward difference like h."""
    h = 1e-4
    central = numerical_diff(math.exp, 1.0, h=h)
    forward = (math.exp(1.0 + h) - math.exp(1.0)) / h
    assert abs(central - math.e) < 1e-8
    assert abs(forward - math.e) > 1e-5
    assert abs(central - math.e) < abs(forward - math.e) / 100


# --- numerical_gradient ------------------------------------------------------------

def function_2(x):
    return np.sum(x**2)


@pytest.mark.parametrize("point, expected", [
    ([3.0, 4.0], [6.0, 8.0]),
    ([0.0, 2.0], [0.0, 4.0]),
    ([3.0, 0.0], [6.0, 0.0]),
])
def test_numerical_gradient_book_values(point, expected):
    grad = numerical_gradient(function_2, np.array(point))
    np.testing.assert_allclose(grad, expected, rtol=1e-10, atol=1e-10)


def test_numerical_gradient_of_a_matrix_keeps_shape_and_dtype():
    x = np.arange(6.0).reshape(2, 3)
    grad = numerical_gradient(function_2, x)
    assert grad.shape == (2, 3)
    assert grad.dtype == np.float64
    np.testing.assert_allclose(grad, 2 * x, atol=1e-9)
    assert not np.shares_memory(grad, x)


def test_numerical_gradient_of_a_float32_array():
    x = np.array([3.0, 4.0], dtype=np.float32)
    grad = numerical_gradient(function_2, x, h=1e-2)
    assert grad.dtype == np.float32
    np.testing.assert_allclose(grad, [6.0, 8.0], rtol=1e-3)


def test_numerical_gradient_works_on_a_non_contiguous_view():
    base = np.arange(12.0).reshape(3, 4)
    view = base[:, ::2]
    before = base.tobytes()
    grad = numerical_gradient(lambda w: np.sum(w**3), view)
    np.testing.assert_allclose(grad, 3 * view**2, rtol=1e-7, atol=1e-7)
    assert base.tobytes() == before


def test_numerical_gradient_lets_f_ignore_its_argument():
    """The book's ``lambda W: net.loss(x, t)`` reads the array from elsewhere."""
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    grad = numerical_gradient(lambda _: float(np.sum(W**2)), W)
    np.testing.assert_allclose(grad, 2 * W, rtol=1e-9)


def test_softmax_cross_entropy_gradient_agrees_with_numerical_gradient():
    """Oracle: d loss / d scores = (softmax(a) - t) / N, for the exact cross entropy.

    The book's ``log(y + 1e-7)`` scales each row's slope by ``y_t / (y_t + 1e-7)``
    (y_t: the right class's probability); with that factor written out, the
    numerical gradient of ``cross_entropy_error`` agrees to a norm-based relative
    error < 1e-7 (h = 1e-5; observed ~5e-11). Without it the mismatch is ~1e-6:
    the factor is what makes the comparison exact, not a loose tolerance.
    """
    worst, worst_without_factor = 0.0, 0.0
    for seed in range(5):
        rng = np.random.default_rng(seed)
        a = rng.standard_normal((4, 5))
        labels = rng.integers(0, 5, 4)
        y, one_hot = softmax(a), np.eye(5)[labels]
        y_t = y[np.arange(4), labels][:, None]
        exact = (y - one_hot) / 4
        with_delta = exact * y_t / (y_t + 1e-7)
        for t in (labels, one_hot):
            numeric = numerical_gradient(lambda s: cross_entropy_error(softmax(s), t), a, h=1e-5)
            worst = max(worst, rel_error(with_delta, numeric))
            worst_without_factor = max(worst_without_factor, rel_error(exact, numeric))
    assert worst < 1e-7
    assert worst_without_factor > 1e-7


def test_softmax_cross_entropy_gradient_of_the_exact_loss():
    """The same oracle against a delta-free loss written here, independently of nnguide."""
    worst = 0.0
    for seed in range(5):
        rng = np.random.default_rng(seed)
        a = rng.standard_normal((4, 5))
        labels = rng.integers(0, 5, 4)

        def exact_loss(s):
            shifted = s - s.max(axis=1, keepdims=True)
            log_y = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            return -np.mean(log_y[np.arange(4), labels])

        numeric = numerical_gradient(exact_loss, a, h=1e-5)
        analytic = (softmax(a) - np.eye(5)[labels]) / 4
        worst = max(worst, rel_error(analytic, numeric))
    assert worst < 1e-7


# --- the input is left bit for bit as it was --------------------------------------

float_arrays = hnp.arrays(
    dtype=st.sampled_from([np.float64, np.float32, np.float16]),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
    elements=st.floats(allow_nan=True, allow_infinity=True, width=16),
)


@HYPOTHESIS
@given(float_arrays)
def test_numerical_gradient_leaves_its_input_bit_identical(x):
    """Any float array: a gradient, or (where x + h rounds) a refusal before any nudge."""
    before = x.tobytes()
    seen = []

    def f(z):
        seen.append(z.tobytes())
        with np.errstate(all="ignore"):
            return float(np.sum(z.astype(np.float64) ** 2))

    try:
        with np.errstate(all="ignore"):
            grad = numerical_gradient(f, x)
    except ValueError as error:
        assert x.dtype != np.float64
        assert str(error).startswith(f"numerical_gradient: h must be a step that {x.dtype} "
                                     f"can resolve")
        assert "Use float64" in str(error)
        assert seen == []
    else:
        assert np.shape(grad) == x.shape
        if x.ndim:                        # a 0-d result becomes a Python float (check_args)
            assert grad.dtype == x.dtype
        assert len(seen) == 2 * x.size
    assert x.tobytes() == before


class Boom(Exception):
    pass


@HYPOTHESIS
@given(x=hnp.arrays(dtype=st.sampled_from([np.float64, np.float32]),
                    shape=hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
                    elements=st.floats(-1e6, 1e6, width=32)),
       data=st.data())
def test_input_is_restored_when_f_raises_midway(x, data):
    before = x.tobytes()
    fail_on = data.draw(st.integers(1, 2 * x.size), label="fail_on")
    calls = []

    def f(z):
        calls.append(z.copy())
        if len(calls) == fail_on:
            raise Boom(f"call {fail_on}")
        return 0.0

    with pytest.raises(Boom, match=f"call {fail_on}"):
        numerical_gradient(f, x, h=0.5)
    assert len(calls) == fail_on
    assert x.tobytes() == before
    # f really saw a nudged x when it raised (so the restore is what put it back).
    assert calls[-1].tobytes() != before


def test_input_is_restored_when_f_raises_on_its_third_call():
    x = np.array([3.0, 4.0, -0.0])
    before = x.tobytes()
    calls = []

    def f(z):
        calls.append(z.copy())
        if len(calls) == 3:
            raise RuntimeError("third call")
        return float(np.sum(z))

    with pytest.raises(RuntimeError, match="third call"):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(calls[2], [3.0, 4.0 + 1e-4, -0.0])
    assert x.tobytes() == before
    assert math.copysign(1.0, x[2]) == -1.0   # even the sign of -0.0 survives
