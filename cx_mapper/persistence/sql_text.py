"""Small text helpers the data imports share: SQL quoting, error lines and ids."""

from __future__ import annotations

import re


def quote_name(identifier: str) -> str:
    """A column or table name as an SQL identifier, whatever characters it has."""
    return '"' + identifier.replace('"', '""') + '"'


def quote_text(text: str) -> str:
    """A string as an SQL literal."""
    return "'" + text.replace("'", "''") + "'"


def first_line(error: BaseException) -> str:
    """An engine's error in one line: its first, or the error's type."""
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def slug(text: str, fallback: str) -> str:
    """An id from a label: lower-case letters and digits joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or fallback
