"""The objective the matrix and the plan rank by: one KPI, or a weighted sum of KPIs with
the user's weights (in each KPI's engine units, as `cx-mapper plan --objective` takes)."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.engine.kpis import KPIS
from cx_mapper.ui.plan.figures import DEFAULT_OBJECTIVE
from cx_mapper.ui.plan.words import WEIGHTED

#: The KPIs one can rank by: every declared one but the public/private split.
RANKABLE = tuple(kpi for kpi in KPIS if kpi.on_card)
WEIGHTS_PER_ROW = 4


class ObjectiveBar(QWidget):
    """A combo of KPIs and "Weighted", and the weights while weighted."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setAccessibleName("Objective")
        self.combo.setToolTip("What the matrix and the plan count as the gain: one key "
                              "figure, or a weighted sum of several")
        for kpi in RANKABLE:
            self.combo.addItem(kpi.label, kpi.key)
        self.combo.addItem("Weighted…", WEIGHTED)
        self.combo.setCurrentIndex(self.combo.findData(next(iter(DEFAULT_OBJECTIVE))))
        self.weights: dict[str, QDoubleSpinBox] = {}
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        for index, kpi in enumerate(RANKABLE):
            spin = QDoubleSpinBox()
            spin.setRange(-1e6, 1e6)
            spin.setDecimals(2)
            spin.setKeyboardTracking(False)
            spin.setAccessibleName(f"Weight of {kpi.label}")
            spin.setToolTip(f"Weight of {kpi.label} per engine unit ({kpi.unit}); "
                            "0 leaves it out")
            spin.setValue(DEFAULT_OBJECTIVE.get(kpi.key, 0.0))
            spin.valueChanged.connect(lambda _v: self.changed.emit())
            self.weights[kpi.key] = spin
            row, column = divmod(index, WEIGHTS_PER_ROW)
            grid.addWidget(QLabel(kpi.label), row, 2 * column)
            grid.addWidget(spin, row, 2 * column + 1)
        self.weights_box = QWidget()
        self.weights_box.setLayout(grid)
        self.weights_box.hide()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        label = QLabel("&Objective:")
        label.setBuddy(self.combo)
        top.addWidget(label)
        top.addWidget(self.combo)
        top.addStretch(1)
        self.extra = top  # the dock puts its journey line here
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.weights_box)
        self._single = self.combo.currentData()  # the KPI ranked by before "Weighted…"
        self.combo.currentIndexChanged.connect(self._on_combo_changed)

    def objective(self) -> dict[str, float]:
        """Weights by KPI key (a single KPI weighs 1)."""
        key = self.combo.currentData()
        if key != WEIGHTED:
            return {key: 1.0}
        return {k: spin.value() for k, spin in self.weights.items() if spin.value() != 0}

    def set_objective(self, objective: dict[str, float]) -> None:
        single = len(objective) == 1 and next(iter(objective.values())) == 1.0
        with QSignalBlocker(self.combo):
            self.combo.setCurrentIndex(self.combo.findData(
                next(iter(objective)) if single else WEIGHTED))
            if single:
                self._single = next(iter(objective))
            for key, spin in self.weights.items():
                with QSignalBlocker(spin):
                    spin.setValue(objective.get(key, 0.0))
        self.weights_box.setVisible(self.combo.currentData() == WEIGHTED)
        self.changed.emit()

    def _on_combo_changed(self, _index: int) -> None:
        """Weighting starts from the KPI ranked by until now, at weight 1."""
        key = self.combo.currentData()
        if key == WEIGHTED:
            for name, spin in self.weights.items():
                with QSignalBlocker(spin):
                    spin.setValue(1.0 if name == self._single else 0.0)
        else:
            self._single = key
        self.weights_box.setVisible(key == WEIGHTED)
        self.changed.emit()
