"""The pages of the site, known before it is built (tests are parametrized over them).

Languages and the site's path come from mkdocs.yml (tools/site_layout.py); the pages from docs/ (``losses.zh.md``,
``notebook.en.ipynb``, ...). test_whole_site.py checks that this list is exactly the set of
pages in the built site.
"""

import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import site_layout

DOCS = site_layout.DOCS


def _site_path():
    """The path part of site_url ("/nnguide/"), or "/" for a build without an address."""
    url = site_layout.mkdocs_config().get("site_url")
    path = urllib.parse.urlsplit(url).path if isinstance(url, str) else "/"
    return path if path.endswith("/") else path + "/"


LANGS, DEFAULT_LANG = site_layout.languages(), site_layout.default_language()
SITE_PATH = _site_path()


@dataclass(frozen=True)
class SitePage:
    lang: str
    slug: str        # "" for the home page, else "losses", "notebook", ...
    kind: str        # "md" or "notebook"
    source: Path

    @property
    def path(self):
        """Where the page is, below the site's path: "", "losses/", "en/", "en/losses/"."""
        return site_layout.url_for(self.slug or "index", self.lang)

    def twin(self, lang):
        """The same page in another language."""
        return SitePage(lang, self.slug, self.kind, self.source.with_name(
            self.source.name.replace(f".{self.lang}.", f".{lang}.")))

    def __str__(self):       # the test id: "zh-losses", "en-index"
        return f"{self.lang}-{self.slug or 'index'}"


def _discover():
    pages = []
    for lang in LANGS:
        for source in sorted(DOCS.rglob(f"*.{lang}.*")):
            kind = {".md": "md", ".ipynb": "notebook"}.get(source.suffix)
            if kind is None:
                continue
            slug = source.relative_to(DOCS).as_posix().removesuffix(f".{lang}{source.suffix}")
            slug = "" if slug == "index" else slug.removesuffix("/index")
            pages.append(SitePage(lang, slug, kind, source))
    return pages


PAGES = _discover()
NOTEBOOK_PAGES = [page for page in PAGES if page.kind == "notebook"]


def site_page(lang, slug):
    """The page of that language and slug ("" for home)."""
    return next(p for p in PAGES if p.lang == lang and p.slug == slug)
