"""The `cx-mapper/1` JSON interchange: strict reading, full writing (FORMAT.md).

Reading is all or nothing: the whole file is checked before a Project is built,
and the first problem is raised as a ProjectFileError that names the file, the
journey, the element and the field.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import sys
from dataclasses import replace
from typing import Any, TypeGuard

from cx_mapper.domain.journey import (
    DEFAULT_DISCOUNT_RATE,
    DEFAULT_HORIZON,
    TOUCHPOINT_FIELDS,
    Channel,
    Journey,
    Stage,
    Touchpoint,
    Transition,
)
from cx_mapper.domain.project import ALL_CONSUMERS, PARAMETER_RANGES, Project, Segment
from cx_mapper.domain.validation import PROBABILITY_TOLERANCE
from cx_mapper.persistence.atomic import write_atomically
from cx_mapper.persistence.errors import ProjectFileError, reading_file

FORMAT = "cx-mapper/1"
DEFAULT_PROJECT_NAME = "Untitled project"

#: Shares whose sum is this close to 1 are kept as written, so files round trip exactly.
SHARE_TOLERANCE = 1e-9

StrPath = str | os.PathLike[str]
Range = tuple[float | None, float | None]

# Key order on export follows the example in FORMAT.md.
PROJECT_KEYS = ("format", "name", "segments", "journeys")
SEGMENT_KEYS = (
    "id", "name", "share",
    "tell_positive", "tell_negative", "public_reach", "trust_private", "trust_public",
    "referral_conversion", "deterrence", "spend_uplift", "abandon_on_poor",
    "memory", "initial_loyalty",
)
JOURNEY_KEYS = (
    "id", "name", "discount_rate", "horizon", "conversions",
    "stages", "channels", "touchpoints", "transitions",
)
STAGE_KEYS = ("id", "name")
CHANNEL_KEYS = ("id", "name")
TOUCHPOINT_KEYS = TOUCHPOINT_FIELDS
TRANSITION_KEYS = ("from", "to", "probability", "label")

#: MODEL.md "Elements"; None means unbounded. `value`, `x` and `y` only need to be finite.
TOUCHPOINT_RANGES: dict[str, Range] = {
    "satisfaction": (-1.0, 1.0),
    "visibility": (0.0, 1.0),
    "value": (None, None),
    "impact": (0.0, 1.0),
    "entry": (0.0, None),
    "referral_entry": (0.0, None),
    "x": (None, None),
    "y": (None, None),
}


# -- public API -------------------------------------------------------------------------
def read_project(path: StrPath) -> Project:
    """Read a cx-mapper/1 file. Raises ProjectFileError for anything not exactly right."""
    return read_project_with_warnings(path)[0]


def read_project_with_warnings(path: StrPath) -> tuple[Project, list[str]]:
    """Read a file and also return what was fixed on the way (e.g. shares scaled to sum to 1)."""
    name = os.fspath(path)
    with reading_file(name), open(name, "rb") as file:
        data = file.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProjectFileError(
            f"is not UTF-8 text (byte 0x{data[error.start]:02x} at position {error.start}); "
            "save it as UTF-8 and try again.",
            path=name,
        ) from None
    return loads_project_with_warnings(text, name)


def loads_project(text: str, path: str | None = None) -> Project:
    """Read a project from JSON text; `path` only names the source in errors."""
    return loads_project_with_warnings(text, path)[0]


def loads_project_with_warnings(text: str, path: str | None = None) -> tuple[Project, list[str]]:
    data = _parse_json(text.removeprefix("\ufeff"), path)  # tolerate a BOM from Notepad
    warnings: list[str] = []
    project = _Reader(path, warnings).project(data)
    return project, warnings


def project_to_dict(project: Project) -> dict[str, Any]:
    """The full form: every field written, so files are self-describing."""
    return {
        "format": FORMAT,
        "name": project.name,
        "segments": [_segment_to_dict(segment) for segment in project.segments],
        "journeys": [_journey_to_dict(journey) for journey in project.journeys],
    }


def dumps_project(project: Project) -> str:
    """JSON text of a project, ending with a newline.

    The result is checked by the reader first, so the app never writes a file
    it would refuse to open; an invalid project raises ProjectFileError.
    """
    data = project_to_dict(project)
    _Reader(None, []).project(data)
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_project(project: Project, path: StrPath) -> None:
    """Write atomically: the old file stays untouched unless the new one is complete."""
    name = os.fspath(path)
    try:
        data = dumps_project(project).encode("utf-8")
    except ProjectFileError as error:
        raise with_path(error, name) from None
    write_atomically(name, data)


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
    _Reader(path, []).project(project_to_dict(project))


def with_path(error: ProjectFileError, path: str) -> ProjectFileError:
    """The same error, naming `path` as the file."""
    return ProjectFileError(
        error.reason, path=path, journey=error.journey, element=error.element,
        element_id=error.element_id, field=error.field,
    )


# -- writing ----------------------------------------------------------------------------
def _out(value: Any) -> Any:
    """A value as written: -0.0 becomes 0.0.

    They are equal, and a .cxmap cannot keep the sign (SQLite stores whole REAL
    values as integers), so every format writes the same text for the same project.
    """
    return 0.0 if type(value) is float and value == 0.0 else value


def _segment_to_dict(segment: Segment) -> dict[str, Any]:
    return {key: _out(getattr(segment, key)) for key in SEGMENT_KEYS}


def _journey_to_dict(journey: Journey) -> dict[str, Any]:
    return {
        "id": journey.id,
        "name": journey.name,
        "discount_rate": _out(journey.discount_rate),
        "horizon": journey.horizon,
        "conversions": _out(journey.conversions),
        "stages": [{"id": s.id, "name": s.name} for s in journey.stages],
        "channels": [{"id": c.id, "name": c.name} for c in journey.channels],
        "touchpoints": [
            {key: _out(getattr(tp, key)) for key in TOUCHPOINT_KEYS}
            for tp in journey.touchpoints.values()
        ],
        "transitions": [
            {"from": t.source, "to": t.target, "probability": _out(t.probability),
             "label": t.label}
            for t in journey.transitions.values()
        ],
    }


# -- reading ----------------------------------------------------------------------------
class _JsonObject(dict[str, Any]):
    """A JSON object that remembers keys it saw twice (json keeps only the last)."""

    duplicate_keys: tuple[str, ...] = ()


def _object_pairs(pairs: list[tuple[str, Any]]) -> _JsonObject:
    obj = _JsonObject()
    duplicates = []
    for key, value in pairs:
        if key in obj:
            duplicates.append(key)
        obj[key] = value
    if duplicates:
        obj.duplicate_keys = tuple(duplicates)
    return obj


def _parse_json(text: str, path: str | None) -> object:
    try:
        # NaN and Infinity parse to floats here and are refused with their location later.
        return json.loads(text, object_pairs_hook=_object_pairs)
    except json.JSONDecodeError as error:
        raise ProjectFileError(
            f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}.",
            path=path,
        ) from None
    except (ValueError, RecursionError) as error:
        raise ProjectFileError(f"is not valid JSON: {error}.", path=path) from None


class _Where:
    """The element being read, so that every error says where it is."""

    def __init__(
        self,
        path: str | None,
        element: str,
        element_id: str | None = None,
        journey: str | None = None,
    ) -> None:
        self.path = path
        self.element = element
        self.element_id = element_id
        self.journey = journey

    def error(self, field: str | None, reason: str) -> ProjectFileError:
        return ProjectFileError(
            reason, path=self.path, journey=self.journey, element=self.element,
            element_id=self.element_id, field=field,
        )


class _Reader:
    def __init__(self, path: str | None, warnings: list[str]) -> None:
        self.path = path
        self.warnings = warnings

    def project(self, data: object) -> Project:
        where = _Where(self.path, "project")
        if not isinstance(data, dict):
            raise where.error(None, f"the top level must be a JSON object {{...}}, "
                                    f"got {_describe(data)}.")
        if "format" not in data:
            raise where.error("format", f'is missing; a project file has "format": "{FORMAT}".')
        if data["format"] != FORMAT:
            raise where.error("format", f"must be '{FORMAT}', got {_describe(data['format'])}. "
                                        "Is this a CX Mapper project file, or from a newer "
                                        "version?")
        _check_keys(data, PROJECT_KEYS, where)
        name = _text(data, "name", where, DEFAULT_PROJECT_NAME)
        if "segments" in data:
            raw_segments = _list(data, "segments", where)
            if not raw_segments:
                raise where.error("segments", "is empty; give at least one segment, or leave "
                                              "the key out to use the All consumers preset.")
            segments = [self.segment(raw, number)
                        for number, raw in enumerate(raw_segments, start=1)]
            _check_unique([s.id for s in segments], "segment", where)
            segments = self.normalised(segments)
        else:
            segments = [ALL_CONSUMERS]
        journeys = [self.journey(raw, number)
                    for number, raw in enumerate(_list(data, "journeys", where), start=1)]
        _check_unique([j.id for j in journeys], "journey", where)
        return Project(name=name, segments=segments, journeys=journeys)

    def segment(self, raw: object, number: int) -> Segment:
        where = _Where(self.path, "segment")
        obj = _element(raw, number, where)
        _check_keys(obj, SEGMENT_KEYS, where)
        values: dict[str, Any] = {
            "id": where.element_id,
            "name": _text(obj, "name", where, ""),
            "share": _number(obj, "share", where, ALL_CONSUMERS.share, (0.0, None), above=True),
        }
        for key, limits in PARAMETER_RANGES.items():
            values[key] = _number(obj, key, where, getattr(ALL_CONSUMERS, key), limits)
        return Segment(**values)

    def normalised(self, segments: list[Segment]) -> list[Segment]:
        total = math.fsum(s.share for s in segments)
        if abs(total - 1.0) <= SHARE_TOLERANCE:
            return segments
        where = f"{self.path}: " if self.path else ""
        self.warnings.append(f"{where}segment shares sum to {total:g}, not 1; "
                             "they were scaled to sum to 1.")
        return [replace(s, share=s.share / total) for s in segments]

    def journey(self, raw: object, number: int) -> Journey:
        where = _Where(self.path, "journey")
        obj = _element(raw, number, where)
        journey_id = where.element_id
        assert journey_id is not None
        where.journey = journey_id
        _check_keys(obj, JOURNEY_KEYS, where)
        name = _text(obj, "name", where, "")
        discount_rate = _number(obj, "discount_rate", where, DEFAULT_DISCOUNT_RATE, (0.0, None))
        horizon = _whole_number(obj, "horizon", where, DEFAULT_HORIZON)
        conversions: float | None = None
        if obj.get("conversions") is not None:
            conversions = _number(obj, "conversions", where, 0.0, (0.0, None))

        stages = [Stage(*self.named(raw_stage, n, "stage", STAGE_KEYS, journey_id))
                  for n, raw_stage in enumerate(_list(obj, "stages", where), start=1)]
        _check_unique([s.id for s in stages], "stage", where)
        channels = [Channel(*self.named(raw_channel, n, "channel", CHANNEL_KEYS, journey_id))
                    for n, raw_channel in enumerate(_list(obj, "channels", where), start=1)]
        _check_unique([c.id for c in channels], "channel", where)
        stage_ids = {s.id for s in stages}
        channel_ids = {c.id for c in channels}

        touchpoints: dict[str, Touchpoint] = {}
        for n, raw_tp in enumerate(_list(obj, "touchpoints", where), start=1):
            tp = self.touchpoint(raw_tp, n, journey_id, stage_ids, channel_ids)
            if tp.id in touchpoints:
                raise _duplicate("touchpoint", tp.id, where)
            touchpoints[tp.id] = tp

        transitions: dict[tuple[str, str], Transition] = {}
        out_sums: dict[str, list[float]] = {}
        for n, raw_tr in enumerate(_list(obj, "transitions", where), start=1):
            tr = self.transition(raw_tr, n, journey_id, touchpoints)
            if tr.key in transitions:
                raise _Where(self.path, "transition", f"{tr.source} -> {tr.target}",
                             journey_id).error(
                    None, f"is listed twice; keep one transition from '{tr.source}' "
                          f"to '{tr.target}'.")
            transitions[tr.key] = tr
            out_sums.setdefault(tr.source, []).append(tr.probability)
        for source, probabilities in out_sums.items():
            total = math.fsum(probabilities)
            if total > 1.0 + PROBABILITY_TOLERANCE:
                raise _Where(self.path, "touchpoint", source, journey_id).error(
                    "probability",
                    f"its transitions' probabilities sum to {total:.10g}, above 1; "
                    f"lower them by {total - 1.0:.10g} in all (the rest leaves the journey).")

        return Journey(
            id=journey_id, name=name, discount_rate=discount_rate, horizon=horizon,
            conversions=conversions, stages=stages, channels=channels,
            touchpoints=touchpoints, transitions=transitions,
        )

    def named(
        self, raw: object, number: int, element: str, keys: tuple[str, ...], journey: str
    ) -> tuple[str, str]:
        """A stage or a channel: an id and a name."""
        where = _Where(self.path, element, journey=journey)
        obj = _element(raw, number, where)
        _check_keys(obj, keys, where)
        assert where.element_id is not None
        return where.element_id, _text(obj, "name", where, "")

    def touchpoint(
        self, raw: object, number: int, journey: str,
        stage_ids: set[str], channel_ids: set[str],
    ) -> Touchpoint:
        quick = _quick_touchpoint(raw, stage_ids, channel_ids)
        if quick is not None:
            return quick
        where = _Where(self.path, "touchpoint", journey=journey)
        obj = _element(raw, number, where)
        _check_keys(obj, TOUCHPOINT_KEYS, where)
        defaults = Touchpoint(id="")
        values: dict[str, Any] = {
            "id": where.element_id,
            "name": _text(obj, "name", where, ""),
            "stage": _reference(obj, "stage", where, stage_ids),
            "channel": _reference(obj, "channel", where, channel_ids),
            "conversion": _flag(obj, "conversion", where, defaults.conversion),
            "notes": _text(obj, "notes", where, ""),
        }
        for key, limits in TOUCHPOINT_RANGES.items():
            values[key] = _number(obj, key, where, getattr(defaults, key), limits)
        return Touchpoint(**values)

    def transition(
        self, raw: object, number: int, journey: str, touchpoints: dict[str, Touchpoint]
    ) -> Transition:
        quick = _quick_transition(raw, touchpoints)
        if quick is not None:
            return quick
        where = _Where(self.path, "transition", journey=journey)
        if not isinstance(raw, dict):
            raise where.error(None, f"transition number {number} must be an object {{...}}, "
                                    f"got {_describe(raw)}.")
        ends = []
        for key in ("from", "to"):
            if key not in raw:
                raise where.error(key, f"transition number {number} has no '{key}'; every "
                                       "transition needs 'from', 'to' and 'probability'.")
            ends.append(_identifier(raw, key, where))
        source, target = ends
        where.element_id = f"{source} -> {target}"
        _check_keys(raw, TRANSITION_KEYS, where)
        for key, end in zip(("from", "to"), ends, strict=True):
            if end not in touchpoints:
                raise where.error(key, f"there is no touchpoint '{end}' in this journey.")
        if "probability" not in raw:
            raise where.error("probability", "is missing; give the share of customers "
                                             "who take this transition, from 0 to 1.")
        probability = _number(raw, "probability", where, 0.0, (0.0, 1.0))
        label = _text(raw, "label", where, "")
        return Transition(source, target, probability, label)


# -- the common case, fast ------------------------------------------------------------
# Large journeys have tens of thousands of touchpoints and transitions. These accept
# exactly the elements the full checks below accept, when every value already has
# its final type; anything else (an int for a float, a missing id, a bad value)
# returns None and goes to the full checks, which give the message.
_TOUCHPOINT_KEY_SET = frozenset(TOUCHPOINT_KEYS)
_TRANSITION_KEY_SET = frozenset(TRANSITION_KEYS)
_TOUCHPOINT_DEFAULTS = Touchpoint(id="")
_TOUCHPOINT_NUMBERS: tuple[tuple[str, float, float, float], ...] = tuple(
    (key, getattr(_TOUCHPOINT_DEFAULTS, key),
     -sys.float_info.max if low is None else low,  # finite bounds also refuse +-inf
     sys.float_info.max if high is None else high)
    for key, (low, high) in TOUCHPOINT_RANGES.items()
)


def _plain_text(value: object) -> bool:
    """A str that UTF-8 can hold (no lone surrogates)."""
    if type(value) is not str:
        return False
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _plain_object(raw: object, keys: frozenset[str]) -> TypeGuard[dict[str, Any]]:
    """A dict with known keys, none given twice."""
    if type(raw) is not dict and not (isinstance(raw, _JsonObject) and not raw.duplicate_keys):
        return False
    return keys.issuperset(raw)


def _quick_touchpoint(
    raw: object, stage_ids: set[str], channel_ids: set[str]
) -> Touchpoint | None:
    if not _plain_object(raw, _TOUCHPOINT_KEY_SET):
        return None
    get = raw.get
    touchpoint_id, name, notes = get("id"), get("name", ""), get("notes", "")
    if not (touchpoint_id and _plain_text(touchpoint_id) and _plain_text(name)
            and _plain_text(notes)):
        return None
    stage, channel, conversion = get("stage"), get("channel"), get("conversion", False)
    if stage is not None and not (type(stage) is str and stage in stage_ids):
        return None
    if channel is not None and not (type(channel) is str and channel in channel_ids):
        return None
    if type(conversion) is not bool:
        return None
    numbers: dict[str, float] = {}
    for key, default, low, high in _TOUCHPOINT_NUMBERS:
        value = get(key, default)
        if type(value) is not float or not low <= value <= high:  # NaN fails too
            return None
        numbers[key] = value
    return Touchpoint(id=touchpoint_id, name=name, stage=stage, channel=channel,
                      conversion=conversion, notes=notes, **numbers)


def _quick_transition(raw: object, touchpoints: dict[str, Touchpoint]) -> Transition | None:
    if not _plain_object(raw, _TRANSITION_KEY_SET):
        return None
    source, target = raw.get("from"), raw.get("to")
    probability, label = raw.get("probability"), raw.get("label", "")
    # Touchpoint ids were checked already: being one is being a valid id.
    if not (type(source) is str and source in touchpoints
            and type(target) is str and target in touchpoints):
        return None
    if type(probability) is not float or not 0.0 <= probability <= 1.0:
        return None
    if not _plain_text(label):
        return None
    return Transition(source, target, probability, label)


# -- field checks -----------------------------------------------------------------------
def _element(raw: object, number: int, where: _Where) -> dict[str, Any]:
    """An element's object with its id read first, so later errors can name it."""
    if not isinstance(raw, dict):
        raise where.error(None, f"{where.element} number {number} must be an object {{...}}, "
                                f"got {_describe(raw)}.")
    if "id" not in raw:
        raise where.error("id", f"{where.element} number {number} has no id; "
                                f"every {where.element} needs one.")
    where.element_id = _identifier(raw, "id", where)
    return raw


def _identifier(obj: dict[str, Any], key: str, where: _Where) -> str:
    value = obj[key]
    if not isinstance(value, str) or not value:
        raise where.error(key, f"must be a non-empty text, got {_describe(value)}.")
    _check_encodable(value, key, where)
    return value


def _check_keys(obj: dict[str, Any], allowed: tuple[str, ...], where: _Where) -> None:
    duplicates = getattr(obj, "duplicate_keys", ())
    if duplicates:
        raise where.error(duplicates[0], "is given twice; keep one.")
    for key in obj:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else (
                "the known fields are " + ", ".join(allowed) + ".")
            raise where.error(key, f"is not a field of a {where.element}; {hint}")


def _check_unique(ids: list[str], element: str, where: _Where) -> None:
    seen: set[str] = set()
    for element_id in ids:
        if element_id in seen:
            raise _duplicate(element, element_id, where)
        seen.add(element_id)


def _duplicate(element: str, element_id: str, where: _Where) -> ProjectFileError:
    journey = where.journey if element != "journey" else None
    return _Where(where.path, element, element_id, journey).error(
        "id", f"the id '{element_id}' is used by two {element}s; give each its own id.")


def _list(obj: dict[str, Any], key: str, where: _Where) -> list[Any]:
    value = obj.get(key, [])
    if not isinstance(value, list):
        raise where.error(key, f"must be a list [...], got {_describe(value)}.")
    return value


def _text(obj: dict[str, Any], key: str, where: _Where, default: str) -> str:
    value = obj.get(key, default)
    if not isinstance(value, str):
        raise where.error(key, f"must be a text, got {_describe(value)}.")
    _check_encodable(value, key, where)
    return value


def _check_encodable(value: str, key: str, where: _Where) -> None:
    # A lone "\ud800" escape is valid JSON but cannot be written back as UTF-8.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise where.error(key, "contains an invalid character (a lone surrogate "
                               "escape such as \\ud800); remove it.") from None


def _reference(obj: dict[str, Any], key: str, where: _Where, declared: set[str]) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise where.error(key, f"must be the id of a {key} or null, got {_describe(value)}.")
    if value not in declared:
        raise where.error(key, f"there is no {key} '{value}' in this journey; "
                               f"add it to the journey's {key}s or use null.")
    return value


def _flag(obj: dict[str, Any], key: str, where: _Where, default: bool) -> bool:
    value = obj.get(key, default)
    if not isinstance(value, bool):
        raise where.error(key, f"must be true or false, got {_describe(value)}.")
    return value


def _number(
    obj: dict[str, Any], key: str, where: _Where, default: float, limits: Range,
    *, above: bool = False,
) -> float:
    """A finite number within `limits` (inclusive; `above` makes the low end exclusive)."""
    value = obj.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise where.error(key, f"must be a number, got {_describe(value)}.")
    try:
        number = float(value)
    except OverflowError:
        raise where.error(key, "is too large a number.") from None
    if not math.isfinite(number):
        raise where.error(key, f"must be a finite number, got {_describe(value)}.")
    low, high = limits
    too_low = low is not None and (number <= low if above else number < low)
    too_high = high is not None and number > high
    if too_low or too_high:
        raise where.error(key, f"must be {_range_words(low, high, above)}, "
                               f"got {_describe(value)}.")
    return number


def _whole_number(obj: dict[str, Any], key: str, where: _Where, default: int) -> int:
    value = obj.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise where.error(key, f"must be a whole number, got {_describe(value)}.")
    if value < 0:
        raise where.error(key, f"must be 0 or more, got {value}.")
    return value


def _range_words(low: float | None, high: float | None, above: bool) -> str:
    if low is not None and high is not None:
        return f"between {low:g} and {high:g}"
    if low is not None:
        return f"above {low:g}" if above else f"{low:g} or more"
    return f"{high:g} or less"


def _describe(value: object) -> str:
    """A value as the file shows it, short enough for one line."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else json.dumps(value)  # NaN, Infinity
    if isinstance(value, int):
        return str(value) if value.bit_length() < 64 else "a huge number"
    try:
        shown = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + '..."'
