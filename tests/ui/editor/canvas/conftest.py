"""What the canvas tests share: the laid-out sample project and its "now" scene."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas.scene import CanvasScene
from tests.factories import laid_out_project


@pytest.fixture
def doc(qtbot: QtBot) -> ProjectDocument:
    """The sample with every card placed; a test module may give its own."""
    return ProjectDocument(laid_out_project())


@pytest.fixture
def scene(doc: ProjectDocument) -> CanvasScene:
    return CanvasScene(doc, "now")
