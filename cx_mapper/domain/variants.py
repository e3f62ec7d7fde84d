"""Path variants: the most common paths customers took in an event log, kept with the
journey that was estimated or refreshed from it (FORMAT.md addition "variants").

A customer's path is their touchpoints in time order. With a conversion goal, the
path stops before the first goal event and the customer converted if they reached a
goal: a variant's conversion rate is then the share of its customers who went on to
convert, the way conversion-path (attribution) data counts them. With no goal, the
path is every event and there is no conversion rate.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

#: How the steps of a path are written for people: "Search > Email > Store".
STEP_SEPARATOR = " > "
#: How many variants an import keeps, most customers first.
DEFAULT_TOP = 20
#: A path longer than this many steps is shown with its middle left out.
SHOWN_STEPS = 8


@dataclass(frozen=True, slots=True)
class PathVariant:
    """One path and the customers who took it; `path` names touchpoints by id."""

    path: tuple[str, ...]
    customers: int
    share: float  # of all customers in the (filtered) log
    conversion_rate: float | None = None  # None: no goal was given

    def renamed(self, old: str, new: str) -> PathVariant:
        if old not in self.path:
            return self
        return replace(self, path=tuple(new if step == old else step for step in self.path))


def shown_path(names: Sequence[str], limit: int = SHOWN_STEPS) -> str:
    """A path in words; a long one keeps its first and last steps around a count of
    those left out ("A > B > C > … 12 more … > X > Y"), so the table stays readable.
    The full path is in the file and the JSON output."""
    if not names:
        return "(no touchpoint before the goal)"
    if len(names) <= limit:
        return STEP_SEPARATOR.join(names)
    head = (limit + 1) // 2
    tail = limit - head
    left_out = len(names) - head - tail
    return STEP_SEPARATOR.join([*names[:head], f"… {left_out:,} more …", *names[-tail:]])


def variant_names(variant: PathVariant, name_of: Callable[[str], str]) -> list[str]:
    """The variant's steps by name; `name_of` gives a touchpoint id's name."""
    return [name_of(step) for step in variant.path]


def percent(value: float | None) -> str:
    """A share or rate as people read it; "–" for none."""
    return "–" if value is None else f"{value:.1%}"
