"""SimpleNet and TwoLayerNet: the book's values, rng handling, gradient oracles."""

import re
from pathlib import Path

import numpy as np
import pytest

import nnguide
from nnguide import SimpleNet, TwoLayerNet, cross_entropy_error, numerical_gradient, softmax

PACKAGE_DIR = Path(nnguide.__file__).resolve().parent

# Oracle settings: the analytic gradients must match central differences of
# the exact loss (written below, independently of nnguide) to a norm-based
# relative error ||a - n|| / (||a|| + ||n||) below 1e-7, per parameter, with
# h = 1e-5 (worst observed over 100 seeds: ~5e-10).
ORACLE_H = 1e-5
ORACLE_TOL = 1e-7


def rel_error(a, n):
    """Norm-based relative error ||a - n|| / (||a|| + ||n||)."""
    a, n = np.asarray(a, dtype=np.float64), np.asarray(n, dtype=np.float64)
    return float(np.linalg.norm(a - n) / max(np.linalg.norm(a) + np.linalg.norm(n),
                                                np.finfo(float).tiny))


# --- SimpleNet: the book's session ---------------------------------------------

BOOK_W = [[1.11618769, 0.10679615, 1.39532972], [-1.46325012, -1.1249419, 0.63860369]]
BOOK_X = np.array([0.6, 0.9])
BOOK_T = np.array([0, 0, 1])


def test_simple_net_book_values():
    net = SimpleNet(BOOK_W)
    p = net.predict(BOOK_X)
    np.testing.assert_allclose(p, [-0.64721249, -0.94837002, 1.41194115], rtol=0, atol=1e-8)
    assert np.argmax(p) == 2
    loss = net.loss(BOOK_X, BOOK_T)
    assert type(loss) is float
    assert loss == pytest.approx(-np.log(softmax(p)[2] + 1e-7), rel=1e-15)


def test_simple_net_numerical_gradient_book_values():
    net = SimpleNet(BOOK_W)
    W_before = net.W.tobytes()
    dW = numerical_gradient(lambda W: net.loss(BOOK_X, BOOK_T), net.W)
    np.testing.assert_allclose(dW, [[0.06263509, 0.04634754, -0.10898263],
                                    [0.09395264, 0.06952131, -0.16347395]], rtol=0, atol=1e-8)
    assert net.W.tobytes() == W_before
    # Rows sum to zero: softmax scores can all shift together without changing the loss.
    np.testing.assert_allclose(dW.sum(axis=1), 0.0, atol=1e-9)


def test_simple_net_copies_W_and_draws_from_its_rng():
    W = np.array(BOOK_W)
    net = SimpleNet(W)
    W[0, 0] = 99.0
    assert net.W[0, 0] == 1.11618769
    np.testing.assert_array_equal(SimpleNet(rng=3).W, SimpleNet(rng=3).W)
    assert not np.array_equal(SimpleNet(rng=3).W, SimpleNet(rng=4).W)
    assert SimpleNet(rng=3).W.shape == (2, 3)


# --- TwoLayerNet: parameters and random numbers ------------------------------------

def test_two_layer_net_params():
    net = TwoLayerNet(784, 50, 10, rng=0)
    assert set(net.params) == {"W1", "b1", "W2", "b2"}
    assert net.params["W1"].shape == (784, 50)
    assert net.params["b1"].shape == (50,)
    assert net.params["W2"].shape == (50, 10)
    assert net.params["b2"].shape == (10,)
    for value in net.params.values():
        assert value.dtype == np.float64
    assert not net.params["b1"].any() and not net.params["b2"].any()
    assert np.std(net.params["W1"]) == pytest.approx(0.01, rel=0.05)


def test_same_seed_gives_identical_params():
    a, b = TwoLayerNet(6, 4, 3, rng=42), TwoLayerNet(6, 4, 3, rng=42)
    for key in a.params:
        assert a.params[key].tobytes() == b.params[key].tobytes()
    g1, g2 = np.random.default_rng(7), np.random.default_rng(7)
    c, d = TwoLayerNet(6, 4, 3, rng=g1), TwoLayerNet(6, 4, 3, rng=g2)
    assert c.params["W1"].tobytes() == d.params["W1"].tobytes()
    assert not np.array_equal(TwoLayerNet(6, 4, 3, rng=1).params["W1"], a.params["W1"])


def test_the_global_numpy_random_state_is_not_touched():
    before = np.random.get_state()
    net = TwoLayerNet(5, 4, 3)                 # no rng: fresh entropy, not np.random
    TwoLayerNet(5, 4, 3, rng=0)
    SimpleNet()
    x = np.ones((3, 5))
    net.gradient(x, [0, 1, 2])
    nnguide.train(net, np.ones((10, 5)), np.zeros(10, dtype=int), x, [0, 1, 2],
                  iters_num=3, batch_size=5, progress=False)
    after = np.random.get_state()
    assert before[0] == after[0]
    np.testing.assert_array_equal(before[1], after[1])
    assert before[2:] == after[2:]


def test_package_source_uses_no_global_numpy_random():
    """Only np.random.default_rng / Generator: never np.random.seed, rand, ..."""
    pattern = re.compile(r"\b(?:np|numpy)\.random\.(?!default_rng\b|Generator\b)\w+"
                         r"|from\s+numpy\.random\s+import|^\s*(?:import|from)\s+random\b",
                         re.MULTILINE)
    sources = sorted(PACKAGE_DIR.rglob("*.py"))
    assert len(sources) >= 9
    offenders = {str(p.relative_to(PACKAGE_DIR)): pattern.findall(p.read_text(encoding="utf-8"))
                 for p in sources}
    assert {name: hits for name, hits in offenders.items() if hits} == {}
    # The pattern does catch what it should.
    assert pattern.search("np.random.seed(0)") and pattern.search("numpy.random.rand(3)")
    assert not pattern.search("np.random.default_rng(0)")


# --- TwoLayerNet: forward pass, loss, accuracy ------------------------------------

def small_problem(seed, n=6, d=4, hidden=5, c=3, std=1.0):
    """A small net with non-zero biases, a batch and its labels."""
    rng = np.random.default_rng(seed)
    net = TwoLayerNet(d, hidden, c, weight_init_std=std, rng=rng)
    net.params["b1"] = std * rng.standard_normal(hidden)
    net.params["b2"] = std * rng.standard_normal(c)
    return net, rng.standard_normal((n, d)), rng.integers(0, c, n)


def test_predict_gives_probabilities():
    net, x, labels = small_problem(0)
    y = net.predict(x)
    assert y.shape == (6, 3)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-15)
    one = net.predict(x[0])
    assert one.shape == (3,)
    np.testing.assert_allclose(one, y[0], rtol=1e-15)
    # By hand: softmax(sigmoid(x @ W1 + b1) @ W2 + b2).
    p = net.params
    z1 = 1 / (1 + np.exp(-(x @ p["W1"] + p["b1"])))
    np.testing.assert_allclose(y, softmax(z1 @ p["W2"] + p["b2"]), rtol=1e-12)


def test_loss_forms_agree():
    net, x, labels = small_problem(1)
    one_hot = np.eye(3)[labels]
    loss = net.loss(x, labels)
    assert type(loss) is float
    assert net.loss(x, one_hot) == loss
    assert net.loss(x, labels[:, None]) == loss
    assert loss == cross_entropy_error(net.predict(x), labels)


def test_accuracy_matches_a_manual_computation():
    for seed in range(5):
        net, x, labels = small_problem(seed, n=40)
        acc = net.accuracy(x, labels)
        manual = np.sum(np.argmax(net.predict(x), axis=1) == labels) / len(labels)
        assert type(acc) is float
        assert 0.0 <= acc <= 1.0
        assert acc == manual
        assert net.accuracy(x, np.eye(3)[labels]) == acc
    net, x, _ = small_problem(0, n=10)
    predicted = np.argmax(net.predict(x), axis=1)
    assert net.accuracy(x, predicted) == 1.0
    assert net.accuracy(x, (predicted + 1) % 3) == 0.0


# --- TwoLayerNet: analytic gradients against numerical gradients -------------------

def exact_loss(params, x, labels):
    """The network's cross entropy without the book's 1e-7, computed here on its own.

    The analytic gradient ``dy = (y - t) / N`` is the gradient of this loss;
    the book's ``log(y + 1e-7)`` would shift the numerical slope by ~1e-7 / y.
    """
    x = np.atleast_2d(x)
    z1 = 1 / (1 + np.exp(-(x @ params["W1"] + params["b1"])))
    a2 = z1 @ params["W2"] + params["b2"]
    a2 = a2 - a2.max(axis=1, keepdims=True)
    log_y = a2 - np.log(np.exp(a2).sum(axis=1, keepdims=True))
    return -np.mean(log_y[np.arange(len(x)), labels])


def assert_gradients_agree(net, x, labels, grads):
    """``grads`` against central differences of ``exact_loss`` (nudging net.params)."""
    assert set(grads) == set(net.params)
    for key in net.params:
        numeric = numerical_gradient(lambda _: exact_loss(net.params, x, labels),
                                     net.params[key], h=ORACLE_H)
        assert grads[key].shape == net.params[key].shape
        assert rel_error(grads[key], numeric) < ORACLE_TOL, key


def test_exact_loss_is_the_book_loss_without_its_delta():
    """The oracle's loss is the network's, up to the 1e-7 inside the log."""
    net, x, labels = small_problem(0)
    y = net.predict(x)
    assert exact_loss(net.params, x, labels) == pytest.approx(
        -np.mean(np.log(y[np.arange(len(x)), labels])), rel=1e-12)
    assert net.loss(x, labels) == pytest.approx(exact_loss(net.params, x, labels), rel=1e-5)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("form", ["labels", "column labels", "one-hot"])
def test_gradient_agrees_with_numerical_gradient(seed, form):
    net, x, labels = small_problem(seed)
    t = {"labels": labels, "column labels": labels[:, None],
         "one-hot": np.eye(3)[labels]}[form]
    before = {k: v.tobytes() for k, v in net.params.items()}
    assert_gradients_agree(net, x, labels, net.gradient(x, t))
    assert {k: v.tobytes() for k, v in net.params.items()} == before


@pytest.mark.parametrize("seed", range(3))
def test_loss_and_gradient_agrees_with_loss_and_numerical_gradient(seed):
    net, x, labels = small_problem(seed, n=5, d=3, hidden=4, c=4)
    loss, grads = net.loss_and_gradient(x, labels)
    assert type(loss) is float
    # sum(t * log(y + 1e-7)) vs log(y[rows, t] + 1e-7): the same terms, summed in
    # another order, so equal up to the last bits.
    assert loss == pytest.approx(net.loss(x, labels), rel=1e-14)
    assert_gradients_agree(net, x, labels, grads)
    for key in grads:
        np.testing.assert_array_equal(grads[key], net.gradient(x, labels)[key])


def test_gradient_of_one_sample_with_a_label_array():
    net, x, labels = small_problem(5)
    assert_gradients_agree(net, x[0], labels[:1], net.gradient(x[0], labels[:1]))


@pytest.mark.parametrize("form", ["scalar label", "1-D one-hot"])
def test_gradient_of_one_sample_with_the_forms_loss_accepts(form):
    net, x, labels = small_problem(5)
    t = int(labels[0]) if form == "scalar label" else np.eye(3)[labels[0]]
    assert net.loss(x[0], t) == net.loss(x[:1], labels[:1])          # loss() takes it ...
    assert_gradients_agree(net, x[0], labels[:1], net.gradient(x[0], t))  # ... gradient() too


def test_the_book_delta_shifts_the_numerical_gradient_only_slightly():
    """With the book's log(y + 1e-7), central differences see a slope smaller by a
    factor y / (y + 1e-7) (y: the right class's probability), so the mismatch
    grows to ~1e-7 / y: up to ~2e-6 here, which is why the oracle tests above
    use the exact loss; it stays below 1e-5."""
    worst = 0.0
    for seed in range(3):
        net, x, labels = small_problem(seed)
        grads = net.gradient(x, labels)
        numeric = net.numerical_gradient(x, labels, h=ORACLE_H)
        worst = max(worst, *(rel_error(grads[k], numeric[k]) for k in grads))
    assert worst < 1e-5


def test_numerical_gradient_leaves_params_bit_identical():
    net, x, labels = small_problem(2)
    before = {k: v.tobytes() for k, v in net.params.items()}
    net.numerical_gradient(x, labels)
    assert {k: v.tobytes() for k, v in net.params.items()} == before


def test_gradient_at_the_default_tiny_weights_is_right_too():
    """The book's setting: weight_init_std = 0.01, zero biases, 10 classes.

    Against net.numerical_gradient (the book's loss, h = 1e-4) to 1e-5, and against
    the exact loss to the oracle's 1e-7.
    """
    rng = np.random.default_rng(0)
    net = TwoLayerNet(8, 6, 10, rng=rng)
    x, labels = rng.random((5, 8)), rng.integers(0, 10, 5)
    grads = net.gradient(x, labels)
    numeric = net.numerical_gradient(x, labels, h=1e-4)
    for key in grads:
        assert rel_error(grads[key], numeric[key]) < 1e-5, key
    assert_gradients_agree(net, x, labels, grads)


# --- float32 -----------------------------------------------------------------------

def test_float32_network():
    net = TwoLayerNet(4, 5, 3, rng=0, weight_init_std=1.0, dtype=np.float32)
    ref = TwoLayerNet(4, 5, 3, rng=0, weight_init_std=1.0)
    for key in net.params:
        assert net.params[key].dtype == np.float32
        np.testing.assert_array_equal(net.params[key], ref.params[key].astype(np.float32))
    rng = np.random.default_rng(1)
    x, labels = rng.standard_normal((6, 4)), rng.integers(0, 3, 6)
    assert net.predict(x.astype(np.float32)).dtype == np.float32
    assert net.predict(x).dtype == np.float32                 # float64 input is converted
    loss, grads = net.loss_and_gradient(x.astype(np.float32), labels)
    assert type(loss) is float
    assert loss == pytest.approx(ref.loss(x, labels), rel=1e-5)
    ref_grads = ref.gradient(x, labels)
    for t in (labels, np.eye(3, dtype=np.float32)[labels]):
        grads = net.gradient(x.astype(np.float32), t)
        for key in grads:
            assert grads[key].dtype == np.float32, key
            np.testing.assert_allclose(grads[key], ref_grads[key], rtol=1e-4, atol=1e-6)
