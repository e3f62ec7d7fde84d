"""The Inspector's picture field: a touchpoint's photo or screenshot, full width, with
Choose… and Remove; a picture file dropped on it is taken too.

The field only shows and asks; the Inspector stores what it is given through the
document (one undo step) and shows a refusal's reason under it.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from cx_mapper.ui.editor.images import PictureFileDrops, choose_image_file
from cx_mapper.ui.look.labels import ToneLabel
from cx_mapper.ui.look.palette import widget_colours

#: The picture is shown at most this tall (logical pixels); its width is the Inspector's.
PICTURE_MAX_HEIGHT = 320
#: How tall the empty drop area is.
EMPTY_HEIGHT = 72
EMPTY_TEXT = "No picture. Drop a picture file here, or choose one."


class PictureView(PictureFileDrops, QWidget):
    """The picture scaled to the width (never up), or a dashed drop area when there is none."""

    file_dropped = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._picture: QPixmap | None = None
        self._scaled: QPixmap | None = None  # made once per width, not per paint
        self.setFixedHeight(EMPTY_HEIGHT)

    def set_picture(self, picture: QPixmap | None) -> None:
        if picture is self._picture:
            return
        self._picture = picture
        self._scaled = None
        self._fit()
        self.update()

    def picture(self) -> QPixmap | None:
        return self._picture

    def picture_rect(self) -> QRectF:
        """Where the picture is drawn (empty without one)."""
        if self._picture is None or self._picture.isNull():
            return QRectF()
        size = self._shown_size(self.width())
        left = (self.width() - size.width()) / 2
        return QRectF(left, 0, size.width(), size.height())

    def _shown_size(self, width: int) -> QSize:
        assert self._picture is not None
        ratio = self._picture.devicePixelRatio()
        natural = QSize(round(self._picture.width() / ratio),
                        round(self._picture.height() / ratio))
        bound = QSize(min(width, natural.width()), min(PICTURE_MAX_HEIGHT, natural.height()))
        return natural.scaled(bound, Qt.AspectRatioMode.KeepAspectRatio)

    def _fit(self) -> None:
        if self._picture is None or self._picture.isNull():
            self.setFixedHeight(EMPTY_HEIGHT)
        else:
            self.setFixedHeight(max(24, self._shown_size(max(1, self.width())).height()))

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        self._scaled = None
        self._fit()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        target = self.picture_rect()
        if not target.isEmpty() and self._picture is not None:
            ratio = self.devicePixelRatioF()
            wanted = QSize(round(target.width() * ratio), round(target.height() * ratio))
            if self._scaled is None or self._scaled.size() != wanted:
                self._scaled = self._picture.scaled(
                    wanted, Qt.AspectRatioMode.IgnoreAspectRatio,
                    Qt.TransformationMode.SmoothTransformation)
                self._scaled.setDevicePixelRatio(ratio)
            path = QPainterPath()
            path.addRoundedRect(target, 6, 6)
            painter.setClipPath(path)
            painter.drawPixmap(target.topLeft(), self._scaled)
            painter.setClipping(False)
            if self._dragging:
                painter.setPen(QPen(highlight, 3))
                painter.drawRoundedRect(target.adjusted(1.5, 1.5, -1.5, -1.5), 6, 6)
            painter.end()
            return
        area = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        pen = QPen(highlight if self._dragging else widget_colours(self.palette()).control_edge,
                   2 if self._dragging else 1, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(area, 6, 6)
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(area.adjusted(8, 0, -8, 0),
                         Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, EMPTY_TEXT)
        painter.end()


class ImageField(QWidget):
    """A picture with Choose… and Remove, and a line saying why a file was refused."""

    file_chosen = Signal(str)  # a picture file chosen or dropped
    removed = Signal()

    def __init__(self, what: str = "touchpoint", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.what = what
        self.view = PictureView()
        self.view.file_dropped.connect(self._on_file)
        self.choose_button = QPushButton("Choose…")
        self.choose_button.setToolTip(f"Show a photo or screenshot on this {what} "
                                      "(PNG, JPEG or WebP; made smaller if it is big)")
        self.choose_button.clicked.connect(self.choose)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip(f"Take the picture off this {what}")
        self.remove_button.clicked.connect(self.removed)
        self.message = ToneLabel(tone="error")
        self.message.hide()
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.set_picture(None)

    def set_picture(self, picture: QPixmap | None) -> None:
        self.view.set_picture(picture)
        self.remove_button.setEnabled(picture is not None)

    def choose(self) -> None:
        path = choose_image_file(self, f"Choose a picture for the {self.what}")
        if path is not None:
            self._on_file(path)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def message_text(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""

    def _on_file(self, path: str) -> None:
        self.show_message("")
        self.file_chosen.emit(path)
