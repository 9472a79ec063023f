"""Test-wide setup: sybil runs the pages' and docstrings' examples; CI allows no skips.

The real MNIST files for tests live in ``../shared/data/mnist`` beside the
repository (override with ``NNGUIDE_TEST_MNIST``). Pages call ``load_mnist()``
exactly as a reader would; ``NNGUIDE_DATA`` points it at those files here.
"""

import os
import shutil
import subprocess
import tempfile
import sys
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from pathlib import Path

import pytest
from sybil import Sybil
from sybil.evaluators.doctest import NUMBER
from sybil.evaluators.python import PythonEvaluator
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser
from sybil.parsers.markdown.codeblock import CodeBlockParser
from sybil.parsers.rest import DocTestParser

ROOT = Path(__file__).resolve().parent
MNIST_DIR = Path(os.environ.get("NNGUIDE_TEST_MNIST", ROOT.parent / "shared" / "data" / "mnist"))
MNIST_FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
               "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
DOCTEST_FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE | NUMBER
IN_CI = bool(os.environ.get("CI"))


def mnist_available():
    return all((MNIST_DIR / f"{name}.gz").is_file() or (MNIST_DIR / name).is_file()
               for name in MNIST_FILES)


if mnist_available():
    os.environ.setdefault("NNGUIDE_DATA", str(MNIST_DIR))
# load_mnist's .npz cache goes to a folder of this run, never the user's cache.
os.environ["NNGUIDE_CACHE"] = tempfile.mkdtemp(prefix="nnguide-test-cache-")


class PyconCodeBlockParser(PythonCodeBlockParser):
    """Run ```` ```pycon ```` fences: interactive sessions with ``>>>`` prompts."""

    def __init__(self, doctest_optionflags=0):
        super().__init__(doctest_optionflags=doctest_optionflags)
        self.codeblock_parser = CodeBlockParser("pycon", PythonEvaluator())


DOC_PARSERS = [
    PyconCodeBlockParser(doctest_optionflags=DOCTEST_FLAGS),
    PythonCodeBlockParser(doctest_optionflags=DOCTEST_FLAGS),
    SkipParser(),
]

pages = Sybil(parsers=DOC_PARSERS, patterns=["*.md"], path=str(ROOT / "docs"), name="pages")
docstrings = Sybil(parsers=[DocTestParser(optionflags=DOCTEST_FLAGS)], patterns=["*.py"],
                   path=str(ROOT / "nnguide"), name="docstrings")
pytest_collect_file = (pages + docstrings).pytest()


def pytest_collection_modifyitems(config, items):
    """Examples (pages, docstrings) that read MNIST skip when the files are absent.

    In CI a skip fails the run (``pytest_sessionfinish``), so there they must run.
    """
    if mnist_available():
        return
    reason = (f"real MNIST not found in {MNIST_DIR}; put the four IDX .gz files there "
              f"or set NNGUIDE_TEST_MNIST to their folder")
    for item in items:
        path = Path(str(item.fspath))
        is_example_source = path.is_relative_to(ROOT / "docs") or path.is_relative_to(ROOT / "nnguide")
        if is_example_source and ">>> (x_train" in path.read_text(encoding="utf-8"):
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: every check must really run there."""
    shutil.rmtree(os.environ["NNGUIDE_CACHE"], ignore_errors=True)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if IN_CI and skipped and session.exitstatus == 0:
        reporter.write_line(f"CI=true: {skipped} test(s) skipped; in CI every test must run.",
                            red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def mnist_dir():
    """The folder with the four real MNIST files (``../shared/data/mnist``)."""
    if not mnist_available():
        pytest.skip(f"real MNIST not found in {MNIST_DIR}; set NNGUIDE_TEST_MNIST "
                    f"to a folder holding the four IDX .gz files")
    return MNIST_DIR


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The whole site, built once per session by ``mkdocs build --strict``."""
    site = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-5000:]}"
    return site
