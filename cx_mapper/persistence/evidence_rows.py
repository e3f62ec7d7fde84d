"""The evidence table's rows (tables.py, schema 9), for `.cxmap` files and the team store.

Each entry is a row naming its element: a segment's parameter (journey ""), a
touchpoint's field, a transition's probability, or a field of a touchpoint an
opportunity adds. Read back, the rows are put into the cx-mapper/1 form, where the
JSON reader checks them by its rules and phrases any refusal as it does for a file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cx_mapper.domain.evidence import Evidence
from cx_mapper.domain.project import Project
from cx_mapper.domain.quoting import quoted
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.json_checks import object_of_pairs

SEGMENT, TOUCHPOINT, TRANSITION, ADDED_TOUCHPOINT = (
    "segment", "touchpoint", "transition", "added touchpoint")
#: The field a transition's one entry is stored under.
PROBABILITY = "probability"
#: The columns read back, after the element's place (journey_id, position first).
READ_COLUMNS = ("element", "element_id", "target", "field", "kind", "low", "high", "mode",
                "n", "sd", "scale", "source")

Row = tuple[Any, ...]


def evidence_rows(project: Project, project_id: int) -> list[Row]:
    """Every entry of the project, in table column order; `position` counts them all."""
    rows: list[Row] = []
    for place, evidence in _entries(project):
        rows.append((project_id, place[0], len(rows), *place[1:], *_values(evidence)))
    return rows


def _entries(project: Project) -> Iterator[tuple[tuple[str, str, str, str, str], Evidence]]:
    """((journey, element, element id, target, field), entry) for every entry."""
    for segment in project.segments:
        yield from ((("", SEGMENT, segment.id, "", name), e) for name, e in
                    segment.evidence.entries)
    for journey in project.journeys:
        j = journey.id
        for touchpoint in journey.touchpoints.values():
            yield from (((j, TOUCHPOINT, touchpoint.id, "", name), e) for name, e in
                        touchpoint.evidence.entries)
        for t in journey.transitions.values():
            if t.evidence is not None:
                yield (j, TRANSITION, t.source, t.target, PROBABILITY), t.evidence
        for opportunity in journey.opportunities:
            for added in opportunity.changes.add_touchpoints:
                yield from (((j, ADDED_TOUCHPOINT, opportunity.id, added.id, name), e)
                            for name, e in added.evidence.entries)


def _values(evidence: Evidence) -> Row:
    return (evidence.kind, evidence.low, evidence.high, evidence.mode, evidence.n, evidence.sd,
            evidence.scale, evidence.source)


def attach_evidence(rows: list[Row], segments: list[dict[str, Any]],
                    journeys: list[dict[str, Any]], source: str | None) -> None:
    """Put each row (journey_id, position, *READ_COLUMNS; in position order) into the
    cx-mapper/1 form of the project, as "evidence" of the element it names."""
    owners: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for segment in segments:
        owners.setdefault(("", SEGMENT, segment["id"], ""), segment)
    for journey in journeys:
        j = journey["id"]
        for touchpoint in journey["touchpoints"]:
            owners.setdefault((j, TOUCHPOINT, touchpoint["id"], ""), touchpoint)
        for transition in journey["transitions"]:
            owners.setdefault((j, TRANSITION, transition["from"], transition["to"]), transition)
        for opportunity in journey.get("opportunities", []):
            for added in opportunity.get("changes", {}).get("add_touchpoints", []):
                owners.setdefault((j, ADDED_TOUCHPOINT, opportunity["id"], added["id"]), added)
    by_owner: dict[tuple[str, str, str, str], list[tuple[str, dict[str, Any]]]] = {}
    for journey_id, _, element, element_id, target, field, *values in rows:
        key = (journey_id, element, element_id, target)
        if key not in owners or (element == TRANSITION) != (field == PROBABILITY):
            raise _stray(key, field, source)
        by_owner.setdefault(key, []).append((field, _entry(values)))
    for key, entries in by_owner.items():
        owner = owners[key]
        if key[1] == TRANSITION:
            owner["evidence"] = entries[0][1]
        else:  # a field twice is refused by the JSON reader's words, as in a file
            owner["evidence"] = object_of_pairs(entries)


def _entry(values: list[Any]) -> dict[str, Any]:
    """One row's entry as FORMAT.md writes it: the numbers it has, a log scale, a source."""
    kind, low, high, mode, n, sd, scale, source = values
    entry = {"kind": kind, **{name: value for name, value in
                              (("low", low), ("high", high), ("mode", mode), ("n", n),
                               ("sd", sd)) if value is not None}}
    if scale != "linear":
        entry["scale"] = scale
    if source != "":
        entry["source"] = source
    return entry


def _stray(key: tuple[str, str, str, str], field: object, source: str | None
           ) -> ProjectFileError:
    journey, element, element_id, target = key
    named = f"{element_id} -> {target}" if element == TRANSITION else (
        f"{target} of opportunity {element_id}" if element == ADDED_TOUCHPOINT else element_id)
    return ProjectFileError(
        f"is damaged: evidence for the field '{quoted(str(field))}' belongs to "
        f"{quoted(str(element))} '{quoted(str(named))}', which is not in it. "
        "Nothing was changed. Open a backup copy.", path=source,
        journey=str(journey) if journey else None)
