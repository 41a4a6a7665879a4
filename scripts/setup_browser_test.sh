#!/usr/bin/env bash
# Install what tests/test_browser.py needs, offline-capable afterwards:
#   - Debian's chromium (apt-get), driven by Playwright with executable_path=/usr/bin/chromium
#     (no `playwright install`: the Python package bundles its node driver, we bring the browser);
#   - Leaflet, jQuery, Bootstrap and the Leaflet plugins folium's map.html references, from the npm
#     registry, into tests/.browser_assets/ (gitignored). The test intercepts the CDN URLs and
#     serves these local copies, so the map loads with no internet.
# Rerun: bash scripts/setup_browser_test.sh   (idempotent; PYTHON=/path/to/python to pick the venv)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ASSETS="$REPO/tests/.browser_assets"
PYTHON="${PYTHON:-/work/venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON="$(command -v python3)"

if ! command -v chromium >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
fi
echo "chromium: $(chromium --version 2>/dev/null || echo missing)"

if ! command -v npm >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq npm >/dev/null
fi

if ! "$PYTHON" -c "import playwright" >/dev/null 2>&1; then
    "$PYTHON" -m pip install -q "playwright>=1.45"
fi
echo "playwright: $("$PYTHON" -c 'import importlib.metadata as m; print(m.version("playwright"))')"

# Versions match the CDN URLs in folium 0.20's templates (leaflet.awesome-markers 2.0.2 is not on
# npm; 2.0.5 is the same plugin). The test maps URLs to packages by name, so minor drift is fine.
mkdir -p "$ASSETS"
cd "$ASSETS"
[ -f package.json ] || echo '{"name": "heatmap-browser-assets", "private": true}' > package.json
npm install --no-audit --no-fund --loglevel=error --no-save \
    leaflet@1.9.3 jquery@3.7.1 bootstrap@5.2.2 leaflet.awesome-markers@2.0.5 \
    leaflet.fullscreen@3.0.0 leaflet-measure@2.1.7 leaflet-search@2.9.7 \
    @fortawesome/fontawesome-free@6.2.0
echo "assets: $ASSETS/node_modules ($(ls node_modules | wc -l) packages)"
