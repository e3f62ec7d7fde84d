"""Ids the app makes for new elements: free in their list, readable, stable once given."""

from __future__ import annotations

from collections.abc import Collection


def unique_id(base: str, taken: Collection[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is free."""
    base = base or "item"
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
