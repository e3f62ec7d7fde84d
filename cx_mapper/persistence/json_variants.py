"""A journey's path variants in `cx-mapper/1` (FORMAT.md addition, README "Paths").

`"variants": [{"path": [touchpoint ids...], "customers": n, "share": x,
"conversion_rate": y or null}]`, most customers first: the most common paths of the
event log the journey was last imported from. The file keeps what the import found,
so a path may name a touchpoint removed since (it is shown by its id); the rest
follows the strict rules of the other elements.
"""

from __future__ import annotations

from typing import Any

from cx_mapper.domain.variants import PathVariant
from cx_mapper.persistence.json_checks import (
    Where,
    check_keys,
    describe,
    read_list,
    read_number,
    read_whole_number,
    written,
)

VARIANT_KEYS = ("path", "customers", "share", "conversion_rate")
#: No import keeps more; a list past it is no file of ours.
VARIANTS_LIMIT = 10_000


def variants_to_list(variants: tuple[PathVariant, ...]) -> list[dict[str, Any]]:
    return [{"path": list(v.path), "customers": v.customers, "share": written(v.share),
             "conversion_rate": written(v.conversion_rate)} for v in variants]


def read_variants(obj: dict[str, Any], path: str | None, journey: str
                  ) -> tuple[PathVariant, ...]:
    """A journey's `variants`, checked; () when it has none."""
    where = Where(path, "journey", journey, journey)
    raws = read_list(obj, "variants", where)
    if len(raws) > VARIANTS_LIMIT:
        raise where.error("variants", f"has {len(raws):,} paths; at most "
                                      f"{VARIANTS_LIMIT:,} are kept.")
    return tuple(_variant(raw, n, path, journey) for n, raw in enumerate(raws, start=1))


def _variant(raw: object, number: int, path: str | None, journey: str) -> PathVariant:
    where = Where(path, "variant", str(number), journey)
    if not isinstance(raw, dict):
        raise where.error(None, f"variant number {number} must be an object {{...}}, "
                                f"got {describe(raw)}.")
    check_keys(raw, VARIANT_KEYS, where)
    steps = read_list(raw, "path", where)
    for step in steps:
        if not isinstance(step, str) or not step:
            raise where.error("path", f"must list touchpoint ids (texts), got "
                                      f"{describe(step)} in it.")
    customers = read_whole_number(raw, "customers", where, 0, (1, None))
    share = read_number(raw, "share", where, 0.0, (0.0, 1.0))
    rate = raw.get("conversion_rate")
    conversion_rate = None if rate is None else read_number(raw, "conversion_rate", where,
                                                            0.0, (0.0, 1.0))
    return PathVariant(tuple(steps), customers, share, conversion_rate)


def variants_as_written(raws: list[Any]) -> tuple[PathVariant, ...]:
    """variants_to_list's list back, unchecked (crash recovery keeps what the user had)."""
    return tuple(PathVariant(tuple(str(step) for step in raw["path"]), int(raw["customers"]),
                             float(raw["share"]),
                             None if raw.get("conversion_rate") is None
                             else float(raw["conversion_rate"])) for raw in raws)
