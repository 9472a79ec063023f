"""Test-wide setup: sybil runs the pages' and docstrings' examples; CI allows no skips.

Real MNIST for the tests is found where nnguide looks for it, after
``$NNGUIDE_TEST_MNIST`` (``tools/mnist_data.py``; ``make test`` downloads it
once), once per run, before any fixture changes the environment. The pages call
``load_mnist()`` exactly as a reader would: the ``nnguide_environment``
fixture points ``NNGUIDE_DATA`` at those files and the ``.npz`` cache at a
folder of this run. Without the files, every example from a page's first
``load_mnist(`` on is skipped (the examples before it still run), with the
command that fixes it.
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

import chromium as chromium_tool
from sybil import Sybil
from sybil.parsers.rest import DocTestParser
from threadpoolctl import threadpool_limits

import mnist_data
import pages
import site_layout

ROOT = Path(__file__).resolve().parent
SITE_BUILDS = pytest.StashKey["dict[str, SiteBuild]"]()
# What the deploy workflow sets (tools/downloads.py, mkdocs.yml); a local build has none.
DEPLOY_ENV = ("NNGUIDE_SITE_URL", "NNGUIDE_REPO_URL", "NNGUIDE_DOWNLOADS")
DEPLOYED = {"NNGUIDE_SITE_URL": "https://example.org/nnguide/",
            "NNGUIDE_REPO_URL": "https://git.example.org/readers/nnguide"}
MNIST = pytest.StashKey["tuple[Path | None, str]"]()


def find_mnist(config):
    """The folder holding the four real MNIST files, or None (found once per run)."""
    return config.stash[MNIST][0]


def mnist_missing(config):
    """The skip reason without MNIST: where the tests looked, and the command that fixes it."""
    return config.stash[MNIST][1]


def pytest_configure(config):
    """Find MNIST before any fixture sets ``NNGUIDE_CACHE`` (the user cache is searched)."""
    try:
        config.stash[MNIST] = (mnist_data.find(), mnist_data.missing())
    except ValueError as err:
        raise pytest.UsageError(str(err)) from None


@pytest.fixture(scope="session", autouse=True)
def nnguide_environment(tmp_path_factory, pytestconfig):
    """``load_mnist()`` reads the test MNIST; its ``.npz`` cache goes to this run's folder.

    One BLAS thread: on a busy machine with few cores a multi-threaded OpenBLAS spins
    instead of working (one epoch of training: 0.7 s alone, 30 s beside other work).
    """
    with pytest.MonkeyPatch.context() as patch, threadpool_limits(limits=1, user_api="blas"):
        patch.setenv("NNGUIDE_CACHE", str(tmp_path_factory.mktemp("nnguide-cache")))
        folder = find_mnist(pytestconfig)
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


def _sites(item):
    """The site builds a test needs: ``built_site`` (also for every browser test) and
    ``deployed_site``."""
    names = {"built_site", "deployed_site"} & set(getattr(item, "fixturenames", ()))
    if (item.get_closest_marker("browser") is not None
            or item.path.name.startswith("test_browser") or item.path.parent.name == "browser"):
        names.add("built_site")
    return names


def _needs_site(item):
    """Tests of a built site and of the browser."""
    return bool(_sites(item))


def _is_slow(item):
    """Besides those marked so: the site and the browser, and downloads from the fake
    MNIST mirror (tests/test_mnist.py's ``mirror``: real timeouts, half a second each)."""
    return _needs_site(item) or "mirror" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(config, items):
    """Mark the slow tests (``_is_slow``); skip the examples that need absent MNIST."""
    for item in items:
        if _is_slow(item):
            item.add_marker(pytest.mark.slow)
    if find_mnist(config) is not None:
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
            item.add_marker(pytest.mark.skip(reason=mnist_missing(config)))


class SiteBuild:
    """``mkdocs build --strict`` in a subprocess, into a temporary folder.

    ``deployed=False``: a local build, as ``make build`` makes it (the deploy's
    variables, :data:`DEPLOY_ENV`, are removed from its environment). ``deployed=True``:
    as the deploy workflow builds it, with the site's address (:data:`DEPLOYED`) and a
    downloads folder holding small stand-ins for the offline copy and the PDFs.
    """

    def __init__(self, deployed=False):
        self.site = Path(tempfile.mkdtemp(prefix="nnguide-site-"))
        self.env = {}
        if deployed:
            self.downloads = self.site.with_name(self.site.name + "-dist")
            self.downloads.mkdir()
            for n, name in enumerate(site_layout.OPTIONAL_DOWNLOADS):
                (self.downloads / name).write_bytes(b"stand-in " * (100 + 1000 * n))
            self.env = dict(DEPLOYED, NNGUIDE_DOWNLOADS=str(self.downloads))
        env = {k: v for k, v in os.environ.items() if k not in DEPLOY_ENV}
        self.log = open(self.site.with_suffix(".log"), "w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(self.site)],
            cwd=ROOT, env=dict(env, NO_MKDOCS_2_WARNING="1", **self.env),
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
        if self.env:
            shutil.rmtree(self.downloads, ignore_errors=True)


def _site_build(config, name):
    """The build behind the fixture ``name`` (started now if it is not running yet)."""
    builds = config.stash.setdefault(SITE_BUILDS, {})
    if name not in builds:
        builds[name] = SiteBuild(deployed=name == "deployed_site")
    return builds[name]


def pytest_collection_finish(session):
    """If a selected test needs a site, start building it now: the build runs beside
    the other tests (on the second core) and ``built_site`` waits for it."""
    for name in sorted(set().union(*(_sites(item) for item in session.items))):
        _site_build(session.config, name)


def pytest_sessionfinish(session, exitstatus):
    """In CI (``CI`` set) a skipped test is a failure: every check must really run there."""
    for build in session.config.stash.get(SITE_BUILDS, {}).values():
        build.remove()
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if os.environ.get("CI") and skipped and session.exitstatus == 0:
        reporter.write_line(f"CI=true: {skipped} test(s) skipped; in CI every test must run.",
                            red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def mnist_dir(pytestconfig):
    """The folder with the four real MNIST files (``tools/mnist_data.py`` finds it)."""
    folder = find_mnist(pytestconfig)
    if folder is None:
        pytest.skip(mnist_missing(pytestconfig))
    return folder


@pytest.fixture(scope="session")
def built_site(request):
    """The whole site, built once per session by ``mkdocs build --strict`` (as ``make build``:
    no address)."""
    return _site_build(request.config, "built_site").wait()


@pytest.fixture(scope="session")
def deployed_site(request):
    """The whole site as the deploy workflow builds it: its ``SiteBuild`` (``.site``, ``.env``,
    ``.downloads``), with the address ``DEPLOYED`` and stand-ins for the offline copy and PDFs."""
    build = _site_build(request.config, "deployed_site")
    build.wait()
    return build


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium (Playwright's sync API, tools/chromium.py): one for the whole run,
    shared by the browser suite and the offline-copy tests (a second sync_playwright in the
    same process is refused)."""
    problem = chromium_tool.missing()
    if problem:
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Every host but 127.0.0.1 goes to a dead proxy: nothing leaves the machine, and the
        # browser tests still see (and report) any such request.
        browser = chromium_tool.launch(playwright, ["--proxy-server=http://127.0.0.1:9"])
        yield browser
        browser.close()
