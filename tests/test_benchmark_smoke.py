"""The training benchmark (benchmarks/bench_training.py) runs end to end.

A few iterations on small made-up data, one repetition: this checks that the
script, its contenders and its report work, not how fast anything is.
"""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "bench_training.py"
pytestmark = pytest.mark.slow  # trains in subprocesses
QUICK = ["--synthetic", "--iters", "20", "--repeats", "1", "--wait-quiet", "0",
         "--retries", "0", "--numgrad-params", "50"]


def run_benchmark(tmp_path, *extra):
    out = tmp_path / "results.md"
    proc = subprocess.run([sys.executable, str(SCRIPT), *QUICK, "--out", str(out), *extra],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, out.read_text(encoding="utf-8")


def test_benchmark_runs_numpy_contenders(tmp_path):
    stdout, report = run_benchmark(tmp_path, "--contenders", "book,nnguide")
    assert "time / book's code" in stdout
    for text in ("| book's code (numpy, float64) |", "| nnguide (float32) |",
                 "## Targets for nnguide", "## Numerical gradient vs backpropagation",
                 "## Machine", "- numpy:"):
        assert text in report
    # The speed page's sections, in each language, with headers in that language.
    for name in ("timings", "numerical-gradient", "machine"):
        for lang in ("zh", "en"):
            assert f"[start:{name}-{lang}]" in report and f"[end:{name}-{lang}]" in report
    assert "| 实现 | 耗时（秒） |" in report and "| 书中的代码（NumPy，float64） |" in report
    assert "| implementation | time (s) |" in report
    # 20 steps of 100 on 2,000 samples: one epoch, so one accuracy was measured.
    lines = report.splitlines()
    header = next(line for line in lines if line.startswith("| contender"))
    column = [cell.strip() for cell in header.split("|")].index("final test acc")
    nnguide_row = next(line for line in lines if line.startswith("| nnguide"))
    assert float(nnguide_row.split("|")[column]) > 0


def test_benchmark_runs_torch_contender_or_says_why_not(tmp_path):
    """torch is an optional extra: with it, it runs; without it, the report says so."""
    stdout, report = run_benchmark(tmp_path, "--contenders", "torch,nnguide", "--skip-numgrad")
    if importlib.util.find_spec("torch") is None:
        print("torch is not installed, so the PyTorch contender was not run "
              "(pip install torch==2.13.0, or `make bench`, to include it)")
        assert "skipping torch: torch is not installed" in stdout
        assert "| PyTorch (CPU, float32) | skipped: torch is not installed" in report
    else:
        assert "time / PyTorch" in stdout
        assert "| PyTorch (CPU, float32) | " in report
    assert "| nnguide (float32) |" in report


def test_report_is_written_again_from_the_saved_record(tmp_path):
    """--render writes the same report from the record alone, without running anything."""
    _, report = run_benchmark(tmp_path, "--contenders", "nnguide", "--skip-numgrad")
    record = tmp_path / "results.json"
    assert record.is_file()
    again = tmp_path / "again.md"
    proc = subprocess.run([sys.executable, str(SCRIPT), "--render", str(record),
                           "--out", str(again)], capture_output=True, text=True, timeout=60,
                          cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert again.read_text(encoding="utf-8") == report


def test_render_refuses_a_file_that_is_not_a_record(tmp_path):
    not_a_record = tmp_path / "results.json"
    not_a_record.write_text('{"settings": {}}', encoding="utf-8")
    proc = subprocess.run([sys.executable, str(SCRIPT), "--render", str(not_a_record)],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode != 0
    assert "not a benchmark record" in proc.stderr and "missing" in proc.stderr
    assert not (tmp_path / "results.md").exists()
