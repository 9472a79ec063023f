"""The notebooks: the committed training notebooks and the chapter notebooks built from the pages.

- The training notebooks (docs/notebook.zh.ipynb, docs/notebook.en.ipynb) are
  committed executed. Their code is run again here (once: zh and en differ only
  in ``LANG``) and the final test accuracy must match what their outputs show,
  so a change that breaks learning, or outputs left stale, fail.
- Every chapter page becomes a notebook at build time (hooks/chapter_notebooks.py);
  each is generated here from the page and executed (the ``%pip install`` cell
  is skipped: the tests use the installed package and no network).
- The built site renders the notebook pages as HTML in both languages, with
  their plots as images, a download button, and nothing loaded from outside.

The training run (10,000 iterations, one BLAS thread) takes 10-20 s here; it runs
in the background while the chapter notebooks run and the site is built, and
the last test of this file waits for it.
"""

import concurrent.futures
import importlib.util
import json
import os
import re
from pathlib import Path

import nbformat
import pytest
from mkdocs.utils.meta import get_data
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LANGS = ("zh", "en")
TOLERANCE = 0.005
FINAL = re.compile(r"final test accuracy (?P<acc>[0-9.]+)")
EPOCH = re.compile(r"epoch +(?P<epoch>\d+) +train acc (?P<train>[0-9.]+) +test acc (?P<test>[0-9.]+)")


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


chapters = _load("chapter_notebooks", ROOT / "hooks" / "chapter_notebooks.py")
make_notebooks = _load("make_notebooks", ROOT / "scripts" / "make_notebooks.py")

SITE_URL = "https://nnguide.github.io/nnguide/"
PAGES = sorted({p.name.split(".")[0] for p in DOCS.glob("*.*.md")})


def _notebook(lang):
    return nbformat.read(DOCS / f"notebook.{lang}.ipynb", as_version=4)


def _is_install(cell):
    return cell.cell_type == "code" and cell.source.lstrip().startswith("%pip install")


def _code(nb):
    return [c.source for c in nb.cells if c.cell_type == "code" and not _is_install(c)]


def _text(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")


def _printed(nb):
    return "".join(_text(c) for c in nb.cells if c.cell_type == "code")


# One BLAS thread per kernel: these kernels run beside pytest (and each other) on
# few cores, and a multi-threaded OpenBLAS that has to share them spins instead of
# working (10x slower measured on 2 cores). It also fixes the order of the sums.
SINGLE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _kernel_env(mnist_dir):
    return dict(os.environ, NNGUIDE_DATA=str(mnist_dir), **SINGLE_THREAD,
                MPLBACKEND="module://matplotlib_inline.backend_inline")


def _run(nb, mnist_dir, timeout):
    """Execute ``nb`` in place (install cells removed) in a fresh kernel; errors are fatal."""
    nb.cells = [c for c in nb.cells if not _is_install(c)]
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=False,
                            record_timing=False, resources={"metadata": {"path": str(DOCS)}})
    client.execute(env=_kernel_env(mnist_dir))
    return nb


# ---------------------------------------------------------------- training notebook

_executor = concurrent.futures.ThreadPoolExecutor(max_workers=1)


@pytest.fixture(scope="module")
def training_run(mnist_dir):
    """The training notebook's code, executed again in the background (a future).

    Requested first by test_chapter_notebooks_run, so the training overlaps with
    that test and with the site build; the last test of this file waits for it.
    """
    return _executor.submit(_run, make_notebooks.build("en"), mnist_dir, 1200)


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
    epochs = EPOCH.findall(_printed(nb))
    assert [int(e[0]) for e in epochs] == list(range(1, 17)), "16 epochs printed"
    assert FINAL.search(_printed(nb)), "the final test accuracy is printed"
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert len(images) == 2, "the loss plot and the accuracy plot"
    for image in images:
        assert image.metadata["image/png"]["alt"].strip(), "every plot has alt text"


def test_training_notebooks_have_the_same_code():
    zh, en = (_code(_notebook(lang)) for lang in LANGS)
    assert [c.replace('LANG = "zh"', 'LANG = "en"') for c in zh] == en
    assert _code(make_notebooks.build("en")) == en, \
        "docs/notebook.en.ipynb differs from scripts/make_notebooks.py; run it"


# ---------------------------------------------------------------- chapter notebooks

def _page_notebook(page, lang):
    path = DOCS / f"{page}.{lang}.md"
    markdown, _ = get_data(path.read_text(encoding="utf-8"))
    url = f"{SITE_URL}{'' if lang == 'zh' else lang + '/'}{'' if page == 'index' else page + '/'}"
    return chapters.page_to_notebook(markdown, lang, url, SITE_URL, ROOT)


def test_chapter_notebooks_are_generated_from_the_pages():
    made = 0
    for page in PAGES:
        notebooks = {lang: _page_notebook(page, lang) for lang in LANGS}
        if notebooks["zh"] is None and notebooks["en"] is None:
            continue
        assert None not in notebooks.values(), f"{page}: a notebook in one language only"
        for lang, nb in notebooks.items():
            nbformat.validate(nb)
            first = nb.cells[0]
            assert first.cell_type == "code" and first.source == chapters.PIP_INSTALL
            for cell in nb.cells:
                assert "--8<--" not in cell.source, f"{page}.{lang}: unresolved snippet"
                if cell.cell_type == "code":
                    assert not re.search(r"^(>>>|\.\.\.)( |$)", cell.source, re.M), \
                        f"{page}.{lang}: prompt left in\n{cell.source}"
        assert _code(notebooks["zh"]) == _code(notebooks["en"]), \
            f"{page}: the zh and en notebooks differ in code"
        made += 1
    assert made >= 6, "every chapter with examples gets a notebook"


def test_embedded_package_code_is_shown_not_run():
    nb = _page_notebook("numerical-diff", "en")
    shown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "```python\ndef numerical_diff(f, x, h=1e-4):" in shown
    assert not any("def numerical_diff(" in code for code in _code(nb))


def test_page_conversion_rules():
    page = """# Title { #title }

See [losses](losses.md#mse) and ![a plot](assets/figures/x.svg).

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
"""
    nb = chapters.page_to_notebook(page, "en", SITE_URL + "en/x/", SITE_URL, ROOT)
    cells = [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in nb.cells]
    assert cells[0] == ("code", chapters.PIP_INSTALL, ["install"])
    assert cells[1][1].startswith('# Title <a id="title"></a>')
    assert f"[losses]({SITE_URL}en/losses/#mse)" in cells[1][1]
    assert f"![a plot]({SITE_URL}en/assets/figures/x.svg)" in cells[1][1]
    code = [(source, tags) for kind, source, tags in cells if kind == "code"][1:]
    assert code == [("x = 1\nx + 1", []), ("1 / 0", ["raises-exception"])]
    rest = "\n".join(source for kind, source, _ in cells if kind == "markdown")
    assert "> **A note**\n>\n> Indented *prose*." in rest
    assert "```pycon\n>>> not_run()\n```" in rest
    assert "`nnguide/losses.py`:\n\n```python\ndef cross_entropy_error(" in rest


def test_chapter_notebooks_run(mnist_dir, training_run):
    """All chapters in one kernel (``%reset -f`` between pages), each page's code once."""
    combined = nbformat.v4.new_notebook()
    owners = []
    for page in PAGES:
        nb = _page_notebook(page, "en")
        if nb is None:
            continue
        reset = nbformat.v4.new_code_cell("%reset -f")
        cells = [reset] + [c for c in nb.cells if c.cell_type == "code" and not _is_install(c)]
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

LOADING_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "icon", "shortcut",
                "apple-touch-icon", "manifest", "preconnect", "dns-prefetch"}
_TAG = re.compile(r"<(?P<name>script|link|img|iframe|source|video|audio|embed|object|track)\b"
                  r"(?P<attrs>[^>]*)>", re.I)
_ATTR = re.compile(r'(?P<key>[\w:-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|\'(?P<sq>[^\']*)\'|(?P<bare>[^\s>]+))')
_EXTERNAL = re.compile(r"^\s*(?:https?:)?//", re.I)


def _attrs(text):
    return {m["key"].lower(): m["dq"] if m["dq"] is not None else (m["sq"] if m["sq"] is not None
            else m["bare"]) for m in _ATTR.finditer(text)}


def test_no_page_is_raw_notebook_json(built_site):
    """ultrabug/mkdocs-static-i18n#198: hooks/notebooks_i18n.py must keep working."""
    for path in built_site.rglob("index.html"):
        assert not path.read_text(encoding="utf-8").lstrip().startswith("{"), \
            f"{path.relative_to(built_site)} is raw JSON, not HTML"


@pytest.mark.parametrize("lang", LANGS)
def test_notebook_page_is_html_with_its_plots(built_site, lang):
    folder = built_site / ("" if lang == "zh" else "en") / "notebook"
    page = folder / "index.html"
    assert page.is_file(), f"/{'' if lang == 'zh' else 'en/'}notebook/ was not built"
    html = page.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    images = [_attrs(m["attrs"]) for m in _TAG.finditer(html) if m["name"].lower() == "img"]
    alts = [a.get("alt", "") for a in images if a.get("src", "").startswith("data:image/png;base64,")]
    assert len(alts) == 2 and all(a.strip() for a in alts), "two plots, each with alt text"
    assert "final test accuracy" in html
    assert (folder / f"notebook.{lang}.ipynb").is_file(), "the .ipynb is next to the page"
    assert re.search(rf'<a class="md-button nnguide-download" href="notebook\.{lang}\.ipynb"', html)
    for anchor in ("setup", "train", "loss-curve", "accuracy-curve", "summary"):
        assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html, f"heading #{anchor}"
    assert "mathjax" not in html.lower() and "cdnjs" not in html
    assert page.stat().st_size < 1_000_000, f"{page.stat().st_size:,} bytes"


def test_chapter_pages_offer_their_notebook(built_site):
    for page in PAGES:
        for lang in LANGS:
            folder = built_site / ("" if lang == "zh" else "en") / ("" if page == "index" else page)
            html = (folder / "index.html").read_text(encoding="utf-8")
            expected = _page_notebook(page, lang) is not None
            notebook = folder / f"{page}.ipynb"
            assert notebook.is_file() == expected, f"{notebook.relative_to(built_site)}"
            assert (f'href="{page}.ipynb"' in html) == expected, f"{page}.{lang}: download button"
            if expected:
                nb = nbformat.read(notebook, as_version=4)
                nbformat.validate(nb)
                assert nb.cells[0].source == chapters.PIP_INSTALL


def test_nothing_is_loaded_from_outside_the_site(built_site):
    """No <script src>, <link rel=stylesheet|icon|...>, <img src>, ... outside the site."""
    problems = []
    for path in sorted(built_site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        for tag in _TAG.finditer(html):
            attrs = _attrs(tag["attrs"])
            name = tag["name"].lower()
            if name == "link" and not (set(attrs.get("rel", "").lower().split()) & LOADING_RELS):
                continue
            for key in ("src", "href", "data", "srcset", "poster"):
                if key in attrs and _EXTERNAL.match(attrs[key]):
                    problems.append(f"{path.relative_to(built_site)}: <{name} {key}={attrs[key]}>")
        for m in re.finditer(r"import\(\s*[\"'](?:https?:)?//[^\"']+", html):
            problems.append(f"{path.relative_to(built_site)}: {m.group(0)}")
    assert not problems, "\n".join(problems[:20])


def test_training_notebook_reproduces_its_final_accuracy(training_run):
    """Runs last in this file: waits for the background run of the training notebook."""
    executed = training_run.result()
    new = float(FINAL.search(_printed(executed))["acc"])
    assert new > 0.9, f"the network no longer learns: final test accuracy {new}"
    for lang in LANGS:
        committed = float(FINAL.search(_printed(_notebook(lang)))["acc"])
        assert abs(new - committed) <= TOLERANCE, (
            f"notebook.{lang}.ipynb shows final test accuracy {committed}, a new run gives "
            f"{new}: run python scripts/make_notebooks.py (and scripts/make_figures.py)")
    manifest = json.loads((DOCS / "assets" / "figures" / "manifest.json").read_text("utf-8"))
    figure_acc = manifest["figures"]["training-accuracy"]["training"]["final_test_acc"]
    assert abs(new - figure_acc) <= TOLERANCE, (
        f"the training figures were drawn from a run ending at {figure_acc}, a new run gives "
        f"{new}: run python scripts/make_figures.py")
