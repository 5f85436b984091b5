"""Named JSON schemas (OpenAPI ``components.schemas``) that route declarations refer to by name.

A declaration names a schema by string (``"User"``) so a dialect's import builds no dicts;
the document turns the name into ``{"$ref": "#/components/schemas/User"}``.
"""

from __future__ import annotations

from typing import Any

_STRING = {"type": "string"}
_STRINGS = {"type": "array", "items": _STRING}
_NULLABLE_STRING = {"type": ["string", "null"]}


def _object(required: tuple[str, ...], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": list(required), "properties": properties}


def _pi_success(value: dict[str, Any]) -> dict[str, Any]:
    return _object(
        ("id", "jsonrpc", "result", "time", "version", "versionnumber"),
        id={"type": "integer"},
        jsonrpc={"const": "2.0"},
        nonce=_STRING,
        result=_object(("status", "value"), status={"const": True}, value=value),
        time={"type": "number"},
        version=_STRING,
        versionnumber=_STRING,
    )


_USER = _object(
    ("username", "roles", "permissions", "project_id", "user_id", "workspaces"),
    username=_STRING,
    roles=_STRINGS,
    permissions=_STRINGS,
    project_id=_NULLABLE_STRING,
    user_id=_STRING,
    workspaces=_STRINGS,
)
_TRAIT = _object(("name", "type", "value"), name=_STRING, type=_STRING, value=_NULLABLE_STRING)
_EVENT = _object(
    ("message_id", "event_type", "traits", "generated", "raw"),
    message_id=_STRING,
    event_type=_STRING,
    traits={"type": "array", "items": _TRAIT},
    generated=_STRING,
    raw={},
)
_NEW_TRAIT = _object(
    ("name", "value"),
    name=_STRING,
    type={"enum": ["string", "integer", "float", "datetime"]},
    value={},
)
_NEW_EVENT = _object(
    ("event_type",),
    event_type=_STRING,
    message_id=_STRING,
    generated=_STRING,
    traits={"type": "array", "items": _NEW_TRAIT},
    raw={},
)
_HANDLER = _object(
    ("id", "name", "event", "handlermodule", "action", "active"),
    id={"type": "integer"},
    name=_STRING,
    event=_STRINGS,
    handlermodule=_STRING,
    action=_STRING,
    active={"type": "boolean"},
    ordering={"type": "integer"},
    position=_STRING,
    options={"type": "object"},
    conditions={"type": "object"},
)

SCHEMAS: dict[str, dict[str, Any]] = {
    "Health": _object(("status", "tables"), status={"enum": ["ok", "unavailable"]}, tables={}),
    "User": _USER,
    "UserList": {"type": "array", "items": _USER},
    "NewUser": {
        **_object(
            ("username", "password"),
            username={"type": "string", "pattern": "^[A-Za-z0-9_.@+-]{1,64}$"},
            password={"type": "string", "minLength": 8},
            roles=_STRINGS,
            permissions=_STRINGS,
            project_id=_STRING,
            user_id=_STRING,
            workspaces=_STRINGS,
        ),
        "additionalProperties": False,
    },
    "Token": _object(
        ("token", "username", "roles"), token=_STRING, username=_STRING, roles=_STRINGS
    ),
    "FreshToken": _object(("token", "username"), token=_STRING, username=_STRING),
    "PankoVersions": _object(("versions",), versions={"type": "object"}),
    "PankoCapabilities": _object(
        ("api", "event_storage"), api={"type": "object"}, event_storage={"type": "object"}
    ),
    "PankoEventTypes": _STRINGS,
    "PankoTraitDescriptions": {
        "type": "array",
        "items": _object(("name", "type"), name=_STRING, type=_STRING),
    },
    "PankoTraits": {"type": "array", "items": _TRAIT},
    "PankoEvent": _EVENT,
    "PankoEvents": {"type": "array", "items": _EVENT},
    "PankoNewEvents": {"oneOf": [_NEW_EVENT, {"type": "array", "items": _NEW_EVENT}]},
    "PankoIngested": _object(("stored", "duplicates"), stored=_STRINGS, duplicates=_STRINGS),
    "PiLogin": _object(("username", "password"), username=_STRING, password=_STRING),
    "PiAuthenticated": _pi_success(
        _object(
            ("token", "role", "username", "realm", "rights"),
            token=_STRING,
            role={"enum": ["admin", "user"]},
            username=_STRING,
            realm=_STRING,
            rights=_STRINGS,
        )
    ),
    "PiHandlerForm": _object(
        ("name", "event", "handlermodule", "action"),
        id={"type": "integer"},
        name=_STRING,
        event={"type": "string", "description": "comma-separated event names"},
        handlermodule=_STRING,
        action=_STRING,
        position={"enum": ["post", "pre"]},
        ordering={"type": "integer"},
        active={"type": "boolean"},
        conditions={"type": "object"},
        options={"type": "object"},
    ),
    "PiHandlers": _pi_success({"type": "array", "items": _HANDLER}),
    "PiId": _pi_success({"type": "integer"}),
    "PiStrings": _pi_success(_STRINGS),
    "PiObject": _pi_success({"type": "object"}),
    "PiList": _pi_success({"type": "array"}),
    "PiValue": _pi_success({}),
    "UserChanges": {
        **_object(
            (),
            roles=_STRINGS,
            permissions=_STRINGS,
            project_id=_NULLABLE_STRING,
            user_id=_STRING,
            workspaces=_STRINGS,
            password={"type": "string", "minLength": 8},
        ),
        "additionalProperties": False,
    },
    "PasswordChange": {
        **_object(
            ("current_password", "new_password"),
            current_password=_STRING,
            new_password={"type": "string", "minLength": 8},
        ),
        "additionalProperties": False,
    },
    "Revoked": _object(("username", "revoked"), username=_STRING, revoked={"const": True}),
    "OeLogin": _object(("username", "password"), username=_STRING, password=_STRING),
    "OeLoggedIn": _object(("success", "username"), success={"const": 1}, username=_STRING),
    "OeNewEvent": _object(
        ("event",),
        event=_STRING,
        node=_STRING,
        host=_STRING,
        time={"type": ["integer", "number", "string"]},
        date=_STRING,
        level=_STRING,
        stateful=_STRING,
        state=_STRING,
    ),
    "OeCreated": _object(
        ("success", "id"),
        success={"const": 1},
        id={"type": "string", "pattern": "^[0-9a-f]{24}$"},
        duplicate={"const": 1},
        flap={"const": 1},
    ),
    "OeEvent": {"type": "object"},
    "OeEvents": {"type": "array", "items": {"type": "object"}},
    "OeUpdated": _object(("success",), success=_STRING),
    "OeNode": _object(
        ("name",),
        name=_STRING,
        host=_STRING,
        addresses=_STRINGS,
        aliases=_STRINGS,
        activated={},
    ),
    "OeNodes": {"type": "array", "items": {"type": "object"}},
    "MdObject": {"type": "object"},
    "MdList": {"type": "array"},
    "MdEvents": _object(("events",), events={"type": "array", "items": {"type": "object"}}),
    "MdUri": _object(("uri",), uri=_STRING),
    "MdDeleted": _object(("status", "message"), status={"const": 0}, message=_STRING),
    "PmTokenRequest": _object(
        ("grant_type",),
        grant_type={"enum": ["password", "refresh_token"]},
        username=_STRING,
        password=_STRING,
        client_id=_STRING,
        client_secret=_STRING,
        refresh_token=_STRING,
        scope=_STRING,
    ),
    "PmToken": _object(("access_token", "token_type"), access_token=_STRING, token_type=_STRING),
    "PmObject": {"type": "object"},
    "PmList": {"type": "array", "items": {"type": "object"}},
    # POST /project: the project, or for an imported structure ProcessMaker's uid map
    "PmCreatedProject": {
        "oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]
    },
    "PmCaseStarted": _object(("app_uid", "app_number"), app_uid=_STRING, app_number={}),
    "PmLogPage": _object(
        ("data", "next"), data={"type": "array", "items": {"type": "object"}}, next={}
    ),
}

# Query parameter sets, by name: {parameter: JSON schema}.
_Q = {"type": "array", "items": _STRING}
QUERIES: dict[str, dict[str, dict[str, Any]]] = {
    "PankoListQuery": {
        "q.field": _Q,
        "q.op": {"type": "array", "items": {"enum": ["lt", "le", "eq", "ne", "ge", "gt"]}},
        "q.value": _Q,
        "q.type": {
            "type": "array",
            "items": {"enum": ["", "string", "integer", "float", "datetime"]},
        },
        "limit": {"type": "integer", "minimum": 1},
        "sort": _Q,
        "marker": _STRING,
    },
    "PiExecutionFilters": {
        "status": {"enum": ["ok", "failed", "skipped", "running"]},
        "event_type": _STRING,
        "message_id": _STRING,
        "handler_id": {"type": "integer"},
        "limit": {"type": "integer", "minimum": 1},
    },
    "PmLogFilters": {
        "status": _STRING,
        "limit": {"type": "integer", "minimum": 1},
        "marker": _STRING,
    },
}
