"""privacyIDEA wire format: parameter reading and error mapping, without HTTP."""

from __future__ import annotations

import pytest

from chalicelib.dialects.common import status_of_error
from chalicelib.dialects.privacyidea import wire
from chalicelib.errors import (
    AdminRequired,
    AuthenticationFailed,
    EventServiceError,
    NotFound,
    OperationRefused,
    PermissionDenied,
    ValidationFailed,
)

REQUIRED = {"name": "n", "event": "e", "handlermodule": "WebHook", "action": "post_webhook"}


@pytest.mark.parametrize("value", [1, "1", True, "True", "true", "TRUE"])
def test_is_true_accepts_exactly_privacyideas_values(value):
    assert wire.is_true(value)


@pytest.mark.parametrize("value", [0, "0", False, "false", "yes", "on", "", None, "T"])
def test_is_true_rejects_everything_else(value):
    assert not wire.is_true(value)


def test_a_draft_from_minimal_params_has_privacyideas_defaults():
    draft = wire.draft_from_params(REQUIRED)
    assert draft.id is None
    assert (draft.position, draft.ordering, draft.active) == ("post", 0, True)
    assert draft.abort_on_error is None and draft.conditions is None
    assert draft.options == {} and draft.clear_options is False


def test_a_draft_reads_options_flags_and_events():
    draft = wire.draft_from_params(
        {
            **REQUIRED,
            "event": ["a", " b ", ""],
            "id": "12",
            "ordering": " 4 ",
            "active": "false",
            "abort_on_error": "1",
            "clear_options": "TRUE",
            "option.To email": "x@example.com",
            "options": {"To": "email", "To email": "overridden"},
            "conditions": '{"k": 1}',
        }
    )
    assert draft.events == ("a", "b")
    assert (draft.id, draft.ordering, draft.active) == (12, 4, False)
    assert draft.abort_on_error is True and draft.clear_options is True
    assert draft.options == {"To": "email", "To email": "x@example.com"}
    assert draft.conditions == {"k": 1}


@pytest.mark.parametrize("value", [None, "", 0, "0", False])
def test_a_falsy_id_creates(value):
    assert wire.draft_from_params({**REQUIRED, "id": value}).id is None


@pytest.mark.parametrize(
    ("name", "value"),
    [("id", "abc"), ("id", True), ("ordering", "abc"), ("ordering", 1.5), ("conditions", "[]")],
)
def test_unreadable_values_are_validation_failures(name, value):
    with pytest.raises(ValidationFailed):
        wire.draft_from_params({**REQUIRED, name: value})


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            ValidationFailed("Missing parameter: name"),
            (400, 905, "ERR905: Missing parameter: name"),
        ),
        (
            AuthenticationFailed(reason="missing"),
            (401, 4033, "Authentication failure. Missing Authorization header."),
        ),
        (
            AuthenticationFailed("Signature has expired", reason="expired"),
            (401, 4305, "Authentication failure. Your token has expired: Signature has expired"),
        ),
        (
            AuthenticationFailed("Not enough segments"),
            (
                401,
                4304,
                "Authentication failure. Error decoding the Authorization token: "
                "Not enough segments",
            ),
        ),
        (
            AuthenticationFailed(reason=wire.WRONG_CREDENTIALS),
            (401, 4031, "Authentication failure. Wrong credentials"),
        ),
        (AdminRequired(), (401, 4306, wire.WRONG_ROLE)),
        (
            PermissionDenied(permission="eventhandling_read"),
            (
                403,
                303,
                "Admin actions are defined, but the action eventhandling_read is not allowed!",
            ),
        ),
        (NotFound("gone"), (404, 601, "gone")),
        (OperationRefused("no"), (400, 10, "ERR10: no")),
        (EventServiceError("boom"), (500, -500, wire.INTERNAL_ERROR)),
    ],
)
def test_domain_errors_map_to_privacyideas_codes(error, expected):
    assert wire.error_triple(error) == expected
    # the status the one error boundary answers agrees with the envelope's
    assert status_of_error(error, wire.STATUS_OVERRIDES) == expected[0]
