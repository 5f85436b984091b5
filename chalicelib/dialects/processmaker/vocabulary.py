"""ProcessMaker's vocabulary that the designer and the project import share: uids, the end of
a process, and Restler's words for a refused field."""

from __future__ import annotations

import uuid

from chalicelib.errors import ValidationFailed

__all__ = ["END_OF_PROCESS", "invalid", "new_uid", "required"]

END_OF_PROCESS = "-1"


def new_uid() -> str:
    """A ProcessMaker-shaped uid: 32 lowercase hex characters."""
    return uuid.uuid4().hex


def required(name: str) -> ValidationFailed:
    return ValidationFailed(f"`{name}` is required.", field=name)


def invalid(name: str, detail: str = "") -> ValidationFailed:
    return ValidationFailed(f"Invalid value specified for `{name}`{detail}", field=name)
