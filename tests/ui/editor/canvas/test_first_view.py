"""The first view of every sample at the default window size: the whole map, readable.

Measured on what is painted: each card's name is drawn (ink of the card's text
colour in its name area of the grabbed viewport), every card is on screen and the map
key covers none. The view fits again when the window is resized, until the user zooms
or pans; Fit starts that again; Actual size keeps the cards in view.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.items import TouchpointCard
from cx_mapper.ui.editor.canvas.view import CanvasView
from cx_mapper.ui.look.resources import sample_projects
from cx_mapper.ui.main_window import MainWindow

SAMPLES = sample_projects()
SAMPLES_BY_NAME = {path.stem: path for path in SAMPLES}
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot: QtBot, recovery_folder: str, no_modal_questions: None) -> Iterator[MainWindow]:
    """A main window at its own default size, as a new user first sees it."""
    win = MainWindow(recovery_folder=recovery_folder)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert (win.width(), win.height()) == (1400, 860)
    yield win


def open_sample(window: MainWindow, qtbot: QtBot, path: Path) -> CanvasView:
    """Open a sample and wait for its figures (and so for the map key with its rows)."""
    assert window.files.open(str(path))
    view = window.tabs.view
    assert view is not None
    legend = window.tabs.legend(window.tabs.journey_id or "")
    assert legend is not None
    qtbot.waitUntil(lambda: any(row.kind == "visits" for row in legend.rows()), timeout=10_000)
    qtbot.wait(50)  # the key shows and the view fits round it
    return view


def on_screen(view: CanvasView, card: TouchpointCard, rect: QRectF | None = None) -> QRect:
    """A card's rect (its body by default) in viewport pixels."""
    return view.mapFromScene(card.mapRectToScene(rect or card.card_rect())).boundingRect()


def key_rect(window: MainWindow, view: CanvasView) -> QRect:
    legend = window.tabs.legend(window.tabs.journey_id or "")
    assert legend is not None and legend.isVisible()
    return QRect(view.viewport().mapFrom(view, legend.pos()), legend.size())


def ink(image: QImage, rect: QRect, colour: QColor, tolerance: int = 60) -> int:
    """How many pixels in `rect` are close to `colour` (text antialiased onto the card)."""
    count = 0
    for y in range(max(rect.top(), 0), min(rect.bottom(), image.height() - 1) + 1):
        for x in range(max(rect.left(), 0), min(rect.right(), image.width() - 1) + 1):
            pixel = image.pixelColor(x, y)
            if (abs(pixel.red() - colour.red()) + abs(pixel.green() - colour.green())
                    + abs(pixel.blue() - colour.blue())) <= tolerance:
                count += 1
    return count


def assert_readable(window: MainWindow, view: CanvasView) -> None:
    """Every card on screen with its name drawn, none under the key."""
    scene = view.canvas()
    viewport = view.viewport().rect()
    key = key_rect(window, view)
    image = view.viewport().grab().toImage()
    text = scene.canvas_palette.card_text
    for touchpoint_id, card in scene.cards().items():
        body = on_screen(view, card)
        assert viewport.contains(body), f"{touchpoint_id} is off screen"
        assert not key.intersects(body), f"the key covers {touchpoint_id}"
        assert card.name_shown(view.zoom()), f"{touchpoint_id} is drawn blank"
        name_rect = card.far_name_rect() if view.zoom() < style.LOD_TEXT else card.name_rect()
        assert ink(image, on_screen(view, card, name_rect), text) >= 12, \
            f"no name painted on {touchpoint_id}"
    for arrow in scene.arrows().values():
        path = view.mapFromScene(arrow.mapToScene(arrow.path()))
        ends = path.boundingRect()  # flat for a straight arrow: test its corners
        assert QRectF(viewport).contains(ends.topLeft()) and \
            QRectF(viewport).contains(ends.bottomRight()), f"{arrow.key} is cut off"
        assert not path.intersects(QRectF(key)), f"the key covers the arrow {arrow.key}"


@pytest.mark.parametrize("theme_name", ["light", "dark"])
@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_sample_is_readable_at_first_sight(
        window: MainWindow, qtbot: QtBot, sample: Path, theme_name: str) -> None:
    window.theme_actions[theme_name].trigger() if window.theme else None
    view = open_sample(window, qtbot, sample)
    assert view.fits_automatically()
    assert style.LOD_DETAIL <= view.zoom() < 1.0
    assert_readable(window, view)


def test_the_view_fits_again_when_the_window_grows_until_the_user_zooms(
        window: MainWindow, qtbot: QtBot) -> None:
    view = open_sample(window, qtbot, SAMPLES[0])
    first = view.zoom()
    window.resize(1900, 1150)  # as maximising on a bigger screen does
    qtbot.waitUntil(lambda: view.zoom() > first * 1.2)
    assert_readable(window, view)
    window.resize(1400, 860)
    qtbot.waitUntil(lambda: view.zoom() == pytest.approx(first))
    # the user zooms with Ctrl+wheel: from then on the view is theirs
    centre = QPointF(view.viewport().rect().center())
    QApplication.sendEvent(view.viewport(), QWheelEvent(
        centre, view.viewport().mapToGlobal(centre), QPoint(), QPoint(0, 120),
        Qt.MouseButton.NoButton, CTRL, Qt.ScrollPhase.NoScrollPhase, False))
    zoomed = view.zoom()
    assert zoomed > first and not view.fits_automatically()
    window.resize(1700, 1000)
    qtbot.wait(50)
    assert view.zoom() == zoomed, "a resize after a zoom leaves the zoom alone"
    # F fits again, and resizing follows once more
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key.Key_F)
    assert view.fits_automatically()
    fitted = view.zoom()
    window.resize(1400, 860)
    qtbot.waitUntil(lambda: view.zoom() < fitted)
    assert_readable(window, view)


def test_a_pan_stops_the_fitting_too(window: MainWindow, qtbot: QtBot) -> None:
    view = open_sample(window, qtbot, SAMPLES[0])
    viewport = view.viewport()
    start = viewport.rect().center()
    qtbot.mousePress(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier,
                     start)
    qtbot.mouseMove(viewport, start + QPoint(60, 20))
    qtbot.mouseRelease(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier,
                       start + QPoint(60, 20))
    assert not view.fits_automatically()
    zoom = view.zoom()
    window.resize(1800, 1100)
    qtbot.wait(50)
    assert view.zoom() == zoom


@pytest.mark.parametrize("selected", [False, True])
def test_actual_size_keeps_the_cards_in_view(
        window: MainWindow, qtbot: QtBot, selected: bool) -> None:
    view = open_sample(window, qtbot, SAMPLES[0])
    scene = view.canvas()
    chosen = list(scene.cards())[-1]
    if selected:
        scene.select([chosen])
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key.Key_0, CTRL)
    assert view.zoom() == 1.0
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    visible = [t for t, card in scene.cards().items()
               if shown.contains(card.sceneBoundingRect())]
    assert len(visible) >= 3, "cards fill the view at 100 %"
    middle = (scene.card(chosen).sceneBoundingRect() if selected
              else scene.items_rect(scene.cards())).center()  # all of them were in view
    assert (view.mapFromScene(middle) - view.viewport().rect().center()).manhattanLength() < 4
    if selected:
        assert chosen in visible


def assert_key_clear(window: MainWindow, view: CanvasView) -> None:
    """The key covers no card, arrow or lane row (its notes and cells) that shows."""
    scene = view.canvas()
    key = key_rect(window, view)
    shown = view.viewport().rect()
    for touchpoint_id, card in scene.cards().items():
        assert not key.intersects(on_screen(view, card)), f"the key covers {touchpoint_id}"
    for arrow in scene.arrows().values():
        path = view.mapFromScene(arrow.mapToScene(arrow.path()))
        assert not path.intersects(QRectF(key)), f"the key covers the arrow {arrow.key}"
    for row in scene.rows():
        area = view.mapFromScene(row.whole()).boundingRect().intersected(shown)
        assert area.isEmpty() or not key.intersects(area), f"the key covers the row {row.name}"


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_the_key_covers_no_lane_row_with_the_bottom_docks_closed(
        window: MainWindow, qtbot: QtBot, theme_name: str) -> None:
    """With the Analysis dock and its neighbours closed the map gets the window's height,
    the fit shows the cards with the lanes below a scroll away, and their tops show at
    the bottom of the view: the key used to sit on the first of them (its notes)."""
    window.theme_actions[theme_name].trigger() if window.theme else None
    for dock in (window.analysis_dock, window.problems_dock, window.segments_dock,
                 window.personas_dock, window.opportunities_dock):
        dock.close()
    view = open_sample(window, qtbot, SAMPLES_BY_NAME["retail-omnichannel"])
    assert view.fits_automatically()
    below = [row for row in view.canvas().rows() if not row.above]
    assert below and view.mapFromScene(below[-1].whole()).boundingRect().bottom() \
        > view.viewport().rect().bottom(), "the lanes below run past the view"
    assert_key_clear(window, view)
    assert view.zoom() >= style.LOD_TEXT, "the cards keep their details"
    # the window grows: the key finds its place again and still covers nothing
    window.resize(1700, 1000)
    qtbot.wait(50)
    assert_key_clear(window, view)
