"""How sure are we, in the Analysis dock: the switch and its progress over the cards, and
the uncertainty of the journey on show spread over the cards (90% intervals), the
fix-first chart (rank bands) and the Evidence tab.

The service (ui/document/uncertainty_service.py) runs the analysis off the GUI thread;
this shows its current result only. On an edit every part drops what it showed at once
(intervals say they are being worked out, rank bands go, the Evidence tab greys) until
the new revision's result is in.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from cx_mapper.ui.analysis.charts_panel import ChartsPanel
from cx_mapper.ui.analysis.evidence_view import NO_EVIDENCE, OFF, EvidenceView
from cx_mapper.ui.analysis.kpi_cards import KpiCards
from cx_mapper.ui.document.analysis_service import shows_results
from cx_mapper.ui.document.uncertainty_service import UncertaintyResult, UncertaintyService

WORKING = "90%: working out…"
NO_JOURNEY = "Open or create a journey to see how sure its figures are."


class UncertaintyStrip(QWidget):
    """The switch, what the run is doing, and how far it has got."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.button = QToolButton()
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.button.setAutoRaise(False)
        self.status = QLabel()
        self.status.setObjectName("uncertaintyStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(True)
        self.progress.setFixedWidth(160)
        self.progress.setMaximumHeight(16)
        self.progress.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.button)
        layout.addWidget(self.progress)
        layout.addWidget(self.status, 1)

    def set_action(self, action: QAction) -> None:
        self.button.setDefaultAction(action)

    def show_state(self, text: str, fraction: float | None) -> None:
        """`text` beside the switch; a progress bar while a run is under way."""
        self.status.setText(text)
        self.progress.setVisible(fraction is not None)
        if fraction is not None:
            self.progress.setValue(round(100 * fraction))


class UncertaintyLink:
    """Shows the service's result for the dock's journey on its cards, chart and tab."""

    def __init__(self, service: UncertaintyService, strip: UncertaintyStrip, cards: KpiCards,
                 charts: ChartsPanel, evidence: EvidenceView) -> None:
        self.service = service
        self.strip, self.cards, self.charts, self.evidence = strip, cards, charts, evidence
        service.changed.connect(self._on_changed)
        service.pending.connect(self._on_pending)
        service.progressed.connect(self._on_progressed)
        self.show()

    @shows_results("How sure")
    def _on_changed(self, _result: object) -> None:
        self.show()

    @shows_results("How sure")
    def _on_pending(self, _journey_id: str, _revision: int) -> None:
        self.show()

    @shows_results("How sure")
    def _on_progressed(self, _fraction: float) -> None:
        if self.service.is_running():
            self.strip.show_state(self._working(), self.service.progress)

    def show(self) -> None:
        """Everything as the service has it now."""
        service = self.service
        result = service.result()
        if not service.enabled:
            self.strip.show_state("90% intervals, rank bands and what drives the spread",
                                  None)
            self._clear(OFF)
        elif service.journey_id is None:
            self.strip.show_state("", None)
            self._clear(NO_JOURNEY)
        elif result is None:
            self.strip.show_state(self._working(), service.progress)
            self.cards.show_intervals({}, WORKING)
            self.charts.set_ranks(None)
            if self.evidence.showing_chart():
                self.evidence.set_stale(True)
            else:
                self.evidence.show_message(f"<i>{html.escape(self._working())}</i>")
        else:
            self._show_result(result)

    def _show_result(self, result: UncertaintyResult) -> None:
        found = result.value
        if found is None:
            message = result.message or "The uncertainty analysis failed."
            self.strip.show_state(html.escape(message), None)
            self.cards.show_intervals({}, "90%: —")
            self.charts.set_ranks(None)
            self.evidence.show_message(f"<b>Cannot work out how sure the figures are.</b>"
                                       f"<br>{html.escape(message)}")
            return
        draws = f"{found.samples:,} draws"
        if not found.inputs:
            self.strip.show_state("No figure carries evidence: every figure is exact as "
                                  "given (see the Evidence tab).", None)
        else:
            self.strip.show_state(f"{draws} of {found.inputs} uncertain "
                                  f"input{'s' * (found.inputs != 1)}", None)
        self.cards.show_intervals(found.intervals, "", draws)
        self.charts.set_ranks(dict(found.ranks) if found.inputs else None)
        if found.inputs:
            self.evidence.show_uncertainty(found)
        else:
            self.evidence.show_message(NO_EVIDENCE)

    def _clear(self, message: str) -> None:
        self.cards.show_intervals(None)
        self.charts.set_ranks(None)
        self.evidence.show_message(message)

    def _working(self) -> str:
        return f"Working out how sure the figures are ({self.service.samples:,} draws)…"
