"""Scenario compare: two journeys of the project side by side, B against baseline A.

The figures are the engine's, read from the document's analysis service (which analyses
a large map on a worker): every delta shown is B's engine value minus A's. Touchpoints
are matched by id, else by a unique name, so a future-state journey copied from the
current one lines up touchpoint for touchpoint; the rest show as added or removed.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.journey import Journey
from cx_mapper.engine.kpis import KPIS, NO_VALUE, Kpi, format_delta, format_value
from cx_mapper.engine.results import Analysis
from cx_mapper.ui.analysis.charts import NO_STAGE, journey_order
from cx_mapper.ui.analysis.compare_chart import LoyaltyOverlay
from cx_mapper.ui.analysis.tables import change_colour, read_only_table, set_header_tips, table_item
from cx_mapper.ui.analysis.updating import grey_while_updating
from cx_mapper.ui.document.analysis_service import Result, shows_results
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.look.labels import muted_color, set_text_color

#: (row key, header, tooltip, higher is better; None: not a delta column)
TOUCHPOINT_COLUMNS: tuple[tuple[str, str, str, bool | None], ...] = (
    ("name", "Touchpoint", "Matched by id, else by name; others are only in A or only in B.",
     None),
    ("stage", "Stage", "The touchpoint's stage (B's where it is in both).", None),
    ("satisfaction_a", "Sat. A", "Satisfaction in A, −1 to +1.", None),
    ("satisfaction_b", "Sat. B", "Satisfaction in B, −1 to +1.", None),
    ("visits_a", "Visits A", "Expected discounted visits per entering customer in A.", None),
    ("visits_b", "Visits B", "Expected discounted visits per entering customer in B.", None),
    ("loyalty_a", "Loyalty A", "Mean loyalty after the touchpoint in A, −100 to +100.", None),
    ("loyalty_b", "Loyalty B", "Mean loyalty after the touchpoint in B, −100 to +100.", None),
    ("loyalty_delta", "Δ Loyalty", "Loyalty after the touchpoint, B − A.", True),
    ("exposure_positive_delta", "Δ Exp. +",
     "People hearing good things per customer, B − A (a missing side counts as 0).", True),
    ("exposure_negative_delta", "Δ Exp. −",
     "People hearing bad things per customer, B − A (a missing side counts as 0).", False),
)
_FORMATS = {"satisfaction": "+.2f", "visits": ".3f", "loyalty": "+.1f", "exposure": "+,.2f"}
#: The key figures in two blocks side by side, so that every one shows at the dock's
#: default height: what customers do, and what people hear.
KPI_BLOCKS = ("Key figure", "Word of mouth")


def kpi_blocks(kpis: list[Kpi]) -> tuple[list[Kpi], list[Kpi]]:
    """The key figures of each block, in their declared order."""
    return ([k for k in kpis if not k.key.startswith("exposure")],
            [k for k in kpis if k.key.startswith("exposure")])


# -- what is compared (plain data) ----------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ComparedPair:
    """Both journeys' analyses (or why one failed) and the matched touchpoint rows."""

    a_id: str
    b_id: str
    journey_a: Journey | None
    journey_b: Journey | None
    analysis_a: Analysis | None
    analysis_b: Analysis | None
    error_a: str | None = None
    error_b: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.analysis_a is not None and self.analysis_b is not None


def pair_of(journeys: list[Journey], a: Result, b: Result) -> ComparedPair:
    """Both journeys' results from the analysis service, with their touchpoints matched."""
    by_id = {journey.id: journey for journey in journeys}
    ja, jb = by_id.get(a.journey_id), by_id.get(b.journey_id)
    rows: list[dict[str, Any]] = []
    if ja is not None and jb is not None and a.analysis is not None and b.analysis is not None:
        rows = match_rows(ja, a.analysis, jb, b.analysis)
    return ComparedPair(a.journey_id, b.journey_id, ja, jb, a.analysis, b.analysis,
                        None if a.analysis is not None else a.message or "",
                        None if b.analysis is not None else b.message or "", rows)


def kpi_deltas(a: Analysis, b: Analysis) -> dict[str, float]:
    """B − A for every KPI both have, in the units the KPI shows (loyalty index x 100)."""
    deltas = {}
    for kpi in KPIS:
        value_a, value_b = kpi.value(a), kpi.value(b)
        if value_a is not None and value_b is not None:
            deltas[kpi.key] = value_b - value_a
    return deltas


def match_rows(ja: Journey, aa: Analysis, jb: Journey, ab: Analysis) -> list[dict[str, Any]]:
    """One row per touchpoint of either journey, in stage order along B's flow.

    Touchpoints pair by id, then by a name unique on both sides. Touchpoints only in A
    go after their predecessor along A's flow, and the rows are kept grouped by stage.
    Loyalty is shown on the −100..100 scale; exposure deltas count a missing side as 0.
    """
    order_b = [(stage, tid) for stage, ids in journey_order(jb, ab) for tid in ids]
    order_a = [(stage, tid) for stage, ids in journey_order(ja, aa) for tid in ids]
    a_of_b = {tid: tid for _, tid in order_b if tid in ja.touchpoints}
    lonely_a = {tid for _, tid in order_a} - set(a_of_b.values())
    lonely_b = [tid for _, tid in order_b if tid not in a_of_b]
    names_a = _unique_names(ja, lonely_a)
    names_b = _unique_names(jb, set(lonely_b))
    for key, b_id in names_b.items():
        if key in names_a:
            a_of_b[b_id] = names_a[key]
    b_of_a = {a: b for b, a in a_of_b.items()}

    rows = [_row(ja, aa, a_of_b.get(tid), jb, ab, tid, stage) for stage, tid in order_b]
    where = {row["b_id"]: i for i, row in enumerate(rows)}
    anchor: int | None = None
    for stage, tid in order_a:
        if tid in b_of_a:
            anchor = where[b_of_a[tid]] + 1
            continue
        position = anchor if anchor is not None else len(rows)
        rows.insert(position, _row(ja, aa, tid, jb, ab, None, stage))
        where = {row["b_id"]: i for i, row in enumerate(rows) if row["b_id"] is not None}
        anchor = position + 1
    rank = {stage: i for i, stage in enumerate(dict.fromkeys(
        [s for s, _ in order_b] + [s for s, _ in order_a]))}
    rank[NO_STAGE] = len(rank)
    rows.sort(key=lambda row: rank[row["stage"]])  # stable: the flow order stays in a stage
    return rows


def _unique_names(journey: Journey, ids: set[str]) -> dict[str, str]:
    """Normalised name -> id, for names that only one of `ids` carries."""
    seen: dict[str, list[str]] = {}
    for tid in ids:
        name = journey.touchpoints[tid].name.strip().casefold()
        if name:
            seen.setdefault(name, []).append(tid)
    return {name: found[0] for name, found in seen.items() if len(found) == 1}


def _row(ja: Journey, aa: Analysis, a_id: str | None, jb: Journey, ab: Analysis,
         b_id: str | None, stage: str) -> dict[str, Any]:
    def figures(journey: Journey, analysis: Analysis, tid: str | None) -> dict[str, Any]:
        if tid is None:
            return {"satisfaction": None, "visits": None, "loyalty": None,
                    "exposure_positive": 0.0, "exposure_negative": 0.0, "name": None}
        record = analysis.touchpoint(tid)
        return {"satisfaction": journey.touchpoints[tid].satisfaction,
                "visits": record.visits,
                "loyalty": None if record.loyalty is None else 100 * record.loyalty,
                "exposure_positive": record.exposure_positive,
                "exposure_negative": record.exposure_negative,
                "name": journey.touchpoints[tid].name or tid}

    fa, fb = figures(ja, aa, a_id), figures(jb, ab, b_id)
    loyalty_delta = (fb["loyalty"] - fa["loyalty"]
                     if fa["loyalty"] is not None and fb["loyalty"] is not None else None)
    return {
        "status": "added" if a_id is None else "removed" if b_id is None else "matched",
        "a_id": a_id, "b_id": b_id, "name": fb["name"] or fa["name"], "stage": stage,
        "satisfaction_a": fa["satisfaction"], "satisfaction_b": fb["satisfaction"],
        "visits_a": fa["visits"], "visits_b": fb["visits"],
        "loyalty_a": fa["loyalty"], "loyalty_b": fb["loyalty"], "loyalty_delta": loyalty_delta,
        "exposure_positive_delta": fb["exposure_positive"] - fa["exposure_positive"],
        "exposure_negative_delta": fb["exposure_negative"] - fa["exposure_negative"],
    }


# -- the panel ----------------------------------------------------------------------------
class ComparePanel(QWidget):
    """Journey B against baseline A: key-figure deltas, touchpoints and loyalty curves.

    While on show it watches its two journeys through the analysis service; after an
    edit the figures are greyed until both journeys' results for the new revision are
    in (a hidden panel catches up when shown). An older revision's result is never shown.
    """

    updated = Signal()  # a result or a message for the current revision is on show

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._pair: ComparedPair | None = None
        self._problem: str | None = None
        self._shown_revision = -1
        self._service = document.analysis

        self.picker_a = QComboBox()
        self.picker_b = QComboBox()
        for picker, text in ((self.picker_a, "The baseline: deltas are B − A."),
                             (self.picker_b, "The journey compared with A.")):
            picker.setToolTip(text)
            picker.setMinimumContentsLength(14)
            picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            picker.currentIndexChanged.connect(self._on_picker_changed)
        self.swap_button = QToolButton()
        self.swap_button.setText("⇄ Swap")
        self.swap_button.setToolTip("Make B the baseline")
        self.swap_button.clicked.connect(self._on_swap)
        self.status = QLabel()
        self.status.setObjectName("compareStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(QLabel("Baseline <b>A</b>"))
        bar.addWidget(self.picker_a)
        bar.addWidget(QLabel("vs <b>B</b>"))
        bar.addWidget(self.picker_b)
        bar.addWidget(self.swap_button)
        bar.addSpacing(12)
        bar.addWidget(self.status, 1)

        self.kpi_table = read_only_table(
            4 * len(KPI_BLOCKS), [h for block in KPI_BLOCKS for h in (block, "A", "B", "B − A")])
        self.kpi_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.touchpoint_table = read_only_table(
            len(TOUCHPOINT_COLUMNS), [c[1] for c in TOUCHPOINT_COLUMNS])
        set_header_tips(self.touchpoint_table, [c[2] for c in TOUCHPOINT_COLUMNS])
        header = self.touchpoint_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        self.chart = LoyaltyOverlay()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.chart, "Loyalty curves")
        self.tabs.addTab(self.touchpoint_table, "Touchpoints")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.kpi_table)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 900])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        self.notice = QLabel()
        self.notice.setObjectName("compareNotice")
        self.notice.setWordWrap(True)
        self.notice.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.setContentsMargins(12, 10, 12, 10)
        self.body = QStackedWidget()
        self.body.addWidget(self.splitter)
        self.body.addWidget(self.notice)
        layout.addWidget(self.body, 1)

        self._service.analysis_ready.connect(self._on_analysis_ready)
        self._service.analysis_failed.connect(self._on_analysis_failed)
        self._service.analysis_pending.connect(self._on_analysis_pending)
        document.journeys_changed.connect(self._on_journeys_changed)
        document.journey_changed.connect(self._on_journeys_changed)
        document.project_reset.connect(self._on_project_reset)
        self._fill_pickers(reset=True)

    # -- public -----------------------------------------------------------------------
    def set_pair(self, a_id: str, b_id: str) -> None:
        """Compare journey b_id against baseline a_id (KeyError for an unknown journey)."""
        for journey_id in (a_id, b_id):
            self._document.journey(journey_id)
        with QSignalBlocker(self.picker_a), QSignalBlocker(self.picker_b):
            self.picker_a.setCurrentIndex(self.picker_a.findData(a_id))
            self.picker_b.setCurrentIndex(self.picker_b.findData(b_id))
        self.refresh()

    def pair(self) -> tuple[str | None, str | None]:
        return self.picker_a.currentData(), self.picker_b.currentData()

    def result(self) -> ComparedPair | None:
        """The shown comparison when it is current, else None."""
        return self._pair if self.is_current() else None

    def is_current(self) -> bool:
        """What is on show belongs to the document's revision and the chosen pair."""
        pair = self._pair
        return (self._shown_revision == self._document.revision and pair is not None
                and (pair.a_id, pair.b_id) == self.pair())

    def rows(self) -> list[dict[str, Any]]:
        """The touchpoint rows on show (see `match_rows`)."""
        return list(self._pair.rows) if self._pair is not None else []

    def kpi_deltas(self) -> dict[str, float]:
        """B − A per KPI key on show, in the KPI's shown units."""
        pair = self._pair
        if pair is None or pair.analysis_a is None or pair.analysis_b is None:
            return {}
        return kpi_deltas(pair.analysis_a, pair.analysis_b)

    def message(self) -> str:
        """Why nothing is compared (when so), else the line above the figures."""
        if self.body.currentWidget() is self.notice:
            return self.notice.text()
        return self.status.text()

    def refresh(self) -> None:
        """Show the chosen pair's current results, asking the service for any missing."""
        a_id, b_id = self.pair()
        if a_id is None or b_id is None:
            self._service.watch(self, [])
            self._show_pair(None, "Add a second journey to compare two journeys.")
            return
        self._service.watch(self, [a_id, b_id] if self.isVisible() else [])
        self._show_current()

    # -- the service ----------------------------------------------------------------------
    @shows_results("Compare journeys")
    def _on_analysis_ready(self, journey_id: str, revision: int, _analysis: object) -> None:
        self._on_result(journey_id, revision)

    @shows_results("Compare journeys")
    def _on_analysis_failed(self, journey_id: str, revision: int, _message: str) -> None:
        self._on_result(journey_id, revision)

    @shows_results("Compare journeys")
    def _on_analysis_pending(self, journey_id: str, _revision: int) -> None:
        if journey_id in self.pair():
            self._set_updating(True)  # these figures are for an older revision

    def _on_result(self, journey_id: str, revision: int) -> None:
        if journey_id in self.pair() and revision == self._document.revision:
            self._show_current()

    def _show_current(self) -> None:
        """Both journeys' current results if the service has them; else greyed, waiting."""
        a_id, b_id = self.pair()
        a, b = self._service.result_of(a_id), self._service.result_of(b_id)
        if a is None or b is None:
            self._set_updating(True)
            return
        pair = pair_of(list(self._document.project.journeys), a, b)
        self._shown_revision = self._document.revision
        problems = []
        for side, journey, journey_id, error in (
                ("A", pair.journey_a, pair.a_id, pair.error_a),
                ("B", pair.journey_b, pair.b_id, pair.error_b)):
            if error is not None:
                name = html.escape(_journey_name(journey, journey_id))
                problems.append(f"<b>Cannot analyse {side} “{name}”</b>: {html.escape(error)}")
        self._show_pair(pair, "<br>".join(problems) if problems else None)

    def _set_updating(self, updating: bool) -> None:
        grey_while_updating(self.splitter, updating)
        if updating:
            self._set_status("Updating…", muted=True)

    # -- document -----------------------------------------------------------------------
    def _on_journeys_changed(self, *_args: object) -> None:
        self._fill_pickers(reset=False)
        self.refresh()

    def _on_project_reset(self) -> None:
        self._fill_pickers(reset=True)
        self.refresh()

    def _on_picker_changed(self, _index: int) -> None:
        self.refresh()

    def _on_swap(self) -> None:
        a_id, b_id = self.pair()
        if a_id is not None and b_id is not None:
            self.set_pair(b_id, a_id)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """On show: watch the pair again and catch up with the edits made meanwhile."""
        super().showEvent(event)
        self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        """A hidden panel asks for no analyses."""
        super().hideEvent(event)
        self._service.watch(self, [])

    def _fill_pickers(self, reset: bool) -> None:
        """Journey names in both pickers; keep the choice unless the project was replaced."""
        journeys = [(j.id, j.name or j.id) for j in self._document.project.journeys]
        ids = [jid for jid, _ in journeys]
        old_a, old_b = (None, None) if reset else self.pair()
        a_id = old_a if old_a in ids else (ids[0] if ids else None)
        b_id = old_b if old_b in ids else (ids[1] if len(ids) > 1 else None)
        with QSignalBlocker(self.picker_a), QSignalBlocker(self.picker_b):
            for picker, chosen in ((self.picker_a, a_id), (self.picker_b, b_id)):
                picker.clear()
                for jid, name in journeys:
                    picker.addItem(name, jid)
                picker.setCurrentIndex(picker.findData(chosen) if chosen is not None else -1)

    # -- results --------------------------------------------------------------------------
    def _show_pair(self, pair: ComparedPair | None, problem: str | None) -> None:
        self._pair, self._problem = pair, problem
        if pair is None:
            self._shown_revision = self._document.revision
        grey_while_updating(self.splitter, False)
        self._render()
        self.updated.emit()

    def _render(self) -> None:
        pair, problem = self._pair, self._problem
        ok = pair is not None and pair.ok
        self.body.setCurrentWidget(self.notice if problem is not None else self.splitter)
        if problem is not None and pair is None:
            self._set_status("", muted=True)  # nothing to compare yet
            self.notice.setText(problem)
            set_text_color(self.notice, muted_color())
        elif problem is not None:
            self._set_status("<b>Cannot compare these journeys.</b>", error=True)
            self.notice.setText(f"{problem}<br><i>The Problems list shows what to fix.</i>")
            set_text_color(self.notice, change_colour(-1.0, True))
        elif pair is not None and pair.a_id == pair.b_id:
            self._set_status("A and B are the same journey: every delta is 0.", muted=True)
        else:
            better, worse = change_colour(1.0, True), change_colour(-1.0, True)
            assert better is not None and worse is not None
            self._set_status(f"Deltas are B − A: <span style='color:{better.name()}'>green</span>"
                             f" is better, <span style='color:{worse.name()}'>vermillion</span>"
                             " worse.", muted=True)
        self._fill_kpis(pair if ok else None)
        self._fill_touchpoints(pair.rows if ok and pair is not None else [])
        if ok and pair is not None:
            self.chart.show_pair(pair.rows, _journey_name(pair.journey_a, pair.a_id),
                                 _journey_name(pair.journey_b, pair.b_id))
        else:
            self.chart.show_message("One of the journeys cannot be analysed."
                                    if problem is not None else "No comparison to show.")

    def _set_status(self, text: str, *, muted: bool = False, error: bool = False) -> None:
        self.status.setText(text)
        colour = (change_colour(-1.0, True) if error else muted_color() if muted else None)
        self.status.setStyleSheet(f"color: {colour.name()};" if colour is not None else "")

    def _fill_kpis(self, pair: ComparedPair | None) -> None:
        """Each block of key figures in its four columns: figure, A, B and B − A."""
        table = self.kpi_table
        a = pair.analysis_a if pair is not None else None
        b = pair.analysis_b if pair is not None else None
        table.clearContents()
        if a is None or b is None:
            table.setRowCount(0)
            return
        kpis = [k for k in KPIS if not (k.key == "conversion_probability"
                                        and k.value(a) is None and k.value(b) is None)]
        blocks = kpi_blocks(kpis)
        table.setRowCount(max(len(block) for block in blocks))
        for column, block in zip(range(0, table.columnCount(), 4), blocks, strict=True):
            for row, kpi in enumerate(block):
                self._fill_kpi_row(row, column, kpi, a, b)
        # As wide as its columns, so the splitter never hides one behind a scroll bar.
        table.resizeColumnsToContents()
        table.setFixedWidth(table.horizontalHeader().length() + 2 * table.frameWidth())

    def _fill_kpi_row(self, row: int, column: int, kpi: Kpi, a: Analysis, b: Analysis) -> None:
        table = self.kpi_table
        value_a, value_b = kpi.value(a), kpi.value(b)
        delta = (value_b - value_a if value_a is not None and value_b is not None else None)
        label = kpi.label if kpi.on_card else f"    {kpi.label}"
        table.setItem(row, column, table_item(label, right=False, tooltip=kpi.tooltip(),
                                              bold=kpi.on_card))
        table.setItem(row, column + 1, table_item(format_value(kpi, value_a),
                                                  tooltip=kpi.tooltip()))
        table.setItem(row, column + 2, table_item(format_value(kpi, value_b),
                                                  tooltip=kpi.tooltip()))
        text = _delta_text(kpi, delta)
        colour = None if _is_zero(text) else change_colour(delta, kpi.higher_is_better)
        table.setItem(row, column + 3, table_item(text, colour=colour, tooltip=_better_tip(kpi),
                                                  bold=True))

    def _fill_touchpoints(self, rows: list[dict[str, Any]]) -> None:
        table = self.touchpoint_table
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            status = row["status"]
            for column, (key, _, _, better) in enumerate(TOUCHPOINT_COLUMNS):
                value = row[key]
                if key == "name":
                    suffix = {"added": "  (only in B)", "removed": "  (only in A)"}.get(status, "")
                    tip = {"added": "Added in B", "removed": "Removed in B"}.get(status, "")
                    item = table_item(f"{value}{suffix}", right=False, italic=bool(suffix),
                                 tooltip=tip or str(value))
                elif key == "stage":
                    item = table_item(value, right=False)
                else:
                    text = _number(key, value)
                    changed = key == "satisfaction_b" and status == "matched" and (
                        row["satisfaction_a"] != row["satisfaction_b"])
                    colour = (None if better is None or _is_zero(text)
                              else change_colour(value, better))
                    item = table_item(text, colour=colour, bold=changed,
                                 tooltip="Changed from A" if changed else "")
                table.setItem(r, column, item)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        themes = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if event.type() in themes and (self._pair is not None or self._problem is not None):
            self._render()


# -- helpers ------------------------------------------------------------------------------
def _number(key: str, value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_VALUE
    spec = next(spec for prefix, spec in _FORMATS.items() if key.startswith(prefix))
    if key.endswith(("_a", "_b")) and spec.startswith("+") and not key.startswith(
            ("loyalty", "satisfaction")):
        spec = spec[1:]
    return _unsigned_zero(format(value, spec).replace("-", "−"))


def _delta_text(kpi: Kpi, delta: float | None) -> str:
    if delta is None:
        return NO_VALUE
    text = format_delta(kpi, delta)
    return _unsigned_zero(text)


def _is_zero(text: str) -> bool:
    """A number that rounds to zero as shown: its change is not worth a colour."""
    return not any(ch in "123456789" for ch in text)


def _unsigned_zero(text: str) -> str:
    """'+0.00' and '−0.00' read as a change; a change that rounds away is plain 0.00."""
    return text.lstrip("+−") if _is_zero(text) else text


def _better_tip(kpi: Kpi) -> str:
    return ("Higher is better." if kpi.higher_is_better else "Lower is better.")


def _journey_name(journey: Journey | None, journey_id: str) -> str:
    return journey.name if journey is not None and journey.name else journey_id


