"""The one error an expression raises: what is not accepted (at save) or cannot be evaluated."""

from __future__ import annotations

__all__ = ["ExpressionError"]


class ExpressionError(ValueError):
    """Why an expression is refused or failed; the text names the part and its position.

    A ``ValueError``, so callers that refuse bad input with a 400 keep catching one type.
    """
