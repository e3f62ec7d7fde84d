"""Atomic file replacement, shared by the JSON and .cxmap writers.

The new content goes to a temporary file in the same folder, is flushed to disk,
and only then renamed over the old file, so a reader (or a crash) sees either the
old file or the new one, never half of each. A hard crash can leave a stray
`.NAME.tmp-XXXXXXXX` beside the file; the next save of that file removes it once
it is stale (STALE_AFTER), and logs that it did.

Saving onto a symbolic link writes through it to the file it points at, as
editors do, so the link stays a link. A read-only file is not replaced unless the
caller says so (ReadOnlyFileError): the app or the command line asks first.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import time
from collections.abc import Callable

from cx_mapper.persistence.errors import ProjectFileError, ReadOnlyFileError

_O_BINARY: int = getattr(os, "O_BINARY", 0)  # Windows would otherwise translate newlines

#: errno values that mean "this folder does not let us create files".
_READ_ONLY_ERRORS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


#: A temporary file untouched for this long belongs to a save that died: a live save
#: writes its temporary and renames it within seconds, even for 50,000 touchpoints.
STALE_AFTER = 10 * 60.0  # seconds


def temp_name_for(path: str) -> str:
    """A fresh temporary name beside `path`, hidden on POSIX: `.NAME.tmp-XXXXXXXX`."""
    folder, base = os.path.split(os.path.abspath(path))
    return os.path.join(folder, f".{base}.tmp-{secrets.token_hex(4)}")


def written_path(path: str) -> str:
    """The file a save of `path` replaces: the target of a symbolic link, else `path`."""
    return os.path.realpath(path) if os.path.islink(path) else path


def is_read_only(path: str) -> bool:
    """True for an existing file nobody may write to (mode 0444), or we may not.

    The mode bits count even for an administrator, whom os.access always lets write.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode) and (not mode & 0o222 or not os.access(path, os.W_OK))


def remove_stale_temporaries(path: str, *, now: float | None = None) -> list[str]:
    """Delete what dead saves of `path` left beside it; returns the names removed.

    Only our own names for this very file (`.NAME.tmp-` and eight hex digits) are
    touched, and only when untouched for STALE_AFTER, so a save running in another
    process keeps its temporary.
    """
    folder, base = os.path.split(os.path.abspath(path))
    pattern = re.compile(rf"\.{re.escape(base)}\.tmp-[0-9a-f]{{8}}")
    limit = (time.time() if now is None else now) - STALE_AFTER
    removed: list[str] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if not pattern.fullmatch(name):
            continue
        full = os.path.join(folder, name)
        try:
            status = os.lstat(full)
            if stat.S_ISREG(status.st_mode) and status.st_mtime < limit:
                os.remove(full)
                removed.append(name)
        except OSError:
            continue  # gone already, or not ours to remove
    if removed:
        import logging  # only then: 6 ms of every command's start

        logging.getLogger(__name__).warning(
            "Removed %d temporary file(s) left by interrupted saves of %s: %s",
            len(removed), path, ", ".join(sorted(removed)))
    return removed


def write_atomically(
    path: str,
    data: bytes,
    *,
    before_replace: Callable[[], None] | None = None,
    replace_read_only: bool = False,
) -> None:
    """Replace `path` by `data` atomically; the old file stays untouched on any failure.

    `before_replace` runs after the new content is safely on disk and just before
    the rename; if it raises, nothing is replaced and the exception goes through.
    OSErrors become a ProjectFileError that says the old file is unchanged. A
    read-only file raises ReadOnlyFileError unless `replace_read_only`; a symbolic
    link is written through.
    """
    shown = path
    path = written_path(path)
    if not replace_read_only and is_read_only(path):
        raise ReadOnlyFileError(shown)
    remove_stale_temporaries(path)
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
                    path=shown,
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
            path=shown,
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
