"""Personas and the project's images: the faces and pictures of the journey map.

A persona gives a segment a face and a story (a name, a quote, goals, needs and
frustrations); the segment's parameters stay on the segment. Images live once in the
project, and touchpoints, notes and personas name them by id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from cx_mapper.domain.ids import unique_id
from cx_mapper.domain.images import Image
from cx_mapper.domain.journey import Journey

#: The lists of a persona, in the order a persona card shows them.
PERSONA_LISTS: tuple[str, ...] = ("goals", "needs", "frustrations")
#: Characters of a persona's texts: a name is a line, a quote a few sentences.
PERSONA_TEXT_LIMITS: dict[str, int] = {"name": 200, "quote": 1000}
#: Characters of one goal, need or frustration: a sentence or two.
PERSONA_ITEM_LIMIT = 1000
#: Items in each list: a card shows three to five; fifty is a research report.
PERSONA_ITEMS_LIMIT = 50
PERSONA_FIELDS: tuple[str, ...] = ("segment", "name", "quote", *PERSONA_LISTS, "image")


@dataclass(frozen=True, slots=True)
class Persona:
    """The face of a segment: who they are and what they want, in their words."""

    id: str
    segment: str
    name: str = ""
    quote: str = ""
    goals: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    frustrations: tuple[str, ...] = ()
    image: str | None = None  # an image of the project, by id


class ProjectContent:
    """The persona and image edits of a Project (its base class)."""

    # The Project's fields these edits use.
    personas: list[Persona]
    images: dict[str, Image]
    journeys: list[Journey]

    # -- personas ------------------------------------------------------------------------
    def persona(self, persona_id: str) -> Persona:
        return self.personas[self._persona_position(persona_id)]

    def personas_of(self, segment_id: str) -> list[Persona]:
        return [p for p in self.personas if p.segment == segment_id]

    def new_persona_id(self, base: str = "persona") -> str:
        return unique_id(base or "persona", {p.id for p in self.personas})

    def add_persona(self, persona: Persona, index: int | None = None) -> None:
        if any(p.id == persona.id for p in self.personas):
            raise ValueError(f"A persona with id '{persona.id}' already exists")
        self.personas.insert(len(self.personas) if index is None else index, persona)

    def update_persona(self, persona_id: str, **changes: Any) -> Persona:
        """Change a persona's fields; returns the old one. Ids never change."""
        if "id" in changes and changes["id"] != persona_id:
            raise ValueError("A persona's id cannot be changed")
        for name in PERSONA_LISTS:
            if name in changes:
                changes[name] = tuple(changes[name])
        index = self._persona_position(persona_id)
        old = self.personas[index]
        self.personas[index] = replace(old, **changes)
        return old

    def replace_persona(self, persona: Persona) -> Persona:
        index = self._persona_position(persona.id)
        old = self.personas[index]
        self.personas[index] = persona
        return old

    def move_persona(self, persona_id: str, new_index: int) -> int:
        index = self._persona_position(persona_id)
        self.personas.insert(new_index, self.personas.pop(index))
        return index

    def remove_persona(self, persona_id: str) -> tuple[int, Persona]:
        index = self._persona_position(persona_id)
        return index, self.personas.pop(index)

    def _persona_position(self, persona_id: str) -> int:
        for index, persona in enumerate(self.personas):
            if persona.id == persona_id:
                return index
        raise KeyError(persona_id)

    # -- images --------------------------------------------------------------------------
    def add_image(self, image: Image, index: int | None = None) -> None:
        if image.id in self.images:
            raise ValueError(f"An image with id '{image.id}' already exists")
        items = list(self.images.items())
        items.insert(len(items) if index is None else index, (image.id, image))
        self.images = dict(items)

    def remove_image(self, image_id: str) -> tuple[int, Image]:
        """Remove an image (nothing should show it any more); returns it and its place."""
        index = list(self.images).index(image_id)
        return index, self.images.pop(image_id)

    def image_with(self, data: bytes) -> Image | None:
        """The project's image with exactly these bytes, if it has one (one copy each)."""
        return next((image for image in self.images.values() if image.data == data), None)

    def new_image_id(self, base: str = "image") -> str:
        return unique_id(base or "image", self.images)

    def image_uses(self) -> Counter[str]:
        """How many touchpoints, notes and personas show each image."""
        return Counter(image for image in self._images_shown() if image is not None)

    def _images_shown(self) -> Iterable[str | None]:
        for journey in self.journeys:
            yield from (t.image for t in journey.touchpoints.values())
            yield from (n.image for n in journey.notes.values())
        yield from (p.image for p in self.personas)
