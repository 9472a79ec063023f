"""Tests for nnguide.mnist: tiny hand-made IDX files, a fake mirror, real data.

No test touches the network: every socket connection attempt fails the test,
except to the fake mirror (``tests/fake_mirror.py``) on 127.0.0.1. Download
limits are shrunk (``TIMEOUT`` 0.5 s) so that stalls are seen in a second.
"""

import builtins
import errno
import gzip
import hashlib
import inspect
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_mirror import FakeMirror
from nnguide import mnist

NAMES = list(mnist.FILES)
REAL_HTTP_GET = mnist._http_get
REPO = Path(__file__).resolve().parent.parent
ALLOWED = set()  # (host, port) of fake mirrors: the only addresses tests may connect to
PROXY_VARS = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
              "all_proxy"]
TEST_TIMEOUT = 0.5


# --- fixtures ----------------------------------------------------------------

def _forbid_network(mp, attempts):
    """Make every socket connection or DNS lookup record itself and fail,
    except connections to the fake mirrors in ``ALLOWED``."""
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(sock, address):
        if tuple(address[:2]) in ALLOWED:
            return real_connect(sock, address)
        attempts.append(address)
        raise RuntimeError("network access attempted in a test")

    def getaddrinfo(host, *args, **kwargs):
        if host == "127.0.0.1":
            return real_getaddrinfo(host, *args, **kwargs)
        attempts.append(host)
        raise RuntimeError("network access attempted in a test")

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise RuntimeError("network access attempted in a test")
    mp.setattr(socket.socket, "connect", connect)
    mp.setattr(socket.socket, "connect_ex", refuse)
    mp.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any test that tries to open a real network connection."""
    attempts = []
    _forbid_network(monkeypatch, attempts)
    yield
    assert not attempts, f"a test tried to use the network: {attempts}"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path):
    """Private cache folder, no $NNGUIDE_DATA, and no unexpected downloads."""
    monkeypatch.setenv(mnist.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(mnist.DATA_ENV, raising=False)

    def unexpected_download(url, output_file, max_bytes):
        pytest.fail(f"unexpected download of {url}")
    monkeypatch.setattr(mnist, "_http_get", unexpected_download)
    return tmp_path / "cache"


def idx_bytes(array):
    """Encode a uint8 array as IDX: magic 0x0000080N, big-endian dims, data."""
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


@pytest.fixture
def tiny(monkeypatch):
    """Tiny MNIST-like arrays (5 train, 3 test images); FILES matches them."""
    rng = np.random.default_rng(0)
    train_x = rng.integers(0, 256, (5, 28, 28), dtype=np.uint8)
    train_x[0, 0, 0], train_x[0, 0, 1] = 0, 255
    arrays = {
        "train-images-idx3-ubyte": train_x,
        "train-labels-idx1-ubyte": np.array([0, 1, 2, 9, 5], dtype=np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": np.array([3, 7, 9], dtype=np.uint8),
    }
    blobs = {name: idx_bytes(array) for name, array in arrays.items()}
    for name, blob in blobs.items():
        info = mnist.FileInfo(hashlib.sha256(blob).hexdigest(), len(blob), "0" * 32)
        monkeypatch.setitem(mnist.FILES, name, info)
    return arrays, blobs


def write_files(folder, blobs, compress=True, names=None):
    """Write the IDX blobs into ``folder`` (gzipped as ``name.gz`` by default)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names or blobs:
        if compress:
            (folder / f"{name}.gz").write_bytes(gzip.compress(blobs[name], mtime=0))
        else:
            (folder / name).write_bytes(blobs[name])
    return folder


def snapshot(folder):
    """Return {relative path: (bytes, mtime)} of every file under ``folder``."""
    return {p.relative_to(folder): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def part_files(folder):
    """The hidden temporary files left in ``folder``."""
    return sorted(p.name for p in folder.glob(".*.part")) if folder.exists() else []


def gzip_bomb(decompressed_mib, member_mib=64):
    """Gzip members of zeros, one after another: small, but huge decompressed."""
    member = gzip.compress(bytes(member_mib << 20), compresslevel=9, mtime=0)
    return member * max(1, decompressed_mib // member_mib)


# 2 KB that decompress to 2 MiB: under the download size limit of the tiny
# files, so it is the decompression limit that must stop it.
SMALL_BOMB = gzip.compress(bytes(2 << 20), compresslevel=9, mtime=0)


@pytest.fixture
def mirror(tiny, monkeypatch):
    """Three fake mirrors a, b, c (all "good"); MIRRORS point at them; short limits."""
    _, blobs = tiny
    server = FakeMirror({f"{name}.gz": gzip.compress(blob) for name, blob in blobs.items()})
    ALLOWED.add(server.address)
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(mnist, "MIRRORS", [server.url(p) for p in "abc"])
    monkeypatch.setattr(mnist, "_http_get", REAL_HTTP_GET)
    monkeypatch.setattr(mnist, "TIMEOUT", TEST_TIMEOUT)
    monkeypatch.setattr(mnist, "MIN_RATE", 1024)
    yield server
    server.close()
    ALLOWED.discard(server.address)


def asked(server, prefix):
    """File names mirror ``prefix`` was asked for, in order."""
    return [p.rsplit("/", 1)[1].removesuffix(".gz") for p in server.requests
            if p.startswith(f"/{prefix}/")]


def helper_threads():
    return [t for t in threading.enumerate() if t.name == "nnguide-mnist-download"]


# --- shapes, dtypes and arguments --------------------------------------------

@pytest.mark.parametrize("one_hot_label", [False, True])
@pytest.mark.parametrize("flatten", [True, False])
@pytest.mark.parametrize("normalize", [True, False])
def test_shapes_and_dtypes_for_every_flag_combination(
        tmp_path, tiny, normalize, flatten, one_hot_label):
    arrays, blobs = tiny
    data = write_files(tmp_path / "data", blobs)
    (x_train, t_train), (x_test, t_test) = mnist.load_mnist(
        normalize=normalize, flatten=flatten, one_hot_label=one_hot_label, data_dir=data)

    for x, t, prefix in [(x_train, t_train, "train"), (x_test, t_test, "t10k")]:
        images = arrays[f"{prefix}-images-idx3-ubyte"]
        labels = arrays[f"{prefix}-labels-idx1-ubyte"]
        n = len(labels)
        assert x.shape == ((n, 784) if flatten else (n, 1, 28, 28))
        if normalize:
            assert x.dtype == np.float32
            assert 0.0 <= x.min() and x.max() <= 1.0
            np.testing.assert_array_equal(x.reshape(images.shape),
                                          images.astype(np.float32) / 255)
        else:
            assert x.dtype == np.uint8
            np.testing.assert_array_equal(x.reshape(images.shape), images)
        if one_hot_label:
            assert t.shape == (n, 10) and t.dtype == np.float32
            np.testing.assert_array_equal(t.argmax(axis=1), labels)
            np.testing.assert_array_equal(t.sum(axis=1), np.ones(n))
        else:
            assert t.shape == (n,) and t.dtype == np.uint8
            np.testing.assert_array_equal(t, labels)
        assert x.flags.writeable and t.flags.writeable
    assert x_train.max() == (1.0 if normalize else 255)


def test_signature_is_the_books():
    params = inspect.signature(mnist.load_mnist).parameters
    assert [(p.name, p.default) for p in params.values()] == [
        ("normalize", True), ("flatten", True), ("one_hot_label", False), ("data_dir", None)]


@pytest.mark.parametrize("kwargs, name, hint", [
    ({"normalize": "yes"}, "normalize", "normalize=True"),
    ({"normalize": "False"}, "normalize", "write normalize=False, without quotes"),
    ({"flatten": " true"}, "flatten", "write flatten=True, without quotes"),
    ({"flatten": 1}, "flatten", "flatten=True"),
    ({"one_hot_label": None}, "one_hot_label", "one_hot_label=True"),
    ({"one_hot_label": np.array([True])}, "one_hot_label", "one_hot_label=True"),
    ({"normalize": "data/mnist"}, "normalize", "data_dir='data/mnist'"),
    ({"data_dir": 42}, "data_dir", "data_dir='mnist'"),
    ({"data_dir": b"mnist"}, "data_dir", "data_dir='mnist'"),
    ({"data_dir": ["mnist"]}, "data_dir", "data_dir='mnist'"),
])
def test_bad_arguments_raise_clear_type_error(kwargs, name, hint):
    """Says which argument, what was given, what is expected, how to fix it."""
    with pytest.raises(TypeError, match=name) as info:
        mnist.load_mnist(**kwargs)
    message = str(info.value)
    assert repr(next(iter(kwargs.values()))) in message
    assert "must be" in message and hint in message


def test_numpy_bool_flags_are_accepted(tmp_path, tiny):
    data = write_files(tmp_path / "data", tiny[1])
    (x, _), _ = mnist.load_mnist(normalize=np.bool_(False), data_dir=data)
    assert x.dtype == np.uint8


def test_data_dir_that_does_not_exist_is_refused_before_anything_else(tmp_path, tiny,
                                                                      isolated_env):
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError) as info:
        mnist.load_mnist(data_dir=missing)
    assert not isinstance(info.value, mnist.MNISTNotFoundError)
    message = str(info.value)
    assert "data_dir" in message and str(missing) in message and "does not exist" in message
    assert "leave data_dir out" in message
    assert not isolated_env.exists()  # nothing searched, cached or downloaded


def test_data_dir_that_is_a_file_is_refused(tmp_path, tiny):
    data = write_files(tmp_path / "data", tiny[1])
    a_file = data / f"{NAMES[0]}.gz"
    with pytest.raises(NotADirectoryError) as info:
        mnist.load_mnist(data_dir=a_file)
    message = str(info.value)
    assert "data_dir" in message and "is a file, not a folder" in message
    assert f"data_dir={str(data)!r}" in message  # the fix: the folder holding it


def test_empty_data_dir_is_refused():
    with pytest.raises(ValueError, match="data_dir is an empty string"):
        mnist.load_mnist(data_dir="")


@pytest.mark.parametrize("value, error, words", [
    (None, TypeError, "give the folder"),
    (42, TypeError, "data_dir must be a folder path"),
    ("", ValueError, "data_dir is an empty string"),
])
def test_download_refuses_bad_folder_arguments(value, error, words):
    with pytest.raises(error, match=words):
        mnist.download(value)


def test_public_constants():
    assert mnist.MIRRORS == [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ]
    assert set(mnist.FILES) == {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}
    for info in mnist.FILES.values():
        assert re.fullmatch("[0-9a-f]{64}", info.sha256)
        assert re.fullmatch("[0-9a-f]{32}", info.gz_md5)
    # IDX: 4 magic bytes, 4 bytes per dimension, then one byte per value.
    assert mnist.FILES["train-images-idx3-ubyte"].size == 16 + 60000 * 28 * 28
    assert mnist.FILES["t10k-images-idx3-ubyte"].size == 16 + 10000 * 28 * 28
    assert mnist.FILES["train-labels-idx1-ubyte"].size == 8 + 60000
    assert mnist.FILES["t10k-labels-idx1-ubyte"].size == 8 + 10000
    assert issubclass(mnist.MNISTNotFoundError, FileNotFoundError)
    assert issubclass(mnist.MNISTReadError, OSError)
    assert issubclass(mnist.MNISTWriteError, OSError)
    # With every mirror stalled a load gives up in about a minute.
    assert 45 <= len(mnist.MIRRORS) * mnist.TIMEOUT <= 75 and mnist.MIN_RATE == 1024


# --- where the files are found -----------------------------------------------

@pytest.mark.parametrize("good", ["data_dir", "env", "cache"])
def test_search_order_data_dir_then_env_then_cache(
        tmp_path, tiny, isolated_env, monkeypatch, good):
    """The good copy is found first; every lower-priority copy is garbage."""
    _, blobs = tiny
    garbage = {name: b"garbage" for name in blobs}
    order = ["data_dir", "env", "cache"]
    folders = {"data_dir": tmp_path / "data", "env": tmp_path / "env",
               "cache": isolated_env}
    for place in order[order.index(good):]:
        write_files(folders[place], blobs if place == good else garbage)
    monkeypatch.setenv(mnist.DATA_ENV, str(folders["env"]))
    data_dir = folders["data_dir"] if good == "data_dir" else None

    (x_train, _), _ = mnist.load_mnist(normalize=False, data_dir=data_dir)
    assert len(x_train) == 5


def test_lower_priority_folder_fills_in_a_missing_file(tmp_path, tiny, monkeypatch):
    _, blobs = tiny
    data = write_files(tmp_path / "data", blobs, names=NAMES[:3])
    env = write_files(tmp_path / "env", blobs, names=NAMES[3:])
    monkeypatch.setenv(mnist.DATA_ENV, str(env))
    _, (_, t_test) = mnist.load_mnist(data_dir=data)
    assert list(t_test) == [3, 7, 9]


def test_decompressed_idx_files_work_too(tmp_path, tiny):
    data = write_files(tmp_path / "data", tiny[1], compress=False)
    (x_train, _), _ = mnist.load_mnist(normalize=False, data_dir=str(data))
    np.testing.assert_array_equal(x_train.reshape(5, 28, 28),
                                  tiny[0]["train-images-idx3-ubyte"])


def test_gzip_with_several_members_is_read_whole(tmp_path, tiny):
    """A gzip file may be several members in a row (as `cat a.gz b.gz` makes)."""
    arrays, blobs = tiny
    data = write_files(tmp_path / "data", blobs)
    blob = blobs["train-images-idx3-ubyte"]
    (data / "train-images-idx3-ubyte.gz").write_bytes(
        b"".join(gzip.compress(blob[i:i + 1000]) for i in range(0, len(blob), 1000)))
    (x_train, _), _ = mnist.load_mnist(normalize=False, flatten=False, data_dir=data)
    np.testing.assert_array_equal(x_train[:, 0], arrays["train-images-idx3-ubyte"])


def test_data_dirs_lists_the_search_order(tmp_path, monkeypatch, isolated_env):
    assert mnist.data_dirs() == [isolated_env]
    monkeypatch.setenv(mnist.DATA_ENV, str(tmp_path / "env"))
    assert mnist.data_dirs(tmp_path / "arg") == [tmp_path / "arg", tmp_path / "env",
                                                 isolated_env]
    monkeypatch.delenv(mnist.CACHE_ENV)
    assert mnist.data_dirs()[-1] == mnist._cache_dir() != isolated_env
    with pytest.raises(TypeError, match="data_dir"):
        mnist.data_dirs(3.5)


def test_find_data_dir_returns_the_first_folder_with_all_four(tmp_path, tiny, monkeypatch,
                                                             isolated_env):
    _, blobs = tiny
    assert mnist.find_data_dir() is None
    monkeypatch.setenv(mnist.DATA_ENV, str(tmp_path / "env"))
    write_files(tmp_path / "env", blobs, names=NAMES[:3])  # one file short
    write_files(isolated_env, blobs, compress=False)
    assert mnist.find_data_dir() == isolated_env
    write_files(tmp_path / "env", blobs, names=NAMES[3:])
    assert mnist.find_data_dir() == tmp_path / "env"
    data = write_files(tmp_path / "data", blobs)
    assert mnist.find_data_dir(data) == data
    (x_train, _), _ = mnist.load_mnist(data_dir=mnist.find_data_dir())
    assert x_train.shape == (5, 784)


def test_read_only_data_dir_is_never_written(tmp_path, tiny, isolated_env):
    # Tests run as root, which ignores permission bits: so check that nothing
    # in the data folder changes, and that the cache went to the cache folder.
    data = write_files(tmp_path / "data", tiny[1])
    data.chmod(0o555)
    before = snapshot(data)
    try:
        mnist.load_mnist(data_dir=data)
        mnist.load_mnist(data_dir=data)
    finally:
        data.chmod(0o755)
    assert snapshot(data) == before
    assert [p.suffix for p in isolated_env.iterdir()] == [".npz"]


def test_unwritable_cache_is_skipped(tmp_path, tiny, monkeypatch):
    """A cache path below a regular file can never be created, even by root."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    monkeypatch.setenv(mnist.CACHE_ENV, str(blocker / "cache"))
    data = write_files(tmp_path / "data", tiny[1])
    (x_train, _), _ = mnist.load_mnist(data_dir=data)
    assert x_train.shape == (5, 784)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "data"]


# --- the .npz cache ----------------------------------------------------------

def test_npz_cache_is_written_atomically_and_reused(tmp_path, tiny, isolated_env,
                                                    monkeypatch):
    data = write_files(tmp_path / "data", tiny[1])
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace",
                        lambda src, dst: (replaced.append((Path(src), Path(dst))),
                                          real_replace(src, dst)))
    first = mnist.load_mnist(normalize=False, data_dir=data)

    [npz] = isolated_env.iterdir()
    assert npz.suffix == ".npz"
    [(src, dst)] = replaced
    assert dst == npz and src.parent == npz.parent and not src.exists()

    for path in data.iterdir():  # the cache alone must now be enough
        path.unlink()
    second = mnist.load_mnist(normalize=False, data_dir=data)
    for first_pair, second_pair in zip(first, second):
        for a, b in zip(first_pair, second_pair):
            np.testing.assert_array_equal(a, b)


def test_npz_cache_holds_no_pickle(tmp_path, tiny, isolated_env):
    mnist.load_mnist(data_dir=write_files(tmp_path / "data", tiny[1]))
    [npz] = isolated_env.iterdir()
    with zipfile.ZipFile(npz) as archive:
        assert sorted(archive.namelist()) == sorted(f"{n}.npy" for n in NAMES)
    with np.load(npz, allow_pickle=False) as archive:
        for name in NAMES:
            assert archive[name].dtype == np.uint8
    assert not list(isolated_env.glob("*.p*kl*"))


def test_npz_is_loaded_with_allow_pickle_false(tmp_path, tiny, monkeypatch):
    data = write_files(tmp_path / "data", tiny[1])
    mnist.load_mnist(data_dir=data)
    seen = []
    real_load = np.load
    monkeypatch.setattr(np, "load", lambda *a, **k: (seen.append(k), real_load(*a, **k))[1])
    mnist.load_mnist(data_dir=data)
    assert seen == [{"allow_pickle": False}]


def test_failed_npz_write_leaves_no_partial_file(tmp_path, tiny, isolated_env,
                                                 monkeypatch):
    def broken_savez(file, **arrays):
        file.write(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(np, "savez", broken_savez)
    (x_train, _), _ = mnist.load_mnist(data_dir=write_files(tmp_path / "data", tiny[1]))
    assert x_train.shape == (5, 784)
    assert list(isolated_env.iterdir()) == []


def _npz_with(path, **arrays):
    with open(path, "wb") as file:
        np.savez(file, **arrays)
    return path.read_bytes()


def _damage(kind, npz, blobs):
    """Return the bytes of a damaged cache of the given kind."""
    if kind == "empty":
        return b""
    if kind == "not_a_zip":
        return b"not a zip"
    if kind == "truncated_zip":
        return npz.read_bytes()[: npz.stat().st_size // 2]
    if kind == "pickle":  # what numpy writes for a pickle: its hint must never show
        import pickle
        return pickle.dumps({"x": 1})
    if kind == "object_array":
        return _npz_with(npz, **{name: np.array([None, 1], dtype=object) for name in NAMES})
    if kind == "single_npy":
        np.save(npz.with_suffix(".npy"), np.zeros(3, np.uint8))
        return npz.with_suffix(".npy").read_bytes()
    if kind == "missing_array":
        with np.load(npz, allow_pickle=False) as archive:
            arrays = dict(archive)
        del arrays[NAMES[1]]
        return _npz_with(npz, **arrays)
    if kind == "tampered_values":
        with np.load(npz, allow_pickle=False) as archive:
            arrays = dict(archive)
        arrays["train-labels-idx1-ubyte"][0] = 8
        return _npz_with(npz, **arrays)
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["empty", "not_a_zip", "truncated_zip", "pickle",
                                  "object_array", "single_npy", "missing_array",
                                  "tampered_values"])
def test_damaged_npz_is_set_aside_with_a_warning_and_rebuilt(tmp_path, tiny, isolated_env,
                                                             kind):
    arrays, blobs = tiny
    data = write_files(tmp_path / "data", blobs)
    mnist.load_mnist(data_dir=data)
    [npz] = isolated_env.glob("*.npz")
    bad = _damage(kind, npz, blobs)
    npz.write_bytes(bad)

    with pytest.warns(mnist.MNISTCacheWarning) as caught:
        (_, t_train), _ = mnist.load_mnist(data_dir=data)
    assert list(t_train) == [0, 1, 2, 9, 5]
    [warning] = caught
    message = str(warning.message)
    aside = npz.with_name(npz.name + ".damaged")
    assert str(npz) in message and str(aside) in message and "is damaged" in message
    assert "allow_pickle" not in message
    assert warning.filename == __file__  # points at the caller's line
    assert aside.read_bytes() == bad
    if kind == "tampered_values":
        assert "checksum mismatch for train-labels-idx1-ubyte" in message
    # rebuilt: the new cache is good and used on its own
    for path in data.iterdir():
        path.unlink()
    (_, t_train), _ = mnist.load_mnist(data_dir=data)
    assert list(t_train) == [0, 1, 2, 9, 5]


def test_unreadable_npz_is_set_aside_and_not_called_damaged(tmp_path, tiny, isolated_env,
                                                           monkeypatch):
    data = write_files(tmp_path / "data", tiny[1])
    mnist.load_mnist(data_dir=data)
    [npz] = isolated_env.glob("*.npz")
    good = npz.read_bytes()

    def open_(path, mode="r", *args, **kwargs):
        if Path(path) == npz and "r" in mode:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return builtins.open(path, mode, *args, **kwargs)
    monkeypatch.setattr(mnist, "open", open_, raising=False)
    with pytest.warns(mnist.MNISTCacheWarning) as caught:
        (x_train, _), _ = mnist.load_mnist(data_dir=data)
    assert x_train.shape == (5, 784)
    message = str(caught[0].message)
    aside = npz.with_name(npz.name + ".unreadable")
    assert f"{npz} cannot be read (Permission denied)" in message and str(aside) in message
    assert "damaged" not in message
    assert aside.read_bytes() == good and npz.read_bytes() == good  # rebuilt


def test_npz_that_cannot_be_moved_aside_is_skipped(tmp_path, tiny, isolated_env,
                                                   monkeypatch):
    data = write_files(tmp_path / "data", tiny[1])
    mnist.load_mnist(data_dir=data)
    [npz] = isolated_env.glob("*.npz")
    npz.write_bytes(b"garbage")
    real_replace = os.replace

    def replace(src, dst):
        if Path(src) == npz:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_replace(src, dst)
    monkeypatch.setattr(os, "replace", replace)
    with pytest.warns(mnist.MNISTCacheWarning, match="Could not move it to .*Permission"):
        (x_train, _), _ = mnist.load_mnist(data_dir=data)
    assert x_train.shape == (5, 784)


def test_damaged_npz_without_data_files_ends_in_not_found(tmp_path, tiny, isolated_env,
                                                          monkeypatch):
    data = write_files(tmp_path / "data", tiny[1])
    mnist.load_mnist(data_dir=data)
    [npz] = isolated_env.glob("*.npz")
    npz.write_bytes(b"garbage")
    monkeypatch.setattr(mnist, "MIRRORS", [])
    with pytest.warns(mnist.MNISTCacheWarning), pytest.raises(mnist.MNISTNotFoundError):
        mnist.load_mnist()


def test_npz_array_larger_than_mnist_is_refused_before_reading(tmp_path, tiny, isolated_env):
    data = write_files(tmp_path / "data", tiny[1])
    mnist.load_mnist(data_dir=data)
    [npz] = isolated_env.glob("*.npz")
    _npz_with(npz, **{name: np.zeros(mnist.FILES[name].size + 10**6, np.uint8)
                      for name in NAMES})
    with pytest.warns(mnist.MNISTCacheWarning, match="larger than the MNIST file"):
        mnist.load_mnist(data_dir=data)


# --- damaged or unreadable local files ---------------------------------------

@pytest.mark.parametrize("damage", ["truncated", "flipped", "not_gzip_at_all"])
def test_damaged_gz_names_the_file_and_how_to_fix_it(tmp_path, tiny, isolated_env,
                                                     damage):
    data = write_files(tmp_path / "data", tiny[1])
    path = data / "t10k-images-idx3-ubyte.gz"
    good = path.read_bytes()
    bad = {"truncated": good[: len(good) // 2],
           "flipped": good[:20] + bytes([good[20] ^ 0xFF]) + good[21:],
           "not_gzip_at_all": b"<html>403 Forbidden</html>"}[damage]
    path.write_bytes(bad)
    with pytest.raises(mnist.MNISTCorruptFileError) as info:
        mnist.load_mnist(data_dir=data)
    message = str(info.value)
    assert str(path) in message and "delete" in message and "删除" in message
    assert path.read_bytes() == bad
    assert not isolated_env.exists() or not list(isolated_env.iterdir())


def test_checksum_mismatch_names_file_expected_and_got(tmp_path, tiny):
    arrays, blobs = tiny
    other = idx_bytes(arrays["train-labels-idx1-ubyte"][::-1].copy())
    data = write_files(tmp_path / "data", {**blobs, "train-labels-idx1-ubyte": other})
    with pytest.raises(mnist.MNISTChecksumError) as info:
        mnist.load_mnist(data_dir=data)
    message = str(info.value)
    assert "train-labels-idx1-ubyte" in message
    assert mnist.FILES["train-labels-idx1-ubyte"].sha256 in message
    assert hashlib.sha256(other).hexdigest() in message


def test_truncated_idx_file_fails_its_checksum(tmp_path, tiny):
    data = write_files(tmp_path / "data", tiny[1], compress=False)
    path = data / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(mnist.MNISTChecksumError, match=re.escape(str(path))) as info:
        mnist.load_mnist(data_dir=data)
    assert "1,000 bytes" in str(info.value)


@pytest.mark.parametrize("compress", [True, False])
def test_local_file_bigger_than_mnist_stops_reading_and_names_the_file(tmp_path, tiny,
                                                                       monkeypatch, compress):
    """A gzip bomb (or a huge file) under a data file's name: reading stops
    at the known size, so memory stays small."""
    data = write_files(tmp_path / "data", tiny[1])
    path = data / ("train-labels-idx1-ubyte.gz" if compress else "train-labels-idx1-ubyte")
    (data / "train-labels-idx1-ubyte.gz").unlink()
    path.write_bytes(gzip_bomb(64) if compress else bytes(10**6))
    chunks = []
    real_read_at_most = mnist._read_at_most

    def spy(pieces, size, name, where):
        def counted():
            for piece in pieces:
                chunks.append(len(piece))
                yield piece
        if name != "train-labels-idx1-ubyte":
            return real_read_at_most(pieces, size, name, where)
        return real_read_at_most(counted(), size, name, where)
    monkeypatch.setattr(mnist, "_read_at_most", spy)
    with pytest.raises(mnist.MNISTCorruptFileError) as info:
        mnist.load_mnist(data_dir=data)
    message = str(info.value)
    size = mnist.FILES["train-labels-idx1-ubyte"].size
    assert str(path) in message
    assert f"more than the {size:,} bytes of the MNIST file train-labels-idx1-ubyte" in message
    assert sum(chunks) <= size + mnist._CHUNK  # stopped right after passing the size


def test_read_error_names_the_file_and_is_not_called_damaged(tmp_path, tiny, monkeypatch):
    data = write_files(tmp_path / "data", tiny[1])
    path = data / "t10k-labels-idx1-ubyte.gz"

    class FailingDisk:
        def __init__(self, file):
            self.file = file

        def read(self, size=-1):
            raise OSError(errno.EIO, "Input/output error")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

    def open_(name, mode="r", *args, **kwargs):
        file = builtins.open(name, mode, *args, **kwargs)
        return FailingDisk(file) if Path(name) == path else file
    monkeypatch.setattr(mnist, "open", open_, raising=False)
    with pytest.raises(mnist.MNISTReadError) as info:
        mnist.load_mnist(data_dir=data)
    message = str(info.value)
    assert f"Cannot read the MNIST file {path}: Input/output error" in message
    assert "damaged" not in message and info.value.errno == errno.EIO
    assert info.value.path == path


@settings(max_examples=40, deadline=None)
@given(shape=st.lists(st.integers(1, 5), min_size=1, max_size=3), cut=st.integers(1, 8))
def test_idx_round_trip_and_truncation(shape, cut):
    array = np.arange(np.prod(shape), dtype=np.uint8).reshape(shape)
    blob = idx_bytes(array)
    for data in (blob, bytearray(blob)):
        parsed = mnist._parse_idx(data, Path("x"))
        np.testing.assert_array_equal(parsed, array)
        assert parsed.flags.writeable
    assert mnist._idx_header(array) + array.tobytes() == blob
    with pytest.raises(mnist.MNISTCorruptFileError):
        mnist._parse_idx(blob[:-cut], Path("x"))


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=3000), cuts=st.lists(st.integers(0, 4000), max_size=5),
       members=st.integers(1, 3))
def test_streaming_gunzip_matches_gzip_decompress(data, cuts, members):
    """However the compressed bytes are cut into chunks, the output is the same."""
    blob = gzip.compress(data) * members
    edges = sorted({0, len(blob), *[min(c, len(blob)) for c in cuts]})
    chunks = [blob[a:b] for a, b in zip(edges, edges[1:])]
    assert b"".join(mnist._gunzip(iter(chunks), Path("x"))) == gzip.decompress(blob)


# --- downloads from the fake mirror ------------------------------------------

def test_download_from_a_good_mirror(mirror, isolated_env, capfd):
    (_, t_train), _ = mnist.load_mnist()
    assert list(t_train) == [0, 1, 2, 9, 5]
    assert asked(mirror, "a") == NAMES and not asked(mirror, "b")
    assert sorted(p.name for p in isolated_env.iterdir()) == sorted(
        [f"{n}.gz" for n in NAMES] + [mnist._npz_name()])
    assert part_files(isolated_env) == []
    err = capfd.readouterr().err
    assert f"Downloading {mirror.url('a')}{NAMES[0]}.gz" in err


def test_404_then_next_mirror_succeeds_and_is_tried_first_afterwards(mirror, isolated_env):
    mirror.modes["a"] = "not_found"
    (x_train, _), _ = mnist.load_mnist()
    assert x_train.shape == (5, 784)
    assert asked(mirror, "a") == NAMES[:1]  # the mirror that worked goes first
    assert asked(mirror, "b") == NAMES
    assert part_files(isolated_env) == []


def test_404_on_all_mirrors(mirror, isolated_env):
    for prefix in "abc":
        mirror.modes[prefix] = "not_found"
    with pytest.raises(mnist.MNISTNotFoundError) as info:
        mnist.load_mnist()
    message = str(info.value)
    urls = [m + NAMES[0] + ".gz" for m in mnist.MIRRORS]
    assert mirror.requests == [f"/{prefix}/{NAMES[0]}.gz" for prefix in "abc"]
    for url in urls:
        assert url in message
    assert message.count("404 Client Error: Not Found") == len(mnist.MIRRORS)
    assert info.value.__suppress_context__  # one error, not a chain of them
    assert not isolated_env.exists() or list(isolated_env.iterdir()) == []


def test_connection_refused_everywhere_gives_one_bilingual_error(tmp_path, tiny,
                                                                 isolated_env, monkeypatch):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    address = closed.getsockname()
    closed.close()  # nothing listens there now: connecting is refused
    ALLOWED.add(address)
    try:
        monkeypatch.setattr(mnist, "MIRRORS", [f"http://127.0.0.1:{address[1]}/{p}/"
                                               for p in "abc"])
        monkeypatch.setattr(mnist, "_http_get", REAL_HTTP_GET)
        for var in PROXY_VARS:
            monkeypatch.delenv(var, raising=False)
        env_dir = tmp_path / "env"
        env_dir.mkdir()
        monkeypatch.setenv(mnist.DATA_ENV, str(env_dir))
        data = tmp_path / "empty"
        data.mkdir()
        with pytest.raises(FileNotFoundError) as info:
            mnist.load_mnist(data_dir=data)
    finally:
        ALLOWED.discard(address)
    assert isinstance(info.value, mnist.MNISTNotFoundError)
    message = str(info.value)
    assert re.search("[\u4e00-\u9fff]", message), "no Chinese text"
    assert "not found" in message and "找不到" in message
    for base in mnist.MIRRORS:
        assert f"{base}{NAMES[0]}.gz: ConnectionError: " in message
    for folder in (data, env_dir, isolated_env):
        assert str(folder) in message
    assert "NNGUIDE_DATA" in message and "data_dir" in message and "HTTPS_PROXY" in message
    for name in NAMES:
        assert name in message


@pytest.mark.parametrize("mode", ["trickle", "trickle_head", "silent"])
def test_stalled_mirrors_are_dropped_and_the_load_gives_up(mirror, isolated_env, mode):
    """Every mirror stalls: each is dropped after about TIMEOUT seconds."""
    for prefix in "abc":
        mirror.modes[prefix] = mode
    start = time.monotonic()
    with pytest.raises(mnist.MNISTNotFoundError) as info:
        mnist.load_mnist()
    elapsed = time.monotonic() - start
    assert 3 * TEST_TIMEOUT * 0.9 <= elapsed <= 3 * TEST_TIMEOUT + 2.0
    message = str(info.value)
    for base in mnist.MIRRORS:
        assert f"{base}{NAMES[0]}.gz: " in message
    assert re.search(r"stalled|ReadTimeout", message)
    if mode != "silent":  # bytes keep coming, so only the rate check can see it
        assert message.count("stalled: ") == 3
        assert "less than the 1,024 bytes per second" in message
    assert part_files(isolated_env) == []
    mirror.close()  # the helper threads end once their connection does
    deadline = time.monotonic() + 5
    while helper_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert helper_threads() == []


def test_stalled_first_mirror_costs_timeout_once(mirror, isolated_env):
    mirror.modes["a"] = "trickle"
    start = time.monotonic()
    (x_train, _), _ = mnist.load_mnist()
    elapsed = time.monotonic() - start
    assert x_train.shape == (5, 784)
    assert asked(mirror, "a") == NAMES[:1] and asked(mirror, "b") == NAMES
    assert elapsed < 2 * TEST_TIMEOUT + 1.5
    assert part_files(isolated_env) == []


def test_slow_but_steady_mirror_is_not_dropped(mirror, isolated_env, monkeypatch):
    """A rate check, not a deadline: a transfer longer than several TIMEOUTs passes."""
    mirror.modes["a"] = "slow"
    mirror.piece, mirror.interval = 128, 0.05  # 2.5 KB/s: ten times the minimum
    monkeypatch.setattr(mnist, "MIN_RATE", 256)
    start = time.monotonic()
    (x_train, _), _ = mnist.load_mnist()
    assert time.monotonic() - start > 3 * TEST_TIMEOUT
    assert x_train.shape == (5, 784)
    assert asked(mirror, "a") == NAMES and not asked(mirror, "b")


def test_connection_closed_early_is_rejected_and_next_mirror_used(mirror, isolated_env):
    mirror.modes["a"] = "close_early"
    (_, t_train), _ = mnist.load_mnist()
    assert list(t_train) == [0, 1, 2, 9, 5]
    assert asked(mirror, "b") == NAMES
    assert sorted(p.name for p in isolated_env.iterdir() if p.suffix == ".gz") == \
        sorted(f"{n}.gz" for n in NAMES)
    assert part_files(isolated_env) == []


def test_truncated_files_everywhere_leave_nothing_behind(mirror, isolated_env):
    """Files that end early without the server saying so (no Content-Length lie)."""
    mirror.files = {name: data[:30] for name, data in mirror.files.items()}
    with pytest.raises(mnist.MNISTNotFoundError, match="not a complete gzip file"):
        mnist.load_mnist()
    assert list(isolated_env.iterdir()) == []


def test_gzip_bomb_from_a_mirror_is_stopped_and_next_mirror_used(mirror, isolated_env,
                                                                capfd):
    mirror.modes["a"] = "bomb"
    mirror.bomb = SMALL_BOMB
    (x_train, _), _ = mnist.load_mnist()
    assert x_train.shape == (5, 784)
    assert asked(mirror, "a") == NAMES[:1] and asked(mirror, "b") == NAMES
    size = mnist.FILES[NAMES[0]].size
    assert f"failed: bad data: it decompresses to more than the {size:,} bytes" in \
        capfd.readouterr().err


def test_gzip_bomb_on_every_mirror_names_the_file(mirror, isolated_env):
    for prefix in "abc":
        mirror.modes[prefix] = "bomb"
    mirror.bomb = SMALL_BOMB
    with pytest.raises(mnist.MNISTNotFoundError) as info:
        mnist.load_mnist()
    message = str(info.value)
    size = mnist.FILES[NAMES[0]].size
    assert message.count(f"bad data: it decompresses to more than the {size:,} bytes of "
                         f"the MNIST file {NAMES[0]}") == 3
    assert part_files(isolated_env) == [] and list(isolated_env.iterdir()) == []


def test_download_bigger_than_any_copy_is_cut_off(mirror, isolated_env):
    for prefix in "abc":
        mirror.modes[prefix] = "bomb"
    mirror.bomb = bytes(mnist._max_download_size(NAMES[0]) + 1)
    with pytest.raises(mnist.MNISTNotFoundError, match="more than any copy"):
        mnist.load_mnist()
    assert part_files(isolated_env) == []


def test_download_with_checksum_mismatch(mirror, isolated_env):
    wrong = idx_bytes(np.zeros(5, dtype=np.uint8))
    mirror.files = {name: gzip.compress(wrong) for name in mirror.files}
    with pytest.raises(mnist.MNISTNotFoundError) as info:
        mnist.load_mnist()
    message = str(info.value)
    assert "checksum mismatch" in message
    assert mnist.FILES[NAMES[0]].sha256 in message
    assert hashlib.sha256(wrong).hexdigest() in message
    assert list(isolated_env.iterdir()) == []


def test_only_missing_files_are_downloaded(tmp_path, tiny, mirror):
    data = write_files(tmp_path / "data", tiny[1], names=NAMES[1:])
    mnist.load_mnist(data_dir=data)
    assert mirror.requests == [f"/a/{NAMES[0]}.gz"]


def test_unwritable_cache_downloads_to_a_temporary_folder(tmp_path, mirror, monkeypatch):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    monkeypatch.setenv(mnist.CACHE_ENV, str(blocker / "cache"))
    targets = []
    monkeypatch.setattr(mnist, "_http_get",
                        lambda url, out, size: (targets.append(Path(out)),
                                                REAL_HTTP_GET(url, out, size)))
    (x_train, _), _ = mnist.load_mnist()
    assert x_train.shape == (5, 784) and len(targets) == len(NAMES)
    assert all(not t.exists() and not t.parent.exists() for t in targets)


# --- local write failures are reported as such, at once ----------------------

class FullDiskFile:
    """A file whose every write fails with ENOSPC, as on a full disk."""

    def __init__(self, file):
        self.file = file

    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.file.close()


def test_full_disk_during_download_is_reported_at_once(mirror, isolated_env, monkeypatch):
    def open_(name, mode="r", *args, **kwargs):
        file = builtins.open(name, mode, *args, **kwargs)
        return FullDiskFile(file) if "w" in mode and str(name).endswith(".part") else file
    monkeypatch.setattr(mnist, "open", open_, raising=False)
    with pytest.raises(mnist.MNISTWriteError) as info:
        mnist.load_mnist()
    message = str(info.value)
    assert "No space left on device" in message and str(isolated_env) in message
    assert "free some disk space" in message and mnist.CACHE_ENV in message
    assert "mirror" not in message and "download by hand" not in message
    assert info.value.errno == errno.ENOSPC
    assert mirror.requests == [f"/a/{NAMES[0]}.gz"]  # no other mirror was tried
    assert part_files(isolated_env) == []


def test_read_only_download_folder_is_reported_before_any_download(tmp_path, mirror,
                                                                    monkeypatch):
    """Root ignores permission bits, so the refusal is simulated at the file system call."""
    folder = tmp_path / "mnist"
    folder.mkdir()
    real_touch = Path.touch

    def touch(path, *args, **kwargs):
        if path.parent == folder:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_touch(path, *args, **kwargs)
    monkeypatch.setattr(Path, "touch", touch)
    with pytest.raises(mnist.MNISTWriteError) as info:
        mnist.download(folder)
    message = str(info.value)
    assert f"Cannot write {folder / NAMES[0]}.gz: Read-only file system" in message
    assert "mirror" not in message
    assert mirror.requests == []


def test_download_into_a_path_below_a_file_is_reported_at_once(tmp_path, mirror):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file")
    with pytest.raises(mnist.MNISTWriteError, match=re.escape(str(blocker / "mnist"))):
        mnist.download(blocker / "mnist")
    with pytest.raises(NotADirectoryError, match="is a file, not a folder"):
        mnist.download(blocker)
    assert mirror.requests == []


def test_target_that_is_a_folder_is_reported_at_once(mirror, isolated_env):
    (isolated_env / f"{NAMES[0]}.gz").mkdir(parents=True)  # in the way of the download
    with pytest.raises(mnist.MNISTWriteError) as info:
        mnist.load_mnist()
    assert f"Cannot write {isolated_env / NAMES[0]}.gz" in str(info.value)
    assert mirror.requests == [f"/a/{NAMES[0]}.gz"]
    assert part_files(isolated_env) == []


# --- temporary files: stale ones removed, signals clean up --------------------

def _part(folder, target, age_seconds):
    path = folder / f".{target}.{os.urandom(6).hex()}.part"
    path.write_bytes(b"half a file")
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


def test_stale_part_files_are_removed_on_the_next_run(tmp_path, tiny, isolated_env):
    data = write_files(tmp_path / "data", tiny[1])
    mnist.load_mnist(data_dir=data)  # the cache now exists and is good
    old = [_part(isolated_env, f"{NAMES[0]}.gz", 2 * 3600),
           _part(isolated_env, mnist._npz_name(), 3601)]
    fresh = _part(isolated_env, f"{NAMES[1]}.gz", 60)  # maybe another process's
    foreign = [_part(isolated_env, "notes.txt", 2 * 3600),
               isolated_env / f".{NAMES[2]}.gz.part"]
    foreign[1].write_text("not ours")
    os.utime(foreign[1], (0, 0))
    mnist.load_mnist(data_dir=data)
    assert not any(p.exists() for p in old)
    assert fresh.exists() and all(p.exists() for p in foreign)


def test_download_removes_stale_part_files_in_its_folder(tmp_path, tiny):
    folder = write_files(tmp_path / "mnist", tiny[1])
    old = _part(folder, f"{NAMES[3]}.gz", 7200)
    mnist.download(folder)
    assert not old.exists()


CHILD = """
import sys
from nnguide import mnist
mnist.MIRRORS = [sys.argv[1]]
mnist.TIMEOUT = 60
mnist.download(sys.argv[2])
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_during_download_removes_the_partial_file(tmp_path, mirror, signum):
    """SIGTERM cleans up like Ctrl-C, then the process ends by the signal as usual."""
    mirror.modes["a"] = "trickle"
    folder = tmp_path / "mnist"
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    # Ctrl-C enabled in the child: a background job (`make test &`) ignores SIGINT, and a
    # Python started with SIGINT ignored never raises KeyboardInterrupt.
    child = subprocess.Popen([sys.executable, "-c", CHILD, mirror.url("a"), str(folder)],
                             env=env, cwd=REPO, stderr=subprocess.PIPE,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 30
        while not (part_files(folder) and mirror.requests) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert part_files(folder), "the child never started downloading"
        time.sleep(0.3)  # let a few bytes arrive
        child.send_signal(signum)
        _, stderr = child.communicate(timeout=15)
    finally:
        child.kill()
    assert child.returncode == -signum, stderr.decode()
    assert list(folder.iterdir()) == []  # the partial file is gone, nothing else written


# --- the real data -----------------------------------------------------------

TRAIN_COUNTS = {0: 5923, 1: 6742, 2: 5958, 3: 6131, 4: 5842,
                5: 5421, 6: 5918, 7: 6265, 8: 5851, 9: 5949}
TEST_COUNTS = {0: 980, 1: 1135, 2: 1032, 3: 1010, 4: 982,
               5: 892, 6: 958, 7: 1028, 8: 974, 9: 1009}


@pytest.fixture(scope="session")
def real_load(mnist_dir, tmp_path_factory):
    """``load(**flags)``: load_mnist on the real data, memoized per flag set,
    with a private cache folder and no network."""
    cache = tmp_path_factory.mktemp("real-mnist-cache")
    results = {}

    def load(**flags):
        key = tuple(sorted(flags.items()))
        if key not in results:
            with pytest.MonkeyPatch.context() as mp:
                _forbid_network(mp, [])
                mp.setenv(mnist.CACHE_ENV, str(cache))
                mp.delenv(mnist.DATA_ENV, raising=False)
                results[key] = mnist.load_mnist(data_dir=mnist_dir, **flags)
        return results[key]
    return load


def test_real_default_format(real_load):
    (x_train, t_train), (x_test, t_test) = real_load()
    assert x_train.shape == (60000, 784) and x_test.shape == (10000, 784)
    assert x_train.dtype == x_test.dtype == np.float32
    assert t_train.shape == (60000,) and t_test.shape == (10000,)
    assert t_train.dtype == t_test.dtype == np.uint8
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    assert x_test.min() == 0.0 and x_test.max() == 1.0


def test_real_raw_images(real_load):
    (x_train, _), (x_test, _) = real_load(normalize=False, flatten=False)
    assert x_train.shape == (60000, 1, 28, 28) and x_test.shape == (10000, 1, 28, 28)
    assert x_train.dtype == np.uint8 and x_train.max() == 255 and x_train.min() == 0
    (x_norm, _), _ = real_load()
    expected = x_train[:1000].reshape(1000, 784) / np.float32(255)
    np.testing.assert_array_equal(x_norm[:1000], expected)


def test_real_label_counts(real_load):
    (_, t_train), (_, t_test) = real_load()
    assert dict(enumerate(np.bincount(t_train).tolist())) == TRAIN_COUNTS
    assert dict(enumerate(np.bincount(t_test).tolist())) == TEST_COUNTS


def test_real_one_hot_matches_labels(real_load):
    (_, t_train), (_, t_test) = real_load()
    (_, h_train), (_, h_test) = real_load(normalize=False, one_hot_label=True)
    for labels, one_hot in [(t_train, h_train), (t_test, h_test)]:
        assert one_hot.shape == (len(labels), 10) and one_hot.dtype == np.float32
        assert set(np.unique(one_hot).tolist()) == {0.0, 1.0}
        np.testing.assert_array_equal(one_hot.sum(axis=1), 1.0)
        np.testing.assert_array_equal(one_hot.argmax(axis=1), labels)


def test_real_files_have_the_recorded_sizes(mnist_dir):
    for name, info in mnist.FILES.items():
        with gzip.open(mnist_dir / f"{name}.gz") as file:
            assert len(file.read()) == info.size, name


# Peak memory from /proc: getrusage's ru_maxrss in a child of a big process
# (pytest holding real MNIST) keeps the parent's high-water mark.
BOMB_CHILD = r"""
import re, sys
from nnguide import mnist
try:
    mnist.load_mnist(data_dir=sys.argv[1])
except mnist.MNISTCorruptFileError as err:
    print(err)
with open("/proc/self/status") as status:
    print("peak_kib", re.search(r"VmHWM:\s+(\d+) kB", status.read())[1])
"""


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KiB (Linux)")
def test_real_size_gzip_bomb_takes_little_memory(tmp_path):
    """A 2 MB bomb (2 GiB decompressed) named like the training images."""
    folder = tmp_path / "data"
    folder.mkdir()
    bomb = folder / "train-images-idx3-ubyte.gz"
    bomb.write_bytes(gzip_bomb(2048))
    env = {**os.environ, mnist.CACHE_ENV: str(tmp_path / "cache")}
    env.pop(mnist.DATA_ENV, None)
    result = subprocess.run([sys.executable, "-c", BOMB_CHILD, str(folder)], env=env,
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert str(bomb) in result.stdout and "decompresses to more than the 47,040,016" \
        in result.stdout
    peak_mib = int(result.stdout.rsplit("peak_kib", 1)[1]) / 1024
    assert peak_mib < 200, f"peak memory {peak_mib:.0f} MiB"


def test_download_puts_the_four_files_in_the_folder(tmp_path, mirror):
    folder = mnist.download(tmp_path / "mnist")
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.gz" for n in NAMES)
    assert len(mirror.requests) == len(NAMES)
    mnist.download(folder)                       # already there: verified, not fetched again
    assert len(mirror.requests) == len(NAMES)
    (x_train, _), _ = mnist.load_mnist(data_dir=folder)
    assert x_train.shape == (5, 784)


def test_import_has_no_side_effects(tmp_path):
    """Importing the module (alone, without the package) creates no files."""
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    env.pop(mnist.CACHE_ENV, None)
    code = ("import importlib.util, sys, signal\n"
            "spec = importlib.util.spec_from_file_location('m', sys.argv[1])\n"
            "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
            "assert 'requests' not in sys.modules\n"
            "assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL\n")
    subprocess.run([sys.executable, "-c", code, mnist.__file__], env=env, check=True,
                   cwd=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_sigterm_handler_is_restored_after_a_load(tmp_path, tiny, mirror):
    before = signal.getsignal(signal.SIGTERM)
    mnist.load_mnist()
    assert signal.getsignal(signal.SIGTERM) is before
