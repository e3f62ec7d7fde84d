"""How a touchpoint's figures are backed, as its card's badge says: the weakest kind of
evidence among its own figures and its transitions out.

For the canvas, the kinds on each touchpoint's transitions out are kept as an index,
built in one pass over the journey and kept in step one transition at a time, so a
card's badge never scans the journey's transitions: on a 2,000-touchpoint map a scan
per card, or per transition deleted, would cost seconds.
"""

from __future__ import annotations

from cx_mapper.domain.evidence import backing
from cx_mapper.domain.journey import Journey, TransitionKey

NONE: frozenset[str] = frozenset()


def backing_of(journey: Journey, touchpoint_id: str) -> str | None:
    """The kind of evidence a touchpoint's badge shows (None: it has none)."""
    kinds = [e.kind for e in journey.touchpoint(touchpoint_id).evidence.values()]
    kinds += [t.evidence.kind for t in journey.outgoing(touchpoint_id) if t.evidence]
    return backing(kinds)


class OutgoingEvidence:
    """source -> {target: kind}, only for transitions that carry evidence."""

    def __init__(self, journey: Journey | None = None) -> None:
        self._by_source: dict[str, dict[str, str]] = {}
        if journey is not None:
            self.rebuild(journey)

    def rebuild(self, journey: Journey) -> None:
        self._by_source = {}
        for (source, target), transition in journey.transitions.items():
            if transition.evidence is not None:
                self._by_source.setdefault(source, {})[target] = transition.evidence.kind

    def kinds(self, source: str) -> frozenset[str]:
        found = self._by_source.get(source)
        return frozenset(found.values()) if found else NONE

    def follow(self, journey: Journey, key: TransitionKey) -> None:
        """A transition added, changed or removed: note its evidence as it is now."""
        source, target = key
        transition = journey.transitions.get(key)
        if transition is not None and transition.evidence is not None:
            self._by_source.setdefault(source, {})[target] = transition.evidence.kind
            return
        self.follow_removed(source, target)

    def forget(self, touchpoint_id: str) -> None:
        """A touchpoint went (or took another id): its transitions, in and out, too."""
        self._by_source.pop(touchpoint_id, None)
        for source in [s for s, found in self._by_source.items() if touchpoint_id in found]:
            self.follow_removed(source, touchpoint_id)

    def follow_removed(self, source: str, target: str) -> None:
        """The transition source -> target carries no evidence now (or is gone)."""
        found = self._by_source.get(source)
        if found is not None:
            found.pop(target, None)
            if not found:
                del self._by_source[source]
