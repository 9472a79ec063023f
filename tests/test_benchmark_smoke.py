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
