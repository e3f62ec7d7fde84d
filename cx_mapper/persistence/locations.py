"""Where a project lives: a `.cxmap` or `.json` file, or a project in the team store."""

from __future__ import annotations

from cx_mapper.domain.project import Project
from cx_mapper.persistence.files import read_project, write_any_project
from cx_mapper.persistence.team_store import TeamStore, is_store_url


def read_location(location: str, project_name: str | None = None) -> Project:
    """A project from a file, or from the team store at a database URL."""
    if is_store_url(location):
        return TeamStore(location).load(project_name).project
    return read_project(location)


def write_location(project: Project, location: str, project_name: str | None = None) -> None:
    """Write a project to a file (atomically), or as a new project in the team store."""
    if is_store_url(location):
        TeamStore(location).save(project, project_name)
    else:
        write_any_project(project, location)
