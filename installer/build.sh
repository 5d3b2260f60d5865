#!/usr/bin/env bash
# Build the one-folder bundle installer/dist/svf-redovisning/ with PyInstaller and, on Windows
# when Inno Setup's ISCC is found, the installer installer/dist/svf-redovisning-VERSION-setup.exe.
#
#   installer/build.sh            build (reusing PyInstaller's cache in installer/build/)
#   installer/build.sh --clean    build from nothing
#
# Needs uv; runs on Linux, and on Windows in Git Bash. Prints the build time and bundle size.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/installer/build
DIST=$ROOT/installer/dist
BUNDLE=$DIST/svf-redovisning

clean=()
if [ "${1:-}" = "--clean" ]; then
  clean=(--clean)
  rm -rf "$WORK" "$BUNDLE"
fi

start=$(date +%s)
# An environment of its own: the runtime dependencies and PyInstaller, no development tools.
# (In the shared .venv, any plain `uv sync` would remove PyInstaller again, even mid-build.)
export UV_PROJECT_ENVIRONMENT=$WORK/venv
echo "== uv sync --group bundle (in $UV_PROJECT_ENVIRONMENT)"
uv sync --group bundle --no-dev
version=$(uv run --no-sync python -c "import desktop_app; print(desktop_app.__version__)")

echo "== pyinstaller (SVF-redovisning $version)"
uv run --no-sync pyinstaller --noconfirm --log-level WARN "${clean[@]}" \
  --workpath "$WORK" --distpath "$DIST" installer/svf-redovisning.spec

iscc=""
if command -v iscc >/dev/null 2>&1; then
  iscc=iscc
elif [ -n "${ProgramFiles:-}" ] && [ -x "${ProgramFiles} (x86)/Inno Setup 6/ISCC.exe" ]; then
  iscc="${ProgramFiles} (x86)/Inno Setup 6/ISCC.exe"
fi
if [ -n "$iscc" ]; then
  echo "== Inno Setup"
  "$iscc" /Q "/DAppVersion=$version" installer/svf-redovisning.iss
fi
end=$(date +%s)

echo "== done"
echo "bundle:     $BUNDLE"
echo "version:    $version"
echo "build time: $((end - start)) s"
echo "size:       $(du -sh "$BUNDLE" | cut -f1) ($(find "$BUNDLE" -type f | wc -l) files)"
if [ -n "$iscc" ]; then
  ls -l "$DIST"/svf-redovisning-*-setup.exe
fi
