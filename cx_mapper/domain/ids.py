"""Ids the app makes for new elements: free in their list, readable, stable once given."""

from __future__ import annotations

from collections.abc import Collection, Iterable


def unique_id(base: str, taken: Collection[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is free."""
    base = base or "item"
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def unique_name(base: str, taken: Iterable[str]) -> str:
    """`base`, or `base 2`, `base 3`... whichever is free."""
    used = set(taken)
    if base not in used:
        return base
    number = 2
    while f"{base} {number}" in used:
        number += 1
    return f"{base} {number}"
