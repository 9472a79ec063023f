"""The pages of the site, known before it is built (tests are parametrized over them).

Languages and the site's path come from mkdocs.yml; the pages from docs/ (``losses.zh.md``,
``notebook.en.ipynb``, ...). test_whole_site.py checks that this list is exactly the set of
pages in the built site.
"""

import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


class _IgnoreTags(yaml.SafeLoader):
    """Reads mkdocs.yml without running its tags (``!relative``, ``!!python/...``)."""


_IgnoreTags.add_multi_constructor("", lambda loader, tag, node: None)


def _read_mkdocs_yml():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTags)
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    langs = tuple(lang["locale"] for lang in i18n["languages"])
    default = next(lang["locale"] for lang in i18n["languages"] if lang.get("default"))
    path = urllib.parse.urlsplit(config["site_url"]).path
    return langs, default, path if path.endswith("/") else path + "/"


LANGS, DEFAULT_LANG, SITE_PATH = _read_mkdocs_yml()   # ("zh", "en"), "zh", "/nnguide/"


@dataclass(frozen=True)
class SitePage:
    lang: str
    slug: str        # "" for the home page, else "losses", "notebook", ...
    kind: str        # "md" or "notebook"
    source: Path

    @property
    def path(self):
        """Where the page is, below the site's path: "", "losses/", "en/", "en/losses/"."""
        prefix = "" if self.lang == DEFAULT_LANG else f"{self.lang}/"
        return prefix + (f"{self.slug}/" if self.slug else "")

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
