"""The `cx-mapper/1` JSON interchange: strict reading, full writing (FORMAT.md).

Reading is all or nothing: the whole file is checked before a Project is built,
and the first problem is raised as a ProjectFileError that names the file, the
journey, the element and the field. This module holds the rules of each element;
the checks of single values they share are in json_checks.py, and the ranges of
the numbers in the domain (ranges.py, and project.py for segments).
"""

from __future__ import annotations

import math
import os
from collections.abc import Collection
from dataclasses import replace
from typing import Any

import orjson

from cx_mapper.domain.journey import (
    DEFAULT_DISCOUNT_RATE,
    DEFAULT_HORIZON,
    Channel,
    Journey,
    Stage,
    Touchpoint,
    Transition,
    TransitionKey,
)
from cx_mapper.domain.opportunities import COST_UNIT_LIMIT
from cx_mapper.domain.project import (
    ALL_CONSUMERS,
    PARAMETER_RANGES,
    SHARE_ABOVE,
    SHARE_MAX,
    Project,
    Segment,
)
from cx_mapper.domain.quoting import quoted
from cx_mapper.domain.ranges import (
    JOURNEY_RANGES,
    OPTIONAL_TOUCHPOINT_RANGES,
    TOUCHPOINT_RANGES,
    TRANSITION_RANGES,
)
from cx_mapper.domain.validation import PROBABILITY_TOLERANCE
from cx_mapper.persistence.atomic import write_atomically
from cx_mapper.persistence.building import gc_paused
from cx_mapper.persistence.errors import ProjectFileError, reading_file
from cx_mapper.persistence.json_checks import (
    Where,
    check_keys,
    check_unique,
    describe,
    duplicate,
    parse_json,
    parse_json_quickly,
    read_element,
    read_flag,
    read_identifier,
    read_list,
    read_number,
    read_reference,
    read_text,
    read_whole_number,
)
from cx_mapper.persistence.json_columns import SUM_ERROR, JourneyColumns, journey_columns
from cx_mapper.persistence.json_content import ContentReader, limited_text
from cx_mapper.persistence.json_evidence import (
    EVIDENCE,
    SEGMENT_LIMITS,
    TOUCHPOINT_LIMITS,
    has_evidence,
    read_evidence_set,
    read_transition_evidence,
    with_touchpoint_evidence,
    with_transition_evidence,
    without_evidence,
)
from cx_mapper.persistence.json_opportunities import OpportunityReader
from cx_mapper.persistence.json_quick import (
    TRANSITION_KEYS,
    quick_times,
    quick_touchpoint,
    quick_touchpoints,
    quick_transition,
    quick_transitions,
    read_times,
)
from cx_mapper.persistence.json_variants import read_variants
from cx_mapper.persistence.json_writing import CHANNEL_KEYS, PROJECT_KEYS, STAGE_KEYS
from cx_mapper.persistence.json_writing import FORMAT as FORMAT
from cx_mapper.persistence.json_writing import JOURNEY_KEYS as JOURNEY_KEYS
from cx_mapper.persistence.json_writing import SEGMENT_KEYS as SEGMENT_KEYS
from cx_mapper.persistence.json_writing import TOUCHPOINT_KEYS as TOUCHPOINT_KEYS
from cx_mapper.persistence.json_writing import project_to_dict as project_to_dict

_UTF8_BOM = b"\xef\xbb\xbf"
DEFAULT_PROJECT_NAME = "Untitled project"


#: Shares whose sum is this close to 1 are kept as written, so files round trip exactly.
SHARE_TOLERANCE = 1e-9

StrPath = str | os.PathLike[str]
#: The keys a segment, a touchpoint and a transition may have: their fields and evidence.
_SEGMENT_KEYS = (*SEGMENT_KEYS, EVIDENCE)
_TOUCHPOINT_KEYS = (*TOUCHPOINT_KEYS, EVIDENCE)
_TRANSITION_KEYS = (*TRANSITION_KEYS, EVIDENCE)


# -- public API -------------------------------------------------------------------------
def read_project(path: StrPath) -> Project:
    """Read a cx-mapper/1 file. Raises ProjectFileError for anything not exactly right."""
    return read_project_with_warnings(path)[0]


def read_project_with_warnings(path: StrPath) -> tuple[Project, list[str]]:
    """Read a file and also return what was fixed on the way (e.g. shares scaled to sum to 1)."""
    name = os.fspath(path)
    with reading_file(name), open(name, "rb") as file:
        data = file.read()
    return _project_from_bytes(data, name)


def loads_project(text: str, path: str | None = None) -> Project:
    """Read a project from JSON text; `path` only names the source in errors."""
    return loads_project_with_warnings(text, path)[0]


def loads_project_with_warnings(text: str, path: str | None = None) -> tuple[Project, list[str]]:
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the careful reader names its field
        return _project_from_text(text, path)
    return _project_from_bytes(data, path)


def read_for_analysis(path: StrPath, journey_id: str | None = None
                      ) -> tuple[Project, JourneyColumns | None]:
    """read_project, for the analysis of one journey (the first when no id is given).

    When that journey can be analysed as the file holds it (no field wrong, at least
    one touchpoint with an entry share, a discount rate above 0), its touchpoints and
    transitions come as columns, and the project's journey of that id holds neither:
    only its own settings, stages, channels, lanes and notes. Otherwise the project
    is read_project's, with no columns. A file that is refused gets the same message.
    """
    name = os.fspath(path)
    with reading_file(name), open(name, "rb") as file:
        data = file.read()
    reader = _Reader(name, [], columns_of=journey_id or "")
    project = _project_from_bytes(data, name, reader)[0]
    return project, reader.columns


def _project_from_bytes(data: bytes, path: str | None,
                        reader: _Reader | None = None) -> tuple[Project, list[str]]:
    """The quick parse when it vouches for the file. Any refusal is phrased from the
    careful parse, so a file gets the same message whichever parse read it."""
    with gc_paused():
        quick = parse_json_quickly(data.removeprefix(_UTF8_BOM))
        if quick is not None:
            reader = reader or _Reader(path, [])
            try:
                return reader.project(quick), reader.warnings
            except ProjectFileError:
                reader.columns = None  # the careful parse reads it again, as objects
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProjectFileError(
            f"is not UTF-8 text (byte 0x{data[error.start]:02x} at position {error.start}); "
            "save it as UTF-8 and try again.",
            path=path,
        ) from None
    return _project_from_text(text, path)


def _project_from_text(text: str, path: str | None) -> tuple[Project, list[str]]:
    with gc_paused():
        data = parse_json(text.removeprefix("\ufeff"), path)  # tolerate a BOM from Notepad
        warnings: list[str] = []
        project = _Reader(path, warnings).project(data)
    return project, warnings


def dumps_project(project: Project) -> str:
    """JSON text of a project, ending with a newline.

    The result is checked by the reader first, so the app never writes a file
    it would refuse to open; an invalid project raises ProjectFileError.
    """
    return project_json(project).decode("utf-8")


def project_json(project: Project) -> bytes:
    """dumps_project as UTF-8 bytes, as files hold it."""
    data = project_to_dict(project)
    _Reader(None, []).project(data)  # which also refuses NaN and infinities
    # orjson writes what json.dumps(indent=2, ensure_ascii=False) writes, 20 times faster
    # (the same numbers, though a few in other notation: 0.00001 for 1e-05).
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


def write_project(project: Project, path: StrPath, *, replace_read_only: bool = False) -> None:
    """Write atomically: the old file stays untouched unless the new one is complete.

    A read-only file raises ReadOnlyFileError unless `replace_read_only`.
    """
    name = os.fspath(path)
    try:
        data = project_json(project)
    except ProjectFileError as error:
        raise with_path(error, name) from None
    write_atomically(name, data, replace_read_only=replace_read_only)


def project_from_dict_with_warnings(
    data: object, path: str | None = None
) -> tuple[Project, list[str]]:
    """A project from the parsed cx-mapper/1 form, checked as strictly as a JSON file.

    Other stores (the .cxmap file, the team store) turn their rows into this form
    so that every source of projects obeys the same rules and gives the same errors.
    """
    warnings: list[str] = []
    return _Reader(path, warnings).project(data), warnings


def check_project(project: Project, path: str | None = None) -> None:
    """Raise ProjectFileError if `project` would not read back (the app never writes such)."""
    _Reader(path, []).project(project_to_dict(project, images_as_bytes=True))


def with_path(error: ProjectFileError, path: str) -> ProjectFileError:
    """The same error, naming `path` as the file."""
    return ProjectFileError(
        error.reason, path=path, journey=error.journey, element=error.element,
        element_id=error.element_id, field=error.field,
    )


class _Reader:
    def __init__(self, path: str | None, warnings: list[str], *,
                 columns_of: str | None = None) -> None:
        self.path = path
        self.warnings = warnings
        self.content = ContentReader(path)
        self.image_ids: set[str] = set()
        #: The journey to read as columns ("" the first), and its columns once read.
        self.columns_of = columns_of
        self.columns: JourneyColumns | None = None
        self.document: object = None

    def project(self, data: object) -> Project:
        self.document = data
        where = Where(self.path, "project")
        if not isinstance(data, dict):
            raise where.error(None, f"the top level must be a JSON object {{...}}, "
                                    f"got {describe(data)}.")
        if "format" not in data:
            raise where.error("format", f'is missing; a project file has "format": "{FORMAT}".')
        if data["format"] != FORMAT:
            raise where.error("format", f"must be '{FORMAT}', got {describe(data['format'])}. "
                                        "Is this a CX Mapper project file, or from a newer "
                                        "version?")
        check_keys(data, PROJECT_KEYS, where)
        name = read_text(data, "name", where, DEFAULT_PROJECT_NAME)
        cost_unit = limited_text(data, "cost_unit", where, COST_UNIT_LIMIT)
        if "segments" in data:
            raw_segments = read_list(data, "segments", where)
            if not raw_segments:
                raise where.error("segments", "is empty; give at least one segment, or leave "
                                              "the key out to use the All consumers preset.")
            segments = [self.segment(raw, number)
                        for number, raw in enumerate(raw_segments, start=1)]
            check_unique([s.id for s in segments], "segment", where)
            segments = self.normalised(segments)
        else:
            segments = [ALL_CONSUMERS]
        images = self.content.images(data)
        self.image_ids = set(images)
        personas = self.content.personas(data, {s.id for s in segments}, self.image_ids)
        journeys = [self.journey(raw, number)
                    for number, raw in enumerate(read_list(data, "journeys", where), start=1)]
        check_unique([j.id for j in journeys], "journey", where)
        return Project(name=name, cost_unit=cost_unit, segments=segments, journeys=journeys,
                       personas=personas, images=images)

    def segment(self, raw: object, number: int) -> Segment:
        where = Where(self.path, "segment")
        obj = read_element(raw, number, where)
        check_keys(obj, _SEGMENT_KEYS, where)
        values: dict[str, Any] = {
            "id": where.element_id,
            "name": read_text(obj, "name", where, ""),
            "share": read_number(obj, "share", where, ALL_CONSUMERS.share,
                                 (SHARE_ABOVE, SHARE_MAX), above=True),
        }
        for key, limits in PARAMETER_RANGES.items():
            values[key] = read_number(obj, key, where, getattr(ALL_CONSUMERS, key), limits)
        return Segment(**values, evidence=read_evidence_set(obj, where, SEGMENT_LIMITS))

    def normalised(self, segments: list[Segment]) -> list[Segment]:
        total = math.fsum(s.share for s in segments)
        if abs(total - 1.0) <= SHARE_TOLERANCE:
            return segments
        where = f"{self.path}: " if self.path else ""
        self.warnings.append(f"{where}segment shares sum to {total:g}, not 1; "
                             "they were scaled to sum to 1.")
        return [replace(s, share=s.share / total) for s in segments]

    def journey(self, raw: object, number: int) -> Journey:
        where = Where(self.path, "journey")
        obj = read_element(raw, number, where)
        journey_id = where.element_id
        assert journey_id is not None
        where.journey = journey_id
        check_keys(obj, JOURNEY_KEYS, where)
        name = read_text(obj, "name", where, "")
        discount_rate = read_number(obj, "discount_rate", where, DEFAULT_DISCOUNT_RATE,
                                    JOURNEY_RANGES["discount_rate"])
        horizon = read_whole_number(obj, "horizon", where, DEFAULT_HORIZON,
                                    JOURNEY_RANGES["horizon"])
        conversions: float | None = None
        if obj.get("conversions") is not None:
            conversions = read_number(obj, "conversions", where, 0.0,
                                      JOURNEY_RANGES["conversions"])

        stages = [self.stage(raw_stage, n, journey_id)
                  for n, raw_stage in enumerate(read_list(obj, "stages", where), start=1)]
        check_unique([s.id for s in stages], "stage", where)
        channels = [Channel(*self.named(raw_channel, n, "channel", CHANNEL_KEYS, journey_id))
                    for n, raw_channel in enumerate(read_list(obj, "channels", where), start=1)]
        check_unique([c.id for c in channels], "channel", where)
        stage_ids = {s.id for s in stages}
        channel_ids = {c.id for c in channels}

        # A journey with opportunities is analysed with them patched in: as elements.
        wanted = (self.columns_of in (journey_id, "" if number == 1 else None)
                  and not obj.get("opportunities"))
        if self.columns_of is not None and wanted and discount_rate > 0:
            self.columns = self.journey_columns(journey_id, obj, where, stage_ids, channel_ids)
        touchpoints: dict[str, Touchpoint] = {}
        transitions: dict[TransitionKey, Transition] = {}
        if self.columns is not None and self.columns.journey_id == journey_id:
            # The analysis takes them as columns; the journey keeps its other parts.
            touchpoint_ids: Collection[str] = dict.fromkeys(self.columns.touchpoints["id"])
        else:
            touchpoints = self.touchpoints(read_list(obj, "touchpoints", where), journey_id,
                                           stage_ids, channel_ids)
            raw_transitions = read_list(obj, "transitions", where)
            quick = None if has_evidence(raw_transitions) else quick_transitions(
                raw_transitions, touchpoints)
            if quick is None and (split := without_evidence(raw_transitions)) is not None:
                quick = quick_transitions(split[0], touchpoints)
                if quick is not None:
                    quick = (with_transition_evidence(quick[0], split[1], self.path,
                                                      journey_id), quick[1])
            if quick is None:
                transitions, totals = self.transitions(raw_transitions, journey_id, touchpoints)
            else:
                transitions, totals = quick
            self.check_out_sums(transitions, totals, journey_id)
            touchpoint_ids = touchpoints
        lanes = self.content.lanes(obj, journey_id)
        lanes_above = self.content.lanes_above(obj, journey_id, len(lanes))
        notes = self.content.notes(obj, journey_id, {lane.id for lane in lanes}, stage_ids,
                                   touchpoint_ids, self.image_ids)
        opportunity_reader = OpportunityReader(
            self.path, journey_id, touchpoint_ids,
            lambda raw, n: self.touchpoint(raw, n, journey_id, stage_ids, channel_ids))
        opportunities = opportunity_reader.opportunities(obj)
        plan = opportunity_reader.plan(obj)

        return Journey(
            id=journey_id, name=name, discount_rate=discount_rate, horizon=horizon,
            conversions=conversions, stages=stages, channels=channels,
            touchpoints=touchpoints, transitions=transitions, lanes=lanes,
            lanes_above=lanes_above, notes=notes, opportunities=opportunities, plan=plan,
            variants=read_variants(obj, self.path, journey_id),
        )

    def touchpoints(self, raws: list[Any], journey_id: str, stage_ids: set[str],
                    channel_ids: set[str]) -> dict[str, Touchpoint]:
        """A journey's touchpoints, checked as a whole list or else one by one."""
        # Imports give every element evidence: the first says whether to look for it.
        touchpoints = None if has_evidence(raws) else quick_touchpoints(
            raws, stage_ids, channel_ids, self.image_ids)
        if touchpoints is None and (split := without_evidence(raws)) is not None:
            # Imported journeys carry evidence: the rest still reads fast, the evidence here.
            touchpoints = quick_touchpoints(split[0], stage_ids, channel_ids, self.image_ids)
            if touchpoints is not None:
                return with_touchpoint_evidence(touchpoints, split[1], self.path, journey_id)
        if touchpoints is not None:
            return touchpoints
        touchpoints = {}
        for n, raw_tp in enumerate(raws, start=1):
            tp = self.touchpoint(raw_tp, n, journey_id, stage_ids, channel_ids)
            if tp.id in touchpoints:
                raise duplicate("touchpoint", tp.id, Where(self.path, "journey", journey_id,
                                                           journey_id))
            touchpoints[tp.id] = tp
        return touchpoints

    def journey_columns(self, journey_id: str, obj: dict[str, Any], where: Where,
                        stage_ids: set[str], channel_ids: set[str]) -> JourneyColumns | None:
        return journey_columns(journey_id, obj, where, stage_ids, channel_ids,
                               self.image_ids, self.document)

    def transitions(
        self, raws: list[Any], journey_id: str, touchpoints: dict[str, Touchpoint]
    ) -> tuple[dict[TransitionKey, Transition], dict[str, float]]:
        """The transitions one by one, for a list the quick check could not vouch for."""
        transitions: dict[TransitionKey, Transition] = {}
        totals: dict[str, float] = {}
        for n, raw_tr in enumerate(raws, start=1):
            tr = self.transition(raw_tr, n, journey_id, touchpoints)
            if tr.key in transitions:
                raise Where(self.path, "transition", f"{tr.source} -> {tr.target}",
                             journey_id).error(
                    None, f"is listed twice; keep one transition from '{quoted(tr.source)}' "
                          f"to '{quoted(tr.target)}'.")
            transitions[tr.key] = tr
            totals[tr.source] = totals.get(tr.source, 0.0) + tr.probability
        return transitions, totals

    def check_out_sums(self, transitions: dict[TransitionKey, Transition],
                       totals: dict[str, float], journey_id: str) -> None:
        """No touchpoint's probabilities sum above 1. Sums near the limit are summed
        again exactly, as the message shows them (a plain sum errs by ~1e-16)."""
        near: dict[str, list[float]] = {source: [] for source, total in totals.items()
                if total > 1.0 + PROBABILITY_TOLERANCE - SUM_ERROR}
        if not near:
            return
        for transition in transitions.values():
            if transition.source in near:
                near[transition.source].append(transition.probability)
        for source, probabilities in near.items():  # in the order the file lists them
            total = math.fsum(probabilities)
            if total > 1.0 + PROBABILITY_TOLERANCE:
                raise Where(self.path, "touchpoint", source, journey_id).error(
                    "probability",
                    f"its transitions' probabilities sum to {total:.10g}, above 1; "
                    f"lower them by {total - 1.0:.10g} in all (the rest leaves the journey).")

    def stage(self, raw: object, number: int, journey: str) -> Stage:
        """A stage: an id, a name and, when an event log measured it, its times."""
        stage_id, name = self.named(raw, number, "stage", STAGE_KEYS, journey)
        assert isinstance(raw, dict)  # named() checked it
        times = quick_times(raw)
        if times is None:
            return Stage(stage_id, name, **read_times(raw, Where(
                self.path, "stage", stage_id, journey)))
        return Stage(stage_id, name, *times)

    def named(
        self, raw: object, number: int, element: str, keys: tuple[str, ...], journey: str
    ) -> tuple[str, str]:
        """A stage or a channel: an id and a name."""
        where = Where(self.path, element, journey=journey)
        obj = read_element(raw, number, where)
        check_keys(obj, keys, where)
        assert where.element_id is not None
        return where.element_id, read_text(obj, "name", where, "")

    def touchpoint(
        self, raw: object, number: int, journey: str,
        stage_ids: set[str], channel_ids: set[str],
    ) -> Touchpoint:
        quick = quick_touchpoint(raw, stage_ids, channel_ids, self.image_ids)
        if quick is not None:
            return quick
        where = Where(self.path, "touchpoint", journey=journey)
        obj = read_element(raw, number, where)
        check_keys(obj, _TOUCHPOINT_KEYS, where)
        defaults = Touchpoint(id="")
        values: dict[str, Any] = {
            "id": where.element_id,
            "name": read_text(obj, "name", where, ""),
            "stage": read_reference(obj, "stage", where, stage_ids),
            "channel": read_reference(obj, "channel", where, channel_ids),
            "conversion": read_flag(obj, "conversion", where, defaults.conversion),
            "notes": read_text(obj, "notes", where, ""),
            "image": self.content.image_reference(obj, where, self.image_ids),
        }
        for key, limits in TOUCHPOINT_RANGES.items():
            values[key] = read_number(obj, key, where, getattr(defaults, key), limits)
        for key, limits in OPTIONAL_TOUCHPOINT_RANGES.items():  # absent or null: None
            values[key] = None if obj.get(key) is None else read_number(obj, key, where, 0.0,
                                                                         limits)
        return Touchpoint(**values, evidence=read_evidence_set(obj, where, TOUCHPOINT_LIMITS))

    def transition(
        self, raw: object, number: int, journey: str, touchpoints: dict[str, Touchpoint]
    ) -> Transition:
        quick = quick_transition(raw, touchpoints)
        if quick is not None:
            return quick
        where = Where(self.path, "transition", journey=journey)
        if not isinstance(raw, dict):
            raise where.error(None, f"transition number {number} must be an object {{...}}, "
                                    f"got {describe(raw)}.")
        ends = []
        for key in ("from", "to"):
            if key not in raw:
                raise where.error(key, f"transition number {number} has no '{key}'; every "
                                       "transition needs 'from', 'to' and 'probability'.")
            ends.append(read_identifier(raw, key, where))
        source, target = ends
        where.element_id = f"{source} -> {target}"
        check_keys(raw, _TRANSITION_KEYS, where)
        for key, end in zip(("from", "to"), ends, strict=True):
            if end not in touchpoints:
                raise where.error(key, f"there is no touchpoint '{quoted(end)}' in this journey.")
        if "probability" not in raw:
            raise where.error("probability", "is missing; give the share of customers "
                                             "who take this transition, from 0 to 1.")
        probability = read_number(raw, "probability", where, 0.0,
                                  TRANSITION_RANGES["probability"])
        label = read_text(raw, "label", where, "")
        times = read_times(raw, where)
        return Transition(source, target, probability, label, time_median=times["time_median"],
                          time_p90=times["time_p90"],
                          evidence=read_transition_evidence(raw, where))
