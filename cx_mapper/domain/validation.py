"""Problems of a project: errors block analysis, warnings only inform.

Each problem names the journey, the element and the field, in the user's words,
so the Problems dock can select the element and the CLI can print the same text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from math import inf, isfinite
from operator import attrgetter

from cx_mapper.domain.abandonment import row_multiplier
from cx_mapper.domain.bundles import PatchError, apply_opportunities
from cx_mapper.domain.content import LANE_KINDS, LANE_NAME_LIMIT, NOTE_TEXT_LIMIT, lane_colour_ok
from cx_mapper.domain.images import ImageError, check_image
from cx_mapper.domain.journey import Journey, Touchpoint
from cx_mapper.domain.opportunities import (
    COST_UNIT_LIMIT,
    Opportunity,
    opportunity_problems,
    plan_problems,
)
from cx_mapper.domain.personas import (
    PERSONA_ITEM_LIMIT,
    PERSONA_ITEMS_LIMIT,
    PERSONA_LISTS,
    PERSONA_TEXT_LIMITS,
)
from cx_mapper.domain.project import PARAMETER_RANGES, SHARE_ABOVE, SHARE_MAX, Project, Segment
from cx_mapper.domain.quoting import LIST_SHOWN, quoted
from cx_mapper.domain.ranges import (
    JOURNEY_RANGES,
    NEGLIGIBLE_PROBABILITY,
    OPTIONAL_TOUCHPOINT_RANGES,
    TOUCHPOINT_RANGES,
    TRANSITION_RANGES,
    Range,
    range_words,
    within,
)

#: Out-probabilities may exceed 1 by this much (rounding in files), per FORMAT.md.
PROBABILITY_TOLERANCE = 1e-9


CLOSED_LOOP = "closed_loop"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Severity
    message: str
    journey: str | None = None
    # journey, touchpoint, transition, stage, channel, segment, project, lane, note, persona,
    # image, opportunity
    element: str = "journey"
    element_id: str | None = None
    field: str | None = None
    code: str = ""  # a stable name for problems callers treat specially, e.g. "closed_loop"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        parts = []
        if self.journey is not None:
            parts.append(f"journey '{quoted(self.journey)}'")
        if self.element not in ("journey", "project") and self.element_id is not None:
            parts.append(f"{self.element} '{quoted(self.element_id)}'")
        if self.field:
            parts.append(f"field '{quoted(self.field)}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message

    def described(self, project: Project) -> str:
        """The problem as the user reads it, the journey and element by their names:
        "journey 'Current state', touchpoint 'Buys', field 'entry': ..."."""
        journey = _journey_of(project, self.journey)
        parts = []
        if self.journey is not None:
            name = (journey.name or journey.id) if journey is not None else self.journey
            parts.append(f"journey '{quoted(name)}'")
        if self.element not in ("journey", "project") and self.element_id is not None:
            parts.append(f"{self.element} '{quoted(element_name(project, self))}'")
        if self.field:
            parts.append(f"field '{quoted(self.field.replace('_', ' '))}'")
        where = ", ".join(parts)
        return f"{where}: {self.message}" if where else self.message


def _journey_of(project: Project, journey_id: str | None) -> Journey | None:
    return next((j for j in project.journeys if j.id == journey_id), None)


def element_name(project: Project, problem: Problem) -> str:
    """The name of the element a problem is about (its id when it has no name)."""
    element_id = problem.element_id or ""
    if problem.element == "segment":
        return next((s.name or s.id for s in project.segments if s.id == element_id), element_id)
    if problem.element == "persona":
        return next((p.name or p.id for p in project.personas if p.id == element_id), element_id)
    journey = _journey_of(project, problem.journey)
    if journey is None:
        return element_id

    def touchpoint_name(touchpoint_id: str) -> str:
        touchpoint = journey.touchpoints.get(touchpoint_id)
        return (touchpoint.name or touchpoint.id) if touchpoint is not None else touchpoint_id

    if problem.element == "touchpoint":
        return touchpoint_name(element_id)
    if problem.element == "transition":
        source, _, target = element_id.partition(" -> ")
        return f"{touchpoint_name(source)} → {touchpoint_name(target)}" if target else element_id
    if problem.element in ("stage", "channel"):
        group = journey.stages if problem.element == "stage" else journey.channels
        return next((item.name or item.id for item in group if item.id == element_id),
                    element_id)
    if problem.element == "lane":
        return next((lane.name or lane.id for lane in journey.lanes if lane.id == element_id),
                    element_id)
    if problem.element == "opportunity":
        return next((o.title or o.id for o in journey.opportunities if o.id == element_id),
                    element_id)
    note = journey.notes.get(element_id) if problem.element == "note" else None
    if note is not None and note.text.strip():
        return note.text.strip().splitlines()[0]
    return element_id


def validate_project(project: Project) -> list[Problem]:
    problems = list(validate_segments(project.segments))
    for journey in project.journeys:
        problems.extend(validate_journey(journey, project.segments))
    problems.extend(validate_content(project))
    return problems


def validate_content(project: Project) -> Iterable[Problem]:
    """What the files would refuse in the lanes, notes, personas and images: a reference
    to something that is not there, or a text, a colour or an image past its limits.
    The edits keep them consistent; this finds what a script or a bug left behind."""
    images = project.images
    if len(project.cost_unit) > COST_UNIT_LIMIT:
        yield Problem(Severity.ERROR, _too_long(project.cost_unit, COST_UNIT_LIMIT),
                      element="project", field="cost_unit")
    for image in images.values():
        try:
            check_image(image.media_type, image.data)
        except ImageError as error:
            yield Problem(Severity.ERROR, f"The image {error.reason}", None, "image", image.id,
                          error.field)
    segment_ids = {s.id for s in project.segments}
    for persona in project.personas:
        def persona_error(field: str, message: str, persona_id: str = persona.id) -> Problem:
            return Problem(Severity.ERROR, message, None, "persona", persona_id, field)

        if persona.segment not in segment_ids:
            yield persona_error("segment", f"There is no segment '{quoted(persona.segment)}'.")
        if persona.image is not None and persona.image not in images:
            yield persona_error("image", f"There is no image '{quoted(persona.image)}'.")
        for name, limit in PERSONA_TEXT_LIMITS.items():
            if len(getattr(persona, name)) > limit:
                yield persona_error(name, _too_long(getattr(persona, name), limit))
        for name in PERSONA_LISTS:
            items: tuple[str, ...] = getattr(persona, name)
            if len(items) > PERSONA_ITEMS_LIMIT:
                yield persona_error(name, f"Has {len(items)} items; at most "
                                          f"{PERSONA_ITEMS_LIMIT} fit on a persona.")
            for item in items:
                if len(item) > PERSONA_ITEM_LIMIT:
                    yield persona_error(name, _too_long(item, PERSONA_ITEM_LIMIT))
    for journey in project.journeys:
        yield from _journey_content_problems(journey, set(images))
        yield from _opportunity_problems(journey, project.segments)


def _journey_content_problems(journey: Journey, image_ids: set[str]) -> Iterable[Problem]:
    def error(element: str, element_id: str, field: str, message: str) -> Problem:
        return Problem(Severity.ERROR, message, journey.id, element, element_id, field)

    for tp in journey.touchpoints.values():
        if tp.image is not None and tp.image not in image_ids:
            yield error("touchpoint", tp.id, "image", f"There is no image '{quoted(tp.image)}'.")
    for lane in journey.lanes:
        if lane.kind not in LANE_KINDS:
            yield error("lane", lane.id, "kind", f"'{quoted(str(lane.kind))}' is no kind of lane.")
        if not lane_colour_ok(lane.colour):
            yield error("lane", lane.id, "colour", "Must be a colour such as #1f77b4.")
        if len(lane.name) > LANE_NAME_LIMIT:
            yield error("lane", lane.id, "name", _too_long(lane.name, LANE_NAME_LIMIT))
    lane_ids = {lane.id for lane in journey.lanes}
    stage_ids = {stage.id for stage in journey.stages}
    for note in journey.notes.values():
        if note.lane not in lane_ids:
            yield error("note", note.id, "lane", f"There is no lane '{quoted(note.lane)}'.")
        if note.stage not in stage_ids:
            yield error("note", note.id, "stage", f"There is no stage '{quoted(note.stage)}'.")
        for touchpoint_id in note.touchpoints:
            if touchpoint_id not in journey.touchpoints:
                yield error("note", note.id, "touchpoints",
                            f"There is no touchpoint '{quoted(touchpoint_id)}'.")
        if len(set(note.touchpoints)) < len(note.touchpoints):
            yield error("note", note.id, "touchpoints", "Names a touchpoint twice.")
        if note.image is not None and note.image not in image_ids:
            yield error("note", note.id, "image", f"There is no image '{quoted(note.image)}'.")
        if len(note.text) > NOTE_TEXT_LIMIT:
            yield error("note", note.id, "text", _too_long(note.text, NOTE_TEXT_LIMIT))
        for name in ("x", "y"):
            if not _finite(getattr(note, name)):
                yield error("note", note.id, name, f"Must be a finite number, got "
                                                   f"{getattr(note, name):g}.")


def _opportunity_problems(journey: Journey, segments: list[Segment]) -> Iterable[Problem]:
    if journey.plan is not None:
        for field, message in plan_problems(journey.plan):
            yield Problem(Severity.ERROR, message, journey.id, "journey", journey.id,
                          f"plan {field}")
    for opportunity in journey.opportunities:
        found = opportunity_problems(opportunity, journey.touchpoints)
        for field, message in found:
            yield Problem(Severity.ERROR, message, journey.id, "opportunity", opportunity.id,
                          field)
        unfit = None if found else fit_problem(journey, opportunity, segments)
        if unfit:
            yield Problem(Severity.ERROR, unfit, journey.id, "opportunity", opportunity.id,
                          "changes")


def fit_problem(journey: Journey, opportunity: Opportunity,
                segments: list[Segment] | None = None) -> str | None:
    """Why the journey with this opportunity applied (alone) could not be analysed, in
    the words of its first error; None when it can. Drawing could not make such a
    journey, so the plan leaves the opportunity out."""
    try:
        patched = apply_opportunities(journey, [opportunity])
    except PatchError as error:
        return error.message
    errors = validate_journey(patched, segments, errors_only=True)
    if not errors:
        return None
    first = errors[0]
    where = f" ({first.element} '{quoted(first.element_id)}')" if first.element_id else ""
    return f"Applied, it leaves the journey invalid{where}: {first.message}"


def _too_long(text: str, limit: int) -> str:
    return f"Is {len(text):,} characters long; at most {limit:,} fit."


def validate_segments(segments: list[Segment]) -> Iterable[Problem]:
    if not segments:
        yield Problem(Severity.ERROR, "The project has no segment.", element="project")
        return
    for segment in segments:
        if not (_finite(segment.share) and SHARE_ABOVE < segment.share <= SHARE_MAX):
            words = range_words(SHARE_ABOVE, SHARE_MAX, above=True)
            yield _segment_error(segment, "share",
                                 f"Share must be {words}, got {segment.share:g}.")
        for name, limits in PARAMETER_RANGES.items():
            message = _out_of_range(getattr(segment, name), limits)
            if message:
                yield _segment_error(segment, name, message)
    total = sum(s.share for s in segments)
    if total > 0 and abs(total - 1.0) > 1e-9:
        yield Problem(
            Severity.WARNING,
            f"Segment shares sum to {total:g}, not 1; they are scaled to sum to 1.",
            element="segment",
            element_id=segments[0].id,
            field="share",
        )


def validate_journey(journey: Journey, segments: list[Segment] | None = None, *,
                     errors_only: bool = False, read_checked: bool = False) -> list[Problem]:
    """All problems of one journey. `segments` refine the closed-loop check (abandonment).

    `errors_only` leaves out the warnings: analysis needs only what blocks it, and the
    structure warnings cost half the time of checking 500,000 transitions.
    `read_checked` (with `errors_only`) says the journey is as the strict reader of
    files gave it, which refuses every out-of-range field, unknown stage, channel or
    touchpoint and out-probability sum above 1; what is left to find is what a file
    may hold (no entry, a closed loop). The command line's analysis of 100,000
    touchpoints spent 0.35 s checking again what the reader had just checked.
    """
    problems: list[Problem] = []
    add = problems.append
    jid = journey.id

    def error(element: str, element_id: str | None, field: str | None, message: str) -> None:
        add(Problem(Severity.ERROR, message, jid, element, element_id, field))

    def warning(element: str, element_id: str | None, field: str | None, message: str) -> None:
        add(Problem(Severity.WARNING, message, jid, element, element_id, field))

    for name, limits in JOURNEY_RANGES.items():
        number = getattr(journey, name)
        message = None if number is None else _out_of_range(number, limits)
        if message:
            error("journey", jid, name, message)
    if not journey.touchpoints:
        error("journey", jid, None, "The journey has no touchpoints yet.")
        return problems

    touchpoints = journey.touchpoints
    ends_known = True
    sources: list[str] = []
    targets: list[str] = []
    probabilities: list[float] = []
    if not (read_checked and errors_only):
        stage_ids = {s.id for s in journey.stages}
        channel_ids = {c.id for c in journey.channels}
        if not _touchpoints_all_valid(journey, stage_ids, channel_ids):
            for tp in touchpoints.values():
                for name, limits in TOUCHPOINT_RANGES.items():
                    message = _out_of_range(getattr(tp, name), limits)
                    if message:
                        error("touchpoint", tp.id, name, message)
                for name, limits in OPTIONAL_TOUCHPOINT_RANGES.items():
                    value = getattr(tp, name)
                    message = _out_of_range(value, limits) if value is not None else None
                    if message:
                        error("touchpoint", tp.id, name, message)
                if tp.stage is not None and tp.stage not in stage_ids:
                    error("touchpoint", tp.id, "stage", f"There is no stage '{quoted(tp.stage)}'.")
                if tp.channel is not None and tp.channel not in channel_ids:
                    error("touchpoint", tp.id, "channel",
                          f"There is no channel '{quoted(tp.channel)}'.")

        out_sum: dict[str, float] = dict.fromkeys(touchpoints, 0.0)
        transitions = journey.transitions.values()
        sources = [tr.source for tr in transitions]
        targets = [tr.target for tr in transitions]
        probabilities = [tr.probability for tr in transitions]
        low, high = TRANSITION_RANGES["probability"]
        assert low is not None and high is not None
        ends_known = touchpoints.keys() >= {*sources, *targets}
        if ends_known and not [p for p in probabilities if not low <= p <= high]:  # NaN too
            for source, probability in zip(sources, probabilities, strict=True):
                out_sum[source] += probability
        else:
            for tr in transitions:
                tid = f"{tr.source} -> {tr.target}"
                if tr.source not in touchpoints or tr.target not in touchpoints:
                    missing = tr.source if tr.source not in touchpoints else tr.target
                    error("transition", tid, "from" if missing == tr.source else "to",
                          f"There is no touchpoint '{quoted(missing)}'.")
                    continue
                message = _out_of_range(tr.probability, TRANSITION_RANGES["probability"])
                if message:
                    error("transition", tid, "probability", message)
                    continue
                out_sum[tr.source] += tr.probability

        for tp_id, total in out_sum.items():
            if total > 1.0 + PROBABILITY_TOLERANCE:
                error("touchpoint", tp_id, "probability",
                      f"Out-probabilities sum to {total:.6g} ({100 * total:.6g}%), above 100%. "
                      f"Lower them by {total - 1:.3g} in all.")

    if not any(tp.entry > 0 for tp in journey.touchpoints.values()):
        error("journey", jid, "entry",
              "No touchpoint has an entry share, so no customer starts the journey. "
              "Give at least one touchpoint an entry share above 0.")

    problems.extend(_closed_loop_problems(journey, segments))
    if errors_only:
        return problems
    moves = zip(sources, targets, probabilities, strict=True)
    problems.extend(_structure_warnings(journey, moves if ends_known else (
        (s, t, p) for s, t, p in moves if s in touchpoints and t in touchpoints)))
    if journey.conversions is not None and not any(
        tp.conversion for tp in journey.touchpoints.values()
    ):
        warning("journey", jid, "conversions",
                "Conversions are given but no touchpoint is marked as a conversion.")
    return problems


def _touchpoints_all_valid(journey: Journey, stage_ids: set[str],
                           channel_ids: set[str]) -> bool:
    """True when no touchpoint has a problem of its own, found field by field: the
    Problems dock validates after every edit, and 100,000 touchpoints took 0.4 s one by
    one. The element-by-element loop then only runs to say what is wrong."""
    touchpoints = journey.touchpoints.values()
    for name, (low, high) in TOUCHPOINT_RANGES.items():
        lowest = -inf if low is None else low
        highest = inf if high is None else high
        values = list(map(attrgetter(name), touchpoints))
        if [v for v in values if not lowest <= v <= highest] or inf in values or (
                -inf in values):  # NaN fails the comparison
            return False
    for name, limits in OPTIONAL_TOUCHPOINT_RANGES.items():
        if [v for v in map(attrgetter(name), touchpoints)
                if v is not None and not within(v, limits)]:
            return False
    stages = {tp.stage for tp in touchpoints}
    channels = {tp.channel for tp in touchpoints}
    return stage_ids.issuperset(stages - {None}) and channel_ids.issuperset(channels - {None})


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


# -- closed loops -----------------------------------------------------------------
def closed_loops(journey: Journey, segments: list[Segment] | None = None) -> list[list[str]]:
    """Groups of touchpoints customers can enter but never leave (no exit, no abandonment).

    With a discount rate of 0 such a loop makes the visits infinite (MODEL.md §3).
    Abandonment after a poor touchpoint is an exit only if every segment abandons.
    """
    edges: dict[str, list[str]] = {tid: [] for tid in journey.touchpoints}
    out_sum: dict[str, float] = {tid: 0.0 for tid in journey.touchpoints}
    weights: dict[str, list[float]] = {tid: [] for tid in journey.touchpoints}
    for tr in journey.transitions.values():
        if (tr.source in edges and tr.target in edges
                and tr.probability > NEGLIGIBLE_PROBABILITY):
            edges[tr.source].append(tr.target)
            weights[tr.source].append(tr.probability)
            out_sum[tr.source] += tr.probability
    abandon = [s.abandon_on_poor for s in segments] if segments else [0.0]
    position = {tid: i for i, tid in enumerate(journey.touchpoints)}  # once, not per loop
    loops = []
    for component in strongly_connected_components(edges):
        members = set(component)
        is_cycle = len(component) > 1 or component[0] in edges[component[0]]
        if not is_cycle:
            continue
        inside = {tid: sum(p for target, p in zip(edges[tid], weights[tid], strict=True)
                           if target in members) for tid in component}
        # Closed when, for some segment, every member keeps all its customers inside
        # after abandonment (drawn or measured, MODEL.md §2): the engine's own test.
        if any(all(_keeps_all(journey.touchpoints[tid], inside[tid], out_sum[tid], a)
                   for tid in component) for a in abandon):
            loops.append(sorted(component, key=position.__getitem__))
    return loops


def _keeps_all(touchpoint: Touchpoint, inside: float, row_sum: float, abandon: float) -> bool:
    """Whether one segment's customers all stay among the loop's touchpoints: what the
    row sends inside, after abandonment, is the whole of them."""
    multiplier = row_multiplier(abandon, touchpoint.satisfaction,
                                touchpoint.measured_satisfaction, row_sum)
    return inside * multiplier >= 1.0 - NEGLIGIBLE_PROBABILITY


def _closed_loop_problems(journey: Journey, segments: list[Segment] | None) -> list[Problem]:
    if journey.discount_rate > 0:
        return []
    problems = []
    for loop in closed_loops(journey, segments):
        path = loop_path([journey.touchpoints[t].name or t for t in loop])
        problems.append(Problem(
            Severity.ERROR,
            f"Closed loop with no exit: {path}. Customers can never leave it, so with no "
            "discount their visits never end. Add an exit (lower a probability below 100%) "
            "or set a discount rate above 0.",
            journey.id, "touchpoint", loop[0], "probability", CLOSED_LOOP,
        ))
    return problems


def loop_path(loop: list[str]) -> str:
    """A loop as messages show it, "a → b → a", the middle of a long one cut short."""
    if len(loop) <= LIST_SHOWN + 1:
        return " → ".join(quoted(tid) for tid in [*loop, loop[0]])
    shown = " → ".join(quoted(tid) for tid in loop[:LIST_SHOWN])
    return f"{shown} → … ({len(loop) - LIST_SHOWN:,} more) → {quoted(loop[0])}"


def strongly_connected_components(edges: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative so that long journeys do not hit the recursion limit."""
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in edges:
        if root in index_of:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index_of[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = edges[node]
            for position in range(child, len(targets)):
                target = targets[position]
                if target not in index_of:
                    work.append((node, position + 1))
                    work.append((target, 0))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index_of[target])
            else:
                if low[node] == index_of[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return components


# -- warnings -----------------------------------------------------------------------
def _structure_warnings(journey: Journey,
                        moves: Iterable[tuple[str, str, float]]) -> list[Problem]:
    """Isolated, unreachable and dead-end touchpoints; `moves` are the transitions
    (from, to, probability) between touchpoints that exist."""
    problems = []
    touchpoints = journey.touchpoints
    # Lists, not sets: a journey holds one transition per (from, to), so no target repeats.
    successors: dict[str, list[str]] = {tid: [] for tid in touchpoints}
    for source, target, probability in moves:
        if probability > 0:
            successors[source].append(target)
    has_in = {target for source, targets in successors.items() for target in targets
              if target != source}
    starts = [t.id for t in touchpoints.values() if t.entry > 0 or t.referral_entry > 0]
    reached = set(starts)
    frontier = list(starts)
    while frontier:
        for target in successors[frontier.pop()]:
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    for tp in touchpoints.values():
        targets = successors[tp.id]
        if tp.id not in has_in and not [t for t in targets if t != tp.id]:
            problems.append(Problem(Severity.WARNING,
                                    "Isolated: no transition comes in or goes out.",
                                    journey.id, "touchpoint", tp.id, None))
        elif starts and tp.id not in reached:
            problems.append(Problem(Severity.WARNING,
                                    "Unreachable: no customer gets here from an entry.",
                                    journey.id, "touchpoint", tp.id, "entry"))
        elif not targets and not tp.conversion:
            problems.append(Problem(Severity.WARNING,
                                    "Dead end: every customer leaves the journey here.",
                                    journey.id, "touchpoint", tp.id, "probability"))
    return problems


def _segment_error(segment: Segment, field: str, message: str) -> Problem:
    return Problem(Severity.ERROR, message, None, "segment", segment.id, field)


def _out_of_range(value: float, limits: Range) -> str | None:
    """Why `value` is outside `limits`, in the Problems dock's words; None when inside."""
    if within(value, limits):
        return None
    return f"Must be {range_words(*limits)}, got {value:g}."


def _finite(value: float) -> bool:
    return isfinite(value)
