"""What installers and desktops read: the desktop entry, AppStream metadata, the MIME
type, the app icon, the bundle spec, the wheel's data files and the changelog
(packaging/README.md). They must agree with each other and with the app's version."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from cx_mapper import __version__
from tests.factories import ROOT

PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / "cx-mapper.desktop"
METAINFO = PACKAGING / "io.github.cxmapper.CxMapper.metainfo.xml"
MIME = PACKAGING / "cx-mapper-mime.xml"
SPEC = PACKAGING / "cx-mapper.spec"
ICON = ROOT / "resources" / "cx-mapper.svg"
MIME_TYPE = "application/x-cx-mapper"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def changelog_releases() -> list[tuple[str, str]]:
    """(version, date) of each release in CHANGELOG.md, newest first."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.findall(r"^## \[(\d+\.\d+\.\d+[^\]]*)\] - (\d{4}-\d{2}-\d{2})$", text, re.MULTILINE)


def test_desktop_entry_starts_the_app_on_project_files() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "CX Mapper"
    command, *arguments = entry["Exec"].split()
    assert command in pyproject()["project"]["scripts"]
    assert arguments == ["%f"]  # the app opens one file
    assert entry["Icon"] == ICON.stem == "cx-mapper"
    assert MIME_TYPE in entry["MimeType"].split(";")
    assert {"Office", "Graphics"} <= set(entry["Categories"].split(";"))
    assert "journey map" in entry["Keywords"].split(";")


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed")
def test_desktop_entry_passes_desktop_file_validate() -> None:
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)],
                            capture_output=True, text=True, check=False)
    errors = [line for line in result.stdout.splitlines() if "error:" in line]
    assert result.returncode == 0 and not errors, result.stdout


def test_metainfo_names_the_app_its_launcher_and_this_release() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.tag == "component"
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == "io.github.cxmapper.CxMapper"
    assert component.findtext("name") == desktop_entry()["Name"]
    assert (component.findtext("summary") or "").strip()
    assert component.find("description/p") is not None
    assert component.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert component.findtext("provides/binary") == "cx-mapper"
    assert component.findtext("provides/mediatype") == MIME_TYPE
    assert component.find("content_rating[@type='oars-1.1']") is not None

    releases = component.findall("releases/release")
    assert releases, "no <release> in the metainfo"
    newest = releases[0]
    assert newest.get("version") == __version__
    assert (newest.get("version"), newest.get("date")) == changelog_releases()[0]


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli is not installed")
def test_metainfo_passes_appstreamcli_validate() -> None:
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mime_type_claims_cxmap_files() -> None:
    root = ET.parse(MIME).getroot()
    assert root.tag == f"{MIME_NS}mime-info"
    types = root.findall(f"{MIME_NS}mime-type")
    assert [t.get("type") for t in types] == [MIME_TYPE]
    assert [g.get("pattern") for g in types[0].findall(f"{MIME_NS}glob")] == ["*.cxmap"]
    assert types[0].find(f"{MIME_NS}icon").get("name") == "cx-mapper"  # type: ignore[union-attr]


def test_changelog_newest_release_is_this_version() -> None:
    releases = changelog_releases()
    assert releases, "CHANGELOG.md has no '## [X.Y.Z] - YYYY-MM-DD' release"
    assert releases[0][0] == __version__ == pyproject()["project"]["version"]
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_bundle_spec_carries_resources_samples_and_migrations() -> None:
    text = SPEC.read_text(encoding="utf-8")
    compile(text, str(SPEC), "exec")  # PyInstaller runs the spec as Python
    assert 'REPO / "resources", "resources"' in text
    assert 'REPO / "projects", "projects"' in text
    assert '"cx_mapper" / "persistence" / "migrations"' in text
    assert (ROOT / "cx_mapper" / "persistence" / "migrations" / "script.py.mako").is_file()
    assert (PACKAGING / "launcher.py").is_file() and '"launcher.py"' in text
    assert '"QtWebEngineCore"' in text and '"tkinter"' in text


def test_bundle_extra_pins_pyinstaller() -> None:
    bundle = pyproject()["project"]["optional-dependencies"]["bundle"]
    assert any(re.match(r"pyinstaller\s*>=\s*6", requirement) for requirement in bundle)


def test_wheel_installs_every_resource_folder_the_app_reads() -> None:
    """cx_mapper/ui/look/resources.py falls back to share/cx-mapper/ after a wheel install."""
    data_files: dict[str, list[str]] = pyproject()["tool"]["setuptools"]["data-files"]
    installed = {Path(pattern).parent.as_posix()
                 for target, patterns in data_files.items()
                 if target.startswith("share/cx-mapper/")
                 for pattern in patterns}
    folders = {"resources", "projects"} | {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "resources").iterdir()
        if path.is_dir() and path.name != "screenshots"
    }
    assert folders <= installed
    assert data_files["share/applications"] == [DESKTOP.relative_to(ROOT).as_posix()]
    assert data_files["share/metainfo"] == [METAINFO.relative_to(ROOT).as_posix()]
    assert data_files["share/mime/packages"] == [MIME.relative_to(ROOT).as_posix()]


def test_smoke_script_is_valid_bash() -> None:
    script = PACKAGING / "smoke.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)


def render_icon(size: int) -> QImage:
    renderer = QSvgRenderer(str(ICON))
    assert renderer.isValid()
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def colours(image: QImage) -> list[QColor]:
    return [image.pixelColor(x, y) for y in range(image.height()) for x in range(image.width())]


@pytest.mark.parametrize("size", [256, 32])
def test_app_icon_renders_opaque_and_in_the_product_colours(size: int, qapp: Any) -> None:
    pixels = colours(render_icon(size))
    opaque = [c for c in pixels if c.alpha() == 255]
    assert len(opaque) > 0.7 * len(pixels)  # a filled tile, not a faint outline
    assert len({c.rgb() for c in opaque}) > 20  # a drawing, not one flat colour

    def near(target: str) -> bool:
        want = QColor(target)
        return any(abs(c.red() - want.red()) + abs(c.green() - want.green())
                   + abs(c.blue() - want.blue()) < 40 for c in opaque)

    # Bluish green and vermillion, the satisfaction colours, on the app's blue.
    assert near("#009e73") and near("#d55e00") and near("#0a4f85")
