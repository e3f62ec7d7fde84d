"""Why a journey cannot be analysed, importable without numpy or scipy.

The command line catches these on every command, and most commands never analyse;
keeping them apart from the matrices spares those commands scipy's start-up.
"""

from __future__ import annotations

from cx_mapper.domain.quoting import quoted
from cx_mapper.domain.validation import loop_path


class AnalysisError(ValueError):
    """The journey cannot be analysed; the message says why and what to do."""


class SingularJourneyError(AnalysisError):
    """A closed loop with no exit and no discount: the visits would be infinite."""

    def __init__(self, journey_id: str, loop: list[str]) -> None:
        self.journey_id = journey_id
        self.loop = loop
        # Ids are anyone's text: escaped as every message shows them (domain/quoting.py).
        super().__init__(
            f"Journey '{quoted(journey_id)}' has a closed loop with no exit: "
            f"{loop_path(loop)}. Customers can "
            "never leave it, so with a discount rate of 0 their visits never end. Add an exit "
            "(lower a probability below 100%) or set a discount rate above 0."
        )
