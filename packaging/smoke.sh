#!/usr/bin/env bash
# Build the one-folder bundle from packaging/cx-mapper.spec into a temporary
# folder and check that it runs without a display: --version, export of the
# sample to a 2400 px wide PNG, an Excel workbook and a PowerPoint deck, and a
# round trip through a .cxmap file (which
# runs the Alembic migrations from inside the bundle). Exits non-zero on any
# failure; prints how long it took and how big the bundle is.
#
#   bash packaging/smoke.sh            # build, check, remove the temporary folder
#   bash packaging/smoke.sh --keep     # ... and keep the bundle (its path is printed)
#
# Needs PyInstaller in the venv: .venv/bin/pip install -e '.[bundle]'
# PYTHON may name another interpreter that has cx-mapper and PyInstaller.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
python="${PYTHON:-$repo/.venv/bin/python}"
keep=0
[[ "${1:-}" == "--keep" ]] && keep=1

started=$SECONDS
fail() {
    echo "smoke: FAILED: $*" >&2
    exit 1
}

if ! "$python" -c 'import PyInstaller' >/dev/null 2>&1; then
    fail "PyInstaller is not installed for $python; run: .venv/bin/pip install -e '.[bundle]'"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/cx-mapper-smoke.XXXXXX")"
cleanup() {
    if ((keep)); then
        echo "smoke: kept $work/dist/cx-mapper"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# --- build ---------------------------------------------------------------------
echo "smoke: building the bundle in $work"
if ! "$python" -m PyInstaller --noconfirm --clean --log-level WARN \
        --distpath "$work/dist" --workpath "$work/build" \
        packaging/cx-mapper.spec >"$work/build.log" 2>&1; then
    cat "$work/build.log" >&2
    fail "PyInstaller could not build the bundle"
fi
built=$SECONDS
bundle="$work/dist/cx-mapper"
app="$bundle/cx-mapper"
[[ -x "$app" ]] || fail "no executable at $app"

# What the spec leaves out must stay out (a new dependency can pull it back in).
for unwanted in _internal/tkinter _internal/matplotlib _internal/PySide6/QtWebEngineCore.abi3.so \
        _internal/PySide6/QtQml.abi3.so _internal/PySide6/QtQuick.abi3.so \
        _internal/PySide6/QtMultimedia.abi3.so _internal/PySide6/Qt3DCore.abi3.so \
        _internal/scipy/stats _internal/PySide6/Qt/plugins/platformthemes/libqgtk3.so; do
    [[ ! -e "$bundle/$unwanted" ]] || fail "the bundle carries $unwanted, which the spec excludes"
done
for wanted in _internal/resources/cx-mapper.svg _internal/resources/icons \
        _internal/projects/retail-omnichannel.json \
        _internal/cx_mapper/persistence/migrations/env.py \
        _internal/cx_mapper/persistence/migrations/script.py.mako \
        _internal/pptx/templates/default.pptx _internal/pptx/templates/notesMaster.xml; do
    [[ -e "$bundle/$wanted" ]] || fail "the bundle lacks $wanted"
done
compgen -G "$bundle/_internal/cx_mapper/persistence/migrations/versions/*.py" >/dev/null \
    || fail "the bundle lacks the migration scripts"

# --- run it as a user would, with no display and from another folder -------------
# A private HOME keeps the run away from the user's settings and recent files.
run() {
    (cd "$work" && env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM \
        HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" \
        XDG_DATA_HOME="$work/home/.local/share" XDG_CACHE_HOME="$work/home/.cache" \
        "$app" "$@")
}
mkdir -p "$work/home"

want_version="$("$python" -c 'import cx_mapper; print(cx_mapper.__version__)')"
version="$(run --version)" || fail "cx-mapper --version exited with $?"
[[ "$version" == "cx-mapper $want_version" ]] \
    || fail "cx-mapper --version printed '$version', expected 'cx-mapper $want_version'"
echo "smoke: $version"

sample="$repo/projects/retail-omnichannel.json"
png="$work/summary.png"
run export "$sample" --png "$png" || fail "cx-mapper export exited with $?"
[[ -s "$png" ]] || fail "export wrote no PNG at $png"
width="$("$python" - "$png" <<'EOF'
import struct
import sys

with open(sys.argv[1], "rb") as f:
    head = f.read(24)
if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
    sys.exit("not a PNG")
print(struct.unpack(">I", head[16:20])[0])
EOF
)" || fail "$png is not a PNG"
[[ "$width" == 2400 ]] || fail "the summary is $width px wide, expected 2400"
echo "smoke: export wrote a ${width} px wide summary"

# The workbook and the deck: openpyxl, python-pptx and its templates in the bundle.
run export "$sample" "$work/sample.xlsx" >/dev/null || fail "export to .xlsx exited with $?"
run export "$sample" "$work/sample.pptx" >/dev/null || fail "export to .pptx exited with $?"
"$python" - "$work/sample.xlsx" "$work/sample.pptx" <<'EOF' || fail "the workbook or the deck does not read back"
import sys

from openpyxl import load_workbook
from pptx import Presentation

assert "KPIs" in load_workbook(sys.argv[1]).sheetnames
assert len(Presentation(sys.argv[2]).slides) >= 8
EOF
echo "smoke: export wrote a workbook and a deck that read back"

# A .cxmap is made by the migrations, which Alembic reads as files from the bundle.
run convert "$sample" "$work/sample.cxmap" >/dev/null || fail "convert to .cxmap exited with $?"
run analyze "$work/sample.cxmap" --json >"$work/analysis.json" \
    || fail "analyze of the .cxmap exited with $?"
"$python" -c 'import json, sys; json.load(open(sys.argv[1]))' "$work/analysis.json" \
    || fail "analyze --json printed no JSON"
echo "smoke: .cxmap round trip and analyze work"

# The best plan for a budget needs scipy.optimize's MILP solver in the bundle.
run plan "$sample" --json >"$work/plan.json" || fail "cx-mapper plan exited with $?"
"$python" -c 'import json, sys; assert json.load(open(sys.argv[1]))["chosen"]' "$work/plan.json" \
    || fail "plan --json chose nothing for the sample"
echo "smoke: plan works"

size="$(du -sh "$bundle" | cut -f1)"
echo "smoke: OK: bundle $size; build $((built - started)) s, checks $((SECONDS - built)) s," \
    "total $((SECONDS - started)) s"
