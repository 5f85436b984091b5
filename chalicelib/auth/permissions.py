"""Roles and permissions every dialect checks against."""

from __future__ import annotations

ADMIN_ROLE = "admin"
USER_ROLE = "user"

EVENTHANDLING_READ = "eventhandling_read"
EVENTHANDLING_WRITE = "eventhandling_write"
EVENTS_INGEST = "events_ingest"
EVENTS_READ = "events_read"
OPEVENTS_READ = "opevents_read"
OPEVENTS_WRITE = "opevents_write"

KNOWN_PERMISSIONS = (
    EVENTHANDLING_READ,
    EVENTHANDLING_WRITE,
    EVENTS_INGEST,
    EVENTS_READ,
    OPEVENTS_READ,
    OPEVENTS_WRITE,
)
