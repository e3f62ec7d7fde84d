"""The canvas key: what the switched-on overlays' colours, widths and badges mean.

A small panel over a corner of the view (`attach_legend`: bottom left unless it
would cover the map there), or in a dock.
It explains only what is drawn: a row per overlay that is on, with the real values
behind the scale (the busiest touchpoint's visits, the thinnest and thickest flows),
so a reader can tell 8 px from 85 customers in 100. It paints itself in the canvas
palette and lets clicks through to the canvas underneath.
"""

from __future__ import annotations

import contextlib
import math
import weakref
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QLinearGradient,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QWidget

from cx_mapper.domain.satisfaction import sigma_from_csat
from cx_mapper.ui.editor.canvas import overlay, style
from cx_mapper.ui.editor.canvas.journey_scene import JourneyScene
from cx_mapper.ui.editor.canvas.overlay import OverlayFigures, Overlays
from cx_mapper.ui.editor.canvas.view import CanvasView
from cx_mapper.ui.look import fonts, palette
from cx_mapper.ui.look.palette import CanvasPalette

MIN_WIDTH = 220.0
MAX_WIDTH = 440.0
PADDING = 9.0
SAMPLE_WIDTH = 90.0  # the drawn sample left of each row's words
GAP = 8.0  # between sample and words
ROW_HEIGHT = 20.0
ROW_GAP = 5.0
RADIUS = 8.0
#: The satisfaction samples: CSAT 1 to 5.
CSAT_STEPS = (1, 2, 3, 4, 5)
#: The time overlay's sample: the median time an arrow's pill shows under its %.
TIME_SAMPLE = "2 d"
#: Sample loyalty badges, one each side of zero.
LOYALTY_SAMPLES = (0.12, -0.08)


@dataclass(frozen=True)
class LegendRow:
    """One line of the key: which overlay (`kind`), its name and what the scale means."""

    kind: str  # "satisfaction", "visits", "flow", "loyalty", "times" or "note"
    title: str
    detail: str

    @property
    def text(self) -> str:
        return f"{self.title} {self.detail}"


def legend_rows(overlays: Overlays, figures: OverlayFigures | None, *,
                timed: bool = False) -> list[LegendRow]:
    """What the key says for these switches and this result (None: no current result);
    `timed`: the journey has times from an event log for the time overlay to show."""
    rows: list[LegendRow] = []
    if overlays.satisfaction_fill:
        rows.append(LegendRow("satisfaction", "Satisfaction", "CSAT 1 poor to 5 great"))
    if overlays.times and timed:
        rows.append(LegendRow("times", "Time", "median under each arrow's %, from the log"))
    if figures is None:
        if overlays.visits or overlays.flow or overlays.loyalty:
            rows.append(LegendRow("note", "No current result:",
                                  "visits, flow and loyalty are hidden"))
        return rows
    if overlays.visits and figures.visits:
        detail = ("share of the busiest" if figures.scaled else
                  f"share of the busiest ({figures.max_visits:.2f} per customer)")
        rows.append(LegendRow("visits", "Visits", detail))
    if overlays.flow and figures.flows:
        detail = ("share of the largest" if figures.scaled else
                  f"{per_hundred(figures.min_flow)} to {per_hundred(figures.max_flow)} "
                  "customers per 100 entering")
        rows.append(LegendRow("flow", "Flow", detail))
    if overlays.loyalty and figures.loyalty:
        rows.append(LegendRow("loyalty", "Loyalty after",
                              f"{overlay.MINUS}100 to +100, L {overlay.DASH} not visited"))
    return rows


def per_hundred(value: float) -> str:
    """A flow per entering customer as customers per 100: 85, 4.2, <0.1."""
    scaled = value * 100.0
    if scaled <= 0:
        return "0"
    if scaled < 0.1:
        return "<0.1"
    return f"{scaled:.0f}" if scaled >= 10 else f"{scaled:.1f}"


class CanvasLegend(QWidget):
    """A key to the canvas overlays that are on; it hides itself when there is none.

    `set_overlays` says what to explain; `follow(scene)` (which `attach_legend` calls)
    keeps it in step with a scene's switches, result and palette instead.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._palette = palette.current_palette()
        self._overlays = Overlays.none()
        self._figures: OverlayFigures | None = None
        self._timed = False  # the journey has times for the time overlay
        self._rows: list[LegendRow] = []
        self._wanted = True
        self._scene: JourneyScene | None = None
        self._title_font = fonts.font(style.DETAIL_POINT_SIZE, QFont.Weight.DemiBold)
        self._detail_font = fonts.font(style.DETAIL_POINT_SIZE)
        self._size = QSize(0, 0)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground, True)
        self.setObjectName("canvasLegend")
        self.setAccessibleName("Map key")
        self._refresh()

    # -- what it shows ----------------------------------------------------------------------
    def set_overlays(self, overlays: Overlays, figures: OverlayFigures | None, *,
                     timed: bool = False) -> None:
        """Explain these switches for this result's figures (`scene.overlay_figures()`);
        None: there is no current result, so only the satisfaction tint is explained.
        `timed`: the journey has times (see legend_rows)."""
        self._overlays, self._figures, self._timed = overlays, figures, timed
        self._refresh()

    def set_palette(self, palette: CanvasPalette) -> None:
        self._palette = palette
        self.update()

    def canvas_palette(self) -> CanvasPalette:
        return self._palette

    def follow(self, scene: JourneyScene | None) -> None:
        """Show what `scene` draws, now and whenever its overlays or palette change."""
        if self._scene is not None:
            with contextlib.suppress(RuntimeError, TypeError):  # the scene may be gone
                self._scene.overlays_changed.disconnect(self._from_scene)
        self._scene = scene
        if scene is not None:
            scene.overlays_changed.connect(self._from_scene)
            self._from_scene()

    def set_wanted(self, wanted: bool) -> None:
        """Whether the user wants the key shown; it still hides when it has nothing to say."""
        self._wanted = wanted
        self._refresh()

    def rows(self) -> list[LegendRow]:
        """What it says now, top to bottom."""
        return list(self._rows)

    def overlays(self) -> Overlays:
        return self._overlays

    def _from_scene(self) -> None:
        scene = self._scene
        if scene is None:
            return
        self._palette = scene.canvas_palette
        self.set_overlays(scene.overlays(), scene.overlay_figures(), timed=scene.has_times())

    def _refresh(self) -> None:
        self._rows = legend_rows(self._overlays, self._figures, timed=self._timed)
        title, detail = QFontMetricsF(self._title_font), QFontMetricsF(self._detail_font)
        words = max((title.horizontalAdvance(row.title + " ") + detail.horizontalAdvance(
            row.detail) for row in self._rows), default=0.0)
        width = min(MAX_WIDTH, max(MIN_WIDTH, 2 * PADDING + SAMPLE_WIDTH + GAP + words + 2))
        count = len(self._rows)
        height = 2 * PADDING + count * ROW_HEIGHT + max(0, count - 1) * ROW_GAP
        size = QSize(math.ceil(width), math.ceil(height))
        if size != self._size:
            self._size = size
            self.resize(size)
            self.updateGeometry()
        if self.parentWidget() is not None:
            self.setVisible(self._wanted and bool(self._rows))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._size)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._size)

    # -- painting ---------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if not self._rows:
            return
        p = self._palette
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        panel = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        fill = QColor(p.card_fill)
        fill.setAlphaF(0.94)
        painter.setPen(QPen(p.card_border, 1.0))
        painter.setBrush(fill)
        painter.drawRoundedRect(panel, RADIUS, RADIUS)
        y = PADDING
        words_left = PADDING + SAMPLE_WIDTH + GAP
        for row in self._rows:
            painter.save()
            getattr(self, f"_sample_{row.kind}")(painter,
                                                 QRectF(PADDING, y, SAMPLE_WIDTH, ROW_HEIGHT))
            painter.restore()
            self._paint_words(painter, QRectF(words_left, y, self.width() - words_left - PADDING,
                                              ROW_HEIGHT), row)
            y += ROW_HEIGHT + ROW_GAP
        painter.end()

    def _paint_words(self, painter: QPainter, rect: QRectF, row: LegendRow) -> None:
        """The overlay's name in the card's text colour, then the scale in a muted one."""
        p = self._palette
        middle = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        title = row.title + " "
        painter.setFont(self._title_font)
        painter.setPen(p.card_text)
        painter.drawText(rect, int(middle), title)
        advance = QFontMetricsF(self._title_font).horizontalAdvance(title)
        rest = rect.adjusted(advance, 0, 0, 0)
        detail = QFontMetricsF(self._detail_font).elidedText(
            row.detail, Qt.TextElideMode.ElideRight, rest.width())
        painter.setFont(self._detail_font)
        painter.setPen(p.card_muted)
        painter.drawText(rest, int(middle), detail)

    def _sample_satisfaction(self, painter: QPainter, rect: QRectF) -> None:
        """Five tinted chips, CSAT 1 to 5, each with its colour bar and number."""
        p = self._palette
        gap = 2.0
        width = (rect.width() - gap * (len(CSAT_STEPS) - 1)) / len(CSAT_STEPS)
        painter.setFont(self._title_font)
        for i, score in enumerate(CSAT_STEPS):
            sigma = sigma_from_csat(score)
            chip = QRectF(rect.left() + i * (width + gap), rect.top() + 1, width,
                          rect.height() - 2)
            painter.setPen(QPen(p.card_border, 1.0))
            painter.setBrush(overlay.fill_colour(sigma, p))
            painter.drawRoundedRect(chip, 3, 3)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.satisfaction_color(sigma, p))
            painter.drawRoundedRect(QRectF(chip.left(), chip.top(), 4, chip.height()), 2, 2)
            painter.setPen(p.card_text)
            painter.drawText(chip.adjusted(4, 0, 0, 0), int(Qt.AlignmentFlag.AlignCenter),
                             str(score))

    def _sample_visits(self, painter: QPainter, rect: QRectF) -> None:
        p = self._palette
        bar = QRectF(rect.left(), rect.center().y() - 2.5, rect.width(), 5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(p.track)
        painter.drawRect(bar)
        painter.setBrush(p.visits)
        painter.drawRect(QRectF(bar.left(), bar.top(), bar.width() * 0.65, bar.height()))

    def _sample_flow(self, painter: QPainter, rect: QRectF) -> None:
        """A wedge from the thinnest arrow drawn to the thickest, faded as they are."""
        p, figures = self._palette, self._figures
        thin_share = 0.0
        if figures is not None and not figures.scaled and figures.max_flow > 0:
            thin_share = figures.min_flow / figures.max_flow
        thin = overlay.flow_width(thin_share)
        thick = style.FLOW_MAX_WIDTH
        mid, left, right = rect.center().y(), rect.left(), rect.right() - 1
        gradient = QLinearGradient(left, mid, right, mid)
        faint, strong = QColor(p.arrow), QColor(p.arrow)
        faint.setAlphaF(overlay.flow_strength(thin_share))
        gradient.setColorAt(0.0, faint)
        gradient.setColorAt(overlay.FLOW_FULL, strong)
        gradient.setColorAt(1.0, strong)
        wedge = QPolygonF([QPointF(left, mid - thin / 2), QPointF(right, mid - thick / 2),
                           QPointF(right, mid + thick / 2), QPointF(left, mid + thin / 2)])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(gradient)
        painter.drawPolygon(wedge)

    def _sample_loyalty(self, painter: QPainter, rect: QRectF) -> None:
        """Two badges, one each side of zero, as the cards show them."""
        p = self._palette
        metrics = QFontMetricsF(self._title_font)
        height = metrics.height() + 2
        x = rect.left()
        for value in LOYALTY_SAMPLES:
            text = overlay.loyalty_text(value)
            badge = QRectF(x, rect.center().y() - height / 2,
                           metrics.horizontalAdvance(text) + 10, height)
            overlay.paint_badge(painter, badge, text, overlay.loyalty_colour(value, p), p,
                                self._title_font)
            x = badge.right() + 4

    def _sample_times(self, painter: QPainter, rect: QRectF) -> None:
        """An arrow's label pill with a time, as the arrows show it."""
        p = self._palette
        metrics = QFontMetricsF(self._title_font)
        text = TIME_SAMPLE
        pill = QRectF(rect.left(), rect.center().y() - (metrics.height() + 2) / 2,
                      min(rect.width(), metrics.horizontalAdvance(text) + 8),
                      metrics.height() + 2)
        painter.setPen(QPen(p.arrow, 1.0))
        painter.setBrush(p.label_fill)
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.setFont(self._title_font)
        painter.setPen(p.label_text)
        painter.drawText(pill, int(Qt.AlignmentFlag.AlignCenter), text)

    def _sample_note(self, painter: QPainter, rect: QRectF) -> None:
        p = self._palette
        painter.setPen(QPen(p.card_muted, 1.2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        circle = QRectF(rect.right() - 17, rect.center().y() - 8, 16, 16)
        painter.drawEllipse(circle)
        painter.setFont(self._title_font)
        painter.drawText(circle, int(Qt.AlignmentFlag.AlignCenter), "i")


class _Anchor(QObject):
    """Keeps a legend in its view's corner as the view or the legend resizes, and tells
    the view its size, so a fit leaves the map clear of it: the fit picks the corner
    (bottom left unless the key would cover a card, an arrow or a lane row there).

    It holds its view weakly: the view holds it (through `set_reserved`), and a view
    kept alive only by that circle would be freed by a later garbage collection, at
    whatever moment that runs, even while the view paints.
    """

    def __init__(self, view: CanvasView, legend: CanvasLegend, margin: int) -> None:
        super().__init__(legend)
        self._view_ref, self._legend, self._margin = weakref.ref(view), legend, margin
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)
        legend.installEventFilter(self)
        view.set_reserved(self.reserved)
        view.key_corner_changed.connect(self.place)

    @property
    def _view(self) -> CanvasView:
        view = self._view_ref()
        assert view is not None, "the anchor goes with its legend, a child of the view"
        return view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind in (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.LayoutRequest):
            self.place()
        if watched is self._legend and kind in (QEvent.Type.Resize, QEvent.Type.Show,
                                                QEvent.Type.Hide):
            self._view.reserved_changed()
        return False

    def reserved(self) -> QRect:
        """Where the key would sit at the viewport's bottom left; empty while hidden (the
        view works out the other corners from it)."""
        if self._legend.isHidden():
            return QRect()
        viewport = self._view.viewport().rect()
        size = self._legend.size()
        return QRect(self._margin, viewport.bottom() + 1 - self._margin - size.height(),
                     size.width(), size.height())

    def place(self) -> None:
        view = self._view_ref()
        if view is None:
            return
        viewport, legend, margin = view.viewport().geometry(), self._legend, self._margin
        corner = view.key_corner()
        left = corner in (Qt.Corner.BottomLeftCorner, Qt.Corner.TopLeftCorner)
        top = corner in (Qt.Corner.TopLeftCorner, Qt.Corner.TopRightCorner)
        legend.move(viewport.left() + margin if left
                    else viewport.right() + 1 - margin - legend.width(),
                    viewport.top() + margin if top
                    else viewport.bottom() + 1 - margin - legend.height())
        legend.raise_()


def attach_legend(view: CanvasView, legend: CanvasLegend, margin: int = 12) -> None:
    """Float `legend` over a corner of `view` (bottom left unless it would cover the map
    there), `margin` pixels in, and keep it there and in step with the view's scene.
    Fitting the view leaves the map clear of it."""
    legend.setParent(view)
    anchor = _Anchor(view, legend, margin)
    legend.follow(view.canvas())
    anchor.place()
