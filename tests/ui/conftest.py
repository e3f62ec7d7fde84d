"""GUI test settings: never touch the user's real settings, recent files or recovery data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths


@pytest.fixture(autouse=True)
def isolated_settings(qapp: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Test-mode standard paths and a scratch settings file, cleared for every test."""
    QStandardPaths.setTestModeEnabled(True)
    QCoreApplication.setOrganizationName("CX Mapper Tests")
    QCoreApplication.setApplicationName("CX Mapper Tests")
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings().clear()
    yield
    QSettings().clear()
