"""Path variants of an event log: the most common paths, their share and conversion rate.

Standard SQL (DuckDB and PostgreSQL) over a table or view `events(customer, ts,
touchpoint, score, public, revenue, stage, channel, seq)`, the one the aggregation
reads. A customer's path is their touchpoints ordered by (ts, seq); with goals
(touchpoint names that count as conversion), it stops before their first goal event
and the customer converted when there is one (domain/variants.py). Steps are the
touchpoints' numbers in order of first appearance, the order the estimated
journey lists them in, so a path is one short string to group by and no name can
be mistaken for a separator.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.variants import DEFAULT_TOP as DEFAULT_TOP
from cx_mapper.domain.variants import PathVariant
from cx_mapper.persistence.csv_source import Execute, Fetch
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.sql_text import column_list, printable, quote_text


@dataclass(frozen=True)
class Goals:
    """Touchpoint names that count as conversion (compared ignoring case and outer
    spaces). `required`: a name the log does not have is an error (a goal the user
    typed), not a drawn goal the data happens not to reach."""

    names: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True)
class LogVariants:
    """The top variants and what they are a part of."""

    variants: tuple[PathVariant, ...]
    customers: int  # all customers in the (filtered) log
    total_variants: int  # how many different paths there are
    goals: tuple[str, ...] = ()  # the goal touchpoints' ids found in the log

    @property
    def covered(self) -> float:
        """The share of customers whose path is one of the top variants."""
        return sum(v.share for v in self.variants)


def goal_sql(goals: Collection[str]) -> str:
    """A boolean expression over `touchpoint`: whether the event is a goal."""
    names = sorted({name.strip().lower() for name in goals if name.strip()})
    if not names:
        return "FALSE"
    return f"lower(TRIM(touchpoint)) IN ({', '.join(quote_text(n) for n in names)})"


#: The most touchpoints whose numbers a query lists (paths_sql's `steps`).
LISTED_STEPS = 1000


def paths_sql(events: str, goals: Collection[str] = (), order: str = "ts, seq",
              steps: Sequence[str] | None = None) -> str:
    """`(customer, path, converted)`, one row per customer of `events`: the path as the
    array of the steps' numbers (NULL when the first event is a goal), converted 1
    when the customer reached a goal. ARRAY_AGG with ORDER BY took half the time of
    STRING_AGG of the numbers as text (DuckDB, 1M events), and needs no parsing.
    `order` puts a customer's events in order: "rank" when `events` is a table of
    event_queries.ordered_sql's rows, whose one number sorts faster than two.
    `steps`: the touchpoints in order of first appearance, when the caller knows them
    (listed_steps), instead of working the order out from `events` again."""
    goal = goal_sql(goals)
    if steps:
        numbers = ("SELECT * FROM (VALUES " + ", ".join(
            f"({quote_text(name)}, {number})" for number, name in enumerate(steps, 1))
            + ") AS v(touchpoint, step)")
    else:
        numbers = (f"SELECT touchpoint, ROW_NUMBER() OVER (ORDER BY MIN(seq)) AS step "
                   f"FROM {events} GROUP BY touchpoint")
    columns = [c.strip() for c in order.split(",")]
    in_order = ", ".join(f"e.{c}" for c in columns)
    if goal == "FALSE":  # no goal: every event is a step, and nobody converts
        return (f"SELECT e.customer, ARRAY_AGG(n.step ORDER BY {in_order}) AS path, "
                f"0 AS converted FROM (SELECT customer, {', '.join(columns)}, touchpoint "
                f"FROM {events}) e JOIN ({numbers}) n "
                "ON e.touchpoint = n.touchpoint GROUP BY e.customer")
    # Goals so far, counted along each customer's events: the path is what comes
    # before the first.
    before = ("SUM(CASE WHEN e.goal THEN 1 ELSE 0 END) OVER (PARTITION BY e.customer "
              f"ORDER BY {in_order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) = 0")
    stepped = (f"SELECT e.customer, {in_order}, n.step, e.goal, "
               f"{before} AS before_goal FROM (SELECT customer, {', '.join(columns)}, "
               f"touchpoint, {goal} AS goal FROM {events}) e "
               f"JOIN ({numbers}) n ON e.touchpoint = n.touchpoint")
    return (f"SELECT customer, ARRAY_AGG(step ORDER BY {order}) FILTER (WHERE before_goal) "
            "AS path, MAX(CASE WHEN goal THEN 1 ELSE 0 END) AS converted "
            f"FROM ({stepped}) s GROUP BY customer")


def variants_sql(paths: str, top: int = DEFAULT_TOP) -> dict[str, str]:
    """Over a table `paths` (paths_sql): `top`, the `top` paths by customers (ties by
    path) with their customers and conversion rate; `total`, how many customers and
    how many different paths."""
    return {
        "top": ("SELECT path, COUNT(*) AS customers, "
                "AVG(CAST(converted AS DOUBLE PRECISION)) AS conversion_rate "
                f"FROM {paths} GROUP BY path "
                f"ORDER BY customers DESC, path NULLS FIRST LIMIT {int(top)}"),
        # COUNT(DISTINCT) leaves out the empty path (NULL): counted on its own.
        "total": ("SELECT COUNT(*), COUNT(DISTINCT path) + "
                  f"MAX(CASE WHEN path IS NULL THEN 1 ELSE 0 END) FROM {paths}"),
    }


def read_variants(fetch: Fetch, execute: Execute, events: str, journey: Journey,
                  goals: Goals, top: int = DEFAULT_TOP, where: str = "",
                  order: str = "ts, seq") -> LogVariants:
    """The variants of `events`, their steps named by the ids of `journey` (estimated
    from the same events, so its touchpoints are in order of first appearance). Each
    customer's path is worked out once, into a temporary table both queries read;
    `order` as paths_sql has it."""
    found = goal_ids(journey, goals, where)
    names = [journey.touchpoints[i].name for i in found]
    steps = listed_steps(journey)
    execute(f"CREATE TEMP TABLE cx_mapper_paths AS {paths_sql(events, names, order, steps)}")
    queries = variants_sql("cx_mapper_paths", top)
    customers, total = fetch(queries["total"])[0]
    ids = list(journey.touchpoints)
    variants = []
    for path, count, rate in fetch(queries["top"]):
        variants.append(PathVariant(
            tuple(ids[int(step) - 1] for step in path or ()), int(count),
            int(count) / int(customers), float(rate) if found else None))
    return LogVariants(tuple(variants), int(customers), int(total), tuple(found))


def listed_steps(journey: Journey) -> list[str] | None:
    """The touchpoint names of an estimated journey, in order of first appearance, for
    paths_sql to number the steps by: at 1M events, counting the order out again was a
    fifth of the paths' work. None for more than LISTED_STEPS touchpoints, or a name
    with a backslash, which Spark's literals would read as an escape, or a character
    that is not printable (each engine writes those its own way)."""
    names = [t.name for t in journey.touchpoints.values()]
    if len(names) > LISTED_STEPS or any("\\" in name or not name.isprintable()
                                        for name in names):
        return None
    return names


def keep_variants(fetch: Fetch, execute: Execute, events: str, journey: Journey, goals: Goals,
                  top: int, where: str, order: str = "ts, seq") -> LogVariants | None:
    """The variants of `events` (none when `top` is 0) kept as the journey's, and its goal
    touchpoints marked as conversions."""
    found = read_variants(fetch, execute, events, journey, goals, top, where, order) \
        if top > 0 else None
    for touchpoint_id in found.goals if found else goal_ids(journey, goals, where):
        journey.update_touchpoint(touchpoint_id, conversion=True)
    journey.variants = found.variants if found else ()
    return found


def goal_ids(journey: Journey, goals: Goals, where: str = "") -> list[str]:
    """The journey's touchpoints named as goals; ProjectFileError for a required goal
    that no touchpoint of the log is."""
    by_name: dict[str, list[str]] = {}
    for touchpoint in journey.touchpoints.values():
        by_name.setdefault(touchpoint.name.strip().lower(), []).append(touchpoint.id)
    found: list[str] = []
    for name in goals.names:
        ids = by_name.get(name.strip().lower(), [])
        if not ids and goals.required:
            raise ProjectFileError(
                f"there is no touchpoint '{printable(name)}' in the log for the goal "
                f"(touchpoints: {column_list([t.name for t in journey.touchpoints.values()])})",
                path=where, field="goal")
        found.extend(i for i in ids if i not in found)
    return found


def step_names(variant: PathVariant, journey: Journey) -> list[str]:
    """A variant's steps by touchpoint name (by id when the touchpoint is gone)."""
    return [journey.touchpoints[s].name if s in journey.touchpoints else s
            for s in variant.path]


def as_json(result: LogVariants, journey: Journey) -> list[dict[str, object]]:
    """The variants for `paths --json`: full paths by name and by id."""
    return [{"path": step_names(v, journey), "ids": list(v.path), "customers": v.customers,
             "share": v.share, "conversion_rate": v.conversion_rate}
            for v in result.variants]
