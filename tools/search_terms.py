"""The Chinese terms of the glossary, for the search's word segmentation (jieba).

Material's search splits Chinese text into words with jieba. Without help it
cuts some of the chapter's terms apart in running text (超参数 in
"叫作超参数" became 超 + 参数), so a search for the term finds only the
glossary, where the term stands alone. ``mkdocs.yml`` gives jieba this list as
a user dictionary (``search: jieba_dict_user``); the list is the glossary's
first column: ``python tools/search_terms.py`` writes it, and
``tests/test_terms.py`` fails when it is out of date.
"""

import re
import sys

import site_layout

TERMS_FILE = site_layout.ROOT / "tools" / "search_terms.zh.txt"
_CJK_WORD = re.compile(r"^[\u3400-\u9fff]+$")


def glossary_terms():
    """Every all-Chinese term in the first column of the Chinese glossary's tables."""
    text = site_layout.source("glossary", site_layout.default_language()).read_text("utf-8")
    terms = []
    for line in text.splitlines():
        if not line.startswith("| ") or line.startswith(("| 中文", "|---")):
            continue
        cell = line.split("|")[1].strip()
        for word in re.split(r"[（）()、/·，,]\s*", cell):
            word = word.strip()
            if _CJK_WORD.match(word) and word not in terms:
                terms.append(word)
    return terms


def expected_file():
    return "".join(f"{term}\n" for term in glossary_terms())


if __name__ == "__main__":
    TERMS_FILE.write_text(expected_file(), encoding="utf-8")
    print(f"{len(glossary_terms())} terms written to {TERMS_FILE.relative_to(site_layout.ROOT)}")
    sys.exit(0)
