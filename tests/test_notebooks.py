"""The notebooks: the committed training notebooks and the chapter notebooks built from the pages.

- The training notebooks (docs/notebook.<lang>.ipynb) are committed executed.
  Their code must be what tools/make_notebooks.py writes for today's recipe,
  and what they print must be the recorded run (tools/training-history.json),
  digit for digit: ``make history`` writes all of them from one recipe. No
  test trains them again (tests/test_training_history.py checks the record).
- Every chapter page becomes a notebook at build time (tools/chapter_notebooks.py);
  each is generated here from the page and executed (the ``%pip install`` cell
  is skipped: the tests use the installed package and no network).
- The built site renders the notebook pages as HTML in every language, with
  their plots as images and a download button.
"""

import os
import re

import nbformat
import pytest
from mkdocs.utils.meta import get_data
from nbclient import NotebookClient

import chapter_notebooks
import make_history
import make_notebooks
import site_layout

LANGS = site_layout.languages()
DOCS = site_layout.DOCS
SITE_URL = "https://example.org/nnguide/"
PAGES = [site_layout.page_name(p) for p in site_layout.markdown_pages(LANGS[0])]
REGENERATE = make_history.REGENERATE
_TAG = re.compile(r"<(?P<name>img)\b(?P<attrs>[^>]*)>", re.I)
_ATTR = re.compile(r'(?P<key>[\w:-]+)\s*=\s*"(?P<value>[^"]*)"')


def _notebook(lang):
    return nbformat.read(DOCS / f"notebook.{lang}.ipynb", as_version=4)


def _is_install(cell):
    return cell.cell_type == "code" and cell.source.lstrip().startswith("%pip install")


def _code(nb):
    return [c.source for c in nb.cells if c.cell_type == "code" and not _is_install(c)]


def _printed(nb):
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.get("outputs", []) if o.output_type == "stream")


def _run(nb, mnist_dir, timeout):
    """Execute ``nb`` in place (install cells removed) in a fresh kernel; errors are fatal."""
    nb.cells = [c for c in nb.cells if not _is_install(c)]
    env = dict(os.environ, NNGUIDE_DATA=str(mnist_dir), **site_layout.SINGLE_THREAD,
               MPLBACKEND="module://matplotlib_inline.backend_inline")
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=False,
                            record_timing=False, resources={"metadata": {"path": str(DOCS)}})
    client.execute(env=env)
    return nb


# ---------------------------------------------------------------- training notebooks

@pytest.mark.parametrize("lang", LANGS)
def test_training_notebook_is_committed_executed(lang):
    nb = _notebook(lang)
    nbformat.validate(nb)
    assert _is_install(nb.cells[1]) and not nb.cells[1].outputs, "cell 2 installs nnguide"
    for cell in nb.cells:
        if cell.cell_type != "code" or _is_install(cell):
            continue
        assert cell.execution_count, f"not executed:\n{cell.source}"
        for output in cell.outputs:
            assert output.output_type != "error", f"error output in:\n{cell.source}"
            assert not (output.output_type == "stream" and output.name == "stderr"), (
                f"stderr in the committed outputs (shown on the site):\n{output.text}")
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert len(images) == 2, "the loss plot and the accuracy plot"
    for image in images:
        assert image.metadata["image/png"]["alt"].strip(), "every plot has alt text"


@pytest.mark.parametrize("lang", LANGS)
def test_training_notebook_is_todays_code(lang):
    committed, todays = _notebook(lang), make_notebooks.build(lang)
    assert _code(committed) == _code(todays), (
        f"docs/notebook.{lang}.ipynb is not what tools/make_notebooks.py writes for the "
        f"recipe {make_history.RECIPE}; run {REGENERATE}")
    assert committed.cells[1].source == todays.cells[1].source == site_layout.install_line(
        "plots"), "the committed install cell names no address (the site fills it in)"


@pytest.mark.parametrize("lang", LANGS)
def test_training_notebook_prints_the_recorded_run(lang):
    history = make_history.load()
    expected = "".join(f"epoch {epoch:2d}  train acc {train:.4f}  test acc {test:.4f}\n"
                       for epoch, (train, test) in
                       enumerate(zip(history["train_acc"], history["test_acc"])))
    expected += f"final test accuracy {history['test_acc'][-1]:.4f}\n"
    printed = _printed(_notebook(lang))
    assert expected in printed, (
        f"docs/notebook.{lang}.ipynb does not print the run recorded in "
        f"{make_history.HISTORY.name}; run {REGENERATE}.\nrecorded:\n{expected}"
        f"printed:\n{printed}")


def _run_setup_cell(lang, capsys):
    """Run the training notebook's setup cell here; its ``LANG`` and what it printed."""
    namespace = {}
    exec(make_notebooks.imports_code(lang), namespace)
    return namespace["LANG"], capsys.readouterr().out


@pytest.mark.parametrize("lang", LANGS)
def test_setup_cell_keeps_its_labels_where_the_cjk_font_is(lang, capsys):
    from matplotlib import font_manager

    font_manager.findfont("Noto Sans CJK SC", fallback_to_default=False)  # fonts-noto-cjk
    assert _run_setup_cell(lang, capsys) == (lang, "")


@pytest.mark.parametrize("lang", LANGS)
def test_setup_cell_falls_back_to_english_without_the_cjk_font(lang, capsys, monkeypatch):
    """As on Colab: the font is missing, the plots get English labels and a note says why."""
    import copy

    import matplotlib
    from matplotlib import font_manager

    without_cjk = copy.copy(font_manager.fontManager)  # its own findfont cache
    without_cjk.ttflist = [f for f in without_cjk.ttflist if "CJK" not in f.name]
    monkeypatch.setattr(font_manager, "findfont", without_cjk.findfont)
    with pytest.raises(ValueError):
        font_manager.findfont("Noto Sans CJK SC", fallback_to_default=False)
    label_lang, printed = _run_setup_cell(lang, capsys)
    assert label_lang == "en"
    if lang == "en":
        assert printed == "", "English labels need no CJK font"
    else:
        assert "Noto Sans CJK SC" in printed and "英文" in printed
        for step in ("!apt-get install -y fonts-noto-cjk", '%pip install -U "matplotlib>=3.11"',
                     f"!rm -rf {matplotlib.get_cachedir()}"):
            assert step in printed, f"the note lacks {step!r}:\n{printed}"


# ---------------------------------------------------------------- chapter notebooks

def _page_notebook(page, lang):
    markdown, _ = get_data(site_layout.source(page, lang).read_text(encoding="utf-8"))
    url = SITE_URL + site_layout.url_for(page, lang)
    return chapter_notebooks.page_to_notebook(markdown, lang, url, SITE_URL)


def test_chapter_notebooks_are_generated_from_the_pages():
    made = 0
    for page in PAGES:
        notebooks = {lang: _page_notebook(page, lang) for lang in LANGS}
        if all(nb is None for nb in notebooks.values()):
            continue
        assert None not in notebooks.values(), f"{page}: a notebook in some languages only"
        for lang, nb in notebooks.items():
            nbformat.validate(nb)
            first = nb.cells[0]
            assert first.cell_type == "code" and first.source == site_layout.install_line()
            for cell in nb.cells:
                assert "--8<--" not in cell.source, f"{page}.{lang}: unresolved snippet"
                if cell.cell_type == "code":
                    assert not re.search(r"^(>>>|\.\.\.)( |$)", cell.source, re.M), \
                        f"{page}.{lang}: prompt left in\n{cell.source}"
        codes = [_code(nb) for nb in notebooks.values()]
        assert all(code == codes[0] for code in codes), f"{page}: the notebooks differ in code"
        made += 1
    assert made >= 6, "every chapter with examples gets a notebook"


def test_embedded_package_code_is_shown_not_run():
    nb = _page_notebook("numerical-diff", "en")
    shown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    embed = shown.split("`nnguide/differentiation.py`:\n\n```python\n")[1].split("```")[0]
    assert "def numerical_diff(f, x, h=1e-4):" in embed
    assert not any("def numerical_diff(" in code for code in _code(nb))


PAGE = """# Title { #title }

See [losses](losses.md#mse), ![a plot](assets/figures/x.svg) and [home](index.md).

```pycon
>>> x = 1
>>> x + 1
2
>>> 1 / 0
Traceback (most recent call last):
    ...
ZeroDivisionError: division by zero
```

!!! note "A note"
    Indented *prose*.

<!-- skip: next "shown only" -->

```pycon
>>> not_run()
```

```py title="nnguide/losses.py"
--8<-- "nnguide/losses.py:cross_entropy_error"
```

??? tip "Answer"
    Before.

    ```pycon
    >>> y = 2 * 3
    ```

    ```text
    shown
    ```

```python
z = 5
```
"""


def test_page_conversion_rules():
    nb = chapter_notebooks.page_to_notebook(PAGE, "en", SITE_URL + "en/x/", SITE_URL)
    cells = [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in nb.cells]
    assert cells[0] == ("code", site_layout.install_line(), ["install"])
    assert cells[1][1].startswith('# Title <a id="title"></a>')
    assert f"[losses]({SITE_URL}en/losses/#mse)" in cells[1][1]
    assert f"![a plot]({SITE_URL}en/assets/figures/x.svg)" in cells[1][1]
    assert f"[home]({SITE_URL}en/)" in cells[1][1]
    code = [(source, tags) for kind, source, tags in cells if kind == "code"][1:]
    assert code == [("x = 1\nx + 1", []), ("1 / 0", ["raises-exception"]),
                    ("y = 2 * 3", []), ("z = 5", [])]
    markdown = [source for kind, source, _ in cells if kind == "markdown"]
    assert "> **A note**\n>\n> Indented *prose*." in markdown[1]
    assert "skip:" not in markdown[1] and "```pycon\n>>> not_run()\n```" in markdown[1]
    embed = markdown[1].split("`nnguide/losses.py`:\n\n```python\n")[1].split("```")[0]
    assert "def cross_entropy_error(" in embed and "--8<--" not in embed
    assert markdown[1].endswith("> **Answer**\n>\n> Before.\n>")
    assert markdown[2] == ">\n> ```text\n> shown\n> ```"


@pytest.mark.slow
def test_chapter_notebooks_run(mnist_dir):
    """All chapters in one kernel (``%reset -f`` between pages), each page's code once."""
    combined = nbformat.v4.new_notebook()
    owners = []
    for page in PAGES:
        nb = _page_notebook(page, site_layout.default_language())
        if nb is None:
            continue
        cells = [nbformat.v4.new_code_cell("%reset -f")]
        cells += [c for c in nb.cells if c.cell_type == "code" and not _is_install(c)]
        combined.cells.extend(cells)
        owners.extend([page] * len(cells))
    for n, cell in enumerate(combined.cells):
        cell["id"] = f"c{n}"
    try:
        _run(combined, mnist_dir, 600)
    except Exception as err:  # report the page, not just the cell
        failed = next((owners[i] for i, c in enumerate(combined.cells)
                       if any(o.output_type == "error" for o in c.get("outputs", []))
                       and "raises-exception" not in c.metadata.get("tags", [])), "?")
        raise AssertionError(f"the notebook of page {failed!r} fails:\n{err}") from None


# ---------------------------------------------------------------- the built site

def _site_folder(site, page, lang):
    return site / site_layout.url_for(page, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_notebook_page_is_html_with_its_plots(built_site, lang):
    folder = _site_folder(built_site, "notebook", lang)
    page = folder / "index.html"
    assert page.is_file(), f"/{site_layout.url_for('notebook', lang)} was not built"
    html = page.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    images = [dict(_ATTR.findall(m["attrs"])) for m in _TAG.finditer(html)]
    alts = [a.get("alt", "") for a in images if a.get("src", "").startswith("data:image/png")]
    assert len(alts) == 2 and all(a.strip() for a in alts), "two plots, each with alt text"
    assert "final test accuracy" in html
    assert (folder / f"notebook.{lang}.ipynb").is_file(), "the .ipynb is next to the page"
    assert re.search(rf'<a class="md-button nnguide-download" href="notebook\.{lang}\.ipynb"',
                     html)
    for anchor in ("setup", "train", "loss-curve", "accuracy-curve", "summary"):
        assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html, f"heading #{anchor}"
    assert "mathjax" not in html.lower() and "cdnjs" not in html
    assert page.stat().st_size < 1_000_000, f"{page.stat().st_size:,} bytes"


def test_chapter_pages_offer_their_notebook(built_site):
    for page in PAGES:
        for lang in LANGS:
            folder = _site_folder(built_site, page, lang)
            html = (folder / "index.html").read_text(encoding="utf-8")
            expected = _page_notebook(page, lang) is not None
            notebook = folder / f"{page}.ipynb"
            assert notebook.is_file() == expected, f"{notebook.relative_to(built_site)}"
            assert (f'href="{page}.ipynb"' in html) == expected, f"{page}.{lang}: download button"
            if expected:
                nb = nbformat.read(notebook, as_version=4)
                nbformat.validate(nb)
                # no address: the wheel's path from the notebook's folder (tests/test_downloads.py)
                page_file = site_layout.url_for(page, lang) + "index.html"
                wheel = site_layout.wheel_address("", page_file)
                assert nb.cells[0].source == site_layout.install_line(wheel=wheel)
