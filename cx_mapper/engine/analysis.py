"""analyze(project, journey_id) -> Analysis: MODEL.md §1-11.

Each segment is solved on its own and yields additive figures (sums per entering
customer). Mixing (§11) is then a share-weighted sum of those, and every ratio
(loyalty, loyalty index, removal effects) is formed only afterwards from the mixed
numerator and denominator. A segment alone goes through the same path.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import Project, Segment
from cx_mapper.domain.quoting import quoted
from cx_mapper.domain.ranges import HORIZON_LIMIT, bound_words
from cx_mapper.domain.validation import CLOSED_LOOP, validate_journey
from cx_mapper.engine import attribution, sensitivity
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.engine.matrices import (
    Chain,
    FloatArray,
    SegmentChain,
    check_no_closed_loop,
    journey_chain,
    row_keep,
    row_sums,
    segment_chain,
    unroll,
)
from cx_mapper.engine.results import (
    Analysis,
    Generations,
    SegmentResult,
    Series,
    Totals,
    TouchpointFigures,
    read_only,
)
from cx_mapper.engine.series import series_arrays
from cx_mapper.engine.solver import DIRECT_LIMIT, ForwardSystem

Raw = dict[str, FloatArray]

#: A finite horizon is solved on touchpoints x (steps + 1) nodes: 400,000 (40 touchpoints,
#: 10,000 steps) took 3.2 s and 280 MB, so this bound keeps `--horizon` to about 15 s
#: and 1.5 GB whatever the journey.
UNROLLED_LIMIT = 2_000_000

_ADDITIVE_ARRAYS = (
    "visits", "loyalty_mass", "value", "exposure_positive", "exposure_negative",
    "exposure_private", "exposure_public", "referrals", "deterred",
)


def analyze(
    project: Project,
    journey_id: str | None = None,
    horizon: int | None = None,
    *,
    removal_limit: int = attribution.EXACT_LIMIT,
    validate: bool = True,
    read_checked: bool = False,
    chain: Chain | None = None,
) -> Analysis:
    """Analyse one journey of a project (the first when no id is given).

    `horizon` None is the infinite horizon; T counts steps 0..T. The time series runs
    to `horizon` when given, else to the journey's own horizon. Raises AnalysisError
    with the reason when the journey has errors or a closed loop without discount.
    `read_checked`: the project is as the strict reader gave it (validate_journey).
    `chain`: the journey's arrays (chain_of_columns) from a strict reader that found it
    analysable as it is (touchpoints, an entry, a discount): nothing is left to
    validate, and the journey object gives only its settings. Infinite horizon only.
    """
    if chain is None:
        journey = analysable_journey(project, journey_id, horizon, validate,
                                     read_checked=read_checked)
        base = journey_chain(journey)
    elif horizon is not None:
        raise ValueError("a journey given as arrays is analysed over the infinite horizon")
    else:
        journey, base = pick_journey(project, journey_id), chain
    work = unroll(base, horizon) if horizon is not None else base
    steps = journey.horizon if horizon is None else horizon
    shares = project.normalised_shares()
    has_conversion = bool(base.conversion.any())

    raws = [
        _segment_raw(base, work, segment, steps, removal_limit)
        for segment in project.segments
    ]
    worth = conversion_value(base, journey.conversions)
    segments = tuple(
        _segment_result(segment, share, raw, has_conversion, journey, worth)
        for segment, share, raw in zip(project.segments, shares, raws, strict=True)
    )
    mixed: Raw = {key: np.sum([share * raw[key] for share, raw in zip(shares, raws, strict=True)],
                              axis=0) for key in raws[0]}
    complete = all(bool(raw["removal_complete"][0]) for raw in raws)
    totals, figures = _figures(mixed, has_conversion, journey.conversions, complete, worth)
    notes: tuple[str, ...] = ()
    if not complete:
        computed = int(min(raw["removal_complete"][1] for raw in raws))
        notes = (
            f"Removal effects were computed for the {computed:,} busiest touchpoints "
            f"of {base.size:,}; the others are not shown (more than {removal_limit:,} "
            "touchpoints on loops), and conversions are not attributed: sharing them "
            "out needs every removal effect.",
        )
    notes += _scaled_rows_note(base, project)
    reached = np.isfinite(mixed["series_active"]) & np.isfinite(mixed["series_referred"])
    if not reached.all():
        notes += (
            f"Referrals grow so fast that the time series overflows after step "
            f"{int(np.argmin(reached)) - 1}; later steps are not shown.",
        )
    analysis = Analysis(
        journey_id=journey.id,
        horizon=horizon,
        ids=base.ids,
        totals=totals,
        generations=_generations(mixed),
        touchpoints=figures,
        series=_series(mixed),
        segments=segments,
        removal_effects_complete=complete,
        notes=notes,
    )
    check_finite_figures(analysis)
    return analysis


def analysable_journey(project: Project, journey_id: str | None, horizon: int | None,
                       validate: bool, purpose: str = "analyse", *,
                       read_checked: bool = False) -> Journey:
    """The journey to work on, or AnalysisError with the first error that blocks it."""
    journey = pick_journey(project, journey_id, purpose)
    if validate:
        errors = [p for p in validate_journey(journey, project.segments, errors_only=True,
                                              read_checked=read_checked)
                  if p.is_error
                  # Over a finite horizon a closed loop ends with the horizon.
                  and not (horizon is not None and p.code == CLOSED_LOOP)]
        if errors:
            more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
            raise AnalysisError(f"{errors[0].described(project)}{more}")
    if not project.segments:
        raise AnalysisError(f"The project has no segment to {purpose}.")
    if horizon is not None and horizon < 0:
        raise AnalysisError(f"The horizon must be 0 or more, got {horizon}.")
    if horizon is not None and horizon > HORIZON_LIMIT:
        raise AnalysisError(f"The horizon must be {bound_words(HORIZON_LIMIT)} steps or "
                            f"fewer, got {horizon:,}.")
    if horizon is not None and len(journey.touchpoints) * (horizon + 1) > UNROLLED_LIMIT:
        raise AnalysisError(
            f"A horizon of {horizon:,} steps over {len(journey.touchpoints):,} touchpoints "
            f"is too large to compute ({bound_words(UNROLLED_LIMIT)} touchpoint-steps at "
            "most); use a shorter horizon, or none for the infinite horizon.")
    return journey


def pick_journey(project: Project, journey_id: str | None, purpose: str = "analyse") -> Journey:
    """The journey with this id, or the first; AnalysisError naming the known ids."""
    if not project.journeys:
        raise AnalysisError(f"The project has no journey to {purpose}.")
    if journey_id is None:
        return project.journeys[0]
    try:
        return project.journey(journey_id)
    except KeyError:
        known = ", ".join(f"'{j.id}'" for j in project.journeys)
        raise AnalysisError(f"There is no journey '{journey_id}'. Journeys: {known}.") from None


def _segment_raw(
    base: Chain, work: Chain, segment: Segment, steps: int, removal_limit: int
) -> Raw:
    """One segment's additive figures, per touchpoint and in total."""
    seg = segment_chain(work, segment)
    if work.layers == 1:
        check_no_closed_loop(seg)
    k = seg.loyalty_step
    # An unrolled horizon is block triangular (no way back in time), so its LU has no
    # fill-in; an iterative solver needs about one sweep per layer instead, which made
    # `--horizon 10000` on a 40-touchpoint journey take 182 s (1.8 s by LU).
    limit = max(DIRECT_LIMIT, work.size) if work.layers > 1 else DIRECT_LIMIT
    visits_system = ForwardSystem(seg.steps, limit)
    loyalty_system = ForwardSystem(sp.csr_array(seg.steps @ sp.diags_array(1.0 - k)), limit)

    starts = np.column_stack([work.entry, work.referral_entry])
    v_both = visits_system.solve_rows(starts).reshape(work.size, 2)
    l0 = segment.initial_loyalty
    b_both = ((1.0 - k) * l0)[:, None] * starts + (k * work.satisfaction)[:, None] * v_both
    m_both = loyalty_system.solve_rows(b_both).reshape(work.size, 2)
    _check_finite(v_both, m_both, work)

    raw: Raw = {}
    per_start = [_word_of_mouth(seg, v_both[:, i], m_both[:, i]) for i in (0, 1)]
    for key in _ADDITIVE_ARRAYS:
        raw[key] = work.fold(per_start[0][key])
    grads = sensitivity.gradients(seg, visits_system, loyalty_system, v_both[:, 0], m_both[:, 0])
    for name, values in grads.items():
        raw[f"grad_{name}"] = work.fold(values)

    # Referral generations (§7): referred customers start at e and win R_e each.
    r, r_e = raw["referrals"].sum(), per_start[1]["referrals"].sum()
    growth = r_e >= 1.0
    multiplier = math.nan if growth else r / (1.0 - r_e)
    raw["generation"] = np.array([
        float(growth), r_e, multiplier,
        *(raw[key].sum() + multiplier * per_start[1][key].sum()
          for key in ("visits", "value", "exposure_positive", "exposure_negative")),
    ])

    base_seg = seg if work is base else segment_chain(base, segment)
    if base.conversion.any():
        result = attribution.conversion(base_seg, removal_limit)
        raw["conversion_probability"] = np.array([result.probability])
        raw["conversion_without"] = result.without
        raw["removal_complete"] = np.array([float(result.complete), result.computed])
    else:
        raw["removal_complete"] = np.array([1.0, base.size])
    for key, values in series_arrays(base_seg, steps).items():
        raw[f"series_{key}"] = values
    return raw


def _word_of_mouth(seg: SegmentChain, visits: FloatArray, mass: FloatArray) -> Raw:
    """Per-node value and exposure of one start vector (§5-7)."""
    nu = seg.chain.visibility
    talk = seg.tell_positive + seg.tell_negative
    public_reach = seg.segment.public_reach
    return {
        "visits": visits,
        "loyalty_mass": mass,
        "value": seg.chain.value * (visits + seg.segment.spend_uplift * mass),
        "exposure_positive": visits * seg.tell_positive * seg.reach,
        "exposure_negative": visits * seg.tell_negative * seg.reach,
        "exposure_private": visits * talk * (1.0 - nu),
        "exposure_public": visits * talk * nu * public_reach,
        "referrals": visits * seg.referral_yield,
        "deterred": visits * seg.segment.deterrence * seg.tell_negative * seg.trusted_reach,
    }


def _figures(raw: Raw, has_conversion: bool, conversions: float | None, complete: bool,
             worth: float | None = None) -> tuple[Totals, TouchpointFigures]:
    """Totals and per-touchpoint figures. Attributed conversions need every removal
    effect (MODEL.md §8): with only some computed they are all null, never the total
    shared out among the few."""
    visits = raw["visits"]
    mass = raw["loyalty_mass"]
    interactions = float(visits.sum())
    loyalty_index = float(mass.sum()) / interactions
    defined = visits > 1e-14 * max(float(visits.max()), 1e-300)
    loyalty = np.full(visits.shape, np.nan)
    np.divide(mass, visits, out=loyalty, where=defined)

    probability: float | None = None
    removal = attributed_conversions = attributed_value = None
    if has_conversion:
        probability = float(raw["conversion_probability"][0])
        removal = attribution.removal_effects(probability, raw["conversion_without"])
        total = probability if conversions is None else conversions
        attributed_conversions = read_only(
            attribution.attributed(removal, total) if complete
            else np.full(removal.shape, np.nan))
        # The conversions' worth shared out alike: null wherever conversions are.
        attributed_value = read_only(
            attribution.attributed(removal, worth) if complete and worth is not None
            else np.full(removal.shape, np.nan))
        removal = read_only(removal)

    exposure_positive = float(raw["exposure_positive"].sum())
    exposure_negative = float(raw["exposure_negative"].sum())
    totals = Totals(
        interactions=interactions,
        loyalty_index=loyalty_index,
        value=float(raw["value"].sum()),
        exposure_positive=exposure_positive,
        exposure_negative=exposure_negative,
        exposure_net=exposure_positive - exposure_negative,
        exposure_private=float(raw["exposure_private"].sum()),
        exposure_public=float(raw["exposure_public"].sum()),
        referral_r=float(raw["referrals"].sum()),
        deterred=float(raw["deterred"].sum()),
        conversion_probability=probability,
    )
    # d(Lambda) = (d sum M - Lambda d sum v) / sum v, from the mixed parts (§11).
    loyalty_gradient = (raw["grad_loyalty_mass"] - loyalty_index * raw["grad_interactions"])
    figures = TouchpointFigures(
        loyalty=read_only(loyalty),
        removal_effect=removal,
        attributed_conversions=attributed_conversions,
        attributed_value=attributed_value,
        sensitivity={
            "loyalty_index": read_only(loyalty_gradient / interactions),
            "value": read_only(raw["grad_value"].copy()),
            "exposure_net": read_only(raw["grad_exposure_net"].copy()),
            "referral_r": read_only(raw["grad_referral_r"].copy()),
        },
        **{key: read_only(raw[key].copy()) for key in _ADDITIVE_ARRAYS},
    )
    return totals, figures


def _generations(raw: Raw) -> Generations:
    growth, r_e, referred, interactions, value, positive, negative = raw["generation"]
    if growth > 0 or math.isnan(referred):
        return Generations(True, float(r_e), None, None, None, None, None)
    return Generations(False, float(r_e), float(referred), float(interactions), float(value),
                       float(positive), float(negative))


def _series(raw: Raw) -> Series:
    """Steps beyond an overflow (runaway referral growth) are NaN: shown as gaps."""
    raw = {key: np.where(np.isfinite(values), values, np.nan) if key.startswith("series_")
           else values for key, values in raw.items()}
    active = raw["series_active"]
    loyalty = np.full(active.shape, np.nan)
    np.divide(raw["series_loyalty_mass"], active, out=loyalty,
              where=(active > 1e-300) & np.isfinite(raw["series_loyalty_mass"]))
    return Series(
        step=np.arange(active.size, dtype=np.int64),
        active=read_only(active.copy()),
        loyalty=read_only(loyalty),
        exposure_positive=read_only(raw["series_exposure_positive"].copy()),
        exposure_negative=read_only(raw["series_exposure_negative"].copy()),
        referred=read_only(raw["series_referred"].copy()),
    )


def _segment_result(segment: Segment, share: float, raw: Raw, has_conversion: bool,
                    journey: Journey, worth: float | None = None) -> SegmentResult:
    totals, figures = _figures(raw, has_conversion, journey.conversions,
                               bool(raw["removal_complete"][0]), worth)
    return SegmentResult(
        segment_id=segment.id,
        name=segment.name,
        share=share,
        totals=totals,
        generations=_generations(raw),
        touchpoints=figures,
        series=_series(raw),
    )


def conversion_value(chain: Chain, conversions: float | None) -> float | None:
    """What the journey's conversions are worth, when it knows: its conversions are
    given and its goals share one value per conversion other than 0 (as an import of
    paths with values makes them). Otherwise None, and no value is attributed."""
    values = np.unique(chain.value[chain.conversion])
    if conversions is None or values.size != 1 or values[0] == 0:
        return None
    return float(conversions * values[0])


#: Figures that are NaN by definition somewhere: shown as null (results.py, FORMAT.md).
_MAY_BE_NULL = frozenset({"loyalty", "removal_effect", "attributed_conversions",
                          "attributed_value"})


def check_finite_figures(analysis: Analysis) -> None:
    """AnalysisError naming the first figure that is not a finite number.

    MODEL.md §3: never return inf or NaN. The ranges (domain/ranges.py, project.py) keep
    valid input far from overflow; this is the guard for what they cannot foresee (a
    nearly closed loop with a tiny discount), so no view, export or script meets one.
    Undefined figures stay NaN, shown as null: loyalty with no visits, removal effects
    of goals, time-series steps past a referral overflow, totals of a growing journey.
    """
    figures = analysis.touchpoints
    checks: list[tuple[str, float | FloatArray | None]] = [
        (name, getattr(analysis.totals, name)) for name in Totals.__dataclass_fields__]
    checks += [(name, getattr(analysis.generations, name))
               for name in Generations.__dataclass_fields__ if name != "growth"]
    for name in TouchpointFigures.__dataclass_fields__:
        values = getattr(figures, name)
        if name == "sensitivity":
            checks += [(f"sensitivity of {target}", array) for target, array in values.items()]
        elif values is not None:
            checks.append((name, values[~np.isnan(values)] if name in _MAY_BE_NULL else values))
    for name, value in checks:
        if value is not None and not np.isfinite(value).all():
            raise AnalysisError(
                f"Journey '{quoted(analysis.journey_id)}' could not be analysed: its "
                f"{name.replace('_', ' ')} is too large to compute. Lower the largest "
                "values, tell counts or public reach, or raise the discount rate.")


def _check_finite(visits: FloatArray, mass: FloatArray, chain: Chain) -> None:
    if not (np.isfinite(visits).all() and np.isfinite(mass).all()):
        raise AnalysisError(
            f"Journey '{chain.journey_id}' could not be solved: the visits are not finite. "
            "Check for a closed loop with no exit and set a discount rate above 0."
        )


def _scaled_rows_note(base: Chain, project: Project) -> tuple[str, ...]:
    """MODEL.md §2: a measured row that a higher satisfaction would lift above 1 is
    scaled to sum to 1, and the analysis says where."""
    if base.measured_satisfaction is None:
        return ()
    sums = row_sums(base.probabilities)
    scaled = np.zeros(base.size, bool)
    for segment in project.segments:
        scaled |= row_keep(segment.abandon_on_poor, base.satisfaction, base.measured, sums)[1]
    if not scaled.any():
        return ()
    names = [base.ids[i] for i in np.flatnonzero(scaled)]
    shown = ", ".join(f"'{quoted(name)}'" for name in names[:5])
    more = f" and {len(names) - 5:,} more" if len(names) > 5 else ""
    return (f"Measured flows out of {shown}{more} would add up to more than 1 at the "
            "raised satisfaction; they were scaled to add up to 1.",)
