"""Package code on the pages as a reader should see it: one docstring summary a block,
in the page's language.

A page embeds a section of a package module with a line such as
``--8<-- "nnguide/losses.py:cross_entropy_error"`` inside a ``py`` fence.
This hook puts the section's code there before pymdownx.snippets runs, with
the docstring of the function or class cut to its summary line and the
methods' docstrings left out (the page explains the methods): the full
numpy-style docstrings stay in the source for ``help()`` and the API page. On a page in a
language with a table ``tools/shown_code.<lang>.json`` (Chinese), the docstring
summaries and comments are shown in that language, as the book's Chinese
edition shows its code; a text missing from the table is a warning, which
stops ``mkdocs build --strict``.
"""

import ast
import functools
import io
import json
import logging
import re
import textwrap
import tokenize
from pathlib import Path

import site_layout

log = logging.getLogger("mkdocs.hooks.shown_code")
HERE = Path(__file__).resolve().parent

SNIPPET = re.compile(r'^(?P<indent>[ \t]*)-{1,}8<-{1,}[ \t]+'
                     r'"(?P<path>[^":]+\.py):(?P<name>[\w-]+)"[ \t]*$', re.M)
MARKER = re.compile(r"^\s*#\s*-{1,}8<-{1,}\s+\[(?P<type>start|end):(?P<name>[\w-]+)\]\s*$")


def section(path, name):
    """The lines between ``# --8<-- [start:name]`` and ``[end:name]`` in ``path``."""
    lines, inside = [], False
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        marker = MARKER.match(line)
        if marker and marker["name"] == name:
            if marker["type"] == "end" and inside:
                return textwrap.dedent("\n".join(lines))
            inside = marker["type"] == "start"
        elif inside and not marker:
            lines.append(line)
    raise ValueError(f"{path}: no snippet section {name!r} (# --8<-- [start:{name}] ... "
                     f"[end:{name}])")


def summaries_only(code):
    """``code`` with the docstring of its top-level function or class cut to the first
    line, and the docstrings inside it (a class's methods) left out: the page explains
    those, as the book does."""
    tree = ast.parse(code)
    lines = code.splitlines()
    top = set(tree.body)
    for node in sorted(ast.walk(tree), key=lambda n: -getattr(n, "lineno", 0)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        first = node.body[0]
        if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)) or len(node.body) == 1:
            continue
        if node in top:
            indent = lines[first.lineno - 1][:first.col_offset]
            summary = first.value.value.strip().splitlines()[0].strip()
            lines[first.lineno - 1:first.end_lineno] = [f'{indent}"""{summary}"""']
        else:
            del lines[first.lineno - 1:first.end_lineno]
    return "\n".join(lines)


@functools.cache
def table(lang):
    """``{English text: text in lang}`` (tools/shown_code.<lang>.json), or None: English."""
    path = HERE / f"shown_code.{lang}.json"
    if not path.is_file():
        return None
    return {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items()
            if not k.startswith("_")}


def english_texts(code):
    """``[(row, col, end_col, text), ...]``: each one-line docstring's text and each comment
    (rows count from 0)."""
    texts = []
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        (row, col), (end_row, end_col) = token.start, token.end
        if token.type == tokenize.COMMENT:
            texts.append((row - 1, col, end_col, token.string))
        elif (token.type == tokenize.STRING and row == end_row
              and token.string.startswith('"""') and token.string.endswith('"""')):
            texts.append((row - 1, col + 3, end_col - 3, token.string[3:-3]))
    return texts


def translated(code, lang, where, on_missing=None):
    """``code`` with its docstring summaries and comments in ``lang`` (unchanged without a
    table for lang). A text the table lacks raises ValueError, or, with ``on_missing``,
    is passed to it as a message and stays in English."""
    words = table(lang)
    if words is None:
        return code
    lines = code.splitlines()
    for row, col, end, text in reversed(english_texts(code)):
        if text not in words:
            message = (f"{where}: the {lang} pages show {text!r}, which "
                       f"tools/shown_code.{lang}.json does not translate; add it there")
            if on_missing is None:
                raise ValueError(message)
            on_missing(message)
            continue
        lines[row] = lines[row][:col] + words[text] + lines[row][end:]
    return "\n".join(lines)


def shown_code(root, path, name, lang=None, on_missing=None):
    """The code a page in ``lang`` shows for ``--8<-- "path:name"``."""
    code = summaries_only(section(Path(root) / path, name))
    return translated(code, lang, f"{path}:{name}", on_missing) if lang else code


def embed(markdown, root, lang=None, on_missing=None):
    """``markdown`` with every ``--8<-- "path.py:name"`` line replaced by the code shown."""
    def replace(match):
        code = shown_code(root, match["path"], match["name"], lang, on_missing)
        return textwrap.indent(code, match["indent"])

    return SNIPPET.sub(replace, markdown)


def on_page_markdown(markdown, page, config, files):
    # A text without its translation: a warning (so `mkdocs serve` goes on, showing it in
    # English), which fails `mkdocs build --strict` and the tests.
    return embed(markdown, Path(config["config_file_path"]).parent,
                 site_layout.lang_of(page.file.src_uri), log.warning)
