#!/usr/bin/env bash
# The single list of Debian packages Showroom needs to build, run and test.
# Installs only what is missing; safe to run any number of times. Needs root (or sudo).
set -euo pipefail

packages=(
    # toolchain
    build-essential cmake make pkg-config python3
    # core
    libsqlite3-dev sqlite3 nlohmann-json3-dev libsodium-dev
    # tools
    libcli11-dev
    # kiosk: Dear ImGui + SDL2, Mesa for headless OpenGL, fonts (Latin + Chinese), image writing
    libimgui-dev libsdl2-dev libgl1-mesa-dri libegl1 fonts-dejavu-core fonts-wqy-microhei libstb-dev
    # devices: PDF contracts (libharu, a CJK font that embeds completely), scanners (libusb, ZXing-cpp)
    libhpdf-dev fonts-arphic-uming libusb-1.0-0-dev libzxing-dev
    # the virtual receipt printer draws the QR codes it prints
    libqrencode-dev
    # sync: HTTPS (cpp-httplib, OpenSSL), PostgreSQL for headquarters (and its server for the tests)
    libcpp-httplib-dev libssl-dev openssl libpq-dev postgresql-15
    # tests and benchmarks (PDF checks, barcode fixtures, emulated USB devices)
    qpdf poppler-utils zint umockdev libumockdev-dev
    # peer decoder for the barcode benchmark
    zbar-tools libzbar-dev
    libgtest-dev libgmock-dev libbenchmark-dev
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when they are absent or older than a day.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
    $sudo apt-get update -qq
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
