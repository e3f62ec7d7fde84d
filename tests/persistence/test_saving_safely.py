"""Saving and opening where files are odd: stale temporaries, pipes, links, read-only files."""

from __future__ import annotations

import logging
import os
import stat
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from cx_mapper.domain.project import Project
from cx_mapper.persistence.atomic import STALE_AFTER
from cx_mapper.persistence.errors import ProjectFileError, ReadOnlyFileError
from cx_mapper.persistence.files import read_project, write_any_project
from cx_mapper.persistence.json_format import read_project as read_json
from cx_mapper.persistence.project_file import open_project, save_project
from tests.factories import ROOT

RETAIL = read_json(ROOT / "projects" / "retail-omnichannel.json")
HOTEL = read_json(ROOT / "projects" / "hotel-stay.json")
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files")


def age(path: Path, seconds: float) -> Path:
    """Make `path` look last written `seconds` ago."""
    when = time.time() - seconds
    os.utime(path, (when, when))
    return path


# -- temporaries left by interrupted saves ------------------------------------------------
def test_a_save_removes_stale_temporaries_of_that_file_only(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "retail.cxmap"
    save_project(RETAIL, path)
    stale = tmp_path / ".retail.cxmap.tmp-0123abcd"
    stale.write_bytes(b"half a save")
    age(stale, STALE_AFTER + 60)
    fresh = tmp_path / ".retail.cxmap.tmp-89abcdef"
    fresh.write_bytes(b"a save in progress elsewhere")
    others = [tmp_path / ".hotel.cxmap.tmp-0123abcd",         # another file's
              tmp_path / ".retail.cxmap.tmp-0123abcd.keep",   # not our pattern
              tmp_path / ".retail.cxmap.tmp-XYZ",
              tmp_path / "retail.cxmap.tmp-0123abcd"]          # not hidden: not ours
    for other in others:
        other.write_bytes(b"someone's")
        age(other, STALE_AFTER + 60)

    with caplog.at_level(logging.INFO, logger="cx_mapper"):
        save_project(HOTEL, path)

    assert not stale.exists()
    assert fresh.exists() and all(other.exists() for other in others)
    assert open_project(path).project == HOTEL
    assert any(".retail.cxmap.tmp-0123abcd" in record.getMessage()
               and record.levelno >= logging.WARNING for record in caplog.records)


def test_a_json_save_removes_its_stale_temporaries_too(tmp_path: Path) -> None:
    path = tmp_path / "retail.json"
    stale = tmp_path / ".retail.json.tmp-00000000"
    stale.write_bytes(b"{")
    age(stale, STALE_AFTER + 1)

    write_any_project(RETAIL, path)

    assert sorted(os.listdir(tmp_path)) == ["retail.json"]


# -- things that are not files -------------------------------------------------------------
def refused_in_time(read: Callable[[], object], fifo: Path | None = None) -> ProjectFileError:
    """The error `read` raises, within ten seconds even if it would block for ever."""
    caught: list[BaseException] = []

    def attempt() -> None:
        try:
            read()
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            caught.append(error)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():
        if fifo is not None:  # let the blocked open go, so the thread can end
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading blocked for more than 10 s")
    assert caught and isinstance(caught[0], ProjectFileError), caught
    return caught[0]


@posix_only
@pytest.mark.parametrize("name", ["pipe.cxmap", "pipe.json", "pipe"])
def test_a_named_pipe_is_refused_without_waiting(tmp_path: Path, name: str) -> None:
    fifo = tmp_path / name
    os.mkfifo(fifo)

    error = refused_in_time(lambda: read_project(fifo), fifo)

    assert str(error).startswith(f"{fifo}: is a named pipe (FIFO), not a project file")
    assert "nothing was read" in str(error)


@posix_only
def test_a_named_pipe_is_refused_by_open_project(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.cxmap"
    os.mkfifo(fifo)

    error = refused_in_time(lambda: open_project(fifo), fifo)

    assert "named pipe" in str(error)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_an_endless_device_is_refused_before_it_is_read() -> None:
    error = refused_in_time(lambda: read_project("/dev/zero"))

    assert str(error).startswith("/dev/zero: is a device, not a project file")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError, match="is a folder, not a project file"):
        read_project(tmp_path)


# -- symbolic links --------------------------------------------------------------------------
@posix_only
@pytest.mark.parametrize("name", ["retail.cxmap", "retail.json"])
def test_saving_onto_a_link_writes_through_to_its_target(tmp_path: Path, name: str) -> None:
    target_folder = tmp_path / "real"
    target_folder.mkdir()
    target = target_folder / name
    write_any_project(RETAIL, target)
    link = tmp_path / name
    link.symlink_to(target)

    write_any_project(HOTEL, link)

    assert link.is_symlink() and os.readlink(link) == str(target)
    assert read_project(target) == HOTEL
    assert sorted(os.listdir(tmp_path)) == sorted([name, "real"])
    assert sorted(os.listdir(target_folder)) == [name]


@posix_only
def test_saving_onto_a_link_with_a_fingerprint_checks_the_target(tmp_path: Path) -> None:
    target = tmp_path / "target.cxmap"
    save_project(RETAIL, target)
    link = tmp_path / "link.cxmap"
    link.symlink_to(target)
    opened = open_project(link)

    fingerprint = save_project(HOTEL, link, expected=opened.fingerprint)

    assert link.is_symlink()
    assert open_project(target).fingerprint.same_content(fingerprint)


# -- read-only files -------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["retail.cxmap", "retail.json"])
def test_a_read_only_file_is_not_replaced_unless_asked(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_any_project(RETAIL, path)
    path.chmod(0o444)
    before = path.read_bytes()

    with pytest.raises(ReadOnlyFileError) as caught:
        write_any_project(HOTEL, path)

    assert str(caught.value).startswith(f"{path}: is read-only; nothing was written")
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == [name]

    write_any_project(HOTEL, path, replace_read_only=True)

    assert read_project(path) == HOTEL
    assert stat.S_IMODE(path.stat().st_mode) == 0o444  # it stays read-only


def test_save_project_refuses_a_read_only_file_as_a_project_file_error(tmp_path: Path) -> None:
    path = tmp_path / "retail.cxmap"
    save_project(RETAIL, path)
    path.chmod(0o400)

    with pytest.raises(ProjectFileError, match="is read-only"):
        save_project(HOTEL, path)
    save_project(HOTEL, path, replace_read_only=True)

    assert open_project(path).project == HOTEL


def test_a_read_only_error_survives_a_worker_process(tmp_path: Path) -> None:
    import pickle

    error = ReadOnlyFileError(str(tmp_path / "a.cxmap"))

    again = pickle.loads(pickle.dumps(error))

    assert isinstance(again, ReadOnlyFileError) and str(again) == str(error)


def test_a_new_project_is_saved_where_there_was_none(tmp_path: Path) -> None:
    path = tmp_path / "new.cxmap"

    write_any_project(Project(name="New"), path)

    assert read_project(path).name == "New"
