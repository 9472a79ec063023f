"""The recorded training run (tools/training-history.json) is the recipe's, and the package's.

The training figures and the training notebooks show this run; it is recorded
once by ``make history``. It must be a run of today's recipe, complete, and
still what the package trains: the first epoch is trained again here (about
a second) and must give the recorded losses and accuracies.
"""

import math

import pytest

import make_history

RECIPE = make_history.RECIPE
TRAIN_SIZE = 60_000                     # MNIST's training images
ITERS_PER_EPOCH = TRAIN_SIZE // RECIPE["batch_size"]


@pytest.fixture(scope="module")
def history():
    return make_history.load()


def test_history_is_a_run_of_the_recipe(history):
    assert history["recipe"] == RECIPE, (
        f"{make_history.HISTORY.name} records a run of {history['recipe']}, the recipe is now "
        f"{RECIPE}: run {make_history.REGENERATE}")


def test_history_has_every_iteration_and_epoch(history):
    assert len(history["train_loss"]) == RECIPE["iters_num"]
    epochs = RECIPE["iters_num"] // ITERS_PER_EPOCH
    for key in ("train_acc", "test_acc"):
        assert len(history[key]) == epochs + 1, f"{key}: epoch 0 and each of {epochs} epochs"
        assert all(0.0 <= acc <= 1.0 for acc in history[key]), key
    assert history["train_loss"][0] == pytest.approx(math.log(10), abs=0.05)  # a 10-way guess
    assert history["test_acc"][0] < 0.2 < 0.9 < history["test_acc"][-1]


@pytest.mark.slow
def test_history_is_what_the_package_trains(history, mnist_dir):
    """Epoch 0 and the first epoch, trained again, match the record."""
    now = make_history.train(iters_num=ITERS_PER_EPOCH, data_dir=mnist_dir)
    run = f"run {make_history.REGENERATE}"
    for i, (recorded, new) in enumerate(zip(history["train_loss"], now.train_loss)):
        assert new == pytest.approx(recorded, rel=1e-4), (
            f"the package now trains differently from the recorded run: the loss of "
            f"iteration {i + 1} is {new:.6g}, recorded {recorded:.6g}; {run}")
    for key in ("train_acc", "test_acc"):
        recorded, new = history[key][:2], getattr(now, key)
        assert new == pytest.approx(recorded, abs=2e-4), (
            f"{key} at epochs 0 and 1 is {new}, recorded {recorded}; {run}")
