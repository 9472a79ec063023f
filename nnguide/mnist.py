"""Load the MNIST handwritten digits safely, in the book's format.

``load_mnist`` looks for the four standard IDX files (``.gz`` or already
decompressed) in these folders, in this order (``data_dirs()`` lists them,
``find_data_dir()`` tells which one holds all four):

1. the ``data_dir`` argument,
2. the folder named by the environment variable ``NNGUIDE_DATA``,
3. the user cache folder (``pooch.os_cache("nnguide")``, or the folder named
   by ``NNGUIDE_CACHE``).

Only files that are found nowhere are downloaded (with requests, into the
user cache) from ``MIRRORS`` in order. A mirror that sends less than
``MIN_RATE`` bytes per second over ``TIMEOUT`` seconds is dropped and the
next one tried, so a download never hangs: with every mirror stalled, a load
gives up after about ``len(MIRRORS) * TIMEOUT`` seconds.

Every file is checked against the size and SHA-256 of its *decompressed* IDX
bytes (``FILES``), so both the mirrors' original ``.gz`` files and
re-compressed copies pass. Decompression runs as a stream and stops as soon
as a file grows past its known size, so a "gzip bomb" costs no memory.

The parsed arrays are cached as one ``.npz`` file (never a pickle) in the user
cache folder; a damaged or unreadable cache is moved aside with a warning and
rebuilt. Every file this module writes is first written to a hidden
temporary ``.part`` file in the same folder and then moved into place with
``os.replace``, so no file is ever half written; Ctrl-C and SIGTERM remove
the temporary file, and one left by a killed process is removed by a later
run once it is an hour old. Data folders are only read, never written.
"""

import hashlib
import itertools
import math
import os
import queue
import re
import secrets
import signal
import struct
import sys
import tempfile
import threading
import time
import warnings
import zipfile
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
    "MIN_RATE",
    "FileInfo",
    "MNISTCacheWarning",
    "MNISTChecksumError",
    "MNISTCorruptFileError",
    "MNISTNotFoundError",
    "MNISTReadError",
    "MNISTWriteError",
    "TIMEOUT",
    "data_dirs",
    "download",
    "find_data_dir",
    "load_mnist",
]

MIRRORS = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
]
"""Base URLs tried in this order; a file's URL is ``base + name + ".gz"``."""


class FileInfo(NamedTuple):
    """What is known about one MNIST file."""

    sha256: str
    """SHA-256 of the decompressed IDX bytes (what is verified)."""
    size: int
    """Size in bytes of the decompressed IDX file (reading stops past it)."""
    gz_md5: str
    """MD5 of the original ``.gz`` on the mirrors (for reference only)."""


FILES = {
    "train-images-idx3-ubyte": FileInfo(
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        47_040_016,
        "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    ),
    "train-labels-idx1-ubyte": FileInfo(
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        60_008,
        "d53e105ee54ea40749a09fcbcd1e9432",
    ),
    "t10k-images-idx3-ubyte": FileInfo(
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        7_840_016,
        "9fb629c4189551a2d022fa330f9573f3",
    ),
    "t10k-labels-idx1-ubyte": FileInfo(
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        10_008,
        "ec29112dd5afa0611ce80d1b7f02629c",
    ),
}
"""The four MNIST files by name (without ``.gz``): checksum and size."""

DATA_ENV = "NNGUIDE_DATA"
"""Environment variable naming a folder that holds the four files."""

CACHE_ENV = "NNGUIDE_CACHE"
"""Environment variable replacing the user cache folder."""

TIMEOUT = 20
"""Seconds: within every ``TIMEOUT`` seconds a mirror must send at least
``MIN_RATE * TIMEOUT`` bytes (connecting counts), or it is dropped and the
next mirror tried."""

MIN_RATE = 1024
"""Bytes per second a download must keep up, averaged over ``TIMEOUT``
seconds (1 KiB/s: a slow line passes, a stalled mirror does not)."""

_TRAIN = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
_TEST = ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
_NUM_CLASSES = 10
_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 16 + zlib.MAX_WBITS  # zlib: expect a gzip header and trailer
_ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 64 * 1024
_STALE_PART_SECONDS = 3600  # a temporary file this old belongs to no live run


# --- errors ------------------------------------------------------------------

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


class MNISTReadError(OSError):
    """A local MNIST file exists but cannot be read (permissions, disk error).

    Attributes
    ----------
    path : pathlib.Path
        The file that could not be read.
    reason : str
        What the operating system said.
    """

    def __init__(self, path, error):
        self.path = Path(path)
        self.reason = error.strerror or str(error)
        super().__init__(
            f"Cannot read the MNIST file {self.path}: {self.reason}.\n"
            f"Fix: check that you may read it and that its disk works, or "
            f"delete it and run again (it will be downloaded or rebuilt).\n"
            f"无法读取该文件：请检查读取权限和磁盘是否正常，"
            f"或删除它后重新运行（会重新下载或重建）。"
        )
        self.errno = error.errno


class MNISTWriteError(OSError):
    """A file could not be written on this computer (full disk, read-only
    folder, a file where a folder should be). Not a download problem.

    Attributes
    ----------
    path : pathlib.Path
        The file or folder that could not be written.
    reason : str
        What the operating system said.
    """

    def __init__(self, path, error):
        self.path = Path(path)
        self.reason = error.strerror or str(error)
        super().__init__(
            f"Cannot write {self.path}: {self.reason}. The download itself "
            f"is fine: this computer would not store the file.\n"
            f"Fix: free some disk space, or use a folder you can write to: "
            f"download(data_dir=...), or set {CACHE_ENV}=that/folder for "
            f"load_mnist().\n"
            f"无法在本机写入该文件（磁盘已满、目录只读，或路径不是目录）："
            f"请清理磁盘空间，或换一个可写的目录"
            f"（download(data_dir=...)，或为 load_mnist() 设置环境变量 {CACHE_ENV}）。"
        )
        self.errno = error.errno


class MNISTCacheWarning(UserWarning):
    """The ``.npz`` cache was damaged or unreadable and has been set aside."""


# --- the public functions ----------------------------------------------------

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
        False: labels as uint8 class labels of shape (N,).
    data_dir : str or os.PathLike, optional
        An existing folder searched first for the four files (``.gz`` or
        decompressed). It is only read, never written.

    Returns
    -------
    (x_train, t_train), (x_test, t_test) : tuple of tuple of numpy.ndarray
        N is 60000 for the training set and 10000 for the test set.

    Raises
    ------
    TypeError
        If a flag is not a bool, or ``data_dir`` is not a path.
    FileNotFoundError, NotADirectoryError
        If ``data_dir`` does not exist, or is a file.
    MNISTNotFoundError
        If a file is not on disk and every mirror failed.
    MNISTCorruptFileError
        If a data file on disk is truncated or damaged
        (``MNISTChecksumError`` if only its checksum is wrong).
    MNISTReadError, MNISTWriteError
        If a local file cannot be read, or a download cannot be stored.

    Warns
    -----
    MNISTCacheWarning
        If the ``.npz`` cache is damaged or unreadable; it is moved aside
        and rebuilt from the data files.

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
    dirs = _search_dirs(data_dir, caller="load_mnist", must_exist=True)
    cache = _cache_dir()
    _remove_stale_parts(cache)
    raw = _load_raw(dirs, cache)
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
    data_dir : str or os.PathLike
        The folder to keep the files in; created if missing.

    Returns
    -------
    pathlib.Path
        The folder, ready for ``load_mnist(data_dir=...)`` or ``$NNGUIDE_DATA``.

    Raises
    ------
    TypeError, ValueError, NotADirectoryError
        If ``data_dir`` is not a path, is empty, or names a file.
    MNISTWriteError
        If the folder cannot be created or written (before any download).
    MNISTNotFoundError
        If every mirror failed for a file.
    """
    if data_dir is None:
        raise TypeError("download(): give the folder to keep the files in, "
                        "e.g. download('mnist'); load_mnist() downloads to the cache by itself.")
    folder = _folder_argument(data_dir, caller="download", must_exist=False)
    _make_folder(folder)
    _remove_stale_parts(folder)
    mirrors = list(MIRRORS)
    for name in FILES:
        path = _find(name, [("data_dir argument", folder)])
        if path is not None:
            _read_idx_file(path, name)
            continue
        try:
            _, mirrors = _download(name, folder, mirrors)
        except _MirrorsFailed as err:
            raise MNISTNotFoundError(
                _not_found_message([name], [("data_dir argument", folder)], err.args[0])
            ) from None
    return folder


def data_dirs(data_dir=None):
    """Return the folders ``load_mnist`` searches for the files, in order.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The ``data_dir`` you would give ``load_mnist``.

    Returns
    -------
    list of pathlib.Path
        ``data_dir`` (if given), ``$NNGUIDE_DATA`` (if set), then the user
        cache folder, where ``load_mnist()`` and ``python -m nnguide
        download`` keep what they download. The folders need not exist.

    Examples
    --------
    >>> from nnguide import mnist
    >>> folders = mnist.data_dirs("my-mnist")
    >>> folders[0].name, folders[-1] == mnist.data_dirs()[-1]
    ('my-mnist', True)
    """
    return [folder for _, folder in _search_dirs(data_dir, caller="data_dirs")]


def find_data_dir(data_dir=None):
    """Return the first folder of ``data_dirs(data_dir)`` holding all four files.

    A file counts if it is there as ``name.gz`` or ``name``; it is not
    opened (``load_mnist`` verifies it).

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The ``data_dir`` you would give ``load_mnist``.

    Returns
    -------
    pathlib.Path or None
        The folder, or None if no single folder holds all four files.

    Examples
    --------
    >>> from nnguide import mnist
    >>> folder = mnist.find_data_dir()
    >>> folder in mnist.data_dirs()
    True
    """
    for _, folder in _search_dirs(data_dir, caller="find_data_dir"):
        if all(_find(name, [("", folder)]) is not None for name in FILES):
            return folder
    return None


# --- checking the arguments --------------------------------------------------

def _check_flag(name, value):
    """Raise ``TypeError`` unless ``value`` is a bool."""
    if isinstance(value, (bool, np.bool_)):
        return
    raise TypeError(
        f"load_mnist(): {name} must be True or False, got {value!r} "
        f"(type {type(value).__name__}); {_flag_hint(name, value)}."
    )


def _flag_hint(name, value):
    """Say how to fix a flag that is not a bool."""
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return f"write {name}={value.strip().capitalize()}, without quotes"
    if isinstance(value, os.PathLike) or (isinstance(value, str) and "/" in value):
        return f"a folder goes in data_dir, e.g. load_mnist(data_dir={os.fspath(value)!r})"
    return f"e.g. load_mnist({name}=True)"


def _folder_argument(data_dir, caller, must_exist):
    """Return ``data_dir`` as a Path; raise a clear error if it is no folder."""
    if not isinstance(data_dir, (str, os.PathLike)):
        raise TypeError(
            f"{caller}(): data_dir must be a folder path (a str or pathlib.Path) "
            f"or None, got {data_dir!r} (type {type(data_dir).__name__}). "
            f"Example: {caller}(data_dir='mnist')."
        )
    if not os.fspath(data_dir):
        raise ValueError(
            f"{caller}(): data_dir is an empty string; expected a folder path. "
            f"Give the folder, e.g. data_dir='mnist', or leave data_dir out."
        )
    folder = Path(data_dir).expanduser()
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(
            f"{caller}(): data_dir {str(folder)!r} is a file, not a folder. "
            f"Give the folder that holds the MNIST files, e.g. "
            f"data_dir={str(folder.parent)!r}."
        )
    if must_exist and not folder.is_dir():
        raise FileNotFoundError(
            f"{caller}(): data_dir {str(folder)!r} does not exist (as seen from "
            f"{Path.cwd()}). Expected a folder holding the four MNIST files. "
            f"Fix the path, or leave data_dir out: then ${DATA_ENV}, the user "
            f"cache and a download are used."
        )
    return folder


# --- the book's formats ------------------------------------------------------

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


def _search_dirs(data_dir, caller, must_exist=False):
    """Return the folders to search, in order, as ``[(label, Path), ...]``."""
    dirs = []
    if data_dir is not None:
        dirs.append(("data_dir argument", _folder_argument(data_dir, caller, must_exist)))
    if os.environ.get(DATA_ENV):
        dirs.append((f"${DATA_ENV}", Path(os.environ[DATA_ENV]).expanduser()))
    dirs.append(("user cache", _cache_dir()))
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
    raw = _read_cache(npz)
    if raw is not None:
        return raw
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
    """Read, decompress if gzip, verify and parse one IDX file.

    Never more than the file's known size is held in memory: reading stops
    as soon as the (decompressed) data grows past it.
    """
    with _reading(path) as file:
        data = _read_at_most(_decompressed(file, path), FILES[name].size, name, path)
    _check_sha256([data], name, path)
    return _parse_idx(data, path)


@contextmanager
def _reading(path):
    """Open ``path`` for reading; any OS error becomes ``MNISTReadError``."""
    try:
        with open(path, "rb") as file:
            yield file
    except MNISTReadError:
        raise
    except OSError as err:
        raise MNISTReadError(path, err) from None


def _decompressed(file, path):
    """Yield the file's bytes in pieces, decompressed if it is gzip."""
    head = file.read(len(_GZIP_MAGIC))
    chunks = itertools.chain([head], iter(lambda: file.read(_CHUNK), b""))
    if head == _GZIP_MAGIC:
        yield from _gunzip(chunks, path)
    else:
        yield from chunks


def _gunzip(chunks, path):
    """Yield the decompressed data of gzip ``chunks``, ``_CHUNK`` bytes at most
    at a time (a gzip file may hold several members, one after another)."""
    inflater = zlib.decompressobj(_GZIP_WBITS)
    try:
        for data in chunks:
            while True:
                if inflater.eof and data:  # the next member starts
                    inflater = zlib.decompressobj(_GZIP_WBITS)
                piece = inflater.decompress(data, _CHUNK)
                yield piece
                data = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
                if not data and (inflater.eof or len(piece) < _CHUNK):
                    break  # all input used and no output pending: read more
    except zlib.error as err:
        raise MNISTCorruptFileError(path, f"it is not a valid gzip file ({err}).") from None
    if not inflater.eof:
        raise MNISTCorruptFileError(path, "it is not a complete gzip file (it ends early).")


def _read_at_most(pieces, size, name, path):
    """Join ``pieces``; stop with an error as soon as they pass ``size`` bytes."""
    data = bytearray()
    for piece in pieces:
        data += piece
        if len(data) > size:
            raise MNISTCorruptFileError(
                path,
                f"it decompresses to more than the {size:,} bytes of the MNIST "
                f"file {name}, so it is not that file (reading stopped there).",
            )
    return data


def _check_sha256(chunks, name, path):
    """Raise ``MNISTChecksumError`` unless ``chunks`` hash to ``FILES[name]``."""
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    expected, got = FILES[name].sha256, digest.hexdigest()
    if got != expected:
        raise MNISTChecksumError(
            path,
            f"checksum mismatch for {name} (SHA-256 of the decompressed IDX "
            f"bytes): expected {expected}, got {got} ({size:,} bytes; "
            f"{name} has {FILES[name].size:,}). The file is truncated, "
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
    array = np.frombuffer(data, np.uint8, offset=offset).reshape(dims)
    return array if array.flags.writeable else array.copy()


def _idx_header(array):
    """Return the IDX header bytes describing a uint8 ``array``."""
    dims = struct.pack(f">{array.ndim}I", *array.shape)
    return bytes([0, 0, 0x08, array.ndim]) + dims


# --- the .npz cache ----------------------------------------------------------

def _npz_name():
    """Return the cache file name, tied to the checksums in ``FILES``."""
    key = "".join(FILES[name].sha256 for name in sorted(FILES))
    return f"mnist-{hashlib.sha256(key.encode()).hexdigest()[:16]}.npz"


def _read_cache(npz):
    """Return the arrays of a good ``.npz`` cache, else None.

    A damaged or unreadable cache is moved aside with a warning, so that the
    data files can rebuild it.
    """
    if not npz.is_file():
        return None
    try:
        return _read_npz(npz)
    except MNISTReadError as err:
        _set_aside(npz, "unreadable", f"cannot be read ({err.reason})")
    except MNISTCorruptFileError as err:
        _set_aside(npz, "damaged", f"is damaged: {err.problem}")
    return None


def _read_npz(path):
    """Load and verify the ``.npz`` cache (never unpickles anything)."""
    with _reading(path) as file:
        if file.read(len(_ZIP_MAGIC)) != _ZIP_MAGIC:
            raise MNISTCorruptFileError(path, "it is not an .npz (zip) archive.")
        file.seek(0)
        try:
            with np.load(file, allow_pickle=False) as archive:
                raw = {name: _npz_array(archive, name) for name in FILES}
        except (ValueError, KeyError, EOFError, MemoryError, zipfile.BadZipFile,
                zlib.error) as err:
            raise MNISTCorruptFileError(path, _npz_problem(err)) from None
    for name, array in raw.items():
        if array.dtype != np.uint8 or array.ndim == 0:
            raise MNISTCorruptFileError(path, f"array {name!r} has the wrong type.")
        _check_sha256([_idx_header(array), np.ascontiguousarray(array)], name, path)
    return raw


def _npz_array(archive, name):
    """Return array ``name`` of an open ``.npz``, refusing one too big for MNIST."""
    member = archive.zip.getinfo(f"{name}.npy")
    if member.file_size > FILES[name].size + _CHUNK:
        raise ValueError(f"array {name!r} is larger than the MNIST file")
    return archive[name]


def _npz_problem(err):
    """Describe why numpy could not read the cache (never numpy's pickle hint)."""
    if "pickle" in str(err):
        return "it holds Python objects (pickled data), which nnguide never writes."
    return f"it is not a readable MNIST .npz cache ({type(err).__name__}: {err})."


def _set_aside(path, kind, what):
    """Rename a bad cache file to ``<name>.<kind>`` and warn, naming both paths."""
    aside = path.with_name(f"{path.name}.{kind}")
    try:
        os.replace(path, aside)
        done = f"Moved it to {aside}; it is rebuilt from the data files."
    except OSError as err:
        done = (f"Could not move it to {aside} ({err.strerror or err}); "
                f"loading from the data files without it.")
    warnings.warn(
        f"The MNIST cache {path} {what}. {done}\n"
        f"MNIST 缓存文件已损坏或无法读取，已移到一旁（见上面的路径），将从数据文件重建。",
        MNISTCacheWarning, stacklevel=5,
    )


def _try_write_npz(path, raw):
    """Write the arrays to ``path`` atomically; skip if the cache is read-only."""
    if not _writable_dir(path.parent):
        return
    try:
        with _atomic_path(path) as tmp, open(tmp, "wb") as file:
            np.savez(file, **raw)
    except OSError:
        pass  # a cache is optional: a full or read-only disk is not an error


# --- writing files -----------------------------------------------------------

@contextmanager
def _atomic_path(path):
    """Yield a new temporary path beside ``path``; move it onto ``path`` on success.

    If the block raises (Ctrl-C and SIGTERM included), the temporary file is
    removed and ``path`` is left exactly as it was.
    """
    with _sigterm_cleans_up():
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
        with _writing_errors(path):
            tmp.touch(exist_ok=False)  # a new name; permissions follow the umask
        try:
            yield tmp
            with _writing_errors(path):
                os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)


@contextmanager
def _writing_errors(path):
    """Turn any OS error of the block into ``MNISTWriteError`` naming ``path``."""
    try:
        yield
    except MNISTWriteError:
        raise
    except OSError as err:
        raise MNISTWriteError(path, err) from None


@contextmanager
def _writing(path):
    """Open ``path`` for writing; any OS error becomes ``MNISTWriteError``."""
    with _writing_errors(path), open(path, "wb") as file:
        yield file


def _make_folder(folder):
    """Create ``folder`` (and its parents) or raise ``MNISTWriteError``."""
    with _writing_errors(folder):
        folder.mkdir(parents=True, exist_ok=True)


def _writable_dir(folder):
    """Create ``folder`` if needed; return whether we may write into it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


class _Terminated(BaseException):
    """Internal: SIGTERM arrived; raised so that ``finally`` blocks clean up."""


def _raise_terminated(signum, frame):
    """Signal handler: unwind the main thread with ``_Terminated``."""
    raise _Terminated


@contextmanager
def _sigterm_cleans_up():
    """While the block runs, SIGTERM unwinds it like Ctrl-C does (removing
    temporary files), then ends the process by SIGTERM as it would have.

    Only in the main thread, and only if nobody else handles SIGTERM.
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL):
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        raise SystemExit(128 + signal.SIGTERM) from None  # if still alive
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _remove_stale_parts(folder):
    """Delete this module's temporary files in ``folder`` older than an hour.

    A process killed outright (SIGKILL, power loss) cannot clean up; a live
    download writes its file at least every ``TIMEOUT`` seconds.
    """
    cutoff = time.time() - _STALE_PART_SECONDS
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if (_is_our_part_file(entry.name) and entry.is_file(follow_symlinks=False)
                    and entry.stat(follow_symlinks=False).st_mtime < cutoff):
                os.unlink(entry.path)
        except OSError:
            pass  # gone already, or not ours to delete


def _is_our_part_file(file_name):
    """Whether ``file_name`` is a temporary file ``_atomic_path`` makes."""
    match = re.fullmatch(r"\.(.+)\.[0-9a-f]{12}\.part", file_name)
    if not match:
        return False
    target = match[1]
    return (target in {f"{name}.gz" for name in FILES}
            or re.fullmatch(r"mnist-[0-9a-f]{16}\.npz", target) is not None)


# --- downloading -------------------------------------------------------------

class _MirrorError(Exception):
    """Internal: one mirror failed to deliver a file; ``args[0]`` says why."""


class _MirrorsFailed(Exception):
    """Internal: every mirror failed for one file; ``args[0]`` lists why."""


def _download_missing(missing, dirs, cache):
    """Download the ``missing`` files; return their arrays keyed by name."""
    raw, mirrors = {}, list(MIRRORS)
    with _download_dir(cache) as target:
        for name in missing:
            try:
                raw[name], mirrors = _download(name, target, mirrors)
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
        return
    with _writing_errors(tempfile.gettempdir()):
        tmp = tempfile.TemporaryDirectory(prefix="nnguide-mnist-")
    with tmp:
        yield Path(tmp.name)


def _download(name, target, mirrors):
    """Try ``mirrors`` in order for file ``name``.

    Returns the verified array, and the mirrors with the one that worked
    first (a stalled mirror then costs ``TIMEOUT`` once, not once per file).
    A local failure to write (``MNISTWriteError``) is raised at once.
    """
    failures = []
    for base in mirrors:
        url = f"{base}{name}.gz"
        try:
            array = _download_one(url, name, target / f"{name}.gz")
        except (_MirrorError, MNISTCorruptFileError) as err:
            failures.append(f"{url}: {_reason(err)}")
            print(f"  failed: {_reason(err)}", file=sys.stderr)
        else:
            return array, [base] + [other for other in mirrors if other != base]
    raise _MirrorsFailed(failures)


def _reason(err):
    """Describe why a download failed, in one line."""
    if isinstance(err, MNISTCorruptFileError):
        return f"bad data: {err.problem}"
    return str(err.args[0])


def _download_one(url, name, dest):
    """Download ``url``, verify it, then move it to ``dest``; return the array."""
    print(f"Downloading {url} -> {dest}", file=sys.stderr)
    with _atomic_path(dest) as tmp:
        _http_get(url, tmp, _max_download_size(name))
        return _read_idx_file(tmp, name)


def _max_download_size(name):
    """Bytes no copy of file ``name``, compressed or not, can exceed."""
    size = FILES[name].size
    return size + size // 1000 + 4096


def _http_get(url, output_file, max_bytes):
    """Download ``url`` into ``output_file``; raise ``_MirrorError`` if it fails.

    A helper thread talks to the mirror and hands the data over a queue, so
    that this thread can drop a mirror that sends less than ``MIN_RATE``
    bytes per second over ``TIMEOUT`` seconds, whatever it is stuck in
    (connecting, headers, body). A local write error is ``MNISTWriteError``.
    This function and its helper thread are the only code that touches the
    network.
    """
    received = 0
    with _receiving(url) as arrivals, _writing(output_file) as file:
        length = next(arrivals)
        if length is not None and length > max_bytes:
            raise _MirrorError(f"it announces {length:,} bytes, more than any "
                               f"copy of this file has ({max_bytes:,})")
        with _progress_bar(length) as bar:
            for chunk in arrivals:
                received += len(chunk)
                if received > max_bytes:
                    raise _MirrorError(f"it sent more than {max_bytes:,} bytes, more "
                                       f"than any copy of this file has")
                file.write(chunk)
                bar.update(len(chunk))


@contextmanager
def _receiving(url):
    """Fetch ``url`` in a helper thread; yield an iterator over what arrives:
    the announced length (or None), then the body's chunks."""
    chunks, cancel = queue.Queue(maxsize=16), threading.Event()
    threading.Thread(target=_fetch, args=(url, chunks, cancel), daemon=True,
                     name="nnguide-mnist-download").start()
    try:
        yield _arrivals(chunks)
    finally:
        cancel.set()  # the helper stops after its current read


def _fetch(url, chunks, cancel):
    """Helper thread: put the length, the chunks, then ``b""`` into ``chunks``;
    put the exception instead if anything fails."""
    try:
        import requests  # pooch's HTTP library; imported late: importing stays light

        with requests.get(url, stream=True, timeout=TIMEOUT,
                          headers={"Accept-Encoding": "identity"}) as response:
            response.raise_for_status()
            _hand_over(chunks, _content_length(response), cancel)
            read = _read_some(response.raw)
            while not cancel.is_set():
                chunk = read(_CHUNK)
                _hand_over(chunks, chunk, cancel)
                if not chunk:
                    return
    except Exception as err:  # the main thread reports it
        _hand_over(chunks, err, cancel)


def _hand_over(chunks, item, cancel):
    """Put ``item`` into ``chunks`` unless the main thread stopped listening."""
    while not cancel.is_set():
        try:
            chunks.put(item, timeout=0.5)
            return
        except queue.Full:
            pass


def _read_some(raw):
    """Return ``read(size)``, returning whatever bytes have arrived (not
    waiting for ``size`` of them), so that a trickle is seen as one."""
    if hasattr(raw, "read1"):  # urllib3 >= 2.1
        return lambda size: raw.read1(size, decode_content=False)
    return lambda size: raw.read(min(size, MIN_RATE), decode_content=False)


def _content_length(response):
    """Return the announced body length in bytes, or None."""
    try:
        return int(response.headers["Content-Length"])
    except (KeyError, ValueError):
        return None


def _arrivals(chunks):
    """Yield the length, then the chunks the helper thread puts into ``chunks``.

    Raises ``_MirrorError`` if the helper failed, or if less than
    ``MIN_RATE * TIMEOUT`` bytes arrived within a window of ``TIMEOUT`` s.
    """
    rate = _RateCheck()
    while True:
        try:
            item = chunks.get(timeout=rate.seconds_left())
        except queue.Empty:
            rate.count(0)
            continue
        if isinstance(item, BaseException):
            raise _MirrorError(f"{type(item).__name__}: {item}")
        if item == b"":
            return
        rate.count(len(item) if isinstance(item, bytes) else 0)
        yield item


class _RateCheck:
    """Count bytes in windows of ``TIMEOUT`` seconds; fail a window that got
    less than ``MIN_RATE`` bytes per second."""

    def __init__(self):
        self._start, self._bytes = time.monotonic(), 0

    def seconds_left(self):
        """Seconds until the current window ends."""
        return max(0.0, self._start + TIMEOUT - time.monotonic())

    def count(self, size):
        """Add ``size`` bytes; at the end of a window, check it."""
        self._bytes += size
        if self.seconds_left() > 0:
            return
        if self._bytes < MIN_RATE * TIMEOUT:
            raise _MirrorError(
                f"stalled: {self._bytes:,} bytes in {TIMEOUT} s, less than the "
                f"{MIN_RATE:,} bytes per second a download must keep up"
            )
        self._start, self._bytes = time.monotonic(), 0


def _progress_bar(total):
    """Return a plain-text tqdm progress bar on stderr."""
    from tqdm import tqdm
    return tqdm(total=total, unit="B", unit_scale=True, ncols=79, ascii=True,
                file=sys.stderr)


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
        "如果通过代理上网，请先设置环境变量 HTTPS_PROXY。",
        "Behind a proxy? Set the environment variable HTTPS_PROXY first.",
        "手动放置：在能上网的电脑上从上面任一镜像下载下面四个文件（.gz 或解压后的都可以），",
        f"放进同一个目录，然后调用 load_mnist(data_dir=\"该目录\")，或设置环境变量 {DATA_ENV}=该目录。",
        "To place the files by hand: download the four files below (.gz or",
        "decompressed) from any mirror above on a machine with internet access,",
        "put them in one folder, then call load_mnist(data_dir=\"that/folder\")",
        f"or set the environment variable {DATA_ENV}=that/folder.",
        *[f"  {name}.gz" for name in FILES],
    ])
