"""The site's layout, written once: languages, page addresses, pages, the wheel, the install line.

Used by the mkdocs hooks, the tools and the tests. The languages and the
navigation are read from ``mkdocs.yml`` (the i18n plugin's ``languages``),
so adding a language or a page there is enough.
"""

import functools
import re
import tomllib
from pathlib import Path, PurePosixPath

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MKDOCS_YML = ROOT / "mkdocs.yml"

# One BLAS thread for anything that trains beside other work (notebook kernels, the
# training history): as fast as two on these small matrices, far faster on a busy
# machine, and the same order of sums on every run.
SINGLE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

PYPROJECT = ROOT / "pyproject.toml"
DOWNLOADS = "downloads/"
"""The site's folder of downloads: the wheel, and the offline copy and PDFs when built."""

OPTIONAL_DOWNLOADS = ("nnguide-offline.zip", "nnguide.zh.pdf", "nnguide.en.pdf")
"""What ``make offline`` and ``make pdf`` write to ``dist/``; the site serves them when
``$NNGUIDE_DOWNLOADS`` names that folder (tools/downloads.py)."""


@functools.cache
def wheel_name():
    """The file name of nnguide's wheel, from pyproject.toml: ``nnguide-0.1.0-py3-none-any.whl``.

    The site serves it as ``downloads/<this name>`` (tools/downloads.py builds it).
    """
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    name = re.sub(r"[-_.]+", "_", project["name"]).lower()
    return f"{name}-{project['version']}-py3-none-any.whl"


def wheel_address(site_url, page_dest):
    """Where a page (or the notebook beside it) finds the wheel.

    With the site's address (``site_url``, set at deploy time) the absolute
    URL; without one (a local build) the path from the page's folder, e.g.
    ``../../downloads/nnguide-0.1.0-py3-none-any.whl`` for ``en/gradient/index.html``.
    """
    if site_url:
        return f"{site_url.rstrip('/')}/{DOWNLOADS}{wheel_name()}"
    return f"{relative_root(page_dest)}{DOWNLOADS}{wheel_name()}"


def relative_root(page_dest):
    """The site's root seen from the folder of ``page_dest`` (``en/gradient/index.html``
    -> ``../../``; ``index.html`` -> ``""``)."""
    return "../" * len(PurePosixPath(page_dest).parent.parts)


INSTALL_TAG = "install"
"""The tag of the notebooks' first cell, the one that installs nnguide."""


def install_line(extras="", wheel=None):
    """The notebooks' first cell, which installs nnguide.

    ``wheel`` is the address of the site's wheel (:func:`wheel_address`): an
    absolute URL, ``%pip install "nnguide[plots] @ https://<site>/downloads/<wheel>"``,
    or a relative path, ``%pip install "../downloads/nnguide-...whl[plots]"``.
    Without it, the line for a clone of the repository, where the committed
    notebooks sit in ``docs/``: ``%pip install "..[plots]"``.
    """
    suffix = f"[{extras}]" if extras else ""
    if wheel and re.match(r"^[a-z][a-z0-9+.-]*://", wheel):
        return f'%pip install "nnguide{suffix} @ {wheel}"'
    return f'%pip install "{wheel or ".."}{suffix}"'


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its tags (``!relative``, ``!!python/...``)."""


def _relative(loader, node):
    """mkdocs' ``!relative $config_dir`` / ``!relative $docs_dir`` as a path."""
    folders = {"$config_dir": ROOT, "$docs_dir": DOCS}
    return str(folders.get(loader.construct_scalar(node), ROOT))


_Loader.add_constructor("!relative", _relative)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@functools.cache
def mkdocs_config(name="mkdocs.yml"):
    """A mkdocs config file of the repository as a dict (``!`` tags read as None)."""
    return yaml.load((ROOT / name).read_text(encoding="utf-8"), Loader=_Loader)


def _i18n():
    plugins = mkdocs_config()["plugins"]
    if isinstance(plugins, dict):      # a mapping (mkdocs.offline.yml adds to it), or a list
        plugins = [{name: options} for name, options in plugins.items()]
    for plugin in plugins:
        if isinstance(plugin, dict) and "i18n" in plugin:
            return plugin["i18n"]
    raise LookupError(f"{MKDOCS_YML}: no i18n plugin in plugins:")


def markdown_options(extension):
    """The options of a Markdown extension in mkdocs.yml, e.g. ``"pymdownx.snippets"``."""
    for entry in mkdocs_config()["markdown_extensions"]:
        if isinstance(entry, dict) and extension in entry:
            return dict(entry[extension] or {})
        if entry == extension:
            return {}
    raise LookupError(f"{MKDOCS_YML}: {extension} is not in markdown_extensions")


def languages():
    """The site's languages in the order of ``mkdocs.yml``, e.g. ``("zh", "en")``."""
    return tuple(lang["locale"] for lang in _i18n()["languages"])


def default_language():
    """The language served at the site's root (``default: true`` in mkdocs.yml)."""
    return next(lang["locale"] for lang in _i18n()["languages"] if lang.get("default"))


def url_for(page, lang):
    """The address of ``page`` in ``lang``, relative to the site's root.

    The default language lives at the root, every other one in its own
    folder; ``index`` is the folder itself: ``url_for("gradient", "zh")`` is
    ``"gradient/"``, ``url_for("index", "en")`` is ``"en/"``.
    """
    prefix = "" if lang == default_language() else f"{lang}/"
    return prefix if page == "index" else f"{prefix}{page}/"


def nav_pages():
    """The pages of the navigation, in order: ``["index.md", ..., "notebook.ipynb", ...]``.

    A section (``- 附录: [...]``) contributes its pages in place.
    """
    def pages_of(entries):
        for entry in entries:
            value = next(iter(entry.values())) if isinstance(entry, dict) else entry
            if isinstance(value, list):
                yield from pages_of(value)
            else:
                yield value

    return list(pages_of(mkdocs_config()["nav"]))


def lang_of(source):
    """``gradient.en.md`` -> ``en``; a file without a language suffix is the default's."""
    parts = Path(source).name.split(".")
    return parts[-2] if len(parts) > 2 and parts[-2] in languages() else default_language()


def page_name(source):
    """``gradient.en.md`` or ``gradient.md`` -> ``gradient``."""
    return Path(source).name.split(".")[0]


def source(page, lang, suffix=".md"):
    """The file of ``page`` in ``lang``: ``docs/gradient.zh.md``."""
    return DOCS / f"{page}.{lang}{suffix}"


def markdown_pages(lang):
    """The Markdown sources of ``lang`` in navigation order."""
    return [source(page_name(entry), lang) for entry in nav_pages() if entry.endswith(".md")]
