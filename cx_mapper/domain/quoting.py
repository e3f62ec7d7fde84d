"""User text inside messages: control characters escaped, long names and lists cut short.

A project file is anyone's text. Quoted raw, an id can carry terminal escapes (retitle or
clear the terminal, OSC 52 writes the clipboard) or be megabytes long, and a closed loop
can name 40,000 touchpoints. Every message that quotes user text (the Problems, the JSON
reader's errors, the command line) goes through these, so one line stays one short line.
"""

from __future__ import annotations

from collections.abc import Sequence

#: A quoted name or id keeps this many characters, then "…": enough to recognise it.
QUOTE_LIMIT = 60
#: A quoted list names this many items, then "and N more".
LIST_SHOWN = 3
#: A whole message is at most this long (a wide terminal line or two).
MESSAGE_LIMIT = 500

#: Characters a terminal may act on rather than show: bidi overrides and isolates, and
#: the line and paragraph separators; the C0/C1 controls and lone surrogates are
#: found by code point below.
_INVISIBLE = frozenset("\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e"
                       "\u2066\u2067\u2068\u2069\ufeff")


def _unsafe(char: str) -> bool:
    code = ord(char)
    return (code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF
            or char in _INVISIBLE)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escaped(text: str) -> str:
    """`text` with every control character shown as an escape, such as \\x1b."""
    if text.isprintable():  # the common case, in C: no control character at all
        return text
    return "".join(_escape(char) if _unsafe(char) else char for char in text)


def shortened(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, the last one "…" when it was longer."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def quoted(text: str, limit: int = QUOTE_LIMIT) -> str:
    """A name or id as a message quotes it: escaped, and cut after `limit` characters."""
    # Cut before escaping too, so a 3 MB id costs no 3 MB of work.
    return shortened(escaped(text[: limit + 1]), limit)


def listed(items: Sequence[str], shown: int = LIST_SHOWN, separator: str = ", ") -> str:
    """Items as a message lists them: "a, b, c and 39,990 more", each one quoted."""
    head = separator.join(quoted(item) for item in items[:shown])
    rest = len(items) - shown
    return f"{head} and {rest:,} more" if rest > 0 else head


def one_line(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """A whole message as printed: escaped (newlines too) and at most `limit` characters."""
    return shortened(escaped(message[: 4 * limit]), limit)


def counted(number: int, noun: str) -> str:
    """A count with its noun: "1 journey", "2,000 touchpoints"."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
