"""Build the offline copy: the whole bilingual site as files that work from disk.

    python tools/build_offline.py [--site-dir build/offline] [--zip dist/nnguide-offline.zip]

Runs ``mkdocs build --strict -f mkdocs.offline.yml`` into ``--site-dir`` (page links end
in ``.html``, the search index is inlined, the iframe-worker shim is the site's own copy), then
packs that folder into ``--zip`` under one top folder, ``nnguide-offline/``: unzip it and open
``nnguide-offline/index.html`` in a browser. ``tools/build_pdf.py`` prints the PDFs from the
same site folder. Links that notebook pages carry for the site's directory URLs
(``../training/``) are pointed at the ``.html`` files. What only a web server needs (source
maps, the 404 page, sitemaps) is left out of the zip. The zip is written to a temporary file
and renamed, so a failed or interrupted run never leaves a half-written zip under the final
name.
"""

import argparse
import os
import posixpath
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "mkdocs.offline.yml"
TOP = "nnguide-offline"
# Only useful on a web server: source maps (developer tools), the 404 page (its links are
# absolute) and the sitemaps (absolute addresses).
LEFT_OUT = re.compile(r"(\.map|(^|/)404\.html|^sitemap\.xml(\.gz)?)$")
_HREF = re.compile(r'\bhref="(?P<ref>[^"]*)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^/|^#")
README = """nnguide: how a neural network learns (offline copy)
nnguide · 神经网络的学习（离线版）

打开 index.html（中文）或 en/index.html（English），无需联网。
Open index.html (Chinese) or en/index.html (English) in a web browser. No network needed.
"""


def build_site(site_dir, config=CONFIG):
    """``mkdocs build --strict`` with the offline configuration into ``site_dir``."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
           "--config-file", str(config), "--site-dir", str(site_dir)]
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"mkdocs build --strict -f {config.name} failed "
                         f"(exit {result.returncode}):\n{result.stderr[-5000:]}")
    for needed in ("index.html", "en/index.html", "search/search_index.js"):
        if not (Path(site_dir) / needed).is_file():
            raise SystemExit(f"the offline build in {site_dir} has no {needed}; "
                             f"is the `offline` plugin listed in {config.name}?")


def fix_directory_links(site_dir):
    """Point links written for directory URLs at the offline copy's ``.html`` files.

    mkdocs rewrites the links of Markdown pages, but not those inside a notebook's
    Markdown cells: ``[...](../training/)`` works on the site (the notebook page is
    ``notebook/``) but leads out of the offline copy (the page is ``notebook.html``).
    A relative link ending in ``/`` that does not resolve is read as written for the
    page's directory URL and pointed at that page's ``.html`` file. Returns the fixes."""
    site_dir = Path(site_dir)
    fixes = []
    for html in sorted(site_dir.rglob("*.html")):
        rel = html.relative_to(site_dir).as_posix()
        page_url = rel[: -len("index.html")] if rel.endswith("index.html") else rel[:-5] + "/"

        def fix(match):
            ref = match["ref"]
            path, _, fragment = ref.partition("#")
            if _SCHEME.match(ref) or not path.endswith("/") or (html.parent / path).is_file():
                return match.group(0)
            target = urllib.parse.urlsplit(urllib.parse.urljoin("http://s/" + page_url, path))
            target = target.path.lstrip("/")
            for candidate in (target.rstrip("/") + ".html", target + "index.html"):
                if candidate != ".html" and (site_dir / candidate).is_file():
                    new = posixpath.relpath(candidate, posixpath.dirname(rel) or ".")
                    new += f"#{fragment}" if fragment else ""
                    fixes.append(f"{rel}: {ref} -> {new}")
                    return f'href="{new}"'
            return match.group(0)

        text = html.read_text(encoding="utf-8")
        fixed = _HREF.sub(fix, text)
        if fixed != text:
            html.write_text(fixed, encoding="utf-8")
    return fixes


def write_zip(site_dir, zip_path):
    """Pack ``site_dir`` into ``zip_path`` below ``nnguide-offline/``; returns the file count."""
    site_dir, zip_path = Path(site_dir), Path(zip_path)
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in site_dir.rglob("*")
                   if p.is_file() and not LEFT_OUT.search(p.relative_to(site_dir).as_posix()))
    fd, tmp = tempfile.mkstemp(prefix=zip_path.name + ".", suffix=".tmp", dir=zip_path.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            z.writestr(f"{TOP}/README.txt", README)
            for path in files:
                z.write(path, f"{TOP}/{path.relative_to(site_dir).as_posix()}")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, zip_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(files) + 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-dir", type=Path, default=ROOT / "build" / "offline",
                        help="where the offline site is built (default: build/offline)")
    parser.add_argument("--zip", type=Path, default=ROOT / "dist" / "nnguide-offline.zip",
                        help="the zip to write (default: dist/nnguide-offline.zip)")
    args = parser.parse_args(argv)
    t0 = time.monotonic()
    build_site(args.site_dir)
    for fix in fix_directory_links(args.site_dir):
        print(f"  link fixed: {fix}")
    t1 = time.monotonic()
    count = write_zip(args.site_dir, args.zip)
    t2 = time.monotonic()
    print(f"{args.zip}: {count} files, {args.zip.stat().st_size / 1e6:.2f} MB "
          f"(site built in {t1 - t0:.1f} s, zipped in {t2 - t1:.1f} s)")


if __name__ == "__main__":
    main()
