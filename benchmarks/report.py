"""The benchmark's report, written from a saved record of one run (no timing here).

``bench_training.py`` measures, then saves everything it measured and
computed as a record (``results.json`` beside ``results.md``) and writes the
report from it with :func:`markdown`. ``bench_training.py --render
results.json`` writes the report again from the record alone, so a change of
wording needs no new measurement.

The report has two parts:

* the full report in English (every run, CPU time, threads, other load, the
  targets for nnguide, the machine), for the people who maintain the package;
* the sections the site's speed page includes, in every language of the site
  (``timings-zh``, ``timings-en``, ``numerical-gradient-zh``, ...): fewer
  columns, headers and sentences in the page's language.

Numbers in Chinese sentences carry no thousands separators (10000), English
ones do (10,000), as on the pages.
"""

import json
from pathlib import Path

from nnguide_variants import VARIANTS

CONTENDERS = ("book", "book64", "torch", "nnguide")
VARIANT_NAMES = tuple(f"nnguide-{v}" for v in VARIANTS)
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
PAGE_LANGUAGES = ("zh", "en")
MIB = 1024 * 1024

# The full report's row labels.
LABELS = {"book": "book's code (numpy, float64)",
          "book64": "book's code, images made float64 first",
          "torch": "PyTorch (CPU, float32)",
          "nnguide": "nnguide (float32)"}
LABELS.update({f"nnguide-{v}": f"nnguide, but {text}" for v, text in VARIANTS.items()})

# The speed page's words, per language (every contender and variant in each).
PAGE = {
    "zh": {
        "labels": {
            "book": "书中的代码（NumPy，float64）",
            "book64": "书中的代码，图像预先转成 float64",
            "torch": "PyTorch（CPU，float32）",
            "nnguide": "nnguide（float32）",
        },
        "variants": {
            "nnguide": "无（nnguide 原样）",
            "nnguide-float64": "权重和图像用 float64，而不是 float32",
            "nnguide-one-hot": "标签用 float32 的独热编码，而不是标签形式",
            "nnguide-two-pass": "为了记录损失，再做一次前向传播（书中的做法）",
            "nnguide-whole-eval": "一次性在整个数据集上计算识别精度，而不是每次 1000 个样本",
            "nnguide-choice": "每一步都用 rng.choice 有放回地抽取小批量，"
                              "而不是每个 epoch 打乱一次",
        },
        "timings_header": "| 实现 | 耗时（秒） | 与书中代码之比 | 最终测试精度 "
                          "| 训练时多占的内存（MiB） |",
        "ablation_header": "| 撤销的选择 | 耗时（秒） | 与 nnguide 之比 "
                           "| 训练时多占的内存（MiB） |",
        "skipped": "未运行：{reason}",
        "torch_missing": "没有安装 torch（可选依赖，`make bench` 会安装它）",
        "runs": "每种实现运行 {repeats} 次，每次都在新的进程中；"
                "表中的耗时是 {repeats} 次的中位数，"
                "包括创建网络和整个训练过程（含每个 epoch 的精度评估），不含读入数据。",
        "vs": "nnguide 的耗时是{others}。",
        "vs_book": "书中代码的 {ratio:.2f} 倍",
        "vs_torch": "PyTorch 的 {ratio:.2f} 倍",
        "and": "、",
        "accuracy": "最终测试精度：nnguide {nnguide:.4f}，书中代码 {book:.4f}。",
        "memory": "读入的数据共 {data:.1f} MiB；训练时，nnguide 多占了 {nnguide:.1f} MiB 内存"
                  "（数据大小的 {share:.3f} 倍），书中代码多占了 {book:.1f} MiB。",
        "ablation_runs": "每种做法运行 {repeats} 次，表中的耗时是中位数。",
        "numgrad_header": "| 方法 | 求一次梯度的时间 |",
        "numerical": "数值微分（中心差分）",
        "backprop": "误差反向传播法",
        "seconds": "{value:.3f} 秒",
        "microseconds": "{value:.1f} 微秒",
        "numgrad_setup": "对象是 float64 的 784-50-10 两层网络（{params} 个参数），"
                         "小批量含 {batch} 个样本{how}。",
        "numgrad_all": "，对全部参数计时",
        "numgrad_part": "，只对前 {timed} 个参数计时，再按比例换算到全部参数",
        "numgrad_ratio": "数值微分比误差反向传播法慢 {ratio} 倍，"
                         "两者求出的梯度最多相差 {diff:.1e}。"
                         "照这个速度，用数值微分求 10000 次梯度要 {hours:.1f} 小时。",
        "machine": {
            "cpu": "处理器", "cores": "核心数", "python": "Python", "numpy": "NumPy",
            "blas": "BLAS 库", "torch": "PyTorch", "threads": "线程数",
        },
        "colon": "：",
        "threads_default": "各个库的默认值",
        "threads_set": "每种实现都是 {threads}",
        "command": "运行的命令：",
    },
    "en": {
        "labels": {
            "book": "book's code (NumPy, float64)",
            "book64": "book's code, images made float64 first",
            "torch": "PyTorch (CPU, float32)",
            "nnguide": "nnguide (float32)",
        },
        "variants": {
            "nnguide": "none (nnguide as it is)",
            "nnguide-float64": "float64 weights and images instead of float32",
            "nnguide-one-hot": "one-hot float32 labels instead of class labels",
            "nnguide-two-pass": "a second forward pass to log the loss (as the book does)",
            "nnguide-whole-eval": "accuracy over each whole set at once instead of "
                                  "1,000 samples at a time",
            "nnguide-choice": "every batch drawn with replacement by rng.choice instead of "
                              "a shuffle per epoch",
        },
        "timings_header": "| implementation | time (s) | time / book's code | final test accuracy "
                          "| extra memory in training (MiB) |",
        "ablation_header": "| choice undone | time (s) | time / nnguide "
                           "| extra memory in training (MiB) |",
        "skipped": "not run: {reason}",
        "torch_missing": "torch is not installed (an optional extra: `make bench` installs it)",
        "runs": "Each implementation ran {repeats} times, each time in a fresh process; the time "
                "is the median of the {repeats} runs and covers building the network and the "
                "whole training, the accuracy of every epoch included, not loading the data.",
        "vs": "nnguide takes {others}.",
        "vs_book": "{ratio:.2f} times the time of the book's code",
        "vs_torch": "{ratio:.2f} times that of PyTorch",
        "and": " and ",
        "accuracy": "Final test accuracy: nnguide {nnguide:.4f}, the book's code {book:.4f}.",
        "memory": "The loaded data take {data:.1f} MiB; while training, nnguide needs "
                  "{nnguide:.1f} MiB more memory ({share:.3f} times the data), the book's "
                  "code {book:.1f} MiB more.",
        "ablation_runs": "Each variant ran {repeats} times; the time is the median.",
        "numgrad_header": "| method | time for one gradient |",
        "numerical": "numerical differentiation (central differences)",
        "backprop": "backpropagation",
        "seconds": "{value:.3f} s",
        "microseconds": "{value:.1f} µs",
        "numgrad_setup": "For a float64 784-50-10 two-layer network ({params:,} parameters) and "
                         "a mini-batch of {batch} samples{how}.",
        "numgrad_all": ", all parameters timed",
        "numgrad_part": ", the first {timed:,} parameters timed and the time scaled up to "
                        "all of them",
        "numgrad_ratio": "Numerical differentiation is {ratio} times slower than "
                         "backpropagation, and the two gradients differ by at most "
                         "{diff:.1e}. At that rate, 10,000 numerical gradients would take "
                         "{hours:.1f} hours.",
        "machine": {
            "cpu": "processor", "cores": "cores", "python": "Python", "numpy": "NumPy",
            "blas": "BLAS library", "torch": "PyTorch", "threads": "threads",
        },
        "colon": ": ",
        "threads_default": "each library's default",
        "threads_set": "{threads} for every implementation",
        "command": "The command:",
    },
}


def section(edge, name):
    """A pymdownx.snippets section marker: the site's speed page includes these parts."""
    return f"<!-- --8<-- [{edge}:{name}] -->"


def _fmt(value, spec):
    return "n/a" if value is None else format(value, spec)


def _count(value, lang):
    """A whole number as the page's language writes it: 47871 / 47,871."""
    return f"{value:.0f}" if lang == "zh" else f"{value:,.0f}"


def _ordered(contenders):
    return [name for name in CONTENDERS + VARIANT_NAMES if name in contenders]


# ---------------------------------------------------------------- the full report

def _settings_line(settings):
    data = ("synthetic (2,000 / 500 samples)" if settings["synthetic"]
            else "MNIST (60,000 / 10,000)")
    threads = ("each library's default" if settings["threads"] is None else
               f"{settings['threads']} for every contender ({', '.join(THREAD_VARIABLES)})")
    return (f"784-50-10 sigmoid network, batch {settings['batch_size']}, learning rate "
            f"{settings['lr']}, {settings['iters']} iterations, accuracy on the full sets "
            f"after every epoch; data: {data}. Medians of {settings['repeats']} runs per "
            f"contender, each run in a fresh process, contenders in rotated order. Threads: "
            f"{threads}. A run during which other processes kept more than "
            f"{settings['max_other_load']} cores busy on average was discarded and repeated "
            f"(at most {settings['retries']} times).")


def _full_timings(record):
    lines = [
        section("start", "timings"),
        "| contender | wall time (s) | runs (s) | CPU time (s) | time / book | time / torch "
        "| time / nnguide | final test acc | final train acc | peak memory growth (MiB) "
        "| growth / data | other load (cores) | runs repeated | threads |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | --- |",
    ]
    contenders = record["contenders"]
    for name in _ordered(contenders):
        s = contenders[name]
        vs = s["time_vs"]
        lines.append(
            f"| {LABELS[name]} | {s['seconds']:.2f} | "
            f"{', '.join(f'{x:.2f}' for x in s['all_seconds'])} | {s['cpu_seconds']:.2f} | "
            f"{_fmt(vs.get('book'), '.3f')} | {_fmt(vs.get('torch'), '.3f')} | "
            f"{_fmt(vs.get('nnguide'), '.3f')} | "
            f"{_fmt(s['test_acc'], '.4f')} | {_fmt(s['train_acc'], '.4f')} | "
            f"{s['peak_growth_bytes'] / MIB:.1f} | {s['growth_per_data']:.3f} | "
            f"{_fmt(s['other_load'], '.2f')} | {s.get('discarded', 0)} | {s['threads']} |")
    for name, reason in record["skipped"].items():
        lines.append(f"| {LABELS[name]} | skipped: {reason} |" + " |" * 13)
    any_s = next(iter(contenders.values()))
    lines += [
        "",
        f"Loaded data (x_train, t_train, x_test, t_test): {any_s['data_bytes'] / MIB:.1f} MiB. "
        "Peak memory growth = the process's peak resident memory during training "
        f"({any_s['memory_method']}, reset just before training) minus its resident memory "
        "just before training (after imports and loading the data). "
        "Other load: the most cores that other processes on the machine kept busy, "
        "on average, during one run of that contender (0 = the machine was otherwise idle).",
        section("end", "timings"),
    ]
    return lines


def _full_targets(record):
    lines = ["## Targets for nnguide", "", section("start", "targets"),
             "| target | measured | limit | met |", "| --- | ---: | --- | --- |"]
    for desc, value, limit, ok in record["targets"]:
        met = "" if ok is None else ("yes" if ok else "NO")
        lines.append(f"| {desc} | {value:.3f} | {limit} | {met} |")
    if not record["settings"]["full_recipe"]:
        lines += ["", "(Not the book's recipe on MNIST, so the accuracy target does not apply.)"]
    lines.append(section("end", "targets"))
    return lines


def _full_numgrad(g):
    how = ("all parameters timed" if g["timed_params"] == g["params"] else
           f"the first {g['timed_params']} of {g['params']} parameters timed, "
           "the time scaled up to all of them")
    return [
        "## Numerical gradient vs backpropagation",
        "",
        f"One gradient of a float64 784-50-10 TwoLayerNet ({g['params']} parameters) "
        f"on a batch of {g['batch']} ({how}):",
        "",
        section("start", "numerical-gradient"),
        "| method | time for one gradient |",
        "| --- | ---: |",
        f"| numerical (central differences) | {g['numerical_seconds']:.3f} s |",
        f"| backpropagation | {g['backprop_seconds'] * 1e6:.1f} µs |",
        "",
        f"Numerical / backprop: **{g['ratio']:,.0f}x**; largest difference between the "
        f"two: {g['max_abs_diff']:.1e}. At that rate, 10,000 numerical gradients would "
        f"take {g['numerical_seconds'] * 10000 / 3600:.1f} hours.",
        section("end", "numerical-gradient"),
    ]


def _full_machine(record):
    lines = ["## Machine", "", section("start", "machine")]
    info = record["machine"]
    for key in ("cpu", "cores", "usable_cores", "avx512", "python", "numpy", "blas",
                "blas_config", "torch", "threadpools", "env"):
        if key in info:
            lines.append(f"- {key}: {info[key]}")
    lines += ["", "Command:", "", "```", record["command"], "```", section("end", "machine")]
    return lines


# ---------------------------------------------------------------- the speed page

def _page_timings(record, lang):
    words, contenders = PAGE[lang], record["contenders"]
    settings = record["settings"]
    if any(name in contenders for name in CONTENDERS if name != "nnguide"):
        return _page_comparison(record, lang)
    # A run of nnguide and its variants: what each undone choice costs.
    lines = [words["ablation_header"], "| --- | ---: | ---: | ---: |"]
    for name in _ordered(contenders):
        s = contenders[name]
        lines.append(f"| {words['variants'][name]} | {s['seconds']:.2f} | "
                     f"{_fmt(s['time_vs'].get('nnguide'), '.2f')} | "
                     f"{s['peak_growth_bytes'] / MIB:.1f} |")
    return lines + ["", words["ablation_runs"].format(repeats=settings["repeats"])]


def _page_comparison(record, lang):
    words, contenders = PAGE[lang], record["contenders"]
    lines = [words["timings_header"], "| --- | ---: | ---: | ---: | ---: |"]
    for name in _ordered(contenders):
        s = contenders[name]
        label = words["labels"].get(name) or words["variants"][name]
        lines.append(f"| {label} | {s['seconds']:.2f} | "
                     f"{_fmt(s['time_vs'].get('book'), '.3f')} | "
                     f"{_fmt(s['test_acc'], '.4f')} | {s['peak_growth_bytes'] / MIB:.1f} |")
    for name, reason in record["skipped"].items():
        if name == "torch" and reason.startswith("torch is not installed"):
            reason = words["torch_missing"]
        label = words["labels"].get(name) or words["variants"][name]
        lines.append(f"| {label} | {words['skipped'].format(reason=reason)} | | | |")
    sentences = [words["runs"].format(repeats=record["settings"]["repeats"])]
    nn = contenders.get("nnguide")
    if nn is not None:
        others = [words[f"vs_{other}"].format(ratio=nn["time_vs"][other])
                  for other in ("book", "torch") if nn["time_vs"].get(other) is not None]
        if others:
            sentences.append(words["vs"].format(others=words["and"].join(others)))
        book = contenders.get("book")
        if book is not None and nn["test_acc"] is not None and book["test_acc"] is not None:
            sentences.append(words["accuracy"].format(nnguide=nn["test_acc"],
                                                      book=book["test_acc"]))
        if book is not None:
            sentences.append(words["memory"].format(
                data=nn["data_bytes"] / MIB, nnguide=nn["peak_growth_bytes"] / MIB,
                share=nn["growth_per_data"], book=book["peak_growth_bytes"] / MIB))
    separator = "" if lang == "zh" else " "
    return lines + ["", separator.join(sentences)]


def _page_numgrad(g, lang):
    words = PAGE[lang]
    how = (words["numgrad_all"] if g["timed_params"] == g["params"]
           else words["numgrad_part"].format(timed=g["timed_params"]))
    setup = words["numgrad_setup"].format(params=g["params"], batch=g["batch"], how=how)
    return [
        words["numgrad_header"],
        "| --- | ---: |",
        f"| {words['numerical']} | {words['seconds'].format(value=g['numerical_seconds'])} |",
        f"| {words['backprop']} | "
        f"{words['microseconds'].format(value=g['backprop_seconds'] * 1e6)} |",
        "",
        setup + ("" if lang == "zh" else " ") + words["numgrad_ratio"].format(
            ratio=_count(g["ratio"], lang), diff=g["max_abs_diff"],
            hours=g["numerical_seconds"] * 10000 / 3600),
    ]


def _page_machine(record, lang):
    words, info, settings = PAGE[lang], record["machine"], record["settings"]
    names = words["machine"]
    lines = []
    for key in ("cpu", "cores", "python", "numpy", "blas", "torch"):
        if key in info:
            lines.append(f"- {names[key]}{words['colon']}{info[key]}")
    threads = (words["threads_default"] if settings["threads"] is None
               else words["threads_set"].format(threads=settings["threads"]))
    lines += [f"- {names['threads']}{words['colon']}{threads}", "", words["command"], "",
              "```sh",
              record["command"], "```"]
    return lines


def page_sections(record):
    """The speed page's sections, in every page language."""
    parts = [("timings", _page_timings)]
    if record.get("numgrad"):
        parts.append(("numerical-gradient", lambda r, lang: _page_numgrad(r["numgrad"], lang)))
    parts.append(("machine", _page_machine))
    lines = []
    for name, render in parts:
        for lang in PAGE_LANGUAGES:
            lines += ["", section("start", f"{name}-{lang}"), *render(record, lang),
                      section("end", f"{name}-{lang}")]
    return lines


# ---------------------------------------------------------------- the file

def markdown(record):
    """The whole report: the full English report, then the speed page's sections."""
    lines = ["# Training benchmark: the chapter's recipe", ""]
    if record.get("note"):
        lines += [f"Note: {record['note']}", ""]
    lines += [_settings_line(record["settings"]), "", *_full_timings(record), "",
              *_full_targets(record)]
    if record.get("numgrad"):
        lines += ["", *_full_numgrad(record["numgrad"])]
    lines += ["", *_full_machine(record), "", "## The speed page", "",
              "The site's speed page (docs/speed.*.md) includes these sections, one per "
              "language.", *page_sections(record), ""]
    return "\n".join(lines)


def _write(path, text):
    """Write ``text`` to ``path`` whole or not at all (a temporary file, then a rename)."""
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def save(record, out):
    """Write the record (``out`` with ``.json``) and the report (``out``)."""
    out = Path(out)
    _write(out.with_suffix(".json"),
           json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    _write(out, markdown(record))
    return out


def load(path):
    """A saved record; a clear error if ``path`` is not one."""
    path = Path(path)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SystemExit(f"--render {path}: cannot read a benchmark record ({error}); "
                         f"give the .json file that bench_training.py wrote beside its "
                         f"report") from None
    missing = {"settings", "contenders", "skipped", "targets", "machine", "command"} - set(record)
    if missing:
        raise SystemExit(f"--render {path}: not a benchmark record (missing "
                         f"{', '.join(sorted(missing))}); give the .json file that "
                         f"bench_training.py wrote beside its report")
    return record
