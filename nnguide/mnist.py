"""Load the MNIST handwritten digits safely, in the book's format.

``load_mnist`` looks for the four standard IDX files (``.gz`` or already
decompressed) in, in this order:

1. the ``data_dir`` argument,
2. the folder named by the environment variable ``NNGUIDE_DATA``,
3. the user cache folder (``pooch.os_cache("nnguide")``, or the folder named
   by ``NNGUIDE_CACHE``).

Only files that are found nowhere are downloaded, with pooch, from
``MIRRORS`` in order. Every file is checked against the SHA-256 of its
*decompressed* IDX bytes (``FILES``), so both the mirrors' original ``.gz``
files and re-compressed copies pass. The parsed arrays are cached as one
``.npz`` file (never a pickle) in the user cache folder. Every file this
module writes is first written to a temporary file in the same folder and
then moved into place with ``os.replace``, so no file is ever half written.
Data folders are only read, never written.
"""

import gzip
import hashlib
import math
import os
import secrets
import struct
import sys
import tempfile
import zipfile
import warnings
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import numpy as np
from tqdm import TqdmWarning

with warnings.catch_warnings():
    # pooch imports tqdm.auto, which warns inside Jupyter when ipywidgets is
    # missing; the downloads use tqdm's plain text bar, so the notice is noise.
    warnings.simplefilter("ignore", TqdmWarning)
    import pooch

__all__ = [
    "CACHE_ENV",
    "DATA_ENV",
    "FILES",
    "MIRRORS",
    "FileInfo",
    "MNISTChecksumError",
    "MNISTCorruptFileError",
    "MNISTNotFoundError",
    "TIMEOUT",
    "download",
    "load_mnist",
]

MIRRORS = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
]
"""Base URLs tried in this order; a file's URL is ``base + name + ".gz"``."""


class FileInfo(NamedTuple):
    """Checksums of one MNIST file."""

    sha256: str
    """SHA-256 of the decompressed IDX bytes (what is verified)."""
    gz_md5: str
    """MD5 of the original ``.gz`` on the mirrors (for reference only)."""


FILES = {
    "train-images-idx3-ubyte": FileInfo(
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    ),
    "train-labels-idx1-ubyte": FileInfo(
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        "d53e105ee54ea40749a09fcbcd1e9432",
    ),
    "t10k-images-idx3-ubyte": FileInfo(
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        "9fb629c4189551a2d022fa330f9573f3",
    ),
    "t10k-labels-idx1-ubyte": FileInfo(
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        "ec29112dd5afa0611ce80d1b7f02629c",
    ),
}
"""The four MNIST files by name (without ``.gz``) and their checksums."""

DATA_ENV = "NNGUIDE_DATA"
"""Environment variable naming a folder that holds the four files."""

CACHE_ENV = "NNGUIDE_CACHE"
"""Environment variable replacing the user cache folder."""

TIMEOUT = 30
"""Seconds to wait for a mirror before giving up on it."""

_TRAIN = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
_TEST = ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
_GZIP_MAGIC = b"\x1f\x8b"
_NUM_CLASSES = 10


class MNISTNotFoundError(FileNotFoundError):
    """The MNIST files are not on disk and no mirror could provide them."""


class MNISTCorruptFileError(ValueError):
    """A local MNIST file (``.gz``, IDX or ``.npz`` cache) is damaged.

    Attributes
    ----------
    path : pathlib.Path
        The damaged file.
    problem : str
        What is wrong with it, in one sentence.
    """

    def __init__(self, path, problem):
        self.path = Path(path)
        self.problem = problem
        super().__init__(
            f"MNIST file {self.path} is damaged: {problem}\n"
            f"Fix: delete this file and run again (it will be downloaded or "
            f"rebuilt), or replace it with a good copy.\n"
            f"文件已损坏或不完整：请删除该文件后重新运行（会重新下载或重建），"
            f"或换成完好的副本。"
        )


class MNISTChecksumError(MNISTCorruptFileError):
    """A file's decompressed bytes do not have the expected SHA-256."""


def load_mnist(normalize=True, flatten=True, one_hot_label=False, data_dir=None):
    """Load MNIST as ``((x_train, t_train), (x_test, t_test))``.

    Parameters
    ----------
    normalize : bool, default True
        True: images as float32 in ``[0, 1]`` (pixel / 255).
        False: images as uint8 in ``[0, 255]``.
    flatten : bool, default True
        True: images of shape (N, 784). False: shape (N, 1, 28, 28).
    one_hot_label : bool, default False
        True: labels as float32 one-hot rows of shape (N, 10).
        False: labels as uint8 class numbers of shape (N,).
    data_dir : str or os.PathLike, optional
        Folder searched first for the four files (``.gz`` or decompressed).
        It is only read, never written.

    Returns
    -------
    (x_train, t_train), (x_test, t_test) : tuple of tuple of numpy.ndarray
        N is 60000 for the training set and 10000 for the test set.

    Raises
    ------
    TypeError
        If a flag is not a bool, or ``data_dir`` is not a path.
    MNISTNotFoundError
        If a file is not on disk and every mirror failed.
    MNISTCorruptFileError
        If a file on disk is truncated or damaged
        (``MNISTChecksumError`` if only its checksum is wrong).

    Examples
    --------
    >>> from nnguide import load_mnist
    >>> (x_train, t_train), (x_test, t_test) = load_mnist()
    >>> x_train.shape, x_train.dtype, t_train.shape
    ((60000, 784), dtype('float32'), (60000,))
    """
    for name, value in [("normalize", normalize), ("flatten", flatten),
                        ("one_hot_label", one_hot_label)]:
        _check_flag(name, value)
    cache = _cache_dir()
    raw = _load_raw(_search_dirs(data_dir, cache), cache)
    return tuple(
        (_images(raw[images], normalize, flatten), _labels(raw[labels], one_hot_label))
        for images, labels in (_TRAIN, _TEST)
    )


def download(data_dir):
    """Download the four MNIST ``.gz`` files into ``data_dir`` and verify them.

    Files already in ``data_dir`` are checked, not fetched again. Each
    download lands atomically, so an interrupted run leaves no half file.

    Parameters
    ----------
    data_dir : str or pathlib.Path
        The folder to keep the files in; created if missing.

    Returns
    -------
    pathlib.Path
        The folder, ready for ``load_mnist(data_dir=...)`` or ``$NNGUIDE_DATA``.
    """
    if data_dir is None:
        raise TypeError("download(): give the folder to keep the files in, "
                        "e.g. download('mnist'); load_mnist() downloads to the cache by itself.")
    folder = _search_dirs(data_dir, None)[0][1]
    folder.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        path = _find(name, [("data_dir argument", folder)])
        if path is not None:
            _read_idx_file(path, name)
            continue
        try:
            _download(name, folder)
        except _MirrorsFailed as err:
            raise MNISTNotFoundError(
                _not_found_message([name], [("data_dir argument", folder)], err.args[0])
            ) from None
    return folder


def _check_flag(name, value):
    """Raise ``TypeError`` unless ``value`` is a bool."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"load_mnist(): {name} must be True or False, got {value!r} "
            f"(type {type(value).__name__}). Example: load_mnist({name}=True)."
        )


def _images(raw, normalize, flatten):
    """Turn (N, 28, 28) uint8 into (N, 784) or (N, 1, 28, 28), maybe float32."""
    x = raw.reshape(len(raw), -1) if flatten else raw[:, np.newaxis]
    if not normalize:
        return x
    x = x.astype(np.float32)
    x /= 255
    return x


def _labels(raw, one_hot_label):
    """Turn (N,) uint8 labels into float32 one-hot (N, 10) if asked."""
    if one_hot_label:
        return np.eye(_NUM_CLASSES, dtype=np.float32)[raw]
    return raw


# --- where the files are -----------------------------------------------------

def _cache_dir():
    """Return the user cache folder (``$NNGUIDE_CACHE`` if set)."""
    folder = os.environ.get(CACHE_ENV) or pooch.os_cache("nnguide")
    return Path(folder).expanduser()


def _search_dirs(data_dir, cache):
    """Return the folders to search, in order, as ``[(label, Path), ...]``."""
    if data_dir is not None and not isinstance(data_dir, (str, os.PathLike)):
        raise TypeError(
            f"load_mnist(): data_dir must be a folder path (str or pathlib.Path) "
            f"or None, got {data_dir!r} (type {type(data_dir).__name__})."
        )
    dirs = []
    if data_dir is not None:
        dirs.append(("data_dir argument", Path(data_dir).expanduser()))
    if os.environ.get(DATA_ENV):
        dirs.append((f"${DATA_ENV}", Path(os.environ[DATA_ENV]).expanduser()))
    dirs.append(("user cache", cache))
    return dirs


def _find(name, dirs):
    """Return the first ``name.gz`` or ``name`` file in ``dirs``, else None."""
    for _, folder in dirs:
        for path in (folder / f"{name}.gz", folder / name):
            if path.is_file():
                return path
    return None


def _load_raw(dirs, cache):
    """Return the four uint8 arrays, keyed by file name, as stored in IDX.

    A verified ``.npz`` cache is used first: it holds exactly the bytes that
    the checksums in ``FILES`` describe, wherever they came from.
    """
    npz = cache / _npz_name()
    if npz.is_file():
        return _read_npz(npz)
    paths = {name: _find(name, dirs) for name in FILES}
    missing = [name for name, path in paths.items() if path is None]
    raw = {name: _read_idx_file(path, name)
           for name, path in paths.items() if path is not None}
    if missing:
        raw.update(_download_missing(missing, dirs, cache))
    _try_write_npz(npz, raw)
    return raw


# --- reading and checking ----------------------------------------------------

def _read_idx_file(path, name):
    """Read, decompress if gzip, verify and parse one IDX file."""
    data = path.read_bytes()
    if data[:2] == _GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as err:
            raise MNISTCorruptFileError(
                path, f"it is not a complete gzip file ({err})."
            ) from None
    _check_sha256([data], name, path)
    return _parse_idx(data, path)


def _check_sha256(chunks, name, path):
    """Raise ``MNISTChecksumError`` unless ``chunks`` hash to ``FILES[name]``."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    expected, got = FILES[name].sha256, digest.hexdigest()
    if got != expected:
        raise MNISTChecksumError(
            path,
            f"checksum mismatch for {name} (SHA-256 of the decompressed IDX "
            f"bytes): expected {expected}, got {got}. The file is truncated, "
            f"damaged or not the MNIST file {name}.",
        )


def _parse_idx(data, path):
    """Parse IDX bytes of unsigned bytes into a writable uint8 array.

    An IDX file is: two zero bytes, 0x08 (unsigned byte data), the number of
    dimensions, one big-endian uint32 per dimension, then the data.
    """
    ndim = data[3] if len(data) >= 4 else 0
    offset = 4 + 4 * ndim
    if ndim == 0 or data[:3] != b"\x00\x00\x08" or len(data) < offset:
        raise MNISTCorruptFileError(path, "it does not start with an IDX header.")
    dims = struct.unpack(f">{ndim}I", data[4:offset])
    if len(data) != offset + math.prod(dims):
        raise MNISTCorruptFileError(
            path, f"the IDX header says shape {dims}, but the data size differs."
        )
    return np.frombuffer(data, np.uint8, offset=offset).reshape(dims).copy()


def _idx_header(array):
    """Return the IDX header bytes describing a uint8 ``array``."""
    dims = struct.pack(f">{array.ndim}I", *array.shape)
    return bytes([0, 0, 0x08, array.ndim]) + dims


# --- the .npz cache ----------------------------------------------------------

def _npz_name():
    """Return the cache file name, tied to the checksums in ``FILES``."""
    key = "".join(FILES[name].sha256 for name in sorted(FILES))
    return f"mnist-{hashlib.sha256(key.encode()).hexdigest()[:16]}.npz"


def _read_npz(path):
    """Load and verify the ``.npz`` cache (never unpickles anything)."""
    try:
        # Open the file ourselves: np.load leaks its handle on a broken zip.
        with open(path, "rb") as file, np.load(file, allow_pickle=False) as archive:
            raw = {name: archive[name] for name in FILES}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as err:
        raise MNISTCorruptFileError(
            path, f"it is not a readable MNIST .npz cache ({err})."
        ) from None
    for name, array in raw.items():
        if array.dtype != np.uint8 or array.ndim == 0:
            raise MNISTCorruptFileError(path, f"array {name!r} has the wrong type.")
        _check_sha256([_idx_header(array), np.ascontiguousarray(array)], name, path)
    return raw


def _try_write_npz(path, raw):
    """Write the arrays to ``path`` atomically; skip if the cache is read-only."""
    if not _writable_dir(path.parent):
        return
    try:
        with _atomic_path(path) as tmp, open(tmp, "wb") as file:
            np.savez(file, **raw)
    except OSError:
        pass  # a cache is optional: a full or read-only disk is not an error


@contextmanager
def _atomic_path(path):
    """Yield a temporary path beside ``path``; move it onto ``path`` on success.

    If the block raises, the temporary file is removed and ``path`` is left
    exactly as it was.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
    tmp.touch(exist_ok=False)  # a new name; permissions follow the umask
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _writable_dir(folder):
    """Create ``folder`` if needed; return whether we may write into it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


# --- downloading -------------------------------------------------------------

class _MirrorsFailed(Exception):
    """Internal: every mirror failed for one file; ``args[0]`` lists why."""


def _download_missing(missing, dirs, cache):
    """Download the ``missing`` files; return their arrays keyed by name."""
    raw = {}
    with _download_dir(cache) as target:
        for name in missing:
            try:
                raw[name] = _download(name, target)
            except _MirrorsFailed as err:
                raise MNISTNotFoundError(
                    _not_found_message(missing, dirs, err.args[0])
                ) from None
    return raw


@contextmanager
def _download_dir(cache):
    """Yield the cache folder, or a temporary folder if it is not writable."""
    if _writable_dir(cache):
        yield cache
    else:
        with tempfile.TemporaryDirectory(prefix="nnguide-mnist-") as tmp:
            yield Path(tmp)


def _download(name, target):
    """Try each mirror in order; return the verified array of file ``name``."""
    failures = []
    for base in MIRRORS:
        url = f"{base}{name}.gz"
        try:
            return _download_one(url, name, target / f"{name}.gz")
        except (OSError, ValueError) as err:  # requests' errors are OSErrors
            failures.append(f"{url}: {_reason(err)}")
            print(f"  failed: {_reason(err)}", file=sys.stderr)
    raise _MirrorsFailed(failures)


def _reason(err):
    """Describe why a download failed, in one line."""
    if isinstance(err, MNISTCorruptFileError):
        return f"bad data: {err.problem}"
    return f"{type(err).__name__}: {err}"


def _download_one(url, name, dest):
    """Download ``url``, verify it, then move it to ``dest``; return the array."""
    print(f"Downloading {url} -> {dest}", file=sys.stderr)
    with _atomic_path(dest) as tmp:
        _http_get(url, str(tmp))
        return _read_idx_file(tmp, name)


def _http_get(url, output_file):
    """Download ``url`` into the file ``output_file`` with pooch.

    This is the only function that touches the network; tests replace it.
    """
    progressbar = True
    downloader = pooch.HTTPDownloader(
        progressbar=progressbar, timeout=TIMEOUT, chunk_size=64 * 1024
    )
    downloader(url, output_file, None)


def _not_found_message(missing, dirs, failures):
    """Return the bilingual explanation for ``MNISTNotFoundError``."""
    searched = [f"  {path}  ({label}"
                f"{'' if path.is_dir() else '; does not exist / 不存在'})"
                for label, path in dirs]
    return "\n".join([
        "找不到 MNIST 数据文件，并且从所有镜像下载都失败了。",
        "MNIST data files were not found on disk, and downloading them failed"
        " on every mirror.",
        "",
        "缺少的文件 / Missing files (.gz or decompressed):",
        *[f"  {name}" for name in missing],
        "搜索过的目录（按顺序）/ Folders searched, in order:",
        *searched,
        "尝试过的镜像 / Mirrors tried:",
        *[f"  {failure}" for failure in failures],
        "",
        "手动放置：在能上网的电脑上从上面任一镜像下载下面四个文件（.gz 或解压后的都可以），",
        f"放进同一个目录，然后调用 load_mnist(data_dir=\"该目录\")，或设置环境变量 {DATA_ENV}=该目录。",
        "To place the files by hand: download the four files below (.gz or",
        "decompressed) from any mirror above on a machine with internet access,",
        "put them in one folder, then call load_mnist(data_dir=\"that/folder\")",
        f"or set the environment variable {DATA_ENV}=that/folder.",
        *[f"  {name}.gz" for name in FILES],
    ])
