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
    """An engine's error in one line: its first, or the error's type. It may quote the
    file, so it is made printable and cut short (a message is one line of a terminal)."""
    text = str(error).strip()
    return printable(text.splitlines()[0], 300) if text else type(error).__name__


def printable(text: str, limit: int = 60) -> str:
    """Text from a data file as a message shows it: control characters escaped (a tab,
    a vertical tab or a NUL would break the message's one line), cut to `limit`."""
    shown = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text[:limit + 1])
    return shown if len(shown) <= limit else shown[:limit - 1] + "…"


def column_list(names: list[str], shown: int = 12) -> str:
    """A file's column names for a message: the first `shown`, then how many more."""
    words = ", ".join(printable(name, 40) for name in names[:shown])
    return words + (f" and {len(names) - shown:,} more" if len(names) > shown else "")


def slug(text: str, fallback: str) -> str:
    """An id from a label: lower-case letters and digits joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or fallback
