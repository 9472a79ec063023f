"""The training benchmark (benchmarks/bench_training.py) runs end to end.

A few iterations on small made-up data, one repetition: this checks that the
script, its three contenders and its report work, not how fast anything is.
"""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "bench_training.py"
QUICK = ["--synthetic", "--iters", "20", "--repeats", "1", "--wait-quiet", "0",
         "--numgrad-params", "50"]


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
    nnguide_row = next(line for line in report.splitlines() if line.startswith("| nnguide"))
    assert "n/a" not in nnguide_row.split("|")[7]


def test_benchmark_runs_torch_contender(tmp_path):
    if importlib.util.find_spec("torch") is None:
        print("torch is not installed: the PyTorch contender is not run "
              "(install it with `pip install torch` to include it)")
        pytest.skip("torch is not installed (optional extra of the benchmark)")
    stdout, report = run_benchmark(tmp_path, "--contenders", "torch,nnguide",
                                   "--skip-numgrad")
    assert "time / PyTorch" in stdout
    assert "| PyTorch (CPU, float32) |" in report
