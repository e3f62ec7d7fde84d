"""Atomic file replacement, shared by the JSON and .cxmap writers.

The new content goes to a temporary file in the same folder, is flushed to disk,
and only then renamed over the old file, so a reader (or a crash) sees either the
old file or the new one, never half of each. A hard crash can leave a stray
`.NAME.tmp-XXXXXXXX` beside the file; it is harmless and can be deleted.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable

from cx_mapper.persistence.errors import ProjectFileError

_O_BINARY: int = getattr(os, "O_BINARY", 0)  # Windows would otherwise translate newlines

#: errno values that mean "this folder does not let us create files".
_READ_ONLY_ERRORS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


def temp_name_for(path: str) -> str:
    """A fresh temporary name beside `path`, hidden on POSIX: `.NAME.tmp-XXXXXXXX`."""
    folder, base = os.path.split(os.path.abspath(path))
    return os.path.join(folder, f".{base}.tmp-{secrets.token_hex(4)}")


def write_atomically(
    path: str, data: bytes, *, before_replace: Callable[[], None] | None = None
) -> None:
    """Replace `path` by `data` atomically; the old file stays untouched on any failure.

    `before_replace` runs after the new content is safely on disk and just before
    the rename; if it raises, nothing is replaced and the exception goes through.
    OSErrors become a ProjectFileError that says the old file is unchanged.
    """
    folder = os.path.dirname(os.path.abspath(path))
    temp_name = temp_name_for(path)
    created = False
    try:
        try:
            # os.open with 0o666 honours the umask, unlike mkstemp's 0o600.
            fd = os.open(temp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666)
        except OSError as error:
            if error.errno in _READ_ONLY_ERRORS:
                raise ProjectFileError(
                    f"cannot save into {folder}: it is read-only; "
                    "choose Save As… another folder.",
                    path=path,
                ) from error
            raise
        created = True
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if os.path.exists(path):
            os.chmod(temp_name, stat.S_IMODE(os.stat(path).st_mode))
        if before_replace is not None:
            before_replace()
        os.replace(temp_name, path)
        created = False
    except OSError as error:
        raise ProjectFileError(
            f"cannot be written: {error.strerror or error}. The old file, if any, is unchanged.",
            path=path,
        ) from error
    finally:
        if created:
            with contextlib.suppress(OSError):
                os.remove(temp_name)
    sync_folder(folder)


def sync_folder(folder: str) -> None:
    """Make a rename durable (POSIX); best effort, the data is already safe."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
