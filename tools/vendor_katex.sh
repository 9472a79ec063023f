#!/usr/bin/env bash
# Refresh the KaTeX files that the site serves itself (math renders with no network).
# Takes the npm package "katex" and keeps only what the pages load: the minified
# script and style, the auto-render extension and the woff2 fonts.
set -euo pipefail
version="${1:-0.16.47}"
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "katex@$version" >/dev/null && tar xzf katex-*.tgz)
dest="$here/docs/assets/katex"
rm -rf "$dest" && mkdir -p "$dest/fonts" "$dest/contrib"
cp "$tmp"/package/dist/katex.min.{js,css} "$dest/"
cp "$tmp"/package/dist/contrib/auto-render.min.js "$dest/contrib/"
cp "$tmp"/package/dist/fonts/*.woff2 "$dest/fonts/"
cp "$tmp"/package/LICENSE "$dest/LICENSE"
echo "KaTeX $version vendored into $dest"
