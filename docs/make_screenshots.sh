#!/usr/bin/env bash
# Screenshots of the running application under Xvfb (a real X server, 1366x768).
# Needs: xvfb and the Qt xcb libraries (see README, "System packages").
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-screenshots}"
QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x768x24" uv run python docs/make_screenshots.py "$out" "${2:-25}"
