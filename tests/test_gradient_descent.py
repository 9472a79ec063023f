"""Gradient descent on the book's bowl f(x0, x1) = x0**2 + x1**2."""

import numpy as np

from nnguide import gradient_descent, gradient_descent_path


def function_2(x):
    return x[0] ** 2 + x[1] ** 2


def test_book_value():
    x = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=0.1, step_num=100)
    np.testing.assert_allclose(x, [-6.11110793e-10, 8.14814391e-10], rtol=1e-8)


def test_reaches_the_origin():
    x = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=0.1, step_num=100)
    assert x.shape == (2,)
    assert np.linalg.norm(x) < 1e-8
    assert function_2(x) < 1e-17


def test_does_not_modify_init_x():
    init_x = np.array([-3.0, 4.0])
    before = init_x.tobytes()
    gradient_descent(function_2, init_x, lr=0.1, step_num=10)
    gradient_descent_path(function_2, init_x, lr=0.1, step_num=10)
    assert init_x.tobytes() == before


def test_accepts_a_list_and_an_integer_array():
    expected = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=0.1, step_num=20)
    np.testing.assert_array_equal(gradient_descent(function_2, [-3, 4], lr=0.1, step_num=20),
                                  expected)
    int_x = np.array([-3, 4])
    np.testing.assert_array_equal(gradient_descent(function_2, int_x, lr=0.1, step_num=20),
                                  expected)
    np.testing.assert_array_equal(int_x, [-3, 4])


def test_path_shape_first_row_and_last_row():
    init_x = np.array([-3.0, 4.0])
    path = gradient_descent_path(function_2, init_x, lr=0.1, step_num=20)
    assert path.shape == (21, 2)
    np.testing.assert_array_equal(path[0], init_x)
    np.testing.assert_array_equal(path[-1],
                                  gradient_descent(function_2, init_x, lr=0.1, step_num=20))


def test_path_follows_the_exact_geometric_decay():
    """On x0**2 + x1**2 each step multiplies x by (1 - 2 * lr) = 0.8."""
    init_x = np.array([-3.0, 4.0])
    path = gradient_descent_path(function_2, init_x, lr=0.1, step_num=30)
    expected = init_x * 0.8 ** np.arange(31)[:, None]
    np.testing.assert_allclose(path, expected, rtol=1e-6, atol=1e-12)
    # Every step goes downhill.
    values = path[:, 0] ** 2 + path[:, 1] ** 2
    assert np.all(np.diff(values) < 0)


def test_zero_steps_return_the_start():
    path = gradient_descent_path(function_2, np.array([-3.0, 4.0]), lr=0.1, step_num=0)
    assert path.shape == (1, 2)
    np.testing.assert_array_equal(path[0], [-3.0, 4.0])


def test_matrix_shaped_point():
    init = np.array([[1.0, -2.0], [3.0, 0.5]])
    x = gradient_descent(lambda w: np.sum(w**2), init, lr=0.1, step_num=200)
    assert x.shape == (2, 2)
    assert np.max(np.abs(x)) < 1e-15
    assert gradient_descent_path(lambda w: np.sum(w**2), init, step_num=3).shape == (4, 2, 2)


def test_too_large_a_learning_rate_diverges():
    """The book: lr = 10.0 gives [-2.58983747e+13, -1.29524862e+12]."""
    x = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=10.0, step_num=100)
    assert np.max(np.abs(x)) > 1e10
    np.testing.assert_allclose(x, [-2.58983747e13, -1.29524862e12], rtol=1e-3)


def test_too_small_a_learning_rate_barely_moves():
    """The book: lr = 1e-10 gives [-2.99999994, 3.99999992]."""
    init_x = np.array([-3.0, 4.0])
    x = gradient_descent(function_2, init_x, lr=1e-10, step_num=100)
    assert np.any(x != init_x)                       # it did move ...
    np.testing.assert_allclose(x, init_x, atol=1e-6)  # ... but hardly at all
    np.testing.assert_allclose(x, [-2.99999994, 3.99999992], rtol=0, atol=1e-8)

