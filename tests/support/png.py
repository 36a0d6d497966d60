"""A strict reader of the PNG files the project writes: chunks, CRCs, header and pixel rows."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Png:
    """What a PNG holds: size, bit depth, colour type and the unfiltered rows of pixels."""

    width: int
    height: int
    bit_depth: int
    colour_type: int
    rows: list[bytes]

    def pixel(self, x: int, y: int) -> tuple[int, ...]:
        """The RGB of pixel (x, y)."""
        return tuple(self.rows[y][3 * x:3 * x + 3])


def read_png(data: bytes) -> Png:
    """Parse `data`, checking the signature, every chunk's CRC, IHDR first and IEND last, and
    that the image data holds one filter-0 row per line (as the project writes them)."""
    if not data.startswith(SIGNATURE):
        raise ValueError("not a PNG signature")
    at, chunks = len(SIGNATURE), []
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise ValueError(f"bad CRC in chunk {kind!r}")
        chunks.append((kind, body))
        at += 12 + length
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1] != (b"IEND", b""):
        raise ValueError("IHDR must come first and IEND last")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    if (depth, colour, interlace) != (8, 2, 0):
        raise ValueError(f"not 8-bit RGB without interlace: {depth}, {colour}, {interlace}")
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = 1 + 3 * width
    if len(raw) != stride * height:
        raise ValueError(f"image data of {len(raw)} bytes, not {stride * height}")
    lines = [raw[i:i + stride] for i in range(0, len(raw), stride)]
    if any(line[0] != 0 for line in lines):
        raise ValueError("a row uses a filter other than none")
    return Png(width, height, depth, colour, [line[1:] for line in lines])
