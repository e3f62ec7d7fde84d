"""The words for a move that changed touchpoints' stages: a card dropped in another
lane takes that lane's stage, and the user is told so, never silently."""

from __future__ import annotations

from collections.abc import Mapping

from cx_mapper.domain.journey import Journey


def stage_change_words(journey: Journey, stages: Mapping[str, str | None]) -> tuple[str, str]:
    """The undo step's text and the status line for touchpoints given new `stages`."""
    names = {s.id: s.name or s.id for s in journey.stages}
    new = {names.get(stage or "", "") for stage in stages.values()}
    where = f"'{next(iter(new))}'" if len(new) == 1 else f"{len(new)} other stages"
    if len(stages) == 1:
        touchpoint_id = next(iter(stages))
        cards = f"'{journey.touchpoint(touchpoint_id).name or touchpoint_id}'"
    else:
        cards = f"{len(stages)} touchpoints"
    return f"Move to {where}", f"Moved {cards} to stage {where}. Undo (Ctrl+Z) puts it back."
