"""What every export of a journey shows, worked out once (Qt-free).

The analysis is the caller's (the app's analysis service, or `cx-mapper export`); this
adds what the summary, the workbook, the CSV files and the deck show beside it: each
opportunity's gains and the plan, when the journey has them, and the KPI intervals
when some of its figures carry evidence. It runs on a worker in the app, so it never
touches Qt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cx_mapper.domain.evidence import DEFAULT_SAMPLES
from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import Project
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.engine.plan_report import PlanFigures
from cx_mapper.engine.results import Analysis

if TYPE_CHECKING:  # the plan and the draws import scipy: only when there is one
    from cx_mapper.engine.plan import OpportunityGains, Plan
    from cx_mapper.engine.uncertainty import Uncertainty


@dataclass(frozen=True)
class ExportFigures:
    """A journey's analysis and what the exports show beside it."""

    project: Project
    analysis: Analysis
    date: dt.date
    #: Each opportunity's exact gains; None when the journey has none or none can count.
    gains: OpportunityGains | None = None
    #: The best plan for the journey's plan settings; None without settings.
    plan: Plan | None = None
    #: The uncertainty analysis with its defaults; None when no figure has evidence.
    uncertainty: Uncertainty | None = None

    @property
    def journey(self) -> Journey:
        return self.project.journey(self.analysis.journey_id)

    @property
    def plan_figures(self) -> PlanFigures | None:
        """What the summary page draws of the plan."""
        if self.plan is None or self.gains is None:
            return None
        return self.plan, self.gains.gains


def gather(project: Project, analysis: Analysis, *, date: dt.date | None = None,
           intervals: bool = True,
           progress: Callable[[float], None] | None = None) -> ExportFigures:
    """The analysis with the journey's opportunity gains, plan and (with `intervals`)
    the KPI intervals.

    A plan or an uncertainty analysis that cannot be made is left out (the export then
    shows the journey without it), as the summary leaves out a plan it cannot make.
    """
    tell = progress or (lambda _fraction: None)
    journey = project.journey(analysis.journey_id)
    gains = chosen = None
    if journey.opportunities:
        from cx_mapper.engine.plan import opportunity_gains, plan

        try:
            gains = opportunity_gains(project, journey.id)
            if journey.plan is not None:
                chosen = plan(project, journey.id, journey.plan.budget,
                              dict(journey.plan.objective))
        except AnalysisError:
            pass
    tell(0.3)
    found = (journey_intervals(project, journey.id, lambda f: tell(0.3 + 0.7 * f))
             if intervals and analysis.horizon is None else None)
    tell(1.0)
    return ExportFigures(project, analysis, date or dt.date.today(), gains, chosen, found)


def journey_intervals(project: Project, journey_id: str,
                      progress: Callable[[float], None] | None = None) -> Uncertainty | None:
    """The uncertainty analysis as every export shows it (1,000 draws, seed 0, as the
    app and `cx-mapper analyze --uncertainty` by default), or None when none of the
    journey's inputs carries evidence or the draws cannot be analysed (the export then
    shows the figures alone)."""
    if not has_evidence(project, project.journey(journey_id)):
        return None
    from cx_mapper.engine.uncertainty import uncertainty

    try:
        found = uncertainty(project, journey_id, DEFAULT_SAMPLES, 0, progress)
    except AnalysisError:
        return None
    return found if found.inputs else None


def has_evidence(project: Project, journey: Journey) -> bool:
    """Whether any figure the journey's analysis reads carries evidence."""
    return (any(segment.evidence for segment in project.segments)
            or any(t.evidence for t in journey.touchpoints.values())
            or any(t.evidence is not None for t in journey.transitions.values()))
