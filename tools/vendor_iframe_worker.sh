#!/usr/bin/env bash
# Refresh the iframe-worker shim that the offline copy loads instead of unpkg.com's
# (mkdocs.offline.yml, extra.polyfills). Takes shim/index.js and LICENSE from the npm package.
set -euo pipefail
version="${1:-1.0.4}"
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "iframe-worker@$version" >/dev/null && tar xzf iframe-worker-*.tgz)
dest="$here/overrides/assets/javascripts/iframe-worker"
mkdir -p "$dest"
cp "$tmp/package/shim/index.js" "$dest/shim.js"
cp "$tmp/package/LICENSE" "$dest/LICENSE"
echo "iframe-worker $version vendored into $dest"
