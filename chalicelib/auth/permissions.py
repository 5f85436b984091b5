"""Roles and permissions every dialect checks against."""

from __future__ import annotations

ADMIN_ROLE = "admin"
USER_ROLE = "user"

EVENTHANDLING_READ = "eventhandling_read"
EVENTHANDLING_WRITE = "eventhandling_write"
EVENTS_INGEST = "events_ingest"
EVENTS_READ = "events_read"

KNOWN_PERMISSIONS = (EVENTHANDLING_READ, EVENTHANDLING_WRITE, EVENTS_INGEST, EVENTS_READ)
PM_FACTORY = "PM_FACTORY"  # ProcessMaker designer writes (projects, triggers, events)
KNOWN_PERMISSIONS = (*KNOWN_PERMISSIONS, PM_FACTORY)
