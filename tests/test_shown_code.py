"""The package code the pages show (tools/shown_code.py): docstring summaries only, no line
wider than 79 columns, and on the Chinese pages Chinese docstrings and comments.

The Chinese pages show the same code as the English ones except for the text of its
one-line docstrings and comments, which ``tools/shown_code.zh.json`` translates.
"""

import ast
import io
import re
import tokenize
import unicodedata

import pytest

import shown_code
import site_layout

ROOT = site_layout.ROOT
LANGS = site_layout.languages()
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Words that are no English sentence: names of NumPy and of the book's ideas, kept in Latin
# letters on the Chinese pages (as in the book's Chinese edition).
KEPT = {"np", "dot", "softmax", "sigmoid", "SGD", "mini", "batch", "epoch"}


def embedded(lang):
    """``[(page, "path:name", code shown), ...]`` for every package snippet on the pages."""
    shown = []
    for page in site_layout.markdown_pages(lang):
        for m in shown_code.SNIPPET.finditer(page.read_text(encoding="utf-8")):
            shown.append((page.name, f"{m['path']}:{m['name']}",
                          shown_code.shown_code(ROOT, m["path"], m["name"], lang)))
    return shown


def columns(line):
    """Display width: a CJK character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def code_tokens(code):
    """The tokens of ``code`` without its comments and docstring texts."""
    return [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO(code).readline)
            if t.type not in (tokenize.COMMENT, tokenize.STRING)]


@pytest.mark.parametrize("lang", LANGS)
def test_shown_code_is_python_within_79_columns(lang):
    shown = embedded(lang)
    assert shown, f"no page in {lang} embeds package code"
    wide = []
    for page, where, code in shown:
        ast.parse(code)
        wide += [f"{page} {where}: {columns(line)} columns: {line}"
                 for line in code.splitlines() if columns(line) > 79]
    assert not wide, "\n".join(wide)


def test_chinese_pages_show_chinese_docstrings_and_comments():
    english = []
    for page, where, code in embedded("zh"):
        for _, _, _, text in shown_code.english_texts(code):
            names = code_names(code) | KEPT
            words = [w for w in NAME.findall(text)
                     if len(w) >= 3 and w.isalpha() and w not in names]
            if words:
                english.append(f"{page} {where}: {text!r}")
    assert not english, "English left in the code on Chinese pages:\n" + "\n".join(english)


def code_names(code):
    """The Python names in ``code``."""
    return {t.string for t in tokenize.generate_tokens(io.StringIO(code).readline)
            if t.type == tokenize.NAME}


def test_only_docstrings_and_comments_are_translated():
    english = {where: code for _, where, code in embedded("en")}
    for page, where, code in embedded("zh"):
        assert code_tokens(code) == code_tokens(english[where]), (
            f"{page} {where}: the Chinese page's code differs from the English page's in more "
            f"than its docstrings and comments")


def test_every_translation_is_used():
    used = {text for lang in ("en",) for _, _, code in embedded(lang)
            for _, _, _, text in shown_code.english_texts(code)}
    unused = set(shown_code.table("zh")) - used
    assert not unused, (f"tools/shown_code.zh.json translates texts no page shows any more: "
                        f"{sorted(unused)}; remove them")


def test_a_missing_translation_stops_the_build_and_says_where_to_add_it():
    code = 'def f(x):\n    """Something new."""\n    return x  # and a comment\n'
    with pytest.raises(ValueError, match=r"nnguide/x\.py:f: the zh pages show "
                                         r"'# and a comment'.*tools/shown_code\.zh\.json"):
        shown_code.translated(code, "zh", "nnguide/x.py:f")
    assert shown_code.translated(code, "en", "nnguide/x.py:f") == code


def test_one_docstring_summary_a_block():
    code = 'def f(x):\n    """Summary.\n\n    More.\n    """\n    return x\n'
    assert shown_code.summaries_only(code) == 'def f(x):\n    """Summary."""\n    return x'
    code = ('class C:\n    """Summary.\n\n    More.\n    """\n\n    def m(self):\n'
            '        """What m does.\n\n        More.\n        """\n        return 1\n')
    assert shown_code.summaries_only(code) == (
        'class C:\n    """Summary."""\n\n    def m(self):\n        return 1')


def test_a_missing_translation_is_a_warning_in_the_hook_and_stays_english():
    code = 'def f(x):\n    return x  # and a comment\n'
    messages = []
    shown = shown_code.translated(code, "zh", "nnguide/x.py:f", messages.append)
    assert shown == code.rstrip("\n")
    assert messages == ["nnguide/x.py:f: the zh pages show '# and a comment', which "
                        "tools/shown_code.zh.json does not translate; add it there"]
