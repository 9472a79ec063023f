"""Make mkdocs-static-i18n build notebook pages as pages, in every language.

Out of the box the i18n plugin copies ``.ipynb`` files as static files: the
page is written as raw notebook JSON and the second language's page is never
built (ultrabug/mkdocs-static-i18n#198). Declaring notebooks documentation
pages lets mkdocs-jupyter render them. tests/test_site_build.py guards this.
"""

from mkdocs.structure.files import File

_is_documentation_page = File.is_documentation_page


def _is_page(self):
    return self.src_uri.endswith(".ipynb") or _is_documentation_page(self)


File.is_documentation_page = _is_page
