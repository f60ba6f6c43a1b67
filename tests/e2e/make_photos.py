#!/usr/bin/env python3
"""Writes test photos for the kiosk: for each VIN given on stdin, VIN.png and VIN-2.png (small
gradient pictures in two colours), plus one corrupt file, into the folder given as argument.
Pure standard library (zlib), so the e2e test needs nothing beyond python3."""
import struct
import sys
import zlib
from pathlib import Path


def png(width, height, rgb_top, rgb_bottom):
    rows = []
    for y in range(height):
        t = y / max(1, height - 1)
        px = bytes(int(a + (b - a) * t) for a, b in zip(rgb_top, rgb_bottom))
        rows.append(b"\0" + px * width)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for vin in (line.strip() for line in sys.stdin):
        if not vin:
            continue
        (out / f"{vin}.png").write_bytes(png(320, 180, (40, 90, 200), (10, 20, 40)))
        (out / f"{vin}-2.png").write_bytes(png(320, 180, (200, 60, 40), (40, 10, 10)))
    (out / "NOTAPHOTO00000000.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not a JPEG")


if __name__ == "__main__":
    main()
