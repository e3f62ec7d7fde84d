"""What the editor's panel tests share: the sample project in a document."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from cx_mapper.ui.document.project_document import ProjectDocument
from tests.factories import sample_project


@pytest.fixture
def doc(qtbot: QtBot) -> ProjectDocument:
    """The sample project, open; a test module may give its own (personas, problems)."""
    return ProjectDocument(sample_project())
