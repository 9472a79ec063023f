"""The site's downloads and the addresses that point at them (a mkdocs hook).

The site's address is written in one place, ``site_url`` in mkdocs.yml, filled
in by the deploy workflow (``NNGUIDE_SITE_URL``); a local build has none, and
then everything here is relative.

- **The wheel.** nnguide's wheel is built from this checkout at build time
  (``pip wheel --no-deps --no-build-isolation --no-index``: no network; it needs
  ``setuptools>=77``, part of the ``docs`` extra) and served as
  ``downloads/nnguide-<version>-py3-none-any.whl``. It is cached in
  ``build/wheel/`` under a hash of what goes into it, so ``mkdocs serve``
  rebuilds it only when the package changes.
- **The offline copy and the PDFs**, when the folder named by
  ``NNGUIDE_DOWNLOADS`` holds them (the deploy workflow sets it to ``dist/``
  after ``make offline`` and ``make pdf``), are served as ``downloads/<name>``.
  A local build lists none of them (so none of its links can be dead).
- **Pages that name them** (:data:`TEMPLATED_PAGES`: the home page's install
  section) are rendered with Jinja before Markdown: ``{{ wheel }}`` (the file
  name), ``{{ wheel_url }}`` (its absolute URL, empty without an address),
  ``{{ site_url }}``, ``{{ repo_url }}`` and ``downloads`` (file name -> size,
  for the files above that this build serves). Links to them are ordinary
  Markdown links (``downloads/{{ wheel }}``), checked by ``mkdocs build --strict``.
- **The training notebooks' install cell** (tag ``install``) is filled in on the
  notebook page and in the ``.ipynb`` it offers: mkdocs-jupyter renders and copies
  a copy of the notebook whose first cell installs the site's wheel.
The chapter notebooks get the same line from ``chapter_notebooks.py``
(``site_layout.install_line``).
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

import site_layout

TEMPLATED_PAGES = {"index"}
"""Pages rendered with Jinja (the variables above); ``{{``/``{%`` elsewhere stay text."""

DOWNLOADS_ENV = "NNGUIDE_DOWNLOADS"
WHEEL_CACHE = site_layout.ROOT / "build" / "wheel"
# What goes into the wheel (setuptools: pyproject.toml, the readme, the package's modules).
WHEEL_INPUTS = ("pyproject.toml", "README.md")

_INSTALL = re.compile(r'^%pip install "(?P<req>[^"\[]*)(?:\[(?P<extras>[^\]]*)\])?"$')


# ---------------------------------------------------------------- the wheel

def _wheel_sources():
    """``(relative path, file)`` of everything the wheel is built from, in a fixed order."""
    sources = [(name, site_layout.ROOT / name) for name in WHEEL_INPUTS]
    package = site_layout.ROOT / "nnguide"
    sources += [(path.relative_to(site_layout.ROOT).as_posix(), path)
                for path in sorted(package.rglob("*.py"))]
    return sources


def wheel_key():
    """A hash of the wheel's inputs: the name of its folder in the cache."""
    digest = hashlib.sha256()
    for name, path in _wheel_sources():
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def build_wheel(cache=WHEEL_CACHE):
    """nnguide's wheel for the current sources: from the cache, else built (and cached).

    The sources are copied to a temporary folder first, so a build leaves nothing
    in the checkout and two builds at once do not meet. Returns the wheel's path.
    """
    folder = Path(cache) / wheel_key()
    wheel = folder / site_layout.wheel_name()
    if wheel.is_file():
        return wheel
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wheel-", dir=folder.parent) as tmp:
        src, out = Path(tmp) / "src", Path(tmp) / "out"
        for name, path in _wheel_sources():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, src / name)
        cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
               "--no-index", "--quiet", "--wheel-dir", str(out), str(src)]
        result = subprocess.run(cmd, capture_output=True, text=True)
        built = out / site_layout.wheel_name()
        if result.returncode != 0 or not built.is_file():
            raise PluginError(
                f"building nnguide's wheel failed (`{' '.join(cmd[2:])}`, exit "
                f"{result.returncode}; expected {built.name}, got "
                f"{sorted(p.name for p in out.glob('*'))}). It needs setuptools>=77 in the "
                f"environment that runs mkdocs: pip install -e '.[docs]'.\n"
                f"{(result.stdout + result.stderr)[-3000:]}")
        for old in folder.parent.iterdir():        # one wheel in the cache: today's
            if old.is_dir() and old.name != folder.name and not old.name.startswith("wheel-"):
                shutil.rmtree(old, ignore_errors=True)
        try:
            os.rename(out, folder)
        except OSError:                            # another build cached it first
            if not wheel.is_file():
                raise
    return wheel


# ---------------------------------------------------------------- what this build serves

def optional_downloads():
    """``{name: path}`` of ``site_layout.OPTIONAL_DOWNLOADS`` found in ``$NNGUIDE_DOWNLOADS``
    (none if it is unset)."""
    value = os.environ.get(DOWNLOADS_ENV, "")
    if not value:
        return {}
    folder = Path(value)
    if not folder.is_dir():
        raise PluginError(f"{DOWNLOADS_ENV}={value!r} is not a folder; set it to the folder "
                          f"that `make offline` and `make pdf` write to (dist), or unset it")
    return {name: folder / name for name in site_layout.OPTIONAL_DOWNLOADS
            if (folder / name).is_file()}


def human_size(size):
    """``1234567`` -> ``"1.2 MB"``."""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000


_served = {}   # file name -> path of what this build serves under downloads/


@event_priority(-150)   # after the i18n plugin (-100), which rebuilds every File from docs/
def on_files(files, config):
    _served.clear()
    _served[site_layout.wheel_name()] = build_wheel()
    _served.update(optional_downloads())
    for name, path in _served.items():
        uri = site_layout.DOWNLOADS + name
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


# ---------------------------------------------------------------- pages

def page_variables(config):
    """The variables of a templated page."""
    site_url = config["site_url"] or ""
    return {
        "site_url": site_url,
        "repo_url": config["repo_url"] or "",
        "wheel": site_layout.wheel_name(),
        "wheel_url": site_layout.wheel_address(site_url, "") if site_url else "",
        "downloads": {name: human_size(path.stat().st_size) for name, path in _served.items()},
    }


_JINJA = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                            trim_blocks=True, lstrip_blocks=True, autoescape=False,
                            comment_start_string="{#!", comment_end_string="!#}")


def render(markdown, variables, name="page"):
    """A templated page's Markdown with its variables filled in."""
    try:
        return _JINJA.from_string(markdown).render(variables)
    except jinja2.TemplateError as err:
        raise PluginError(f"{name}: {type(err).__name__}: {err} (the variables: "
                          f"{', '.join(sorted(variables))}; see tools/downloads.py)") from None


def on_page_markdown(markdown, page, config, files):
    if site_layout.page_name(page.file.src_uri) not in TEMPLATED_PAGES:
        return markdown
    if not page.file.src_uri.endswith(".md"):
        return markdown
    return render(markdown, page_variables(config), page.file.src_uri)


# ---------------------------------------------------------------- the training notebooks

def fill_install_cell(notebook, wheel):
    """A notebook (JSON text) whose ``install`` cell installs ``wheel``, extras kept."""
    nb = json.loads(notebook)
    cells = [c for c in nb["cells"]
             if site_layout.INSTALL_TAG in c.get("metadata", {}).get("tags", [])]
    for cell in cells:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        m = _INSTALL.match(source.strip())
        if m is None:
            raise PluginError(f"the install cell {source!r} is not "
                              f"{site_layout.install_line('extras')!r}; "
                              f"write it with tools/make_notebooks.py")
        cell["source"] = site_layout.install_line(m["extras"] or "", wheel)
    return json.dumps(nb, ensure_ascii=False, indent=1) + "\n"


_filled = []   # temporary folders of this build's filled notebooks


@event_priority(50)    # before mkdocs-jupyter's on_pre_page, which reads abs_src_path
def on_pre_page(page, config, files):
    if not page.file.src_uri.endswith(".ipynb"):
        return page
    source = Path(page.file.abs_src_path)
    wheel = site_layout.wheel_address(config["site_url"], page.file.dest_uri)
    folder = Path(tempfile.mkdtemp(prefix="nnguide-notebook-"))
    _filled.append(folder)
    filled = folder / source.name           # same name: the page offers it for download
    filled.write_text(fill_install_cell(source.read_text(encoding="utf-8"), wheel),
                      encoding="utf-8")
    page.file.abs_src_path = str(filled)
    return page


def on_post_build(config):
    while _filled:
        shutil.rmtree(_filled.pop(), ignore_errors=True)


def main(argv=None):
    """``python tools/downloads.py DIR``: the site's wheel (cached) copied into DIR."""
    parser = argparse.ArgumentParser(description="Copy nnguide's wheel, as the site serves "
                                                 "it, into a folder (make wheel).")
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    try:
        wheel = build_wheel()
    except PluginError as err:
        parser.exit(1, f"{err}\n")
    args.folder.mkdir(parents=True, exist_ok=True)
    part = args.folder / f".{wheel.name}.part"       # never a half-written wheel
    shutil.copyfile(wheel, part)
    os.replace(part, args.folder / wheel.name)
    print(args.folder / wheel.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
