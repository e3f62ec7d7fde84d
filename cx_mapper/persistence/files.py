"""Open any project file the app understands, by its extension."""

from __future__ import annotations

import os
from pathlib import Path

from cx_mapper.domain.project import Project
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.json_format import read_project as read_json


def read_project(path: str | os.PathLike[str]) -> Project:
    """A project from a `.json` file (any other name is read as JSON too)."""
    if Path(path).suffix.lower() == ".cxmap":
        raise ProjectFileError(
            ".cxmap project files cannot be read by this version; export the project as JSON.",
            path=os.fspath(path))
    return read_json(path)
