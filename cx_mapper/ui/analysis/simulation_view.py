"""The Monte Carlo check on screen: simulated customers against the exact figures.

MODEL.md asks for an independent check: a simulator that follows individual customers
through the same rules must agree with the closed forms within statistical error. This
view runs `simulate` off the GUI thread on a snapshot of the journey, with progress and
a Cancel that stops it between steps, then shows each simulated mean ± its standard
error next to the exact value, and the spread (percentiles per customer) that the
closed forms cannot give. The exact figures are the analysis service's for the very
revision the snapshot was taken at. A result for an older revision is labelled stale.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.project import Project
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.engine.kpis import INTERACTIONS, KPIS, MODEL_HELP, NO_VALUE, Kpi, format_value
from cx_mapper.engine.results import Analysis, Totals
from cx_mapper.ui.analysis.segment_results import totals_value
from cx_mapper.ui.analysis.simulation_chart import PercentileChart
from cx_mapper.ui.analysis.tables import change_colour, read_only_table, set_header_tips
from cx_mapper.ui.document.analysis_service import Result, shows_results
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.document.workers import Outcome, Task, run_in_background, snapshot_project
from cx_mapper.ui.look.labels import muted_color

if TYPE_CHECKING:  # the simulation module imports SciPy: only at the first run
    from cx_mapper.engine.simulate import Simulation

#: The customers a run simulates unless the user asks for more or fewer: simulate's own
#: default (a test keeps them equal; asking simulate would import SciPy at start-up).
DEFAULT_CUSTOMERS = 10_000
MIN_CUSTOMERS = 100
#: Memory grows with customers (a row of figures each); two million is about half a GB.
MAX_CUSTOMERS = 2_000_000
#: A simulated mean this many standard errors from the exact value is flagged.
AGREEMENT_SE = 3.0
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
COLUMNS = ("Figure", "Exact (engine)", "Simulated mean", "± std. error", "Difference")


@dataclass(frozen=True, eq=False)
class SimulationRun:
    """One run as the view saw it end: its inputs, and what came of it."""

    journey_id: str
    revision: int
    customers: int
    seed: int
    simulation: Simulation | None = None
    exact: Analysis | None = None
    error: str | None = None
    cancelled: bool = False
    stale: bool = False  # the document changed while it ran

    @property
    def ok(self) -> bool:
        return self.simulation is not None and self.exact is not None


def run_simulation(project: Project, journey_id: str, customers: int, seed: int,
                   task: Task) -> Simulation:
    """The simulation of a snapshot (worker thread); its exact figures are the service's."""
    from cx_mapper.engine.simulate import simulate  # SciPy: imported at the first run

    return simulate(project, journey_id, customers=customers, seed=seed,
                    progress=task.report, cancelled=task.is_cancelled, validate=False)


def comparison_rows(simulation: Simulation, exact: Analysis) -> list[dict[str, object]]:
    """Per figure: exact value, simulated mean, its standard error and the gap in SEs.

    All in the KPI's shown units (the loyalty index on the −100..100 scale).
    """
    rows: list[dict[str, object]] = []
    for kpi in (INTERACTIONS, *KPIS):
        exact_value = kpi.value(exact)
        mean = totals_value_of(kpi, simulation.totals)
        error = totals_value_of(kpi, simulation.standard_errors)
        if exact_value is None and mean is None:
            continue  # no conversion touchpoint
        gap = None
        if exact_value is not None and mean is not None and error is not None:
            gap = (mean - exact_value) / error if error > 0 else (
                0.0 if math.isclose(mean, exact_value, abs_tol=1e-12) else math.inf)
        rows.append({"key": kpi.key, "label": kpi.label, "kpi": kpi, "exact": exact_value,
                     "mean": mean, "standard_error": error, "gap": gap})
    return rows


def totals_value_of(kpi: Kpi, totals: Totals) -> float | None:
    if kpi is INTERACTIONS:
        return float(totals.interactions)
    return totals_value(kpi.key, totals)


class SimulationView(QWidget):
    """Run the Monte Carlo check of one journey and read it against the exact figures."""

    finished = Signal(object)  # SimulationRun: done, failed or cancelled

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._journey_id: str | None = None
        self._task: Task | None = None
        self._task_inputs: tuple[str, int, int] | None = None
        self._task_exact: Analysis | None = None
        self._waiting = False  # for the exact figures of a large map, to start a run
        self._service = document.analysis
        self._run: SimulationRun | None = None
        self.last_progress = 0.0

        self.customers_spin = QSpinBox()
        self.customers_spin.setRange(MIN_CUSTOMERS, MAX_CUSTOMERS)
        self.customers_spin.setSingleStep(10_000)
        self.customers_spin.setGroupSeparatorShown(True)
        self.customers_spin.setValue(DEFAULT_CUSTOMERS)
        self.customers_spin.setToolTip(
            "Customers to follow. Standard errors shrink with the square root of this; "
            "memory and time grow with it.")
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setToolTip("The random seed: the same seed gives the same run.")
        self.run_button = QPushButton("Run")
        self.run_button.setToolTip("Simulate the journey's customers one by one")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the simulation")
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(True)
        self.progress.setMaximumWidth(220)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(QLabel("Customers"))
        bar.addWidget(self.customers_spin)
        bar.addWidget(QLabel("Seed"))
        bar.addWidget(self.seed_spin)
        bar.addWidget(self.run_button)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.progress)
        bar.addSpacing(8)
        bar.addWidget(self.status, 1)

        self.table = read_only_table(len(COLUMNS), list(COLUMNS))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        tips = ("", f"The exact figure from its formula (Help › {MODEL_HELP}).",
                "The mean over the simulated customers.",
                "The standard error of the simulated mean.",
                f"(simulated − exact) / standard error; within ±{AGREEMENT_SE:g} they agree.")
        set_header_tips(self.table, list(tips))
        self.chart = PercentileChart()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.chart)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([600, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self._service.analysis_ready.connect(self._on_analysis_ready)
        self._service.analysis_failed.connect(self._on_analysis_failed)
        document.revision_changed.connect(self._on_revision_changed)
        document.project_reset.connect(self._on_project_reset)
        self._set_running(False)
        self._show(None)

    # -- public -------------------------------------------------------------------------
    def set_journey(self, journey_id: str | None) -> None:
        """Simulate this journey from now on; a run of another journey is stopped."""
        if journey_id == self._journey_id:
            return
        self._journey_id = journey_id
        if self._task is not None or self._waiting:
            self.cancel()
        self._service.watch(self, [journey_id])
        self._show(None)

    def journey_id(self) -> str | None:
        return self._journey_id

    def run(self) -> bool:
        """Start a run of the current journey; False if one is running or none is set.

        The exact figures it is read against are the analysis service's for the current
        revision; on a large map whose analysis is still on its way, the run starts when
        it arrives.
        """
        journey_id = self._journey_id
        if self.is_running() or journey_id is None:
            return False
        try:
            self._document.journey(journey_id)
        except KeyError:
            self._set_status(f"There is no journey '{html.escape(journey_id)}'.", error=True)
            return False
        self._service.watch(self, [journey_id])
        self._service.refresh()
        exact = self._service.result_of(journey_id)
        if exact is None:
            self._waiting = True
            self._set_running(True)
            self._set_status("Waiting for the exact figures…", muted=True)
        else:
            self._start(exact)
        return True

    def _start(self, exact: Result) -> None:
        """Simulate the project as it is now, which is what `exact` describes."""
        self._waiting = False
        journey_id = exact.journey_id
        customers, seed = self.customers_spin.value(), self.seed_spin.value()
        if exact.analysis is None:
            self._set_running(False)
            reason = exact.message or "The journey cannot be analysed."
            run = SimulationRun(journey_id, exact.revision, customers, seed, error=reason)
            self._show(None)
            self._set_status(f"<b>Cannot simulate this journey.</b> {html.escape(reason)}",
                             error=True)
            self.finished.emit(run)
            return
        document = self._document
        project = snapshot_project(document.project, [journey_id])
        self._task_inputs = (journey_id, customers, seed)
        self._task_exact = exact.analysis
        self.last_progress = 0.0
        self.progress.setValue(0)
        self._set_running(True)
        self._set_status(f"Simulating {customers:,} customers…", muted=True)
        self._task = run_in_background(
            lambda task: run_simulation(project, journey_id, customers, seed, task),
            exact.revision, current_revision=lambda: document.revision,
            on_finished=self._on_finished, on_progress=self._on_progress)

    @shows_results("The simulation")
    def _on_analysis_ready(self, journey_id: str, revision: int, _analysis: object) -> None:
        self._on_exact_arrived(journey_id, revision)

    @shows_results("The simulation")
    def _on_analysis_failed(self, journey_id: str, revision: int, _message: str) -> None:
        self._on_exact_arrived(journey_id, revision)

    def _on_exact_arrived(self, journey_id: str, revision: int) -> None:
        if not self._waiting or journey_id != self._journey_id:
            return
        exact = self._service.result_of(journey_id)
        if exact is not None and exact.revision == revision:
            self._start(exact)

    def cancel(self) -> None:
        """Stop the running simulation; the view is ready again once it has stopped."""
        if self._waiting:
            self._waiting = False
            self._set_running(False)
            self._set_status("Cancelled. Run again to simulate.", muted=True)
            journey_id = self._journey_id or ""
            self.finished.emit(SimulationRun(journey_id, self._document.revision,
                                             self.customers_spin.value(),
                                             self.seed_spin.value(), cancelled=True))
        if self._task is not None:
            self._task.cancel()
            self.cancel_button.setEnabled(False)
            self._set_status("Cancelling…", muted=True)

    def is_running(self) -> bool:
        return self._task is not None or self._waiting

    def result(self) -> SimulationRun | None:
        """The run on show (possibly stale; see `is_stale`)."""
        return self._run

    def is_stale(self) -> bool:
        """The run on show is for an older revision of the project."""
        run = self._run
        return run is not None and (run.stale or run.revision != self._document.revision)

    def rows(self) -> list[dict[str, object]]:
        run = self._run
        return comparison_rows(run.simulation, run.exact) if (
            run is not None and run.simulation is not None and run.exact is not None) else []

    def message(self) -> str:
        return self.status.text()

    # -- running --------------------------------------------------------------------------
    def _on_progress(self, fraction: float) -> None:
        self.last_progress = fraction
        self.progress.setValue(round(100 * fraction))

    def _on_finished(self, outcome: Outcome) -> None:
        self._task = None
        journey_id, customers, seed = self._task_inputs or ("", 0, 0)
        exact, self._task_inputs, self._task_exact = self._task_exact, None, None
        self._set_running(False)
        inputs = (journey_id, outcome.revision, customers, seed)
        if outcome.cancelled and outcome.error is not None:
            run = SimulationRun(*inputs, cancelled=True)
            self._set_status("Cancelled. Run again to simulate.", muted=True)
        elif outcome.error is not None:
            known = isinstance(outcome.error, AnalysisError | ValueError)
            reason = (str(outcome.error) if known
                      else f"{type(outcome.error).__name__}: {outcome.error}")
            run = SimulationRun(*inputs, error=reason, stale=outcome.stale)
            self._show(None)
            self._set_status(f"<b>Cannot simulate this journey.</b> {html.escape(reason)}",
                             error=True)
        elif journey_id != self._journey_id:
            run = SimulationRun(*inputs, stale=True)  # for a journey no longer on show
        else:
            run = SimulationRun(*inputs, outcome.value, exact, stale=outcome.stale)
            self._show(run)
        self.finished.emit(run)

    def _set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.customers_spin.setEnabled(not running)
        self.seed_spin.setEnabled(not running)
        self.progress.setVisible(running)

    # -- showing ---------------------------------------------------------------------------
    def _on_revision_changed(self, _revision: int) -> None:
        if self._run is not None and self._run.ok:
            self._show(self._run)  # now labelled stale

    def _on_project_reset(self) -> None:
        if self._task is not None or self._waiting:
            self.cancel()
        self._show(None)

    def _show(self, run: SimulationRun | None) -> None:
        self._run = run
        if run is None or run.simulation is None or run.exact is None:
            self.table.setRowCount(0)
            self.chart.show_message("Run the simulation to see the spread per customer.")
            if not self.is_running():
                self._set_status("Run follows simulated customers one by one; their means "
                                 "should agree with the exact figures.", muted=True)
            return
        simulation, exact = run.simulation, run.exact
        stale = self.is_stale()
        rows = comparison_rows(simulation, exact)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            kpi: Kpi = row["kpi"]  # type: ignore[assignment]
            gap = row["gap"]
            cells = [
                _cell(kpi.label if kpi.on_card else f"    {kpi.label}", tooltip=kpi.tooltip(),
                      left=True),
                _cell(format_value(kpi, row["exact"])),  # type: ignore[arg-type]
                _cell(format_value(kpi, row["mean"])),  # type: ignore[arg-type]
                _cell(_error_text(kpi, row["standard_error"])),  # type: ignore[arg-type]
                _gap_cell(gap),  # type: ignore[arg-type]
            ]
            for column, item in enumerate(cells):
                if stale:
                    item.setForeground(muted_color())
                self.table.setItem(r, column, item)
        self.chart.show_simulation(simulation, exact)
        notes = [f"{simulation.customers:,} customers, seed {simulation.seed}, "
                 f"{simulation.steps:,} steps. First generation: referred customers are not "
                 "followed."]
        if simulation.truncated:
            notes.append("Stopped at the step limit with customers still active: the means "
                         "are low.")
        if stale:
            self._set_status("<b>Stale:</b> the journey changed after this run. Run again "
                             "for current figures.", error=True)
        else:
            self._set_status(" ".join(notes), muted=True)
        self.chart.set_stale(stale)

    def _set_status(self, text: str, *, muted: bool = False, error: bool = False) -> None:
        self.status.setText(text)
        colour = change_colour(-1.0, True) if error else muted_color() if muted else None
        self.status.setStyleSheet(f"color: {colour.name()};" if colour is not None else "")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        themes = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if event.type() in themes and getattr(self, "_run", None) is not None:
            self._show(self._run)


def _cell(text: str, *, tooltip: str = "", left: bool = False,
          colour: QColor | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                          if left else RIGHT)
    if tooltip:
        item.setToolTip(tooltip)
    if colour is not None:
        item.setForeground(colour)
    return item


def _error_text(kpi: Kpi, error: float | None) -> str:
    if error is None or math.isnan(error):
        return NO_VALUE
    if kpi.spec.endswith("%"):
        return f"± {100 * error:.2f} pp"
    digits = kpi.spec.lstrip("+,").rstrip("f%")
    places = int(digits.lstrip(".") or 0) + 1  # one more place than the value shows
    return f"± {error:,.{places}f}"


def _gap_cell(gap: float | None) -> QTableWidgetItem:
    if gap is None:
        return _cell(NO_VALUE)
    if math.isinf(gap):
        return _cell("differs", colour=change_colour(-1.0, True),
                     tooltip="The simulation has no spread here but differs from the exact "
                             "value.")
    text = f"{gap:+.1f} SE".replace("-", "−")
    if abs(gap) <= AGREEMENT_SE:
        return _cell(f"{text}  ✓", colour=change_colour(1.0, True),
                     tooltip=f"Within {AGREEMENT_SE:g} standard errors: they agree.")
    return _cell(f"{text}  ⚠", colour=change_colour(-1.0, True),
                 tooltip=f"More than {AGREEMENT_SE:g} standard errors apart: expected about "
                         "once in 370 figures by chance; more often, a bug.")
