"""The committed benchmark reports are what benchmarks/report.py writes from their records.

``bench_training.py`` saves each run's record (``benchmarks/*.json``) beside its
report; the speed page includes the report's sections. Writing a report again
from its record (no measurement) must give the committed file, so a report is
never edited by hand nor left behind when report.py's wording changes:
``bench_training.py --render benchmarks/<run>.json`` brings it up to date.
"""

import importlib.util
import re
import sys

import pytest

import site_layout

BENCHMARKS = site_layout.ROOT / "benchmarks"
RECORDS = sorted(BENCHMARKS.glob("*.json"))


def _load(name):
    """A module of benchmarks/ (a folder of scripts, not a package) by its file."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="module")
def report():
    _load("nnguide_variants")  # report.py imports it as its neighbour
    return _load("report")


def test_there_are_records():
    assert {p.stem for p in RECORDS} >= {"results", "ablation"}, RECORDS


@pytest.mark.parametrize("record", RECORDS, ids=lambda p: p.name)
def test_report_is_written_from_its_record(report, record):
    written = report.markdown(report.load(record))
    committed = record.with_suffix(".md").read_text(encoding="utf-8")
    assert written == committed, (
        f"{record.with_suffix('.md').name} is not what report.py writes from {record.name}; "
        f"run: .venv/bin/python benchmarks/bench_training.py --render "
        f"benchmarks/{record.name}")


def test_the_page_has_words_for_every_contender_in_every_language(report):
    names = set(report.CONTENDERS + report.VARIANT_NAMES)
    assert set(report.PAGE) == set(site_layout.languages())
    for lang, words in report.PAGE.items():
        known = set(words["labels"]) | set(words["variants"])
        assert names <= known, f"report.PAGE[{lang!r}] has no words for {names - known}"
        assert set(words) == set(report.PAGE["en"]), f"report.PAGE[{lang!r}] keys differ"


def test_speed_page_includes_sections_that_exist(report):
    """Each ``--8<-- "benchmarks/x.md:section-<lang>"`` of the speed page is in x.md."""
    for lang in site_layout.languages():
        page = site_layout.source("speed", lang).read_text(encoding="utf-8")
        includes = re.findall(r'--8<-- "benchmarks/([\w-]+\.md):([\w-]+)"', page)
        assert includes, f"speed.{lang}.md includes no benchmark section"
        for name, section in includes:
            assert section.endswith(f"-{lang}"), f"speed.{lang}.md includes {section}"
            text = (BENCHMARKS / name).read_text(encoding="utf-8")
            assert f"[start:{section}]" in text and f"[end:{section}]" in text, (name, section)


def quoted_numbers(record, lang):
    """How the training page quotes the benchmark (``benchmarks/results.json``) in ``lang``:
    nnguide's median time, the number of runs, its share of the book's time, and how many
    times slower one numerical gradient is than backpropagation (to 1 significant digit)."""
    nn, numgrad = record["contenders"]["nnguide"], record["numgrad"]
    ratio = float(f"{numgrad['ratio']:.0e}")
    share = round(100 * nn["time_vs"]["book"])
    repeats = record["settings"]["repeats"]
    if lang == "zh":
        ten_thousands = ratio / 10_000
        return [f"{repeats} 次运行的中位数", f"用时 {nn['seconds']:.2f} 秒",
                f"所用时间的 {share}%", f"慢约 {ten_thousands:g} 万倍"]
    return [f"median of {repeats} runs", f"takes {nn['seconds']:.2f} s",
            f"{share}% of the time", f"about {ratio:,.0f} times slower"]


@pytest.mark.parametrize("lang", site_layout.languages())
def test_training_page_quotes_the_benchmark(report, lang):
    """The numbers the training page takes from the speed page are the benchmark's."""
    record = report.load(BENCHMARKS / "results.json")
    page = site_layout.source("training", lang)
    text = page.read_text(encoding="utf-8")
    missing = [quote for quote in quoted_numbers(record, lang) if quote not in text]
    assert not missing, (f"{page.name} does not quote benchmarks/results.json: {missing} "
                         f"not found; write these numbers there")
