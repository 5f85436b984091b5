"""Schemathesis against the real app over real HTTP: every route, admin credentials and none.

The app runs in-process behind Chalice's local HTTP server on a free loopback port, over
moto. Each operation gets ``FUZZ_EXAMPLES`` generated requests (valid and invalid input;
default a few, so ``make test`` stays short; ``make fuzz`` raises it). Checks: no 5xx, and the
status, content type and body conform to the document. Afterwards every stored item must be
whole (an event has its type, time and catalog entry; a user its password hash).

A 5xx whose cause lies in code another change is mending is listed in ``KNOWN_SERVER_ERRORS``
by (method, route, exception type, file:function where it was raised): such a case is
reported, not failed. Remove an entry once its fix is merged.
"""

from __future__ import annotations

import logging
import os
import threading
import traceback

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app import app
from chalicelib.openapi.document import build_document, iter_routes
from tests.conftest import ADMIN_PASSWORD, basic

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
SHRINK = os.environ.get("FUZZ_SHRINK", "") not in ("", "0")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# (method, route, exception type, "file.py:function") of 5xx owned by other open changes.
# "file.py:function" is the innermost frame under chalicelib/.
KNOWN_SERVER_ERRORS: set[tuple[str, str, str, str]] = {
    # A trait name that is no DynamoDB document path ("a[", "x.y", control characters) reaches
    # PynamoDB's filter unchecked: core/events.py (robustness work in progress).
    (
        "GET",
        "/v2/event_types/{event_type}/traits/{trait_name}",
        "ValueError",
        "events.py:list_trait_instances",
    ),
    # The same for a Panko query's trait field (q.field=x.y or "a[") in the time index query.
    ("GET", "/v2/events", "ValueError", "events.py:_paced"),
}

SCHEMA = schemathesis.openapi.from_dict(build_document(app))
OPERATIONS = [  # the dialects' catch-all 404s are no operations of the document
    pytest.param(path, method, id=f"{method} {path}")
    for path, method, _, declaration in iter_routes(app)
    if declaration is None or declaration.listed
]
CREDENTIALS = {"none": {}, "admin": basic("root", ADMIN_PASSWORD)}


class _RaisedHere(logging.Handler):
    """Remembers where the last exception logged by the service was raised."""

    def __init__(self) -> None:
        super().__init__()
        self.last: tuple[str, str] | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            cause = exc.__cause__ or exc
            ours = [
                frame
                for frame in traceback.extract_tb(cause.__traceback__)
                if f"{os.sep}chalicelib{os.sep}" in frame.filename
            ]
            where = f"{os.path.basename(ours[-1].filename)}:{ours[-1].name}" if ours else "?"
            self.last = (type(cause).__name__, where)


@pytest.fixture(scope="module")
def live_api():
    """The app on a free loopback port over moto, with an admin ``root``."""
    from chalice.config import Config
    from chalice.local import create_local_server
    from moto import mock_aws

    from chalicelib.auth.principal import Principal
    from chalicelib.auth.principals import create_principal
    from chalicelib.settings import get_settings, reset_settings
    from chalicelib.store.tables import bind_all, create_all_tables
    from tests.conftest import _forget_process_caches

    reset_settings()
    original_class = app.__class__
    with mock_aws():
        bind_all(get_settings())
        create_all_tables(wait=False)
        _forget_process_caches()
        create_principal(Principal("root", roles=("admin",), user_id="root"), ADMIN_PASSWORD)
        config = Config.create(chalice_stage="local", chalice_app=app, config_from_disk={})
        server = create_local_server(app, config, "127.0.0.1", 0)
        port = server.server.server_address[1]
        thread = threading.Thread(target=server.server.serve_forever, daemon=True)
        thread.start()
        recorder = _RaisedHere()
        logging.getLogger("event-service").addHandler(recorder)
        try:
            yield f"http://127.0.0.1:{port}", recorder
        finally:
            logging.getLogger("event-service").removeHandler(recorder)
            server.shutdown()
            server.server.server_close()
            thread.join(timeout=30)
            app.__class__ = original_class
            _forget_process_caches()


def _whole_items() -> list[str]:
    """Items a half-finished write would leave: events without type, time or catalog entry;
    an opEvents record without its event in the one store (written first)."""
    from chalicelib.auth.principals import list_principals
    from chalicelib.core import catalog
    from chalicelib.store.events import EventModel
    from chalicelib.store.opevents import OpEventModel

    broken = []
    known_types = set(catalog.list_event_types())
    stored = set()
    for item in EventModel.scan():
        stored.add(item.message_id)
        if not (item.event_type and item.generated):
            broken.append(f"event {item.message_id} lacks type or time")
        elif item.event_type not in known_types:
            broken.append(f"event {item.message_id}: type {item.event_type} not in the catalog")
    broken += [f"user {p.username} has no id" for p in list_principals() if not p.user_id]
    broken += [
        f"opEvents record {record.id} has no event in the one store"
        for record in OpEventModel.scan()
        if record.id not in stored
    ]
    return broken


@pytest.mark.parametrize("who", sorted(CREDENTIALS))
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_operation_survives_generated_input(live_api, path, method, who):
    base_url, recorder = live_api
    operation = SCHEMA[path][method]
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )
    known: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not SHRINK,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink] if SHRINK else [Phase.generate],
    )
    @given(case=strategy)
    def run(case):
        recorder.last = None
        response = case.call(base_url=base_url, headers=CREDENTIALS[who])
        if response.status_code >= 500 and recorder.last is not None:
            signature = (method, path, *recorder.last)
            if signature in KNOWN_SERVER_ERRORS:
                known.append(f"{signature}: {case.as_curl_command()}")
                return
        case.validate_response(response, checks=CHECKS)

    run()
    if known:
        print("known server errors (allow-listed):", *known, sep="\n  ")
    assert _whole_items() == []
