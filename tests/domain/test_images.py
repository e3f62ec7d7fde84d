"""Image sizes from the header alone, checked against Qt's own reader, and the limits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage, QImageReader, QImageWriter

from cx_mapper.domain.images import (
    IMAGE_BYTES_LIMIT,
    IMAGE_SIDE_LIMIT,
    MEDIA_TYPES,
    ImageError,
    check_image,
    image_size,
    size_words,
)
from tests.factories import IMAGE_FILES, image_file, png_bytes

QT_FORMATS = {"image/png": b"PNG", "image/jpeg": b"JPEG", "image/webp": b"WEBP"}


def encoded(width: int, height: int, media_type: str, *, quality: int = 80,
            alpha: bool = False, progressive: bool = False) -> bytes:
    """An image of the size, written by Qt as a program or a camera would."""
    image = QImage(width, height, QImage.Format.Format_ARGB32 if alpha
                   else QImage.Format.Format_RGB32)
    image.fill(QColor(30, 120, 200, 100 if alpha else 255))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QT_FORMATS[media_type])
    writer.setQuality(quality)
    writer.setProgressiveScanWrite(progressive)
    assert writer.write(image), writer.errorString()
    return bytes(data.data())


def qt_size(data: bytes) -> tuple[int, int]:
    buffer = QBuffer()
    buffer.setData(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    size = QImageReader(buffer).size()
    return size.width(), size.height()


@pytest.mark.parametrize(("media_type", "options"), [
    ("image/png", {}), ("image/png", {"alpha": True}),
    ("image/jpeg", {}), ("image/jpeg", {"progressive": True}),
    ("image/webp", {}), ("image/webp", {"quality": 100}), ("image/webp", {"alpha": True}),
], ids=["png", "png-alpha", "jpeg", "jpeg-progressive", "webp-lossy", "webp-lossless",
        "webp-alpha"])
@pytest.mark.parametrize("size", [(1, 1), (640, 480), (3, 1000), (4096, 2), (4097, 3)])
def test_the_header_gives_the_size_qt_reads(qapp: object, media_type: str,
                                            options: dict[str, object],
                                            size: tuple[int, int]) -> None:
    data = encoded(*size, media_type, **options)  # type: ignore[arg-type]

    assert image_size(media_type, data) == size
    # Qt cannot read back the tiniest lossless WebP it writes (6.11); the rest it reads.
    assert qt_size(data) in (size, (-1, -1) if size == (1, 1) else size)


def test_the_committed_sample_images_read_as_their_kind() -> None:
    for name, media_type in IMAGE_FILES.items():
        assert check_image(media_type, image_file(name)) == qt_size(image_file(name))


def test_an_image_within_the_limits_passes() -> None:
    assert check_image("image/png", png_bytes(IMAGE_SIDE_LIMIT, 1)) == (IMAGE_SIDE_LIMIT, 1)


@pytest.mark.parametrize(("media_type", "data", "field", "words"), [
    ("image/gif", b"GIF89a\x01\x00\x01\x00", "media_type", "must be one of image/png"),
    ("image/png", png_bytes(IMAGE_SIDE_LIMIT + 1, 2), "data", "4,097 × 2 pixels"),
    ("image/png", png_bytes(3, 5000), "data", "at most 4,096 pixels on its long side"),
    ("image/jpeg", png_bytes(3, 3), "data", "is not a JPEG image"),
    ("image/webp", b"RIFF\x00\x00\x00\x00WEBPVP8 " + bytes(20), "data", "not a WebP image"),
    ("image/png", b"", "data", "not a PNG image"),
    ("image/png", png_bytes(3, 3) + bytes(IMAGE_BYTES_LIMIT), "data", "bytes; an image may "
     "be at most 8,388,608 bytes (8 MB)"),
    ("image/png", png_bytes(3, 3) + bytes(2 * IMAGE_BYTES_LIMIT), "data", "is 16 MB; an "
     "image may be at most 8 MB"),
])
def test_an_image_past_a_limit_says_which_and_what_to_do(
        media_type: str, data: bytes, field: str, words: str) -> None:
    with pytest.raises(ImageError) as refused:
        check_image(media_type, data)
    assert refused.value.field == field
    assert words in str(refused.value)


def test_a_picture_of_zero_pixels_is_no_picture() -> None:
    assert image_size("image/png", png_bytes(0, 5)) is None


@settings(max_examples=300)
@given(st.sampled_from(sorted(MEDIA_TYPES)), st.binary(max_size=64),
       st.integers(0, 40), st.binary(max_size=40))
def test_any_bytes_give_a_size_or_none_never_an_exception(
        media_type: str, tail: bytes, cut: int, junk: bytes) -> None:
    """Damaged, cut short or made-up images: the header reader never fails."""
    headers = {"image/png": png_bytes(2, 2), "image/jpeg": image_file("tiny.jpg"),
               "image/webp": image_file("tiny.webp")}
    start = headers[media_type][:cut]
    for data in (start + tail, start + junk + tail, b"\xff\xd8" + junk, b"RIFF" + junk):
        size = image_size(media_type, data)
        assert size is None or (size[0] > 0 and size[1] > 0)


def test_sizes_in_words() -> None:
    assert [size_words(n) for n in (512, 340 * 1024, 8 * 1024 * 1024, 9_961_472)] == [
        "512 bytes", "340 KB", "8 MB", "9.5 MB"]
