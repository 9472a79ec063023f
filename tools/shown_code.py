"""Package code on the pages as a reader should see it: docstring summaries only,
in the page's language.

A page embeds a section of a package module with a line such as
``--8<-- "nnguide/losses.py:cross_entropy_error"`` inside a ``py`` fence.
This hook puts the section's code there before pymdownx.snippets runs, with
every multi-line docstring cut to its summary line: the full numpy-style
docstrings stay in the source for ``help()`` and the API page. On a page in a
language with a table ``tools/shown_code.<lang>.json`` (Chinese), the docstring
summaries and comments are shown in that language, as the book's Chinese
edition shows its code; a text missing from the table stops the build.
"""

import ast
import functools
import io
import json
import re
import textwrap
import tokenize
from pathlib import Path

import site_layout

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
    """``code`` with each multi-line docstring replaced by its first line."""
    lines = code.splitlines()
    for node in sorted(ast.walk(ast.parse(code)), key=lambda n: -getattr(n, "lineno", 0)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        first = node.body[0]
        if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)) or first.lineno == first.end_lineno:
            continue
        indent = lines[first.lineno - 1][:first.col_offset]
        summary = first.value.value.strip().splitlines()[0].strip()
        lines[first.lineno - 1:first.end_lineno] = [f'{indent}"""{summary}"""']
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


def translated(code, lang, where):
    """``code`` with its docstring summaries and comments in ``lang`` (unchanged without a
    table for lang)."""
    words = table(lang)
    if words is None:
        return code
    lines = code.splitlines()
    for row, col, end, text in reversed(english_texts(code)):
        if text not in words:
            raise ValueError(
                f"{where}: the {lang} pages show {text!r}, which "
                f"tools/shown_code.{lang}.json does not translate; add it there")
        lines[row] = lines[row][:col] + words[text] + lines[row][end:]
    return "\n".join(lines)


def shown_code(root, path, name, lang=None):
    """The code a page in ``lang`` shows for ``--8<-- "path:name"``."""
    code = summaries_only(section(Path(root) / path, name))
    return translated(code, lang, f"{path}:{name}") if lang else code


def embed(markdown, root, lang=None):
    """``markdown`` with every ``--8<-- "path.py:name"`` line replaced by the code shown."""
    def replace(match):
        code = shown_code(root, match["path"], match["name"], lang)
        return textwrap.indent(code, match["indent"])

    return SNIPPET.sub(replace, markdown)


def on_page_markdown(markdown, page, config, files):
    return embed(markdown, Path(config["config_file_path"]).parent,
                 site_layout.lang_of(page.file.src_uri))
