"""The plan: type a budget, see the best set of opportunities to fund for the objective,
what they gain together on every KPI, what the budget leaves, whether the engine proved
it optimal, greedy-by-ratio's choice beside it, and the frontier (the best objective at
every budget, a step line with the typed budget marked). "Make a future state from this
plan" adds a journey with the funded opportunities applied, as one undo step."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.opportunities import COST_RANGE
from cx_mapper.engine.kpis import single_kpi
from cx_mapper.ui.look.labels import ToneLabel
from cx_mapper.ui.plan.gains_table import GainsTable
from cx_mapper.ui.plan.plot_look import prepare, with_alpha
from cx_mapper.ui.plan.words import (
    PREFIX_UNITS,
    cost_text,
    objective_label,
    score_text,
    score_value,
)

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
ODDS_HEADER = "P(gain > 0)"
ODDS_TIP = ("With Show uncertainty on: the chance that the opportunity's own gain on the "
            "objective is above zero, over the draws of the figures' evidence")


class PlanView(QWidget):
    """The budget, the plan and the frontier of the journey on show."""

    budget_changed = Signal(float)
    future_state_requested = Signal(object)  # the funded opportunity ids

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plan: Any = None
        self._shown: tuple[Any, ...] = ()
        self.budget_spin = QDoubleSpinBox()
        self.budget_spin.setRange(0.0, COST_RANGE[1] or 1e12)
        self.budget_spin.setDecimals(0)
        self.budget_spin.setSingleStep(1000.0)
        self.budget_spin.setGroupSeparatorShown(True)
        self.budget_spin.setKeyboardTracking(False)
        self.budget_spin.setAccelerated(True)
        self.budget_spin.setMinimumWidth(150)
        self.budget_spin.setAccessibleName("Budget")
        self.budget_spin.setToolTip("What the plan may spend, in the project's cost unit "
                                    "(File > Project properties)")
        self.budget_spin.valueChanged.connect(lambda value: self.budget_changed.emit(value))
        self.summary = QLabel()
        self.summary.setObjectName("planSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.funded = QTableWidget(0, 4)
        self.funded.setHorizontalHeaderLabels(["Funded", "Cost", "Gain"])
        odds_heading = QTableWidgetItem(ODDS_HEADER)
        odds_heading.setToolTip(ODDS_TIP)
        self.funded.setHorizontalHeaderItem(3, odds_heading)
        self.funded.setColumnHidden(3, True)
        self._odds: tuple[Mapping[str, Any] | None, float | None, str] = (None, None, "")
        self.funded.verticalHeader().setVisible(False)
        self.funded.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.funded.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.funded.setAlternatingRowColors(True)
        self.funded.verticalHeader().setDefaultSectionSize(self.funded.fontMetrics().height() + 6)
        header = self.funded.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.gains = GainsTable()
        self.gains.setAccessibleName("What the plan gains together")
        self.chance = QLabel()
        self.chance.setObjectName("planChance")
        self.chance.setWordWrap(True)
        self.chance.hide()
        self.comparison = ToneLabel()
        self.comparison.setObjectName("planComparison")
        self.future_button = QPushButton("Make a future state from this plan")
        self.future_button.setToolTip("Add a journey with the funded opportunities applied, "
                                      "ready to compare with this one (Ctrl+Z undoes)")
        self.future_button.clicked.connect(self._on_future_state)
        self.frontier = pg.PlotWidget()
        self.frontier.setAccessibleName("Frontier: the best objective at each budget")
        self.frontier_items: dict[str, Any] = {}

        budget_row = QHBoxLayout()
        label = QLabel("&Budget:")
        label.setBuddy(self.budget_spin)
        budget_row.addWidget(label)
        budget_row.addWidget(self.budget_spin)
        budget_row.addStretch(1)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(8, 8, 8, 8)
        column.setSpacing(6)
        column.addLayout(budget_row)
        column.addWidget(self.summary)
        column.addWidget(self.funded)
        column.addWidget(self.chance)
        column.addWidget(QLabel("<b>Together they gain</b>"))
        column.addWidget(self.gains)
        column.addWidget(self.comparison)
        column.addWidget(self.future_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(left)
        scroll.setMinimumWidth(340)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(self.frontier)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([460, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.show_plan(None, "", None, "No plan yet.")

    def budget(self) -> float:
        return float(self.budget_spin.value())

    def set_budget(self, value: float) -> None:
        with QSignalBlocker(self.budget_spin):
            self.budget_spin.setValue(value)

    def set_unit(self, unit: str) -> None:
        prefix = unit in PREFIX_UNITS
        self.budget_spin.setPrefix(f"{unit} " if unit and prefix else "")
        self.budget_spin.setSuffix(f" {unit}" if unit and not prefix else "")

    def show_plan(self, journey: Journey | None, unit: str, plan: Any, message: str,
                  *, stale: bool = False) -> None:
        """Show a Plan (engine/plan.py), or `message` when there is none."""
        self._shown = (journey, unit, plan, message)
        self._plan = plan if not stale else None
        self.set_unit(unit)
        for widget in (self.funded, self.gains, self.frontier):
            widget.setEnabled(not stale)
        self.future_button.setEnabled(plan is not None and not stale and bool(plan.chosen))
        if plan is None or journey is None:
            self.chance.hide()
            self.summary.setText(html.escape(message))
            self.summary.setToolTip("")
            self.funded.setRowCount(0)
            self.gains.show_gains({})
            self.comparison.setText("")
            self._draw_frontier(None, unit)
            return
        titles = {o.id: o.title or o.id for o in journey.opportunities}
        costs = {o.id: o.cost for o in journey.opportunities}
        objective = dict(plan.objective)
        usable = len(journey.opportunities) - len(plan.unusable)
        proof = ("Proven the best plan for this budget." if plan.optimal else
                 f"The best plan found; the best possible is at most "
                 f"{score_text(objective, abs(plan.gap or 0.0), signed=False)} better."
                 if plan.gap is not None else "The best plan found (not proven optimal).")
        words = [f"<b>Fund {len(plan.chosen)} of {usable} opportunit"
                 f"{'y' if usable == 1 else 'ies'}</b> for {cost_text(plan.cost, unit)}; "
                 f"{cost_text(max(plan.left, 0.0), unit)} of the budget left.",
                 f"{html.escape(objective_label(objective))}: "
                 f"{_change_words(objective, plan.before, plan.score)}.",
                 html.escape(proof)]
        self.summary.setToolTip(f"How: {plan.method}")
        if not plan.chosen:
            words[0] = (f"<b>Fund nothing</b>: no opportunity within "
                        f"{cost_text(plan.budget, unit)} raises the objective.")
        if stale:
            words.insert(0, "<i>Updating…</i>")
        self.summary.setText("<br>".join(words))
        self.funded.setRowCount(len(plan.chosen))
        for row, opportunity_id in enumerate(plan.chosen):
            cost = QTableWidgetItem(cost_text(costs.get(opportunity_id, 0.0), unit))
            cost.setTextAlignment(RIGHT)
            self.funded.setItem(row, 0, QTableWidgetItem(titles.get(opportunity_id,
                                                                    opportunity_id)))
            self.funded.setItem(row, 1, cost)
            gain = QTableWidgetItem("")
            self.funded.setItem(row, 2, gain)
        self.funded.setFixedHeight(self.funded.horizontalHeader().height() + 4
                                   + max(1, len(plan.chosen))
                                   * self.funded.verticalHeader().defaultSectionSize())
        self.gains.show_gains(plan.gains, plan.before)
        notes = []
        greedy = [titles.get(g, g) for g in plan.greedy]
        if tuple(plan.greedy) == tuple(plan.chosen):
            notes.append("Greedy by gain per cost picks the same opportunities.")
        else:
            notes.append(f"Greedy by gain per cost would fund {', '.join(greedy) or 'nothing'}"
                         f" for {score_text(objective, plan.greedy_score)}.")
        for a, b in plan.exclusions:
            notes.append(f"'{titles.get(a, a)}' and '{titles.get(b, b)}' change the same "
                         "thing: at most one of them can be funded.")
        for opportunity_id, why in plan.unusable.items():
            notes.append(f"Left out '{titles.get(opportunity_id, opportunity_id)}': {why}")
        self.comparison.setText("\n".join(notes))
        self._draw_frontier(plan, unit)
        self.show_odds(*self._odds)

    def show_odds(self, odds: Mapping[str, Any] | None, plan_chance: float | None = None,
                  note: str = "") -> None:
        """With uncertainty on, each funded opportunity's P(gain > 0) (engine Odds by id)
        and how often the plan is the best option; `note` while they are worked out;
        None hides them."""
        self._odds = (odds, plan_chance, note)
        self.funded.setColumnHidden(3, odds is None)
        plan = self._shown[2] if self._shown else None  # greyed while stale: odds too
        for row, opportunity_id in enumerate(plan.chosen if plan is not None else ()):
            found = (odds or {}).get(opportunity_id)
            item = QTableWidgetItem(note if found is None else f"{found.p_positive:.0%}")
            item.setTextAlignment(RIGHT)
            if found is not None:
                item.setToolTip(f"Gains on the objective in {found.p_positive:.0%} of the "
                                f"draws; in the best option in {found.p_best:.0%}.")
            self.funded.setItem(row, 3, item)
        if odds is None or plan is None:
            self.chance.hide()
            return
        self.chance.setText(f"The plan is the best option in {plan_chance:.0%} of draws."
                            if plan_chance is not None else note)
        self.chance.setVisible(bool(self.chance.text()))

    def odds_texts(self) -> dict[str, str]:
        """Funded title -> its P(gain > 0) as shown (empty when hidden)."""
        if self.funded.isColumnHidden(3):
            return {}
        texts = {}
        for row in range(self.funded.rowCount()):
            title, odds = self.funded.item(row, 0), self.funded.item(row, 3)
            if title is not None:
                texts[title.text()] = odds.text() if odds is not None else ""
        return texts

    def set_funded_gains(self, texts: dict[str, str]) -> None:
        """Each funded opportunity's own gain on the objective, by id."""
        plan = self._plan
        if plan is None:
            return
        for row, opportunity_id in enumerate(plan.chosen):
            item = QTableWidgetItem(texts.get(opportunity_id, ""))
            item.setTextAlignment(RIGHT)
            self.funded.setItem(row, 2, item)

    def _draw_frontier(self, plan: Any, unit: str) -> None:
        objective = dict(plan.objective) if plan is not None else {}
        colours = prepare(self.frontier, f"Budget ({unit})" if unit else "Budget",
                          f"Best: {objective_label(objective)}" if objective else "Best gain")
        self.frontier_items = {}
        if plan is None or not plan.frontier:
            return
        budgets = [p.budget for p in plan.frontier]
        scores = [score_value(objective, p.score) for p in plan.frontier]
        end = max(max(budgets) * 1.08, plan.budget * 1.05, 1.0)
        # Each point's score holds from its budget up to the next point's (and past the
        # last one): a step line, rising at each budget.
        edges = [*budgets[1:], end]
        x = np.array([v for b, e in zip(budgets, edges, strict=True) for v in (b, e)],
                     dtype=float)
        y = np.repeat(np.array(scores, dtype=float), 2)
        curve = pg.PlotDataItem(x, y,
                                pen=pg.mkPen(colours.visits, width=2.5),
                                fillLevel=min(0.0, float(y.min())),
                                brush=pg.mkBrush(with_alpha(colours.visits, 40)))
        plot = self.frontier.getPlotItem()
        plot.addItem(curve)
        dots = pg.ScatterPlotItem(x=budgets, y=scores, size=7, brush=pg.mkBrush(colours.visits),
                                  pen=pg.mkPen(None))
        plot.addItem(dots)
        marker = pg.InfiniteLine(pos=plan.budget, angle=90,
                                 pen=pg.mkPen(colours.card_text, width=1.5,
                                              style=Qt.PenStyle.DashLine),
                                 label=f"budget {cost_text(plan.budget, unit)}",
                                 labelOpts={"position": 0.92, "color": colours.card_text,
                                            "anchors": [(0, 1), (0, 1)]})
        plot.addItem(marker)
        here = pg.ScatterPlotItem(x=[plan.budget],
                                  y=[score_value(objective, plan.score)], size=12,
                                  brush=pg.mkBrush(colours.good_text),
                                  pen=pg.mkPen(colours.card_fill, width=1.5))
        plot.addItem(here)
        plot.setXRange(0, end, padding=0.02)
        self.frontier_items = {"curve": curve, "budget": marker, "plan": here}

    def _on_future_state(self) -> None:
        if self._plan is not None and self._plan.chosen:
            self.future_state_requested.emit(tuple(self._plan.chosen))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and self._shown:
            self._draw_frontier(self._shown[2], self._shown[1])



def _change_words(objective: dict[str, float], before: dict[str, float], score: float) -> str:
    """"+6.6 → +10.4 (<b>+3.9</b>)" for one KPI the journey has a figure of, else the
    change alone."""
    change = f"<b>{score_text(objective, score)}</b>"
    kpi = single_kpi(objective)
    if kpi is None or kpi.key not in before:
        return change
    now = before[kpi.key]
    return f"{kpi.value_text(now)} → {kpi.value_text(now + score)} ({change})"
