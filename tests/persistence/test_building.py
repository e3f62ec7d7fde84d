"""Building many domain objects at once, as the quick readers do."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cx_mapper.domain.journey import TOUCHPOINT_FIELDS, Touchpoint, Transition
from cx_mapper.persistence.building import field_maker


def test_a_made_object_is_the_one_its_constructor_gives() -> None:
    make = field_maker(Transition, leave_out=("evidence",))
    made = make("ad", "shop", 0.25, "clicks", 60.0, 300.0)

    assert made == Transition("ad", "shop", 0.25, "clicks", time_median=60.0, time_p90=300.0)
    assert hash(made) == hash(Transition("ad", "shop", 0.25, "clicks", 60.0, 300.0))
    assert type(made) is Transition
    with pytest.raises(AttributeError):
        made.probability = 0.5  # type: ignore[misc]  # still frozen


def test_a_touchpoint_takes_every_field_in_order() -> None:
    values = {name: f"v-{name}" for name in TOUCHPOINT_FIELDS}
    made = field_maker(Touchpoint, leave_out=("evidence",))(*values.values())

    assert made == Touchpoint(**values)
    with pytest.raises(TypeError):
        field_maker(Touchpoint, leave_out=("evidence",))("only-an-id")  # every field is needed


def test_only_slotted_dataclasses_are_made() -> None:
    @dataclass(frozen=True)
    class Plain:
        a: int

    with pytest.raises(TypeError, match="not a slotted dataclass"):
        field_maker(Plain)
