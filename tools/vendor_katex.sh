#!/usr/bin/env bash
# Refresh the KaTeX files of the site (math renders with no network). Takes the npm
# package "katex" and keeps the minified style and the woff2 fonts, which the pages
# load, and the minified script, which tools/katex_math.py runs while the site is
# built (the pages do not load it).
set -euo pipefail
version="${1:-0.16.47}"
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "katex@$version" >/dev/null && tar xzf katex-*.tgz)
dest="$here/docs/assets/katex"
rm -rf "$dest" && mkdir -p "$dest/fonts"
cp "$tmp"/package/dist/katex.min.{js,css} "$dest/"
cp "$tmp"/package/dist/fonts/*.woff2 "$dest/fonts/"
cp "$tmp"/package/LICENSE "$dest/LICENSE"
echo "KaTeX $version vendored into $dest"
