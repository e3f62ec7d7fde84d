"""Each segment's own totals next to the mixed result the rest of the app shows.

The mixed figures are not a plain average of the rows above them: sums are weighted by
share, but the loyalty index mixes its numerator and denominator separately (MODEL.md
§11), so a segment with more visits pulls it harder. Showing both lets an analyst see
which persona drives a figure. Every number is the engine's.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.engine.kpis import KPI_BY_KEY, format_value
from cx_mapper.engine.results import Analysis, Totals
from cx_mapper.ui.analysis.tables import read_only_table, set_header_tips
from cx_mapper.ui.look import palette
from cx_mapper.ui.look.palette import CanvasPalette, sign_color

#: The totals shown, by KPI key (their labels, formats and tooltips come from kpis.py).
COLUMNS = ("loyalty_index", "value", "exposure_positive", "exposure_negative", "exposure_net",
           "referral_r", "deterred")
MIXED = "All segments (mixed)"
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def totals_value(key: str, totals: Totals) -> float | None:
    """A KPI's shown value from a Totals (the KPI declarations read `x.totals`)."""
    return KPI_BY_KEY[key].value(_HasTotals(totals))  # type: ignore[arg-type]


class _HasTotals:
    """Just enough of an Analysis for a KPI to read a segment's totals."""

    def __init__(self, totals: Totals) -> None:
        self.totals = totals


class SegmentsResultTable(QWidget):
    """One row per segment with its share and totals, then the mixed journey totals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._analysis: Analysis | None = None
        headers = ["Segment", "Share"] + [KPI_BY_KEY[key].label for key in COLUMNS]
        self.table: QTableWidget = read_only_table(len(headers), headers)
        set_header_tips(self.table, ["", "The segment's normalised share."]
                        + [KPI_BY_KEY[key].tooltip() for key in COLUMNS])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.note = QLabel(
            "Sums mix by share; the loyalty index mixes visits and loyalty separately, so it "
            "is not the share-weighted mean of the segments' indices.")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        self._apply_tone()
        self.show_analysis(None)

    def show_analysis(self, analysis: Analysis | None) -> None:
        """Fill the table from an analysis; None empties it."""
        self._analysis = analysis
        table = self.table
        if analysis is None:
            table.setRowCount(0)
            return
        colours = palette.current_palette()
        table.setRowCount(len(analysis.segments) + 1)
        for row, segment in enumerate(analysis.segments):
            self._fill_row(row, segment.name or segment.segment_id, f"{segment.share:.0%}",
                           segment.totals, colours, bold=False)
        self._fill_row(len(analysis.segments), MIXED, "100%", analysis.totals, colours,
                       bold=True)

    def rows(self) -> list[dict[str, object]]:
        """What each row shows: name, share and every KPI value (for tests)."""
        analysis = self._analysis
        if analysis is None:
            return []
        result: list[dict[str, object]] = [
            {"name": s.name or s.segment_id, "share": s.share,
             **{key: totals_value(key, s.totals) for key in COLUMNS}}
            for s in analysis.segments]
        result.append({"name": MIXED, "share": 1.0,
                       **{key: totals_value(key, analysis.totals) for key in COLUMNS}})
        return result

    def _fill_row(self, row: int, name: str, share: str, totals: Totals,
                  palette: CanvasPalette, bold: bool) -> None:
        cells: list[tuple[str, QColor | None, Qt.AlignmentFlag]] = [
            (name, None, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            (share, None, RIGHT)]
        for key in COLUMNS:
            kpi = KPI_BY_KEY[key]
            value = totals_value(key, totals)
            colour = sign_color(value, palette) if kpi.signed else None
            cells.append((format_value(kpi, value), colour, RIGHT))
        for column, (text, colour, alignment) in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setTextAlignment(alignment)
            if colour is not None:
                item.setForeground(colour)
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(row, column, item)

    def _apply_tone(self) -> None:
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # follows the theme

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_tone()
            self.show_analysis(self._analysis)

