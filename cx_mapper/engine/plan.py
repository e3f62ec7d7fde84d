"""Opportunities' exact gains and the best plan for a budget (MODEL.md §12).

Gains are analysis(journey patched) minus analysis(journey), every KPI of analyze's
totals, computed by the batch evaluator (bundles_eval.py, batch.py). A plan maximises
an objective (one KPI or a weighted sum) over bundles within the budget and the
exclusions:

- up to EXACT_LIMIT usable opportunities, every bundle that respects the exclusions is
  evaluated exactly in one batch, so the plan and the frontier are proven optimal;
- beyond, plan_search.py: a MILP on the exact single and pairwise gains, its answer
  re-evaluated exactly and improved by local search, never worse than greedy-by-ratio.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from cx_mapper.domain.bundles import PatchError, apply_opportunities
from cx_mapper.domain.project import Project
from cx_mapper.domain.quoting import quoted
from cx_mapper.domain.validation import validate_journey
from cx_mapper.engine import plan_search
from cx_mapper.engine.analysis import analysable_journey
from cx_mapper.engine.batch import TOTAL_KEYS, Evaluator, single
from cx_mapper.engine.bundles_eval import Bundles, prepare
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.engine.matrices import FloatArray, journey_chain

#: Up to this many usable opportunities every bundle is evaluated (2^15 = 32,768).
EXACT_LIMIT = 15
DEFAULT_OBJECTIVE: dict[str, float] = {"value": 1.0}
#: Scores this close count as equal; the cheaper, then smaller, bundle wins.
TIE = 1e-9


@dataclass(frozen=True)
class OpportunityGains:
    base: dict[str, float]
    gains: dict[str, dict[str, float]]
    unusable: dict[str, str]


@dataclass(frozen=True)
class FrontierPoint:
    budget: float
    score: float
    chosen: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """The bundle to fund. `gap` (None when `optimal`): see plan_search.search."""

    journey_id: str
    budget: float
    objective: dict[str, float]
    chosen: tuple[str, ...]
    cost: float
    left: float
    score: float
    gains: dict[str, float]
    optimal: bool
    gap: float | None
    method: str
    frontier: tuple[FrontierPoint, ...]
    exclusions: tuple[tuple[str, str], ...]
    unusable: dict[str, str]
    greedy: tuple[str, ...]
    greedy_score: float
    #: the journey's totals without any opportunity (gains are changes from these)
    before: dict[str, float]


# -- objectives -------------------------------------------------------------------------------
def parse_objective(text: str) -> dict[str, float]:
    """"value=1,referral_r=50" -> weights; a bare key weighs 1. ValueError naming the bad part."""
    weights: dict[str, float] = {}
    parts = [part.strip() for part in text.split(",")]
    if not text.strip():
        raise ValueError(f"The objective is empty; name a figure, e.g. value=1 ({_known()}).")
    for part in parts:
        key, sep, weight_text = part.partition("=")
        key = key.strip()
        if key not in TOTAL_KEYS:
            raise ValueError(f"'{quoted(part)}' is no figure to plan for; use {_known()}.")
        try:
            weight = float(weight_text) if sep else 1.0
        except ValueError:
            weight = math.nan
        if not math.isfinite(weight):
            raise ValueError(f"'{quoted(part)}' needs a finite number as its weight, "
                             "e.g. value=1.")
        if key in weights:
            raise ValueError(f"'{quoted(key)}' is named twice in the objective.")
        weights[key] = weight
    return weights


def _known() -> str:
    return ", ".join(TOTAL_KEYS)


def objective_value(gains: dict[str, float], objective: dict[str, float]) -> float:
    """The weighted sum of the gains."""
    return float(sum(weight * gains.get(key, 0.0) for key, weight in objective.items()))


# -- gains --------------------------------------------------------------------------------------
def opportunity_gains(project: Project, journey_id: str | None = None,
                      horizon: int | None = None) -> OpportunityGains:
    """Each usable opportunity's exact gains alone; the others with why they cannot count."""
    bundles = prepare(project, journey_id, horizon)
    m = len(bundles.usable)
    gains: dict[str, dict[str, float]] = {}
    if m:
        totals, _ = bundles.totals(np.eye(m, dtype=bool))
        for opportunity, row in zip(bundles.usable, bundles.gains(totals), strict=True):
            gains[opportunity.id] = _as_dict(bundles, row)
    return OpportunityGains(_as_dict(bundles, bundles.base), gains, dict(bundles.unusable))


def bundle_gains(project: Project, journey_id: str | None, opportunity_ids: Any,
                 horizon: int | None = None) -> dict[str, float]:
    """Exact gains of a bundle, applied in the journey's list order; AnalysisError when an
    id is unknown or the patched journey cannot be analysed."""
    journey = analysable_journey(project, journey_id, horizon, True)
    wanted = set(opportunity_ids)
    known = {o.id for o in journey.opportunities}
    unknown = sorted(wanted - known)
    if unknown:
        raise AnalysisError(f"Journey '{quoted(journey.id)}' has no opportunity "
                            f"'{quoted(unknown[0])}'.")
    ordered = [o for o in journey.opportunities if o.id in wanted]
    try:
        patched = apply_opportunities(journey, ordered)
    except PatchError as error:
        raise AnalysisError(f"Opportunity '{quoted(error.opportunity_id)}': "
                            f"{error.message}") from None
    errors = validate_journey(patched, project.segments, errors_only=True)
    if horizon is not None:
        errors = [e for e in errors if e.code != "closed_loop"]
    if errors:
        raise AnalysisError(f"Together these opportunities leave the journey invalid: "
                            f"{errors[0].message}")
    shares = project.normalised_shares()
    before = _single_totals(journey_chain(journey), project, shares, horizon)
    after = _single_totals(journey_chain(patched), project, shares, horizon)
    if not np.isfinite(after[:-1]).all():
        raise AnalysisError("Together these opportunities leave a journey whose figures are "
                            "too large to compute.")
    has_goal = any(tp.conversion for tp in journey.touchpoints.values())
    keys = TOTAL_KEYS if has_goal else TOTAL_KEYS[:-1]
    return {key: float(after[i] - before[i]) for i, key in enumerate(TOTAL_KEYS) if key in keys}


def _single_totals(chain: Any, project: Project, shares: list[float],
                   horizon: int | None) -> FloatArray:
    evaluator = Evaluator(chain, project.segments, shares, horizon)
    totals: FloatArray = evaluator.totals(single(chain))[0]
    return totals


def _as_dict(bundles: Bundles, row: FloatArray) -> dict[str, float]:
    return {key: float(row[TOTAL_KEYS.index(key)]) for key in bundles.kpis}


# -- the plan -------------------------------------------------------------------------------------
def plan(project: Project, journey_id: str | None, budget: float,
         objective: dict[str, float] | None = None, horizon: int | None = None) -> Plan:
    """The bundle maximising the objective within the budget and the exclusions."""
    objective = dict(DEFAULT_OBJECTIVE if objective is None else objective)
    if isinstance(budget, bool) or not isinstance(budget, int | float) or not (
            math.isfinite(budget) and budget >= 0):
        raise AnalysisError(f"The budget must be a number of 0 or more, got {budget}.")
    budget = float(budget)
    journey = analysable_journey(project, journey_id, horizon, True, "plan")
    if not journey.opportunities:
        raise AnalysisError(f"Journey '{quoted(journey.id)}' has no opportunities to plan; "
                            "add some first.")
    bundles = prepare(project, journey.id, horizon)
    _check_objective(objective, bundles)
    weights = np.array([objective.get(key, 0.0) for key in TOTAL_KEYS])
    m = len(bundles.usable)

    def score_of(totals: FloatArray) -> FloatArray:
        gains = np.nan_to_num(bundles.gains(totals), nan=0.0)
        result: FloatArray = gains @ weights
        return result

    greedy_set = plan_search.greedy(bundles, score_of, budget)
    if m <= EXACT_LIMIT:
        found = plan_search.enumerate_all(bundles, score_of, budget)
    else:
        found = plan_search.search(bundles, score_of, budget, greedy_set)
    chosen = found.chosen
    totals, _ = bundles.totals(chosen[None, :])
    gains = _as_dict(bundles, bundles.gains(totals)[0])
    greedy_totals, _ = bundles.totals(greedy_set[None, :])
    ids = tuple(o.id for o, on in zip(bundles.usable, chosen, strict=True) if on)
    cost = float(bundles.costs[chosen].sum())
    return Plan(
        journey_id=journey.id, budget=budget, objective=objective, chosen=ids, cost=cost,
        left=budget - cost, score=float(score_of(totals)[0]), gains=gains,
        optimal=found.optimal, gap=found.gap, method=found.method,
        frontier=tuple(FrontierPoint(level, score, _ids(bundles, members))
                       for level, score, members in found.frontier),
        exclusions=tuple((bundles.usable[a].id, bundles.usable[b].id)
                         for a, b in bundles.excluded),
        unusable=dict(bundles.unusable),
        greedy=_ids(bundles, greedy_set),
        greedy_score=float(score_of(greedy_totals)[0]),
        before=_as_dict(bundles, bundles.base),
    )


def _ids(bundles: Bundles, members: Any) -> tuple[str, ...]:
    return tuple(o.id for o, on in zip(bundles.usable, members, strict=True) if on)


def _check_objective(objective: dict[str, float], bundles: Bundles) -> None:
    if not objective:
        raise AnalysisError("The objective is empty; name a figure to plan for, e.g. value=1.")
    for key, weight in objective.items():
        if key not in TOTAL_KEYS:
            raise AnalysisError(f"'{quoted(key)}' is no figure to plan for; use {_known()}.")
        if key not in bundles.kpis:
            raise AnalysisError(f"Journey '{quoted(bundles.journey.id)}' has no conversion "
                                "touchpoint, so conversion cannot be planned for.")
        if not math.isfinite(weight):
            raise AnalysisError(f"The weight of '{quoted(key)}' must be a finite number.")
