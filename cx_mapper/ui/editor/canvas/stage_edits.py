"""Stage edits from the canvas: the stage header's menu, and cards moving with their lanes.

Part of the canvas scene (scene.py), kept apart for size. A stage edit that moves cards
with their lanes is one undo macro; notes follow their stage by id, so they need no move.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMenu

from cx_mapper.domain.ids import unique_name
from cx_mapper.domain.journey import Journey, Touchpoint
from cx_mapper.engine.layout import LANE_WIDTH, ROW_HEIGHT, snap
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.content_gestures import ContentGestures
from cx_mapper.ui.editor.canvas.picture import lane_left

DEFAULT_STAGE_NAME = "New stage"


class StageEdits(ContentGestures):
    """Add, move and remove stages from the canvas (the scene renames them in place)."""

    def start_stage_rename(self, stage_id: str) -> None:
        raise NotImplementedError  # the canvas scene's in-place editor

    # -- stages (the lane header's context menu) -------------------------------------------
    def lane_menu(self, stage_id: str) -> QMenu:
        """The lane header's context menu; the caller shows (and owns) it."""
        journey = self.journey()
        assert journey is not None
        index = [s.id for s in journey.stages].index(stage_id)
        last = len(journey.stages) - 1
        menu = QMenu()
        menu.addAction("Rename stage", lambda: self.start_stage_rename(stage_id))
        menu.addSeparator()
        menu.addAction("Add stage before", lambda: self.add_stage(index))
        menu.addAction("Add stage after", lambda: self.add_stage(index + 1))
        menu.addSeparator()
        left = menu.addAction("Move left", lambda: self.move_stage(stage_id, index - 1))
        left.setEnabled(index > 0)
        right = menu.addAction("Move right", lambda: self.move_stage(stage_id, index + 1))
        right.setEnabled(index < last)
        menu.addSeparator()
        menu.addAction("Remove stage", lambda: self.remove_stage(stage_id))
        return menu

    def add_stage(self, index: int) -> str:
        """Insert a stage at `index`; later lanes' cards shift right with their lanes.
        Then start renaming it."""
        journey = self.journey()
        assert journey is not None
        name = unique_name(DEFAULT_STAGE_NAME, (s.name for s in journey.stages))
        added: list[str] = []
        self._edit_stages("Add stage", lambda: added.append(
            self._document.add_stage(self._journey_id, name, index)))
        self.start_stage_rename(added[0])
        return added[0]

    def move_stage(self, stage_id: str, new_index: int) -> None:
        """Move a stage left or right; its cards move with its lane."""
        self._edit_stages("Move stage", lambda: self._document.move_stage(
            self._journey_id, stage_id, new_index))

    def remove_stage(self, stage_id: str) -> None:
        """Remove a stage. Later lanes' cards shift left with their lanes; the removed
        stage's cards, now with no stage, go right of the last lane."""
        self._edit_stages("Remove stage", lambda: self._document.remove_stage(
            self._journey_id, stage_id), removed=stage_id)

    def _edit_stages(
        self, text: str, edit: Callable[[], object], removed: str | None = None
    ) -> None:
        """Run a stage edit and move the cards with their lanes, as one undo step."""
        journey = self.journey()
        assert journey is not None
        before = {s.id: i for i, s in enumerate(journey.stages)}
        orphans = [t for t in journey.touchpoints.values() if removed and t.stage == removed]
        with self._document.compound(text):
            edit()
            after = {s.id: i for i, s in enumerate(journey.stages)}
            positions: dict[str, tuple[float, float]] = {}
            for t in journey.touchpoints.values():
                if t.stage in before and t.stage in after and before[t.stage] != after[t.stage]:
                    positions[t.id] = (t.x + (after[t.stage] - before[t.stage]) * LANE_WIDTH, t.y)
            if orphans and removed is not None:
                positions.update(self._spare_lane_positions(journey, orphans, before[removed]))
            if positions:
                self._document.move_touchpoints(self._journey_id, positions, text=text)

    def _spare_lane_positions(
        self, journey: Journey, orphans: list[Touchpoint], old_index: int
    ) -> dict[str, tuple[float, float]]:
        """Right of the last lane, below any stage-less cards already there."""
        spare = len(journey.stages) * LANE_WIDTH
        ids = {t.id for t in orphans}
        there = [t.y + style.CARD_HEIGHT for t in journey.touchpoints.values()
                 if t.id not in ids and t.stage is None and t.x >= lane_left(len(journey.stages))]
        drop = (max(there) + ROW_HEIGHT - min(t.y for t in orphans)) if there else 0.0
        return {t.id: (spare + t.x - old_index * LANE_WIDTH, snap(t.y + drop)) for t in orphans}
