"""The value-vs-effort matrix: each opportunity's gain on the chosen objective (up)
against its cost (across), split at the middle of each into four labelled quadrants.
Hovering a point shows its title, cost and gains; clicking it selects it in the list.
From the keyboard: Tab into the chart, the arrow keys go to the nearest point that way
(Home and End to the cheapest and the dearest), showing the same details, and Enter or
Space selects it."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from cx_mapper.domain.journey import Journey
from cx_mapper.engine.kpis import single_kpi
from cx_mapper.ui.look.labels import ToneLabel
from cx_mapper.ui.look.palette import current_palette
from cx_mapper.ui.plan.figures import objective_score
from cx_mapper.ui.plan.plot_look import font, prepare, with_alpha
from cx_mapper.ui.plan.words import cost_text, gain_text, score_value, shown_kpis

#: The four quadrants by (high gain, high cost), in plain words.
QUADRANTS: dict[tuple[bool, bool], str] = {
    (True, False): "Quick wins", (True, True): "Big bets",
    (False, False): "Fill-ins", (False, True): "Money pits",
}
#: A point's label keeps this many characters of the title.
LABEL_CHARS = 24
#: Arrow keys as screen directions (y grows downwards on screen).
DIRECTIONS: dict[int, tuple[float, float]] = {
    Qt.Key.Key_Right: (1.0, 0.0), Qt.Key.Key_Left: (-1.0, 0.0),
    Qt.Key.Key_Up: (0.0, -1.0), Qt.Key.Key_Down: (0.0, 1.0),
}


@dataclass(frozen=True)
class MatrixPoint:
    opportunity_id: str
    title: str
    cost: float
    score: float  # shown units of the objective
    details: str  # the hover text


class ValueEffortMatrix(QWidget):
    """The matrix of the journey on show; `selected` says which point was clicked."""

    selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot_widget = pg.PlotWidget()
        self.plot_widget.setAccessibleName("Value against effort")
        self.message = ToneLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.points: list[MatrixPoint] = []
        self.hovered: MatrixPoint | None = None
        #: the point the keyboard is on (None until the chart has focus)
        self.current: MatrixPoint | None = None
        self.quadrant_labels: dict[str, pg.TextItem] = {}
        self._scatter: pg.ScatterPlotItem | None = None
        self._ring: pg.ScatterPlotItem | None = None
        self._tip: pg.TextItem | None = None
        self._shown: tuple[object, ...] = ()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self.plot_widget, 1)
        self.plot_widget.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.plot_widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot_widget.installEventFilter(self)
        self.show_points(None, "", {}, None, "")

    def show_points(self, journey: Journey | None, unit: str,
                    objective: dict[str, float],
                    gains: Mapping[str, Mapping[str, float]] | None, message: str,
                    *, stale: bool = False) -> None:
        """Draw the usable opportunities; `message` when there is nothing to draw. Stale
        gains are drawn greyed while new ones are computed."""
        self._shown = (journey, unit, objective, gains, message, stale)
        self.plot_widget.setEnabled(not stale)
        self.plot_widget.getPlotItem().setOpacity(0.4 if stale else 1.0)
        self.plot_widget.setToolTip(message if stale else "")
        colours = prepare(self.plot_widget, f"Cost ({unit})" if unit else "Cost",
                          f"Gain: {_objective_words(objective)}")
        current = self.current.opportunity_id if self.current is not None else None
        self.points, self.hovered, self._tip, self.quadrant_labels = [], None, None, {}
        self._scatter = self._ring = None
        self.current = None
        if journey is not None and gains:
            for opportunity in journey.opportunities:
                gain = gains.get(opportunity.id)
                if gain is None:
                    continue
                score = objective_score(gain, objective)
                lines = [f"<b>{html.escape(opportunity.title or opportunity.id)}</b>",
                         f"Cost {cost_text(opportunity.cost, unit)}"]
                lines += [f"{kpi.label}: {gain_text(kpi, gain[kpi.key])}"
                          for kpi in shown_kpis(gain) if kpi.on_card]
                self.points.append(MatrixPoint(opportunity.id, opportunity.title or opportunity.id,
                                               opportunity.cost, score_value(objective, score),
                                               "<br>".join(lines)))
        self.message.setText("" if self.points else message or "No opportunities to place.")
        self.message.setVisible(not self.points)
        if not self.points:
            return
        plot = self.plot_widget.getPlotItem()
        x = np.array([p.cost for p in self.points], dtype=float)
        y = np.array([p.score for p in self.points], dtype=float)
        x_mid, y_mid = float(np.median(x)), float(np.median(y))
        x_span = max(float(x.max() - x.min()), abs(x_mid) * 0.5, 1.0)
        y_span = max(float(y.max() - y.min()), abs(y_mid) * 0.5, 1e-6)
        x_range = (min(0.0, float(x.min())) - 0.08 * x_span, float(x.max()) + 0.3 * x_span)
        y_range = (min(0.0, float(y.min())) - 0.15 * y_span, float(y.max()) + 0.2 * y_span)
        plot.setRange(xRange=x_range, yRange=y_range, padding=0)
        line_pen = pg.mkPen(with_alpha(colours.card_muted, 160), width=1,
                            style=Qt.PenStyle.DashLine)
        plot.addItem(pg.InfiniteLine(pos=x_mid, angle=90, pen=line_pen))
        plot.addItem(pg.InfiniteLine(pos=y_mid, angle=0, pen=line_pen))
        for (high_gain, high_cost), words in QUADRANTS.items():
            anchor = (1.0 if high_cost else 0.0, 0.0 if high_gain else 1.0)
            label = pg.TextItem(words, color=colours.card_muted, anchor=anchor)
            label.setFont(font(1.0, bold=True))
            label.setPos(x_range[1] if high_cost else x_range[0],
                         y_range[1] if high_gain else y_range[0])
            plot.addItem(label)
            self.quadrant_labels[words] = label
        brushes = [pg.mkBrush(colours.good_text if p.score >= 0 else colours.bad_text)
                   for p in self.points]
        self._scatter = pg.ScatterPlotItem(
            x=x, y=y, size=14, brush=brushes, pen=pg.mkPen(colours.card_fill, width=1.5),
            data=[p.opportunity_id for p in self.points], hoverable=True)
        self._scatter.sigClicked.connect(self._on_clicked)
        plot.addItem(self._scatter)
        for point in self.points:
            title = point.title if len(point.title) <= LABEL_CHARS else \
                point.title[:LABEL_CHARS - 1] + "…"
            text = pg.TextItem(title, color=colours.card_text, anchor=(0, 0.5))
            text.setFont(font(0.9))
            text.setPos(point.cost, point.score)
            text.setZValue(5)
            plot.addItem(text)
            text.setPos(QPointF(point.cost, point.score))
        self._tip = pg.TextItem(html="", anchor=(0, 1), border=pg.mkPen(colours.track),
                                fill=pg.mkBrush(with_alpha(colours.card_fill, 235)))
        self._tip.setZValue(20)
        self._tip.hide()
        plot.addItem(self._tip)
        self._ring = pg.ScatterPlotItem(size=24, brush=pg.mkBrush(None),
                                        pen=pg.mkPen(colours.card_text, width=2))
        self._ring.setZValue(10)
        plot.addItem(self._ring)
        if current is not None and self.plot_widget.hasFocus():
            self.go_to(next((p for p in self.points if p.opportunity_id == current), None))

    def point_position(self, opportunity_id: str) -> QPointF:
        """Where a point is drawn, in the plot widget's coordinates (for clicks in tests
        and for the keyboard)."""
        point = next(p for p in self.points if p.opportunity_id == opportunity_id)
        view = self.plot_widget.getPlotItem().getViewBox()
        scene = view.mapViewToScene(QPointF(point.cost, point.score))
        return QPointF(self.plot_widget.mapFromScene(scene))

    def _point_near(self, scene_pos: QPointF) -> MatrixPoint | None:
        if self._scatter is None:
            return None
        view = self.plot_widget.getPlotItem().getViewBox()
        best, best_distance = None, 12.0  # pixels
        for point in self.points:
            at = view.mapViewToScene(QPointF(point.cost, point.score))
            distance = (at - scene_pos).manhattanLength()
            if distance <= best_distance:
                best, best_distance = point, distance
        return best

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        point = self._point_near(scene_pos)
        self.hovered = point
        self._show_tip(point)

    # -- the keyboard -----------------------------------------------------------------------
    def go_to(self, point: MatrixPoint | None) -> None:
        """Put the keyboard on `point`: a ring round it and its details, as on hover."""
        self.current = point
        if self._ring is not None:
            self._ring.setData(x=[point.cost] if point else [], y=[point.score] if point else [])
        self._show_tip(point)
        self.plot_widget.setAccessibleDescription(
            f"{point.title}: cost {point.cost:g}, gain {point.score:+g}. Enter selects it."
            if point else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.plot_widget and self.points:
            if event.type() == QEvent.Type.FocusIn and self.current is None:
                self.go_to(min(self.points, key=lambda p: (p.cost, -p.score)))
            elif event.type() == QEvent.Type.FocusOut:
                self.go_to(None)
            elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                return self._on_key(event)
        return super().eventFilter(watched, event)

    def _on_key(self, event: QKeyEvent) -> bool:
        key, current = event.key(), self.current
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if current is not None:
                self.selected.emit(current.opportunity_id)
            return True
        by_cost = sorted(self.points, key=lambda p: (p.cost, -p.score))
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            self.go_to(by_cost[0] if key == Qt.Key.Key_Home else by_cost[-1])
            return True
        if key in DIRECTIONS:
            self.go_to(self._nearest(current, DIRECTIONS[key]) if current else by_cost[0])
            return True
        return False

    def _nearest(self, point: MatrixPoint, direction: tuple[float, float]) -> MatrixPoint:
        """The nearest point on screen that lies that way (straight ahead counts more
        than off to the side); `point` itself when there is none."""
        view = self.plot_widget.getPlotItem().getViewBox()
        here = view.mapViewToScene(QPointF(point.cost, point.score))
        best, best_cost = point, float("inf")
        for other in self.points:
            if other is point:
                continue
            at = view.mapViewToScene(QPointF(other.cost, other.score)) - here
            ahead = at.x() * direction[0] + at.y() * direction[1]
            aside = abs(at.x() * direction[1] - at.y() * direction[0])
            if ahead > 0 and ahead + 2 * aside < best_cost:
                best, best_cost = other, ahead + 2 * aside
        return best

    def _show_tip(self, point: MatrixPoint | None) -> None:
        tip = self._tip
        if tip is None:
            return
        if point is None:
            point = self.current  # the mouse left: the keyboard's point keeps its details
        if point is None:
            tip.hide()
            return
        colour = current_palette().card_text.name()
        tip.setHtml(f"<div style='color:{colour}'>{point.details}</div>")
        view = self.plot_widget.getPlotItem().getViewBox()
        (x_low, x_high), (y_low, y_high) = view.viewRange()
        # The tip opens away from the nearest edges, so it stays inside the chart.
        tip.setAnchor((1.0 if point.cost > (x_low + x_high) / 2 else 0.0,
                       0.0 if point.score > (y_low + y_high) / 2 else 1.0))
        tip.setPos(point.cost, point.score)
        tip.show()

    def _on_clicked(self, _item: object, points: list[object], _event: object) -> None:
        if len(points) > 0:
            self.selected.emit(str(points[0].data()))  # type: ignore[attr-defined]

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and self._shown:
            *shown, stale = self._shown
            self.show_points(*shown, stale=bool(stale))  # type: ignore[arg-type]


def _objective_words(objective: Mapping[str, float]) -> str:
    kpi = single_kpi(objective)
    return f"{kpi.label} ({kpi.unit})" if kpi is not None else "weighted objective"


