"""The one error type for project files: JSON, .cxmap and the team store.

It names the file, the journey, the element and the field, so the CLI can print
one clear line and the GUI can point at the element that is wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from cx_mapper.domain.quoting import escaped, one_line, quoted


class ProjectFileError(Exception):
    """A project file cannot be read or written.

    `element` is one of "project", "segment", "journey", "stage", "channel",
    "touchpoint", "transition", "lane", "note", "persona" or "image"; `element_id`
    is its id (a transition's is "a -> b"). `reason` is a plain sentence: what is
    wrong and what to do.
    """

    def __init__(
        self,
        reason: str,
        *,
        path: str | None = None,
        journey: str | None = None,
        element: str | None = None,
        element_id: str | None = None,
        field: str | None = None,
    ) -> None:
        self.reason = reason
        self.path = path
        self.journey = journey
        self.element = element
        self.element_id = element_id
        self.field = field
        super().__init__(str(self))

    def location(self) -> str:
        """Where in the file, e.g. "journey 'current', touchpoint 'ad', field 'value'"."""
        parts: list[str] = []
        # Ids and fields are the file's text: quoted short and escaped (domain/quoting.py).
        if self.journey is not None:
            parts.append(f"journey '{quoted(self.journey)}'")
        # The journey itself is already named above; the project needs no name.
        if self.element is not None and self.element not in ("journey", "project"):
            if self.element_id is not None:
                parts.append(f"{self.element} '{quoted(self.element_id)}'")
            else:
                parts.append(self.element)
        elif self.element == "journey" and self.journey is None:
            parts.append("journey" if self.element_id is None
                         else f"journey '{quoted(self.element_id)}'")
        if self.field is not None:
            parts.append(f"field '{quoted(self.field)}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        """One line of at most MESSAGE_LIMIT characters, with no control character."""
        path = None if self.path is None else escaped(self.path)
        head = [part for part in (path, self.location()) if part]
        return one_line(": ".join([*head, self.reason]))

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments need this to survive pickling (e.g. a worker thread pool).
        return (_rebuild, (self.reason, self.path, self.journey, self.element,
                           self.element_id, self.field))


def _rebuild(
    reason: str,
    path: str | None,
    journey: str | None,
    element: str | None,
    element_id: str | None,
    field: str | None,
) -> ProjectFileError:
    return ProjectFileError(reason, path=path, journey=journey, element=element,
                            element_id=element_id, field=field)


@contextmanager
def reading_file(name: str) -> Iterator[None]:
    """Turn the operating system's reasons a file cannot be read into a ProjectFileError."""
    try:
        yield
    except FileNotFoundError:
        raise ProjectFileError("file not found; check the name and folder.", path=name) from None
    except IsADirectoryError:
        raise ProjectFileError("is a folder, not a project file.", path=name) from None
    except OSError as error:
        raise ProjectFileError(f"cannot be read: {error.strerror or error}.", path=name) from error


class ReadOnlyFileError(ProjectFileError):
    """The file to save over is read-only: ask before replacing it.

    Save again with `replace_read_only=True` (the command line's `--force`) to
    replace it anyway; the new file keeps the read-only mode.
    """

    def __init__(self, path: str) -> None:
        super().__init__("is read-only; nothing was written. Save As… another name, make "
                         "it writable, or replace it anyway (cx-mapper convert --force).",
                         path=path)

    def __reduce__(self) -> tuple[object, ...]:
        return (ReadOnlyFileError, (self.path,))
