"""The Segments panel: who takes the journeys, their shares and word-of-mouth habits.

One row per segment. The parameter columns come from the same declarations as the
inspector's fields (`properties.SEGMENT_PARAMETERS`), so their ranges, labels and the
tooltips with each default's source are written once. Edits go through the document,
one undo step each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.evidence import Evidence
from cx_mapper.domain.project import PRESETS, TRUST_ADVERTISING, Segment
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.properties import (
    SEGMENT_NAME,
    SEGMENT_PARAMETERS,
    SEGMENT_SHARE,
    Kind,
    Property,
    format_number,
)
from cx_mapper.ui.look.labels import ToneLabel

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    prop: Property | None  # None: computed, read-only


USED_SHARE = Column("used_share", "Used share", None)
COLUMNS: tuple[Column, ...] = (
    Column("name", "Name", SEGMENT_NAME),
    Column("share", "Share", SEGMENT_SHARE),
    USED_SHARE,
    *(Column(prop.name, prop.label, prop) for prop in SEGMENT_PARAMETERS),
)
USED_SHARE_TIP = (
    "The share the analysis uses: the shares scaled so that they add up to 100 %. "
    "Results are mixed across segments by these shares."
)
NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
#: A parameter's range for the uncertainty analysis, as its cell's second line.
RANGE_ROLE = Qt.ItemDataRole.UserRole + 1


def range_text(evidence: Evidence | None) -> str:
    """A parameter's range as its cell shows it: "11.25–18.75", "0.002–0.05 log";
    "" without one."""
    if evidence is None:
        return ""
    if evidence.low is not None and evidence.high is not None:
        text = f"{format_number(evidence.low, 4)}–{format_number(evidence.high, 4)}"
        return text + (" log" if evidence.scale == "log" else "")
    return evidence.label


def range_tip(evidence: Evidence) -> str:
    """The range in words, with where it comes from, for the cell's tooltip."""
    words = {"assumption": "assumed", "workshop": "workshop estimate", "survey": "survey",
             "data": "event data"}.get(evidence.kind, evidence.kind)
    text = f"Range for the uncertainty analysis ({words}): "
    if evidence.low is not None and evidence.high is not None:
        text += f"{format_number(evidence.low, 6)} to {format_number(evidence.high, 6)}"
        text += ", uniform over its logarithm" if evidence.scale == "log" else ""
    else:
        text += ", ".join(f"{k} {v}" for k, v in evidence.keys().items()
                          if k not in ("kind", "source"))
    return text + (f".\nWhy: {evidence.source}." if evidence.source else ".")


def preset_of(segment: Segment) -> str | None:
    """The preset a segment was made from, read from its id ("social-2" -> social)."""
    base = re.sub(r"-\d+$", "", segment.id)
    for key, preset in PRESETS.items():
        if preset.id == base:
            return key
    return None


def _short(preset_key: str) -> str:
    return preset_key.split(" (")[0]


class SegmentsModel(QAbstractTableModel):
    """The project's segments as a table; writes through the document."""

    refused = Signal(str)  # why an edit was not stored

    def __init__(self, document: ProjectDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._ids = [s.id for s in document.project.segments]
        document.segments_changed.connect(self._on_segments_changed)
        document.project_reset.connect(self._on_segments_changed)

    def segment(self, row: int) -> Segment:
        return self.document.project.segments[row]

    def row_of(self, segment_id: str) -> int:
        return self._ids.index(segment_id) if segment_id in self._ids else -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.document.project.segments)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and COLUMNS[index.column()].prop is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        segment = self.segment(index.row())
        column = COLUMNS[index.column()]
        prop = column.prop
        if role == Qt.ItemDataRole.DisplayRole:
            if prop is None:
                share = self.document.project.normalised_shares()[index.row()]
                return f"{format_number(100 * share, 1)} %"
            value = getattr(segment, column.key)
            return value if prop.kind is Kind.TEXT else format_number(value, prop.decimals)
        if role == Qt.ItemDataRole.EditRole and prop is not None:
            value = getattr(segment, column.key)
            return value if prop.kind is Kind.TEXT else format_number(value, 8)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(segment, column)
        if role == RANGE_ROLE:
            return range_text(segment.evidence.get(column.key))
        if role == Qt.ItemDataRole.TextAlignmentRole and column.key != "name":
            return int(NUMBER_ALIGNMENT)
        if role == Qt.ItemDataRole.FontRole and self._changed(segment, column):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.prop is None:
                return USED_SHARE_TIP
            return f"{column.header}\n{column.prop.full_tooltip()}"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Store a typed value (text or number) after checking it; one undo step."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        prop = COLUMNS[index.column()].prop
        if prop is None:
            return False
        if isinstance(value, str):
            value, problem = prop.parse(value)
        else:
            problem = prop.problem(value)
        if problem is not None:
            self.refused.emit(problem)
            return False
        if prop.kind is not Kind.TEXT:
            value = float(value)
        segment = self.segment(index.row())
        self.document.update_segment(segment.id, **{prop.name: value})
        return True

    # -- tooltips --------------------------------------------------------------
    def _tooltip(self, segment: Segment, column: Column) -> str:
        if column.prop is None:
            return USED_SHARE_TIP
        if column.key in ("name", "share"):
            return column.prop.full_tooltip()
        value = getattr(segment, column.key)
        lines = [f"{column.header}: {format_number(value, 6)}", column.prop.full_tooltip()]
        preset = preset_of(segment)
        if preset is not None:
            default = getattr(PRESETS[preset], column.key)
            lines.append(
                f"This segment's preset, {_short(preset)}: {format_number(default, 6)}"
                + ("" if default == value else " (changed here)")
            )
        evidence = segment.evidence.get(column.key)
        if evidence is not None:
            lines.append(range_tip(evidence))
        return "\n".join(lines)

    def _changed(self, segment: Segment, column: Column) -> bool:
        """A parameter that differs from its segment's preset is shown in bold."""
        if column.prop is None or column.key in ("name", "share"):
            return False
        preset = preset_of(segment)
        return preset is not None and getattr(PRESETS[preset], column.key) != getattr(
            segment, column.key)

    # -- document -> view ------------------------------------------------------
    def _on_segments_changed(self) -> None:
        ids = [s.id for s in self.document.project.segments]
        if ids != self._ids:
            self.beginResetModel()
            self._ids = ids
            self.endResetModel()
            return
        if ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(ids) - 1, len(COLUMNS) - 1))


class SegmentDelegate(QStyledItemDelegate):
    """Edits a cell as text and refuses, with the reason, what the declaration forbids;
    draws a parameter's range, where it has one, as a muted second line."""

    refused = Signal(str)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(RANGE_ROLE):
            size.setHeight(max(size.height(), 2 * option.fontMetrics.lineSpacing() + 8))
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        text = index.data(RANGE_ROLE)
        if not text:
            super().paint(painter, option, index)
            return
        view = QStyleOptionViewItem(option)
        self.initStyleOption(view, index)
        value, view.text = view.text, ""
        widget = view.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, view, painter, widget)
        box = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, view, widget)
        box = box.adjusted(3, 1, -3, -1)
        selected = bool(view.state & QStyle.StateFlag.State_Selected)
        ink = view.palette.color(QPalette.ColorRole.HighlightedText if selected
                                 else QPalette.ColorRole.Text)
        painter.save()
        half = box.height() // 2
        painter.setFont(view.font)
        painter.setPen(ink)
        painter.drawText(box.adjusted(0, 0, 0, -half), int(NUMBER_ALIGNMENT), value)
        if not selected:
            ink = view.palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(ink)
        painter.drawText(box.adjusted(0, half, 0, 0), int(NUMBER_ALIGNMENT), str(text))
        painter.restore()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index
                     ) -> QWidget:
        editor = QLineEdit(parent)
        prop = COLUMNS[index.column()].prop
        if prop is not None:
            editor.setToolTip(prop.full_tooltip())
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        prop = COLUMNS[index.column()].prop
        if prop is None or not isinstance(editor, QLineEdit):
            return
        value, problem = prop.parse(editor.text())
        if problem is not None:
            self.refused.emit(f"{problem} Nothing was changed.")
            return
        model.setData(index, value, Qt.ItemDataRole.EditRole)


class SegmentsPanel(QWidget):
    """The segments table with add-from-preset, remove and reset-to-preset."""

    segment_selected = Signal(str)  # the current row's segment, as the user moves
    personas_wanted = Signal(str)  # show this segment's personas (the Personas panel)

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.model = SegmentsModel(document, self)
        self.delegate = SegmentDelegate(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(self.delegate)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        # A row is one line high, or two where a parameter shows its range.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setMinimumHeight(header.fontMetrics().lineSpacing() * 3 + 10)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(96)
        header.resizeSection(0, 170)
        for section in (1, 2):
            header.resizeSection(section, 80)

        self.add_button = QToolButton()
        self.add_button.setText("Add segment")
        self.add_button.setToolTip("Add a segment with a preset's parameters")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        add_menu = QMenu(self.add_button)
        for key in PRESETS:
            action = add_menu.addAction(key)
            action.setToolTip(f"A new segment with the {key} parameters")
            action.triggered.connect(lambda _=False, k=key: self.add_segment(k))
        self.add_button.setMenu(add_menu)

        self.remove_button = QToolButton()
        self.remove_button.setText("Remove")
        self.remove_button.clicked.connect(self.remove_current)

        self.reset_button = QToolButton()
        self.reset_button.setText("Reset to preset")
        self.reset_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.reset_button.clicked.connect(lambda: self.reset_current())
        reset_menu = QMenu(self.reset_button)
        self._reset_actions: dict[str, QAction] = {}
        for key in PRESETS:
            action = reset_menu.addAction(f"Reset to {key}")
            action.triggered.connect(lambda _=False, k=key: self.reset_current(k))
            self._reset_actions[key] = action
        self.reset_button.setMenu(reset_menu)

        # A check box, not a toggled button: its state reads at once in both themes.
        self.ranges_button = QCheckBox("Use default ranges")
        self.ranges_button.clicked.connect(self._on_ranges_clicked)

        self.personas_button = QToolButton()
        self.personas_button.setText("Personas \N{NORTH EAST ARROW}")
        self.personas_button.setToolTip("Show the selected segment's personas: who they are, "
                                        "their goals, needs and frustrations")
        self.personas_button.clicked.connect(self._on_personas_clicked)

        self.message = ToneLabel(tone="error")
        self.message.hide()
        self.footnote = ToneLabel(
            "Shares are scaled to add up to 100 % (Used share). Bold values differ from the "
            "segment's preset. A second line is the parameter's range for the uncertainty "
            "analysis (Use default ranges). Hover over a column for what it means and where "
            f"its default comes from. For comparison, trust in advertising is "
            f"{TRUST_ADVERTISING:g}."
        )

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_button, self.remove_button, self.reset_button):
            buttons.addWidget(button)
        buttons.addSpacing(12)
        buttons.addWidget(self.ranges_button)
        buttons.addStretch(1)
        buttons.addWidget(self.personas_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.footnote)

        self.model.refused.connect(self.show_message)
        self.delegate.refused.connect(self.show_message)
        self._kept: tuple[str | None, int] = (None, -1)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self.model.modelReset.connect(self._on_model_reset)
        self.model.dataChanged.connect(self._update_buttons)
        self.table.selectionModel().currentChanged.connect(self._update_buttons)
        self.table.selectionModel().currentChanged.connect(self._on_current_changed)
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self._update_buttons()

    # -- public ----------------------------------------------------------------
    def current_segment_id(self) -> str | None:
        row = self.table.currentIndex().row()
        if not 0 <= row < self.model.rowCount():
            return None
        return self.model.segment(row).id

    def select(self, segment_id: str) -> None:
        row = self.model.row_of(segment_id)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))

    def message_text(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def add_segment(self, preset_key: str) -> str:
        """Add a segment from a preset (share 1) and select it; one undo step."""
        names = {s.name for s in self.document.project.segments}
        base = PRESETS[preset_key].name
        name, number = base, 2
        while name in names:
            name, number = f"{base} {number}", number + 1
        segment_id = self.document.add_segment(preset_key, name=name)
        self.show_message("")
        self.select(segment_id)
        return segment_id

    def remove_current(self) -> None:
        segment_id = self.current_segment_id()
        if segment_id is None:
            return
        if len(self.document.project.segments) <= 1:
            self.show_message("A project needs at least one segment.")
            return
        self.show_message("")
        self.document.remove_segment(segment_id)

    def reset_current(self, preset_key: str | None = None) -> bool:
        """Put the current segment's parameters back to a preset (its own by default).

        Its name and share stay. One undo step; nothing is pushed when nothing changes.
        """
        segment_id = self.current_segment_id()
        if segment_id is None:
            return False
        segment = self.document.project.segment(segment_id)
        preset_key = preset_key or preset_of(segment)
        if preset_key is None:
            self.show_message("This segment was not made from a preset: pick one from the "
                              "Reset menu.")
            return False
        self.show_message("")
        return self.document.update_segment(segment_id, **PRESETS[preset_key].parameters())

    def use_default_ranges(self, on: bool) -> bool:
        """Give the current segment's parameters their default ranges (on), or take
        every range away (off); one undo step."""
        segment_id = self.current_segment_id()
        if segment_id is None:
            return False
        self.show_message("")
        return self.document.use_default_ranges(segment_id, on)

    # -- view ------------------------------------------------------------------
    def _on_ranges_clicked(self, checked: bool) -> None:
        self.use_default_ranges(checked)
        self._update_buttons()

    def _on_current_changed(self, *_: Any) -> None:
        segment_id = self.current_segment_id()
        if segment_id is not None:
            self.segment_selected.emit(segment_id)

    def _on_personas_clicked(self) -> None:
        segment_id = self.current_segment_id()
        if segment_id is not None:
            self.personas_wanted.emit(segment_id)

    def _on_model_about_to_be_reset(self) -> None:
        self._kept = (self.current_segment_id(), self.table.currentIndex().row())

    def _on_model_reset(self) -> None:
        """Keep the selected segment selected, or the row where a removed one was."""
        segment_id, row = self._kept
        count = self.model.rowCount()
        if segment_id is not None and self.model.row_of(segment_id) >= 0:
            self.select(segment_id)
        elif count:
            self.table.setCurrentIndex(self.model.index(min(max(row, 0), count - 1), 0))
        self._update_buttons()

    def _update_buttons(self, *_: Any) -> None:
        segment_id = self.current_segment_id()
        count = len(self.document.project.segments)
        self.remove_button.setEnabled(segment_id is not None and count > 1)
        self.remove_button.setToolTip(
            "A project needs at least one segment" if count <= 1
            else "Remove the selected segment")
        preset = None
        if segment_id is not None:
            preset = preset_of(self.document.project.segment(segment_id))
        self.reset_button.setEnabled(segment_id is not None)
        ranged = segment_id is not None and bool(
            self.document.project.segment(segment_id).evidence)
        self.ranges_button.setEnabled(segment_id is not None)
        self.ranges_button.setChecked(ranged)
        self.ranges_button.setToolTip(
            "Untick to take the ranges away: every parameter is then taken as it is"
            if ranged else
            "Give each parameter of the selected segment its default range for the "
            "uncertainty analysis, around its value (hover over a cell for the range "
            "and why)")
        self.personas_button.setEnabled(segment_id is not None)
        self.reset_button.setToolTip(
            f"Put the selected segment's parameters back to {preset} (name and share stay)"
            if preset else "Put the selected segment's parameters back to a preset")
