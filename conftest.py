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
import signal
import subprocess
import sys
import tempfile
import time
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


def xdist_scope(nodeid):
    """Which tests one pytest-xdist worker runs together, in order: a test file (one
    namespace for a page's examples, one set of module fixtures), except the browser tests
    of one page (``[zh-losses]``: one load of it) and the offline copy with the PDFs (one
    build of both)."""
    path = nodeid.split("::")[0]
    if path.endswith("browser/test_each_page.py"):
        return nodeid[nodeid.rindex("["):]
    if path.endswith(("test_offline.py", "test_pdf.py")):
        return "dist"
    return path


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """(pytest-xdist) Send each :func:`xdist_scope` whole to one worker."""
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return xdist_scope(nodeid)
    return Scheduling(config, log)


def pytest_collection_modifyitems(config, items):
    """Mark the slow tests (``_is_slow``); the tests of a built site go last (the build
    runs beside the others: ``pytest_collection_finish``); skip the examples that need
    absent MNIST."""
    for item in items:
        if _is_slow(item):
            item.add_marker(pytest.mark.slow)
    items.sort(key=_needs_site)          # stable: each file keeps its order
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

    With pytest-xdist, the workers share each build (``shared``: a folder of the run): the
    first to claim ``shared/<name>`` starts it, the others wait for its ``exit`` file. The
    build runs in its own process group, which the xdist controller stops (if it still
    runs) when the whole run ends: a worker that finishes early does not stop a build
    another worker waits for.
    """

    TIMEOUT = 600       # seconds: a build that takes longer has hung

    def __init__(self, name, shared=None):
        self.shared = shared is not None
        self.folder = Path(shared) / name if self.shared else Path(
            tempfile.mkdtemp(prefix=f"nnguide-{name}-"))
        try:
            self.folder.mkdir(parents=True)
            builder = True
        except FileExistsError:
            builder = not self.shared          # mkdtemp made it: ours
        self.site, self.exit = self.folder / "site", self.folder / "exit"
        self.log_path = self.folder / "build.log"
        self.downloads = self.folder / "downloads"
        self.env = dict(DEPLOYED, NNGUIDE_DOWNLOADS=str(self.downloads)) \
            if name == "deployed_site" else {}
        self.process = self._start() if builder else None

    def _start(self):
        if self.env:
            self.downloads.mkdir()
            for n, name in enumerate(site_layout.OPTIONAL_DOWNLOADS):
                (self.downloads / name).write_bytes(b"stand-in " * (100 + 1000 * n))
        env = {k: v for k, v in os.environ.items() if k not in DEPLOY_ENV}
        build = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(self.site)]
        # The exit status lands in `exit` whole (written aside, then renamed).
        record = ("import os, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
                  "open(sys.argv[1] + '.part', 'w').write(str(code)); "
                  "os.replace(sys.argv[1] + '.part', sys.argv[1])")
        with open(self.log_path, "w", encoding="utf-8") as log:
            process = subprocess.Popen(
                [sys.executable, "-c", record, str(self.exit), *build],
                cwd=ROOT, env=dict(env, NO_MKDOCS_2_WARNING="1", **self.env),
                stdout=log, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        (self.folder / "pid").write_text(str(process.pid))
        return process

    def wait(self):
        deadline = time.monotonic() + self.TIMEOUT
        while not self.exit.is_file():
            if self.process is not None and self.process.poll() is not None:
                break                              # the recorder itself died
            assert time.monotonic() < deadline, (
                f"mkdocs build did not finish in {self.TIMEOUT} s; its log so far:\n"
                f"{self.log_path.read_text(encoding='utf-8')[-5000:]}")
            time.sleep(0.1)
        code = self.exit.read_text() if self.exit.is_file() else "no exit status"
        assert code == "0", (f"mkdocs build --strict failed ({code}):\n"
                             f"{self.log_path.read_text(encoding='utf-8')[-5000:]}")
        return self.site

    def remove(self):
        if self.shared:
            return                                 # the controller's (stop_shared_builds)
        if self.process is not None:
            stop_build(self.folder)
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def stop_build(folder):
    """Stop the build started in ``folder`` (its process group), if it still runs."""
    try:
        os.killpg(int((folder / "pid").read_text()), signal.SIGKILL)
    except (OSError, ValueError):
        pass                                       # no pid file, or finished


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """(pytest-xdist, in the controller) The workers share the run's site builds there."""
    if SHARED not in node.config.stash:
        node.config.stash[SHARED] = tempfile.mkdtemp(prefix="nnguide-run-")
    node.workerinput["nnguide_shared"] = node.config.stash[SHARED]


SHARED = pytest.StashKey[str]()


def _site_build(config, name):
    """The build behind the fixture ``name`` (started now if it is not running yet)."""
    builds = config.stash.setdefault(SITE_BUILDS, {})
    if name not in builds:
        shared = getattr(config, "workerinput", {}).get("nnguide_shared")
        builds[name] = SiteBuild(name, shared)
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
    if SHARED in session.config.stash:             # the xdist controller, after the workers
        shared = Path(session.config.stash[SHARED])
        for folder in shared.iterdir():
            stop_build(folder)
        shutil.rmtree(shared, ignore_errors=True)
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
