"""Loss functions: the book's values, every accepted form of ``t``, batches."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnguide import cross_entropy_error, mean_squared_error

DELTA = 1e-7  # the book's constant in log(y + 1e-7), a literal in cross_entropy_error
HYPOTHESIS = settings(max_examples=50, deadline=None, database=None)

# The book's notebook: the right answer is "2".
T = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
Y_RIGHT = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]   # 0.6 on "2"
Y_WRONG = [0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]   # 0.6 on "7"

LOSSES = [mean_squared_error, cross_entropy_error]


# --- the book's values, bit for bit -------------------------------------------

def test_mean_squared_error_book_values():
    right = mean_squared_error(np.array(Y_RIGHT), np.array(T))
    wrong = mean_squared_error(np.array(Y_WRONG), np.array(T))
    assert right == 0.09750000000000003
    assert wrong == 0.5975
    assert type(right) is float and type(wrong) is float

NUMPY_2 = np.lib.NumpyVersion(np.__version__) >= "2.0.0"


def test_cross_entropy_error_book_values():
    right = cross_entropy_error(np.array(Y_RIGHT), np.array(T))
    wrong = cross_entropy_error(np.array(Y_WRONG), np.array(T))
    assert right == 0.510825457099338
    if NUMPY_2:
        assert wrong == 2.302584092994546
    else:  # numpy 1.x's np.log differs from numpy 2's in the last bit here
        assert wrong == pytest.approx(2.302584092994546, rel=2 ** -51, abs=0)
    assert type(right) is float and type(wrong) is float


@pytest.mark.parametrize("loss", LOSSES)
def test_lists_give_the_same_value_as_arrays(loss):
    assert loss(Y_RIGHT, T) == loss(np.array(Y_RIGHT), np.array(T))
    assert loss(Y_WRONG, T) == loss(np.array(Y_WRONG), np.array(T))


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("label", [2, np.int64(2), np.array(2), [2], np.array([2]),
                                   np.array([[2]])])
def test_one_sample_label_forms_match_one_hot_exactly(loss, label):
    assert loss(Y_RIGHT, label) == loss(Y_RIGHT, T)


def test_cross_entropy_of_a_zero_probability_is_finite():
    """DELTA keeps log(0) from giving inf: the loss is -log(1e-7)."""
    y = np.array([1.0, 0.0, 0.0])
    assert cross_entropy_error(y, 1) == -math.log(DELTA)
    assert cross_entropy_error(y, [0, 1, 0]) == -math.log(DELTA)


def test_perfect_prediction_costs_almost_nothing():
    """A probability of exactly 1 costs -log(1 + DELTA): about -1e-7, slightly *negative*.

    That is the book's formula (the DELTA is added, not clipped); the loss is
    never lower than that.
    """
    y = np.eye(4)
    assert mean_squared_error(y, [0, 1, 2, 3]) == 0.0
    assert cross_entropy_error(y, [0, 1, 2, 3]) == float(-np.log(1.0 + DELTA))
    assert -1.0000001 * DELTA < cross_entropy_error(y, [0, 1, 2, 3]) < 0


# --- batches -------------------------------------------------------------------

def _batch():
    y = np.array([Y_RIGHT, Y_WRONG, [0.1] * 10])
    labels = np.array([2, 2, 5])
    return y, labels, np.eye(10)[labels]


@pytest.mark.parametrize("loss", LOSSES)
def test_batch_loss_is_the_mean_of_the_per_sample_losses(loss):
    y, labels, _ = _batch()
    per_sample = [loss(y[i], labels[i]) for i in range(len(y))]
    batch = loss(y, labels)
    assert type(batch) is float
    assert batch == pytest.approx(sum(per_sample) / 3, rel=1e-15)
    # Averaged over N, not summed: repeating the batch leaves it unchanged.
    assert loss(np.tile(y, (4, 1)), np.tile(labels, 4)) == pytest.approx(batch, rel=1e-15)


@pytest.mark.parametrize("loss", LOSSES)
def test_batch_target_forms_agree_exactly(loss):
    y, labels, one_hot = _batch()
    reference = loss(y, one_hot)
    assert loss(y, labels) == reference
    assert loss(y, labels.reshape(-1, 1)) == reference
    assert loss(y.tolist(), labels.tolist()) == reference
    assert loss(y.tolist(), one_hot.tolist()) == reference
    assert loss(y, one_hot.astype(bool)) == reference
    assert loss(y, one_hot.astype(np.int64)) == reference


def test_batch_book_values():
    y = np.array([Y_RIGHT, Y_WRONG])
    assert cross_entropy_error(y, [2, 2]) == pytest.approx(
        (0.510825457099338 + 2.302584092994546) / 2, rel=1e-15)
    assert mean_squared_error(y, [2, 2]) == pytest.approx((0.09750000000000003 + 0.5975) / 2,
                                                           rel=1e-15)


@pytest.mark.parametrize("loss", LOSSES)
def test_float32_output_gives_a_python_float(loss):
    y, labels, _ = _batch()
    value = loss(y.astype(np.float32), labels)
    assert type(value) is float
    assert value == pytest.approx(loss(y, labels), rel=1e-6)


@pytest.mark.parametrize("loss", LOSSES)
def test_losses_do_not_modify_their_arguments(loss):
    y, labels, one_hot = _batch()
    before = (y.tobytes(), labels.tobytes(), one_hot.tobytes())
    loss(y, labels)
    loss(y, one_hot)
    assert (y.tobytes(), labels.tobytes(), one_hot.tobytes()) == before


# --- properties ----------------------------------------------------------------

@st.composite
def outputs_and_labels(draw):
    n = draw(st.integers(1, 8))
    c = draw(st.integers(2, 12))  # with one class, (N, 1) labels would read as one-hot
    y = draw(hnp.arrays(np.float64, (n, c), elements=st.floats(0.0, 1.0)))
    labels = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    return y, labels


@HYPOTHESIS
@given(outputs_and_labels())
def test_losses_are_non_negative_and_target_forms_agree(data):
    y, labels = data
    one_hot = np.eye(y.shape[1])[labels]
    for loss in LOSSES:
        value = loss(y, labels)
        assert type(value) is float
        assert math.isfinite(value)
        if loss is mean_squared_error or np.all(y[np.arange(len(y)), labels] <= 1 - DELTA):
            assert value >= 0.0
        else:  # a right-class probability within DELTA of 1: -log(1 + DELTA) > -DELTA
            assert value >= -DELTA
        assert loss(y, one_hot) == value
        assert loss(y, labels[:, None]) == value
