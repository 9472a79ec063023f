"""Tests for nnguide.mnist: tiny hand-made IDX files, faked downloads, real data.

No test touches the network: every socket connection attempt fails the test,
and downloads go through a fake ``_http_get``.
"""

import gzip
import hashlib
import os
import re
import socket
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from nnguide import mnist

NAMES = list(mnist.FILES)
REAL_HTTP_GET = mnist._http_get


# --- fixtures ----------------------------------------------------------------

def _forbid_network(mp, attempts):
    """Make every socket connection or DNS lookup record itself and fail."""
    def refuse(*args, **kwargs):
        attempts.append(args)
        raise RuntimeError("network access attempted in a test")
    mp.setattr(socket.socket, "connect", refuse)
    mp.setattr(socket.socket, "connect_ex", refuse)
    mp.setattr(socket, "getaddrinfo", refuse)


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

    def unexpected_download(url, output_file):
        pytest.fail(f"unexpected download of {url}")
    monkeypatch.setattr(mnist, "_http_get", unexpected_download)
    return tmp_path / "cache"


def idx_bytes(array):
    """Encode a uint8 array as IDX: magic 0x0000080N, big-endian dims, data."""
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


@pytest.fixture
def tiny(monkeypatch):
    """Tiny MNIST-like arrays (5 train, 3 test images); FILES hashes match them."""
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
        sha = hashlib.sha256(blob).hexdigest()
        monkeypatch.setitem(mnist.FILES, name, mnist.FileInfo(sha, "0" * 32))
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


def fake_http(responses, calls):
    """Return a fake ``_http_get``: ``responses(url)`` gives bytes or an exception."""
    def http_get(url, output_file):
        calls.append(url)
        result = responses(url)
        if isinstance(result, BaseException):
            raise result
        Path(output_file).write_bytes(result)
    return http_get


def http_error(code, reason, url):
    """A requests.HTTPError like ``raise_for_status`` raises."""
    response = requests.Response()
    response.status_code, response.reason, response.url = code, reason, url
    return requests.HTTPError(f"{code} Client Error: {reason} for url: {url}",
                              response=response)


def good_gz(blobs, url):
    """Original-style .gz bytes of the file the URL names."""
    return gzip.compress(blobs[url.rsplit("/", 1)[1].removesuffix(".gz")])


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


@pytest.mark.parametrize("kwargs, name", [
    ({"normalize": "yes"}, "normalize"),
    ({"flatten": 1}, "flatten"),
    ({"one_hot_label": None}, "one_hot_label"),
    ({"data_dir": 42}, "data_dir"),
])
def test_bad_arguments_raise_clear_type_error(kwargs, name):
    with pytest.raises(TypeError, match=name) as info:
        mnist.load_mnist(**kwargs)
    assert repr(next(iter(kwargs.values()))) in str(info.value)


def test_numpy_bool_flags_are_accepted(tmp_path, tiny):
    data = write_files(tmp_path / "data", tiny[1])
    (x, _), _ = mnist.load_mnist(normalize=np.bool_(False), data_dir=data)
    assert x.dtype == np.uint8


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
    assert issubclass(mnist.MNISTNotFoundError, FileNotFoundError)


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


@pytest.mark.parametrize("content", [b"", b"not a zip", b"PK\x03\x04truncated"])
def test_corrupt_npz_names_the_file_and_is_left_alone(tmp_path, tiny, isolated_env,
                                                      content):
    data = write_files(tmp_path / "data", tiny[1])
    mnist.load_mnist(data_dir=data)
    [npz] = isolated_env.iterdir()
    npz.write_bytes(content)
    with pytest.raises(mnist.MNISTCorruptFileError) as info:
        mnist.load_mnist(data_dir=data)
    assert str(npz) in str(info.value) and "delete" in str(info.value)
    assert npz.read_bytes() == content


def test_npz_with_tampered_values_fails_its_checksum(tmp_path, tiny, isolated_env):
    data = write_files(tmp_path / "data", tiny[1])
    mnist.load_mnist(data_dir=data)
    [npz] = isolated_env.iterdir()
    with np.load(npz, allow_pickle=False) as archive:
        arrays = dict(archive)
    arrays["train-labels-idx1-ubyte"][0] = 8
    with open(npz, "wb") as file:
        np.savez(file, **arrays)
    with pytest.raises(mnist.MNISTChecksumError, match="train-labels-idx1-ubyte"):
        mnist.load_mnist(data_dir=data)


# --- damaged local files -----------------------------------------------------

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
    with pytest.raises(mnist.MNISTChecksumError, match=re.escape(str(path))):
        mnist.load_mnist(data_dir=data)


@settings(max_examples=40, deadline=None)
@given(shape=st.lists(st.integers(1, 5), min_size=1, max_size=3), cut=st.integers(1, 8))
def test_idx_round_trip_and_truncation(shape, cut):
    array = np.arange(np.prod(shape), dtype=np.uint8).reshape(shape)
    blob = idx_bytes(array)
    np.testing.assert_array_equal(mnist._parse_idx(blob, Path("x")), array)
    assert mnist._idx_header(array) + array.tobytes() == blob
    with pytest.raises(mnist.MNISTCorruptFileError):
        mnist._parse_idx(blob[:-cut], Path("x"))


# --- downloads (faked) -------------------------------------------------------

def test_403_then_next_mirror_succeeds(tiny, isolated_env, monkeypatch):
    _, blobs = tiny
    calls = []
    monkeypatch.setattr(mnist, "_http_get", fake_http(
        lambda url: http_error(403, "Forbidden", url) if url.startswith(mnist.MIRRORS[0])
        else good_gz(blobs, url), calls))
    (x_train, _), _ = mnist.load_mnist()
    assert x_train.shape == (5, 784)
    for name in NAMES:
        tried = [url for url in calls if name in url]
        assert tried == [mirror + name + ".gz" for mirror in mnist.MIRRORS[:2]]
        assert (isolated_env / f"{name}.gz").is_file()
    assert not list(isolated_env.glob(".*"))  # no temporary files left


def test_only_missing_files_are_downloaded(tmp_path, tiny, monkeypatch):
    _, blobs = tiny
    data = write_files(tmp_path / "data", blobs, names=NAMES[1:])
    calls = []
    monkeypatch.setattr(mnist, "_http_get",
                        fake_http(lambda url: good_gz(blobs, url), calls))
    mnist.load_mnist(data_dir=data)
    assert calls == [mnist.MIRRORS[0] + NAMES[0] + ".gz"]


def test_404_on_all_mirrors(tiny, isolated_env, monkeypatch):
    calls = []
    monkeypatch.setattr(mnist, "_http_get",
                        fake_http(lambda url: http_error(404, "Not Found", url), calls))
    with pytest.raises(mnist.MNISTNotFoundError) as info:
        mnist.load_mnist()
    message = str(info.value)
    assert calls == [m + NAMES[0] + ".gz" for m in mnist.MIRRORS]
    for url in calls:
        assert url in message
    assert message.count("404 Client Error: Not Found") == len(mnist.MIRRORS)
    assert info.value.__suppress_context__  # one error, not a chain of them
    assert not list(isolated_env.iterdir())


def test_timeout_on_every_mirror(tiny, monkeypatch):
    monkeypatch.setattr(mnist, "_http_get", fake_http(
        lambda url: requests.exceptions.ConnectTimeout(f"timed out: {url}"), []))
    with pytest.raises(mnist.MNISTNotFoundError, match="ConnectTimeout"):
        mnist.load_mnist()


@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_truncated_download_is_rejected_and_next_mirror_used(tiny, isolated_env,
                                                             monkeypatch, cut):
    _, blobs = tiny
    calls = []

    def respond(url):
        data = good_gz(blobs, url)
        return data[: int(len(data) * cut)] if url.startswith(mnist.MIRRORS[0]) else data
    monkeypatch.setattr(mnist, "_http_get", fake_http(respond, calls))
    (_, t_train), _ = mnist.load_mnist()
    assert list(t_train) == [0, 1, 2, 9, 5]
    assert len(calls) == 2 * len(NAMES)
    assert sorted(p.name for p in isolated_env.iterdir() if p.suffix == ".gz") == \
        sorted(f"{n}.gz" for n in NAMES)
    assert not list(isolated_env.glob(".*"))


def test_truncated_download_everywhere_leaves_nothing_behind(tiny, isolated_env,
                                                             monkeypatch):
    _, blobs = tiny
    monkeypatch.setattr(mnist, "_http_get",
                        fake_http(lambda url: good_gz(blobs, url)[:30], []))
    with pytest.raises(mnist.MNISTNotFoundError, match="not a complete gzip file"):
        mnist.load_mnist()
    assert list(isolated_env.iterdir()) == []


def test_download_with_checksum_mismatch(tiny, isolated_env, monkeypatch):
    wrong = idx_bytes(np.zeros(5, dtype=np.uint8))
    monkeypatch.setattr(mnist, "_http_get",
                        fake_http(lambda url: gzip.compress(wrong), []))
    with pytest.raises(mnist.MNISTNotFoundError) as info:
        mnist.load_mnist()
    message = str(info.value)
    assert "checksum mismatch" in message
    assert mnist.FILES[NAMES[0]].sha256 in message
    assert hashlib.sha256(wrong).hexdigest() in message
    assert list(isolated_env.iterdir()) == []


def test_offline_with_no_files_gives_one_bilingual_error(tmp_path, tiny, isolated_env,
                                                         monkeypatch):
    env_dir = tmp_path / "env"
    env_dir.mkdir()
    monkeypatch.setenv(mnist.DATA_ENV, str(env_dir))
    monkeypatch.setattr(mnist, "_http_get", fake_http(
        lambda url: requests.ConnectionError("Failed to resolve host"), []))
    with pytest.raises(FileNotFoundError) as info:
        mnist.load_mnist(data_dir=tmp_path / "nowhere")
    assert isinstance(info.value, mnist.MNISTNotFoundError)
    message = str(info.value)
    assert re.search("[\u4e00-\u9fff]", message), "no Chinese text"
    assert "not found" in message and "找不到" in message
    for mirror in mnist.MIRRORS:
        assert mirror in message
    for folder in (tmp_path / "nowhere", env_dir, isolated_env):
        assert str(folder) in message
    assert "NNGUIDE_DATA" in message and "data_dir" in message
    for name in NAMES:
        assert name in message


def test_unwritable_cache_downloads_to_a_temporary_folder(tmp_path, tiny, monkeypatch):
    _, blobs = tiny
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    monkeypatch.setenv(mnist.CACHE_ENV, str(blocker / "cache"))
    targets = []

    def respond(url):
        return good_gz(blobs, url)
    http_get = fake_http(respond, [])
    monkeypatch.setattr(mnist, "_http_get",
                        lambda url, out: (targets.append(Path(out)), http_get(url, out)))
    (x_train, _), _ = mnist.load_mnist()
    assert x_train.shape == (5, 784)
    assert all(not t.exists() and not t.parent.exists() for t in targets)


def test_http_get_uses_pooch_with_timeout_and_progress(tmp_path, monkeypatch):
    made = []

    class FakeDownloader:
        def __init__(self, **kwargs):
            made.append(kwargs)

        def __call__(self, url, output_file, pooch):
            Path(output_file).write_bytes(url.encode())
    monkeypatch.setattr(mnist.pooch, "HTTPDownloader", FakeDownloader)
    out = tmp_path / "out"
    REAL_HTTP_GET("https://example.invalid/f.gz", str(out))
    assert out.read_bytes() == b"https://example.invalid/f.gz"
    assert made[0]["timeout"] == mnist.TIMEOUT and made[0]["progressbar"] is True


def test_import_has_no_side_effects(tmp_path):
    """Importing the module (alone, without the package) creates no files."""
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    env.pop(mnist.CACHE_ENV, None)
    code = ("import importlib.util, sys\n"
            "spec = importlib.util.spec_from_file_location('m', sys.argv[1])\n"
            "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
            "assert 'requests' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code, mnist.__file__], env=env, check=True,
                   cwd=tmp_path)
    assert list(tmp_path.iterdir()) == []


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


def test_download_puts_the_four_files_in_the_folder(tmp_path, tiny, isolated_env, monkeypatch):
    _, blobs = tiny
    calls = []
    monkeypatch.setattr(mnist, "_http_get", fake_http(lambda url: good_gz(blobs, url), calls))
    folder = mnist.download(tmp_path / "mnist")
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.gz" for n in NAMES)
    assert len(calls) == len(NAMES)
    mnist.download(folder)                       # already there: verified, not fetched again
    assert len(calls) == len(NAMES)
    (x_train, _), _ = mnist.load_mnist(data_dir=folder)
    assert x_train.shape == (5, 784)


def test_download_needs_a_folder():
    with pytest.raises(TypeError, match=r"give the folder"):
        mnist.download(None)
