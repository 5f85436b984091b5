"""The shared PynamoDB ``Meta`` settings and the binding of every model to its table."""

from __future__ import annotations

import threading
from typing import Any

import botocore.session
import pynamodb.connection.base as pynamodb_connection
from pynamodb.attributes import ListAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.settings import Settings, get_settings


class BaseMeta:
    """Meta defaults for every model; ``bind_model`` fills in name, region and endpoint."""

    billing_mode = "PAY_PER_REQUEST"
    connect_timeout_seconds = 5
    read_timeout_seconds = 10
    max_retry_attempts = 3


_sessions = threading.local()


def shared_botocore_session() -> botocore.session.Session:
    """One botocore session per thread, shared by every model (and any boto3 client).

    PynamoDB builds a session per model connection; each costs tens of milliseconds of
    loading at cold start. Per thread, because a botocore session is not thread-safe.
    """
    session = getattr(_sessions, "session", None)
    if session is None:
        session = botocore.session.get_session()
        _sessions.session = session
    return session


# PynamoDB's connections ask this module-level name for their session.
pynamodb_connection.get_session = shared_botocore_session


def bind_model(model: type[Model], short_name: str, settings: Settings | None = None) -> None:
    """Point ``model`` at its stage-prefixed table and the configured endpoint."""
    settings = settings or get_settings()
    binding = (settings.table_name(short_name), settings.region, settings.dynamodb_endpoint)
    meta = model.Meta
    if (getattr(meta, "table_name", None), getattr(meta, "region", None), meta.host) == binding:
        return  # keep the connection (and its client): nothing it talks to has changed
    meta.table_name, meta.region, meta.host = binding
    # A cached connection would keep talking to the previous table or endpoint.
    model._connection = None


def string_list(**options: Any) -> ListAttribute[str]:
    """A list-of-strings attribute, typed as what reading it gives.

    PynamoDB's annotations type ``of`` as the element type, while at run time it takes the
    attribute class (``UnicodeAttribute``); this is the one place that bridges the two.
    """
    attribute: Any = ListAttribute(of=UnicodeAttribute, **options)
    return attribute
