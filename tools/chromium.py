"""Debian's Chromium, started the same way by the tests, the PDF build and the benchmarks.

Playwright's own browser download does not work on the project's machines, so everything
drives Debian's ``chromium`` package (``NNGUIDE_CHROMIUM`` names another binary), with the
flags of ../shared/STACK.md: headless, no sandbox (CI runs as root), and no background
network traffic (on a closed network Chromium's own requests fail, many at a time).
"""

import os

PATH = os.environ.get("NNGUIDE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
HOW_TO_GET = ("install Debian's Chromium and fonts (apt-get install chromium fonts-noto-cjk; "
              "Playwright's own browser download does not work here) and "
              "pip install -e '.[browser]'")


def missing():
    """Why Chromium cannot be driven here (a sentence), or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ModuleNotFoundError:
        return f"playwright is not installed: {HOW_TO_GET}"
    if not os.path.isfile(PATH):
        return f"no Chromium at {PATH} (or set NNGUIDE_CHROMIUM): {HOW_TO_GET}"
    return None


def launch(playwright, extra_args=()):
    """A headless Chromium from ``sync_playwright()``."""
    return playwright.chromium.launch(executable_path=PATH, args=ARGS + list(extra_args))
