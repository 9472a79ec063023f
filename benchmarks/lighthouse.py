"""Lighthouse's mobile audit of every page of the site, as a phone on a slow network sees it.

The site is built (or taken from ``--site``), served on 127.0.0.1 below the path of
``site_url`` with text files gzip-compressed, as GitHub Pages serves them, and every page
(Chinese at ``/``, English at ``/en/``) is audited ``--runs`` times by ``lighthouse@12.2.3``
(npm; 13.x wants Node 22) in its default mobile mode (simulated slow 4G, 4x CPU slowdown),
with Debian's Chromium. Runs go round the pages in turn, so that a busy minute on the
machine spreads over all pages instead of spoiling one.

The report (markdown, ``--out``) gives, per page, the median of the runs: performance,
largest contentful paint, total blocking time, accessibility, best practices and SEO; the
range of performance and TBT over the runs; the long tasks and the scripts they are
attributed to; and the machine's load average before each run, with Lighthouse's own CPU
benchmark index (a busy or slow machine gives a low index and worse, noisier numbers).

Run from the repository root (see benchmarks/README.md)::

    .venv/bin/python benchmarks/lighthouse.py                  # builds the site, 3 runs per page
    .venv/bin/python benchmarks/lighthouse.py --site site --runs 5 --pages losses en/losses

Lighthouse is installed on first use with npm into ``benchmarks/.lighthouse/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import importlib.util
import functools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tool(name):
    """A module of tools/ (scripts and hooks, not a package), loaded from its file."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


serve = _tool("static_server").serve       # the same server as the browser tests
TOOL_DIR = ROOT / "benchmarks" / ".lighthouse"
LIGHTHOUSE_VERSION = "12.2.3"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --no-first-run --disable-sync")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = "performance >= 95, LCP <= 2.5 s, TBT <= 200 ms, accessibility, best practices, SEO 100"
NAN = float("nan")


# ---------------------------------------------------------------- the site and its server

def site_prefix():
    """The path of the site's address (``NNGUIDE_SITE_URL``, which mkdocs.yml's site_url reads;
    "/nnguide/"), where GitHub Pages serves the site; "/" for a build without an address."""
    path = urllib.parse.urlsplit(os.environ.get("NNGUIDE_SITE_URL", "")).path or "/"
    return path if path.endswith("/") else path + "/"


def build_site(dest):
    """mkdocs build --strict into dest; exits with mkdocs's output if the build fails."""
    print(f"building the site into {dest} ...", file=sys.stderr)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(dest)],
        cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"mkdocs build failed (exit {result.returncode}):\n{result.stderr[-4000:]}")


def site_pages(site):
    """URL paths of the site's pages, Chinese first: "", "losses/", ..., "en/", "en/losses/"."""
    paths = []
    for html in site.rglob("index.html"):
        rel = html.relative_to(site).parent.as_posix()
        if rel.split("/")[0] not in ("assets", "search"):
            paths.append("" if rel == "." else rel + "/")
    return sorted(paths, key=lambda p: (p.startswith("en/") or p == "en/", p))


# ---------------------------------------------------------------- lighthouse

def lighthouse_command():
    """The lighthouse executable in benchmarks/.lighthouse, installed with npm if missing."""
    exe = TOOL_DIR / "node_modules" / ".bin" / "lighthouse"
    package = TOOL_DIR / "node_modules" / "lighthouse" / "package.json"
    if package.is_file() and json.loads(package.read_text())["version"] == LIGHTHOUSE_VERSION:
        return [str(exe)]
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm not found: lighthouse is installed with npm (Node >= 18.20; on Debian: "
                 "sudo apt-get install nodejs npm), or put lighthouse "
                 f"{LIGHTHOUSE_VERSION} in {TOOL_DIR}/node_modules yourself.")
    print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {TOOL_DIR} ...", file=sys.stderr)
    TOOL_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run([npm, "install", "--prefix", str(TOOL_DIR), "--no-audit", "--no-fund",
                    "--save-exact", f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)
    return [str(exe)]


def load_average():
    with open("/proc/loadavg", encoding="ascii") as f:
        return float(f.read().split()[0])


def run_lighthouse(command, url, out_json):
    """One mobile audit of url: (the parsed report, trace facts), or raises with lighthouse's
    stderr. The trace (--save-assets, ~20 MB) is read for trace_facts and deleted."""
    cmd = [*command, url, "--output=json", f"--output-path={out_json}", "--quiet",
           "--save-assets", f"--only-categories={','.join(CATEGORIES)}",
           f"--chrome-flags={CHROME_FLAGS}"]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assets = [out_json.with_name(out_json.stem + suffix)
              for suffix in ("-0.trace.json", "-0.devtoolslog.json")]
    try:
        if result.returncode or not out_json.is_file():
            raise RuntimeError(f"lighthouse failed on {url} (exit {result.returncode}):\n"
                               f"{result.stderr[-3000:]}")
        report = json.loads(out_json.read_text(encoding="utf-8"))
        broken = [f"{key}: {report['audits'][key].get('errorMessage', 'no value')}"
                  for key in ("largest-contentful-paint", "total-blocking-time")
                  if report["audits"][key].get("numericValue") is None]
        if report.get("runtimeError") or broken:
            raise RuntimeError(f"lighthouse could not measure {url}: "
                               f"{report.get('runtimeError') or '; '.join(broken)}")
        facts = trace_facts(assets[0], url) if assets[0].is_file() else {}
        return report, facts
    finally:
        for asset in assets:
            asset.unlink(missing_ok=True)


def trace_facts(trace_file, url):
    """What the machine's other load did to this run, from the page's main thread in the trace.

    Lighthouse simulates a slow phone from the durations of the main thread's tasks as it
    observed them (wall-clock time), multiplied by 4; when other processes hold the CPU, a task
    lasts longer than the thread spent on the CPU, and the simulated TBT and LCP grow.
    ``cpu_share`` is the thread's CPU time over the wall-clock time of its tasks of 10 ms or
    more since the page's HTML began to arrive (1.0 on an idle machine).
    """
    data = json.loads(trace_file.read_text(encoding="utf-8"))
    events = data["traceEvents"] if isinstance(data, dict) else data
    host = urllib.parse.urlsplit(url).netloc
    parses = {}      # (pid, tid) -> start of the first ParseHTML of the page
    for e in events:
        if e.get("name") == "ParseHTML" and host in json.dumps(e.get("args", {})):
            key = (e["pid"], e["tid"])
            parses[key] = min(parses.get(key, e["ts"]), e["ts"])
    if not parses:
        return {}
    main = min(parses, key=parses.get)
    tasks = [e for e in events if (e.get("pid"), e.get("tid")) == main
             and e.get("name") == "RunTask" and e.get("ph") == "X" and "tdur" in e
             and e["dur"] >= 10_000 and e["ts"] + e["dur"] >= parses[main]]
    wall = sum(e["dur"] for e in tasks)
    return {"cpu_share": sum(e["tdur"] for e in tasks) / wall if wall else None}


def short_url(url, base):
    """A script's URL relative to the site ("assets/javascripts/bundle.*.min.js")."""
    if not url:
        return "(unattributed)"
    if url.startswith(base):
        url = url[len(base):]
    url = re.sub(r"\.[0-9a-f]{8}\.min\.js$", ".*.min.js", url)    # material's hashed bundle
    return url or "(the page)"


def summarize(report, facts, base, page_url, load_before, load_after):
    """The numbers of one run."""
    audits = report["audits"]
    categories = report["categories"]
    long_tasks = []
    for item in (audits.get("long-tasks", {}).get("details") or {}).get("items", []):
        url = short_url(item.get("url"), base)
        if url == page_url[len(base):] or url == page_url:
            url = "(the page)"
        long_tasks.append({"url": url, "duration": item["duration"],
                           "start": item.get("startTime", 0)})
    bootup = {}
    for item in (audits.get("bootup-time", {}).get("details") or {}).get("items", []):
        bootup[short_url(item["url"], base)] = item.get("scripting", 0)
    return {
        "scores": {c: round(100 * (categories[c]["score"] or 0)) for c in CATEGORIES},
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "fcp_ms": audits["first-contentful-paint"]["numericValue"],
        # the first paint as the unthrottled load showed it (not simulated): about 1.3 s
        # when Chromium's paint holding held it (benchmarks/README.md), else 0.1-0.3 s
        "observed_fcp_ms": ((audits.get("metrics", {}).get("details") or {}).get("items")
                            or [{}])[0].get("observedFirstContentfulPaint"),
        "long_tasks": long_tasks,
        "bootup_scripting_ms": bootup,
        "benchmark_index": report.get("environment", {}).get("benchmarkIndex"),
        "warnings": report.get("runWarnings", []),
        "load_before": load_before,
        "load_after": load_after,
        "cpu_share": facts.get("cpu_share"),
        "failed_audits": sorted(
            a["id"] for c in CATEGORIES if c != "performance"
            for a in categories[c]["auditRefs"]
            if a["weight"] and (audits[a["id"]]["score"] is not None)
            and audits[a["id"]]["score"] < 1),
    }


# ---------------------------------------------------------------- the report

def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else NAN


def spread(values, fmt):
    """'median M, range A–B' of the values."""
    if not values:
        return "(no runs)"
    return (f"median {format(median(values), fmt)}, range {format(min(values), fmt)}–"
            f"{format(max(values), fmt)}")


def num(value, fmt):
    return "–" if value is None else format(value, fmt)


def page_row(path, runs):
    if not runs:
        return f"| `/{path}` | no run succeeded |" + " |" * 8
    perf = [r["scores"]["performance"] for r in runs]
    tbt = [r["tbt_ms"] for r in runs]
    lcp = median([r["lcp_ms"] for r in runs]) / 1000
    cells = [f"`/{path}`", f"{median(perf):.0f}", f"{lcp:.2f} s", f"{median(tbt):.0f} ms"]
    cells += [f"{median([r['scores'][c] for r in runs]):.0f}" for c in CATEGORIES[1:]]
    cells += [f"{min(perf)}–{max(perf)}", f"{min(tbt):.0f}–{max(tbt):.0f}",
              f"{median([r['cpu_share'] for r in runs]):.2f}"]
    return "| " + " | ".join(cells) + " |"


def misses(path, runs):
    """What this page's medians miss of the targets."""
    if not runs:
        return [f"/{path}: not measured"]
    out = []
    if median([r["scores"]["performance"] for r in runs]) < 95:
        out.append("performance < 95")
    if median([r["lcp_ms"] for r in runs]) > 2500:
        out.append("LCP > 2.5 s")
    if median([r["tbt_ms"] for r in runs]) > 200:
        out.append("TBT > 200 ms")
    for c in CATEGORIES[1:]:
        if median([r["scores"][c] for r in runs]) < 100:
            failed = sorted({a for r in runs for a in r["failed_audits"]})
            out.append(f"{c} < 100 ({', '.join(failed)})")
    return [f"/{path}: {m}" for m in out]


def long_task_rows(path, runs):
    """Per script: the long tasks of the median-TBT run, and the scripting time (median)."""
    if not runs:
        return []
    ordered = sorted(runs, key=lambda r: r["tbt_ms"])
    mid = ordered[(len(ordered) - 1) // 2]
    scripts = {}
    for task in mid["long_tasks"]:
        scripts.setdefault(task["url"], []).append(task["duration"])
    boot = {}
    for r in runs:
        for url, ms in r["bootup_scripting_ms"].items():
            boot.setdefault(url, []).append(ms)
    rows = []
    for url in sorted(set(scripts) | set(boot),
                      key=lambda u: (-sum(scripts.get(u, [])), -median(boot.get(u, [0])))):
        tasks = scripts.get(url, [])
        boot_ms = median(boot[url]) if url in boot else None
        if not tasks and (boot_ms is None or boot_ms < 50):
            continue
        rows.append(f"| `/{path}` | `{url}` | {len(tasks)} | "
                    f"{', '.join(f'{d:.0f}' for d in sorted(tasks, reverse=True)) or '–'} | "
                    f"{'–' if boot_ms is None else f'{boot_ms:.0f}'} |")
    return rows


def site_section(label, results, heading):
    """The tables of one site: medians, missed targets, long tasks, every run."""
    h = "#" * heading
    lines = [
        f"{h} {label}",
        "",
        "Medians per page (range of performance and TBT over the runs in the last columns):",
        "",
        "| page | performance | LCP | TBT | accessibility | best practices | SEO "
        "| performance range | TBT range (ms) | CPU share |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [page_row(path, runs) for path, runs in results.items()]
    lines += ["", "CPU share: the page's main thread's CPU time over the wall-clock time of its "
              "tasks (median over the runs; 1.00 on an idle machine). Lighthouse multiplies the "
              "wall-clock time by 4, so a share of 0.5 roughly doubles every long task."]
    missed = [m for path, runs in results.items() for m in misses(path, runs)]
    lines += ["", "Missed targets: " + ("; ".join(missed) if missed else "none") + "."]
    lines += [
        "",
        f"{h}# Long tasks ({label})",
        "",
        "Long tasks (≥ 50 ms, as Lighthouse simulates them on the slowed-down CPU) of the run "
        "with the median TBT, by the script they are attributed to; and each script's "
        "scripting time (Lighthouse's bootup-time audit, median over the runs; scripts below "
        "50 ms without long tasks are left out).",
        "",
        "| page | script | long tasks | their durations (ms) | scripting (ms) |",
        "| --- | --- | ---: | --- | ---: |",
    ]
    for path, runs in results.items():
        lines += long_task_rows(path, runs)
    lines += ["", f"{h}# Every run ({label})", "",
              "Observed first paint: the first contentful paint of the unthrottled load from "
              "which Lighthouse simulates the slow phone. About 1.3 s when Chromium's paint "
              "holding kept the page's first frame back (benchmarks/README.md); every task and "
              "request before it then counts toward the simulated LCP.", "",
              "| page | run | load before → after | benchmark index | CPU share | performance "
              "| LCP (s) | TBT (ms) | long tasks | observed first paint (ms) |",
              "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for path, runs in results.items():
        for i, r in enumerate(runs, 1):
            lines.append(f"| `/{path}` | {i} | {r['load_before']:.2f} → {r['load_after']:.2f} | "
                         f"{r['benchmark_index'] or 0:.0f} | {num(r['cpu_share'], '.2f')} | "
                         f"{r['scores']['performance']} | {r['lcp_ms'] / 1000:.2f} | "
                         f"{r['tbt_ms']:.0f} | {len(r['long_tasks'])} | "
                         f"{num(r.get('observed_fcp_ms'), '.0f')} |")
    return lines


def report_markdown(sites, runs, started, failures=()):
    """sites: {label: {page path: [run summaries]}}; failures: runs that gave no report."""
    several = len(sites) > 1
    lines = [
        "# Lighthouse mobile audit",
        "",
        f"lighthouse {LIGHTHOUSE_VERSION}, mobile (simulated slow 4G, 4× CPU slowdown), "
        f"{chromium_version()}; the site served gzip-compressed on 127.0.0.1 below "
        f"`{site_prefix()}`. {runs} run(s) per page, the pages"
        f"{' and sites' if several else ''} in turn; started {started:%Y-%m-%d %H:%M} UTC "
        f"on {os.cpu_count()} cores.",
        "",
        f"Targets: {TARGETS}.",
    ]
    all_runs = [r for results in sites.values() for rs in results.values() for r in rs]
    loads = [r["load_before"] for r in all_runs]
    shares = [r["cpu_share"] for r in all_runs if r["cpu_share"] is not None]
    index = [r["benchmark_index"] for r in all_runs if r["benchmark_index"]]
    lines += [
        "",
        "The machine during the runs: load average (1 min) before each run "
        f"{spread(loads, '.2f')} (on {os.cpu_count()} cores; the audit itself keeps about one "
        f"core busy). Lighthouse's CPU benchmark index {spread(index, '.0f')} (higher is faster; "
        "a busy machine gives a lower index, longer tasks and a higher TBT). CPU share of the "
        f"page's main thread {spread(shares, '.2f')}.",
    ]
    if failures:
        lines += ["", f"Runs that failed ({len(failures)}, left out of the medians):", ""]
        lines += [f"- {f.splitlines()[0]}" for f in failures]
    warnings = sorted({w for r in all_runs for w in r["warnings"]})
    if warnings:
        lines += ["", "Lighthouse's warnings:", ""] + [f"- {w}" for w in warnings]
    if several:
        lines += ["", "Medians side by side (performance / LCP s / TBT ms / CPU share):", "",
                  "| page | " + " | ".join(sites) + " |",
                  "| --- |" + " ---: |" * len(sites)]
        first = next(iter(sites.values()))
        for path in first:
            cells = []
            for results in sites.values():
                rs = results[path]
                if not rs:
                    cells.append("–")
                    continue
                cells.append(f"{median([r['scores']['performance'] for r in rs]):.0f} / "
                             f"{median([r['lcp_ms'] for r in rs]) / 1000:.2f} / "
                             f"{median([r['tbt_ms'] for r in rs]):.0f} / "
                             f"{median([r['cpu_share'] for r in rs]):.2f}")
            lines.append(f"| `/{path}` | " + " | ".join(cells) + " |")
    for label, results in sites.items():
        lines += [""] + site_section(label, results, 2)
    return "\n".join(lines) + "\n"


@functools.cache
def chromium_version():
    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30)
        return out.stdout.strip() or "Chromium"
    except OSError:
        return "Chromium"


def write_atomic(path, text):
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


# ---------------------------------------------------------------- main

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--site", action="append", metavar="[LABEL=]DIR",
                   help="a built site folder (default: build the site into a temporary "
                        "folder); give it several times to compare sites, run by run in turn")
    p.add_argument("--runs", type=int, default=3, help="audits per page (default 3)")
    p.add_argument("--pages", nargs="+", metavar="PATH",
                   help='pages to audit, as URL paths below the site: "" or / for the home page, '
                        '"losses", "en/losses" (default: every page of both languages)')
    p.add_argument("--out", default="benchmarks/lighthouse.md",
                   help="the markdown report (default benchmarks/lighthouse.md; - for none)")
    p.add_argument("--reports", type=Path, default=TOOL_DIR / "reports",
                   help="folder for Lighthouse's JSON reports (default benchmarks/.lighthouse/"
                        "reports, git-ignored)")
    p.add_argument("--max-load", type=float, default=None,
                   help="before each run, wait (up to 10 minutes) until the 1-minute load average "
                        "is below this")
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error(f"--runs must be at least 1, got {args.runs}")
    sites = {}
    for spec in args.site or []:
        label, _, folder = spec.rpartition("=")
        folder = Path(folder)
        if not (folder / "index.html").is_file():
            p.error(f"--site {spec}: {folder} has no index.html; give the folder that "
                    "`mkdocs build` wrote (site/ by default), or leave --site out to build one")
        sites[label or str(folder)] = folder
    if len(sites) < len(args.site or []):
        p.error("--site: two sites with the same label; name them, e.g. --site before=DIR")
    args.sites = sites
    if not Path(CHROMIUM).is_file():
        p.error(f"Chromium not found at {CHROMIUM}: sudo apt-get install chromium, "
                "or set CHROME_PATH")
    return args


def wait_for_quiet(max_load):
    deadline = time.monotonic() + 600
    while max_load is not None and load_average() > max_load and time.monotonic() < deadline:
        time.sleep(5)


def choose_pages(wanted, sites):
    """The pages to audit: those asked for (or all of the first site's); each in every site."""
    first = next(iter(sites.values()))
    pages = site_pages(first)
    if wanted:
        pages = [w.strip("/") + "/" if w.strip("/") else "" for w in wanted]
    for label, site in sites.items():
        have = site_pages(site)
        unknown = [p for p in pages if p not in have]
        if unknown:
            sys.exit(f"no such page(s) in {label} ({site}): "
                     f"{', '.join('/' + p for p in unknown)}; it has: "
                     f"{', '.join('/' + p for p in have)}")
    return pages


def main(argv=None):
    args = parse_args(argv)
    command = lighthouse_command()
    started = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory(prefix="nnguide-lighthouse-") as tmp:
        sites = args.sites
        if not sites:
            sites = {"this tree": Path(tmp) / "site"}
            build_site(sites["this tree"])
        pages = choose_pages(args.pages, sites)
        servers = {label: serve(site, site_prefix()) for label, site in sites.items()}
        args.reports.mkdir(parents=True, exist_ok=True)
        results = {label: {path: [] for path in pages} for label in sites}
        failures = []
        out = None
        if args.out != "-":
            out = Path(args.out) if Path(args.out).is_absolute() else ROOT / args.out
        try:
            for run in range(1, args.runs + 1):
                for path in pages:
                    for n, (label, (_, base)) in enumerate(servers.items()):
                        wait_for_quiet(args.max_load)
                        before = load_average()
                        name = f"{(path.strip('/') or 'index').replace('/', '-')}-{run}"
                        json_out = args.reports / (f"{name}-site{n + 1}.json"
                                                   if len(sites) > 1 else f"{name}.json")
                        try:
                            report, facts = run_lighthouse(command, base + path, json_out)
                        except (RuntimeError, subprocess.TimeoutExpired) as exc:
                            failures.append(f"run {run}, {label}, /{path}: {exc}")
                            print(failures[-1], file=sys.stderr)
                            continue
                        r = summarize(report, facts, base, base + path, before, load_average())
                        results[label][path].append(r)
                        if out is not None:              # what is measured so far
                            write_atomic(out, report_markdown(results, run, started, failures))
                        print(f"run {run}/{args.runs} {label} /{path}: performance "
                              f"{r['scores']['performance']}, LCP {r['lcp_ms'] / 1000:.2f} s, "
                              f"TBT {r['tbt_ms']:.0f} ms, CPU share "
                              f"{num(r['cpu_share'], '.2f')}, load {before:.2f}", file=sys.stderr)
        finally:
            for server, _ in servers.values():
                server.shutdown()
        text = report_markdown(results, args.runs, started, failures)
    print(text)
    if out is not None:
        write_atomic(out, text)
        print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
