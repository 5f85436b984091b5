"""Secret options: write-only values (a password, an ``Authorization`` header) of an action.

One helper for every owner of module options (privacyIDEA handlers, ProcessMaker triggers):

- ``masked``: what a client, a ``pre`` handler, an operation event or a log ever sees;
- ``split``: a request's options with the secrets it sent masked, and those secrets apart
  (the masked options travel through ``pre`` handlers and into the operation's event, the
  secrets go straight to the store);
- ``restored``: the secrets put back where their mask still stands;
- ``masked_url``: a URL option with its credentials (userinfo, ``key``/``token``/``sig``…
  query parameters) masked: they are secrets too, wherever the URL is shown;
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
    "masked_url",
    "resolved",
    "restored",
    "split",
]

# What a secret option's value reads as everywhere outside the store and the action.
SECRET_MASK = "********"
# The options that say where an action sends its secrets (WebHook's and Federation's URL).
DESTINATION_OPTIONS = ("URL",)


# Query parameters whose value is a credential: a name equal to one of these, or ending in
# ``_<one>`` / ``-<one>`` (``api_key``, ``access_token``, ``x-amz-signature``…).
CREDENTIAL_PARAMETERS = frozenset(
    {
        "key",
        "apikey",
        "token",
        "secret",
        "password",
        "passwd",
        "pwd",
        "pass",
        "sig",
        "signature",
        "auth",
        "authorization",
        "credential",
        "credentials",
        "code",
    }
)


def _credential_parameter(name: str) -> bool:
    lowered = name.lower()
    last = lowered.replace("-", "_").rsplit("_", 1)[-1]
    return lowered in CREDENTIAL_PARAMETERS or last in CREDENTIAL_PARAMETERS


def masked_url(url: str) -> str:
    """``url`` with its userinfo and credential-looking query values replaced by the mask."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc
    if "@" in netloc:
        netloc = SECRET_MASK + "@" + netloc.rsplit("@", 1)[1]
    query = parts.query
    pairs = parse_qsl(query, keep_blank_values=True)
    if any(_credential_parameter(name) for name, _ in pairs):
        shown = [(n, SECRET_MASK if _credential_parameter(n) and v else v) for n, v in pairs]
        query = urlencode(shown, safe="*")
    if (netloc, query) == (parts.netloc, parts.query):
        return url
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def _masked_destinations(options: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: masked_url(value) if key in DESTINATION_OPTIONS and isinstance(value, str) else value
        for key, value in options.items()
    }


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
    """``options`` with every non-empty secret value replaced by ``SECRET_MASK``, and the
    credentials of URL options masked (``masked_url``)."""
    return {
        key: SECRET_MASK if key in secret and value else value
        for key, value in _masked_destinations(options).items()
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
    # A URL's credentials are kept apart the same way (its masked form travels instead).
    for key, value in _masked_destinations(shown).items():
        if value != shown[key]:
            secrets[key], shown[key] = shown[key], value
    return shown, secrets


def restored(options: Mapping[str, Any], secrets: Mapping[str, Any]) -> dict[str, Any]:
    """``options`` with each mask whose real value ``secrets`` holds replaced by it (a URL
    whose masked form still stands included)."""
    return {
        key: secrets[key]
        if key in secrets and (value == SECRET_MASK or value == masked_url(str(secrets[key])))
        else value
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
    final = dict(options)
    for key in DESTINATION_OPTIONS:
        sent, kept = final.get(key), stored.get(key)
        # A URL read back (credentials masked) and sent again is the stored URL.
        if isinstance(sent, str) and kept and sent != kept and sent == masked_url(kept):
            final[key] = kept
        elif isinstance(sent, str) and SECRET_MASK in sent:
            raise SecretNotResent(key)  # a mask inside a changed URL: its credentials are lost
    options = final
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
