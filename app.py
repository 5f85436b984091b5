"""event-service: one serverless backend for five event APIs over one store.

Wiring only: the Chalice app, its middleware, one blueprint per dialect, and the two
non-HTTP entry points (the events-table stream trigger and the scheduled function). Those two
stay here because Chalice points a blueprint's event handler at the blueprint module, where
app middleware would not run.
"""

from __future__ import annotations

from typing import Any

from chalice import Chalice, Rate

from chalicelib import metrics, observability
from chalicelib.dialects import admin, console
from chalicelib.dialects.common import request_depth_middleware
from chalicelib.dialects.maddash import routes as maddash
from chalicelib.dialects.opevents import routes as opevents
from chalicelib.dialects.panko import routes as panko
from chalicelib.dialects.privacyidea import routes as privacyidea
from chalicelib.dialects.processmaker import routes as processmaker_dialect
from chalicelib.openapi import routes as reference
from chalicelib.settings import get_settings

app = Chalice(app_name="event-service")
app.register_middleware(observability.http_middleware, "http")
app.register_middleware(request_depth_middleware, "http")
app.register_blueprint(admin.bp)
app.register_blueprint(panko.bp)
app.register_blueprint(privacyidea.bp)
app.register_blueprint(processmaker_dialect.bp)
app.register_blueprint(maddash.bp)
app.register_blueprint(opevents.bp)
app.register_blueprint(console.bp)
app.register_blueprint(reference.bp)


@app.on_dynamodb_record(
    stream_arn=get_settings().events_stream_arn,
    batch_size=100,
    starting_position="TRIM_HORIZON",
    name="handle_event_stream",
)
def handle_event_stream(event: Any) -> dict[str, Any]:
    """Every new event reaches its post handlers from here (at least once, per record)."""
    from chalicelib.engine import dispatch

    try:
        return dispatch.handle_stream_batch(event.to_dict(), event.context)
    finally:
        metrics.flush("stream")


@app.schedule(Rate(1, unit=Rate.MINUTES), name="run_schedule")
def run_schedule(event: Any) -> dict[str, Any]:
    """Time-based work: maintenance windows, process timers; runs every minute."""

    from chalicelib.dialects import jobs as dialect_jobs

    try:
        return dialect_jobs.run_due_work(context=event.context)
    finally:
        metrics.flush("schedule")
