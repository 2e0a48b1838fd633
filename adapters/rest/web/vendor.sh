#!/usr/bin/env bash
# Refreshes the vendored browser assets from their npm packages at pinned
# versions: Swagger UI (embedded in the server for /docs) and axe-core (the
# accessibility check of the browser test). Run from this directory after
# changing a version, then update the digests in assets_test.go.
set -euo pipefail
SWAGGER_UI=5.35.0
AXE_CORE=4.14.1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "swagger-ui-dist@$SWAGGER_UI" "axe-core@$AXE_CORE" >/dev/null)
mkdir -p "$tmp/s" "$tmp/a"
tar xzf "$tmp/swagger-ui-dist-$SWAGGER_UI.tgz" -C "$tmp/s"
tar xzf "$tmp/axe-core-$AXE_CORE.tgz" -C "$tmp/a"
cp "$tmp/s/package/swagger-ui-bundle.js" "$tmp/s/package/swagger-ui.css" assets/
cp "$tmp/s/package/LICENSE" assets/swagger-ui.LICENSE.txt
cp "$tmp/s/package/swagger-ui-bundle.js.LICENSE.txt" assets/
cp "$tmp/a/package/axe.min.js" ../testdata/axe.min.js
cp "$tmp/a/package/LICENSE" ../testdata/axe.LICENSE.txt
sha256sum assets/swagger-ui-bundle.js assets/swagger-ui.css ../testdata/axe.min.js
