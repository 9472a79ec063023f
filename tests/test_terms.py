"""One term per concept: pages, notebooks and figures use the glossary's terms.

Each language has a list of stray variants (``STRAY``): another word for a
term the glossary fixes, or a spelling the site does not use. They must not
appear in the pages (``docs/*.<lang>.md``, code blocks included: their
outputs are shown too), in the training notebook, in the figure labels
(``nnguide/plots.py`` ``LABELS``), in the benchmark sections the speed page
includes, in the package's English text (docstrings and messages, shown on
the API page and in the pages' outputs) or in the site's interface strings.
Every hit is reported as ``file:line``, with the term to use instead.

Prose (outside code) is held to one number format as well: no thousands
separator in Chinese (10000), separators in English (10,000).

The glossary itself is checked against the pages: each of its terms is used
on some page, each term a Chinese page introduces in bold with an English
gloss (``**特征量**（feature）``) is in it, and each of its links points to a
heading that exists.
"""

import json
import re

import pytest

import pages
import site_layout

ROOT = site_layout.ROOT
DOCS = site_layout.DOCS
LANGS = site_layout.languages()
GLOSSARY = "glossary"
SITE_PAGE = "一页 (a page of the site is 页; 章 is for the book's chapters)"

# (pattern, what to write instead)
STRAY = {
    "zh": [
        (r"前向计算|正向传播", "前向传播"),
        (r"批大小|批次大小|mini-batch\s*大小|小批量大小", "批量大小"),
        (r"类别编号", "标签形式"),
        (r"公式(?:本身的)?误差", "截断误差"),
        (r"非数(?!值)", "非数值（NaN）"),
        (r"原笔记本", "nothing: the reader never saw that notebook; teach it on the page"),
        (r"准确率|正确率", "识别精度"),
        (r"正确答案", "正确解标签"),
        (r"独热向量|独热表示|one-hot\s*(?:行|标签|向量)", "独热编码"),
        (r"反向传播算法|逆传播", "误差反向传播法 (at first use), then 反向传播"),
        (r"梯度检验|梯度检查|梯度校验", "梯度确认"),
        (r"学习速率", "学习率"),
        (r"过学习|过度拟合", "过拟合"),
        (r"泛化性能", "泛化能力"),
        (r"均方差", "均方误差"),
        (r"交叉熵损失", "交叉熵误差"),
        (r"\]\([^)\s]*\)\s*一章", SITE_PAGE),
    ],
    "en": [
        (r"(?i)\bcross entropy\b", "cross-entropy"),
        (r"(?i)\bclass numbers?\b|\blabel indices\b", "class labels"),
        (r"(?i)\boriginal notebook\b", "nothing: the reader never saw that notebook"),
        (r"(?i)\bforward computation\b", "forward pass"),
        (r"(?i)\bmini ?batch", "mini-batch"),
        (r"(?i)\bback[- ]propagation", "backpropagation"),
        (r"(?i)\blicence", "license"),
        (r"(?i)\b(?:minimi|maximi|normali|optimi|initiali|visuali|generali|recogni|summari"
         r"|reali|organi|vectori|regulari|characteri)s(?:e|ed|es|ing|ation)\b",
         "US spelling: -ize, -ization"),
        (r"(?i)\banalys(?:e|ed|es|ing)\b", "analyze"),
        (r"(?i)\b(?:behaviour|colour|favour|neighbour|flavour|honour)", "US spelling: -or"),
        (r"(?i)\b(?:centre|metre|litre)s?\b", "US spelling: -er"),
        (r"(?i)\b(?:labell|modell|travell|cancell)(?:ed|ing)\b", "US spelling: one l"),
        (r"\[[^\]]*\bchapter\b[^\]]*\]\((?!https?:)[^)]*\)"
         r"|\]\((?!https?:)[^)]*\.(?:md|ipynb)[^)]*\)\s+chapter\b",
         "page (a page of the site is a page; chapter is for the book's chapters)"),
    ],
}

# Prose only (outside code blocks, inline code, formulas and link targets).
PROSE_RULES = {
    "zh": [
        (r"\d{1,3}(?:,\d{3})+(?!\d)", "no thousands separator in Chinese prose: 10000"),
        (r"(?<!（)\bmini-batch", "小批量 (mini-batch only as the gloss at first use: "
                                  "**小批量**（mini-batch）)"),
        (r"(?<!（)\bone-hot", "独热编码 (one-hot only as the gloss at first use: "
                              "**独热编码**（one-hot 表示）)"),
    ],
    "en": [
        (r"(?<![\w.,$^/-])\d{4,}(?![\w.,]\d|\w)", "thousands separators in English prose: "
                                                  "10,000"),
    ],
}
_INLINE = re.compile(r"``.*?``|`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]+\$|\]\([^)\n]*\)|\{\s*#[^}]*\}"
                     r"|<[^>\n]*>")


def _lines(text):
    return text.splitlines()


def _code_lines(text):
    """Line numbers (1-based) inside fenced blocks, fences included."""
    inside = set()
    for fence in pages.fences(text):
        first = text.count("\n", 0, fence.start) + 1
        last = text.count("\n", 0, max(fence.end - 1, fence.start)) + 1
        inside.update(range(first, last + 1))
    return inside


def _prose(line):
    return _INLINE.sub(" ", line)


def _hits(rules, where, lines, skip=None):
    found = []
    for number, line in enumerate(lines, 1):
        for pattern, instead in rules:
            for match in re.finditer(pattern, line):
                if skip is not None and skip(match, line):
                    continue
                found.append(f"{where}:{number}: {match[0]!r} -> {instead}")
    return found


def page_sources(lang):
    return sorted(DOCS.glob(f"*.{lang}.md"))


def notebook_lines(path):
    """(where, lines) per cell of a notebook: its source and its text outputs."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for index, cell in enumerate(notebook["cells"]):
        lines = "".join(cell["source"]).splitlines()
        for output in cell.get("outputs", []):
            lines += "".join(output.get("text", "")).splitlines()
            lines += "".join(output.get("data", {}).get("text/plain", "")).splitlines()
        yield f"{path.name} cell {index}", cell["cell_type"], lines


def label_lines(lang):
    """The figure labels of ``lang`` (nnguide/plots.py LABELS), one a line."""
    from nnguide import plots
    return [f"{key}: {value}" for key, value in plots.LABELS[lang].items()]


def benchmark_sections(lang):
    """(where, lines) of each benchmark section the speed page includes in ``lang``."""
    section = re.compile(rf"<!-- --8<-- \[start:([\w-]+-{lang})\] -->\n(.*?)"
                         rf"<!-- --8<-- \[end:\1\] -->", re.S)
    for path in sorted((ROOT / "benchmarks").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for m in section.finditer(text):
            first = text.count("\n", 0, m.start(2)) + 1
            yield path, first, m[2].splitlines()


def stray_hits(lang):
    rules = STRAY[lang]
    found = []
    for path in page_sources(lang):
        text = path.read_text(encoding="utf-8")
        found += _hits(rules, f"docs/{path.name}", _lines(text))
    for path in sorted(DOCS.glob(f"*.{lang}.ipynb")):
        for where, _, lines in notebook_lines(path):
            found += _hits(rules, f"docs/{where}", lines)
    found += _hits(rules, f"nnguide/plots.py LABELS[{lang!r}]", label_lines(lang))
    for path, first, lines in benchmark_sections(lang):
        found += [_shift(hit, first - 1) for hit in
                  _hits(rules, f"benchmarks/{path.name}", lines)]
    interface = [ROOT / "mkdocs.yml", *sorted((ROOT / "overrides").glob("*.html"))]
    if lang == "en":
        interface += sorted((ROOT / "nnguide").glob("*.py"))
    for path in interface:
        found += _hits(rules, str(path.relative_to(ROOT)), _lines(path.read_text("utf-8")))
    return found


def _shift(hit, by):
    where, number, rest = hit.split(":", 2)
    return f"{where}:{int(number) + by}:{rest}"


def prose_hits(lang):
    rules = PROSE_RULES[lang]
    found = []
    for path in page_sources(lang):
        if path.name.startswith(f"{GLOSSARY}."):
            continue  # the glossary names the English terms on purpose
        text = path.read_text(encoding="utf-8")
        code = _code_lines(text)
        lines = [("" if number in code else _prose(line))
                 for number, line in enumerate(_lines(text), 1)]
        found += _hits(rules, f"docs/{path.name}", lines)
    for path in sorted(DOCS.glob(f"*.{lang}.ipynb")):
        for where, kind, lines in notebook_lines(path):
            if kind == "markdown":
                found += _hits(rules, f"docs/{where}", [_prose(line) for line in lines])
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_no_stray_term_variants(lang):
    hits = stray_hits(lang)
    assert not hits, (f"{len(hits)} stray term(s) in {lang}; use the glossary's term:\n"
                      + "\n".join(hits))


@pytest.mark.parametrize("lang", LANGS)
def test_prose_uses_the_languages_number_format_and_terms(lang):
    hits = prose_hits(lang)
    assert not hits, f"{len(hits)} problem(s) in {lang} prose:\n" + "\n".join(hits)


# ---------------------------------------------------------------- the glossary

_ROW = re.compile(r"^\|\s*(?P<zh>[^|]+?)\s*\|\s*(?P<en>[^|]+?)\s*\|\s*(?P<ja>[^|]+?)\s*"
                  r"\|\s*(?P<link>[^|]+?)\s*\|\s*$")
_LINK = re.compile(r"\]\((?P<page>[\w-]+)\.(?:md|ipynb)(?:#(?P<anchor>[\w-]+))?\)")
_ALTERNATIVES = re.compile(r"\s*[（(]([^）)]*)[）)]\s*")


def glossary_rows(lang):
    text = site_layout.source(GLOSSARY, lang).read_text(encoding="utf-8")
    rows = []
    for line in _lines(text):
        m = _ROW.match(line)
        if m and not set(m["zh"]) <= set("-: ") and m["zh"] != "中文":
            rows.append(m)
    return rows


def forms(term):
    """``"独热编码（one-hot 表示）"`` -> ``["独热编码", "one-hot 表示"]``."""
    inside = _ALTERNATIVES.findall(term)
    return [_ALTERNATIVES.sub("", term).strip(), *[t.strip() for t in inside if t.strip()]]


def other_pages_text(lang):
    """Every page and notebook of ``lang`` except the glossary, as one string."""
    texts = [p.read_text(encoding="utf-8") for p in page_sources(lang)
             if not p.name.startswith(f"{GLOSSARY}.")]
    for path in sorted(DOCS.glob(f"*.{lang}.ipynb")):
        texts += ["\n".join(lines) for _, _, lines in notebook_lines(path)]
    return "\n".join(texts)


def test_the_glossary_has_rows():
    for lang in LANGS:
        assert len(glossary_rows(lang)) >= 40, f"glossary.{lang}.md: table rows not found"


def test_glossary_rows_are_the_same_in_every_language():
    first, *others = LANGS
    terms = [(m["zh"], m["en"], m["ja"]) for m in glossary_rows(first)]
    for lang in others:
        assert [(m["zh"], m["en"], m["ja"]) for m in glossary_rows(lang)] == terms, (
            f"glossary.{first}.md and glossary.{lang}.md list different terms")


def test_every_glossary_term_is_used_on_a_page():
    missing = []
    zh_text, en_text = other_pages_text("zh"), other_pages_text("en").lower()
    for row in glossary_rows(LANGS[0]):
        if not any(form in zh_text for form in forms(row["zh"])):
            missing.append(f"{row['zh']!r} is on no Chinese page")
        if not any(form.lower() in en_text for form in forms(row["en"])):
            missing.append(f"{row['en']!r} is on no English page")
    assert not missing, ("glossary terms that no page uses (remove them, or use them):\n"
                         + "\n".join(missing))


_INTRODUCED = re.compile(r"\*\*(?P<term>[^*`]+?)\*\*（(?P<gloss>[A-Za-z][^）]*)）")


def test_every_term_a_chinese_page_introduces_is_in_the_glossary():
    """``**术语**（English）`` on a page introduces a term: the glossary must have it."""
    known = {form for row in glossary_rows("zh") for form in forms(row["zh"])}
    missing = []
    for path in page_sources("zh"):
        for number, line in enumerate(_lines(path.read_text(encoding="utf-8")), 1):
            for m in _INTRODUCED.finditer(line):
                if m["term"] not in known:
                    missing.append(f"docs/{path.name}:{number}: {m['term']} ({m['gloss']})")
    assert not missing, ("terms introduced on a page but missing from docs/glossary.*.md:\n"
                         + "\n".join(missing))


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_links_point_to_headings_that_exist(lang):
    broken = []
    for row in glossary_rows(lang):
        m = _LINK.search(row["link"])
        if m is None:
            broken.append(f"{row['zh']}: no link to a page in {row['link']!r}")
            continue
        page = site_layout.source(m["page"], lang)
        if not page.exists():
            broken.append(f"{row['zh']}: {m['page']} is not a page")
        elif m["anchor"] and f"{{ #{m['anchor']} }}" not in page.read_text(encoding="utf-8"):
            broken.append(f"{row['zh']}: {page.name} has no heading #{m['anchor']}")
    assert not broken, "\n".join(broken)


# ---------------------------------------------------------------- the checks can fail

def test_a_stray_variant_is_reported_with_its_line():
    lines = ["第一行", "用前向计算求输出。", "10,000 张图像"]
    assert _hits(STRAY["zh"], "x.zh.md", lines) == ["x.zh.md:2: '前向计算' -> 前向传播"]
    assert _hits(PROSE_RULES["zh"], "x.zh.md", lines) == [
        "x.zh.md:3: '10,000' -> no thousands separator in Chinese prose: 10000"]
    english = ["the cross entropy error", "10000 samples, 60,000 images, float32, 1e-7",
               "see the [training chapter](training.md)"]
    assert [h.split(":")[1] for h in _hits(STRAY["en"], "x.en.md", english)] == ["1", "3"]
    assert _hits(PROSE_RULES["en"], "x.en.md", [_prose(line) for line in english]) == [
        "x.en.md:2: '10000' -> thousands separators in English prose: 10,000"]


def test_prose_leaves_code_and_formulas_alone():
    assert _prose("`10000` and $10000$ and [x](a.md#b10000)").split() == ["and", "and", "[x"]
    text = "text\n```pycon\n>>> 10000\n10000\n```\nmore\n"
    assert _code_lines(text) == {2, 3, 4, 5}


def test_the_search_knows_the_glossary_terms():
    """jieba's user dictionary (mkdocs.yml: search.jieba_dict_user) is the glossary's terms."""
    import search_terms

    assert search_terms.TERMS_FILE.read_text(encoding="utf-8") == search_terms.expected_file(), (
        "tools/search_terms.zh.txt is out of date; run: python tools/search_terms.py")
    assert "超参数" in search_terms.glossary_terms()
