"""Help (glossary, About) and the welcome page on first start."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from cx_mapper import __version__
from cx_mapper.domain.project import PARAMETER_LABELS, PARAMETER_SOURCES
from cx_mapper.engine.kpis import KPIS
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.files.open_save import FileController
from cx_mapper.ui.help.glossary import GlossaryDialog, about_html, glossary_html, versions
from cx_mapper.ui.look.resources import sample_projects
from cx_mapper.ui.main_window import MainWindow
from tests.factories import RETAIL_SAMPLE, sample_project

SAMPLE = str(RETAIL_SAMPLE)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setattr(FileController, "ask_unsaved", lambda _self: "discard")
    win = MainWindow(ProjectDocument(sample_project()), recovery_folder=str(tmp_path / "r"))
    qtbot.addWidget(win)
    win.show()
    return win


def test_the_glossary_has_every_key_figure_and_parameter_with_its_source() -> None:
    text = glossary_html()
    for kpi in KPIS:
        assert kpi.label in text
    for name, label in PARAMETER_LABELS.items():
        assert label in text
        assert PARAMETER_SOURCES[name].split(":")[0] in text


def test_the_glossary_dialog_finds_a_term(qtbot: QtBot) -> None:
    dialog = GlossaryDialog()
    qtbot.addWidget(dialog)
    dialog.search.setText("Removal effect")
    assert dialog.browser.textCursor().selectedText().casefold() == "removal effect"


def test_about_names_the_versions() -> None:
    names = [name for name, _ in versions()]
    assert names[:4] == ["CX Mapper", "Python", "Qt", "PySide6"]
    assert __version__ in about_html() and "numpy" in about_html()


def test_the_welcome_page_lists_samples_and_recent_files(window: MainWindow) -> None:
    assert sample_projects(), "the samples are found from a source checkout"
    window.files.open(SAMPLE)
    window.show_welcome()
    assert window.is_welcome_shown()
    recent = [window.welcome.recent_list.item(i).toolTip()
              for i in range(window.welcome.recent_list.count())]
    assert recent == [SAMPLE]
    samples = [window.welcome.samples_list.item(i).toolTip()
               for i in range(window.welcome.samples_list.count())]
    assert SAMPLE in samples


def test_choosing_a_sample_opens_it_and_shows_the_canvas(window: MainWindow) -> None:
    window.show_welcome()
    samples = window.welcome.samples_list
    row = next(i for i in range(samples.count()) if samples.item(i).toolTip() == SAMPLE)
    samples.itemActivated.emit(samples.item(row))
    assert not window.is_welcome_shown()
    assert window.document.path == Path(SAMPLE)
    assert window.tabs.count() == 2


def test_new_from_the_template_leaves_the_welcome_page(window: MainWindow) -> None:
    window.show_welcome()
    window.welcome.new_requested.emit(True)
    assert not window.is_welcome_shown()
    stages = [s.name for s in window.document.project.journeys[0].stages]
    assert stages == ["Awareness", "Consideration", "Purchase", "Service", "Loyalty"]
