"""Images on touchpoints, notes and personas: the kinds accepted and the limits, one home each.

The domain has no image decoder. The few header bytes that hold a PNG's, JPEG's or
WebP's width and height are read here, so the files, the command line and the app
refuse the same images in the same words. The app downscales a picture (with Qt)
before it reaches the project, and keeps one that is within the limits byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The media types a project holds, and what people call them.
MEDIA_TYPES: dict[str, str] = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WebP"}
#: At most this many bytes per image: a phone photo is 2-5 MB as taken, well under
#: 1 MB once downscaled, so 8 MB only refuses what was never meant for a map.
IMAGE_BYTES_LIMIT = 8 * 1024 * 1024
#: At most this many pixels on the long side: 4K across, more than any screen shows
#: of a note or a persona.
IMAGE_SIDE_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class Image:
    """A picture stored in the project, which touchpoints, notes and personas name by id."""

    id: str
    media_type: str
    data: bytes = field(repr=False)  # megabytes in a message help no one

    def __repr__(self) -> str:
        return f"Image(id={self.id!r}, media_type={self.media_type!r}, {len(self.data):,} bytes)"


class ImageError(ValueError):
    """An image the project cannot hold; `field` is "media_type" or "data"."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def check_image(media_type: str, data: bytes) -> tuple[int, int]:
    """The image's (width, height) in pixels, after checking it is an image of a kind and
    size the project holds. Raises ImageError saying what is wrong and what to do."""
    kind = MEDIA_TYPES.get(media_type)
    if kind is None:
        accepted = ", ".join(MEDIA_TYPES)
        raise ImageError("media_type", f"must be one of {accepted}; convert the image to "
                                       "PNG, JPEG or WebP.")
    if len(data) > IMAGE_BYTES_LIMIT:
        held, limit = size_words(len(data)), size_words(IMAGE_BYTES_LIMIT)
        if held == limit:  # just over: the rounded figures would look equal
            held, limit = f"{len(data):,} bytes", f"{IMAGE_BYTES_LIMIT:,} bytes ({limit})"
        raise ImageError("data", f"is {held}; an image may be at most {limit}. Add it "
                                 "again in the app, which makes it smaller.")
    size = image_size(media_type, data)
    if size is None:
        raise ImageError("data", f"is not a {kind} image (its first bytes are not a "
                                 f"{kind} header). Add the picture again, or fix its "
                                 "media_type.")
    width, height = size
    if max(width, height) > IMAGE_SIDE_LIMIT:
        raise ImageError("data", f"is {width:,} × {height:,} pixels; an image may be at most "
                                 f"{IMAGE_SIDE_LIMIT:,} pixels on its long side. Add it again "
                                 "in the app, which makes it smaller.")
    return size


def size_words(size: int) -> str:
    """A byte count as people read it: 512 bytes, 340 KB, 8 MB, 9.5 MB."""
    if size < 1024:
        return f"{size:,} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


# -- reading the size from the header ----------------------------------------------------
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: JPEG markers that start a frame and give its size: SOF0-SOF15 but DHT, JPG and DAC.
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
#: JPEG markers with no length after them: TEM, RST0-RST7 and a second SOI.
_JPEG_BARE = frozenset({0x01, *range(0xD0, 0xD9)})


def image_size(media_type: str, data: bytes) -> tuple[int, int] | None:
    """(width, height) from the header of a PNG, JPEG or WebP, or None if `data` is not
    one with a size above zero."""
    readers = {"image/png": _png_size, "image/jpeg": _jpeg_size, "image/webp": _webp_size}
    reader = readers.get(media_type)
    size = reader(data) if reader is not None else None
    return size if size is not None and min(size) > 0 else None


def _png_size(data: bytes) -> tuple[int, int] | None:
    # The signature, then the IHDR chunk: length, "IHDR", width, height (big-endian).
    if len(data) < 24 or not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The size in the first frame header, found by walking the segments before it."""
    if not data.startswith(b"\xff\xd8"):
        return None
    at = 2
    while at + 1 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker in _JPEG_BARE:
            at += 2
            continue
        if marker in (0xD9, 0xDA):  # the end, or the scan, before any frame header
            return None
        if at + 4 > len(data):
            return None
        length = int.from_bytes(data[at + 2:at + 4], "big")
        if length < 2:
            return None
        if marker in _JPEG_FRAMES:
            if at + 9 > len(data):
                return None
            # length, precision, then height and width (big-endian).
            height = int.from_bytes(data[at + 5:at + 7], "big")
            width = int.from_bytes(data[at + 7:at + 9], "big")
            return width, height
        at += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    """The size of a lossy (VP8), lossless (VP8L) or extended (VP8X) WebP."""
    if len(data) < 30 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    chunk = data[12:16]
    if chunk == b"VP8 ":
        # A key frame: three bytes of frame tag, the start code, 14-bit sizes.
        if data[23:26] != b"\x9d\x01\x2a":
            return None
        return (int.from_bytes(data[26:28], "little") & 0x3FFF,
                int.from_bytes(data[28:30], "little") & 0x3FFF)
    if chunk == b"VP8L":
        if data[20] != 0x2F:
            return None
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        return (int.from_bytes(data[24:27], "little") + 1,
                int.from_bytes(data[27:30], "little") + 1)
    return None
