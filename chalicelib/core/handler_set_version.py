"""The handler set's version: bumped by every handler write, read by the stream once per batch.

A stream container keeps the handler set it read; before trusting it for an event recorded
after that read it compares this one number (one consistent GetItem) and re-reads the set only
when it changed. So a handler applies to every event recorded after its write returned.
"""

from __future__ import annotations

from chalicelib.store.access import store_access
from chalicelib.store.meta import MetaModel

VERSION_KEY = "version#handler-set"


def bump_handler_set_version() -> None:
    """Note that the handler set changed (after a create, update, enable, disable, delete)."""
    with store_access():
        MetaModel(VERSION_KEY).update(actions=[MetaModel.number.add(1)])


def read_handler_set_version() -> int:
    """The current version (0 before the first handler write); a consistent read."""
    with store_access():
        try:
            return int(MetaModel.get(VERSION_KEY, consistent_read=True).number or 0)
        except MetaModel.DoesNotExist:
            return 0
