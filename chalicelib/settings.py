"""Every setting of event-service, read from the environment once.

Explicit arguments beat the environment: tests and the local runtime build a
``Settings`` with ``Settings.from_env(overrides)`` or call ``reset_settings()``
after changing ``os.environ``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache

# Environment variable names, as constants so that every reader agrees on them.
ENV_STAGE = "EVENT_SERVICE_STAGE"
ENV_TABLE_PREFIX = "EVENT_SERVICE_TABLE_PREFIX"
ENV_REGION = "AWS_REGION"
ENV_DEFAULT_REGION = "AWS_DEFAULT_REGION"
ENV_DYNAMODB_ENDPOINT = "AWS_ENDPOINT_URL_DYNAMODB"
ENV_ENDPOINT = "AWS_ENDPOINT_URL"
ENV_TOKEN_SECRET = "EVENT_SERVICE_TOKEN_SECRET"
ENV_TOKEN_TTL = "EVENT_SERVICE_TOKEN_TTL_SECONDS"
ENV_EVENTS_STREAM_ARN = "EVENT_SERVICE_EVENTS_STREAM_ARN"
ENV_SCHEDULE_INTERVAL = "SCHEDULE_INTERVAL_SECONDS"
ENV_TIME_SHARDS = "EVENT_SERVICE_TIME_SHARDS"
ENV_MAX_BODY_BYTES = "EVENT_SERVICE_MAX_BODY_BYTES"
ENV_PANKO_DEFAULT_LIMIT = "PANKO_DEFAULT_LIMIT"
ENV_TRUST_IDENTITY_HEADERS = "EVENT_SERVICE_TRUST_IDENTITY_HEADERS"
ENV_PASSWORD_MEMORY_KIB = "EVENT_SERVICE_PASSWORD_MEMORY_KIB"
ENV_ADMIN_USERNAME = "ADMIN_USERNAME"
ENV_ADMIN_PASSWORD = "ADMIN_PASSWORD"
ENV_WEBHOOK_ALLOWLIST = "EVENT_SERVICE_WEBHOOK_ALLOWLIST"
ENV_WEBHOOK_ALLOW_PRIVATE = "EVENT_SERVICE_WEBHOOK_ALLOW_PRIVATE"
ENV_ACTION_MAX_ATTEMPTS = "EVENT_SERVICE_ACTION_MAX_ATTEMPTS"
ENV_ACTION_BACKOFF_SECONDS = "EVENT_SERVICE_ACTION_BACKOFF_SECONDS"
ENV_EXECUTION_TTL_DAYS = "EVENT_SERVICE_EXECUTION_TTL_DAYS"
ENV_MAIL_SENDER = "EVENT_SERVICE_MAIL_SENDER"
ENV_MAX_EVENT_DEPTH = "EVENT_SERVICE_MAX_EVENT_DEPTH"
ENV_EXECUTION_LEASE_SECONDS = "EVENT_SERVICE_EXECUTION_LEASE_SECONDS"
ENV_DUE_WORK_SHARDS = "EVENT_SERVICE_DUE_WORK_SHARDS"
ENV_SCHEDULER_MAX_ATTEMPTS = "EVENT_SERVICE_SCHEDULER_MAX_ATTEMPTS"
ENV_SCHEDULE_DEADLINE_MARGIN = "EVENT_SERVICE_SCHEDULE_DEADLINE_MARGIN_SECONDS"
ENV_PROCESSMAKER_OAUTH_CLIENTS = "PROCESSMAKER_OAUTH_CLIENTS"
ENV_MAX_SESSION_SECONDS = "EVENT_SERVICE_MAX_SESSION_SECONDS"
ENV_PRINCIPAL_CACHE_SECONDS = "EVENT_SERVICE_PRINCIPAL_CACHE_SECONDS"
ENV_LOGIN_MAX_FAILURES = "EVENT_SERVICE_LOGIN_MAX_FAILURES"
ENV_LOGIN_WINDOW_SECONDS = "EVENT_SERVICE_LOGIN_WINDOW_SECONDS"
ENV_GATEWAY_SECRET = "EVENT_SERVICE_GATEWAY_SECRET"
ENV_FEDERATION_SECRET = "EVENT_SERVICE_FEDERATION_SECRET"
ENV_MADDASH_CONFIG = "MADDASH_CONFIG"
ENV_OPEVENTS_AUTO_CREATE_NODES = "OPEVENTS_AUTO_CREATE_NODES"
ENV_OPEVENTS_FLAP_SECONDS = "OPEVENTS_FLAP_SECONDS"
ENV_PANKO_MAX_LIMIT = "PANKO_MAX_LIMIT"
ENV_READ_BUDGET = "EVENT_SERVICE_READ_BUDGET"
ENV_MAX_EVENTS_PER_REQUEST = "EVENT_SERVICE_MAX_EVENTS_PER_REQUEST"
ENV_MAX_TRAITS = "EVENT_SERVICE_MAX_TRAITS"
ENV_TYPE_SHARDS = "EVENT_SERVICE_TYPE_SHARDS"
ENV_DISPATCH_CONCURRENCY = "EVENT_SERVICE_DISPATCH_CONCURRENCY"
ENV_DISPATCH_PER_DESTINATION = "EVENT_SERVICE_DISPATCH_PER_DESTINATION"
ENV_OUTBOUND_DEADLINE_SECONDS = "EVENT_SERVICE_OUTBOUND_DEADLINE_SECONDS"
ENV_INDEXED_TRAITS = "EVENT_SERVICE_INDEXED_TRAITS"
DEFAULT_INDEXED_TRAITS = ("resource_id", "instance_id", "host", "node")
MAX_INDEXED_TRAITS = 24  # x 4 trait types + the event: within one 100-action transaction

STAGES = ("local", "dev", "prod")
LOCAL_STREAM_ARN = (
    "arn:aws:dynamodb:us-east-1:123456789012:table/event-service-local-events/stream/local"
)
# Only the local stage may fall back to a well-known secret; other stages must set one.
LOCAL_TOKEN_SECRET = "local-development-secret-change-me-0123456789"
# ProcessMaker's own designer client, accepted on the local stage only (unless set).
LOCAL_PROCESSMAKER_CLIENT = "x-pm-local-client:179ad45c6ce2cb97cf1029e212046e81"
# Outside the local stage: a token secret at least this long, argon2 memory at least this
# (OWASP's minimum for argon2id: 19 MiB).
MIN_TOKEN_SECRET_BYTES = 32
MIN_PASSWORD_MEMORY_KIB = 19_456
# The header an identity gateway sends with the shared secret when identity headers are trusted.
GATEWAY_SECRET_HEADER = "x-event-service-gateway-secret"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """The resolved configuration of one process."""

    stage: str = "local"
    region: str = "us-east-1"
    table_prefix: str = "event-service-local-"
    dynamodb_endpoint: str | None = None
    token_secret: str = LOCAL_TOKEN_SECRET
    token_ttl_seconds: int = 3600
    events_stream_arn: str = LOCAL_STREAM_ARN
    schedule_interval_seconds: int = 60
    # Write shards of the time index: at 500 writes/s per shard (half a partition), 20 carry
    # 10,000 events/s (see bench_partitions). Never lower it on a live table.
    time_shards: int = 20
    max_body_bytes: int = 1_048_576
    panko_default_limit: int = 100
    trust_identity_headers: bool = False
    password_memory_kib: int = 19_456
    admin_username: str | None = None
    admin_password: str | None = None
    webhook_allowlist: tuple[str, ...] = field(default_factory=tuple)
    webhook_allow_private: bool = False
    action_max_attempts: int = 3
    action_backoff_seconds: float = 0.5
    execution_ttl_days: int = 30
    mail_sender: str = "event-service@example.com"
    # Events recorded because of a handler execution carry depth+1; deeper ones are not
    # dispatched, so handlers never trigger each other in an endless loop.
    max_event_depth: int = 3
    # How long a claimed execution stays ``running`` before another delivery may take it over
    # (the stream trigger uses the invocation's remaining time when it knows it).
    execution_lease_seconds: int = 300
    # The due-work index's partitions: one Query each per tick, so keep it small; one
    # partition takes ~1,000 writes/s of newly planned work.
    due_work_shards: int = 1
    scheduler_max_attempts: int = 3
    # A tick stops claiming work when the invocation has less than this left.
    schedule_deadline_margin_seconds: float = 10.0
    # ProcessMaker's OAuth clients ("id:secret" pairs) that may ask for tokens.
    processmaker_oauth_clients: tuple[str, ...] = field(default_factory=tuple)
    # No token is refreshed past this long after the login that started its session.
    max_session_seconds: int = 43_200
    # How long a process trusts what it read of a principal (revocation reaches other
    # processes within this); never more than 60 s.
    principal_cache_seconds: int = 60
    # Brute force: this many failed logins for one username within the window lock it out
    # (429) until the window passes.
    login_max_failures: int = 10
    login_window_seconds: int = 300
    # With trusted identity headers, requests must carry GATEWAY_SECRET_HEADER with this value.
    gateway_secret: str | None = None
    # The key that signs the execution depth sent to peers and verifies the depth they send
    # (``core/executions.depth_from_headers``); unset: the token secret, so a service's posts
    # to itself prove their depth without configuration.
    federation_secret: str | None = None
    # A MaDDash configuration file (YAML or JSON) that `make run` loads at start.
    maddash_config: str | None = None
    # opEvents: create a node from an event's unknown ``host`` instead of refusing the event.
    opevents_auto_create_nodes: bool = False
    # opEvents: an up reported this soon after the down of the same entity is a flap.
    opevents_flap_seconds: float = 90.0
    # Bounded work per request: Panko's largest page (as Gnocchi's max_limit), the items one
    # listing may read before it ends its page early (the marker continues from there), and
    # what one ingest request may carry.
    panko_max_limit: int = 1000
    read_budget: int = 5000
    max_events_per_request: int = 1000
    max_traits: int = 256
    # Write shards of the by_type index and of the executions' by_day and by_handler indexes
    # (never lower it on a live table: shards past the new count would no longer be read).
    type_shards: int = 20
    # Stream records handled at once per batch, and the total time one outbound attempt may
    # take (connect + send + answer).
    dispatch_concurrency: int = 8
    # Records of a batch in flight to one destination (host:port) at once: a slow destination
    # holds at most this many workers, the rest of the pool stays free for the others.
    dispatch_per_destination: int = 4
    outbound_deadline_seconds: float = 10.0
    # Trait names whose `eq` filter reads the trait index (one entry per event carrying one);
    # events stored before a name was declared get theirs from core/trait_backfill.py.
    indexed_traits: tuple[str, ...] = DEFAULT_INDEXED_TRAITS

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        stage = env.get(ENV_STAGE, "local")
        if stage not in STAGES:
            raise ValueError(f"{ENV_STAGE} must be one of {', '.join(STAGES)}, not {stage!r}")
        secret = env.get(ENV_TOKEN_SECRET) or (LOCAL_TOKEN_SECRET if stage == "local" else "")
        if not secret:
            raise ValueError(f"{ENV_TOKEN_SECRET} must be set on stage {stage}")
        settings = cls(
            stage=stage,
            region=env.get(ENV_REGION) or env.get(ENV_DEFAULT_REGION) or "us-east-1",
            table_prefix=env.get(ENV_TABLE_PREFIX, f"event-service-{stage}-"),
            dynamodb_endpoint=env.get(ENV_DYNAMODB_ENDPOINT) or env.get(ENV_ENDPOINT) or None,
            token_secret=secret,
            token_ttl_seconds=int(env.get(ENV_TOKEN_TTL, "3600")),
            events_stream_arn=env.get(ENV_EVENTS_STREAM_ARN, LOCAL_STREAM_ARN),
            schedule_interval_seconds=int(env.get(ENV_SCHEDULE_INTERVAL, "60")),
            time_shards=max(1, int(env.get(ENV_TIME_SHARDS, "20"))),
            max_body_bytes=int(env.get(ENV_MAX_BODY_BYTES, "1048576")),
            panko_default_limit=max(1, int(env.get(ENV_PANKO_DEFAULT_LIMIT, "100"))),
            trust_identity_headers=_flag(env.get(ENV_TRUST_IDENTITY_HEADERS)),
            password_memory_kib=int(env.get(ENV_PASSWORD_MEMORY_KIB, "19456")),
            admin_username=env.get(ENV_ADMIN_USERNAME) or None,
            admin_password=env.get(ENV_ADMIN_PASSWORD) or None,
            webhook_allowlist=_csv(env.get(ENV_WEBHOOK_ALLOWLIST)),
            # A laptop's receiver is on loopback: the local stage allows private targets unless
            # told otherwise; dev and prod refuse them unless allow-listed or enabled.
            webhook_allow_private=_flag(env[ENV_WEBHOOK_ALLOW_PRIVATE])
            if env.get(ENV_WEBHOOK_ALLOW_PRIVATE, "").strip()
            else stage == "local",
            action_max_attempts=max(1, int(env.get(ENV_ACTION_MAX_ATTEMPTS, "3"))),
            action_backoff_seconds=float(env.get(ENV_ACTION_BACKOFF_SECONDS, "0.5")),
            execution_ttl_days=int(env.get(ENV_EXECUTION_TTL_DAYS, "30")),
            mail_sender=env.get(ENV_MAIL_SENDER, "event-service@example.com"),
            max_event_depth=max(0, int(env.get(ENV_MAX_EVENT_DEPTH, "3"))),
            execution_lease_seconds=max(1, int(env.get(ENV_EXECUTION_LEASE_SECONDS, "300"))),
            due_work_shards=max(1, int(env.get(ENV_DUE_WORK_SHARDS, "1"))),
            scheduler_max_attempts=max(1, int(env.get(ENV_SCHEDULER_MAX_ATTEMPTS, "3"))),
            schedule_deadline_margin_seconds=float(env.get(ENV_SCHEDULE_DEADLINE_MARGIN, "10")),
            processmaker_oauth_clients=_csv(
                env.get(ENV_PROCESSMAKER_OAUTH_CLIENTS)
                or (LOCAL_PROCESSMAKER_CLIENT if stage == "local" else "")
            ),
            max_session_seconds=max(1, int(env.get(ENV_MAX_SESSION_SECONDS, "43200"))),
            principal_cache_seconds=min(
                60, max(0, int(env.get(ENV_PRINCIPAL_CACHE_SECONDS, "60")))
            ),
            login_max_failures=max(1, int(env.get(ENV_LOGIN_MAX_FAILURES, "10"))),
            login_window_seconds=max(1, int(env.get(ENV_LOGIN_WINDOW_SECONDS, "300"))),
            gateway_secret=env.get(ENV_GATEWAY_SECRET) or None,
            federation_secret=env.get(ENV_FEDERATION_SECRET) or None,
            maddash_config=env.get(ENV_MADDASH_CONFIG) or None,
            opevents_auto_create_nodes=_flag(env.get(ENV_OPEVENTS_AUTO_CREATE_NODES)),
            opevents_flap_seconds=max(0.0, float(env.get(ENV_OPEVENTS_FLAP_SECONDS, "90"))),
            panko_max_limit=max(1, int(env.get(ENV_PANKO_MAX_LIMIT, "1000"))),
            read_budget=max(10, int(env.get(ENV_READ_BUDGET, "5000"))),
            max_events_per_request=max(1, int(env.get(ENV_MAX_EVENTS_PER_REQUEST, "1000"))),
            max_traits=max(1, int(env.get(ENV_MAX_TRAITS, "256"))),
            type_shards=max(1, int(env.get(ENV_TYPE_SHARDS, "20"))),
            dispatch_concurrency=max(1, int(env.get(ENV_DISPATCH_CONCURRENCY, "8"))),
            dispatch_per_destination=max(1, int(env.get(ENV_DISPATCH_PER_DESTINATION, "4"))),
            outbound_deadline_seconds=min(
                60.0, max(0.5, float(env.get(ENV_OUTBOUND_DEADLINE_SECONDS, "10")))
            ),
            indexed_traits=(
                _csv(env[ENV_INDEXED_TRAITS])
                if ENV_INDEXED_TRAITS in env
                else DEFAULT_INDEXED_TRAITS
            ),
        )
        settings.check()
        return settings

    def check(self) -> None:
        """Refuse settings that would be weak in the cloud, with one line naming the setting."""
        if len(self.indexed_traits) > MAX_INDEXED_TRAITS:
            # An event and its entries (one per name and type) share one 100-action transaction.
            raise ValueError(
                f"{ENV_INDEXED_TRAITS} names at most {MAX_INDEXED_TRAITS} traits, "
                f"not {len(self.indexed_traits)}"
            )
        if self.trust_identity_headers and not self.gateway_secret:
            raise ValueError(
                f"{ENV_TRUST_IDENTITY_HEADERS} needs {ENV_GATEWAY_SECRET}: the gateway must "
                f"prove itself with the {GATEWAY_SECRET_HEADER} header"
            )
        if self.stage == "local":
            return
        if self.token_secret == LOCAL_TOKEN_SECRET:
            raise ValueError(
                f"{ENV_TOKEN_SECRET} must not be the local secret on stage {self.stage}"
            )
        if len(self.token_secret.encode()) < MIN_TOKEN_SECRET_BYTES:
            raise ValueError(
                f"{ENV_TOKEN_SECRET} must be at least {MIN_TOKEN_SECRET_BYTES} bytes on stage "
                f"{self.stage}"
            )
        if self.password_memory_kib < MIN_PASSWORD_MEMORY_KIB:
            raise ValueError(
                f"{ENV_PASSWORD_MEMORY_KIB} must be at least {MIN_PASSWORD_MEMORY_KIB} "
                f"(19 MiB) on stage {self.stage}"
            )

    def table_name(self, short_name: str) -> str:
        """The stage-prefixed DynamoDB table name for ``short_name`` (e.g. ``events``)."""
        return f"{self.table_prefix}{short_name}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings.from_env()


def reset_settings() -> None:
    """Forget the cached settings so the next ``get_settings()`` reads the environment again."""
    get_settings.cache_clear()
