"""Copy and paste of canvas selections through the system clipboard.

The clipboard carries a private MIME type holding JSON of the copied touchpoints
and the transitions between them, plus the names as plain text for other apps.
Reading is forgiving about what it cannot use (another version's extra fields)
and strict about what it can (a wrong type means nothing to paste).
"""

from __future__ import annotations

import atexit
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from typing import Any, cast

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QApplication

from cx_mapper.domain.content import Note
from cx_mapper.domain.evidence import TOUCHPOINT_EVIDENCE, Evidence, EvidenceSet, evidence_problem
from cx_mapper.domain.journey import Touchpoint, Transition

MIME_TYPE = "application/x-cx-mapper-selection"
FORMAT = "cx-mapper-selection/1"

_TEXT_FIELDS = frozenset({"id", "name", "notes"})
_REFERENCE_FIELDS = frozenset({"stage", "channel", "image"})
_FLAG_FIELDS = frozenset({"conversion"})
#: Numbers that may be absent: a copy of a measured row stays measured (MODEL.md §2).
_OPTIONAL_NUMBERS = frozenset({"measured_satisfaction"})


def _kinds(name: str) -> tuple[type, ...]:
    """The JSON types a touchpoint field may hold (numbers for all the rest)."""
    if name in _TEXT_FIELDS:
        return (str,)
    if name in _REFERENCE_FIELDS:
        return (str, type(None))
    if name in _FLAG_FIELDS:
        return (bool,)
    if name in _OPTIONAL_NUMBERS:
        return (int, float, type(None))
    return (int, float)


_TOUCHPOINT_TYPES = {f.name: _kinds(f.name) for f in fields(Touchpoint)}
_NOTE_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,), "lane": (str,), "stage": (str,), "text": (str,), "touchpoints": (list,),
    "image": (str, type(None)), "x": (int, float), "y": (int, float)}


@dataclass(frozen=True)
class Selection:
    """What was copied: touchpoints and the transitions among them, and notes."""

    touchpoints: tuple[Touchpoint, ...]
    transitions: tuple[Transition, ...]
    notes: tuple[Note, ...] = ()


def selection_of(touchpoints: Iterable[Touchpoint], transitions: Iterable[Transition],
                 notes: Iterable[Note] = ()) -> Selection:
    """Keep only the transitions whose both ends are among the touchpoints."""
    chosen = tuple(touchpoints)
    ids = {t.id for t in chosen}
    links = tuple(t for t in transitions if t.source in ids and t.target in ids)
    return Selection(chosen, links, tuple(notes))


def to_json(selection: Selection) -> str:
    return json.dumps({
        "format": FORMAT,
        "touchpoints": [{**asdict(t), "evidence": {k: e.keys() for k, e in t.evidence.items()}}
                        for t in selection.touchpoints],
        "transitions": [{**asdict(t), "evidence": t.evidence and t.evidence.keys()}
                        for t in selection.transitions],
        "notes": [asdict(n) for n in selection.notes],
    })


def _evidence(item: Any) -> Evidence:
    """Evidence as the files write it; TypeError unless it is sound."""
    if not isinstance(item, dict) or not isinstance(item.get("kind"), str):
        raise TypeError("bad evidence")
    numbers = {k: float(item[k]) for k in ("low", "high", "mode", "n", "sd") if k in item}
    evidence = Evidence(item["kind"], scale=str(item.get("scale", "linear")),
                        source=str(item.get("source", "")), **numbers)
    if evidence_problem(evidence) is not None:
        raise TypeError("bad evidence")
    return evidence


def from_json(text: str) -> Selection | None:
    """The selection in `text`, or None if it is not one this version can paste."""
    try:
        raw = json.loads(text)
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            return None
        touchpoints = tuple(_touchpoint(item) for item in raw["touchpoints"])
        transitions = tuple(
            Transition(str(item["source"]), str(item["target"]), float(item["probability"]),
                       str(item.get("label", "")),
                       evidence=_evidence(item["evidence"]) if item.get("evidence") else None)
            for item in raw.get("transitions", [])
        )
        notes = tuple(_note(item) for item in raw.get("notes", []))
    except (ValueError, TypeError, KeyError):
        return None
    return selection_of(touchpoints, transitions, notes) if touchpoints or notes else None


def _note(item: Any) -> Note:
    if not isinstance(item, dict):
        raise TypeError("a note is an object")
    values: dict[str, Any] = {}
    for name, value in item.items():
        kinds = _NOTE_TYPES.get(name)
        if kinds is None:
            continue  # a field from a newer version
        if not isinstance(value, kinds) or isinstance(value, bool):
            raise TypeError(f"bad {name}")
        if isinstance(value, list):
            if not all(isinstance(t, str) for t in value):
                raise TypeError("bad touchpoints")
            value = tuple(value)
        values[name] = float(value) if name in ("x", "y") else value
    return Note(**values)


def _touchpoint(item: Any) -> Touchpoint:
    if not isinstance(item, dict):
        raise TypeError("a touchpoint is an object")
    values: dict[str, Any] = {}
    for name, value in item.items():
        if name == "evidence" and isinstance(value, dict):
            values[name] = EvidenceSet.of({str(k): _evidence(e) for k, e in value.items()
                                           if k in TOUCHPOINT_EVIDENCE}, TOUCHPOINT_EVIDENCE)
            continue
        kinds = _TOUCHPOINT_TYPES.get(name)
        if kinds is None:
            continue  # a field from a newer version
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise TypeError(f"bad {name}")
        values[name] = float(cast(float, value)) if float in kinds and value is not None \
            else value
    return Touchpoint(**values)


def mime_data(selection: Selection) -> QMimeData:
    data = QMimeData()
    data.setData(MIME_TYPE, to_json(selection).encode("utf-8"))
    data.setText("\n".join([*(t.name or t.id for t in selection.touchpoints),
                            *(n.text for n in selection.notes)]))
    return data


def write(selection: Selection) -> None:
    """Put the selection on the system clipboard."""
    QApplication.clipboard().setMimeData(mime_data(selection))
    _clear_at_exit_when_offscreen()


_exit_hook_registered = False


def _clear_at_exit_when_offscreen() -> None:
    """Qt's offscreen clipboard crashes the interpreter at exit while it holds data set
    from Python (PySide6 6.11, segfault); emptying it first avoids that. A real desktop
    clipboard is left alone so what the user copied survives."""
    global _exit_hook_registered
    if _exit_hook_registered or QApplication.platformName() != "offscreen":
        return
    _exit_hook_registered = True

    def clear() -> None:
        if QApplication.instance() is not None:
            QApplication.clipboard().clear()

    atexit.register(clear)


def read() -> Selection | None:
    """The selection on the system clipboard, if it holds one."""
    data = QApplication.clipboard().mimeData()
    if data is None or not data.hasFormat(MIME_TYPE):
        return None
    return from_json(bytes(data.data(MIME_TYPE).data()).decode("utf-8", "replace"))
