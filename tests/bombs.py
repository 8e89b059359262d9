"""A decompression bomb made in the test: a PNG of 10,900 × 10,900 RGBA pixels (475 MB once
decoded) in under half a megabyte, built in well under a second without ever holding the pixels.

The deflate stream is one compressed block of 100 zero rows, flushed with ``Z_FULL_FLUSH`` (which
resets the compressor, so the same input compresses to the same bytes again) and repeated; the
zlib trailer's Adler-32 is computed over the real, never materialised pixel data.
"""

from __future__ import annotations

import struct
import zlib

ROWS_PER_BLOCK = 100


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(side: int = 10_900) -> bytes:
    assert side % ROWS_PER_BLOCK == 0
    block = bytes((1 + side * 4) * ROWS_PER_BLOCK)  # filter byte + RGBA per row, all zero
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    tail = deflate.flush(zlib.Z_FINISH)
    adler = 1
    for _ in range(side // ROWS_PER_BLOCK):
        adler = zlib.adler32(block, adler)
    stream = b"\x78\xda" + piece * (side // ROWS_PER_BLOCK) + tail + struct.pack(">I", adler)
    header = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)  # 8 bit, RGBA
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")
