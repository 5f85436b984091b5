"""Secret options: write-only values (a password, an ``Authorization`` header) of an action.

One helper for every owner of module options (privacyIDEA handlers, ProcessMaker triggers):

- ``masked``: what a client, a ``pre`` handler, an operation event or a log ever sees;
- ``split``: a request's options with the secrets it sent masked, and those secrets apart
  (the masked options travel through ``pre`` handlers and into the operation's event, the
  secrets go straight to the store);
- ``restored``: the secrets put back where their mask still stands;
- ``resolved``: the options to store, where a mask sent back means "keep what is stored" —
  but only while the secret's destination (module, action, ``DESTINATION_OPTIONS``) is the
  stored one: a secret never follows a changed URL unless the request carries it again.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from chalicelib.errors import ValidationFailed

__all__ = [
    "DESTINATION_OPTIONS",
    "SECRET_MASK",
    "SecretNotResent",
    "masked",
    "resolved",
    "restored",
    "split",
]

# What a secret option's value reads as everywhere outside the store and the action.
SECRET_MASK = "********"
# The options that say where an action sends its secrets (WebHook's and Federation's URL).
DESTINATION_OPTIONS = ("URL",)


class SecretNotResent(ValidationFailed):
    """A kept secret would go to a new destination: the request must carry it again."""

    def __init__(self, option: str) -> None:
        self.option = option
        super().__init__(
            f"The destination changed: send the secret option {option} again "
            "(the stored value is kept only for the destination it was given for)",
            field=option,
        )


def _is_real(value: Any) -> bool:
    return value not in (None, "", SECRET_MASK)


def masked(options: Mapping[str, Any], secret: Collection[str]) -> dict[str, Any]:
    """``options`` with every non-empty secret value replaced by ``SECRET_MASK``."""
    return {
        key: SECRET_MASK if key in secret and value else value for key, value in options.items()
    }


def split(
    options: Mapping[str, Any], secret: Collection[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(``options`` with every secret they name masked, the real values sent).

    An empty or masked secret is masked too, so that it resolves to the stored value: only a
    new real value replaces a stored secret.
    """
    secrets = {key: options[key] for key in secret if _is_real(options.get(key))}
    shown = {key: SECRET_MASK if key in secret else value for key, value in options.items()}
    return shown, secrets


def restored(options: Mapping[str, Any], secrets: Mapping[str, Any]) -> dict[str, Any]:
    """``options`` with each mask whose real value ``secrets`` holds replaced by it."""
    return {
        key: secrets[key] if value == SECRET_MASK and key in secrets else value
        for key, value in options.items()
    }


def resolved(
    options: Mapping[str, str],
    stored: Mapping[str, str],
    secret: Collection[str],
    *,
    keep_omitted: bool = False,
    target: tuple[str, str] | None = None,
    stored_target: tuple[str, str] | None = None,
) -> dict[str, str]:
    """The options to store.

    A secret still sent as ``SECRET_MASK`` (the client sent back what it read) keeps the
    stored value, or is dropped when nothing is stored. With ``keep_omitted``, a secret the
    request left out keeps its stored value too (privacyIDEA's partial option updates).

    A stored secret is kept only for its destination: ``target`` and ``stored_target`` are
    the (module, action) of the request and of what is stored, and ``DESTINATION_OPTIONS``
    are compared between ``options`` and ``stored``. When any differs, keeping a secret
    raises ``SecretNotResent`` naming the option (else a new URL sent with the mask would
    receive the old ``Authorization``).
    """
    moved = target != stored_target or any(
        (options.get(key) or "") != (stored.get(key) or "") for key in DESTINATION_OPTIONS
    )
    final = dict(options)
    for key in sorted(secret):
        keep = final.get(key) == SECRET_MASK or (keep_omitted and key not in final)
        if not keep:
            continue
        if not stored.get(key):
            final.pop(key, None)
            continue
        if moved:
            raise SecretNotResent(key)
        final[key] = stored[key]
    return final
