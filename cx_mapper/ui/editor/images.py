"""Pictures the user adds (chosen in a dialog or dropped): read with Qt, refused with one
line saying why, and stored no bigger than where they are shown.

The kinds and the project's limits are the domain's (`domain/images.py`); this module
only decides how big a picture needs to be when it is added. A picture already within
the limits and the size it is shown at is stored as it is, byte for byte.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QSize, Qt, QUrl
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDropEvent,
    QImage,
    QImageIOHandler,
    QImageReader,
    QImageWriter,
    QPixmap,
)
from PySide6.QtWidgets import QFileDialog, QWidget

from cx_mapper.domain.images import (
    IMAGE_BYTES_LIMIT,
    IMAGE_SIDE_LIMIT,
    MEDIA_TYPES,
    ImageError,
    check_image,
    size_words,
)
from cx_mapper.ui.document.project_document import ProjectDocument

#: The long side a photo or screenshot on a touchpoint or note is kept at: sharp full
#: width in the Inspector and in exports on a high-DPI screen, a few hundred KB as JPEG.
PHOTO_SIDE = 1600
#: A persona's portrait: shown at most about 120 px across, 512 covers a 4x screen.
PORTRAIT_SIDE = 512
#: JPEG (and WebP) quality of a downscaled photo: no visible loss, a third of quality 100.
PHOTO_QUALITY = 88
#: A downscaled PNG without transparency over this many bytes is a photo: stored as JPEG.
PNG_PHOTO_BYTES = 600 * 1024
#: What is read at all: a file over 64 MB or 100 megapixels is not a picture for a map
#: (and decoding it would take seconds and gigabytes).
READ_BYTES_LIMIT = 64 * 1024 * 1024
READ_PIXELS_LIMIT = 100_000_000

#: Qt's names of the formats the project holds, and their media types.
_QT_FORMATS: dict[str, str] = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg",
                               "webp": "image/webp"}
#: The file dialog's filter: the kinds the project holds.
FILE_FILTER = "Pictures (*.png *.jpg *.jpeg *.webp)"


class ImageRefused(ValueError):
    """A picture that cannot be added; the message is one line naming the file and why."""


@dataclass(frozen=True, slots=True)
class AddedImage:
    """A picture ready for the project: its bytes, media type and size in pixels."""

    data: bytes
    media_type: str
    width: int
    height: int


def read_image_file(path: str | Path, longest_side: int = PHOTO_SIDE) -> AddedImage:
    """Read a picture the user picked and make it ready to store (see `prepare_image`)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > READ_BYTES_LIMIT:
            raise ImageRefused(f"{path.name}: the file is {size_words(size)}; a picture may be "
                               f"at most {size_words(READ_BYTES_LIMIT)} to add.")
        data = path.read_bytes()
    except OSError as error:
        raise ImageRefused(f"{path.name}: could not be read ({error.strerror or error}).")\
            from error
    return prepare_image(data, path.name, longest_side)


def prepare_image(data: bytes, name: str, longest_side: int = PHOTO_SIDE) -> AddedImage:
    """The picture as the project should hold it: the same bytes if it is a PNG, JPEG or
    WebP within the limits and `longest_side`, else a downscaled copy. Raises
    ImageRefused naming `name` and the reason."""
    if len(data) > READ_BYTES_LIMIT:
        raise ImageRefused(f"{name}: the file is {size_words(len(data))}; a picture may be at "
                           f"most {size_words(READ_BYTES_LIMIT)} to add.")
    reader = _reader(data)
    kind = bytes(reader.format().data()).decode("ascii", "replace").lower()
    media_type = _QT_FORMATS.get(kind)
    if media_type is None:
        raise ImageRefused(f"{name}: {_what(kind)}; add a PNG, JPEG or WebP picture.")
    size = reader.size()
    if not size.isValid() or size.isEmpty():
        raise ImageRefused(f"{name}: the {MEDIA_TYPES[media_type]} file is damaged "
                           "(it has no size); nothing was added.")
    if size.width() * size.height() > READ_PIXELS_LIMIT:
        raise ImageRefused(f"{name}: {size.width():,} × {size.height():,} pixels is too big "
                           f"to add (at most {READ_PIXELS_LIMIT // 1_000_000} megapixels).")
    turned = reader.transformation() != QImageIOHandler.Transformation.TransformationNone
    image = reader.read()  # read it whole even when it is kept: a damaged file is refused
    if image.isNull():
        raise ImageRefused(f"{name}: the {MEDIA_TYPES[media_type]} file is damaged "
                           f"({reader.errorString().rstrip('.')}); nothing was added.")
    side = max(size.width(), size.height())
    if side <= longest_side and not turned and _within_limits(media_type, data):
        return AddedImage(bytes(data), media_type, size.width(), size.height())
    return _downscaled(image, media_type, min(longest_side, IMAGE_SIDE_LIMIT), name)


# -- showing a picture file on an element, one undo step --------------------------------
def show_file_on_touchpoint(document: ProjectDocument, journey_id: str, touchpoint_id: str,
                            path: str | Path) -> str:
    """Show a picture file (downscaled to PHOTO_SIDE) on a touchpoint. Returns "" when
    done, else the one line to show the user (nothing is changed then)."""
    return _show_file(path, PHOTO_SIDE, lambda data, media_type: document.set_touchpoint_image(
        journey_id, touchpoint_id, data, media_type))


def show_file_on_note(document: ProjectDocument, journey_id: str, note_id: str,
                      path: str | Path) -> str:
    """The same for a note (a picture dropped on a sticky note)."""
    return _show_file(path, PHOTO_SIDE, lambda data, media_type: document.set_note_image(
        journey_id, note_id, data, media_type))


def show_file_on_persona(document: ProjectDocument, persona_id: str, path: str | Path) -> str:
    """The same for a persona's portrait (downscaled to PORTRAIT_SIDE)."""
    return _show_file(path, PORTRAIT_SIDE, lambda data, media_type: document.set_persona_image(
        persona_id, data, media_type))


def _show_file(path: str | Path, side: int, store: Callable[[bytes, str], object]) -> str:
    try:
        added = read_image_file(path, side)
        store(added.data, added.media_type)
    except ImageRefused as refusal:
        return f"{refusal} Nothing was changed."
    except ValueError as error:  # the document refused it (ImageError, a removed element)
        return f"{Path(path).name}: {error} Nothing was changed."
    except KeyError:
        return f"{Path(path).name}: what it was dropped on is gone. Nothing was changed."
    return ""


def image_files(mime: QMimeData) -> list[str]:
    """The local files a drag carries (any kind: refusing is the drop's job, in words)."""
    if not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]


class PictureFileDrops:
    """A widget that takes a picture file dropped on it: highlighted (`_dragging`) while
    a file is over it, `file_dropped(path)` with the first file. Mixed in before the
    widget class, which declares `file_dropped = Signal(str)` and accepts drops."""

    _dragging = False

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if image_files(event.mimeData()):
            event.acceptProposedAction()
            self._set_dragging(True)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802 - Qt override
        self._set_dragging(False)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        self._set_dragging(False)
        files = image_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            cast(Any, self).file_dropped.emit(files[0])

    def _set_dragging(self, dragging: bool) -> None:
        self._dragging = dragging
        cast(QWidget, self).update()


def file_urls(*paths: str | Path) -> QMimeData:
    """A drag's data carrying these files, as a file manager gives it (used by tests too)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(Path(p).resolve())) for p in paths])
    return mime


def choose_image_file(parent: QWidget | None, title: str = "Choose a picture") -> str | None:
    """Ask for a picture file; None when the user cancels."""
    path, _ = QFileDialog.getOpenFileName(parent, title, "", FILE_FILTER)
    return path or None


#: Pictures decoded for showing, by their bytes' hash and length (a key that keeps no
#: bytes alive; Python keeps a bytes object's hash, so a lookup costs nothing).
_DECODED: OrderedDict[tuple[int, int], QPixmap] = OrderedDict()
#: Decoded pictures kept, in pixels: a panel of portraits and a few Inspector photos
#: (16 M pixels is 64 MB).
DECODED_PIXELS = 16_000_000


def picture_of(data: bytes) -> QPixmap | None:
    """A project image decoded for showing (None if it does not decode); the last few
    are kept, so repainting a panel or switching the selection never decodes again."""
    key = (hash(data), len(data))
    found = _DECODED.get(key)
    if found is not None:
        _DECODED.move_to_end(key)
        return found
    pixmap = QPixmap()
    if not pixmap.loadFromData(data):
        return None
    _DECODED[key] = pixmap
    while len(_DECODED) > 1 and sum(p.width() * p.height()
                                    for p in _DECODED.values()) > DECODED_PIXELS:
        _DECODED.popitem(last=False)
    return pixmap


# -- helpers -----------------------------------------------------------------------------
def _reader(data: bytes) -> QImageReader:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # a phone's portrait photo stands up
    reader.setDecideFormatFromContent(True)  # the bytes decide, never the file name
    reader._buffer = buffer  # type: ignore[attr-defined]  # kept alive with the reader
    return reader


def _what(kind: str) -> str:
    if not kind:
        return "not a picture CX Mapper can read"
    return f"{kind.upper()} pictures cannot go in a project"


def _within_limits(media_type: str, data: bytes) -> bool:
    try:
        width, height = check_image(media_type, data)
    except ImageError:
        return False
    return max(width, height) <= IMAGE_SIDE_LIMIT


def _downscaled(image: QImage, media_type: str, longest_side: int, name: str) -> AddedImage:
    """Scale to `longest_side` (never up) and encode: PNG stays PNG unless it turns out a
    big photo, JPEG stays JPEG, WebP stays WebP when Qt can write it."""
    side = max(image.width(), image.height())
    if side > longest_side:
        image = image.scaled(QSize(longest_side, longest_side),
                             Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    while True:
        data, out_type = _encode(image, media_type)
        if len(data) <= IMAGE_BYTES_LIMIT or max(image.width(), image.height()) < 64:
            break
        # Noise-like pictures can stay big even downscaled: smaller until they fit.
        image = image.scaled(image.size() * 0.75, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    try:
        check_image(out_type, data)
    except ImageError as error:  # cannot happen for what Qt wrote; say so if it does
        raise ImageRefused(f"{name}: {error.reason}") from error
    return AddedImage(data, out_type, image.width(), image.height())


def _encode(image: QImage, media_type: str) -> tuple[bytes, str]:
    alpha = image.hasAlphaChannel()
    if media_type == "image/webp" and b"webp" in [bytes(f.data()) for f in
                                                  QImageWriter.supportedImageFormats()]:
        return _write(image, b"webp", PHOTO_QUALITY), "image/webp"
    if media_type == "image/jpeg" or (media_type == "image/webp" and not alpha):
        return _write(image, b"jpeg", PHOTO_QUALITY), "image/jpeg"
    data = _write(image, b"png", -1)
    if not alpha and len(data) > PNG_PHOTO_BYTES:
        return _write(image, b"jpeg", PHOTO_QUALITY), "image/jpeg"
    return data, "image/png"


def _write(image: QImage, kind: bytes, quality: int) -> bytes:
    if kind == b"jpeg" and image.hasAlphaChannel():
        image = image.convertToFormat(QImage.Format.Format_RGB32)  # JPEG has no alpha
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, kind)
    writer.setQuality(quality)
    if not writer.write(image):
        raise ImageRefused(f"the picture could not be written ({writer.errorString()})")
    buffer.close()
    return bytes(data.data())
