"""One journey's touchpoints and transitions as checked columns, for `analyze` of a
JSON file: the engine's arrays straight from the file, without an object per element.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cx_mapper.domain.validation import PROBABILITY_TOLERANCE
from cx_mapper.persistence.json_checks import Where, read_list
from cx_mapper.persistence.json_quick import touchpoint_columns, transition_indices

if TYPE_CHECKING:  # only the analysis reads columns, and it has numpy loaded
    import numpy as np
    from numpy.typing import NDArray

#: A plain sum of a touchpoint's probabilities errs by far less than this; sums this
#: close to the limit are summed again exactly before a file is refused.
SUM_ERROR = 1e-12


@dataclass(frozen=True, eq=False)
class JourneyColumns:
    """One journey's touchpoints and transitions as columns, checked as strictly as
    the elements are, for an analysis that needs arrays, not an object per element
    (100,000 touchpoints and 500,000 transitions: 0.6 s of objects)."""

    journey_id: str
    touchpoints: dict[str, list[Any]]  # a list per field of TOUCHPOINT_FIELDS
    sources: NDArray[np.int64]  # each transition's ends, as positions in touchpoints
    targets: NDArray[np.int64]
    probabilities: NDArray[np.float64]
    #: The parsed file, which the columns' values belong to. Kept while they are:
    #: freeing millions of objects one by one took 0.3 s of a 5 s analysis.
    document: object


def journey_columns(journey_id: str, obj: dict[str, Any], where: Where, stage_ids: set[str],
                    channel_ids: set[str], image_ids: Any, document: object
                    ) -> JourneyColumns | None:
    """The columns of a journey that can be analysed as it is, or None: then the
    elements are read one by one, which phrases any refusal. Checked in the same
    order, so a file with two faults is refused for the same one."""
    import numpy as np

    touchpoints = touchpoint_columns(read_list(obj, "touchpoints", where), stage_ids,
                                     channel_ids, image_ids)
    if touchpoints is None or not [e for e in touchpoints["entry"] if e > 0]:
        return None
    ids = touchpoints["id"]
    moves = transition_indices(read_list(obj, "transitions", where),
                               {tid: i for i, tid in enumerate(ids)})
    if moves is None:
        return None
    sources, targets = (np.array(ends, dtype=np.int64) for ends in moves[:2])
    probabilities = np.array(moves[2], dtype=np.float64)
    pairs = np.sort(sources * len(ids) + targets)
    if (pairs[1:] == pairs[:-1]).any():  # a pair listed twice
        return None
    # No sum near the limit, which check_out_sums would sum again exactly. Each
    # source's plain sum, as bincount adds in the file's order.
    limit = 1.0 + PROBABILITY_TOLERANCE - SUM_ERROR
    if (np.bincount(sources, weights=probabilities, minlength=len(ids)) > limit).any():
        return None
    return JourneyColumns(journey_id, touchpoints, sources, targets, probabilities,
                          document)
