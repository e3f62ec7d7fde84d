"""What an undo command may touch: the project, the past-tense signals, `note_change`.

Commands depend on this small protocol instead of on ProjectDocument, so the
document can import its commands without the commands importing it back, and a
command can be tested against any object that keeps these promises.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import SignalInstance

from cx_mapper.domain.project import Project


class EditingTarget(Protocol):
    """The project being edited and the signals that tell the views what changed."""

    @property
    def project(self) -> Project: ...

    @property
    def touchpoint_added(self) -> SignalInstance: ...  # journey_id, touchpoint_id

    @property
    def touchpoint_removed(self) -> SignalInstance: ...

    @property
    def touchpoint_changed(self) -> SignalInstance: ...

    @property
    def touchpoint_renamed(self) -> SignalInstance: ...  # journey_id, old id, new id

    @property
    def touchpoints_changed(self) -> SignalInstance: ...  # journey_id, ids: many at once

    @property
    def transition_added(self) -> SignalInstance: ...  # journey_id, source, target

    @property
    def transition_removed(self) -> SignalInstance: ...

    @property
    def transition_changed(self) -> SignalInstance: ...

    @property
    def stage_changed(self) -> SignalInstance: ...  # journey_id; stages or channels

    @property
    def journey_changed(self) -> SignalInstance: ...  # journey_id

    @property
    def journeys_changed(self) -> SignalInstance: ...

    @property
    def segments_changed(self) -> SignalInstance: ...

    @property
    def project_changed(self) -> SignalInstance: ...  # project-level fields (its name)

    @property
    def lanes_changed(self) -> SignalInstance: ...  # journey_id; any lane added, edited...

    @property
    def note_added(self) -> SignalInstance: ...  # journey_id, note_id

    @property
    def note_removed(self) -> SignalInstance: ...

    @property
    def note_changed(self) -> SignalInstance: ...  # its text, cell, place, links or image

    @property
    def personas_changed(self) -> SignalInstance: ...

    @property
    def images_changed(self) -> SignalInstance: ...  # the project's images

    @property
    def opportunities_changed(self) -> SignalInstance: ...  # journey_id; any opportunity

    def note_change(self) -> None:
        """Called once after every edit, undo and redo, so results can tell they are stale."""
