"""Shared by the document tests: the undo rhythm every edit is checked with."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cx_mapper.ui.document.project_document import ProjectDocument
from tests.factories import state

Rhythm = Callable[[ProjectDocument, Any], None]


def _rhythm(doc: ProjectDocument, before: Any) -> None:
    """Undo returns to `before`, redo returns to what the edit made; one step each."""
    after = state(doc.project)
    assert after != before
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert state(doc.project) == before
    doc.undo_stack.redo()
    assert state(doc.project) == after


@pytest.fixture
def rhythm() -> Rhythm:
    return _rhythm
