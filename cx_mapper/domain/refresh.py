"""Refresh a drawn journey from new data: the figures change, the drawing stays.

An estimate (from an event log or path data) knows entry shares, transition
probabilities and, when the data has them, satisfaction, visibility and value. The
journey the team drew knows everything else: where the cards are, the notes, the
stages and channels, the moments of truth. A refresh takes each from its owner and
lists every change, so the user can read what the new data says before keeping it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace

from cx_mapper.domain.durations import short_duration
from cx_mapper.domain.evidence import EvidenceSet
from cx_mapper.domain.journey import Channel, Journey, Stage, Touchpoint, Transition, unique_id

#: Touchpoint figures data can measure; `entry` is always taken from the data.
MEASURABLE = ("satisfaction", "visibility", "value")
#: Changes smaller than this are rounding, not news.
TOLERANCE = 1e-9

ADDED, UPDATED, REMOVED, NOT_IN_DATA = "added", "updated", "removed", "not in data"
#: The field a change of a measured time names: the median (its 90th percentile goes along).
TIME_FIELD = "time_median"


@dataclass(frozen=True)
class Change:
    """One difference between the drawn journey and the data, in the user's words."""

    kind: str  # "added" | "updated" | "removed" | "not in data"
    element: str  # "touchpoint" | "transition" | "stage" (a time)
    element_id: str  # touchpoint or stage id, or "source → target" for a transition
    name: str  # touchpoint name, or "A → B" with the touchpoints' names
    field: str | None  # "satisfaction", "visibility", "value", "entry", "probability",
    # TIME_FIELD
    old: float | None
    new: float | None

    def describe(self) -> str:
        """One line, e.g. "Checkout: satisfaction +0.20 → +0.35"."""
        if self.kind == ADDED:
            shown = "" if self.new is None else f", {self.field} {figure(self.field, self.new)}"
            return f"{self.name}: added{shown}"
        if self.kind == REMOVED:
            was = "" if self.old is None else f" (was {figure(self.field, self.old)})"
            return f"{self.name}: removed, not seen in the data{was}"
        if self.kind == NOT_IN_DATA:
            return f"{self.name}: not in the data, kept as drawn"
        old, new = figures(self.field, self.old, self.new)
        field = "median time" if self.field == TIME_FIELD else self.field
        return f"{self.name}: {field} {old} → {new}"


@dataclass(frozen=True)
class Refresh:
    journey: Journey  # a new journey; `existing` is never modified
    changes: tuple[Change, ...]
    added: tuple[str, ...]  # ids of touchpoints added (positions still to place)


def refresh_journey(
    existing: Journey,
    estimated: Journey,
    *,
    measured: Collection[str] = MEASURABLE,
    measured_for: Mapping[str, Collection[str]] | None = None,
) -> Refresh:
    """`existing` with the figures of `estimated`; what the data does not cover is kept.

    - Touchpoints match by id, else by name (ignoring case and outer spaces), else an
      estimated goal (conversion) matches the drawn journey's only unmatched goal.
      A match keeps everything drawn but takes `entry` and the `measured` fields
      from the data; `measured_for` gives the fields for particular estimated
      touchpoints (by their id in `estimated`) instead, e.g. only a goal's value.
    - Touchpoints only in the data are added, in a stage and channel of the same
      name (new ones when there is none). Drawn touchpoints the data does not have
      are kept as drawn and reported "not in data".
    - Transitions between two touchpoints in the data follow the data: updated,
      added, or removed when never seen. The data does not follow customers past an
      estimated goal with no way out (path data stops there), so what was drawn out
      of it is kept, as are transitions to or from touchpoints not in the data.
      Where those kept transitions and the data's together exceed 100%, the data's
      are scaled down to fit: the drawn share is taken from the data's exits first.
    - Evidence (MODEL.md §13) comes along with what is taken: the data's counts replace
      a touchpoint's `departures` and the evidence of each figure taken from the data,
      and a transition that follows the data carries the data's count.
    """
    for fields in (measured, *(measured_for or {}).values()):
        unknown = sorted(set(fields) - set(MEASURABLE))
        if unknown:
            raise ValueError(f"cannot measure {', '.join(unknown)}; "
                             f"choose from {', '.join(MEASURABLE)}")
    journey = existing.copy()
    if estimated.conversions is not None:
        journey.conversions = estimated.conversions
    matched = _match(existing, estimated)
    touchpoint_changes: dict[str, list[Change]] = {}

    for estimate_id, touchpoint_id in matched.items():
        new = estimated.touchpoints[estimate_id]
        old = journey.touchpoints[touchpoint_id]
        fields = (measured_for or {}).get(estimate_id, measured)
        updates: dict[str, float] = {}
        for name in ("entry", *(f for f in MEASURABLE if f in fields)):
            before, after = float(getattr(old, name)), float(getattr(new, name))
            if abs(after - before) > TOLERANCE:
                updates[name] = after
                touchpoint_changes.setdefault(touchpoint_id, []).append(Change(
                    UPDATED, "touchpoint", touchpoint_id, _name(old), name, before, after))
        evidence = _evidence_taken(old, new, [f for f in MEASURABLE if f in fields])
        if evidence != old.evidence:
            journey.update_touchpoint(touchpoint_id, evidence=evidence)
        if updates:
            journey.update_touchpoint(touchpoint_id, **updates)

    added: list[str] = []
    for new in estimated.touchpoints.values():
        if new.id in matched:
            continue
        touchpoint_id = unique_id(new.id, journey.touchpoints)
        journey.add_touchpoint(replace(
            new, id=touchpoint_id,
            stage=_same_named(journey, estimated, "stage", new.stage),
            channel=_same_named(journey, estimated, "channel", new.channel)))
        matched[new.id] = touchpoint_id
        added.append(touchpoint_id)
        touchpoint_changes[touchpoint_id] = [Change(
            ADDED, "touchpoint", touchpoint_id, _name(new), None, None, None)]

    in_data = set(matched.values())
    for touchpoint in existing.touchpoints.values():
        if touchpoint.id not in in_data:
            touchpoint_changes[touchpoint.id] = [Change(
                NOT_IN_DATA, "touchpoint", touchpoint.id, _name(touchpoint), None, None, None)]

    if estimated.variants:  # the data's paths, by the refreshed journey's ids
        journey.variants = tuple(replace(v, path=tuple(matched.get(s, s) for s in v.path))
                                 for v in estimated.variants)
    transition_changes = _refresh_transitions(journey, estimated, matched, in_data)
    time_changes, stage_changes = _refresh_times(journey, estimated, matched)
    transition_changes += time_changes
    # A row that follows the data was measured at today's satisfaction: analysed as it
    # is, its flows are the data's; a later what-if moves them from there (MODEL.md §2).
    for touchpoint_id in _observed(estimated, matched):
        touchpoint = journey.touchpoints[touchpoint_id]
        if touchpoint.measured_satisfaction != touchpoint.satisfaction:
            journey.update_touchpoint(touchpoint_id,
                                      measured_satisfaction=touchpoint.satisfaction)
    order = {touchpoint_id: index for index, touchpoint_id in enumerate(journey.touchpoints)}
    transition_changes.sort(key=lambda item: (order[item[0][0]], order[item[0][1]]))
    changes = [change for touchpoint_id in journey.touchpoints
               for change in touchpoint_changes.get(touchpoint_id, ())]
    changes.extend(change for _, change in transition_changes)
    changes.extend(stage_changes)
    return Refresh(journey, tuple(changes), tuple(added))


# -- matching ------------------------------------------------------------------------
def match_touchpoints(existing: Journey, estimated: Journey) -> dict[str, str]:
    """Estimated touchpoint id -> the drawn touchpoint it is, as a refresh matches them:
    by id, else by name, else the only unmatched goal (see refresh_journey)."""
    return _match(existing, estimated)


def _match(existing: Journey, estimated: Journey) -> dict[str, str]:
    """Estimated touchpoint id -> existing touchpoint id, in the estimate's order."""
    matched: dict[str, str] = {}
    taken: set[str] = set()
    for touchpoint_id in estimated.touchpoints:
        if touchpoint_id in existing.touchpoints:
            matched[touchpoint_id] = touchpoint_id
            taken.add(touchpoint_id)
    by_name: dict[str, list[str]] = {}
    for touchpoint in existing.touchpoints.values():
        if touchpoint.id not in taken and _key(touchpoint.name):
            by_name.setdefault(_key(touchpoint.name), []).append(touchpoint.id)
    for touchpoint in estimated.touchpoints.values():
        candidates = by_name.get(_key(touchpoint.name), [])
        if touchpoint.id not in matched and candidates:
            matched[touchpoint.id] = candidates.pop(0)
            taken.add(matched[touchpoint.id])
    goals = [t.id for t in estimated.touchpoints.values() if t.conversion and t.id not in matched]
    drawn = [t.id for t in existing.touchpoints.values() if t.conversion and t.id not in taken]
    if len(goals) == 1 and len(drawn) == 1:  # "Conversion" in the data is the drawn "Buys"
        matched[goals[0]] = drawn[0]
    return {tid: matched[tid] for tid in estimated.touchpoints if tid in matched}


def _key(name: str) -> str:
    return name.strip().casefold()


def _same_named(journey: Journey, estimated: Journey, kind: str, item_id: str | None
                ) -> str | None:
    """The drawn stage or channel (`kind`) named like the estimate's `item_id`, added
    to the journey when it has none."""
    if item_id is None:
        return None
    ours, theirs = ((journey.stages, estimated.stages) if kind == "stage"
                    else (journey.channels, estimated.channels))
    name = next((item.name for item in theirs if item.id == item_id), item_id)
    for item in ours:
        if _key(item.name) == _key(name):
            return item.id
    if kind == "stage":
        new_id = journey.new_stage_id(item_id)
        journey.add_stage(Stage(new_id, name))
    else:
        new_id = journey.new_channel_id(item_id)
        journey.add_channel(Channel(new_id, name))
    return new_id


# -- transitions -----------------------------------------------------------------------
def _refresh_transitions(journey: Journey, estimated: Journey, matched: dict[str, str],
                         in_data: set[str]) -> list[tuple[tuple[str, str], Change]]:
    """Set the transitions the data observes; returns their changes by key, unsorted."""
    observed = _observed(estimated, matched)
    wanted = {(matched[t.source], matched[t.target]): t.probability
              for t in estimated.transitions.values()}
    counted = {(matched[t.source], matched[t.target]): t.evidence
               for t in estimated.transitions.values()}

    def from_data(key: tuple[str, str]) -> bool:
        return key[0] in observed and key[1] in in_data

    kept_out: dict[str, float] = {}
    data_out: dict[str, float] = {}
    for key, transition in journey.transitions.items():
        if not from_data(key):
            kept_out[key[0]] = kept_out.get(key[0], 0.0) + transition.probability
    for (source, _), probability in wanted.items():
        data_out[source] = data_out.get(source, 0.0) + probability
    for key, probability in wanted.items():
        room = 1.0 - kept_out.get(key[0], 0.0)
        if kept_out.get(key[0], 0.0) + data_out[key[0]] > 1.0 + TOLERANCE:
            wanted[key] = probability * max(room, 0.0) / data_out[key[0]]

    changes: list[tuple[tuple[str, str], Change]] = []
    for key, transition in list(journey.transitions.items()):
        if not from_data(key):
            continue
        if key not in wanted:
            journey.remove_transition(*key)
            changes.append(_transition_change(journey, REMOVED, key, transition.probability,
                                              None))
        elif abs(wanted[key] - transition.probability) > TOLERANCE:
            journey.update_transition(*key, probability=wanted[key])
            changes.append(_transition_change(journey, UPDATED, key, transition.probability,
                                              wanted[key]))
    for key, probability in wanted.items():
        if key not in journey.transitions:
            journey.add_transition(Transition(key[0], key[1], probability,
                                              evidence=counted[key]))
            changes.append(_transition_change(journey, ADDED, key, None, probability))
        elif journey.transitions[key].evidence != counted[key]:
            journey.update_transition(*key, evidence=counted[key])
    return changes


def _evidence_taken(old: Touchpoint, new: Touchpoint, fields: list[str]) -> EvidenceSet:
    """`old`'s evidence with the data's for what the data measured: the figures taken
    from it, and the moves out (`departures`) when it counted them. A figure taken from
    data without evidence of its own loses the drawn one, which was about another number."""
    evidence = old.evidence
    for name in (*fields, "departures"):
        if name in fields or name in new.evidence:
            evidence = evidence.with_evidence(name, new.evidence.get(name))
    return evidence


def _refresh_times(journey: Journey, estimated: Journey, matched: dict[str, str]
                   ) -> tuple[list[tuple[tuple[str, str], Change]], list[Change]]:
    """Take the times the data measured (an event log's timestamps) for the transitions
    it follows and the stages of the same name; data without times (path data) leaves
    those there are. Returns the changes a user would see: a median shown otherwise."""
    transition_changes: list[tuple[tuple[str, str], Change]] = []
    for transition in estimated.transitions.values():
        key = (matched[transition.source], matched[transition.target])
        ours = journey.transitions.get(key)
        if transition.time_median is None or ours is None:
            continue
        journey.update_transition(*key, time_median=transition.time_median,
                                  time_p90=transition.time_p90)
        if _shown_otherwise(ours.time_median, transition.time_median):
            change = _transition_change(journey, UPDATED, key, ours.time_median,
                                        transition.time_median)[1]
            transition_changes.append((key, replace(change, field=TIME_FIELD)))
    stage_changes: list[Change] = []
    by_name = {_key(stage.name): stage for stage in journey.stages}
    for stage in estimated.stages:
        ours_stage = by_name.get(_key(stage.name))
        if stage.time_median is None or ours_stage is None:
            continue
        journey.update_stage(ours_stage.id, time_median=stage.time_median,
                             time_p90=stage.time_p90)
        if _shown_otherwise(ours_stage.time_median, stage.time_median):
            stage_changes.append(Change(UPDATED, "stage", ours_stage.id,
                                        ours_stage.name.strip() or ours_stage.id, TIME_FIELD,
                                        ours_stage.time_median, stage.time_median))
    return transition_changes, stage_changes


def _shown_otherwise(old: float | None, new: float) -> bool:
    return old is None or short_duration(old) != short_duration(new)


def _observed(estimated: Journey, matched: dict[str, str]) -> set[str]:
    """The touchpoints whose way out the data follows. Where it stops (a goal of path
    data, with no way out), it says nothing about what follows."""
    leaving = {t.source for t in estimated.transitions.values()}
    return {matched[t.id] for t in estimated.touchpoints.values()
            if not (t.conversion and t.id not in leaving)}


def _transition_change(journey: Journey, kind: str, key: tuple[str, str], old: float | None,
                       new: float | None) -> tuple[tuple[str, str], Change]:
    source, target = (journey.touchpoints[end] for end in key)
    return key, Change(kind, "transition", f"{key[0]} → {key[1]}",
                       f"{_name(source)} → {_name(target)}", "probability", old, new)


def _name(touchpoint: Touchpoint) -> str:
    return touchpoint.name.strip() or touchpoint.id


# -- showing figures -------------------------------------------------------------------
def figure(field: str | None, value: float | None, digits: int = 2) -> str:
    """A figure as the app shows it: satisfaction signed, shares in percent, value money."""
    if value is None:
        return "–"
    if field == TIME_FIELD:
        return short_duration(value)
    if field == "satisfaction":
        return f"{value:+.{digits}f}"
    if field in ("visibility", "entry", "probability"):
        return f"{100 * value:.{max(digits - 1, 0)}f}%"
    return f"{value:,.{digits}f}"


def figures(field: str | None, old: float | None, new: float | None) -> tuple[str, str]:
    """Both figures, with as many more digits as it takes to show they differ (up to 6)."""
    for digits in range(2, 7):
        shown = figure(field, old, digits), figure(field, new, digits)
        if shown[0] != shown[1]:
            return shown
    return shown
