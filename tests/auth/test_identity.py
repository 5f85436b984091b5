import base64
import time

import jwt
import pytest

from chalicelib.auth.identity import authenticate, optional_principal
from chalicelib.auth.principal import Principal
from chalicelib.auth.principals import create_principal
from chalicelib.auth.tokens import issue_token, principal_from_token
from chalicelib.errors import AuthenticationFailed
from chalicelib.settings import get_settings, reset_settings
from tests.conftest import basic

ALICE = Principal(
    "alice", roles=("member",), permissions=("events_ingest",), project_id="p1", user_id="u-alice"
)


@pytest.fixture
def alice(aws):
    return create_principal(ALICE, "alice-password")


def test_basic_credentials_identify_the_principal(alice):
    assert authenticate(basic("alice", "alice-password")) == alice
    assert alice.public() == ALICE.public()


def test_basic_with_a_wrong_password_or_user_is_refused(alice):
    for headers in (basic("alice", "wrong-password"), basic("nobody", "alice-password")):
        with pytest.raises(AuthenticationFailed) as caught:
            authenticate(headers)
        assert caught.value.reason == "invalid"


def test_malformed_basic_is_refused(aws):
    with pytest.raises(AuthenticationFailed):
        authenticate({"Authorization": "Basic !!!"})
    token = base64.b64encode(b"no-colon").decode()
    with pytest.raises(AuthenticationFailed):
        authenticate({"Authorization": f"Basic {token}"})


@pytest.mark.parametrize(
    "header", ["Authorization", "PI-Authorization", "X-Auth-Token", "authorization"]
)
def test_tokens_are_accepted_bare_in_every_token_header(alice, header):
    token = issue_token(alice)
    assert authenticate({header: token}) == alice


def test_bearer_tokens_are_accepted(alice):
    assert authenticate({"Authorization": f"Bearer {issue_token(alice)}"}) == alice


def test_tokens_carry_the_identity(alice):
    principal = principal_from_token(issue_token(alice))
    assert principal.project_id == "p1" and principal.permissions == ("events_ingest",)
    claims = jwt.decode(issue_token(alice), options={"verify_signature": False})
    assert claims["ver"] == alice.credential_version and claims["auth_time"] <= claims["iat"]


def test_expired_and_forged_tokens_are_refused(alice):
    secret = get_settings().token_secret
    expired = jwt.encode(
        {"iss": "event-service", "sub": "alice", "exp": int(time.time()) - 10}, secret, "HS256"
    )
    with pytest.raises(AuthenticationFailed) as caught:
        principal_from_token(expired)
    assert caught.value.reason == "expired"
    forged = jwt.encode(
        {"iss": "event-service", "sub": "alice", "exp": int(time.time()) + 60, "roles": ["admin"]},
        "another-secret-another-secret-another",
        "HS256",
    )
    with pytest.raises(AuthenticationFailed):
        principal_from_token(forged)


def test_missing_credentials_are_reported_as_missing(aws):
    with pytest.raises(AuthenticationFailed) as caught:
        authenticate({})
    assert caught.value.reason == "missing"
    assert optional_principal({}) is None


def test_identity_headers_are_trusted_only_with_the_setting_and_the_gateway_secret(
    aws, monkeypatch
):
    headers = {"X-User-Id": "u1", "X-Project-Id": "p1", "X-Roles": "Admin,member"}
    proof = {"X-Event-Service-Gateway-Secret": "gateway-shared-secret"}
    with pytest.raises(AuthenticationFailed):
        authenticate({**headers, **proof})
    monkeypatch.setenv("EVENT_SERVICE_TRUST_IDENTITY_HEADERS", "true")
    monkeypatch.setenv("EVENT_SERVICE_GATEWAY_SECRET", "gateway-shared-secret")
    reset_settings()
    try:
        principal = authenticate({**headers, **proof})
        assert principal.is_admin and principal.project_id == "p1" and principal.user_id == "u1"
        # Without the gateway's secret (or with a wrong one) the headers are anyone's words.
        for sent in (headers, {**headers, "X-Event-Service-Gateway-Secret": "guess"}):
            with pytest.raises(AuthenticationFailed) as caught:
                authenticate(sent)
            assert caught.value.reason == "missing"
    finally:
        monkeypatch.delenv("EVENT_SERVICE_TRUST_IDENTITY_HEADERS")
        monkeypatch.delenv("EVENT_SERVICE_GATEWAY_SECRET")
        reset_settings()
