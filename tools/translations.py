"""Keep the two languages of every page from drifting apart: ``python tools/translations.py``.

Code, outputs, headings, images and formulas are held equal by
tests/test_site_sources.py; this checks the prose. ``tools/translations.json``
records, for every page, a hash of each language's prose (normalised: outside
code blocks, whitespace collapsed) as it was when the two last said the same
thing. When one language's prose changes and the other's does not, the check
fails and names the page; once the other language is updated,

    python tools/translations.py --sync PAGE [PAGE ...]

records the new state. The prose's structure is compared too: every section
has the same number of paragraphs, list items, table rows and admonitions in
every language.

``python tools/translations.py`` prints every problem (exit 1 if any).
"""

import argparse
import hashlib
import json
import sys
from collections import Counter

import pages
import site_layout

RECORD = site_layout.ROOT / "tools" / "translations.json"

# Sections whose structure may differ between languages, and why. Each entry must
# still differ (tests/test_site_sources.py checks that), so none outlives its reason.
KNOWN_DIFFERENCES = {}


def prose(page, lang):
    """The page's prose in ``lang``, normalised: one block a line, whitespace collapsed."""
    text = site_layout.source(page, lang).read_text(encoding="utf-8")
    return "\n".join(" ".join(block.text.split()) for block in pages.blocks(text))


def digest(page, lang):
    return hashlib.sha256(prose(page, lang).encode("utf-8")).hexdigest()[:16]


def structure(page, lang):
    """How many paragraphs, items, rows, admonitions each section has: a Counter."""
    text = site_layout.source(page, lang).read_text(encoding="utf-8")
    return Counter((block.section, block.kind) for block in pages.blocks(text)
                   if block.kind != "heading")


def page_names():
    return [site_layout.page_name(path) for path in
            site_layout.markdown_pages(site_layout.default_language())]


def load_record():
    if not RECORD.exists():
        return {}
    return json.loads(RECORD.read_text(encoding="utf-8"))


def sync_command(names):
    return f"python tools/translations.py --sync {' '.join(names)}"


def drift(page, record=None):
    """What changed in one language's prose but not in the other's since the last sync."""
    record = load_record() if record is None else record
    saved = record.get(page)
    if saved is None:
        return [f"{page}: not in {RECORD.name}; once its languages say the same thing, "
                f"run: {sync_command([page])}"]
    changed = [lang for lang in site_layout.languages() if saved.get(lang) != digest(page, lang)]
    if not changed:
        return []
    files = ", ".join(site_layout.source(page, lang).name for lang in changed)
    if len(changed) == len(site_layout.languages()):
        return [f"{page}: the prose of {files} changed since the last sync; if every "
                f"language says the same again, run: {sync_command([page])}"]
    unchanged = ", ".join(site_layout.source(page, lang).name
                          for lang in site_layout.languages() if lang not in changed)
    return [f"{page}: {files} changed since the last sync, {unchanged} did not. Update "
            f"{unchanged} to say the same, then run: {sync_command([page])}"]


def structure_differences(page):
    """Sections whose numbers of paragraphs, items, rows or admonitions differ."""
    counts = {lang: structure(page, lang) for lang in site_layout.languages()}
    first, *others = site_layout.languages()
    problems = []
    for other in others:
        keys = sorted(set(counts[first]) | set(counts[other]))
        for section, kind in keys:
            a, b = counts[first][section, kind], counts[other][section, kind]
            if a != b and (page, section) not in KNOWN_DIFFERENCES:
                problems.append(f"{page}, section #{section}: {a} {kind}(s) in {first}, "
                                f"{b} in {other}")
    return problems


def sync(names):
    """Record the current prose of ``names`` as in step."""
    unknown = sorted(set(names) - set(page_names()))
    if unknown:
        raise SystemExit(f"no such page: {', '.join(unknown)}; pages are: "
                         f"{', '.join(page_names())}")
    record = load_record()
    for page in names:
        record[page] = {lang: digest(page, lang) for lang in site_layout.languages()}
    text = json.dumps(dict(sorted(record.items())), indent=2, ensure_ascii=False) + "\n"
    partial = RECORD.with_suffix(".json.part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(RECORD)
    return record


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sync", nargs="+", metavar="PAGE",
                        help="record that the languages of PAGE say the same thing")
    args = parser.parse_args(argv)
    if args.sync:
        sync(args.sync)
        print(f"recorded {', '.join(args.sync)} in {RECORD.relative_to(site_layout.ROOT)}")
        return 0
    problems = [p for page in page_names() for p in drift(page) + structure_differences(page)]
    print("\n".join(problems) if problems else "every page's languages are in step")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
