#!/usr/bin/env bash
# Rerenders the README's kiosk screenshots into docs/screenshots/ from a fresh demo database.
# usage: scripts/screenshots.sh [BUILD_DIR=build/dev]   (run `make` first)
# The demo's history ends today, as `make run`'s does: the kiosk's dashboard reads the real clock.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/tools/showroom" --db "$work/demo.db" demo seed --vehicles 400 --seed 7 --as-of "$(date -u +%F)" > /dev/null
# A customer for the deal-desk picture.
"$build/tools/showroom" --db "$work/demo.db" customer add --first Jane --last Sample --phone 555-010-2000 \
    --consent-contact > /dev/null
"$build/kiosk/showroom-kiosk" --headless --db "$work/demo.db" --width 1280 --height 720 \
    --script tests/e2e/scripts/readme_tour.script --screenshots docs/screenshots
# The same kiosk on a portrait screen.
"$build/kiosk/showroom-kiosk" --headless --db "$work/demo.db" --width 720 --height 1280 \
    --script tests/e2e/scripts/portrait.script --screenshots "$work/portrait"
cp "$work/portrait/portrait_detail.png" docs/screenshots/portrait_detail.png
# Cars at the other showrooms, and the manager's dashboard.
"$build/kiosk/showroom-kiosk" --headless --db "$work/demo.db" --width 1280 --height 720 \
    --script tests/e2e/scripts/network_stock.script --screenshots "$work/network"
cp "$work/network/network_strip.png" docs/screenshots/network.png
staff() { sqlite3 "$work/demo.db" "SELECT name FROM staff WHERE role = '$1' AND active = 1 AND store_id = (SELECT value
    FROM settings WHERE key = 'local_store_id') ORDER BY name LIMIT 1"; }
python3 tests/e2e/dashboard_values.py "$work/demo.db" > "$work/dashboard_values.sed"
sed -f "$work/dashboard_values.sed" -e "s/@SALES@/$(staff sales)/g" -e "s/@MANAGER@/$(staff manager)/g" \
    tests/e2e/scripts/dashboard.script > "$work/dashboard.script"
"$build/kiosk/showroom-kiosk" --headless --db "$work/demo.db" --width 1280 --height 720 \
    --script "$work/dashboard.script" --screenshots "$work/dashboard"
cp "$work/dashboard/dashboard_last_3_months.png" docs/screenshots/dashboard.png
ls -1 docs/screenshots
