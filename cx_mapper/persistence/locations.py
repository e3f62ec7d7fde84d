"""Where a project lives: a `.cxmap` or `.json` file, or a project in the team store.

Deciding which costs nothing; the readers are imported when one is needed, so a
command that reads a JSON file never loads SQLAlchemy.
"""

from __future__ import annotations

from cx_mapper.domain.project import Project


def is_store_url(location: str) -> bool:
    """True for a SQLAlchemy PostgreSQL URL such as postgresql+psycopg://user@host/db."""
    return location.startswith(("postgresql://", "postgresql+"))


def read_location(location: str, project_name: str | None = None) -> Project:
    """A project from a file, or from the team store at a database URL."""
    if is_store_url(location):
        from cx_mapper.persistence.team_store import TeamStore

        return TeamStore(location).load(project_name).project
    from cx_mapper.persistence.files import read_project

    return read_project(location)


def write_location(project: Project, location: str, project_name: str | None = None) -> None:
    """Write a project to a file (atomically), or as a new project in the team store."""
    if is_store_url(location):
        from cx_mapper.persistence.team_store import TeamStore

        TeamStore(location).save(project, project_name)
    else:
        from cx_mapper.persistence.files import write_any_project

        write_any_project(project, location)
