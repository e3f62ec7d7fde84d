"""Every text of the window reads at WCAG AA contrast in both themes: a measurement.

The tour walks the whole main window in each theme (every dock tab, the Inspector for
a touchpoint, a transition and the journey, the welcome page, the Help pages and
dialogs) and, for each visible widget, works out the colour it draws its text in and
the colour behind it from the palette roles and style sheets it uses, the way the
Fusion style paints them. Text needs 4.5:1 (WCAG 1.4.3); the parts that identify a
control, a checkbox's box or a slider's groove, need 3:1 against what is around them
(WCAG 1.4.11). Disabled controls are exempt, as WCAG exempts inactive components;
labels are not, whatever their state. The canvas's and the charts' own colours are
measured from their palettes and the items they draw.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDockWidget,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMenuBar,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSlider,
    QStyle,
    QStyleFactory,
    QStyleOptionButton,
    QStyleOptionSlider,
    QTabBar,
    QTextEdit,
    QToolButton,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from cx_mapper.persistence.files import read_project
from cx_mapper.ui.analysis.chart_style import ChartStyle
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.look import palette
from cx_mapper.ui.look.palette import contrast
from cx_mapper.ui.look.theme import ThemeManager, widget_palette
from cx_mapper.ui.main_window import MainWindow
from tests.factories import RETAIL_SAMPLE

TEXT = 4.5  # WCAG 1.4.3, AA for normal text
PART = 3.0  # WCAG 1.4.11, the parts of a control that identify it


@dataclass(frozen=True)
class Ink:
    """One colour pair a user has to tell apart, and where it is."""

    where: str
    foreground: QColor
    background: QColor
    minimum: float = TEXT

    @property
    def ratio(self) -> float:
        return contrast(over(self.foreground, self.background), self.background)

    def __str__(self) -> str:
        return (f"{self.where}: {self.foreground.name(QColor.NameFormat.HexArgb)} on "
                f"{self.background.name()} = {self.ratio:.2f} (needs {self.minimum})")


def over(colour: QColor, background: QColor) -> QColor:
    """A translucent colour as seen on an opaque background."""
    alpha = colour.alphaF()
    return QColor.fromRgbF(*(alpha * a + (1 - alpha) * b for a, b in (
        (colour.redF(), background.redF()), (colour.greenF(), background.greenF()),
        (colour.blueF(), background.blueF()))))


# -- how Fusion paints (qfusionstyle.cpp) ------------------------------------------------
def fusion_button(pal: QPalette) -> QColor:
    """Fusion's button colour from the Button role (QFusionStylePrivate::buttonColor)."""
    colour = QColor(pal.color(QPalette.ColorRole.Button))
    gray = qgray(colour)
    colour = colour.lighter(100 + max(1, (180 - gray) // 6))
    colour.setHsv(colour.hue(), int(colour.saturation() * 0.75), colour.value())
    return colour


def button_faces(pal: QPalette) -> list[QColor]:
    """The two ends of a push button's gradient (qt_fusion_gradient of buttonColor)."""
    face = fusion_button(pal).darker(104)
    return [face.lighter(124), face.lighter(102)]


def tab_faces(pal: QPalette) -> list[QColor]:
    """A selected tab (the tab frame colour) and an unselected one (darker)."""
    frame = fusion_button(pal).lighter(104)
    return [frame, frame.darker(108), frame.darker(116)]


def qgray(colour: QColor) -> int:
    return (colour.red() * 11 + colour.green() * 16 + colour.blue() * 5) // 32


# -- what a widget paints ---------------------------------------------------------------
_CSS_COLOUR = re.compile(
    r"(?<![-\w])color\s*[:=]\s*['\"]?(#[0-9a-fA-F]{3,8}|rgba?\([^)]*\)|[a-z]+)")
_SPAN = re.compile(r"<(span|font)\b([^>]*)>(.*?)</\1>", re.S)
#: Marks that stand for a line or a shape in a chart's key: graphics, not words.
SWATCHES = set("▮━◆╌■●▲—–-·")


def css_colour(text: str) -> QColor:
    if text.startswith("rgb"):
        parts = [float(p) for p in text[text.index("(") + 1:-1].split(",")]
        colour = QColor(*[round(p) for p in parts[:3]])
        if len(parts) == 4:
            colour.setAlphaF(parts[3] / 255 if parts[3] > 1 else parts[3])
        return colour
    return QColor(text)


def rich_text_colours(text: str) -> list[tuple[QColor, float]]:
    """The colours a rich text gives its spans, each with the contrast it needs: a span
    of key marks (▮ ━ ◆) is a graphic, anything else is text."""
    found = []
    for _tag, attributes, content in _SPAN.findall(text):
        for match in _CSS_COLOUR.findall(attributes):
            if match.startswith("rgb") or QColor.isValidColorName(match):
                plain = re.sub(r"<[^>]+>|&\w+;|\s", "", content)
                found.append((css_colour(match), PART if plain and set(plain) <= SWATCHES
                              else TEXT))
    return found


def background(widget: QWidget) -> QColor:
    """What is painted behind a widget: the nearest widget that fills its background."""
    layers: list[QColor] = []
    current: QWidget | None = widget
    while current is not None:
        colour = current.palette().color(current.backgroundRole())
        parent = current.parentWidget()
        filled = (current.autoFillBackground() or current.isWindow()
                  or _styled_background(current, parent))
        if filled and colour.alpha() > 0:
            layers.append(colour)
            if colour.alpha() == 255:
                break
        current = parent
    result = layers.pop() if layers else QApplication.palette().color(QPalette.ColorRole.Window)
    for layer in reversed(layers):
        result = over(layer, result)
    return result


def _styled_background(widget: QWidget, parent: QWidget | None) -> bool:
    """A style sheet paints this widget's background: one of the sheets it is under
    sets a background, and its background differs from its parent's."""
    if not widget.testAttribute(Qt.WidgetAttribute.WA_StyleSheet) or parent is None:
        return False
    sheets = [QApplication.instance().styleSheet()]  # type: ignore[union-attr]
    current: QWidget | None = widget
    while current is not None:
        sheets.append(current.styleSheet())
        current = current.parentWidget()
    if not any("background" in sheet for sheet in sheets):
        return False
    own = widget.palette().color(widget.backgroundRole())
    return own != parent.palette().color(parent.backgroundRole()) and own.alpha() > 0


def enabled(widget: QWidget) -> bool:
    return widget.isEnabled()


def label_inks(label: QLabel, where: str) -> Iterator[Ink]:
    if not label.text().strip() and label.pixmap().isNull():
        return
    if not label.text().strip():
        return
    pal = label.palette()
    group = QPalette.ColorGroup.Active if label.isEnabled() else QPalette.ColorGroup.Disabled
    ink = pal.color(group, label.foregroundRole())
    behind = background(label)
    yield Ink(f"{where} {label.text()[:40]!r}", ink, behind)
    if label.textFormat() != Qt.TextFormat.PlainText:
        for colour, minimum in rich_text_colours(label.text()):
            yield Ink(f"{where} span in {label.text()[:40]!r}", colour, behind, minimum)
        if "<a " in label.text():
            yield Ink(f"{where} link", pal.color(QPalette.ColorRole.Link), behind)


def widget_inks(widget: QWidget, where: str) -> Iterator[Ink]:
    """Every colour pair one widget paints (not its children)."""
    pal = widget.palette()
    role = QPalette.ColorRole
    if isinstance(widget, QLabel):
        yield from label_inks(widget, where)
        return
    if not widget.isEnabled():
        return  # an inactive control: WCAG 1.4.3 and 1.4.11 exempt it
    if isinstance(widget, QLineEdit):
        base = pal.color(role.Base)
        yield Ink(f"{where} text", pal.color(role.Text), base)
        if widget.placeholderText() and not widget.text():
            yield Ink(f"{where} placeholder {widget.placeholderText()!r}",
                      pal.color(role.PlaceholderText), base)
    elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
        base = pal.color(role.Base)
        yield Ink(f"{where} text", pal.color(role.Text), base)
        if isinstance(widget, QTextEdit):
            html = widget.toHtml()
            for colour, minimum in rich_text_colours(html):
                yield Ink(f"{where} rich text", colour, base, minimum)
            if "<a " in html:
                yield Ink(f"{where} link", pal.color(role.Link), base)
        if widget.placeholderText() and not widget.toPlainText():
            yield Ink(f"{where} placeholder", pal.color(role.PlaceholderText), base)
    elif isinstance(widget, (QCheckBox, QRadioButton)):
        behind = background(widget)
        yield Ink(f"{where} label {widget.text()!r}", pal.color(role.WindowText), behind)
        yield Ink(f"{where} box", palette.widget_colours().control_edge, behind, PART)
    elif isinstance(widget, QSlider):
        yield Ink(f"{where} groove", palette.widget_colours().control_edge, background(widget),
                  PART)
    elif isinstance(widget, QComboBox) and not widget.isEditable():
        text = widget.currentText() or widget.placeholderText()
        ink = pal.color(role.ButtonText if widget.currentText() else role.PlaceholderText)
        for face in button_faces(pal):
            yield Ink(f"{where} {text!r}", ink, face)
    elif isinstance(widget, QPushButton) or (
            isinstance(widget, QToolButton) and not widget.autoRaise() and widget.text()
            and widget.toolButtonStyle() != Qt.ToolButtonStyle.ToolButtonIconOnly):
        assert isinstance(widget, QAbstractButton)
        for face in button_faces(pal):
            yield Ink(f"{where} {widget.text()!r}", pal.color(role.ButtonText), face)
    elif isinstance(widget, QToolButton):
        # Icons are drawn in the button text colour (resources.icon) on the bar.
        yield Ink(f"{where} icon {widget.toolTip()[:30]!r}", pal.color(role.ButtonText),
                  background(widget), PART)
    elif isinstance(widget, QTabBar):
        for index in range(widget.count()):
            if not widget.isTabEnabled(index) or not widget.isTabVisible(index):
                continue
            faces = ([background(widget)] if widget.documentMode() else []) + tab_faces(pal)
            for face in faces:
                yield Ink(f"{where} tab {widget.tabText(index)!r}",
                          pal.color(role.WindowText), face)
    elif isinstance(widget, QHeaderView):
        model = widget.model()
        if model is None:
            return
        for section in range(widget.count()):
            if widget.isSectionHidden(section):
                continue
            text = model.headerData(section, widget.orientation())
            brush = model.headerData(section, widget.orientation(),
                                     Qt.ItemDataRole.ForegroundRole)
            ink = brush.color() if brush is not None else pal.color(role.ButtonText)
            for face in button_faces(pal):
                yield Ink(f"{where} header {text!r}", ink, face)
    elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
        yield from view_inks(widget, where)
    elif isinstance(widget, QProgressBar) and widget.isTextVisible():
        yield Ink(f"{where} progress text", pal.color(role.Text), pal.color(role.Base))
    elif isinstance(widget, QDockWidget):
        yield Ink(f"{where} title {widget.windowTitle()!r}", pal.color(role.WindowText),
                  background(widget))
    elif isinstance(widget, QMenuBar):
        for action in widget.actions():
            yield Ink(f"{where} menu {action.text()!r}", pal.color(role.ButtonText),
                      background(widget))
    elif isinstance(widget, pg.GraphicsView):
        yield from chart_inks(widget, where)


def view_inks(view: QAbstractItemView, where: str) -> Iterator[Ink]:
    """Each visible cell: its own colours, else the view's text on its (alternate) base."""
    model = view.model()
    if model is None:
        return
    pal = view.palette()
    role = QPalette.ColorRole
    alternate = getattr(view, "alternatingRowColors", lambda: False)()
    selection = view.selectionModel()
    for row, index in enumerate(_visible_indexes(view, model)):
        text = model.data(index)
        if text is None or not str(text).strip():
            continue
        if selection is not None and selection.isSelected(index):
            yield Ink(f"{where} selected {text!r}", pal.color(role.HighlightedText),
                      pal.color(role.Highlight))
            continue
        brush = model.data(index, Qt.ItemDataRole.ForegroundRole)
        ink = brush.color() if brush is not None else pal.color(role.Text)
        back = model.data(index, Qt.ItemDataRole.BackgroundRole)
        if back is not None:
            behind = back.color()
        elif alternate and index.row() % 2:
            behind = pal.color(role.AlternateBase)
        else:
            behind = pal.color(role.Base)
        yield Ink(f"{where} cell {str(text)[:40]!r}", ink, behind)
        del row


def _visible_indexes(view: QAbstractItemView, model: object) -> Iterator[QModelIndex]:
    """The model's indexes (tree children too) whose cells lie in the viewport."""
    area = view.viewport().rect()
    stack = [QModelIndex()]
    while stack:
        parent = stack.pop()
        for row in range(model.rowCount(parent)):  # type: ignore[attr-defined]
            columns = 1 if isinstance(view, QListView) else model.columnCount(parent)
            for column in range(columns):
                index = model.index(row, column, parent)  # type: ignore[attr-defined]
                if view.visualRect(index).intersects(area):
                    yield index
                tree = isinstance(view, QTreeView)
                if column == 0 and tree and model.hasChildren(index):
                    stack.append(index)


def chart_inks(view: pg.GraphicsView, where: str) -> Iterator[Ink]:
    """The texts of a pyqtgraph chart against its background (and, for the notes and
    labels inside the plot, the stage bands that may lie behind them)."""
    behind = view.backgroundBrush().color()
    bands = list(palette.current_palette().lane_fill)
    scene = view.scene()
    if scene is None:
        return
    for item in scene.items():
        if not item.isVisible() or item.effectiveOpacity() < 1:
            continue
        if isinstance(item, pg.TextItem):
            for back in [behind, *bands]:
                yield Ink(f"{where} chart text {item.textItem.toPlainText()!r}", item.color,
                          back)
        elif isinstance(item, pg.LabelItem) and item.text:
            colour = item.opts.get("color") or item.item.defaultTextColor()
            yield Ink(f"{where} chart label {item.text!r}", pg.mkColor(colour), behind)
        elif isinstance(item, pg.AxisItem):
            yield Ink(f"{where} axis {item.orientation} ticks", item.textPen().color(), behind)
            if item.label.isVisible() and item.label.toPlainText():
                # The title's colour is a span of its rich text.
                for colour, minimum in rich_text_colours(item.labelString()):
                    yield Ink(f"{where} axis title {item.label.toPlainText()!r}", colour,
                              behind, minimum)


def walk(root: QWidget, state: str) -> Iterator[Ink]:
    """Every visible widget of a window and what it paints."""
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.width() <= 1 or widget.height() <= 1:
            continue
        where = f"[{state}] {type(widget).__name__}#{widget.objectName() or '-'}"
        yield from widget_inks(widget, where)


def failures(inks: Iterable[Ink]) -> list[str]:
    seen: set[str] = set()
    result = []
    for ink in inks:
        if ink.ratio < ink.minimum - 1e-9 and str(ink) not in seen:
            seen.add(str(ink))
            result.append(str(ink))
    return result


# -- the tour ---------------------------------------------------------------------------
@pytest.fixture
def theme() -> Iterator[ThemeManager]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    manager = ThemeManager(app)
    yield manager
    manager.set_choice("system")


def open_window(qtbot: QtBot, theme: ThemeManager, recovery_folder: str) -> MainWindow:
    window = MainWindow(ProjectDocument(read_project(RETAIL_SAMPLE)), theme=theme,
                        recovery_folder=recovery_folder)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.tabs.show_journey("current") is not None
    qtbot.waitUntil(lambda: window.analysis.result is not None, timeout=10_000)
    return window


def tour(window: MainWindow, qtbot: QtBot) -> Iterator[str]:
    """Put the window in each state a user sees; yields the state's name."""
    scene = window.tabs.scene
    assert scene is not None
    for name, select in (
            ("journey", lambda: scene.select()),
            ("touchpoint", lambda: scene.select(["delivery_call"])),
            ("transition", lambda: scene.select(transitions=[next(iter(scene.arrows()))]))):
        select()
        qtbot.wait(50)
        yield f"inspector: {name}"
    tabs = window.analysis.charts.tabs
    window.analysis_dock.raise_()
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        if tabs.widget(index) is window.analysis.simulation:
            window.analysis.simulation.run()
            qtbot.waitUntil(lambda: not window.analysis.simulation.is_running(),
                            timeout=20_000)
        elif tabs.widget(index) is window.analysis.compare:
            qtbot.waitUntil(window.analysis.compare.is_current, timeout=10_000)
        qtbot.wait(50)
        yield f"analysis: {tabs.tabText(index)}"
    for dock in (window.problems_dock, window.segments_dock):
        dock.raise_()
        qtbot.wait(50)
        yield dock.windowTitle()
    window.analysis_dock.raise_()
    window.show_welcome()
    qtbot.wait(50)
    yield "welcome page"
    qtbot.mouseClick(window.welcome.back_button, Qt.MouseButton.LeftButton)
    assert not window.is_welcome_shown() and window.analysis_dock.isVisible()


def dialogs(window: MainWindow) -> Iterator[tuple[str, Callable[[], QDialog]]]:
    from cx_mapper.ui.help.glossary import GlossaryDialog, about_html
    from cx_mapper.ui.help.model_help import ModelHelpDialog
    from cx_mapper.ui.help.shortcuts_dialog import ShortcutsDialog

    yield "glossary", lambda: GlossaryDialog(window)
    yield "how the numbers are computed", lambda: ModelHelpDialog(window)
    yield "shortcuts", lambda: ShortcutsDialog(list(window.actions_by_name.values()), window)
    yield "about", lambda: QMessageBox(QMessageBox.Icon.NoIcon, "About", about_html(),
                                       parent=window)


def inks_of(window: MainWindow, qtbot: QtBot, theme: str) -> list[Ink]:
    """The colour pairs of every state of the window and of its dialogs."""
    inks: list[Ink] = []
    states = []
    for state in tour(window, qtbot):
        states.append(state)
        inks += walk(window, f"{theme}, {state}")
    for name, make in dialogs(window):
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        inks += walk(dialog, f"{theme}, {name}")
        dialog.close()
    assert len(states) >= 14 and len(inks) > 500
    return inks


@pytest.mark.parametrize("first", ["light", "dark"])
def test_every_text_of_the_window_reads_at_aa_contrast_in_both_themes(
        qtbot: QtBot, theme: ThemeManager, recovery_folder: str, no_modal_questions: None,
        first: str) -> None:
    """The window as opened in one theme, then after the user switches to the other."""
    second = "dark" if first == "light" else "light"
    theme.set_choice(first)
    window = open_window(qtbot, theme, recovery_folder)
    assert palette.is_dark() == (first == "dark")
    inks = inks_of(window, qtbot, first)
    window.theme_actions[second].trigger()
    assert palette.is_dark() == (second == "dark")
    inks += inks_of(window, qtbot, f"switched to {second}")
    problems = failures(inks)
    assert not problems, f"{len(problems)} colour pairs below AA:\n" + "\n".join(problems)


# -- the canvas, the charts and the summary, from their palettes ----------------------------
def theme_palette(colours: palette.WidgetColours) -> QPalette:
    """The application palette of a theme, as ThemeManager sets it."""
    start = QStyleFactory.create("Fusion").standardPalette() if not colours.dark else QPalette()
    return widget_palette(colours, start)


def canvas_inks(p: palette.CanvasPalette) -> Iterator[Ink]:
    """What the map draws: cards, lanes, arrows and their labels, and the map key."""
    yield Ink("card name", p.card_text, p.card_fill)
    yield Ink("card channel", p.card_muted, p.card_fill)
    yield Ink("visibility tag", p.card_text, p.card_fill)
    yield Ink("visibility megaphone", p.visibility, p.card_fill, PART)
    for sigma in [i / 10 for i in range(-10, 11)]:
        band = palette.satisfaction_color(sigma, p)
        yield Ink(f"CSAT on its band at {sigma:+.1f}", palette.readable_on(band), band)
    for name in palette.CHANNEL_COLOURS:
        yield Ink(f"channel initials on {name}", palette.readable_on(QColor(name)), QColor(name))
    for name, chip in (("entry", p.entry), ("conversion", p.conversion)):
        yield Ink(f"{name} chip's glyph", p.on_accent, chip, PART)
    yield Ink("visits bar on its track", p.visits, p.track, PART)
    for header in p.lane_header:
        yield Ink("stage name", p.lane_text, header)
    yield Ink("stage number", p.lane_fill[0], p.lane_muted)
    for back in (*p.lane_fill, p.background):
        yield Ink("arrow", p.arrow, back, PART)
        yield Ink("loop-back arrow", p.loop_arrow, back, PART)
        yield Ink("selection", p.selection, back, PART)
    yield Ink("selected card's outline", p.selection, p.card_fill, PART)
    yield Ink("probability label", p.label_text, p.label_fill)
    yield Ink("map key title", p.card_text, p.card_fill)
    yield Ink("map key scale", p.card_muted, p.card_fill)
    yield from lane_inks(p)


def lane_inks(p: palette.CanvasPalette) -> Iterator[Ink]:
    """The journey map's lanes: notes of every kind, row headers, the line of visibility
    and the experience lane's figures on a row's wash over either stage column."""
    for kind in palette.LANE_ACCENTS:
        accent = palette.lane_accent(kind)
        fill = palette.note_fill(accent, p)
        yield Ink(f"{kind} note", palette.note_text(fill, p), fill)
        yield Ink(f"{kind} note's link count", palette.readable_on(accent), accent)
        for column in p.lane_fill:
            wash = over(palette.row_tint(accent, p), column)
            yield Ink(f"experience figure on a {kind} wash", p.lane_text, wash)
            yield Ink(f"experience scale on a {kind} wash", p.card_muted, wash)
            yield Ink(f"{kind} note's edge on its row", p.card_border, wash, 1.0)
    for custom in ("#1f77b4", "#ffff00", "#000000", "#ffffff"):
        fill = palette.note_fill(QColor(custom), p)
        yield Ink(f"note of a lane coloured {custom}", palette.note_text(fill, p), fill)
    yield Ink("lane name", p.lane_text, p.lane_header[0])
    yield Ink("lane kind", p.card_muted, p.lane_header[0])
    yield Ink("line of visibility", p.lane_text, p.background)
    for colour in palette.SERIES_COLOURS[p.dark]:
        for column in p.lane_fill:
            yield Ink("experience line per segment", QColor(colour), column, PART)


def figure_inks(p: palette.CanvasPalette, widgets: QPalette) -> Iterator[Ink]:
    """Green and vermillion figures on the cards, the window and the tables, and the
    charts' words on the chart."""
    role = QPalette.ColorRole
    backs = [p.card_fill] + [widgets.color(r) for r in (role.Window, role.Base,
                                                        role.AlternateBase)]
    for name, ink in (("good", p.good_text), ("bad", p.bad_text)):
        for back in backs:
            yield Ink(f"{name} figure", ink, back)
    chart = ChartStyle(palette=p)
    for back in (chart.fill, *p.lane_fill):
        for name, ink in (("text", chart.text), ("muted", chart.muted),
                          ("good", chart.good_text), ("bad", chart.bad_text)):
            yield Ink(f"chart {name}", ink, back)
    yield Ink("simulation's exact mean", p.conversion, chart.fill, PART)
    yield Ink("simulation's box", p.selection, chart.fill, PART)
    yield Ink("tooltip", widgets.color(role.ToolTipText), widgets.color(role.ToolTipBase))
    yield Ink("link", widgets.color(role.Link), widgets.color(role.Base))
    for face in button_faces(widgets):
        yield Ink("menu and button", widgets.color(role.ButtonText), face)
    yield Ink("menu item", widgets.color(role.Text),
              widgets.color(role.Base).lighter(108))  # Fusion's menu background


def summary_inks() -> Iterator[Ink]:
    """The summary page is light whatever the theme."""
    from cx_mapper.ui.export import drawing
    for back in (drawing.PAGE, drawing.TILE_FILL):
        yield Ink("summary text", drawing.TEXT, back)
        yield Ink("summary muted", drawing.MUTED, back)
        yield Ink("summary project name", drawing.ACCENT, back)
        for name, ink in (("good", drawing.PALETTE.good_text),
                          ("bad", drawing.PALETTE.bad_text)):
            yield Ink(f"summary {name} figure", ink, back)
    chart = ChartStyle(palette=drawing.PALETTE, background=drawing.PAGE)
    for name, ink in (("text", chart.text), ("muted", chart.muted),
                      ("good", chart.good_text), ("bad", chart.bad_text)):
        yield Ink(f"summary chart {name}", ink, chart.fill)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_map_the_charts_and_the_summary_read_at_aa_contrast(dark: bool) -> None:
    p = palette.DARK if dark else palette.LIGHT
    widgets = theme_palette(palette.DARK_WIDGETS if dark else palette.LIGHT_WIDGETS)
    inks = [*canvas_inks(p), *figure_inks(p, widgets), *summary_inks()]
    problems = failures(inks)
    assert not problems, f"{len(problems)} colour pairs below AA:\n" + "\n".join(problems)


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_the_style_draws_checkbox_and_groove_edges_in_the_palettes_colour(
        qtbot: QtBot, theme: ThemeManager, theme_name: str) -> None:
    """The walk reads the edges from palette.py; here the style is seen to draw them."""
    theme.set_choice(theme_name)
    edge = palette.widget_colours().control_edge
    host = QWidget()
    qtbot.addWidget(host)
    check, slider = QCheckBox("Conversion", host), QSlider(Qt.Orientation.Horizontal, host)
    check.setGeometry(4, 4, 140, 24)
    slider.setGeometry(4, 40, 200, 24)
    host.resize(220, 80)
    image = host.grab().toImage()
    option = QStyleOptionButton()
    check.initStyleOption(option)
    box = check.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, check)
    box.translate(check.pos())
    groove_option = QStyleOptionSlider()
    slider.initStyleOption(groove_option)
    groove = slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, groove_option,
                                           QStyle.SubControl.SC_SliderGroove, slider)
    groove.translate(slider.pos())
    ratio = image.devicePixelRatio()
    for name, point in (("box's left edge", QPoint(box.left(), box.center().y())),
                        ("groove's top edge", QPoint(groove.right() - 8, groove.top() + 1))):
        drawn = image.pixelColor(QPoint(round(point.x() * ratio), round(point.y() * ratio)))
        assert contrast(drawn, edge) < 1.25, (name, drawn.name(), edge.name())
        behind = host.palette().color(QPalette.ColorRole.Window)
        assert contrast(drawn, behind) >= PART, (name, drawn.name(), behind.name())
