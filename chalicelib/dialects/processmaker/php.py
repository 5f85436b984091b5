"""PHP's value rules that ProcessMaker conditions depend on, and the pure functions they may call.

ProcessMaker ``eval``s a condition as PHP; here the values follow PHP 8's rules for what a
condition can do: truthiness, loose (``==``, ``<``) and strict (``===``) comparison,
numeric strings, casts, and a fixed table of side-effect-free functions (``FUNCTIONS``).
A text that is not numeric counts as its leading number (or 0) in arithmetic, as PHP 7 (the
PHP of ProcessMaker 3) does with a warning; PHP 8 would throw. Times are UTC.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote_plus

from chalicelib.core.expressions import Function

__all__ = [
    "FUNCTIONS",
    "PhpError",
    "compare",
    "loose_equal",
    "strict_equal",
    "to_float",
    "to_int",
    "to_number",
    "to_string",
    "truthy",
]


class PhpError(ValueError):
    """What PHP would raise while evaluating (division by zero, a wrong argument type)."""


_NUMERIC = re.compile(r"[ \t\n\r\v\f]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\r\v\f]*")
_LEADING = re.compile(r"[ \t\n\r\v\f]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _parse_number(text: str) -> int | float:
    text = text.strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    return float(text)


def numeric_string(value: str) -> int | float | None:
    """The number a PHP numeric string stands for, or None when it is not numeric."""
    return _parse_number(value) if _NUMERIC.fullmatch(value) else None


def truthy(value: Any) -> bool:
    if value is None or value is False:
        return False
    if value is True:
        return True
    if _is_number(value):
        return value != 0
    if isinstance(value, str):
        return value not in ("", "0")
    if isinstance(value, list | dict):
        return len(value) > 0
    return True


def to_number(value: Any) -> int | float:
    """The operand of ``+ - * / %``: numbers as they are, texts by their leading number."""
    if value is None or value is False:
        return 0
    if value is True:
        return 1
    if _is_number(value):
        return value
    if isinstance(value, str):
        match = _LEADING.match(value)
        return _parse_number(match.group()) if match else 0
    raise PhpError("unsupported operand types: array")


def to_int(value: Any) -> int:
    """PHP's ``(int)``/``intval``."""
    if isinstance(value, list | dict):
        return 1 if value else 0
    number = to_number(value)
    if isinstance(number, float):
        return 0 if not math.isfinite(number) else int(number)
    return number


def to_float(value: Any) -> float:
    """PHP's ``(float)``/``floatval``."""
    if isinstance(value, list | dict):
        return 1.0 if value else 0.0
    return float(to_number(value))


def to_string(value: Any) -> str:
    """PHP's ``(string)``: ``true`` is ``"1"``, ``false``/``null`` ``""``, ``2.0`` ``"2"``."""
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, float):
        if math.isnan(value):
            return "NAN"
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).replace("e+", "E+").replace("e-", "E-")
    if isinstance(value, list | dict):
        return "Array"
    return str(value)


def _items(value: list[Any] | dict[Any, Any]) -> dict[str, Any]:
    return {str(k): v for k, v in (value.items() if isinstance(value, dict) else enumerate(value))}


def loose_equal(left: Any, right: Any) -> bool:
    """PHP 8's ``==``."""
    if isinstance(left, list | dict) and isinstance(right, list | dict):
        a, b = _items(left), _items(right)
        return a.keys() == b.keys() and all(loose_equal(a[k], b[k]) for k in a)
    return compare(left, right) == 0


def compare(left: Any, right: Any) -> int:
    """PHP 8's ``<=>``: -1, 0 or 1."""
    if left is None and isinstance(right, str):
        left = ""
    elif right is None and isinstance(left, str):
        right = ""
    elif left is None or right is None or isinstance(left, bool) or isinstance(right, bool):
        return _sign(int(truthy(left)) - int(truthy(right)))
    if isinstance(left, list | dict) or isinstance(right, list | dict):
        if not (isinstance(left, list | dict) and isinstance(right, list | dict)):
            return 1 if isinstance(left, list | dict) else -1
        return _sign(len(left) - len(right)) or (0 if loose_equal(left, right) else 1)
    if isinstance(left, str) and isinstance(right, str):
        a, b = numeric_string(left), numeric_string(right)
        if a is not None and b is not None:
            return _sign(a - b)
        return _sign((left > right) - (left < right))
    if isinstance(left, str) or isinstance(right, str):
        text, number = (left, right) if isinstance(left, str) else (right, left)
        parsed = numeric_string(text)
        if parsed is None:  # PHP 8: the number is compared as a text
            x, y = to_string(left), to_string(right)
            return _sign((x > y) - (x < y))
        first, second = (parsed, number) if isinstance(left, str) else (number, parsed)
        return _sign(first - second)
    return _sign(left - right)


def _sign(number: float) -> int:
    return (number > 0) - (number < 0)


def _php_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, list | dict):
        return "array"
    return "string"


def strict_equal(left: Any, right: Any) -> bool:
    """PHP's ``===``: same type and value (``1 === 1.0`` is false)."""
    if _php_type(left) != _php_type(right):
        return False
    if isinstance(left, list | dict):
        a, b = _items(left), _items(right)
        return list(a) == list(b) and all(strict_equal(a[k], b[k]) for k in a)
    return bool(left == right)


def php_round(value: Any, precision: Any = 0) -> float:
    """``round``: halves away from zero, as PHP."""
    number, places = to_float(value), to_int(precision)
    factor = 10.0**places
    scaled = abs(number) * factor
    rounded = math.floor(scaled + 0.5) if math.isfinite(scaled) else scaled
    return math.copysign(rounded / factor, number)


# ---------------------------------------------------------------- time


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _from_unix(seconds: Any) -> datetime:
    return datetime.fromtimestamp(to_int(seconds), UTC)


_DATE_CODES: dict[str, Callable[[datetime], str]] = {
    "d": lambda t: f"{t.day:02d}",
    "D": lambda t: t.strftime("%a"),
    "j": lambda t: str(t.day),
    "l": lambda t: t.strftime("%A"),
    "N": lambda t: str(t.isoweekday()),
    "w": lambda t: str(t.isoweekday() % 7),
    "z": lambda t: str(t.timetuple().tm_yday - 1),
    "W": lambda t: f"{t.isocalendar()[1]:02d}",
    "F": lambda t: t.strftime("%B"),
    "m": lambda t: f"{t.month:02d}",
    "M": lambda t: t.strftime("%b"),
    "n": lambda t: str(t.month),
    "t": lambda t: str(calendar.monthrange(t.year, t.month)[1]),
    "L": lambda t: "1" if calendar.isleap(t.year) else "0",
    "o": lambda t: str(t.isocalendar()[0]),
    "Y": lambda t: str(t.year),
    "y": lambda t: f"{t.year % 100:02d}",
    "a": lambda t: "am" if t.hour < 12 else "pm",
    "A": lambda t: "AM" if t.hour < 12 else "PM",
    "g": lambda t: str(t.hour % 12 or 12),
    "G": lambda t: str(t.hour),
    "h": lambda t: f"{t.hour % 12 or 12:02d}",
    "H": lambda t: f"{t.hour:02d}",
    "i": lambda t: f"{t.minute:02d}",
    "s": lambda t: f"{t.second:02d}",
    "e": lambda t: "UTC",
    "T": lambda t: "UTC",
    "P": lambda t: "+00:00",
    "O": lambda t: "+0000",
    "Z": lambda t: "0",
    "c": lambda t: t.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
    "r": lambda t: t.strftime("%a, %d %b %Y %H:%M:%S +0000"),
    "U": lambda t: str(int(t.timestamp())),
}


def php_date(fmt: Any, timestamp: Any = None) -> str:
    """``date(format[, timestamp])`` in UTC (``\\`` escapes a character, as PHP)."""
    moment = _now() if timestamp is None else _from_unix(timestamp)
    out, escaped = [], False
    for char in to_string(fmt):
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in _DATE_CODES:
            out.append(_DATE_CODES[char](moment))
        else:
            out.append(char)
    return "".join(out)


_UNITS = {
    "sec": "seconds",
    "secs": "seconds",
    "second": "seconds",
    "seconds": "seconds",
    "min": "minutes",
    "mins": "minutes",
    "minute": "minutes",
    "minutes": "minutes",
    "hour": "hours",
    "hours": "hours",
    "day": "days",
    "days": "days",
    "week": "weeks",
    "weeks": "weeks",
    "fortnight": "fortnights",
    "fortnights": "fortnights",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
}
_RELATIVE = re.compile(r"([+-]?)\s*(\d+)\s*([a-z]+)")
_BASES = {"now": 0, "today": 0, "midnight": 0, "tomorrow": 1, "yesterday": -1}


def add_months(moment: datetime, months: int) -> datetime:
    """PHP's month arithmetic: the day overflows into the next month (Jan 31 + 1 month = Mar 3)."""
    year, month = divmod(moment.month - 1 + months, 12)
    first = moment.replace(year=moment.year + year, month=month + 1, day=1)
    return first + timedelta(days=moment.day - 1)


def _relative(moment: datetime, text: str) -> datetime | None:
    position = 0
    while position < len(text):
        match = _RELATIVE.match(text, position)
        unit = _UNITS.get(match.group(3)) if match else None
        if match is None or unit is None:
            return None
        amount = int(match.group(2)) * (-1 if match.group(1) == "-" else 1)
        if unit == "months":
            moment = add_months(moment, amount)
        elif unit == "years":
            moment = add_months(moment, 12 * amount)
        elif unit == "fortnights":
            moment += timedelta(weeks=2 * amount)
        else:
            moment += timedelta(**{unit: amount})
        position = match.end()
        while position < len(text) and text[position] in " ,":
            position += 1
    return moment


def php_strtotime(text: Any, base: Any = None) -> int | bool:
    """``strtotime`` for the forms conditions use: ``now``, ``today``, ``tomorrow``,
    ``yesterday``, ``midnight``, ISO dates and times, ``@<unix>``, and relative offsets
    (``+1 day``, ``-2 weeks``, ``today +3 days``); ``false`` for anything else."""
    value = to_string(text).strip().lower()
    now = _now() if base is None else _from_unix(base)
    if value.startswith("@") and re.fullmatch(r"@-?\d+", value):
        return int(value[1:])
    word, _, rest = value.partition(" ")
    if word in _BASES:
        moment = now
        if word != "now":
            moment = datetime.combine(now.date(), datetime.min.time(), UTC)
            moment += timedelta(days=_BASES[word])
        moment_or_none = _relative(moment, rest.strip()) if rest.strip() else moment
    elif _RELATIVE.match(value):
        moment_or_none = _relative(now, value)
    else:
        moment_or_none = _absolute(value)
    return False if moment_or_none is None else int(moment_or_none.timestamp())


def _absolute(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.upper().replace(" ", "T", 1))
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(value), datetime.min.time())
        except ValueError:
            return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


# ---------------------------------------------------------------- functions


def _substr(text: Any, start: Any, length: Any = None) -> str:
    value, begin = to_string(text), to_int(start)
    size = len(value)
    begin = max(size + begin, 0) if begin < 0 else min(begin, size)
    if length is None:
        return value[begin:]
    count = to_int(length)
    end = size + count if count < 0 else begin + count
    return value[begin : max(end, begin)]


def _trim(chars: str) -> Callable[..., str]:
    def trim(text: Any, characters: Any = " \t\n\r\0\x0b") -> str:
        value, strip = to_string(text), to_string(characters)
        return {"both": value.strip, "left": value.lstrip, "right": value.rstrip}[chars](strip)

    return trim


def _array(value: Any, function: str) -> list[Any]:
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return value
    raise PhpError(f"{function}(): Argument #2 must be of type array")


def _in_array(needle: Any, haystack: Any, strict: Any = False) -> bool:
    same = strict_equal if truthy(strict) else loose_equal
    return any(same(needle, item) for item in _array(haystack, "in_array"))


def _extreme(pick: int) -> Callable[..., Any]:
    def extreme(*values: Any) -> Any:
        if len(values) == 1:
            values = tuple(_array(values[0], "min" if pick < 0 else "max"))
            if not values:
                raise PhpError("min()/max(): the array must contain at least one element")
        best = values[0]
        for value in values[1:]:
            if compare(value, best) == pick:
                best = value
        return best

    return extreme


def _intval(value: Any, base: Any = 10) -> int:
    radix = to_int(base)
    if isinstance(value, str) and radix != 10:
        match = re.match(r"\s*([+-]?[0-9a-zA-Z]+)", value)
        try:
            return int(match.group(1), radix) if match else 0
        except ValueError:
            return 0
    return to_int(value)


def _abs(value: Any) -> int | float:
    return abs(to_number(value))


def _count(value: Any) -> int:
    if not isinstance(value, list | dict):
        raise PhpError("count(): Argument #1 must be of type Countable|array")
    return len(value)


def _strpos(haystack: Any, needle: Any) -> int | bool:
    found = to_string(haystack).find(to_string(needle))
    return False if found < 0 else found


def _is_numeric(value: Any) -> bool:
    if _is_number(value):
        return True
    return isinstance(value, str) and numeric_string(value.rstrip()) is not None


# ``empty`` and ``isset`` are language constructs, parsed apart (they take variables).
FUNCTIONS: dict[str, Function] = {
    "in_array": Function(2, 3, _in_array),
    "strtolower": Function(1, 1, lambda s: to_string(s).lower()),
    "strtoupper": Function(1, 1, lambda s: to_string(s).upper()),
    "ucfirst": Function(1, 1, lambda s: (t := to_string(s))[:1].upper() + t[1:]),
    "strlen": Function(1, 1, lambda s: len(to_string(s).encode())),
    "trim": Function(1, 2, _trim("both")),
    "ltrim": Function(1, 2, _trim("left")),
    "rtrim": Function(1, 2, _trim("right")),
    "substr": Function(2, 3, _substr),
    "strpos": Function(2, 2, _strpos),
    "intval": Function(1, 2, _intval),
    "floatval": Function(1, 1, to_float),
    "strval": Function(1, 1, to_string),
    "is_numeric": Function(1, 1, _is_numeric),
    "abs": Function(1, 1, _abs),
    "round": Function(1, 2, php_round),
    "floor": Function(1, 1, lambda v: float(math.floor(to_float(v)))),
    "ceil": Function(1, 1, lambda v: float(math.ceil(to_float(v)))),
    "min": Function(1, None, _extreme(-1)),
    "max": Function(1, None, _extreme(1)),
    "count": Function(1, 1, _count),
    "date": Function(1, 2, php_date),
    "strtotime": Function(1, 2, php_strtotime),
    "time": Function(0, 0, lambda: int(_now().timestamp())),
    "urlencode": Function(1, 1, lambda s: quote_plus(to_string(s), safe="-_.")),
}
