"""One address, from where the site really lives; the wheel it serves; its downloads.

- No file of the repository names an address in a namespace the project does not
  control: the site's address and repository come from mkdocs.yml's ``site_url`` and
  ``repo_url``, filled in by the deploy workflow (tools/downloads.py).
- A local build (``built_site``) has no absolute address: the install section and every
  notebook's install cell point at the wheel with a relative path that resolves.
- A deployed build (``deployed_site``: the address of conftest's ``DEPLOYED`` and stand-ins
  for the offline copy and the PDFs) shows the wheel's absolute URL on the home pages and in
  every notebook, and links the downloads with relative links.
- The wheel in the built site installs (offline, into a folder) and runs.
"""

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError
from packaging.requirements import Requirement

import downloads
import site_layout

ROOT = site_layout.ROOT
LANGS = site_layout.languages()
WHEEL = site_layout.wheel_name()
SITE, REPO = "https://example.org/nnguide/", "https://git.example.org/readers/nnguide"

# Addresses a reader could follow into someone else's namespace. (Hosts reserved for
# examples, example.org and the like, and 127.0.0.1 are not anyone's.)
FORBIDDEN = {
    "an address that names nnguide on a host the project does not control":
        re.compile(r"\bhttps?://(?!(?:127\.0\.0\.1|localhost|(?:[\w-]+\.)*example\."
                   r"(?:org|com|net))[:/])[^\s\"'()<>`]*nnguide", re.I),
    "a GitHub Pages address (the site's own comes from the deploy)":
        re.compile(r"\bnnguide\.github\.io", re.I),
    "an install from a git URL (install the site's wheel, or from a clone)":
        re.compile(r"\bgit\+(?:https?|ssh|git)://", re.I),
    "an install of 'nnguide' by name from PyPI, where the name is not the project's":
        re.compile(r"\bpip install\s+(?:-U\s+)?[\"']?nnguide(?:\[[\w,]*\])?[\"']?(?=\s|$)(?!\s*@)",
                   re.I | re.M),
}


def repository_files():
    """The repository's files (tracked or new, not ignored)."""
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], cwd=ROOT, capture_output=True,
                             check=True).stdout
        names = [name for name in out.decode().split("\0") if name]
    except (OSError, subprocess.CalledProcessError):      # no git: walk, skipping the usual
        skip = {".git", ".venv", "site", "build", "dist", "node_modules", "__pycache__"}
        names = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
                 if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]
    return [ROOT / name for name in names if (ROOT / name).is_file()]


def test_no_address_in_a_namespace_the_project_does_not_control():
    files = repository_files()
    assert len(files) > 50 and ROOT / "mkdocs.yml" in files
    problems = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for what, pattern in FORBIDDEN.items():
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"{path.relative_to(ROOT)}:{line}: {what}: {m.group(0)!r}")
    assert not problems, "\n".join(problems)


# Written with "|" (removed before the check), so that this file itself passes the check.
@pytest.mark.parametrize("text", [
    'pip install "nnguide @ git+|https:|//github.com/someone/nnguide"',
    "see https:|//nnguide.|github.io/nnguide/",
    "git clone https:|//gitee.com/someone/nnguide",
    "pip install |nnguide",
    '%pip install "|nnguide[plots]"\n',
])
def test_the_forbidden_patterns_catch_what_they_should(text):
    text = text.replace("|", "")
    assert any(p.search(text) for p in FORBIDDEN.values()), text


@pytest.mark.parametrize("text", [
    site_layout.install_line("plots", f"{SITE}downloads/{WHEEL}"),
    site_layout.install_line(wheel="../downloads/" + WHEEL),
    "pip install nnguide-0.1.0-py3-none-any.whl",
    "http://127.0.0.1:8000/nnguide/",
])
def test_the_forbidden_patterns_let_the_projects_own_lines_pass(text):
    assert not any(p.search(text) for p in FORBIDDEN.values()), text


# ---------------------------------------------------------------- addresses and lines

def test_wheel_name_is_the_package_version():
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(),
                        re.M)[1]
    assert WHEEL == f"nnguide-{version}-py3-none-any.whl"


def test_wheel_address_with_and_without_the_site_address():
    assert site_layout.wheel_address(SITE, "en/gradient/index.html") == \
        f"{SITE}downloads/{WHEEL}"
    assert site_layout.wheel_address(SITE.rstrip("/"), "") == f"{SITE}downloads/{WHEEL}"
    assert site_layout.wheel_address("", "index.html") == f"downloads/{WHEEL}"
    assert site_layout.wheel_address("", "en/index.html") == f"../downloads/{WHEEL}"
    assert site_layout.wheel_address("", "en/gradient/index.html") == \
        f"../../downloads/{WHEEL}"
    assert site_layout.wheel_address("", "en/gradient.html") == f"../downloads/{WHEEL}"


def test_install_lines():
    url = f"{SITE}downloads/{WHEEL}"
    line = site_layout.install_line("plots", url)
    assert line == f'%pip install "nnguide[plots] @ {url}"'
    requirement = Requirement(line.split('"')[1])
    assert (requirement.name, requirement.extras, requirement.url) == ("nnguide", {"plots"}, url)
    assert site_layout.install_line(wheel=f"../downloads/{WHEEL}") == \
        f'%pip install "../downloads/{WHEEL}"'
    assert site_layout.install_line("plots") == '%pip install "..[plots]"'


# ---------------------------------------------------------------- the templated pages

def _install_section(markdown):
    start = markdown.index("{ #install }")
    return markdown[start:markdown.index("\n## ", start)]


def _variables(site_url="", repo_url="", served=(WHEEL,)):
    return {"site_url": site_url, "repo_url": repo_url, "wheel": WHEEL,
            "wheel_url": site_layout.wheel_address(site_url, "") if site_url else "",
            "downloads": {name: "1.0 MB" for name in served}}


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_without_an_address(lang):
    source = site_layout.source("index", lang).read_text(encoding="utf-8")
    page = _install_section(downloads.render(source, _variables()))
    assert "{{" not in page and "{%" not in page
    assert "://" not in page, page
    assert f"](downloads/{WHEEL})" in page and f"pip install {WHEEL}\n" in page
    assert "git clone" not in page and "pip install .\n" in page
    assert "nnguide-offline.zip" not in page and ".pdf" not in page


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_with_the_address_and_the_downloads(lang):
    source = site_layout.source("index", lang).read_text(encoding="utf-8")
    page = _install_section(downloads.render(
        source, _variables(SITE, REPO, (WHEEL,) + site_layout.OPTIONAL_DOWNLOADS)))
    assert f"pip install {SITE}downloads/{WHEEL}\n" in page
    assert f"pip install {WHEEL}\n" in page, "the download-first way stays"
    assert f"git clone {REPO} nnguide\ncd nnguide\npip install .\n" in page
    for name in site_layout.OPTIONAL_DOWNLOADS:
        assert f"](downloads/{name})" in page, name
    links = re.findall(r"\]\(([^)]+)\)", page)
    assert not [link for link in links if "://" in link], "downloads are linked relatively"


def test_only_templated_pages_hold_template_tags():
    for path in sorted(site_layout.DOCS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if site_layout.page_name(path) not in downloads.TEMPLATED_PAGES:
            assert "{{" not in text and "{%" not in text, (
                f"{path.name} holds {{{{ or {{%, which only pages in "
                f"tools/downloads.py's TEMPLATED_PAGES are rendered with")


def test_an_unknown_variable_stops_the_build():
    with pytest.raises(PluginError, match=r"index.zh.md: UndefinedError: 'wheel_adress'"):
        downloads.render("pip install {{ wheel_adress }}", _variables(), "index.zh.md")


# ---------------------------------------------------------------- notebooks and downloads

def test_training_notebooks_install_cell_is_filled_in():
    committed = (site_layout.DOCS / "notebook.en.ipynb").read_text(encoding="utf-8")
    url = f"{SITE}downloads/{WHEEL}"
    filled = json.loads(downloads.fill_install_cell(committed, url))
    nb = json.loads(committed)
    install = [n for n, c in enumerate(nb["cells"]) if site_layout.INSTALL_TAG in
               c["metadata"].get("tags", [])]
    assert install == [1]
    assert filled["cells"][1]["source"] == site_layout.install_line("plots", url)
    assert filled["cells"][2:] == nb["cells"][2:] and filled["metadata"] == nb["metadata"]
    nb["cells"][1]["source"] = ["pip install numpy"]
    with pytest.raises(PluginError, match="the install cell 'pip install numpy' is not"):
        downloads.fill_install_cell(json.dumps(nb), url)


def test_optional_downloads_come_only_from_the_named_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(downloads.DOWNLOADS_ENV, raising=False)
    assert downloads.optional_downloads() == {}
    (tmp_path / "nnguide.zh.pdf").write_bytes(b"%PDF")
    (tmp_path / "other.txt").write_text("not served")
    monkeypatch.setenv(downloads.DOWNLOADS_ENV, str(tmp_path))
    assert downloads.optional_downloads() == {"nnguide.zh.pdf": tmp_path / "nnguide.zh.pdf"}
    monkeypatch.setenv(downloads.DOWNLOADS_ENV, str(tmp_path / "missing"))
    with pytest.raises(PluginError, match=r"NNGUIDE_DOWNLOADS=.*missing.* is not a folder"):
        downloads.optional_downloads()


def test_human_size():
    assert [downloads.human_size(n) for n in (999, 44_032, 5_200_000)] == \
        ["999 B", "44.0 KB", "5.2 MB"]


# ---------------------------------------------------------------- the built sites

_HREF = re.compile(r'\bhref="([^"]+)"')
_INSTALL_SECTION = re.compile(r'id="install".*?(?=<h2 )', re.S)


def _install_cells(site):
    """``{notebook path: the source of its install cell}`` of every notebook in a site."""
    cells = {}
    for path in sorted(site.rglob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        found = [c for c in nb["cells"]
                 if site_layout.INSTALL_TAG in c.get("metadata", {}).get("tags", [])]
        assert len(found) == 1, f"{path.relative_to(site)}: {len(found)} install cells"
        source = found[0]["source"]
        cells[path] = "".join(source) if isinstance(source, list) else source
    return cells


def test_a_local_build_has_no_absolute_address(built_site):
    for lang in LANGS:
        page = built_site / site_layout.url_for("index", lang) / "index.html"
        html = page.read_text(encoding="utf-8")
        section = _INSTALL_SECTION.search(html).group(0)
        assert "://" not in section, section
        links = [h for h in _HREF.findall(section) if "downloads/" in h]
        assert links == [site_layout.wheel_address("", site_layout.url_for("index", lang) + "x")]
        assert (page.parent / links[0]).resolve() == built_site / "downloads" / WHEEL
        assert 'rel="canonical"' not in html
        assert "nnguide-offline.zip" not in html and ".pdf" not in html
    cells = _install_cells(built_site)
    assert len(cells) >= 2 * 7, sorted(cells)
    for path, source in cells.items():
        assert "://" not in source, f"{path.relative_to(built_site)}: {source}"
        wheel = source.split('"')[1].removesuffix("[plots]")
        assert (path.parent / wheel).resolve() == built_site / "downloads" / WHEEL, source
    assert {p.name for p in (built_site / "downloads").iterdir()} == {WHEEL}


def test_the_sites_wheel_installs_offline_and_runs(built_site, tmp_path):
    wheel = built_site / "downloads" / WHEEL
    with zipfile.ZipFile(wheel) as zf:
        metadata = zf.read(WHEEL.removesuffix("-py3-none-any.whl") + ".dist-info/METADATA")
    metadata = metadata.decode()
    for line in ("Name: nnguide", "Requires-Dist: numpy", "Provides-Extra: plots"):
        assert line in metadata, line
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index",
                    "--quiet", "--target", str(target), str(wheel)], check=True)
    env = dict(os.environ, PYTHONPATH=str(target))
    code = ("import nnguide, importlib.metadata as m; "
            "print(nnguide.__file__); print(m.version('nnguide'))")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path,
                         capture_output=True, text=True, check=True).stdout.split()
    assert Path(out[0]).is_relative_to(target), "imported from the installed wheel"
    help_text = subprocess.run([sys.executable, "-m", "nnguide", "--help"], env=env,
                               cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert "download" in help_text and "train" in help_text


def test_a_deployed_build_uses_its_address(deployed_site):
    site, env = deployed_site.site, deployed_site.env
    url = env["NNGUIDE_SITE_URL"] + "downloads/" + WHEEL
    for lang in LANGS:
        page = site / site_layout.url_for("index", lang) / "index.html"
        html = page.read_text(encoding="utf-8")
        section = _INSTALL_SECTION.search(html).group(0)
        text = re.sub(r"<[^>]+>", "", section)
        assert f"pip install {url}\n" in text
        assert f"git clone {env['NNGUIDE_REPO_URL']} nnguide" in text
        links = [h for h in _HREF.findall(section) if "downloads/" in h]
        names = [link.rsplit("/", 1)[1] for link in links]
        assert sorted(names) == sorted((WHEEL,) + site_layout.OPTIONAL_DOWNLOADS), links
        for link in links:
            assert "://" not in link, link
            assert (page.parent / link).resolve().is_file(), link
        assert f'<link rel="canonical" href="{env["NNGUIDE_SITE_URL"]}' in html
        repo = re.search(r'<a href="([^"]*)"[^>]*class="md-source"[^>]*>', html)
        assert repo and repo[1] == env["NNGUIDE_REPO_URL"]
        assert 'data-md-component="source"' not in html, "no call to the forge's API"
    for name in site_layout.OPTIONAL_DOWNLOADS:
        served = site / "downloads" / name
        assert served.read_bytes() == (deployed_site.downloads / name).read_bytes(), name
    cells = _install_cells(site)
    assert len(cells) >= 2 * 7
    for path, source in cells.items():
        extras = "[plots]" if path.name.startswith("notebook.") else ""
        assert source == f'%pip install "nnguide{extras} @ {url}"', path.relative_to(site)
    for lang in LANGS:
        html = (site / site_layout.url_for("notebook", lang) / "index.html").read_text(
            encoding="utf-8")
        assert url in html, "the notebook page shows the filled-in install cell"
