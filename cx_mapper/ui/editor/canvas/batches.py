"""Changing thousands of drawn items at once without paying for them one by one."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtWidgets import QGraphicsScene

from cx_mapper.ui.document import collector

#: From this many items changing shape in one go, the scene drops its index for the
#: batch and rebuilds it once after.
UNINDEXED_FROM = 200

_Index = QGraphicsScene.ItemIndexMethod


@contextmanager
def unindexed(scene: QGraphicsScene, count: int) -> Iterator[None]:
    """Reshape `count` items inside the block; a big batch runs with no BSP index.

    Qt's BSP index files every item under each leaf its bounds cross, and re-files an
    item on each `prepareGeometryChange`: for a long loop-back arrow that is a walk over
    most leaves. Re-routing the 8,000 arrows of a 2,000-card map after auto-layout took
    5 s in those walks alone; with the index off for the batch and rebuilt once after,
    the index costs about 0.2 s.
    """
    if count < UNINDEXED_FROM or scene.itemIndexMethod() == _Index.NoIndex:
        yield
        return
    scene.setItemIndexMethod(_Index.NoIndex)
    try:
        yield
    finally:
        scene.setItemIndexMethod(_Index.BspTreeIndex)


class CollectorPause:
    """No cyclic garbage collection while a big map's arrows are built in slices, and
    what was built left out of later passes.

    A new set of 8,000 arrows is a few hundred thousand objects that all live on: each
    few thousand new objects started a pass, and two passes walked the whole heap while
    auto-layout routed its arrows (0.2 s each, in the middle of a slice). Paused from
    the set's start to its swap, as the file readers do (gc_paused), the passes would
    only come after, over the same objects; so once the set is shown, everything alive
    is frozen out of the collector (`gc.freeze`, as the command line does for what it
    read). What a frozen object leaves in a reference cycle waits for `thaw()`: the
    scene calls it when it draws a map afresh, and breaks the cycles of the arrow sets
    it drops itself (ArrowSet.drop).
    """

    def __init__(self) -> None:
        self._held = False

    def hold(self) -> None:
        if not self._held:  # pauses of several scenes nest in the collector
            self._held = True
            collector.pause()

    def release(self) -> None:
        if self._held:
            self._held = False
            collector.resume(freeze=True)  # the built objects are never walked

    def close(self) -> None:
        """The map is closed (perhaps mid-build): what it froze can go."""
        self.release()
        self.thaw()

    @staticmethod
    def thaw() -> None:
        """Let the collector walk what was frozen again (a map drawn afresh)."""
        if not collector.paused():
            gc.unfreeze()
