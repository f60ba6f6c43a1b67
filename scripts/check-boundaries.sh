#!/usr/bin/env bash
# Fails when core/ includes a UI, device or network header. core/ must stay plain C++ and SQLite
# so the CLI, the kiosk, HQ and the tests can all reuse it unchanged.
# usage: check-boundaries.sh [DIR]   (default: the repository's core/)
set -euo pipefail
dir=${1:-"$(dirname "$0")/../core"}
pattern='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](imgui|backends/|SDL|libusb|hpdf|ZXing|httplib|curl/|boost/asio|asio|openssl/|zbar|libpq|pqxx)'
if hits=$(grep -rnE "$pattern" "$dir" --include='*.hpp' --include='*.h' --include='*.cpp' --include='*.cc'); then
    echo "check-boundaries: $dir includes headers it must not (UI, device or network):" >&2
    echo "$hits" >&2
    exit 1
fi
echo "check-boundaries: $dir is clean"
