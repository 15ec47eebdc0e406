"""The few facts Telegram reads from an uploaded photo: its format and its dimensions."""

from __future__ import annotations

import struct

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The longest side of each size Telegram makes of a photo (s, m, x, y, w); the original is
# the largest size when it is smaller than the next box.
PHOTO_BOXES = (90, 320, 800, 1280, 2560)
# sendPhoto: "The photo's width and height must not exceed 10000 in total. Width and height
# ratio must be at most 20." (core.telegram.org/bots/api#sendphoto)
MAX_PHOTO_SIDES = 10_000
MAX_PHOTO_RATIO = 20


def image_size(content: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG or JPEG; None for anything Telegram could not process."""
    if content.startswith(PNG_SIGNATURE) and content[12:16] == b"IHDR":
        width, height = struct.unpack(">II", content[16:24])
        return width, height
    if content.startswith(b"\xff\xd8"):
        return _jpeg_size(content)
    return None


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    position = 2
    while position + 9 < len(content):
        if content[position] != 0xFF:
            return None
        marker = content[position + 1]
        (length,) = struct.unpack(">H", content[position + 2 : position + 4])
        # SOF0-SOF15 carry the size, except DHT (C4), JPG (C8) and DAC (CC).
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", content[position + 5 : position + 9])
            return width, height
        position += 2 + length
    return None


def valid_photo_dimensions(width: int, height: int) -> bool:
    if width <= 0 or height <= 0 or width + height > MAX_PHOTO_SIDES:
        return False
    return max(width, height) / min(width, height) <= MAX_PHOTO_RATIO


def photo_size_dimensions(width: int, height: int) -> list[tuple[int, int]]:
    """The sizes Telegram returns for a photo, smallest first, ending with the original."""
    sizes = []
    longest = max(width, height)
    for box in PHOTO_BOXES:
        if longest <= box:
            break
        scale = box / longest
        sizes.append((max(1, round(width * scale)), max(1, round(height * scale))))
    sizes.append((width, height))
    return sizes
