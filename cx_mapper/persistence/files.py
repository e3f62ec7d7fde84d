"""Open and write any project file the app understands, by its extension.

`.cxmap` is the native SQLite project file (project_file.py); anything else is
cx-mapper/1 JSON (json_format.py). A file whose content is SQLite is read as a
project file whatever its name, so a renamed `.cxmap` still opens.
"""

from __future__ import annotations

import os
from pathlib import Path

from cx_mapper.domain.project import Project
from cx_mapper.persistence.file_kinds import refuse_unless_regular, starts_like_sqlite
from cx_mapper.persistence.json_columns import JourneyColumns
from cx_mapper.persistence.json_format import read_for_analysis as read_json_for_analysis
from cx_mapper.persistence.json_format import read_project as read_json
from cx_mapper.persistence.json_format import write_project as write_json

PROJECT_FILE_SUFFIX = ".cxmap"


def is_project_file(path: str | os.PathLike[str]) -> bool:
    """True for a name ending in `.cxmap` (any case)."""
    return Path(path).suffix.lower() == PROJECT_FILE_SUFFIX


def read_project(path: str | os.PathLike[str]) -> Project:
    """A project from a `.cxmap` or `.json` file (any other name is read as JSON).

    A pipe, a device or a socket is refused before it is opened: reading one could
    wait for ever (a FIFO) or never end (/dev/zero).
    """
    refuse_unless_regular(os.fspath(path))
    if is_project_file(path) or starts_like_sqlite(path):
        from cx_mapper.persistence.project_file import open_project

        return open_project(path).project
    return read_json(path)


def read_for_analysis(path: str | os.PathLike[str], journey_id: str | None = None
                      ) -> tuple[Project, JourneyColumns | None]:
    """read_project, with the journey to analyse as columns where a JSON file allows
    (json_format.read_for_analysis); a `.cxmap` gives no columns."""
    refuse_unless_regular(os.fspath(path))
    if is_project_file(path) or starts_like_sqlite(path):
        return read_project(path), None
    return read_json_for_analysis(path, journey_id)


def write_any_project(project: Project, path: str | os.PathLike[str], *,
                      replace_read_only: bool = False) -> None:
    """Write `project` atomically as `.cxmap` or, for any other name, as JSON.

    Both check the project first and raise ProjectFileError, writing nothing,
    if it could not be read back. A read-only file raises ReadOnlyFileError
    unless `replace_read_only`; a symbolic link is written through.
    """
    if is_project_file(path):
        from cx_mapper.persistence.project_file import save_project

        save_project(project, path, replace_read_only=replace_read_only)
    else:
        write_json(project, path, replace_read_only=replace_read_only)
