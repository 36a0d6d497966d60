"""The skill's icons: a white twitch trace on teal, drawn by code and written as PNG with zlib.

Alexa wants a 108x108 and a 512x512 PNG (`smallIconUri`, `largeIconUri`). `icon_png(size)` draws
the same picture at any size (edges anti-aliased), as 8-bit RGB without alpha; the bytes are
deterministic, so a test can check the committed files are current.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

SIZES = {"small": 108, "large": 512}
BACKGROUND = (15, 110, 120)
FOREGROUND = (255, 255, 255)
# The trace, in units of the icon's side: flat, a sharp twitch, flat again.
TRACE = ((0.16, 0.56), (0.36, 0.56), (0.45, 0.30), (0.56, 0.74), (0.64, 0.56), (0.84, 0.56))
STROKE = 0.055  # half the trace's width, in units of the side
SIGNATURE = b"\x89PNG\r\n\x1a\n"


def file_name(size: int) -> str:
    """The icon's file name under interaction_model/assets/images/."""
    return f"icon-{size}.png"


def _distance(x: float, y: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance from (x, y) to the segment a-b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    t = max(0.0, min(1.0, ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - a[0] - t * dx, y - a[1] - t * dy)


def pixels(size: int) -> list[bytes]:
    """The icon's rows of RGB bytes, each pixel blended by how much of it the trace covers."""
    segments = list(zip(TRACE, TRACE[1:], strict=False))
    rows = []
    for row in range(size):
        y = (row + 0.5) / size
        line = bytearray()
        for column in range(size):
            x = (column + 0.5) / size
            edge = min(_distance(x, y, a, b) for a, b in segments) - STROKE
            cover = max(0.0, min(1.0, 0.5 - edge * size))  # one pixel's width of soft edge
            line += bytes(round(bg + (fg - bg) * cover) for bg, fg in zip(BACKGROUND, FOREGROUND,
                                                                           strict=True))
        rows.append(bytes(line))
    return rows


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def icon_png(size: int) -> bytes:
    """The icon as a PNG file: 8-bit RGB, no interlace, each row unfiltered."""
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in pixels(size))
    return SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(
        b"IEND", b"")


def write_icons(folder: Path) -> list[Path]:
    """Write every icon into `folder` (created if missing); the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for size in SIZES.values():
        path = folder / file_name(size)
        path.write_bytes(icon_png(size))
        written.append(path)
    return written
