"""Real MNIST for the tests: where they find it, and ``make test``'s fetch of it.

The tests look where nnguide itself looks (``nnguide.mnist.data_dirs()``:
``$NNGUIDE_DATA``, then the user cache that ``python -m nnguide download``
fills), after the folder named by ``$NNGUIDE_TEST_MNIST`` if that is set.
``conftest.py`` calls :func:`find`; without the files, the tests that need them
are skipped with :func:`missing` as the reason (in CI, ``CI=true``, a skip fails
the run).

``python tools/mnist_data.py`` (``make test`` runs it before pytest) downloads
the files once when they are nowhere on disk: into ``$NNGUIDE_TEST_MNIST`` if
set, else into the user cache. Without a network it says so and exits 0, so
the tests still run (and skip what needs MNIST).
"""

import os
import sys
from pathlib import Path

from nnguide import mnist

ENV = "NNGUIDE_TEST_MNIST"
FETCH = "python -m nnguide download"


def _named():
    """``$NNGUIDE_TEST_MNIST`` as an absolute folder, or None."""
    value = os.environ.get(ENV, "")
    return Path(value).expanduser().resolve() if value else None


def folders():
    """The folders searched, in order."""
    return mnist.data_dirs(_named())


def find():
    """The first folder holding the four MNIST files, or None.

    Raises ValueError if ``$NNGUIDE_TEST_MNIST`` names a file.
    """
    try:
        return mnist.find_data_dir(_named())
    except NotADirectoryError as err:
        raise ValueError(f"{ENV}={os.environ[ENV]!r} is a file, not a folder; set it to "
                         f"the folder that holds the four MNIST .gz files, or unset it "
                         f"({err})") from None


def missing():
    """Why the tests that need MNIST are skipped, and what fixes it."""
    searched = ", ".join(str(folder) for folder in folders())
    return (f"real MNIST not found (searched {searched}); run `{FETCH}` once "
            f"(`make test` does when the network allows), or set {ENV} to a folder "
            f"holding the four IDX .gz files")


def fetch():
    """Download MNIST if it is nowhere on disk. Returns the folder, or None if it failed."""
    folder = find()
    if folder is not None:
        return folder
    target = _named() or folders()[-1]          # $NNGUIDE_TEST_MNIST, else the user cache
    print(f"MNIST for the tests is not on disk; downloading it into {target} "
          f"(about 11 MB, once)", flush=True)
    try:
        return mnist.download(target)
    except (mnist.MNISTNotFoundError, mnist.MNISTWriteError, OSError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else ""
        print(f"{type(err).__name__}: {first}", file=sys.stderr)   # the reasons are above
        return None


def main():
    folder = fetch()
    if folder is None:
        print(f"MNIST could not be downloaded (no network?). The tests that need it will be "
              f"skipped (in CI they fail); run `{FETCH}` where the network works, or set "
              f"{ENV}.", file=sys.stderr)
    else:
        print(f"MNIST for the tests: {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
