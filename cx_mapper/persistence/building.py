"""Building many objects at once: a project of 100,000 touchpoints holds millions."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while building many objects that are all kept.

    Each few hundred new objects start a collection pass that finds nothing to free
    and, now and then, walks the whole heap: building 500,000 transitions took 1.07 s
    with them and 0.31 s without.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
