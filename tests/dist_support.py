"""The offline zip and the two PDFs that tests/test_offline.py and tests/test_pdf.py check.

By default they are built once per test run, into a temporary folder, by the same scripts as
``make offline`` and ``make pdf`` (one offline build serves the zip and the PDFs). With
``NNGUIDE_DIST`` set to a folder, the tests check the files already there instead:
``.ci/run`` runs ``make offline pdf`` and then the tests with ``NNGUIDE_DIST=dist``, so CI
builds everything once and tests exactly the files it produced.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import site_layout

ROOT = Path(__file__).resolve().parents[1]
DIST_ENV = "NNGUIDE_DIST"
ZIP = "nnguide-offline.zip"
LANGS = site_layout.languages()

_state: dict = {}


def pdf_name(lang):
    return f"nnguide.{lang}.pdf"


def _run(args, what):
    started = time.monotonic()
    result = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    if result.returncode != 0:
        raise AssertionError(f"{what} failed (exit {result.returncode}):\n"
                             f"{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
    print(f"{what}: {time.monotonic() - started:.1f} s\n{result.stdout}", file=sys.stderr)
    return result.stdout


def _given(name):
    folder = Path(os.environ[DIST_ENV])
    path = folder / name
    if not path.is_file():
        raise AssertionError(f"{DIST_ENV}={folder} has no {name}: run `make offline pdf` "
                             f"first, or unset {DIST_ENV} to let the tests build it")
    return path


def _folder():
    if "folder" not in _state:
        _state["folder"] = Path(tempfile.mkdtemp(prefix="nnguide-dist-"))
        atexit.register(cleanup)
    return _state["folder"]


def offline_zip():
    """The offline zip: ``$NNGUIDE_DIST/nnguide-offline.zip``, or built once for this run."""
    if os.environ.get(DIST_ENV):
        return _given(ZIP)
    folder = _folder()
    if "zip" not in _state:
        _run(["tools/build_offline.py", "--site-dir", str(folder / "site"),
              "--zip", str(folder / ZIP)], "tools/build_offline.py")
        _state["zip"] = folder / ZIP
    return _state["zip"]


def pdfs():
    """``{lang: path}`` of the PDFs: from ``$NNGUIDE_DIST``, or printed once for this run
    from the same offline build as the zip."""
    if os.environ.get(DIST_ENV):
        return {lang: _given(pdf_name(lang)) for lang in LANGS}
    if "pdfs" not in _state:
        offline_zip()
        folder = _folder()
        _run(["tools/build_pdf.py", "--site-dir", str(folder / "site"),
              "--out-dir", str(folder)], "tools/build_pdf.py")
        _state["pdfs"] = {lang: folder / pdf_name(lang) for lang in LANGS}
    return _state["pdfs"]


def cleanup():
    folder = _state.pop("folder", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- the navigation

def load_config(name):
    """A mkdocs config file as plain data (tools/site_layout.py reads it)."""
    return site_layout.mkdocs_config(name)


def nav():
    """``[(title, source), ...]`` of mkdocs.yml's navigation, nested sections flattened."""
    def walk(entries):
        for entry in entries:
            for title, value in entry.items():
                if isinstance(value, list):
                    yield from walk(value)
                else:
                    yield title, value
    return list(walk(load_config("mkdocs.yml")["nav"]))


def nav_titles(lang):
    """The navigation titles as the site shows them in ``lang`` (i18n nav_translations)."""
    plugins = load_config("mkdocs.yml")["plugins"]
    if isinstance(plugins, list):
        plugins = {k: v for p in plugins if isinstance(p, dict) for k, v in p.items()}
    i18n = plugins["i18n"]
    language = next(l for l in i18n["languages"] if l["locale"] == lang)
    translations = language.get("nav_translations") or {}
    return [translations.get(title, title) for title, _ in nav()]


def page_file(source, lang):
    """Where the offline copy keeps a nav page: ``losses.md`` -> ``losses.html`` (zh) or
    ``en/losses.html``."""
    stem = re.sub(r"\.(md|ipynb)$", "", source)
    return ("" if lang == "zh" else f"{lang}/") + f"{stem}.html"
