"""The search box finds the page that teaches a word, in the reader's language.

Chinese has no spaces between words: the index is segmented with jieba at build time
(Material does it when jieba is installed: the ``docs`` extra), so that a word inside a
phrase, such as 超参数 in 叫作超参数（hyperparameter）, can be found.
"""

import pytest

from .browsing import load, script
from .site_pages import LANGS, site_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# A word, the page that teaches it, and a name for the test. Pages get rewritten: keep the
# table true (the built search index, site/search/search_index.json, shows where a word is).
TEACHES = [
    ("zh", "学习率", "gradient", "learning-rate"),
    ("zh", "超参数", "gradient", "hyperparameter"),
    ("zh", "中心差分", "numerical-diff", "central-difference"),
    ("zh", "偏导数", "numerical-diff", "partial-derivative"),
    ("zh", "交叉熵", "losses", "cross-entropy"),
    ("zh", "梯度", "gradient", "gradient"),
    ("en", "entropy", "losses", "entropy"),
    ("en", "gradient", "gradient", "gradient"),
]


class SearchBox:
    """The search box of the home page in one language."""

    def __init__(self, tab, lang):
        self.tab, self.lang = tab, lang
        self.box = tab.locator(".md-search__input")
        self.box.click()

    def find(self, query):
        """The addresses of the pages found for query, best first."""
        results = self.tab.locator(".md-search-result__item").first
        self.box.fill("")                 # no results now: the next ones are this query's
        results.wait_for(state="detached")
        self.box.fill(query)
        self.tab.keyboard.press("End")    # like an input method's commit: Material searches
        results.wait_for()
        return self.tab.evaluate(script("search_results.js"))


@pytest.fixture(scope="module")
def search_box(request, reader_tab, site):
    """The SearchBox of ``request.param``'s language (parametrize with indirect=True)."""
    log = load(reader_tab, site, site_page(request.param, "").path)
    yield SearchBox(reader_tab, request.param)
    log.stop()


@pytest.mark.parametrize("search_box, word, slug", [row[:3] for row in TEACHES],
                         indirect=["search_box"], ids=[f"{r[0]}-{r[3]}" for r in TEACHES])
def test_search_finds_the_page_that_teaches_the_word(search_box, site, word, slug):
    found = search_box.find(word)
    wanted = site + site_page(search_box.lang, slug).path
    other_lang = next(lang for lang in LANGS if lang != search_box.lang)
    twin = site + site_page(other_lang, slug).path
    assert wanted in found, f"searching {word!r} did not find {wanted}: {found}"
    assert twin not in found or found.index(wanted) < found.index(twin), (
        f"searching {word!r} ranks the other language's page first: {found}")
