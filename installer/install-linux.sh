#!/usr/bin/env bash
# Install the Linux bundle for one user (or, with PREFIX=/usr/local as root, for all users):
#   PREFIX/lib/svf-redovisning/                       the bundle (replaced whole on upgrade)
#   PREFIX/bin/svf-redovisning, PREFIX/bin/svf-report  links to its two executables
#   PREFIX/share/applications/svf-redovisning.desktop  the menu entry
#   PREFIX/share/icons/hicolor/*/apps/svf-redovisning.{png,svg}
#
#   installer/install-linux.sh [BUNDLE_DIR]     PREFIX defaults to ~/.local
#   installer/install-linux.sh --uninstall      removes the above; never the user's database
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-$HOME/.local}
NAME=svf-redovisning
DEST=$PREFIX/lib/$NAME
ICONS=$PREFIX/share/icons/hicolor
DESKTOP=$PREFIX/share/applications/$NAME.desktop

refresh_menus() {
  if command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$PREFIX/share/applications" || true
  fi
  if command -v gtk-update-icon-cache >/dev/null; then
    gtk-update-icon-cache -q -t "$ICONS" 2>/dev/null || true
  fi
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$DEST" "$DESKTOP" "${PREFIX:?}/bin/$NAME" "${PREFIX:?}/bin/svf-report"
  rm -f "$ICONS"/*/apps/$NAME.png "$ICONS/scalable/apps/$NAME.svg"
  refresh_menus
  echo "Removed $NAME from $PREFIX (the database in ~/.local/share/SVF-redovisning/ is kept)."
  exit 0
fi

BUNDLE=$(cd "${1:-$HERE/dist/$NAME}" && pwd)
[ -x "$BUNDLE/$NAME" ] || { echo "No bundle at $BUNDLE: run installer/build.sh first." >&2; exit 2; }
ICON_SRC=$BUNDLE/_internal/resources/icons

mkdir -p "$PREFIX/lib" "$PREFIX/bin" "$PREFIX/share/applications"
rm -rf "$DEST.new"
cp -a "$BUNDLE" "$DEST.new"
rm -rf "$DEST"
mv "$DEST.new" "$DEST"
ln -sfn "$DEST/$NAME" "$PREFIX/bin/$NAME"
ln -sfn "$DEST/svf-report" "$PREFIX/bin/svf-report"

for png in "$ICON_SRC/$NAME"-*.png; do
  size=${png##*-}
  size=${size%.png}
  install -Dm644 "$png" "$ICONS/${size}x${size}/apps/$NAME.png"
done
install -Dm644 "$ICON_SRC/$NAME.svg" "$ICONS/scalable/apps/$NAME.svg"

# The menu entry names the executable by its full path: PREFIX/bin need not be on PATH.
sed -e "s|^Exec=.*|Exec=$DEST/$NAME|" -e "s|^TryExec=.*|TryExec=$DEST/$NAME|" \
  "$HERE/$NAME.desktop" >"$DESKTOP"
chmod 644 "$DESKTOP"
refresh_menus
echo "Installed $("$DEST/svf-report" --version) in $DEST; menu entry $DESKTOP."
