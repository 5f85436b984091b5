"""Roles and permissions every dialect checks against.

Roles are free-form, as Keystone's: ``admin`` is the privileged role, every other role
(``member``, ``reader``, ``_member_``, ``user`` …) names an ordinary principal. Permissions are
a validated set: each is declared once here by the module whose routes check it, so a
permission nothing checks cannot be granted. A dialect adds its own with one line::

    permissions.register("opevents_read", "opevents_write")
"""

from __future__ import annotations

import re

ADMIN_ROLE = "admin"
# What a new principal gets when the admin names no role (any ordinary role would do).
USER_ROLE = "user"
# Keystone's role names: 1-64 characters, as OpenStack clouds hand them out.
ROLE_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")

# Read handler configurations, their catalogues, executions and counters (privacyIDEA's
# ``eventhandling`` read right). Writing them is admin-only: a handler sees every tenant.
EVENTHANDLING_READ = "eventhandling_read"
# Record events through ``POST /v2/events``.
EVENTS_INGEST = "events_ingest"

_KNOWN: dict[str, None] = {}


def register(*names: str) -> None:
    """Declare permissions that a dialect's routes check (idempotent, keeps order)."""
    for name in names:
        _KNOWN.setdefault(name, None)


def known_permissions() -> tuple[str, ...]:
    """Every declared permission, in declaration order."""
    return tuple(_KNOWN)


def is_admin_role(role: str) -> bool:
    """Roles compare case-insensitively, as in Panko's policy (``role:admin``)."""
    return role.lower() == ADMIN_ROLE


register(EVENTHANDLING_READ, EVENTS_INGEST)

# ProcessMaker's own rights: the designer (projects, triggers, events and their execution
# log, read or written) and cases (start, read, set variables, route). Both count only in
# the workspaces the principal belongs to (``Principal.workspaces``).
PM_FACTORY = "PM_FACTORY"
PM_CASES = "PM_CASES"
register(PM_FACTORY, PM_CASES)

# opEvents: read events and nodes; create and update events.
OPEVENTS_READ = "opevents_read"
OPEVENTS_WRITE = "opevents_write"
register(OPEVENTS_READ, OPEVENTS_WRITE)
