"""Content lanes as rows across the stage columns: dragged across the touchpoint band by
their headers, aligned with the stages whatever happens to them, the line of visibility,
the experience lane's curve, and a map without lanes left exactly as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cx_mapper.domain.journey import Journey, Stage
from cx_mapper.domain.project import Project
from cx_mapper.engine.experience import experience_curves
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor import image_field
from cx_mapper.ui.editor.canvas.experience_lane import ExperienceLane
from cx_mapper.ui.editor.canvas.lane_rows import EXPERIENCE, visibility_line
from cx_mapper.ui.editor.canvas.notes import NoteCard
from cx_mapper.ui.editor.canvas.scene import CanvasScene
from cx_mapper.ui.editor.canvas.view import CanvasView
from cx_mapper.ui.editor.images import PHOTO_SIDE
from cx_mapper.ui.main_window import MainWindow
from tests.factories import laid_out_project, state, story_project
from tests.ui.editor.canvas.mouse import LEFT, NONE, at, drag
from tests.ui.editor.pictures import write_photo


@pytest.fixture
def doc(qtbot: QtBot) -> ProjectDocument:
    return ProjectDocument(story_project())


def shown(qtbot: QtBot, scene: CanvasScene) -> CanvasView:
    view = CanvasView(scene)
    qtbot.addWidget(view)
    view.resize(1300, 900)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def view(qtbot: QtBot, doc: ProjectDocument) -> Iterator[CanvasView]:
    view = shown(qtbot, CanvasScene(doc, "current"))
    yield view
    view.close()


def order(doc: ProjectDocument) -> tuple[list[str], int]:
    journey = doc.journey("current")
    return [lane.id for lane in journey.lanes], journey.lanes_above


def aligned(scene: CanvasScene, journey: Journey) -> None:
    """Every row spans every stage column, each cell is its column, and each note sits in
    its own cell."""
    columns = [scene.lane(stage.id) for stage in journey.stages]
    assert all(column is not None for column in columns)
    rects = [column.rect() for column in columns]  # type: ignore[union-attr]
    for row in scene.rows():
        assert row.left == rects[0].left() and row.right == rects[-1].right()
        for k, rect in enumerate(rects):
            cell = row.cell(k)
            assert (cell.left(), cell.right()) == (rect.left(), rect.right())
            assert rect.top() < row.top and row.bottom <= rect.bottom()
    stages = [stage.id for stage in journey.stages]
    for note in journey.notes.values():
        card = scene.note_card(note.id)
        row = scene.row(note.lane)
        assert card is not None and row is not None
        assert row.cell(stages.index(note.stage)).contains(card.sceneBoundingRect().center())


def test_drag_a_lane_header_across_the_touchpoint_band(
        qtbot: QtBot, view: CanvasView, doc: ProjectDocument) -> None:
    scene = view.canvas()
    before = state(doc.project), order(doc)
    view.set_zoom(0.4)
    pain = scene.row("pain")
    assert pain is not None and not pain.above
    start = pain.header().center()
    view.centerOn(QPointF(start.x() + 400, (start.y() - 200) / 2))
    drag(qtbot, view, at(view, start.x(), start.y()), at(view, start.x(), -60.0), steps=8)
    # just above the band, under customer actions (the one lane above it before)
    assert order(doc) == (["do", "pain", "think", "ideas", "front", "back"], 2)
    pain = scene.row("pain")
    assert pain is not None and pain.above
    assert pain.bottom < min(card.y() for card in scene.cards().values())
    assert scene.drop_mark() == []
    aligned(scene, doc.journey("current"))
    assert doc.undo_stack.count() == 1
    moved = state(doc.project), order(doc)
    doc.undo_stack.undo()
    assert (state(doc.project), order(doc)) == before and not scene.row("pain").above  # type: ignore[union-attr]
    doc.undo_stack.redo()
    assert (state(doc.project), order(doc)) == moved and scene.row("pain").above  # type: ignore[union-attr]


def test_rows_and_stage_columns_stay_aligned(qtbot: QtBot, view: CanvasView,
                                             doc: ProjectDocument) -> None:
    scene = view.canvas()
    journey = doc.journey("current")
    assert doc.journey("current").lanes_above == 1  # customer actions above the band
    aligned(scene, journey)
    added = scene.add_stage(2)
    scene.editor().cancel()  # type: ignore[union-attr]
    aligned(scene, journey)
    assert scene.row("do").cell(2).contains(  # type: ignore[union-attr]
        scene.lane(added).rect().center().x(), scene.row("do").top + 1)  # type: ignore[union-attr]
    doc.rename_stage("current", "purchase", "Buying a much longer stage name than before")
    aligned(scene, journey)
    scene.move_stage("purchase", 0)
    aligned(scene, journey)
    assert scene.note_card("worry").x() < scene.note_card("sees").x()  # type: ignore[union-attr]
    scene.remove_stage("aware")
    aligned(scene, journey)
    doc.move_touchpoints("current", {"delivery": (1000.0, 900.0)})  # a card moves down
    aligned(scene, journey)
    for _ in range(4):
        doc.undo_stack.undo()
        aligned(scene, journey)


def test_the_line_of_visibility_runs_between_frontstage_and_backstage(
        qtbot: QtBot, view: CanvasView, doc: ProjectDocument) -> None:
    scene = view.canvas()
    line = visibility_line(scene.rows())
    front, back = scene.row("front"), scene.row("back")
    assert line is not None and front is not None and back is not None
    assert front.bottom <= line.y1() <= back.top
    doc.remove_lane("current", "back")
    assert visibility_line(scene.rows()) is None
    doc.undo_stack.undo()
    assert visibility_line(scene.rows()) is not None
    doc.remove_lane("current", "front")
    assert visibility_line(scene.rows()) is None


def test_a_journey_with_lanes_and_no_touchpoints(qtbot: QtBot) -> None:
    project = Project()
    journey = Journey("blank", "Blank", stages=[Stage("first", "First"), Stage("second",
                                                                                "Second")])
    project.journeys.append(journey)
    doc = ProjectDocument(project)
    view = shown(qtbot, CanvasScene(doc, "blank"))
    scene = view.canvas()
    assert scene.rows() == []
    doc.add_lane("blank", "actions")
    doc.add_lane("blank", "pain_points")
    rows = scene.rows()
    assert [row.kind for row in rows] == ["experience", "actions", "pain_points"]
    aligned(scene, journey)
    cell = rows[2].cell(1)
    view.centerOn(cell.center())
    qtbot.mouseDClick(view.viewport(), LEFT, NONE, at(view, cell.center().x(),
                                                       cell.center().y()))
    assert [(n.lane, n.stage) for n in journey.notes.values()] == [("pain-points", "second")]
    assert scene.fit_rect().contains(rows[-1].body())
    view.close()


def test_a_map_without_lanes_looks_and_measures_as_before(qtbot: QtBot) -> None:
    doc = ProjectDocument(laid_out_project())
    scene = CanvasScene(doc, "now")
    rect, fit = scene.sceneRect(), scene.fit_rect()
    picture = render(scene)
    assert scene.rows() == [] and not any(
        isinstance(item, NoteCard | ExperienceLane) for item in scene.items())
    doc.add_lane("now", "pain_points")
    assert scene.rows() and scene.sceneRect() != rect
    doc.undo_stack.undo()
    assert scene.rows() == []
    assert (scene.sceneRect(), scene.fit_rect()) == (rect, fit)
    assert render(scene) == picture


def render(scene: CanvasScene) -> QImage:
    scene.content_rect()
    image = QImage(800, 600, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), scene.sceneRect())
    painter.end()
    return image


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, no_modal_questions: None) -> Iterator[MainWindow]:
    win = MainWindow(ProjectDocument(story_project()), recovery_folder=str(tmp_path))
    qtbot.addWidget(win)
    win.resize(1300, 850)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def test_the_experience_lane_draws_the_loyalty_curve_once_analysed(
        qtbot: QtBot, window: MainWindow) -> None:
    scene = window.tabs.scene
    assert scene is not None
    lane = scene.experience_lane()
    assert lane is not None
    row = scene.row(EXPERIENCE)
    assert row is not None and row.top >= max(c.y() for c in scene.cards().values())
    qtbot.waitUntil(lambda: bool(lane.curves()), timeout=10000)
    document = window.document
    result = document.analysis.result_of("current")
    assert result is not None
    journey = document.journey("current")
    assert lane.curves() == experience_curves(journey, result.analysis)
    points = [p for p in lane.points(lane.curves()[0]) if p is not None]
    columns = [scene.lane(s.id).rect().center().x() for s in journey.stages]  # type: ignore[union-attr]
    assert [p.x() for p in points] == columns[:len(points)]
    assert all(row.top <= p.y() <= row.bottom for p in points)
    assert not lane.is_stale()
    window.actions_by_name["experience_by_segment"].trigger()
    assert [c.name for c in lane.curves()] == [s.name for s in document.project.segments]
    document.set_touchpoint_fields("current", ["delivery"], satisfaction=-0.9)
    qtbot.waitUntil(lane.is_stale, timeout=5000)
    qtbot.waitUntil(lambda: not lane.is_stale(), timeout=10000)
    window.actions_by_name["show_experience"].trigger()
    assert scene.experience_lane() is None and scene.row(EXPERIENCE) is None
    QApplication.processEvents()


def test_journey_menu_adds_a_lane_of_each_kind(qtbot: QtBot, window: MainWindow) -> None:
    journey_menu = next(a.menu() for a in window.menuBar().actions()
                        if a.text() == "&Journey")
    add = next(a.menu() for a in journey_menu.actions() if a.text() == "Add lane")
    before = len(window.document.journey("current").lanes)
    next(a for a in add.actions() if a.text() == "Support processes").trigger()
    lanes = window.document.journey("current").lanes
    assert len(lanes) == before + 1 and lanes[-1].kind == "support"
    assert window.tabs.scene.row(lanes[-1].id) is not None  # type: ignore[union-attr]
    window.document.undo_stack.undo()
    assert len(window.document.journey("current").lanes) == before


def test_a_selected_note_in_the_inspector(qtbot: QtBot, window: MainWindow) -> None:
    scene = window.tabs.scene
    assert scene is not None
    scene.select_notes(["stock"])
    inspector = window.inspector
    assert inspector.mode() == "notes" and inspector.note_form.isVisible()
    form = inspector.note_form
    assert form.text.toPlainText() == "Out of stock in store"
    assert [form.links.item(i).text() for i in range(form.links.count())] == [
        window.document.journey("current").touchpoint("store_visit").name]
    form.link_choice.setCurrentIndex(form.link_choice.findData("delivery"))
    form.link_choice.activated.emit(form.link_choice.currentIndex())
    assert window.document.journey("current").note("stock").touchpoints == (
        "store_visit", "delivery")
    form.links.item(0).setSelected(True)
    qtbot.mouseClick(form.unlink, Qt.MouseButton.LeftButton)
    assert window.document.journey("current").note("stock").touchpoints == ("delivery",)
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert window.document.journey("current").note("stock").touchpoints == ("store_visit",)
    assert form.links.count() == 1


def test_a_notes_picture_in_the_inspector_is_shown_chosen_and_removed(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    scene = window.tabs.scene
    assert scene is not None
    scene.select_notes(["stock"])  # a note with a picture of a receipt
    field = window.inspector.note_form.picture
    doc = window.document
    assert field.isVisible() and field.view.picture() is not None
    before = state(doc.project)
    qtbot.mouseClick(field.remove_button, Qt.MouseButton.LeftButton)
    assert doc.journey("current").note("stock").image is None
    assert field.view.picture() is None and not field.remove_button.isEnabled()
    doc.undo_stack.undo()
    assert state(doc.project) == before and field.view.picture() is not None
    photo = write_photo(tmp_path / "till.jpg", 2400, 1600, "JPEG")
    monkeypatch.setattr(image_field, "choose_image_file", lambda *_: str(photo))
    qtbot.mouseClick(field.choose_button, Qt.MouseButton.LeftButton)
    image = doc.project.images[doc.journey("current").note("stock").image or ""]
    assert QImage.fromData(image.data).width() == PHOTO_SIDE  # made smaller
    assert field.view.picture() is not None and field.message_text() == ""
    doc.undo_stack.undo()
    assert state(doc.project) == before


def test_a_lanes_menu_renames_recolours_adds_and_removes(
        qtbot: QtBot, view: CanvasView, doc: ProjectDocument) -> None:
    scene = view.canvas()
    row = scene.row("pain")
    assert row is not None
    menu = scene.row_menu(row, row.cell(1).center())
    actions = {a.text(): a for a in menu.actions()}
    assert {"Add note here", "Rename lane", "Change colour…", "Add lane", "Remove lane"} \
        <= set(actions)
    before = state(doc.project)
    actions["Add note here"].trigger()
    assert [n.stage for n in doc.journey("current").notes_in("pain", "consider")] == ["consider"]
    assert scene.note_editor() is not None and scene.note_editor().is_editing()  # type: ignore[union-attr]
    scene.note_editor().cancel()  # type: ignore[union-attr]
    add = actions["Add lane"].menu()
    next(a for a in add.actions() if a.text() == "Custom lane").trigger()
    lanes = [lane.id for lane in doc.journey("current").lanes]
    assert lanes[lanes.index("pain") + 1] == "custom-lane"
    actions["Rename lane"].trigger()
    editor = scene.editor()
    assert editor is not None and editor.is_editing()
    editor.line_edit().setText("Where it hurts")
    editor.commit()
    assert doc.journey("current").lane("pain").name == "Where it hurts"
    actions["Remove lane"].trigger()
    assert scene.row("pain") is None and "stock" not in doc.journey("current").notes
    for _ in range(4):
        doc.undo_stack.undo()
    assert state(doc.project) == before and scene.row("pain") is not None
    menu.deleteLater()


def test_the_edit_keys_work_on_notes_in_the_window(qtbot: QtBot, window: MainWindow) -> None:
    view, scene, document = window.tabs.view, window.tabs.scene, window.document
    assert view is not None and scene is not None
    journey = document.journey("current")
    scene.select_notes(["stock"])
    assert window.actions_by_name["delete"].isEnabled()
    assert window.actions_by_name["rename"].isEnabled()
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert [n.id for n in journey.notes_in("pain", "purchase")] == ["stock", "stock-2"]
    assert scene.selected_notes() == ["stock-2"]
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Delete)
    assert "stock-2" not in journey.notes
    scene.select_notes(["stock"])
    qtbot.keyClick(view.viewport(), Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.viewport(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len([n for n in journey.notes.values() if n.text == "Out of stock in store"]) == 2
    qtbot.keyClick(view.viewport(), Qt.Key.Key_F2)
    editor = scene.note_editor()
    assert editor is not None and editor.is_editing()
    qtbot.keyClick(editor.text_edit(), Qt.Key.Key_Escape)
    for _ in range(3):
        document.undo_stack.undo()
    assert [n.id for n in journey.notes_in("pain", "purchase")] == ["stock"]
