"""Whether a file changed since it was read: fingerprints, with no database library.

A save checks the file is still the one that was opened, for JSON files as for
.cxmap files, so opening a JSON file needs no SQL (project_file.py re-exports these).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime

from cx_mapper.persistence.errors import ProjectFileError

StrPath = str | os.PathLike[str]


@dataclass(frozen=True, slots=True)
class FileFingerprint:
    """What a file was like when it was read or written, to notice later changes."""

    mtime_ns: int
    size: int
    sha256: str

    def same_content(self, other: FileFingerprint) -> bool:
        """Equal bytes; a file that was only touched has not changed."""
        return self.size == other.size and self.sha256 == other.sha256

    @property
    def modified_at(self) -> datetime:
        return datetime.fromtimestamp(self.mtime_ns / 1e9, tz=UTC)


class FileChangedError(ProjectFileError):
    """The file on disk is not the one that was opened: saving would overwrite someone's work.

    `changed_at` is when it was last modified (None if it is gone); `current` is
    its fingerprint now (None if it is gone). Save again with expected=None to
    overwrite it anyway.
    """

    def __init__(self, path: str, current: FileFingerprint | None) -> None:
        self.current = current
        self.changed_at = None if current is None else current.modified_at
        if self.changed_at is None:
            reason = ("has been moved or deleted since it was opened; saving will write it "
                      "again. Save to recreate it, or Save As… to put it somewhere else.")
        else:
            when = self.changed_at.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z").strip()
            reason = (f"was changed on disk at {when}, after it was opened here; saving "
                      "would overwrite those changes. Reopen it to see them, Save As… to "
                      "keep both, or save again to overwrite them.")
        super().__init__(reason, path=path)

    def __reduce__(self) -> tuple[object, ...]:
        return (FileChangedError, (self.path, self.current))


# -- fingerprints -----------------------------------------------------------------------
def fingerprint_of(path: StrPath) -> FileFingerprint | None:
    """The file's fingerprint now, or None if there is no file."""
    try:
        with open(path, "rb") as file:
            status = os.fstat(file.fileno())
            data = file.read()
    except FileNotFoundError:
        return None
    return FileFingerprint(status.st_mtime_ns, len(data), hashlib.sha256(data).hexdigest())


def check_unchanged(path: StrPath, expected: FileFingerprint) -> None:
    """Raise FileChangedError unless the file still has the `expected` content."""
    try:
        current = fingerprint_of(path)
    except OSError as error:
        raise ProjectFileError(f"cannot be read to check for changes: "
                               f"{error.strerror or error}.", path=os.fspath(path)) from error
    if current is None or not current.same_content(expected):
        raise FileChangedError(os.fspath(path), current)
