"""Write the trait-index entries of events stored before their traits were declared.

An event writes the entries of the traits declared when it is stored; a name added later to
``EVENT_SERVICE_INDEXED_TRAITS`` finds only the events stored after that. Run
``python -m chalicelib.core.trait_backfill`` (with the stage's settings in the environment,
after the new setting is deployed) to scan the events table once and write, for every event,
the entries of the traits declared now. An entry is a copy keyed by its event, and events are
never changed, so writing one again changes nothing: the backfill can be stopped and run again.
It is an operator's job, never a request's: it reads the whole table.
"""

from __future__ import annotations

import sys

from chalicelib.core.event_items import trait_entries
from chalicelib.store.access import store_access
from chalicelib.store.event_traits import EventTraitModel
from chalicelib.store.events import EventModel

__all__ = ["backfill_trait_index"]

SCAN_PAGE_SIZE = 500


def backfill_trait_index(page_size: int = SCAN_PAGE_SIZE) -> tuple[int, int]:
    """Write every stored event's trait-index entries; (events read, entries written)."""
    scanned = written = 0
    with store_access(), EventTraitModel.batch_write() as batch:
        for item in EventModel.scan(page_size=page_size):
            scanned += 1
            for entry in trait_entries(item):
                batch.save(entry)
                written += 1
    return scanned, written


def main() -> int:
    scanned, written = backfill_trait_index()
    print(f"{scanned} events read, {written} trait-index entries written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
