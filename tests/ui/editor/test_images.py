"""Adding a picture: kept byte for byte when it is small, downscaled when big, refused in
one line that names the file and why."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from cx_mapper.domain.images import IMAGE_BYTES_LIMIT, check_image
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.images import (
    PHOTO_SIDE,
    PORTRAIT_SIDE,
    ImageRefused,
    read_image_file,
    show_file_on_note,
)
from tests.factories import IMAGE_FILES, ROOT, png_bytes, state, story_project
from tests.ui.editor.pictures import write_photo


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "WEBP"])
def test_a_small_picture_is_kept_byte_for_byte(qapp: object, tmp_path: Path, kind: str) -> None:
    path = write_photo(tmp_path / f"small.{kind.lower()}", 320, 200, kind)
    added = read_image_file(path)
    assert added.data == path.read_bytes()
    assert (added.width, added.height) == (320, 200)
    assert added.media_type == {"PNG": "image/png", "JPEG": "image/jpeg",
                                "WEBP": "image/webp"}[kind]


@pytest.mark.parametrize("name", sorted(IMAGE_FILES))
def test_the_projects_image_kinds_are_kept_as_they_are(qapp: object, name: str) -> None:
    path = ROOT / "tests" / "images" / name
    added = read_image_file(path)
    assert added.data == path.read_bytes()
    assert added.media_type == IMAGE_FILES[name]


def test_a_big_photo_is_downscaled_as_jpeg(qapp: object, tmp_path: Path) -> None:
    path = write_photo(tmp_path / "store.jpg", 4800, 3200, "JPEG", quality=95)
    added = read_image_file(path)
    assert added.width == PHOTO_SIDE and abs(added.height - PHOTO_SIDE * 2 / 3) < 1
    assert added.media_type == "image/jpeg"
    assert len(added.data) < len(path.read_bytes())
    assert check_image(added.media_type, added.data) == (added.width, added.height)
    assert QImage.fromData(added.data).width() == PHOTO_SIDE


def test_a_portrait_is_made_as_small_as_it_is_shown(qapp: object, tmp_path: Path) -> None:
    path = write_photo(tmp_path / "ana.png", 900, 1200, "PNG", alpha=True)
    added = read_image_file(path, PORTRAIT_SIDE)
    assert (added.width, added.height) == (384, PORTRAIT_SIDE)
    assert added.media_type == "image/png"  # it has transparency: stays PNG
    assert QImage.fromData(added.data).hasAlphaChannel()


def test_a_big_png_photo_becomes_a_jpeg_and_a_webp_stays_webp(qapp: object,
                                                              tmp_path: Path) -> None:
    png = read_image_file(write_photo(tmp_path / "shot.png", 1800, 1200, "PNG",
                                             grain=True))
    assert (png.width, png.media_type) == (PHOTO_SIDE, "image/jpeg")
    webp = read_image_file(write_photo(tmp_path / "shot.webp", 1800, 900, "WEBP"))
    assert (webp.width, webp.height, webp.media_type) == (PHOTO_SIDE, 800, "image/webp")
    assert len(webp.data) <= IMAGE_BYTES_LIMIT


def test_a_picture_over_the_project_limit_is_downscaled_not_refused(qapp: object,
                                                                  tmp_path: Path) -> None:
    # 5,000 px is over the 4,096 px limit; a portrait target of 512 px makes it fit.
    added = read_image_file(write_photo(tmp_path / "wide.png", 5000, 500, "PNG"), PORTRAIT_SIDE)
    assert (added.width, added.height) == (PORTRAIT_SIDE, 51)


def test_other_kinds_are_refused_naming_the_file_and_the_kind(qapp: object,
                                                             tmp_path: Path) -> None:
    gif = write_photo(tmp_path / "holiday.gif", 40, 40, "BMP")  # Qt writes no GIF: a BMP
    with pytest.raises(ImageRefused) as refused:
        read_image_file(gif)
    message = str(refused.value)
    assert message.startswith("holiday.gif: BMP pictures cannot go in a project")
    assert "PNG, JPEG or WebP" in message and "\n" not in message

    text = tmp_path / "notes.txt"
    text.write_text("not a picture")
    with pytest.raises(ImageRefused, match=r"^notes.txt: not a picture CX Mapper can read"):
        read_image_file(text)


def test_a_damaged_file_is_refused_in_one_line(qapp: object, tmp_path: Path) -> None:
    good = write_photo(tmp_path / "good.png", 300, 200, "PNG").read_bytes()
    broken = tmp_path / "broken.png"
    broken.write_bytes(good[:60] + bytes(range(256)) * 4)  # the header, then garbage
    with pytest.raises(ImageRefused) as refused:
        read_image_file(broken)
    assert str(refused.value).startswith("broken.png: the PNG file is damaged")
    assert "\n" not in str(refused.value)

    with pytest.raises(ImageRefused, match=r"^gone.png: could not be read"):
        read_image_file(tmp_path / "gone.png")


def test_an_absurd_picture_is_refused_before_it_is_decoded(qapp: object,
                                                          tmp_path: Path) -> None:
    # A header that claims 12,000 x 12,000 pixels (576 MB decoded), and little else.
    small = png_bytes(1, 1)
    ihdr = b"IHDR" + (12_000).to_bytes(4, "big") * 2 + small[24:29]
    huge = tmp_path / "poster.png"
    huge.write_bytes(small[:12] + ihdr + zlib.crc32(ihdr).to_bytes(4, "big") + small[33:])
    with pytest.raises(ImageRefused, match=r"^poster.png: 12,000 × 12,000 pixels is too big"):
        read_image_file(huge)


def test_a_picture_file_on_a_note_is_one_step(qtbot: object, tmp_path: Path) -> None:
    doc = ProjectDocument(story_project())
    before = state(doc.project)
    photo = write_photo(tmp_path / "board.jpg", 2000, 1000, "JPEG")
    assert show_file_on_note(doc, "current", "chat", photo) == ""
    image_id = doc.project.journey("current").note("chat").image
    assert image_id is not None
    assert QImage.fromData(doc.project.images[image_id].data).width() == PHOTO_SIDE
    after = state(doc.project)
    doc.undo_stack.undo()
    assert state(doc.project) == before
    doc.undo_stack.redo()
    assert state(doc.project) == after
    # A refusal is the line to show; nothing changes.
    assert show_file_on_note(doc, "current", "chat", tmp_path / "none.png").startswith(
        "none.png: could not be read")
    assert state(doc.project) == after
