"""Modules a dialect needs only once one of its routes runs, imported then (cold start).

Every dialect's routes must be registered when the app is imported, but a Lambda container
that serves Panko never needs MaDDash's grid code. ``deferred("chalicelib.core.x")`` stands in
for the module and imports it on the first attribute read; after that each read is a lookup
in ``sys.modules``. Monkeypatching the real module in tests works through it.

The project's one lazy style, so type checkers and the import graph follow the real module::

    if TYPE_CHECKING:
        from chalicelib.dialects.maddash import grid_views
    else:
        grid_views = deferred("chalicelib.dialects.maddash.grid_views")

(a module that one function alone needs is imported inside that function instead).

Never defer a module whose import registers something the app needs before any route runs
(``operations.declare``, ``permissions.register``, a blueprint's routes): those stay plain
imports. ``bench/bench_cold_start.py`` lists what ``import app`` still loads, heaviest first;
``tests/test_architecture.py`` names the modules it must not.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["deferred"]


class _DeferredModule:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)

    def __repr__(self) -> str:
        return f"<deferred module {self._name}>"


def deferred(name: str) -> Any:
    """A stand-in for module ``name`` that imports it when first used."""
    return _DeferredModule(name)
