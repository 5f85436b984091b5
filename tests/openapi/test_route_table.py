"""The served route table is the reviewed one: ``routes.txt`` lists every (method, path,
access) the app serves. A route that appears, disappears or changes who may call it fails here
until the list is updated on purpose (``UPDATE_ROUTES=1`` rewrites it; review the diff).

The auth matrix, the lock-out walk and the parse-error walk all iterate ``app.routes``; this is
the independent statement of what that table must hold.
"""

from __future__ import annotations

import os
from pathlib import Path

from app import app
from chalicelib.openapi.document import iter_routes

REVIEWED = Path(__file__).with_name("routes.txt")


def _served() -> list[str]:
    return sorted(
        f"{method} {path} {declaration.access if declaration else 'UNDECLARED'}"
        for path, method, _, declaration in iter_routes(app)
    )


def test_the_served_routes_are_the_reviewed_ones():
    served = _served()
    if os.environ.get("UPDATE_ROUTES") == "1":
        REVIEWED.write_text("\n".join(served) + "\n")
    reviewed = REVIEWED.read_text().split("\n")[:-1]
    added = sorted(set(served) - set(reviewed))
    removed = sorted(set(reviewed) - set(served))
    assert (added, removed) == ([], []), f"added: {added}\nremoved: {removed}"
    assert not [line for line in served if line.endswith("UNDECLARED")]
