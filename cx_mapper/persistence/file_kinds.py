"""What a path holds, found cheaply before anything reads it: a regular file or not, and
an SQLite project or text. No SQLAlchemy, so the JSON readers' commands start fast."""

from __future__ import annotations

import os
import stat

from cx_mapper.persistence.errors import ProjectFileError, reading_file

StrPath = str | os.PathLike[str]

#: The first 16 bytes of every SQLite database file.
SQLITE_MAGIC = b"SQLite format 3\x00"


def refuse_unless_regular(name: str) -> None:
    """A ProjectFileError for anything but a file: a FIFO would block, /dev/zero never end."""
    with reading_file(name):
        mode = os.stat(name).st_mode
    check_regular(mode, name)


def check_regular(mode: int, name: str) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise ProjectFileError("is a folder, not a project file.", path=name)
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else
            "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
            "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    raise ProjectFileError(f"is {kind}, not a project file; nothing was read. Choose a "
                           ".cxmap or .json file.", path=name)


def starts_like_sqlite(path: StrPath) -> bool:
    """SQLite content, whatever the name (a renamed .cxmap still opens as one)."""
    try:
        with open(path, "rb") as file:
            return file.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False  # the JSON reader says what is wrong with the path
