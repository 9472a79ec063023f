"""The site's own interface text in each page's language (a mkdocs hook).

Material translates its own buttons and labels (the i18n plugin sets its
``theme.language`` for each language's build). Four other pieces of interface
text come out in English or in one language for the whole site; each is set
here for the language being built, with its upstream cause:

- heading links: Python-Markdown's ``toc`` has one ``permalink_title`` for
  every page ("Permanent link"; the i18n plugin cannot override Markdown
  options per language): :func:`on_config` sets it for each build.
  Notebook pages get theirs from ``notebook_pages.py``, which writes the
  English default: :func:`on_page_content` replaces it.
- the API page's labels ("Parameters:", "Returns:", ...): mkdocstrings picks
  its locale in its own ``on_config``, from ``theme.language``, before the
  i18n plugin (priority -100) switches the theme to the language being built,
  so every language got the first one's labels. :func:`on_config` runs first
  and sets mkdocstrings' ``locale`` option to the language being built.
  mkdocstrings-python writes "Bases:" without translating it at all:
  replaced in :func:`on_page_content`.
- the notebook page's copy buttons: mkdocs-jupyter's template writes
  ``aria-label="Copy to Clipboard"`` and "Copied!": replaced.
- ``404.html``: each language's build writes the site's root ``404.html``,
  and the last build (English) wins. :func:`on_post_build` keeps the default
  language's page at the root and moves every other one into its folder
  (``en/404.html``).

tests/test_site_build.py checks each of these on the built site.
"""

import re
import shutil
from pathlib import Path

from mkdocs.plugins import event_priority

import site_layout

TEXT = {
    "zh": {"permalink": "永久链接", "copy": "复制", "copied": "已复制", "bases": "基类："},
    "en": {"permalink": "Permanent link", "copy": "Copy to clipboard", "copied": "Copied!",
           "bases": "Bases: "},
}
# What the plugins write, in English, whatever the language.
_WRITTEN = {"permalink": 'title="Permanent link"', "copy": 'aria-label="Copy to Clipboard"',
            "copied": ">Copied!<"}
_BASES = re.compile(r'(<p class="doc doc-class-bases">\s*)Bases: ')

_root_404 = {}  # the default language's 404.html, kept until the other builds are done


def build_language(config):
    """The language being built: the i18n plugin's current one (None before its first)."""
    plugin = config.plugins.get("i18n")
    current = getattr(plugin, "current_language", None)
    return current or site_layout.default_language()


def text(lang):
    if lang not in TEXT:
        raise KeyError(f"tools/interface_language.py: no interface text for language "
                       f"{lang!r}; add it to TEXT (languages: {', '.join(TEXT)})")
    return TEXT[lang]


@event_priority(50)  # before mkdocstrings' on_config (0) reads its locale
def on_config(config):
    lang = build_language(config)
    toc = config.mdx_configs.setdefault("toc", {})
    toc["permalink_title"] = text(lang)["permalink"]
    mkdocstrings = config.plugins.get("mkdocstrings")
    if mkdocstrings is not None:
        mkdocstrings.config["locale"] = lang
    return config


def on_page_content(html, page, config, files):
    strings = text(build_language(config))
    replacements = {_WRITTEN["permalink"]: f'title="{strings["permalink"]}"'}
    if page.file.src_uri.endswith(".ipynb"):
        replacements[_WRITTEN["copy"]] = f'aria-label="{strings["copy"]}"'
        replacements[_WRITTEN["copied"]] = f'>{strings["copied"]}<'
    for english, translated in replacements.items():
        html = html.replace(english, translated)
    return _BASES.sub(lambda m: m[1] + strings["bases"], html)


def on_post_build(config):
    """Root 404.html in the default language; ``<lang>/404.html`` for the others."""
    lang = build_language(config)
    page = Path(config.site_dir) / "404.html"
    if not page.is_file():
        return
    if lang == site_layout.default_language():
        _root_404[config.site_dir] = page.read_bytes()
        return
    saved = _root_404.get(config.site_dir)
    if saved is None:  # the default language was not built in this run
        return
    target = Path(config.site_dir) / lang / "404.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(page, target)
    partial = page.with_name("404.html.part")
    partial.write_bytes(saved)
    partial.replace(page)
