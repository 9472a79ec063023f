"""Time the chapter's training recipe: nnguide vs the book's code vs PyTorch.

The recipe: a 784-50-10 sigmoid network, batch 100, learning rate 0.1,
10,000 SGD steps, accuracy on the full training and test sets after every
epoch (600 steps), on MNIST.

Contenders, each run in a fresh subprocess (so its memory is its own):

* ``nnguide``: ``nnguide.train.train`` with a float32 ``TwoLayerNet``,
  exactly as ``python -m nnguide train`` runs it (without the progress bar);
* ``book``: ``reference_book.py``, the book's code (float64 weights, float32
  images as loaded, one-hot labels, a second forward pass for the loss, ...);
* ``book64``: the same with the images made float64 before the clock starts;
* ``torch``: ``reference_torch.py``, the same network in PyTorch on the CPU,
  float32, plain SGD, torch's default threads (skipped if torch is missing);
* ``nnguide-<variant>`` (only when asked for): nnguide with one of its speed
  choices undone, see ``nnguide_variants.py``.

Each repetition runs the contenders in a rotated order, and the report gives
medians. Before each run the script waits for the machine to be idle; a run
during which other processes kept the cores busy is discarded and repeated.

What is measured, per run:

* time: wall-clock (and CPU) seconds of building the network and training it;
  the data is loaded, and converted where a contender needs it, before;
* memory: the peak resident memory of the process during training minus its
  resident memory just before training (after imports and loading the data),
  read from /proc/self/status (VmHWM after resetting it, VmRSS), compared
  with the bytes of the loaded arrays (x_train, t_train, x_test, t_test).

It also times one numerical gradient of a float64 TwoLayerNet (784-50-10) on
a small batch against one backprop gradient on the same batch.

Run from the repository root (see benchmarks/README.md)::

    .venv/bin/python benchmarks/bench_training.py [--data-dir DIR]

``--synthetic --iters 20 --repeats 1`` runs a quick check on made-up data.
The record of a run is saved beside its report (``results.json``);
``--render results.json`` writes the report again from it (``report.py``).
"""

import argparse
import functools
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import report
from report import CONTENDERS, THREAD_VARIABLES, VARIANT_NAMES

HERE = Path(__file__).resolve().parent
TARGETS = {"vs_book": 0.35, "vs_torch": 0.8, "test_acc": 0.945, "memory": 1.5}
RECIPE = {"iters": 10000, "batch_size": 100, "lr": 0.1}


# ---------------------------------------------------------------- data

def synthetic_data(n_train=2000, n_test=500, seed=0):
    """Made-up MNIST-shaped data: uniform pixels, labels from a random linear teacher."""
    rng = np.random.default_rng(seed)
    teacher = rng.standard_normal((784, 10)).astype(np.float32)

    def make(n):
        x = rng.random((n, 784), dtype=np.float32)
        return x, np.argmax(x @ teacher, axis=1).astype(np.uint8)

    return make(n_train), make(n_test)


def load_data(args):
    if args.synthetic:
        return synthetic_data()
    from nnguide import load_mnist
    return load_mnist(data_dir=args.data_dir)


def data_bytes(data):
    (x_train, t_train), (x_test, t_test) = data
    return int(x_train.nbytes + t_train.nbytes + x_test.nbytes + t_test.nbytes)


# ---------------------------------------------------------------- memory

def _status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return None


def memory_baseline():
    """Resident KiB now, after resetting the peak; ``(kib, how)``."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM (the peak RSS) to the current RSS
        return _status_kib("VmRSS"), "VmHWM"
    except OSError:
        # No peak reset possible: ru_maxrss is the whole life's peak (upper bound).
        return _status_kib("VmRSS") or 0, "ru_maxrss"


def memory_peak(how):
    if how == "VmHWM":
        return _status_kib("VmHWM")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# ---------------------------------------------------------------- contenders

def run_nnguide(data, iters, batch_size, learning_rate, seed):
    """As ``python -m nnguide train`` does it (float32), without the progress bar."""
    from nnguide.train import train
    from nnguide.two_layer_net import TwoLayerNet

    (x_train, t_train), (x_test, t_test) = data
    dtype = np.dtype(np.float32)
    start, cpu_start = time.perf_counter(), time.process_time()
    network = TwoLayerNet(784, 50, 10, rng=seed, dtype=dtype)
    history = train(network, x_train.astype(dtype, copy=False), t_train,
                    x_test.astype(dtype, copy=False), t_test,
                    iters_num=iters, batch_size=batch_size, learning_rate=learning_rate,
                    rng=np.random.default_rng(seed + 1), progress=False)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "epochs": len(history.test_acc),
            "train_acc": history.train_acc[-1] if history.train_acc else None,
            "test_acc": history.test_acc[-1] if history.test_acc else None}


def contender(name):
    if name == "nnguide":
        return run_nnguide
    if name in VARIANT_NAMES:
        import nnguide_variants
        return functools.partial(nnguide_variants.run, variant=name[len("nnguide-"):])
    if name in ("book", "book64"):
        import reference_book
        return functools.partial(reference_book.run, float64_images=(name == "book64"))
    if name == "torch":
        import reference_torch
        return reference_torch.run
    raise ValueError(f"unknown contender {name!r}")


def threads_used(name):
    """The thread count the contender's maths library runs with, as text."""
    if name == "torch":
        import torch
        return f"torch {torch.get_num_threads()}"
    try:
        from threadpoolctl import threadpool_info
        return ", ".join(f"{p['internal_api']} {p['num_threads']}" for p in threadpool_info())
    except ImportError:
        value = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS")
        return f"BLAS {value}" if value else f"BLAS default ({os.cpu_count()} cores)"


def worker(args):
    """Run one contender once and print one JSON line."""
    if args.worker == "torch":
        import torch  # noqa: F401 -- imported before the memory baseline
    run = contender(args.worker)
    data = load_data(args)
    base_kib, how = memory_baseline()
    result = run(data, args.iters, args.batch_size, args.lr, args.seed)
    peak_kib = memory_peak(how)
    result.update({
        "name": args.worker,
        "threads": threads_used(args.worker),
        "data_bytes": data_bytes(data),
        "peak_growth_bytes": max(peak_kib - base_kib, 0) * 1024,
        "memory_method": how,
    })
    print(json.dumps(result))
    return 0


# ---------------------------------------------------------------- other load

def _cpu_jiffies():
    """(all, idle) jiffies of the whole machine since boot, from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
    except OSError:
        return None
    return sum(values), values[3] + values[4]


def busy_cores(seconds=1.0):
    """How many cores the machine kept busy over the next ``seconds``."""
    a = _cpu_jiffies()
    time.sleep(seconds)
    b = _cpu_jiffies()
    if a is None or b is None or b[0] == a[0]:
        return 0.0
    return (os.cpu_count() or 1) * (1 - (b[1] - a[1]) / (b[0] - a[0]))


def wait_until_quiet(max_busy, timeout):
    """Wait (at most ``timeout`` s) until other processes use < ``max_busy`` cores."""
    deadline = time.monotonic() + timeout
    busy = busy_cores(0.5) if timeout > 0 else 0.0
    while busy >= max_busy and time.monotonic() < deadline:
        busy = busy_cores(1.0)
    return busy


def worker_env(args):
    """The environment of a worker: this one, with thread limits if asked for."""
    env = dict(os.environ)
    if args.threads is not None:
        env.update({name: str(args.threads) for name in THREAD_VARIABLES})
    return env


def run_in_subprocess(name, args):
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", name,
           "--iters", str(args.iters), "--batch-size", str(args.batch_size),
           "--lr", str(args.lr), "--seed", str(args.seed)]
    if args.synthetic:
        cmd.append("--synthetic")
    if args.data_dir:
        cmd += ["--data-dir", str(args.data_dir)]
    jiffies0, children0 = _cpu_jiffies(), resource.getrusage(resource.RUSAGE_CHILDREN)
    wall0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=worker_env(args))
    wall = time.perf_counter() - wall0
    jiffies1, children1 = _cpu_jiffies(), resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{name} failed (exit {proc.returncode}):\n{proc.stderr}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    # Cores kept busy by other processes while this one ran: all busy time
    # on the machine minus the CPU time of the run itself.
    result["other_load"] = None
    if jiffies0 and jiffies1 and jiffies1[0] > jiffies0[0]:
        busy_share = 1 - (jiffies1[1] - jiffies0[1]) / (jiffies1[0] - jiffies0[0])
        own = ((children1.ru_utime - children0.ru_utime)
               + (children1.ru_stime - children0.ru_stime))
        result["other_load"] = max(busy_share * (os.cpu_count() or 1) - own / wall, 0.0)
    return result


def torch_available():
    try:
        import importlib.util
        return importlib.util.find_spec("torch") is not None
    except (ImportError, ValueError):
        return False


# ---------------------------------------------------------------- numerical gradient

def numgrad_worker(args):
    """Time one numerical and one backprop gradient of a float64 784-50-10 net."""
    import timeit

    from nnguide.differentiation import numerical_gradient
    from nnguide.two_layer_net import TwoLayerNet

    (x_train, t_train), _ = load_data(args)
    n = args.numgrad_batch
    x, t = x_train[:n].astype(np.float64), t_train[:n]
    net = TwoLayerNet(784, 50, 10, rng=args.seed)
    total_params = sum(p.size for p in net.params.values())

    def loss(_):
        return net.loss(x, t)

    limit = args.numgrad_params
    start = time.perf_counter()
    if limit is None or limit >= total_params:
        numeric = net.numerical_gradient(x, t)
        timed_params = total_params
    else:
        # Time the first `limit` weights of W1 only, and scale up.
        numeric = {"W1": numerical_gradient(loss, net.params["W1"].reshape(-1)[:limit])}
        timed_params = limit
    numeric_seconds = (time.perf_counter() - start) * total_params / timed_params

    backprop = net.gradient(x, t)
    timer = timeit.Timer(lambda: net.gradient(x, t))
    number, _ = timer.autorange()
    backprop_seconds = min(timer.repeat(repeat=3, number=number)) / number
    if "b1" in numeric:
        error = max(float(np.max(np.abs(numeric[k] - backprop[k]))) for k in numeric)
    else:
        error = float(np.max(np.abs(numeric["W1"] - backprop["W1"].reshape(-1)[:limit])))
    print(json.dumps({
        "batch": n, "params": total_params, "timed_params": timed_params,
        "numerical_seconds": numeric_seconds, "backprop_seconds": backprop_seconds,
        "ratio": numeric_seconds / backprop_seconds, "max_abs_diff": error,
    }))
    return 0


def run_numgrad(args):
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "numgrad",
           "--numgrad-batch", str(args.numgrad_batch), "--seed", str(args.seed)]
    if args.numgrad_params is not None:
        cmd += ["--numgrad-params", str(args.numgrad_params)]
    if args.synthetic:
        cmd.append("--synthetic")
    if args.data_dir:
        cmd += ["--data-dir", str(args.data_dir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=worker_env(args))
    if proc.returncode != 0:
        raise RuntimeError(f"numgrad failed (exit {proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- machine

def machine_info():
    info = {"python": platform.python_version(), "numpy": np.__version__,
            "cores": os.cpu_count(), "cpu": platform.processor() or platform.machine()}
    try:
        info["usable_cores"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/cpuinfo") as f:
            flags = next((line for line in f if line.startswith("flags")), "")
        info["avx512"] = "avx512f" in flags.split()
    except OSError:
        pass
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info["blas"] = f"{blas.get('name')} {blas.get('version', '')}".strip()
        info["blas_config"] = blas.get("openblas configuration", "")
    except Exception:  # show_config's layout differs between numpy versions
        pass
    try:
        from threadpoolctl import threadpool_info
        info["threadpools"] = [{k: p.get(k) for k in ("internal_api", "num_threads",
                                                       "architecture", "version")}
                               for p in threadpool_info()]
    except ImportError:
        pass
    import reference_torch
    info["torch"] = reference_torch.version() or "not installed"
    names = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") + THREAD_VARIABLES
    info["env"] = ({k: os.environ[k] for k in names if k in os.environ}
                   or f"none of {', '.join(names)} set")
    return info


# ---------------------------------------------------------------- report

def summarize(runs):
    """Medians per contender."""
    out = {}
    for name, rs in runs.items():
        accs = [r["test_acc"] for r in rs if r["test_acc"] is not None]
        out[name] = {
            "seconds": statistics.median(r["seconds"] for r in rs),
            "all_seconds": [r["seconds"] for r in rs],
            "best_seconds": min(r["seconds"] for r in rs),
            "cpu_seconds": statistics.median(r["cpu_seconds"] for r in rs),
            "test_acc": statistics.median(accs) if accs else None,
            "all_test_acc": accs,
            "train_acc": statistics.median(r["train_acc"] for r in rs)
            if all(r["train_acc"] is not None for r in rs) else None,
            "peak_growth_bytes": statistics.median(r["peak_growth_bytes"] for r in rs),
            "data_bytes": rs[0]["data_bytes"],
            "memory_method": rs[0]["memory_method"],
            "epochs": rs[0]["epochs"],
            "threads": rs[0].get("threads"),
            "other_load": max((r["other_load"] for r in rs if r["other_load"] is not None),
                              default=None),
        }
    return out


def _fmt(value, spec):
    return "n/a" if value is None else format(value, spec)


def checks(summary, full_recipe):
    """(description, value, limit, passed) for each target that applies."""
    nn = summary.get("nnguide")
    if nn is None:
        return []
    rows = []
    if "book" in summary:
        ratio = nn["seconds"] / summary["book"]["seconds"]
        rows.append(("time / book's code", ratio, f"<= {TARGETS['vs_book']}",
                     ratio <= TARGETS["vs_book"]))
    if "torch" in summary:
        ratio = nn["seconds"] / summary["torch"]["seconds"]
        rows.append(("time / PyTorch", ratio, f"<= {TARGETS['vs_torch']}",
                     ratio <= TARGETS["vs_torch"]))
    if "book64" in summary:
        ratio = nn["seconds"] / summary["book64"]["seconds"]
        rows.append(("time / book's code, float64 images", ratio, "no target", None))
    for other, desc in (("book", "book's code"), ("torch", "PyTorch")):
        if other in summary:
            ratio = nn["best_seconds"] / summary[other]["best_seconds"]
            rows.append((f"best run / best run of {desc}", ratio, "no target (medians count)",
                         None))
    if full_recipe and nn["test_acc"] is not None:
        rows.append(("final test accuracy", nn["test_acc"], f">= {TARGETS['test_acc']}",
                     nn["test_acc"] >= TARGETS["test_acc"]))
    mem = nn["peak_growth_bytes"] / nn["data_bytes"]
    rows.append(("peak memory growth / data", mem, f"<= {TARGETS['memory']}",
                 mem <= TARGETS["memory"]))
    return rows


def with_ratios(summary):
    """Each contender's time over the others' (medians), and its memory over the data."""
    for s in summary.values():
        s["time_vs"] = {other: s["seconds"] / summary[other]["seconds"]
                        for other in ("book", "torch", "nnguide") if other in summary}
        s["growth_per_data"] = s["peak_growth_bytes"] / s["data_bytes"]
    return summary


def full_recipe(args):
    return (not args.synthetic and args.iters == RECIPE["iters"]
            and args.batch_size == RECIPE["batch_size"] and args.lr == RECIPE["lr"])


def record(summary, numgrad, info, args, command, skipped):
    """Everything measured and computed, for report.py (saved as JSON beside the report)."""
    settings = {key: getattr(args, key) for key in ("iters", "batch_size", "lr", "repeats",
                                                    "threads", "max_other_load", "retries",
                                                    "synthetic")}
    settings["full_recipe"] = full_recipe(args)
    return {"settings": settings, "contenders": with_ratios(summary), "skipped": skipped,
            "targets": [list(row) for row in checks(summary, settings["full_recipe"])],
            "numgrad": numgrad, "machine": info, "command": command}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iters", type=int, default=RECIPE["iters"])
    parser.add_argument("--batch-size", type=int, default=RECIPE["batch_size"])
    parser.add_argument("--lr", type=float, default=RECIPE["lr"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data-dir", default=os.environ.get("NNGUIDE_DATA"),
                        help="folder with the four MNIST files (default: $NNGUIDE_DATA, "
                             "else the loader's default)")
    parser.add_argument("--synthetic", action="store_true",
                        help="made-up data (2,000 / 500 samples) instead of MNIST")
    parser.add_argument("--contenders", default=",".join(CONTENDERS),
                        help="comma-separated, from " + ",".join(CONTENDERS)
                             + " and, to see what one speed choice of nnguide buys, "
                             + ",".join(VARIANT_NAMES) + " (default: the first four)")
    parser.add_argument("--out", default=None,
                        help="markdown file to write, with the record of the run beside it "
                             "(default benchmarks/results.md and results.json; '-' for none)")
    parser.add_argument("--render", metavar="RECORD",
                        help="measure nothing: write the report again from a saved record "
                             "(e.g. benchmarks/results.json) to --out (default: beside it)")
    parser.add_argument("--skip-numgrad", action="store_true",
                        help="do not time the numerical gradient")
    parser.add_argument("--numgrad-batch", type=int, default=3)
    parser.add_argument("--numgrad-params", type=int, default=None,
                        help="time only this many parameters and scale up (default: all)")
    parser.add_argument("--wait-quiet", type=float, default=120.0, metavar="SECONDS",
                        help="before each run, wait up to this long for other processes "
                             "to leave the machine idle (default 120; 0: don't wait)")
    parser.add_argument("--quiet-cores", type=float, default=0.2,
                        help="'idle' means other processes keep fewer cores than this busy")
    parser.add_argument("--max-other-load", type=float, default=0.25,
                        help="a run during which other processes kept more cores than "
                             "this busy on average is discarded and repeated (default 0.25)")
    parser.add_argument("--retries", type=int, default=3,
                        help="how often one run may be repeated for that (default 3)")
    parser.add_argument("--threads", type=int, default=None,
                        help="set OPENBLAS/OMP/MKL_NUM_THREADS for every contender "
                             "(default: each library's own default)")
    parser.add_argument("--worker", choices=CONTENDERS + VARIANT_NAMES + ("numgrad",),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.render:
        out = Path(args.out) if args.out else Path(args.render).with_suffix(".md")
        report.save(report.load(args.render), out)
        print(f"wrote {out} from {args.render}")
        return 0
    if args.out is None:
        args.out = str(HERE / "results.md")
    if args.worker == "numgrad":
        return numgrad_worker(args)
    if args.worker:
        return worker(args)

    names = [n.strip() for n in args.contenders.split(",") if n.strip()]
    skipped = {}
    if "torch" in names and not torch_available():
        skipped["torch"] = "torch is not installed (an optional extra: `make bench` installs it)"
        print("skipping torch: torch is not installed", flush=True)
        names.remove("torch")

    runs = {name: [] for name in names}
    discarded = {name: 0 for name in names}
    for rep in range(args.repeats):
        order = names[rep % len(names):] + names[:rep % len(names)]
        for name in order:
            for attempt in range(args.retries + 1):
                wait_until_quiet(args.quiet_cores, args.wait_quiet)
                r = run_in_subprocess(name, args)
                print(f"run {rep + 1}/{args.repeats}  {name:18s} {r['seconds']:7.2f} s  "
                      f"cpu {r['cpu_seconds']:7.2f} s  test acc {_fmt(r['test_acc'], '.4f')}  "
                      f"peak +{r['peak_growth_bytes'] / 2**20:.1f} MiB  "
                      f"other load {_fmt(r['other_load'], '.2f')} cores", flush=True)
                disturbed = (r["other_load"] or 0.0) > args.max_other_load
                if not disturbed or attempt == args.retries:
                    break
                discarded[name] += 1
                print(f"  other processes kept {r['other_load']:.2f} cores busy "
                      f"(> {args.max_other_load}): run discarded, repeating", flush=True)
            runs[name].append(r)
    summary = summarize(runs)
    for name, count in discarded.items():
        summary[name]["discarded"] = count

    numgrad = None
    if not args.skip_numgrad:
        numgrad = run_numgrad(args)
        print(f"numerical gradient {numgrad['numerical_seconds']:.3f} s, backprop "
              f"{numgrad['backprop_seconds'] * 1e6:.1f} us: ratio {numgrad['ratio']:,.0f}",
              flush=True)

    print()
    for name, s in summary.items():
        print(f"{name:20s} median {s['seconds']:7.2f} s  "
              f"test acc {_fmt(s['test_acc'], '.4f')}")
    for desc, value, limit, ok in checks(summary, full_recipe(args)):
        met = "" if ok is None else (": met" if ok else ": NOT met")
        print(f"{desc:36s} {value:8.3f}  [{limit}{met}]")

    if args.out != "-":
        command = "python benchmarks/bench_training.py " + " ".join(
            a for a in (argv if argv is not None else sys.argv[1:]))
        run = record(summary, numgrad, machine_info(), args, command.strip(), skipped)
        out = report.save(run, args.out)
        print(f"wrote {out} and {out.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
