"""The command line speaks in one line: ``python -m nnguide train`` and ``download``.

Most tests call ``nnguide.__main__.main(argv)`` in this process (fast); a few
run ``python -m nnguide`` as a real process, where tracebacks, exit codes,
Ctrl-C and a closed pipe really happen. Exit codes: 2 for a bad option
(argparse), 1 for a data or training error, 130 for Ctrl-C, 141 for a closed
pipe. No test touches the network: the mirrors are a local fake
(``tests/fake_mirror.py``) or a closed port on 127.0.0.1, and any other
connection fails the test.
"""

import importlib
import os
import re
import signal
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

from fake_mirror import FakeMirror
from nnguide import mnist
from nnguide.__main__ import build_parser, main

ALLOWED = set()   # (host, port) that in-process tests may connect to
REAL_GETADDRINFO = socket.getaddrinfo
PROXY_VARS = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY",
              "http_proxy", "https_proxy", "all_proxy", "no_proxy"]


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any test whose process (this one) connects anywhere but a fake mirror."""
    attempts = []
    real_connect = socket.socket.connect

    def connect(sock, address):
        if tuple(address[:2]) in ALLOWED:
            return real_connect(sock, address)
        attempts.append(address)
        raise RuntimeError("network access attempted in a test")

    def getaddrinfo(host, *args, **kwargs):
        if host == "127.0.0.1":
            return REAL_GETADDRINFO(host, *args, **kwargs)
        attempts.append(host)
        raise RuntimeError("network access attempted in a test")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield
    assert not attempts, f"a test tried to use the network: {attempts}"


@pytest.fixture
def nowhere(tmp_path, monkeypatch):
    """No MNIST anywhere: $NNGUIDE_DATA and the cache are empty folders; mirrors say 404."""
    data, cache = tmp_path / "data", tmp_path / "cache"
    data.mkdir()
    cache.mkdir()
    monkeypatch.setenv(mnist.DATA_ENV, str(data))
    monkeypatch.setenv(mnist.CACHE_ENV, str(cache))
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    server = FakeMirror({})                        # no files: every request is a 404
    ALLOWED.add(server.address)
    monkeypatch.setattr(mnist, "MIRRORS", [server.url(p) for p in "abc"])
    yield data, cache, server
    server.close()
    ALLOWED.discard(server.address)


@pytest.fixture
def tiny_mnist(monkeypatch):
    """load_mnist returns 200 + 50 random "images" at once (the CLI's training path, fast)."""
    rng = np.random.default_rng(0)
    x = rng.random((250, 784), dtype=np.float32)
    t = rng.integers(0, 10, 250).astype(np.uint8)

    def load_mnist(data_dir=None):
        return (x[:200], t[:200]), (x[200:], t[200:])
    monkeypatch.setattr(mnist, "load_mnist", load_mnist)


def run_main(argv, capsys):
    """main(argv) -> (exit code, stdout, stderr lines), whether it returns or exits."""
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


def error_lines(err_lines):
    return [line for line in err_lines if "error:" in line]


# --- options -------------------------------------------------------------------------

def test_parser_reads_train_options():
    args = build_parser().parse_args(["train", "--iters", "5"])
    assert args.command == "train"
    assert args.iters == 5
    assert (args.batch_size, args.lr, args.hidden, args.seed) == (100, 0.1, 50, 0)
    assert args.dtype == "float32" and args.data_dir is None and not args.no_progress
    args = build_parser().parse_args(["train", "--lr", "0.5", "--batch-size", "32",
                                      "--dtype", "float64", "--no-progress"])
    assert (args.lr, args.batch_size, args.dtype, args.no_progress) == (0.5, 32, "float64", True)


BAD_OPTIONS = [  # argv, what stderr must say after "error: "
    pytest.param(["train", "--lr", "nan"], "argument --lr: nan is not a positive, finite",
                 id="lr-nan"),
    pytest.param(["train", "--lr", "-1"], "argument --lr: -1 is not a positive", id="lr-negative"),
    pytest.param(["train", "--lr", "0"], "argument --lr: 0 is not a positive", id="lr-0"),
    pytest.param(["train", "--lr", "inf"], "argument --lr: inf is not a positive, finite",
                 id="lr-inf"),
    pytest.param(["train", "--lr", "abc"], "argument --lr: 'abc' is not a number", id="lr-abc"),
    pytest.param(["train", "--iters", "-5"], "argument --iters: -5 is not >= 1",
                 id="iters-negative"),
    pytest.param(["train", "--iters", "0"], "argument --iters: 0 is not >= 1", id="iters-0"),
    pytest.param(["train", "--iters", "abc"], "argument --iters: 'abc' is not a whole number",
                 id="iters-abc"),
    pytest.param(["train", "--iters", "1e4"], "argument --iters: '1e4' is not a whole number",
                 id="iters-float"),
    pytest.param(["train", "--seed", "-1"], "argument --seed: -1 is not >= 0", id="seed-negative"),
    pytest.param(["train", "--seed", "abc"], "argument --seed: 'abc' is not a whole number",
                 id="seed-abc"),
    pytest.param(["train", "--hidden", "0"], "argument --hidden: 0 is not >= 1", id="hidden-0"),
    pytest.param(["train", "--batch-size", "0"],
                 "argument --batch-size: 0 is not between 1 and 60000", id="batch-size-0"),
    pytest.param(["train", "--batch-size", "70000"],
                 "argument --batch-size: 70000 is not between 1 and 60000", id="batch-size-70000"),
    pytest.param(["train", "--dtype", "int8"], "argument --dtype: invalid choice: 'int8'",
                 id="dtype-int8"),
    pytest.param(["train", "--data-dir", "{missing}"], "{missing} does not exist",
                 id="data-dir-missing"),
    pytest.param(["train", "--data-dir", "{file}"], "{file} is a file", id="data-dir-a-file"),
    pytest.param(["train", "--epochs", "3"], "unrecognized arguments: --epochs 3",
                 id="unknown-option"),
    pytest.param(["download", "--data-dir", "{file}"], "{file} is a file, not a folder",
                 id="download-data-dir-a-file"),
    pytest.param(["download", "--data-dir", ""], "an empty name is not a folder",
                 id="download-data-dir-empty"),
    pytest.param([], "the following arguments are required: command", id="no-command"),
    pytest.param(["fly"], "argument command: invalid choice: 'fly'", id="unknown-command"),
]


@pytest.mark.parametrize("argv, says", BAD_OPTIONS)
def test_bad_option_is_one_line_and_exit_2(argv, says, tmp_path, capsys):
    paths = {"missing": str(tmp_path / "nowhere"), "file": str(tmp_path / "a-file.gz")}
    (tmp_path / "a-file.gz").write_bytes(b"")
    argv = [arg.format(**paths) for arg in argv]
    code, out, err = run_main(argv, capsys)
    assert code == 2
    assert out == ""
    assert len(err) == 1, err
    # "python -m nnguide train: error: ... (see python -m nnguide train --help)"; argparse
    # reports an unknown option or command at the top level, without "train".
    match = re.fullmatch(r"(python -m nnguide(?: train| download)?): error: (.+) "
                         r"\(see (.+) --help\)", err[0])
    assert match and match[3] == match[1], err[0]
    assert says.format(**paths) in match[2]


# --- data and training errors: exit 1, one line ---------------------------------------

def test_no_mnist_anywhere_and_no_download_is_one_line_and_exit_1(nowhere, capsys):
    data, cache, server = nowhere
    code, out, err = run_main(["train", "--iters", "1", "--no-progress"], capsys)
    assert code == 1
    assert out == ""
    assert error_lines(err) == [err[-1]]
    assert err[-1].startswith("error: the MNIST files were not found on disk and could not be "
                              "downloaded")
    assert "--data-dir FOLDER" in err[-1] and "python -m nnguide download" in err[-1]
    # Above it, the downloader said what it tried, one line each: no traceback.
    assert any(line.startswith("Downloading http://127.0.0.1") for line in err)
    assert not any("Traceback" in line for line in err)
    assert server.requests                        # the fake mirrors were asked
    assert list(cache.iterdir()) == []            # and nothing was left behind


def test_an_empty_data_dir_falls_back_and_fails_in_one_line(nowhere, tmp_path, capsys):
    folder = tmp_path / "empty"
    folder.mkdir()
    code, _, err = run_main(["train", "--data-dir", str(folder), "--no-progress"], capsys)
    assert code == 1
    assert error_lines(err) == [err[-1]] and err[-1].startswith("error: the MNIST files")


def test_download_that_fails_is_one_line_and_exit_1(nowhere, tmp_path, capsys):
    target = tmp_path / "mnist"
    code, out, err = run_main(["download", "--data-dir", str(target)], capsys)
    assert code == 1
    assert out == ""
    assert error_lines(err) == [err[-1]] and err[-1].startswith("error: the MNIST files")
    assert list(target.iterdir()) == []           # no half-written file


def test_a_damaged_data_file_is_one_line_and_exit_1(nowhere, tmp_path, capsys):
    folder = tmp_path / "damaged"
    folder.mkdir()
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(b"not gzip at all")
    code, _, err = run_main(["train", "--data-dir", str(folder), "--no-progress"], capsys)
    assert code == 1
    assert len(err) == 1, err
    assert re.fullmatch(r"error: MNIST file .*train-labels-idx1-ubyte\.gz is damaged: .+ "
                        r"Fix: delete this file and run again .+", err[0]), err[0]


def test_a_diverged_run_is_one_line_and_exit_1(tiny_mnist, capsys):
    code, out, err = run_main(["train", "--lr", "1e38", "--iters", "50", "--hidden", "10",
                               "--no-progress"], capsys)
    assert code == 1
    assert out.startswith("training 784-10-10, batch 100, lr 1e+38, 50 iterations, float32\n")
    assert len(err) == 1, err                     # no RuntimeWarning from numpy either
    assert re.fullmatch(r"error: train: the loss became nan at iteration \d+ "
                        r"\(learning_rate=1e\+38\): the training diverged\. .+", err[0]), err[0]


def test_out_of_memory_is_one_line_and_exit_1(tiny_mnist, monkeypatch, capsys):
    def too_big(*args, **kwargs):
        raise MemoryError("Unable to allocate 584. GiB for an array with shape "
                          "(784, 100000000) and data type float64")
    monkeypatch.setattr("nnguide.__main__.TwoLayerNet", too_big)
    code, _, err = run_main(["train", "--hidden", "100000000"], capsys)
    assert code == 1
    assert err == ["error: not enough memory (Unable to allocate 584. GiB for an array with "
                   "shape (784, 100000000) and data type float64); try a smaller --hidden or "
                   "--batch-size."]


def test_a_short_run_prints_every_epoch(tiny_mnist, capsys):
    code, out, err = run_main(["train", "--iters", "5", "--batch-size", "50", "--hidden", "5",
                               "--no-progress"], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "training 784-5-10, batch 50, lr 0.1, 5 iterations, float32"
    assert [line[:8] for line in lines[1:-1]] == ["epoch  0", "epoch  1"]   # 4 batches an epoch
    assert re.fullmatch(r"final test accuracy 0\.\d{4} \(\d+\.\d s\)", lines[-1])
    assert err == []


def interrupt_on_call(monkeypatch, name, n):
    """Ctrl-C as the ``n``-th call of ``nnguide.train``'s function ``name`` begins."""
    train_module = importlib.import_module("nnguide.train")  # nnguide.train is the function
    real, calls = getattr(train_module, name), []

    def interrupted(*args):
        calls.append(1)
        if len(calls) == n:
            raise KeyboardInterrupt
        return real(*args)
    monkeypatch.setattr(train_module, name, interrupted)


def test_ctrl_c_says_where_training_stopped(tiny_mnist, monkeypatch, capsys):
    """KeyboardInterrupt at the 3rd step: which iteration, and the last accuracies."""
    interrupt_on_call(monkeypatch, "sgd_step", 3)
    code, out, err = run_main(["train", "--iters", "100", "--batch-size", "50", "--hidden", "5",
                               "--no-progress"], capsys)
    assert code == 130
    epoch_0 = re.fullmatch(r"epoch  0  train acc (0\.\d{4})  test acc (0\.\d{4})",
                           out.splitlines()[1])
    assert err == [f"interrupted after 2 of 100 iterations, last accuracy: train "
                   f"{epoch_0[1]}, test {epoch_0[2]} (after epoch 0)"]


def test_ctrl_c_between_train_and_test_accuracy(tiny_mnist, monkeypatch, capsys):
    """Ctrl-C after epoch 1's train accuracy but before its test accuracy: the message
    reports epoch 0, whose two accuracies were both recorded (not a mix of epochs)."""
    interrupt_on_call(monkeypatch, "chunked_accuracy", 4)   # epoch 0: 1, 2; epoch 1: 3, 4
    code, out, err = run_main(["train", "--iters", "100", "--batch-size", "50", "--hidden", "5",
                               "--no-progress"], capsys)
    assert code == 130
    epoch_0 = re.fullmatch(r"epoch  0  train acc (0\.\d{4})  test acc (0\.\d{4})",
                           out.splitlines()[1])
    assert err == [f"interrupted after 4 of 100 iterations, last accuracy: train "
                   f"{epoch_0[1]}, test {epoch_0[2]} (after epoch 0)"]


def test_ctrl_c_while_loading_says_so(monkeypatch, capsys):
    def interrupted(data_dir=None):
        raise KeyboardInterrupt
    monkeypatch.setattr(mnist, "load_mnist", interrupted)
    code, _, err = run_main(["train", "--no-progress"], capsys)
    assert (code, err) == (130, ["interrupted before training started"])


# --- real processes -----------------------------------------------------------------------

def nnguide_process(args, env=None, **kwargs):
    """``python -m nnguide ARGS`` with Ctrl-C enabled (a background job may ignore SIGINT)."""
    return subprocess.Popen(
        [sys.executable, "-m", "nnguide", *args], env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **kwargs)


def closed_port():
    """A port on 127.0.0.1 where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_help_runs_from_any_directory_and_writes_nothing(tmp_path):
    child = nnguide_process(["train", "--help"], cwd=tmp_path)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert out.startswith("usage: python -m nnguide train")
    assert "--iters" in out and "--batch-size" in out and "--data-dir" in out
    assert list(tmp_path.iterdir()) == []


def test_top_level_help_lists_the_commands(capsys):
    code, out, err = run_main(["--help"], capsys)
    assert code == 0 and err == []
    assert out.startswith("usage: python -m nnguide") and "train" in out and "download" in out


def test_process_bad_option_has_no_traceback(tmp_path):
    child = nnguide_process(["train", "--seed", "abc"], cwd=tmp_path)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 2
    assert out == ""
    assert err == ("python -m nnguide train: error: argument --seed: 'abc' is not a whole "
                   "number (see python -m nnguide train --help)\n")


def test_process_without_data_or_network_exits_1_in_one_line(tmp_path):
    """Empty $NNGUIDE_DATA and cache; every download goes to a proxy that refuses."""
    (tmp_path / "data").mkdir()
    (tmp_path / "cache").mkdir()
    proxy = f"http://127.0.0.1:{closed_port()}"
    env = {key: value for key, value in os.environ.items() if key not in PROXY_VARS}
    env.update(NNGUIDE_DATA=str(tmp_path / "data"), NNGUIDE_CACHE=str(tmp_path / "cache"),
               HTTP_PROXY=proxy, HTTPS_PROXY=proxy)
    child = nnguide_process(["train", "--no-progress"], env=env, cwd=tmp_path)
    out, err = child.communicate(timeout=120)
    lines = err.splitlines()
    assert child.returncode == 1, err
    assert out == ""
    assert "Traceback" not in err
    assert error_lines(lines) == [lines[-1]]
    assert lines[-1].startswith("error: the MNIST files were not found on disk")
    assert list((tmp_path / "cache").iterdir()) == []


@pytest.mark.slow
def test_process_ctrl_c_exits_130_and_says_where(mnist_dir):
    child = nnguide_process(["train", "--iters", "100000", "--no-progress"])
    try:
        first = [child.stdout.readline(), child.stdout.readline()]
        assert first[1].startswith("epoch  0"), first
        time.sleep(0.3)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        child.kill()
    assert child.returncode == 130, err
    # The message repeats the last epoch line printed before Ctrl-C (epoch 0 or later: how
    # far training gets in 0.3 s depends on the machine).
    last = re.fullmatch(r"epoch +(\d+)  train acc (0\.\d{4})  test acc (0\.\d{4})",
                        (first[1] + out).splitlines()[-1])
    assert last, out
    epoch, train_acc, test_acc = last.groups()
    assert re.fullmatch(rf"interrupted after \d+ of 100000 iterations, last accuracy: "
                        rf"train {train_acc}, test {test_acc} \(after epoch {epoch}\)\n",
                        err), err


@pytest.mark.slow
def test_process_closed_pipe_ends_quietly(mnist_dir):
    """``python -m nnguide train | head -1``: the next print finds the pipe closed."""
    child = nnguide_process(["train", "--iters", "100000", "--no-progress"])
    try:
        assert child.stdout.readline().startswith("training 784-50-10")
        child.stdout.close()                       # what head does after one line
        err = child.stderr.read()
        child.wait(timeout=120)
    finally:
        child.kill()
    assert child.returncode == 141
    assert err == ""
