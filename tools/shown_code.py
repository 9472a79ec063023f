"""Package code on the pages as a reader should see it: docstring summaries only.

A page embeds a section of a package module with a line such as
``--8<-- "nnguide/losses.py:cross_entropy_error"`` inside a ``py`` fence.
This hook puts the section's code there before pymdownx.snippets runs, with
every multi-line docstring cut to its summary line: the full numpy-style
docstrings stay in the source for ``help()`` and the API page.
"""

import ast
import re
import textwrap
from pathlib import Path

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


def shown_code(root, path, name):
    """The code a page shows for ``--8<-- "path:name"``."""
    return summaries_only(section(Path(root) / path, name))


def embed(markdown, root):
    """``markdown`` with every ``--8<-- "path.py:name"`` line replaced by the code shown."""
    def replace(match):
        code = shown_code(root, match["path"], match["name"])
        return textwrap.indent(code, match["indent"])

    return SNIPPET.sub(replace, markdown)


def on_page_markdown(markdown, page, config, files):
    return embed(markdown, Path(config["config_file_path"]).parent)
