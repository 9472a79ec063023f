"""Mini-batch training on a small separable problem and its bookkeeping."""

import numpy as np
import pytest

from nnguide import TrainingHistory, TwoLayerNet, train
from nnguide.train import batch_indices, chunked_accuracy, sgd_step


def blobs(n, rng, dim=20):
    """Two gaussian blobs in ``dim`` dimensions, centred at -1 and +1."""
    labels = rng.integers(0, 2, n)
    x = rng.standard_normal((n, dim)) + np.where(labels[:, None] == 1, 1.0, -1.0)
    return x, labels


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    x_train, t_train = blobs(200, rng)
    x_test, t_test = blobs(100, rng)
    return x_train, t_train, x_test, t_test


def run(data, iters_num=100, batch_size=20, rng=1, net_seed=0, **kwargs):
    net = TwoLayerNet(20, 10, 2, rng=net_seed)
    history = train(net, *data, iters_num=iters_num, batch_size=batch_size,
                    learning_rate=0.1, rng=rng, progress=False, **kwargs)
    return net, history


def test_training_reduces_the_loss_and_learns(data):
    x_train, t_train, x_test, t_test = data
    net = TwoLayerNet(20, 10, 2, rng=0)
    acc_before = net.accuracy(x_test, t_test)
    net, history = run(data)
    assert isinstance(history, TrainingHistory)
    assert np.mean(history.train_loss[-10:]) < 0.25 * np.mean(history.train_loss[:10])
    assert history.train_loss[0] == pytest.approx(np.log(2), rel=0.05)   # a coin toss at first
    assert history.train_acc[-1] >= 0.95
    assert history.test_acc[-1] >= 0.95
    assert acc_before < 0.8
    assert net.accuracy(x_test, t_test) == history.test_acc[-1]
    assert all(type(v) is float for v in history.train_loss)


@pytest.mark.parametrize("n, batch_size, iters_num, epochs", [
    (200, 20, 35, 3),     # 10 batches an epoch: 3 full epochs
    (200, 20, 40, 4),     # exactly 4
    (200, 30, 13, 2),     # 6 batches an epoch (200 // 30), the short last batch dropped: 2
    (200, 200, 3, 3),     # one batch is the whole set: 3
    (200, 20, 9, 0),      # not even one epoch: 0
    (200, 20, 0, 0),      # no training at all: only the accuracy before it
])
def test_history_lengths(data, n, batch_size, iters_num, epochs):
    """One accuracy before training (epoch 0), then one after every full epoch."""
    x_train, t_train, x_test, t_test = data
    net = TwoLayerNet(20, 10, 2, rng=0)
    before = (net.accuracy(x_train[:n], t_train[:n]), net.accuracy(x_test, t_test))
    history = train(net, x_train[:n], t_train[:n], x_test, t_test, iters_num=iters_num,
                    batch_size=batch_size, rng=0, progress=False)
    assert len(history.train_loss) == iters_num
    assert len(history.train_acc) == epochs + 1
    assert len(history.test_acc) == epochs + 1
    assert (history.train_acc[0], history.test_acc[0]) == before


def test_the_books_recipe_records_17_accuracies(data):
    """10,000 iterations of 100 samples out of 60,000: 600 an epoch, 16 epochs and 400
    iterations more, so 17 accuracies (epoch 0 too). Scaled down 100 times here:
    100 iterations of 10 samples out of 60 (6 an epoch, 16 epochs and 4 more)."""
    x_train, t_train, x_test, t_test = data
    net = TwoLayerNet(20, 10, 2, rng=0)
    calls = []
    history = train(net, x_train[:60], t_train[:60], x_test, t_test, iters_num=100,
                    batch_size=10, rng=0, progress=False, log=lambda *args: calls.append(args[0]))
    assert len(history.train_loss) == 100
    assert len(history.train_acc) == len(history.test_acc) == 17
    assert calls == list(range(17))


def test_same_seed_same_run(data):
    net_a, a = run(data, iters_num=30, rng=5)
    net_b, b = run(data, iters_num=30, rng=5)
    assert a.train_loss == b.train_loss
    assert a.train_acc == b.train_acc and a.test_acc == b.test_acc
    for key in net_a.params:
        assert net_a.params[key].tobytes() == net_b.params[key].tobytes()
    _, c = run(data, iters_num=30, rng=6)
    assert c.train_loss != a.train_loss
    _, d = run(data, iters_num=30, rng=np.random.default_rng(5))
    assert d.train_loss == a.train_loss


def test_one_hot_targets_train_the_same_way(data):
    x_train, t_train, x_test, t_test = data
    _, labels_run = run(data, iters_num=20)
    net = TwoLayerNet(20, 10, 2, rng=0)
    one_hot_run = train(net, x_train, np.eye(2)[t_train], x_test, np.eye(2)[t_test],
                        iters_num=20, batch_size=20, learning_rate=0.1, rng=1, progress=False)
    np.testing.assert_allclose(one_hot_run.train_loss, labels_run.train_loss, rtol=1e-12)
    assert one_hot_run.test_acc == labels_run.test_acc


def test_log_is_called_before_training_and_after_every_epoch(data):
    calls = []
    _, history = run(data, iters_num=35, log=lambda *args: calls.append(args))
    assert [c[0] for c in calls] == [0, 1, 2, 3]
    assert [c[1] for c in calls] == history.train_acc
    assert [c[2] for c in calls] == history.test_acc


def test_progress_false_prints_nothing(data, capsys):
    run(data, iters_num=15)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


@pytest.mark.parametrize("n, batch_size", [(20, 5), (23, 5), (7, 7), (10, 1)])
def test_batch_indices_visit_every_sample_once_per_epoch(n, batch_size):
    batches = batch_indices(n, batch_size, np.random.default_rng(0))
    per_epoch = n // batch_size
    orders = []
    for _ in range(3):
        epoch = np.concatenate([next(batches) for _ in range(per_epoch)])
        assert len(epoch) == per_epoch * batch_size
        assert len(set(epoch.tolist())) == len(epoch)          # no sample twice
        assert set(epoch.tolist()) <= set(range(n))
        if n % batch_size == 0:
            assert sorted(epoch.tolist()) == list(range(n))    # every sample once
        orders.append(epoch.tolist())
    assert orders[0] != orders[1]                              # reshuffled each epoch
    assert all(len(next(batches)) == batch_size for _ in range(5))


def test_sgd_step_goes_downhill(data):
    x_train, t_train, _, _ = data
    net = TwoLayerNet(20, 10, 2, rng=0, weight_init_std=0.5)
    x, t = x_train[:50], t_train[:50]
    before = net.loss(x, t)
    returned = sgd_step(net, x, t, learning_rate=0.1)
    # loss_and_gradient sums t * log(y + 1e-7); loss() picks y[rows, t]: last bits differ.
    assert returned == pytest.approx(before, rel=1e-14)
    assert net.loss(x, t) < before


@pytest.mark.parametrize("chunk_size", [1, 7, 100, 10000])
def test_chunked_accuracy_matches_accuracy(data, chunk_size):
    x_train, t_train, _, _ = data
    net = TwoLayerNet(20, 10, 2, rng=0, weight_init_std=0.5)
    assert chunked_accuracy(net, x_train, t_train, chunk_size) == pytest.approx(
        net.accuracy(x_train, t_train), abs=1e-12)
