"""One parser for the pages (``docs/*.md``): the regions sybil finds, and the fenced blocks.

sybil runs a page's ```` ```pycon ```` and ```` ```python ```` fences with
:data:`PARSERS` (``conftest.py``). The same parse serves everything else that
reads a page: the chapter notebooks (``chapter_notebooks.py``), the checks of
``tests/test_site_sources.py`` and the translation check (``translations.py``).

- :func:`examples`: what sybil runs, one :class:`Example` per ``>>>`` example
  (or per ``python`` block), with sybil's ``skip`` directives applied;
- :func:`fences`: every fenced block, whatever its language (sybil's lexer);
- :func:`blocks`: the prose outside the fences, as headings, paragraphs,
  list items, table rows and admonition titles, each under its heading id.
"""

import re
from dataclasses import dataclass
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from doctest import Example as DocTestExample

from sybil import Document
from sybil.evaluators.doctest import NUMBER
from sybil.evaluators.python import PythonEvaluator
from sybil.evaluators.skip import Skipper
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser
from sybil.parsers.markdown.codeblock import CodeBlockParser
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer

DOCTEST_FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE | NUMBER
RUNNABLE = ("pycon", "python")  # the fence languages sybil runs


class PyconCodeBlockParser(PythonCodeBlockParser):
    """Run ```` ```pycon ```` fences: interactive sessions with ``>>>`` prompts."""

    def __init__(self, doctest_optionflags=0):
        super().__init__(doctest_optionflags=doctest_optionflags)
        self.codeblock_parser = CodeBlockParser("pycon", PythonEvaluator())


PARSERS = [
    PyconCodeBlockParser(doctest_optionflags=DOCTEST_FLAGS),
    PythonCodeBlockParser(doctest_optionflags=DOCTEST_FLAGS),
    SkipParser(),
]

_FENCE_LEXER = RawFencedCodeBlockLexer(info_pattern=re.compile(r"(?P<info>[^\n]*)$\n", re.M))


@dataclass(frozen=True)
class Fence:
    """A fenced block: ``text[start:end]`` from the opening to the closing fence."""

    start: int
    end: int
    info: str      # the info string: 'py title="nnguide/losses.py"'
    source: str    # the lines between the fences, the prefix (indent, "> ") removed

    @property
    def language(self):
        return self.info.split()[0] if self.info else ""


@dataclass(frozen=True)
class Example:
    """One thing sybil runs: a ``>>>`` example (or a whole ``python`` block)."""

    start: int
    end: int
    source: str
    want: str = ""
    raises: bool = False
    skipped: bool = False  # by an unconditional ``<!-- skip: ... -->``


def parse(text, path="page.md"):
    """sybil's parse of ``text``: a ``Document`` whose ``regions`` sybil would run."""
    document = Document(text, str(path))
    for parser in PARSERS:
        for region in parser(document):
            document.add(region)
    return document


def fences(text):
    """Every fenced block of ``text``, in order."""
    document = Document(text, "page.md")
    return [Fence(r.start, r.end, r.lexemes["info"].strip(), str(r.lexemes["source"]))
            for r in _FENCE_LEXER(document)]


def examples(text, path="page.md"):
    """What sybil runs in ``text``, in order, marking what a ``skip`` directive skips.

    ``<!-- skip: next "reason" -->`` skips the next example (one ``>>>``),
    ``skip: start`` ... ``skip: end`` everything between; a conditional
    ``skip: next if(...)`` is left to run.
    """
    found, skip_next, skipping = [], False, False
    for _, region in parse(text, path).regions:
        if isinstance(region.evaluator, Skipper):
            action, arguments = region.parsed
            if (arguments or "").startswith("if"):
                continue
            skip_next = action == "next"
            skipping = action == "start" or (skipping and action != "end")
            continue
        parsed = region.parsed
        if isinstance(parsed, DocTestExample):
            example = Example(region.start, region.end, parsed.source, parsed.want,
                              parsed.exc_msg is not None, skip_next or skipping)
        else:
            example = Example(region.start, region.end, str(parsed),
                              skipped=skip_next or skipping)
        found.append(example)
        skip_next = False
    return found


def skip_directives(text):
    """``(start, end)`` of the lines of every ``<!-- skip: ... -->`` comment in ``text``."""
    return [(region.start, text.find("\n", text.index("-->", region.start)) + 1 or len(text))
            for _, region in parse(text).regions if isinstance(region.evaluator, Skipper)]


# ---------------------------------------------------------------- prose

HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*(?:\{\s*#(?P<id>[\w-]+)[^}]*\})?\s*$")
_LIST_ITEM = re.compile(r"^(?P<indent>\s*)(?:[-*+]|\d+[.)])\s+")
_ADMONITION = re.compile(r'^\s*(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+"(?P<title>[^"]*)")?\s*$')
_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass(frozen=True)
class Block:
    """A piece of prose: kind is heading, paragraph, item, row or admonition."""

    kind: str
    section: str   # the id of the heading above it ("" before the first)
    text: str


def without_fences(text):
    """``text`` with every fenced block removed (each leaves one empty line)."""
    parts, end = [], 0
    for fence in fences(text):
        parts.append(text[end:fence.start])
        end = fence.end
    parts.append(text[end:])
    return "".join(parts)


def blocks(text):
    """The prose of a page, block by block, outside fences and HTML comments.

    A list item (``- ...``, ``1. ...``) runs until the next item or blank
    line; a table row is one line; an admonition block gives its title and,
    as paragraphs, its body.
    """
    found, section, current = [], "", None

    def close():
        nonlocal current
        if current is not None:
            found.append(Block(current[0], section, " ".join(current[1])))
            current = None

    for line in _COMMENT.sub("", without_fences(text)).splitlines():
        stripped = line.strip()
        heading = HEADING.match(line)
        admonition = _ADMONITION.match(line)
        if not stripped:
            close()
        elif heading and not line.startswith(" "):
            close()
            section = heading["id"] or heading["text"]
            found.append(Block("heading", section, heading["text"]))
        elif admonition:
            close()
            found.append(Block("admonition", section, admonition["title"] or ""))
        elif stripped.startswith("|"):
            close()
            found.append(Block("row", section, stripped))
        elif _LIST_ITEM.match(line):
            close()
            current = ("item", [stripped])
        elif current is not None:
            current[1].append(stripped)
        else:
            current = ("paragraph", [stripped])
    close()
    return found
