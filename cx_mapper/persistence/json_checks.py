"""How one value of a JSON file is checked and described, whatever element holds it.

The rules of each element are in json_format.py; these are the checks they share:
every refusal is a ProjectFileError that names the file, the element and the field,
and shows the value as the file has it.
"""

from __future__ import annotations

import json
import math
from typing import Any, TypeGuard

import orjson

from cx_mapper.domain.quoting import escaped, quoted
from cx_mapper.domain.ranges import Range, range_words
from cx_mapper.persistence.errors import ProjectFileError


class JsonObject(dict[str, Any]):
    """A JSON object that remembers keys it saw twice (json keeps only the last)."""

    duplicate_keys: tuple[str, ...] = ()


def object_of_pairs(pairs: list[tuple[str, Any]]) -> JsonObject:
    """An object from its (key, value) pairs as a file gives them, keys twice noted."""
    obj = JsonObject()
    duplicates = []
    for key, value in pairs:
        if key in obj:
            duplicates.append(key)
        obj[key] = value
    if duplicates:
        obj.duplicate_keys = tuple(duplicates)
    return obj


def parse_json(text: str, path: str | None) -> object:
    """The careful parse: every object remembers a key it saw twice, and a syntax error
    says where it is. Slow on huge files (a Python call per object), so it runs when
    parse_json_quickly cannot vouch for a file, or to phrase what is wrong with one."""
    try:
        # NaN and Infinity parse to floats here and are refused with their location later.
        return json.loads(text, object_pairs_hook=object_of_pairs)
    except json.JSONDecodeError as error:
        raise ProjectFileError(
            f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}.",
            path=path,
        ) from None
    except (ValueError, RecursionError) as error:
        raise ProjectFileError(f"is not valid JSON: {error}.", path=path) from None


def parse_json_quickly(data: bytes) -> object | None:
    """The parsed file, when msgspec reads it and no object gives a key twice; else None.

    msgspec parses a 116 MB project in a fraction of a second (the careful parse takes
    seconds), but keeps the last of two equal keys silently. Every ':' outside a
    string separates a key from its value, and writing the parsed data back (orjson)
    puts a ':' for each key it kept; so the two counts of ':' differ exactly when a
    key was given twice. A ':' written as an escape (\\u003a) would upset the count,
    and such a file takes the careful path. So do NaN, Infinity, numbers beyond a
    float, a BOM, lone surrogates and anything else msgspec refuses.

    msgspec rather than orjson: it builds the objects as it reads, where orjson
    first builds a document of its own (a 116 MB file took 230 MB more memory, and
    0.1 s more), and it reads integers of any size as Python does, not as floats.
    """
    import msgspec.json  # only for reading: a writer (import-log) is spared 0.03 s

    # One pass over the file for the escape's common part, two only if it is there.
    if b"\\u003" in data and (b"\\u003a" in data or b"\\u003A" in data):
        return None
    try:
        parsed = msgspec.json.decode(data)
        kept = _colons_written(parsed)
    except (msgspec.DecodeError, orjson.JSONEncodeError, RecursionError):
        return None
    return parsed if kept == data.count(b":") else None


#: Long lists are written back a slice at a time, and the outer objects key by key:
#: the same ':' as writing the whole file back, counted in small buffers that are
#: reused, where one of 100 MB had every page cleared by the kernel first (0.15 s).
_SLICE = 2_000
_PIECES_DEPTH = 4


def _colons_written(value: object, depth: int = 0) -> int:
    """How many ':' orjson.dumps(value) holds: one per key, and those in the texts."""
    if depth < _PIECES_DEPTH and type(value) is dict:
        keys: list[str] = list(value)
        return len(keys) + sum(key.count(":") for key in keys) + sum(
            _colons_written(item, depth + 1) for item in value.values())
    if depth < _PIECES_DEPTH and type(value) is list:
        if len(value) > _SLICE:
            return sum(orjson.dumps(value[start:start + _SLICE]).count(b":")
                       for start in range(0, len(value), _SLICE))
        return sum(_colons_written(item, depth + 1) for item in value)
    return orjson.dumps(value).count(b":")


class Where:
    """The element being read, so that every error says where it is."""

    def __init__(
        self,
        path: str | None,
        element: str,
        element_id: str | None = None,
        journey: str | None = None,
    ) -> None:
        self.path = path
        self.element = element
        self.element_id = element_id
        self.journey = journey

    def error(self, field: str | None, reason: str) -> ProjectFileError:
        return ProjectFileError(
            reason, path=self.path, journey=self.journey, element=self.element,
            element_id=self.element_id, field=field,
        )


def plain_text(value: object) -> bool:
    """A str that UTF-8 can hold (no lone surrogates)."""
    if type(value) is not str:
        return False
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def plain_object(raw: object, keys: frozenset[str]) -> TypeGuard[dict[str, Any]]:
    """A dict with known keys, none given twice."""
    if type(raw) is not dict and not (isinstance(raw, JsonObject) and not raw.duplicate_keys):
        return False
    return keys.issuperset(raw)


def written(value: Any) -> Any:
    """A value as written: -0.0 becomes 0.0.

    They are equal, and a .cxmap cannot keep the sign (SQLite stores whole REAL
    values as integers), so every format writes the same text for the same project.
    """
    return 0.0 if type(value) is float and value == 0.0 else value


# -- field checks -----------------------------------------------------------------------
def read_element(raw: object, number: int, where: Where) -> dict[str, Any]:
    """An element's object with its id read first, so later errors can name it."""
    if not isinstance(raw, dict):
        raise where.error(None, f"{where.element} number {number} must be an object {{...}}, "
                                f"got {describe(raw)}.")
    if "id" not in raw:
        raise where.error("id", f"{where.element} number {number} has no id; "
                                f"every {where.element} needs one.")
    where.element_id = read_identifier(raw, "id", where)
    return raw


def read_identifier(obj: dict[str, Any], key: str, where: Where) -> str:
    value = obj[key]
    if not isinstance(value, str) or not value:
        raise where.error(key, f"must be a non-empty text, got {describe(value)}.")
    _check_encodable(value, key, where)
    return value


def check_keys(obj: dict[str, Any], allowed: tuple[str, ...], where: Where) -> None:
    duplicates = getattr(obj, "duplicate_keys", ())
    if duplicates:
        raise where.error(duplicates[0], "is given twice; keep one.")
    for key in obj:
        if key not in allowed:
            import difflib  # for a message only

            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else (
                "the known fields are " + ", ".join(allowed) + ".")
            article = "an" if where.element[:1] in "aeiou" else "a"
            raise where.error(key, f"is not a field of {article} {where.element}; {hint}")


def check_unique(ids: list[str], element: str, where: Where) -> None:
    seen: set[str] = set()
    for element_id in ids:
        if element_id in seen:
            raise duplicate(element, element_id, where)
        seen.add(element_id)


def duplicate(element: str, element_id: str, where: Where) -> ProjectFileError:
    journey = where.journey if element != "journey" else None
    return Where(where.path, element, element_id, journey).error(
        "id", f"the id '{quoted(element_id)}' is used by two {plural(element)}; give each "
              "its own id.")


def plural(element: str) -> str:
    return element[:-1] + "ies" if element.endswith("y") else element + "s"


def read_list(obj: dict[str, Any], key: str, where: Where) -> list[Any]:
    value = obj.get(key, [])
    if not isinstance(value, list):
        raise where.error(key, f"must be a list [...], got {describe(value)}.")
    return value


def read_text(obj: dict[str, Any], key: str, where: Where, default: str) -> str:
    value = obj.get(key, default)
    if not isinstance(value, str):
        raise where.error(key, f"must be a text, got {describe(value)}.")
    _check_encodable(value, key, where)
    return value


def _check_encodable(value: str, key: str, where: Where) -> None:
    # A lone "\ud800" escape is valid JSON but cannot be written back as UTF-8.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise where.error(key, "contains an invalid character (a lone surrogate "
                               "escape such as \\ud800); remove it.") from None


def read_reference(obj: dict[str, Any], key: str, where: Where, declared: set[str]) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise where.error(key, f"must be the id of a {key} or null, got {describe(value)}.")
    if value not in declared:
        raise where.error(key, f"there is no {key} '{quoted(value)}' in this journey; "
                               f"add it to the journey's {key}s or use null.")
    return value


def read_flag(obj: dict[str, Any], key: str, where: Where, default: bool) -> bool:
    value = obj.get(key, default)
    if not isinstance(value, bool):
        raise where.error(key, f"must be true or false, got {describe(value)}.")
    return value


def read_number(
    obj: dict[str, Any], key: str, where: Where, default: float, limits: Range,
    *, above: bool = False,
) -> float:
    """A finite number within `limits` (inclusive; `above` makes the low end exclusive)."""
    value = obj.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise where.error(key, f"must be a number, got {describe(value)}.")
    try:
        number = float(value)
    except OverflowError:
        raise where.error(key, "is too large a number.") from None
    if not math.isfinite(number):
        raise where.error(key, f"must be a finite number, got {describe(value)}.")
    low, high = limits
    too_low = low is not None and (number <= low if above else number < low)
    too_high = high is not None and number > high
    if too_low or too_high:
        raise where.error(key, f"must be {range_words(low, high, above=above)}, "
                               f"got {describe(value)}.")
    return number


def read_whole_number(
    obj: dict[str, Any], key: str, where: Where, default: int, limits: Range
) -> int:
    """A whole number within `limits` (inclusive)."""
    value = obj.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise where.error(key, f"must be a whole number, got {describe(value)}.")
    low, high = limits
    if (low is not None and value < low) or (high is not None and value > high):
        raise where.error(key, f"must be {range_words(low, high)}, got {describe(value)}.")
    return value


def describe(value: object) -> str:
    """A value as the file shows it, short enough for one line."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else json.dumps(value)  # NaN, Infinity
    if isinstance(value, int):
        return str(value) if value.bit_length() < 64 else "a huge number"
    if isinstance(value, str):
        value = value[:40]  # a 3 MB text costs no 3 MB of work
    try:
        shown = escaped(json.dumps(value, ensure_ascii=False))
    except (TypeError, ValueError):
        shown = escaped(repr(value))
    return shown if len(shown) <= 40 else shown[:37] + '..."'
