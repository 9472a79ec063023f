# Two commands do all the set-up: `make serve` (the site) and `make test` (every check).
# Both create .venv and install nnguide with everything the site and the tests need.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: serve test build wheel offline pdf history figures notebooks bench lighthouse clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

serve: $(STAMP)  ## serve the site at http://127.0.0.1:8000/ (English at /en/)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

test: $(STAMP)  ## run every test: package, pages (sybil), site build, notebooks, browser
	$(PY) tools/mnist_data.py  # real MNIST for the tests: downloaded once if it is nowhere on disk
	$(PY) -m pytest

build: $(STAMP)  ## build the static site into site/ (with its address: see README, Deploying)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict

wheel: $(STAMP)  ## nnguide's wheel into dist/ (the one the site serves)
	$(PY) tools/downloads.py dist

offline: $(STAMP)  ## the offline copy, dist/nnguide-offline.zip: unzip, open index.html from disk
	$(PY) tools/build_offline.py --site-dir build/offline --zip dist/nnguide-offline.zip

pdf: offline  ## one PDF per language from the offline build: dist/nnguide.zh.pdf, .en.pdf
	$(PY) tools/build_pdf.py --site-dir build/offline --out-dir dist

history: $(STAMP)  ## train the recipe once (needs MNIST): the history, then figures and notebooks
	$(PY) tools/make_history.py
	$(PY) tools/make_figures.py
	$(PY) tools/make_notebooks.py

figures: $(STAMP)  ## redraw the committed figures (from the history and nnguide's functions)
	$(PY) tools/make_figures.py

notebooks: $(STAMP)  ## re-run the committed training notebooks
	$(PY) tools/make_notebooks.py

bench: $(STAMP)  ## the speed benchmark (installs the optional torch reference)
	$(PY) -m pip install --quiet -e ".[bench]"
	$(PY) benchmarks/bench_training.py

lighthouse: $(STAMP)  ## Lighthouse's mobile audit of every page (needs Node.js, npm, Chromium)
	$(PY) benchmarks/lighthouse.py

clean:
	rm -rf site build dist $(VENV)
