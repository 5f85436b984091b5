"""Secret options: write-only values (a password, an ``Authorization`` header) of an action.

One helper for every owner of module options (privacyIDEA handlers, ProcessMaker triggers):

- ``masked``: what a client, a ``pre`` handler, an operation event or a log ever sees;
- ``split``: a request's options with the secrets it sent masked, and those secrets apart
  (the masked options travel through ``pre`` handlers and into the operation's event, the
  secrets go straight to the store);
- ``restored``: the secrets put back where their mask still stands;
- ``resolved``: the options to store, where a mask sent back means "keep what is stored".
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

__all__ = ["SECRET_MASK", "masked", "resolved", "restored", "split"]

# What a secret option's value reads as everywhere outside the store and the action.
SECRET_MASK = "********"


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
) -> dict[str, str]:
    """The options to store.

    A secret still sent as ``SECRET_MASK`` (the client sent back what it read) keeps the
    stored value, or is dropped when nothing is stored. With ``keep_omitted``, a secret the
    request left out keeps its stored value too (privacyIDEA's partial option updates).
    """
    final = dict(options)
    for key in secret:
        if final.get(key) == SECRET_MASK:
            if stored.get(key):
                final[key] = stored[key]
            else:
                final.pop(key)
        elif keep_omitted and key not in final and stored.get(key):
            final[key] = stored[key]
    return final
