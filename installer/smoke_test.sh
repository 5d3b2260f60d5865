#!/usr/bin/env bash
# Smoke test of the bundle: builds it when it is missing or older than the sources (or always
# with --build), copies it to a temporary folder (so nothing can come from the checkout), and
# runs it offscreen with fresh user folders:
#   the command line: --version, demo, list, show, validate, excel-template, import, dump, load,
#     export (PDF with embedded fonts, Excel), demo-cert, certify, sign, verify (also with a trust
#     folder, when openssl is there to take the certificate out of the .p12), import-signed,
#     and the upgrade of an old database (Alembic migrations, backup copy);
#   the window: first start (demo database in the data folder), the main window, report 1 with
#     every step of the guided report (the charts), then closed by the hook SVF_SMOKE_QUIT_MS in
#     desktop_app/app.py.
# A command fails on an exit code it should not give, on a Python traceback or on the CLI's
# "unexpected error" message. Prints each step's time and the total; exit 0 when all passed.
#
#   installer/smoke_test.sh [--build]
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
ROOT=$PWD
BUNDLE=$ROOT/installer/dist/svf-redovisning

now() { date +%s%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }
t_start=$(now)

# Windows (Git Bash): .exe, .pyd/.dll, and the console executable for the window check, since
# the windowed one has no stderr to report on. Not tried yet; see installer/README.md.
case "$(uname -s)" in
  MINGW* | MSYS* | CYGWIN*) X=.exe MOD=pyd PLUG=dll PRE="" WINDOWS=1 ;;
  *) X="" MOD=so PLUG=so PRE=lib WINDOWS="" ;;
esac

stale=""
if [ -x "$BUNDLE/svf-report$X" ]; then
  stale=$(find desktop_app resources installer/svf-redovisning.spec installer/entry.py \
    pyproject.toml uv.lock -newer "$BUNDLE/svf-report$X" -type f -not -path "*/__pycache__/*" \
    -print -quit)
fi
if [ "${1:-}" = "--build" ] || [ ! -x "$BUNDLE/svf-report$X" ] || [ -n "$stale" ]; then
  echo "== building (${stale:+changed since the last build: }${stale:-no bundle yet, or --build})"
  installer/build.sh || { echo "FAIL: build"; exit 1; }
fi

TMP=$(mktemp -d -t svf-smoke.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
t_copy=$(now)
cp -a "$BUNDLE" "$TMP/app"
APP=$TMP/app
INTERNAL=$APP/_internal
CLI=$APP/svf-report$X
GUI=$APP/svf-redovisning$X
WINDOW=$GUI
[ -n "$WINDOWS" ] && WINDOW=$CLI
echo "== smoke test of $BUNDLE (copied to $APP in $(elapsed "$t_copy") s)"

# Fresh user folders; nothing from the developer's environment.
mkdir -p "$TMP/home" "$TMP/work"
export HOME=$TMP/home XDG_DATA_HOME=$TMP/home/data XDG_CONFIG_HOME=$TMP/home/config
export XDG_CACHE_HOME=$TMP/home/cache XDG_RUNTIME_DIR=$TMP/home/run TMPDIR=$TMP
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset SVF_REPORT_DB SVF_RESOURCES SVF_TRUST_DIR SVF_SMOKE_QUIT_MS SVF_SMOKE_OPEN_REPORT
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV
export QT_QPA_PLATFORM=offscreen
export SVF_P12_PASSWORD=smoke-test
cd "$TMP/work" || exit 2

failures=0
OUT=$TMP/out.txt

# check NAME "ALLOWED EXIT CODES" COMMAND...
check() {
  local name=$1 allowed=$2
  shift 2
  local t0 rc
  t0=$(now)
  timeout 180 "$@" >"$OUT" 2>&1
  rc=$?
  if [[ " $allowed " != *" $rc "* ]] ||
    grep -qE 'Traceback \(most recent|ett oväntat fel|Failed to execute script|\[PYI-[0-9]+:ERROR\]' "$OUT"; then
    echo "FAIL $name (exit $rc, $(elapsed "$t0") s): $*"
    sed 's/^/       /' "$OUT" | head -40
    failures=$((failures + 1))
    return 1
  fi
  printf 'ok   %-34s exit %s  %5s s  %s\n' "$name" "$rc" "$(elapsed "$t0")" \
    "$(grep -v 'propagateSizeHints' "$OUT" | head -1 | cut -c1-110)"
}

# expect NAME CONDITION-COMMAND...: a plain assertion on the bundle or on what a step wrote
expect() {
  local name=$1
  shift
  if "$@" >/dev/null 2>&1; then
    printf 'ok   %s\n' "$name"
  else
    echo "FAIL $name"
    failures=$((failures + 1))
  fi
}

# ------------------------------------------------------------------ the bundle's contents
[ -d "$INTERNAL/PySide6/Qt/plugins" ] && PLUGINS=$INTERNAL/PySide6/Qt/plugins || PLUGINS=$INTERNAL/PySide6/plugins
for d in templates schemas reference fonts icons; do
  expect "resources/$d in the bundle" test -n "$(ls -A "$INTERNAL/resources/$d" 2>/dev/null)"
done
n_src=$(find "$ROOT/desktop_app/storage/migrations/versions" -name '*.py' | wc -l)
n_bundle=$(find "$INTERNAL/desktop_app/storage/migrations/versions" -name '*.py' | wc -l)
expect "migrations: env.py and $n_src of $n_src versions" \
  test -f "$INTERNAL/desktop_app/storage/migrations/env.py" -a "$n_src" = "$n_bundle"
expect "QtCharts and QtSvg modules" \
  test -f "$INTERNAL/PySide6/QtCharts.abi3.$MOD" -a -f "$INTERNAL/PySide6/QtSvg.abi3.$MOD"
native=${PRE}qxcb
[ -n "$WINDOWS" ] && native=qwindows
expect "platform plugins offscreen and ${native#"${PRE}q"}" \
  test -f "$PLUGINS/platforms/${PRE}qoffscreen.$PLUG" -a -f "$PLUGINS/platforms/$native.$PLUG"
expect "image formats svg and ico" \
  test -f "$PLUGINS/imageformats/${PRE}qsvg.$PLUG" -a -f "$PLUGINS/imageformats/${PRE}qico.$PLUG"
unresolved=""
[ -z "$WINDOWS" ] && unresolved=$(
  cd "$INTERNAL" && find . -name '*.so*' -type f -print0 |
    LD_LIBRARY_PATH=$INTERNAL xargs -0 -n1 ldd 2>/dev/null |
    grep -E '^\s*lib(Qt6|icu|pyside6|shiboken6|python3).*not found' | sort -u
)
expect "every Qt/Python library a binary links to is in the bundle" test -z "$unresolved"
[ -n "$unresolved" ] && printf '%s\n' "$unresolved" | sed 's/^/       /'
expect "no link into the build machine" test -z "$(find "$APP" -xtype l)"

# ------------------------------------------------------------------ the command line
version=$(sed -nE 's/^__version__ = "(.*)"/\1/p' "$ROOT/desktop_app/__init__.py")
DB=$TMP/demo.sqlite3
check "svf-report --version" "0" "$CLI" --version
expect "version is $version" grep -qx "SVF-redovisning $version" "$OUT"
check "svf-redovisning --version" "0" "$GUI" --version
check "demo" "0" "$CLI" demo --db "$DB"
check "list" "0" "$CLI" list --db "$DB"
check "show --report 1" "0" "$CLI" show --report 1 --db "$DB"
check "validate --report 1" "0 1" "$CLI" validate --report 1 --db "$DB"
check "validate --report 2 --json" "0 1" "$CLI" validate --report 2 --json --db "$DB"
check "excel-template" "0" "$CLI" excel-template --region 25 --year 2024 --out mall.xlsx --db "$DB"
expect "excel-template wrote mall.xlsx" test -s mall.xlsx
check "excel-template --report 1" "0" \
  "$CLI" excel-template --region 01 --year 2024 --report 1 --out r1.xlsx --db "$DB"
check "import --report 1" "0 1" "$CLI" import --report 1 r1.xlsx --db "$DB"
check "dump --report 1" "0" "$CLI" dump --report 1 --out r1.json --db "$DB"
check "load" "0" "$CLI" load r1.json --db "$DB"
check "export (PDF, Excel)" "0" "$CLI" export --report 1 --out r1.pdf --xlsx r1-export.xlsx --db "$DB"
expect "the PDF embeds DejaVu Sans" grep -qa "DejaVu" r1.pdf
check "demo-cert" "0" "$CLI" demo-cert --name "Eva Ekonom" --out eva.p12 --db "$DB"
check "certify" "0" "$CLI" certify r1.pdf --alt 1 --name "Eva Ekonom" --title Ekonomichef \
  --phone 0920-12345 --email eva@example.se --p12 eva.p12 --out r1-intygad.pdf --db "$DB"
check "sign" "0" "$CLI" sign r1-intygad.pdf --name "Eva Ekonom" --p12 eva.p12 \
  --out r1-signerad.pdf --db "$DB"
check "verify" "0 1" "$CLI" verify r1-signerad.pdf --db "$DB"
if command -v openssl >/dev/null 2>&1; then
  # The demo certificate as a trusted root: --trust DIR, then the default trust folder.
  mkdir -p trust "$XDG_CONFIG_HOME/SVF-redovisning/betrodda-certifikat"
  openssl pkcs12 -in eva.p12 -nokeys -passin "pass:$SVF_P12_PASSWORD" -out trust/eva.pem 2>/dev/null
  check "verify --require-trusted (no CA)" "1" "$CLI" verify r1-signerad.pdf --require-trusted --db "$DB"
  check "verify --trust DIR" "0" "$CLI" verify r1-signerad.pdf --trust trust --require-trusted --db "$DB"
  cp trust/eva.pem "$XDG_CONFIG_HOME/SVF-redovisning/betrodda-certifikat/"
  check "verify (default trust folder)" "0" "$CLI" verify r1-signerad.pdf --require-trusted --db "$DB"
fi
check "import-signed" "0" "$CLI" import-signed r1-signerad.pdf --db "$DB"
cp "$ROOT/tests/fixtures/schema-0001.sqlite3" old.sqlite3
check "upgrade an old database" "0" "$CLI" list --db old.sqlite3
expect "backup copy before the upgrade" compgen -G "old.schema*.bak"
check "bad usage exits 2" "2" "$CLI" validate --db "$DB"

# ------------------------------------------------------------------ the window
export SVF_SMOKE_QUIT_MS=1500
check "window (first start)" "0" "$WINDOW"
grep '^SVF_SMOKE' "$OUT" | sed 's/^/       /'
expect "window shown with icon, svg and ico readers" \
  grep -qE '^SVF_SMOKE .*visible=True icon=True svg=True ico=True' "$OUT"
expect "first start made the user's own database in the data folder" \
  test -s "$XDG_DATA_HOME/SVF-redovisning/svf-redovisning.sqlite3"
check "the user's own database holds no report after the first start" "0" \
  "$CLI" list --db "$XDG_DATA_HOME/SVF-redovisning/svf-redovisning.sqlite3"
expect "no demo report in the user's own database" grep -q "Inga redovisningar" "$OUT"
export SVF_SMOKE_OPEN_REPORT=1
check "window on the example database, report 1" "0" env SVF_REPORT_DB="$DB" "$WINDOW"
unset SVF_SMOKE_QUIT_MS SVF_SMOKE_OPEN_REPORT
expect "every step of report 1 shown" \
  grep -qE '^SVF_SMOKE .*visible=True .*report=1 steps=[1-9]' "$OUT"

echo "== smoke test: $failures failed, total $(elapsed "$t_start") s"
[ "$failures" -eq 0 ]
