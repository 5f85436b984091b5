"""The limits an expression is held to, so no text costs a deep stack, a long parse or a stall.

Each dialect names its own numbers (``Caps``); the parser checks length, nesting depth, node
count and function calls while it reads (so an expression over a cap is refused at save, never
at run time), and ``patterns.compile_pattern`` holds every regular expression to
``max_pattern_length`` on RE2 (linear-time matching whatever the value).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Caps"]


@dataclass(frozen=True)
class Caps:
    """How large an expression may be. Calls are counted at parse: with no loops in the
    language, an evaluation makes at most as many calls as the tree holds."""

    max_length: int
    max_depth: int = 32
    max_nodes: int = 10_000
    max_calls: int = 1_000
    max_pattern_length: int = 1_000
