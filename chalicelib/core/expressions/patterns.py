"""Regular expressions in conditions: RE2 only, with a length cap (the regex budget).

RE2 matches in time linear in the value whatever the pattern (``(a|aa)+`` on a crafted value
cannot stall a worker) and bounds its compiled program's size; backreferences and lookaround,
which need backtracking, are refused naming RE2.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from chalicelib.core.expressions.errors import ExpressionError

__all__ = ["MAX_PATTERN_LENGTH", "compile_pattern"]

MAX_PATTERN_LENGTH = 1000


@lru_cache(maxsize=256)
def compile_pattern(text: str, max_length: int = MAX_PATTERN_LENGTH) -> Any:
    """``text`` compiled with RE2; ``ExpressionError`` (a ``ValueError``) when RE2 refuses it
    or it is longer than ``max_length``."""
    import re2  # loaded by the conditions that use a pattern

    if len(text) > max_length:
        raise ExpressionError(f"a pattern is at most {max_length} characters")
    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(text, options)
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise ExpressionError(
            f"invalid regular expression {text!r} (RE2 syntax): {detail}"
        ) from exc
