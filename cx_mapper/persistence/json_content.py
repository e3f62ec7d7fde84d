"""The journey map around the graph in `cx-mapper/1`: lanes, notes, personas and images.

FORMAT.md, "Additions to cx-mapper/1". They follow the strict rules of the other
elements (json_format.py): an unknown key, a wrong type, a dangling reference, a text
past its limit or an image the project cannot hold is an error naming the element
and the field. They are few beside the touchpoints, so every one takes the careful
path. Images are base64 text in JSON; the stores hand over their bytes as they are.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Collection, Mapping
from typing import Any

from cx_mapper.domain.content import (
    COLOUR,
    LANE_KINDS,
    LANE_NAME_LIMIT,
    NOTE_RANGES,
    NOTE_TEXT_LIMIT,
    Lane,
    LaneKind,
    Note,
)
from cx_mapper.domain.images import IMAGE_BYTES_LIMIT, Image, ImageError, check_image, size_words
from cx_mapper.domain.personas import (
    PERSONA_ITEM_LIMIT,
    PERSONA_ITEMS_LIMIT,
    PERSONA_LISTS,
    PERSONA_TEXT_LIMITS,
    Persona,
)
from cx_mapper.domain.quoting import quoted
from cx_mapper.persistence.json_checks import (
    Where,
    check_keys,
    check_unique,
    describe,
    duplicate,
    read_element,
    read_identifier,
    read_list,
    read_number,
    read_text,
    written,
)

LANE_KEYS = ("id", "kind", "name", "colour")
NOTE_KEYS = ("id", "lane", "stage", "text", "touchpoints", "image", "x", "y")
PERSONA_KEYS = ("id", "segment", "name", "quote", *PERSONA_LISTS, "image")
IMAGE_KEYS = ("media_type", "data")
#: Base64 text longer than this holds more than IMAGE_BYTES_LIMIT bytes: refused unread.
_BASE64_LIMIT = 4 * -(-IMAGE_BYTES_LIMIT // 3)


# -- writing ----------------------------------------------------------------------------
def lanes_to_list(lanes: list[Lane]) -> list[dict[str, Any]]:
    return [{"id": lane.id, "kind": lane.kind, "name": lane.name, "colour": lane.colour}
            for lane in lanes]


def notes_to_list(notes: Mapping[str, Note]) -> list[dict[str, Any]]:
    return [{"id": note.id, "lane": note.lane, "stage": note.stage, "text": note.text,
             "touchpoints": list(note.touchpoints), "image": note.image,
             "x": written(note.x), "y": written(note.y)} for note in notes.values()]


def personas_to_list(personas: list[Persona]) -> list[dict[str, Any]]:
    return [{"id": p.id, "segment": p.segment, "name": p.name, "quote": p.quote,
             **{name: list(getattr(p, name)) for name in PERSONA_LISTS}, "image": p.image}
            for p in personas]


def images_to_dict(images: Mapping[str, Image], *, as_bytes: bool = False
                   ) -> dict[str, dict[str, Any]]:
    """Base64 text, as JSON holds it; `as_bytes` keeps the bytes (for checking a project
    about to be stored, which needs no text)."""
    return {image.id: {"media_type": image.media_type,
                       "data": image.data if as_bytes else
                       base64.b64encode(image.data).decode("ascii")}
            for image in images.values()}


# -- reading ----------------------------------------------------------------------------
class ContentReader:
    """Reads the additions of one file, naming `path` in every error."""

    def __init__(self, path: str | None) -> None:
        self.path = path

    # -- the project's ------------------------------------------------------------------
    def images(self, data: dict[str, Any]) -> dict[str, Image]:
        where = Where(self.path, "project")
        raw = data.get("images", {})
        if not isinstance(raw, dict):
            raise where.error("images", 'must be an object {"<id>": {"media_type": ..., '
                                        f'"data": ...}}, got {describe(raw)}.')
        duplicates = getattr(raw, "duplicate_keys", ())
        if duplicates:
            raise Where(self.path, "image", duplicates[0]).error(
                "id", f"the id '{quoted(duplicates[0])}' is used by two images; give each "
                      "its own id.")
        return {image_id: self.image(image_id, value) for image_id, value in raw.items()}

    def image(self, image_id: str, raw: object) -> Image:
        where = Where(self.path, "image", image_id)
        read_identifier({"id": image_id}, "id", where)
        if not isinstance(raw, dict):
            raise where.error(None, 'must be an object {"media_type": ..., "data": ...}, '
                                    f"got {describe(raw)}.")
        check_keys(raw, IMAGE_KEYS, where)
        for key in IMAGE_KEYS:
            if key not in raw:
                raise where.error(key, "is missing; an image needs its media_type "
                                       "(image/png, image/jpeg or image/webp) and its data.")
        media_type = read_text(raw, "media_type", where, "")
        value = raw["data"]
        if isinstance(value, bytes):  # a store's BLOB
            data = value
        elif isinstance(value, str):
            if len(value) > _BASE64_LIMIT:
                limit = size_words(IMAGE_BYTES_LIMIT)
                raise where.error("data", f"is more than {limit}; an image may be at most "
                                          f"{limit}. Add it again in the app, which makes it "
                                          "smaller.")
            try:
                data = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                raise where.error("data", "is not base64 text (A-Z, a-z, 0-9, + and /, with "
                                          "= padding, on one line).") from None
        else:
            raise where.error("data", f"must be the image in base64 text, got "
                                      f"{describe(value)}.")
        try:
            check_image(media_type, data)
        except ImageError as error:
            raise where.error(error.field, error.reason) from None
        return Image(image_id, media_type, data)

    def personas(self, data: dict[str, Any], segment_ids: Collection[str],
                 image_ids: Collection[str]) -> list[Persona]:
        where = Where(self.path, "project")
        personas = [self.persona(raw, n, segment_ids, image_ids)
                    for n, raw in enumerate(read_list(data, "personas", where), start=1)]
        check_unique([p.id for p in personas], "persona", where)
        return personas

    def persona(self, raw: object, number: int, segment_ids: Collection[str],
                image_ids: Collection[str]) -> Persona:
        where = Where(self.path, "persona")
        obj = read_element(raw, number, where)
        check_keys(obj, PERSONA_KEYS, where)
        assert where.element_id is not None
        segment = self.required_reference(obj, "segment", where, segment_ids, "the project")
        values: dict[str, Any] = {name: limited_text(obj, name, where, limit)
                                  for name, limit in PERSONA_TEXT_LIMITS.items()}
        values.update((name, self.text_list(obj, name, where)) for name in PERSONA_LISTS)
        return Persona(where.element_id, segment, **values,
                       image=self.image_reference(obj, where, image_ids))

    def text_list(self, obj: dict[str, Any], key: str, where: Where) -> tuple[str, ...]:
        items = read_list(obj, key, where)
        if len(items) > PERSONA_ITEMS_LIMIT:
            raise where.error(key, f"has {len(items):,} items; at most {PERSONA_ITEMS_LIMIT} "
                                   "fit on a persona.")
        for item in items:
            if not isinstance(item, str):
                raise where.error(key, f"must be a list of texts, but holds {describe(item)}.")
            limited_text({key: item}, key, where, PERSONA_ITEM_LIMIT)
        return tuple(items)

    # -- a journey's ----------------------------------------------------------------------
    def lanes(self, obj: dict[str, Any], journey: str) -> list[Lane]:
        where = Where(self.path, "journey", journey, journey)
        lanes = [self.lane(raw, n, journey)
                 for n, raw in enumerate(read_list(obj, "lanes", where), start=1)]
        check_unique([lane.id for lane in lanes], "lane", where)
        return lanes

    def lanes_above(self, obj: dict[str, Any], journey: str, lanes: int) -> int:
        """How many of the lanes sit above the touchpoint band: 0 up to their number."""
        where = Where(self.path, "journey", journey, journey)
        value = obj.get("lanes_above", 0)
        if isinstance(value, bool) or not isinstance(value, int):
            raise where.error("lanes_above", f"must be a whole number, got {describe(value)}.")
        if not 0 <= value <= lanes:
            raise where.error("lanes_above", f"must be from 0 to the number of lanes "
                              f"({lanes}), got {describe(value)}.")
        return value

    def lane(self, raw: object, number: int, journey: str) -> Lane:
        where = Where(self.path, "lane", journey=journey)
        obj = read_element(raw, number, where)
        check_keys(obj, LANE_KEYS, where)
        assert where.element_id is not None
        kind = obj.get("kind", "custom")
        if not isinstance(kind, str) or kind not in LANE_KINDS:  # a list is no key
            raise where.error("kind", f"must be one of {', '.join(LANE_KINDS)}, got "
                                      f"{describe(kind)}.")
        colour = obj.get("colour")
        if colour is not None and not (isinstance(colour, str) and COLOUR.fullmatch(colour)):
            raise where.error("colour", "must be a colour written #rrggbb (such as #1f77b4), "
                                        f"or null for the kind's colour, got {describe(colour)}.")
        lane_kind: LaneKind = kind
        return Lane(where.element_id, lane_kind, limited_text(obj, "name", where, LANE_NAME_LIMIT),
                    colour)

    def notes(self, obj: dict[str, Any], journey: str, lane_ids: Collection[str],
              stage_ids: Collection[str], touchpoint_ids: Collection[str],
              image_ids: Collection[str]) -> dict[str, Note]:
        where = Where(self.path, "journey", journey, journey)
        notes: dict[str, Note] = {}
        for number, raw in enumerate(read_list(obj, "notes", where), start=1):
            note = self.note(raw, number, journey, lane_ids, stage_ids, touchpoint_ids,
                             image_ids)
            if note.id in notes:
                raise duplicate("note", note.id, where)
            notes[note.id] = note
        return notes

    def note(self, raw: object, number: int, journey: str, lane_ids: Collection[str],
             stage_ids: Collection[str], touchpoint_ids: Collection[str],
             image_ids: Collection[str]) -> Note:
        where = Where(self.path, "note", journey=journey)
        obj = read_element(raw, number, where)
        check_keys(obj, NOTE_KEYS, where)
        assert where.element_id is not None
        lane = self.required_reference(obj, "lane", where, lane_ids, "this journey")
        stage = self.required_reference(obj, "stage", where, stage_ids, "this journey")
        links: list[str] = []
        for link in read_list(obj, "touchpoints", where):
            if not isinstance(link, str):
                raise where.error("touchpoints", "must be a list of touchpoint ids, but holds "
                                                 f"{describe(link)}.")
            if link not in touchpoint_ids:
                raise where.error("touchpoints", f"there is no touchpoint '{quoted(link)}' in "
                                                 "this journey.")
            if link in links:
                raise where.error("touchpoints", f"names touchpoint '{quoted(link)}' twice; "
                                                 "keep one.")
            links.append(link)
        x, y = (read_number(obj, key, where, 0.0, NOTE_RANGES[key]) for key in ("x", "y"))
        return Note(where.element_id, lane, stage,
                    limited_text(obj, "text", where, NOTE_TEXT_LIMIT), tuple(links),
                    self.image_reference(obj, where, image_ids), x, y)

    # -- references -----------------------------------------------------------------------
    def required_reference(self, obj: dict[str, Any], key: str, where: Where,
                           declared: Collection[str], place: str) -> str:
        if key not in obj:
            raise where.error(key, f"is missing; every {where.element} needs the id of its "
                                   f"{key}.")
        value = obj[key]
        if not isinstance(value, str):
            raise where.error(key, f"must be the id of a {key}, got {describe(value)}.")
        if value not in declared:
            raise where.error(key, f"there is no {key} '{quoted(value)}' in {place}.")
        return value

    def image_reference(self, obj: dict[str, Any], where: Where,
                        image_ids: Collection[str]) -> str | None:
        value = obj.get("image")
        if value is None:
            return None
        if not isinstance(value, str):
            raise where.error("image", f"must be the id of an image or null, got "
                                       f"{describe(value)}.")
        if value not in image_ids:
            raise where.error("image", f"there is no image '{quoted(value)}' in the project's "
                                       "images; add it there or use null.")
        return value


def limited_text(obj: dict[str, Any], key: str, where: Where, limit: int) -> str:
    text = read_text(obj, key, where, "")
    if len(text) > limit:
        raise where.error(key, f"is {len(text):,} characters long; at most {limit:,} fit. "
                               "Shorten it.")
    return text


# -- unchecked: a copy written mid-edit, which the strict reader may refuse ----------------------
def lanes_as_written(raws: list[dict[str, Any]]) -> list[Lane]:
    """project_to_dict's lanes back, unchecked (crash recovery keeps what the user had)."""
    return [Lane(str(r["id"]), r["kind"], str(r["name"]), _text_or_none(r["colour"]))
            for r in raws]


def notes_as_written(raws: list[dict[str, Any]]) -> dict[str, Note]:
    return {str(r["id"]): Note(str(r["id"]), str(r["lane"]), str(r["stage"]), str(r["text"]),
                               tuple(map(str, r["touchpoints"])), _text_or_none(r["image"]),
                               float(r["x"]), float(r["y"])) for r in raws}


def personas_as_written(raws: list[dict[str, Any]]) -> list[Persona]:
    return [Persona(str(r["id"]), str(r["segment"]), str(r["name"]), str(r["quote"]),
                    tuple(map(str, r["goals"])), tuple(map(str, r["needs"])),
                    tuple(map(str, r["frustrations"])), _text_or_none(r["image"]))
            for r in raws]


def images_as_written(raw: dict[str, dict[str, Any]]) -> dict[str, Image]:
    return {str(key): Image(str(key), str(value["media_type"]),
                            base64.b64decode(value["data"])) for key, value in raw.items()}


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)
