"""Test-wide setup: sybil runs the pages' and docstrings' examples; CI allows no skips.

Real MNIST for the tests is found by :func:`find_mnist`. The pages call
``load_mnist()`` exactly as a reader would: the ``nnguide_environment``
fixture points ``NNGUIDE_DATA`` at those files and the ``.npz`` cache at a
folder of this run. Without the files, every example from a page's first
``load_mnist(`` on is skipped (the examples before it still run).
Tests that need the built site, the browser or the fake MNIST mirror are marked
``slow`` (``pytest -m "not slow"`` is the fast loop, see README).
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from sybil import Sybil
from sybil.parsers.rest import DocTestParser
from threadpoolctl import threadpool_limits

import pages

ROOT = Path(__file__).resolve().parent
SITE_BUILD = pytest.StashKey["SiteBuild"]()
MNIST_FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
               "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]


def mnist_folder():
    """Where the tests look for MNIST: ``$NNGUIDE_TEST_MNIST``, else ``../shared/data/mnist``."""
    return Path(os.environ.get("NNGUIDE_TEST_MNIST", ROOT.parent / "shared" / "data" / "mnist"))


def find_mnist():
    """The folder holding the four real MNIST files, or None."""
    folder = mnist_folder()
    found = all((folder / f"{name}.gz").is_file() or (folder / name).is_file()
                for name in MNIST_FILES)
    return folder if found else None


def mnist_missing():
    return (f"real MNIST not found in {mnist_folder()}; put the four IDX .gz files there "
            f"or set NNGUIDE_TEST_MNIST to their folder")


@pytest.fixture(scope="session", autouse=True)
def nnguide_environment(tmp_path_factory):
    """``load_mnist()`` reads the test MNIST; its ``.npz`` cache goes to this run's folder.

    One BLAS thread: on a busy machine with few cores a multi-threaded OpenBLAS spins
    instead of working (one epoch of training: 0.7 s alone, 30 s beside other work).
    """
    with pytest.MonkeyPatch.context() as patch, threadpool_limits(limits=1, user_api="blas"):
        patch.setenv("NNGUIDE_CACHE", str(tmp_path_factory.mktemp("nnguide-cache")))
        folder = find_mnist()
        if folder is not None and "NNGUIDE_DATA" not in os.environ:
            patch.setenv("NNGUIDE_DATA", str(folder))
        yield


pytest_collect_file = (
    Sybil(parsers=pages.PARSERS, patterns=["*.md"], path=str(ROOT / "docs"),
          name="pages", fixtures=["nnguide_environment"])
    + Sybil(parsers=[DocTestParser(optionflags=pages.DOCTEST_FLAGS)], patterns=["*.py"],
            path=str(ROOT / "nnguide"), name="docstrings", fixtures=["nnguide_environment"])
).pytest()


def _reads_mnist(region):
    return "load_mnist(" in str(getattr(region.parsed, "source", region.parsed))


def _needs_site(item):
    """Tests of the built site and of the browser."""
    return ("built_site" in getattr(item, "fixturenames", ())
            or item.get_closest_marker("browser") is not None
            or item.path.name.startswith("test_browser") or item.path.parent.name == "browser")


def _is_slow(item):
    """Besides those marked so: the site and the browser, and downloads from the fake
    MNIST mirror (tests/test_mnist.py's ``mirror``: real timeouts, half a second each)."""
    return _needs_site(item) or "mirror" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(config, items):
    """Mark the slow tests (``_is_slow``); skip the examples that need absent MNIST."""
    for item in items:
        if _is_slow(item):
            item.add_marker(pytest.mark.slow)
    if find_mnist() is not None:
        return
    first_use = {}
    for item in items:
        example = getattr(item, "example", None)
        if example is None:
            continue
        document = example.document
        if document.path not in first_use:
            first_use[document.path] = min(
                (region.start for _, region in document.regions if _reads_mnist(region)),
                default=None)
        start = first_use[document.path]
        if start is not None and example.region.start >= start:
            item.add_marker(pytest.mark.skip(reason=mnist_missing()))


class SiteBuild:
    """``mkdocs build --strict`` in a subprocess, into a temporary folder."""

    def __init__(self):
        self.site = Path(tempfile.mkdtemp(prefix="nnguide-site-"))
        self.log = open(self.site.with_suffix(".log"), "w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(self.site)],
            cwd=ROOT, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
            stdout=self.log, stderr=subprocess.STDOUT, text=True)

    def wait(self):
        returncode = self.process.wait()
        self.log.seek(0)
        assert returncode == 0, f"mkdocs build --strict failed:\n{self.log.read()[-5000:]}"
        return self.site

    def remove(self):
        self.process.kill()
        self.process.wait()
        self.log.close()
        os.remove(self.log.name)
        shutil.rmtree(self.site, ignore_errors=True)


def pytest_collection_finish(session):
    """If a selected test needs the site, start building it now: the build runs beside
    the other tests (on the second core) and ``built_site`` waits for it."""
    if any(_needs_site(item) for item in session.items):
        session.config.stash[SITE_BUILD] = SiteBuild()


def pytest_sessionfinish(session, exitstatus):
    """In CI (``CI`` set) a skipped test is a failure: every check must really run there."""
    build = session.config.stash.get(SITE_BUILD, None)
    if build is not None:
        build.remove()
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if os.environ.get("CI") and skipped and session.exitstatus == 0:
        reporter.write_line(f"CI=true: {skipped} test(s) skipped; in CI every test must run.",
                            red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def mnist_dir():
    """The folder with the four real MNIST files (``../shared/data/mnist``)."""
    folder = find_mnist()
    if folder is None:
        pytest.skip(mnist_missing())
    return folder


@pytest.fixture(scope="session")
def built_site(request):
    """The whole site, built once per session by ``mkdocs build --strict``."""
    stash = request.config.stash
    if SITE_BUILD not in stash:
        stash[SITE_BUILD] = SiteBuild()
    return stash[SITE_BUILD].wait()
