"""The team store: projects in a PostgreSQL database, saved with optimistic concurrency.

The database holds the same schema as a .cxmap file, many projects side by side.
Each journey carries a revision. A save names the revisions it started from;
when someone else has saved a journey since, the save is refused with who changed
it and when, and nothing is written. Journeys the saver did not change are left
as the store has them, so two people editing different journeys both get saved.

Passwords come only from the URL, PGPASSWORD or ~/.pgpass (libpq reads the last
two). They are never written to project files, and messages show the URL with
the password hidden.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, create_engine, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.opportunities import Opportunity
from cx_mapper.domain.personas import PERSONA_LISTS
from cx_mapper.domain.project import Project
from cx_mapper.persistence import migrations, schema
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.schema import JourneyRevision

Revisions = Mapping[str, JourneyRevision | int]


class ConflictError(ProjectFileError):
    """Someone saved a journey after it was opened here. Nothing was written."""


@dataclass(frozen=True)
class StoredProject:
    project: Project
    name: str
    revisions: dict[str, JourneyRevision]


class TeamStore:
    """A PostgreSQL database of projects, named by a SQLAlchemy URL."""

    def __init__(self, url: str, *, user: str | None = None) -> None:
        parsed, self.display_url = parse_store_url(url)
        self.url = parsed
        self.user = user or parsed.username or getpass.getuser()
        self._engine: Engine = create_engine(parsed, poolclass=NullPool)

    # -- reading ------------------------------------------------------------------------
    def project_names(self) -> list[str]:
        with self._connect() as conn:
            query = select(schema.projects.c.name).order_by(schema.projects.c.name)
            return [str(name) for name in conn.execute(query).scalars()]

    def load(self, name: str | None = None) -> StoredProject:
        """A project and its journeys' revisions. `name` may be left out when there is one."""
        with self._connect() as conn:
            name = self._pick(conn, name)
            project_id = schema.project_row_id(conn, name)
            if project_id is None:
                raise self._error(f"has no project named '{name}'. Projects: "
                                  f"{self._names_text(conn)}.")
            project = schema.read_project_rows(conn, project_id, source=self.display_url)
            return StoredProject(project, name, schema.read_journey_revisions(conn, project_id))

    # -- saving -------------------------------------------------------------------------
    def save(
        self,
        project: Project,
        name: str | None = None,
        *,
        base: Revisions | None = None,
        changed: Iterable[str] | None = None,
    ) -> dict[str, JourneyRevision]:
        """Save `project` as `name` (default: its own name); returns the new revisions.

        `base` holds the revisions the project was loaded with (None: a new project,
        refused if the name is taken). `changed` names the journeys edited since
        loading (None: all of them); the store's copy of the others is kept.
        Raises ConflictError, writing nothing, when a changed journey has a newer
        revision in the store.
        """
        name = name or project.name
        self._check_storable(project, name)
        edited = None if changed is None else set(changed)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            with self._engine.begin() as conn:
                self._prepare(conn)
                project_id = conn.execute(
                    select(schema.projects.c.id).where(schema.projects.c.name == name)
                    .with_for_update()).scalar()
                if project_id is None:
                    stored: Project | None = None
                    current: dict[str, JourneyRevision] = {}
                    project_id = schema.insert_project_row(conn, name)
                else:
                    if base is None:
                        raise ConflictError(
                            f"already has a project named '{name}'. Nothing was saved. "
                            "Open it from the store to change it, or save under another "
                            "name.", path=self.display_url)
                    current = schema.read_journey_revisions(conn, int(project_id))
                    stored = schema.read_project_rows(conn, int(project_id),
                                                      source=self.display_url)
                merged, revisions = _merge(project, stored, current, base or {}, edited,
                                           now, self.user, self.display_url)
                if stored is not None:
                    schema.delete_project_rows(conn, int(project_id))
                schema.write_project_rows(conn, merged, int(project_id), revisions=revisions,
                                          source=self.display_url)
                return revisions
        except IntegrityError:  # another writer created the same project name just now
            raise ConflictError(f"got a project named '{name}' from someone else while "
                                "saving. Nothing was saved. Open it from the store, or "
                                "save under another name.", path=self.display_url) from None
        except OperationalError as error:
            raise self._database_error(error) from None
        except SQLAlchemyError as error:
            cause = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
            raise self._error(f"refused the project '{name}': {cause}. Nothing was saved.") \
                from None

    def delete(self, name: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(schema.projects.delete().where(schema.projects.c.name == name))

    # -- helpers --------------------------------------------------------------------------
    def _connect(self) -> Connection:
        try:
            conn = self._engine.connect()
        except SQLAlchemyError as error:
            raise self._database_error(error) from None
        try:
            self._prepare(conn)
            conn.commit()
        except BaseException:
            conn.close()
            raise
        return conn

    def _prepare(self, conn: Connection) -> None:
        """Create or upgrade the schema; refuse a store made by a newer version."""
        revision = migrations.current_revision(conn)
        if revision is not None and revision not in migrations.known_revisions():
            raise self._error("was set up by a newer version of CX Mapper; update CX Mapper "
                              "to use it.")
        if revision != migrations.head_revision():
            migrations.upgrade(conn)

    def _check_storable(self, project: Project, name: str) -> None:
        """PostgreSQL text cannot hold NUL characters; say where one is, before writing."""
        def check(value: str | None, journey: str | None, element: str, element_id: str | None,
                  field: str) -> None:
            if value is not None and "\x00" in value:
                raise ProjectFileError(
                    "contains a NUL character, which the team store cannot hold. Remove it "
                    "and save again.", path=self.display_url, journey=journey,
                    element=element, element_id=element_id, field=field)

        check(name, None, "project", None, "name")
        check(project.cost_unit, None, "project", None, "cost_unit")
        for segment in project.segments:
            check(segment.id, None, "segment", segment.id, "id")
            check(segment.name, None, "segment", segment.id, "name")
            for entry in segment.evidence.values():
                check(entry.source, None, "segment", segment.id, "evidence")
        for journey in project.journeys:
            j = journey.id
            check(j, j, "journey", j, "id")
            check(journey.name, j, "journey", j, "name")
            for group, kind in ((journey.stages, "stage"), (journey.channels, "channel")):
                for item in group:
                    check(item.id, j, kind, item.id, "id")
                    check(item.name, j, kind, item.id, "name")
            for tp in journey.touchpoints.values():
                for field in ("id", "name", "stage", "channel", "notes", "image"):
                    check(getattr(tp, field), j, "touchpoint", tp.id, field)
                for entry in tp.evidence.values():
                    check(entry.source, j, "touchpoint", tp.id, "evidence")
            for tr in journey.transitions.values():
                tid = f"{tr.source} -> {tr.target}"
                check(tr.source, j, "transition", tid, "from")
                check(tr.target, j, "transition", tid, "to")
                check(tr.label, j, "transition", tid, "label")
                if tr.evidence is not None:
                    check(tr.evidence.source, j, "transition", tid, "evidence")
            for lane in journey.lanes:
                for field in ("id", "kind", "name", "colour"):
                    check(getattr(lane, field), j, "lane", lane.id, field)
            for note in journey.notes.values():
                for field in ("id", "lane", "stage", "text", "image"):
                    check(getattr(note, field), j, "note", note.id, field)
            for opportunity in journey.opportunities:
                for field, value in _opportunity_texts(opportunity):
                    check(value, j, "opportunity", opportunity.id, field)
            for kpi in journey.plan.objective if journey.plan is not None else ():
                check(kpi, j, "journey", j, "plan")
        for persona in project.personas:
            for field in ("id", "segment", "name", "quote", "image"):
                check(getattr(persona, field), None, "persona", persona.id, field)
            for field in PERSONA_LISTS:
                for item in getattr(persona, field):
                    check(item, None, "persona", persona.id, field)
        for image in project.images.values():
            check(image.id, None, "image", image.id, "id")

    def _pick(self, conn: Connection, name: str | None) -> str:
        if name is not None:
            return name
        names = [str(n) for n in conn.execute(select(schema.projects.c.name)).scalars()]
        if len(names) == 1:
            return names[0]
        if not names:
            raise self._error("has no projects yet.")
        raise self._error(f"holds {len(names)} projects; name one: {', '.join(sorted(names))}.")

    def _names_text(self, conn: Connection) -> str:
        names = sorted(str(n) for n in conn.execute(select(schema.projects.c.name)).scalars())
        return ", ".join(f"'{n}'" for n in names) or "none"

    def _error(self, reason: str) -> ProjectFileError:
        return ProjectFileError(reason, path=self.display_url)

    def _database_error(self, error: SQLAlchemyError) -> ProjectFileError:
        cause = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        return self._error(f"cannot be used: {cause}. Check that the server is running and "
                           "the user name, and give the password in the URL, PGPASSWORD or "
                           "~/.pgpass.")


def _merge(
    project: Project,
    stored: Project | None,
    current: dict[str, JourneyRevision],
    base: Revisions,
    edited: set[str] | None,
    now: str,
    user: str,
    where: str,
) -> tuple[Project, dict[str, JourneyRevision]]:
    """The project to write: the saver's changed journeys, the store's copy of the rest."""
    def base_revision(journey_id: str) -> int | None:
        value = base.get(journey_id)
        return value.revision if isinstance(value, JourneyRevision) else value

    stored_journeys = {j.id: j for j in stored.journeys} if stored else {}
    journeys = []
    revisions: dict[str, JourneyRevision] = {}
    for journey in project.journeys:
        mine = edited is None or journey.id in edited
        theirs = current.get(journey.id)
        if mine:
            if theirs is not None and theirs.revision != base_revision(journey.id):
                _conflict(journey.name or journey.id, theirs, base_revision(journey.id), where)
            journeys.append(journey)
            number = theirs.revision + 1 if theirs else 1
            revisions[journey.id] = JourneyRevision(number, now, user)
        elif theirs is not None:
            journeys.append(stored_journeys[journey.id])
            revisions[journey.id] = theirs
        else:
            journeys.append(journey)
            revisions[journey.id] = JourneyRevision(1, now, user)
    # Journeys someone else added since loading are kept; ones this saver had and
    # removed are removed, unless they were changed in the meantime.
    for journey_id, theirs in current.items():
        if journey_id in revisions:
            continue
        had = base_revision(journey_id)
        if had is None:
            journeys.append(stored_journeys[journey_id])
            revisions[journey_id] = theirs
        elif had != theirs.revision:
            _conflict(stored_journeys[journey_id].name or journey_id, theirs, had, where)
    # The store's journeys kept here may show images the saver never had (added to a note
    # by someone else): those come along from the store.
    images = dict(project.images)
    for journey in journeys:
        if stored is not None and journey is stored_journeys.get(journey.id):
            for image_id in sorted(_images_shown(journey) - images.keys()):
                if image_id in stored.images:
                    images[image_id] = stored.images[image_id]
    return replace(project, journeys=journeys, images=images), revisions


def _opportunity_texts(opportunity: Opportunity) -> Iterator[tuple[str, str | None]]:
    """Every text an opportunity holds, with the field a message names."""
    yield from ((field, getattr(opportunity, field))
                for field in ("id", "title", "description", "owner", "status"))
    yield from (("touchpoints", t) for t in opportunity.touchpoints)
    changes = opportunity.changes
    for touchpoint_id, values in changes.touchpoints.items():
        yield from (("changes", text) for text in (touchpoint_id, *values))
    for transition in changes.transitions:
        yield from (("changes", text) for text in (*transition.key, transition.label))
    yield from (("changes", text) for key in changes.remove_transitions for text in key)
    for touchpoint in changes.add_touchpoints:
        yield from (("changes", getattr(touchpoint, field))
                    for field in ("id", "name", "stage", "channel", "notes", "image"))
        yield from (("changes", entry.source) for entry in touchpoint.evidence.values())


def _images_shown(journey: Journey) -> set[str]:
    """The images a journey shows, on the touchpoints its opportunities add too."""
    added = {t.image for o in journey.opportunities for t in o.changes.add_touchpoints}
    return journey.image_ids() | (added - {None})  # type: ignore[operator]


def _conflict(name: str, theirs: JourneyRevision, mine: int | None, where: str) -> None:
    who = f" by {theirs.changed_by}" if theirs.changed_by else ""
    when = f" at {theirs.changed_at}" if theirs.changed_at else ""
    opened = f"you opened revision {mine}" if mine is not None else "you did not have it"
    raise ConflictError(
        f"journey '{name}' was changed{who}{when} (revision {theirs.revision}; {opened}). "
        "Nothing was saved. Reopen the project to get those changes, or save yours under "
        "another name.", path=where)


#: The driver the store connects with; a plain `postgresql://` URL means this one.
DRIVER = "postgresql+psycopg"
_EXAMPLE = "postgresql+psycopg://user:password@host:5432/database"
_ENCODE = ("; a user name or password with @ : / ? # or % in it must be percent-encoded "
           "(@ as %40, : as %3A, / as %2F)")


def parse_store_url(url: str) -> tuple[URL, str]:
    """The URL with its driver, and how messages show it (the password masked).

    ProjectFileError, showing the URL masked, when it is no URL the store can use: a
    port that is no port, another driver, or an '@' in the password that was not
    percent-encoded, which would make part of the password look like the host.
    """
    shown = mask_password(url)
    extra_at = url.partition("://")[2].count("@") > 1
    try:
        parsed: URL = make_url(url)
        port = parsed.port
    except (ArgumentError, ValueError) as error:
        if extra_at:
            raise ProjectFileError(f"has more than one '@'{_ENCODE}.", path=shown) from None
        if isinstance(error, ValueError):
            raise ProjectFileError("has a port that is not a number from 1 to 65535.",
                                   path=shown) from None
        raise ProjectFileError(f"is not a database URL such as {_EXAMPLE}{_ENCODE}.",
                               path=shown) from None
    if extra_at or "@" in (parsed.host or ""):
        raise ProjectFileError(f"has more than one '@'{_ENCODE}.", path=shown)
    if port is not None and not 1 <= port <= 65535:
        raise ProjectFileError(f"has the port {port}; a port is a number from 1 to 65535.",
                               path=shown)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername=DRIVER)
    if parsed.drivername != DRIVER:
        raise ProjectFileError(f"names the driver '{parsed.drivername}'; the team store "
                               f"connects with psycopg: {_EXAMPLE}.", path=shown)
    return parsed, mask_password(parsed.render_as_string(hide_password=True))


def mask_password(url: str) -> str:
    """The URL as messages may show it: the password, wherever it is, as ***.

    Everything between the user name and the last '@' is masked, so a password with
    an '@' that was not percent-encoded is hidden whole, and so is a password= option."""
    scheme, separator, rest = url.partition("://")
    if separator and "@" in rest:
        userinfo, host = rest.rsplit("@", 1)
        if ":" in userinfo:
            userinfo = userinfo.split(":", 1)[0] + ":***"
        elif "@" in userinfo:
            userinfo = "***"
        rest = f"{userinfo}@{host}"
    rest = re.sub(r"(password=)[^&]*", r"\1***", rest, flags=re.IGNORECASE)
    return scheme + separator + rest
