"""Every table of event-service and the one function that creates them."""

from __future__ import annotations

from pynamodb.models import Model

from chalicelib.settings import Settings
from chalicelib.store import (
    catalog,
    counters,
    due_work,
    event_traits,
    events,
    executions,
    handlers,
    login_failures,
    maddash,
    maintenance,
    meta,
    nodes,
    opevents,
    principals,
    processmaker,
    revoked_tokens,
)
from chalicelib.store.base import bind_model

# (model, short table name): the single list that table creation, binding and packaging share.
ALL_MODELS: tuple[tuple[type[Model], str], ...] = (
    (events.EventModel, events.SHORT_NAME),
    (event_traits.EventTraitModel, event_traits.SHORT_NAME),
    (catalog.CatalogModel, catalog.SHORT_NAME),
    (principals.PrincipalModel, principals.SHORT_NAME),
    (handlers.HandlerModel, handlers.SHORT_NAME),
    (executions.ExecutionModel, executions.SHORT_NAME),
    (counters.CounterModel, counters.SHORT_NAME),
    (meta.MetaModel, meta.SHORT_NAME),
    (maintenance.MaintenanceModel, maintenance.SHORT_NAME),
    (due_work.DueWorkModel, due_work.SHORT_NAME),
    (processmaker.ProcessMakerModel, processmaker.SHORT_NAME),
    (login_failures.LoginFailureModel, login_failures.SHORT_NAME),
    (maddash.MaddashModel, maddash.SHORT_NAME),
    (nodes.NodeModel, nodes.SHORT_NAME),
    (opevents.OpEventModel, opevents.SHORT_NAME),
    (opevents.OpEventStateModel, opevents.STATE_SHORT_NAME),
    (revoked_tokens.RevokedTokenModel, revoked_tokens.SHORT_NAME),
)


def bind_all(settings: Settings) -> None:
    """Point every model at the tables and endpoint of ``settings``."""
    for model, short_name in ALL_MODELS:
        bind_model(model, short_name, settings)


def create_all_tables(wait: bool = True) -> list[str]:
    """Create every missing table (streams, TTL and indexes included); return the table names."""
    names = []
    for model, _ in ALL_MODELS:
        model.create_table(wait=wait, billing_mode="PAY_PER_REQUEST")
        names.append(model.Meta.table_name)
    return names


def tables_reachable() -> bool:
    """True when every table exists and answers."""
    try:
        return all(model.exists() for model, _ in ALL_MODELS)
    except Exception:
        return False
