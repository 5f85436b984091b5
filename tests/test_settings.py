import pytest

from chalicelib.settings import LOCAL_TOKEN_SECRET, Settings


def test_defaults_for_local_stage():
    settings = Settings.from_env({})
    assert settings.stage == "local"
    assert settings.table_name("events") == "event-service-local-events"
    assert settings.token_secret == LOCAL_TOKEN_SECRET
    assert settings.dynamodb_endpoint is None


def test_stage_prefixes_tables_and_endpoint_comes_from_aws_variables():
    settings = Settings.from_env(
        {
            "EVENT_SERVICE_STAGE": "prod",
            "EVENT_SERVICE_TOKEN_SECRET": "s3cret-s3cret-s3cret-s3cret-s3cret",
            "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8001",
            "AWS_REGION": "eu-west-1",
        }
    )
    assert settings.table_name("events") == "event-service-prod-events"
    assert settings.dynamodb_endpoint == "http://127.0.0.1:8001"
    assert settings.region == "eu-west-1"


def test_non_local_stage_refuses_to_start_without_a_token_secret():
    with pytest.raises(ValueError, match="EVENT_SERVICE_TOKEN_SECRET"):
        Settings.from_env({"EVENT_SERVICE_STAGE": "dev"})


def test_unknown_stage_is_refused():
    with pytest.raises(ValueError, match="must be one of"):
        Settings.from_env({"EVENT_SERVICE_STAGE": "staging"})


def test_lists_and_flags_are_parsed():
    settings = Settings.from_env(
        {
            "EVENT_SERVICE_WEBHOOK_ALLOWLIST": "hooks.example.com, 10.0.0.0/8 ,",
            "EVENT_SERVICE_TRUST_IDENTITY_HEADERS": "True",
            "EVENT_SERVICE_GATEWAY_SECRET": "gateway-secret",
        }
    )
    assert settings.webhook_allowlist == ("hooks.example.com", "10.0.0.0/8")
    assert settings.trust_identity_headers is True


CLOUD = {"EVENT_SERVICE_STAGE": "dev", "EVENT_SERVICE_TOKEN_SECRET": "s" * 32}


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"EVENT_SERVICE_TOKEN_SECRET": LOCAL_TOKEN_SECRET}, "EVENT_SERVICE_TOKEN_SECRET"),
        ({"EVENT_SERVICE_TOKEN_SECRET": "s" * 31}, "EVENT_SERVICE_TOKEN_SECRET"),
        ({"EVENT_SERVICE_PASSWORD_MEMORY_KIB": "19455"}, "EVENT_SERVICE_PASSWORD_MEMORY_KIB"),
        ({"EVENT_SERVICE_TRUST_IDENTITY_HEADERS": "1"}, "EVENT_SERVICE_GATEWAY_SECRET"),
        ({"EVENT_SERVICE_STAGE": "prod", "EVENT_SERVICE_TOKEN_SECRET": "short"}, "TOKEN_SECRET"),
    ],
)
def test_weak_settings_fail_at_cold_start_in_the_cloud(changes, named):
    with pytest.raises(ValueError, match=named) as caught:
        Settings.from_env({**CLOUD, **changes})
    assert "\n" not in str(caught.value)


def test_strong_cloud_settings_start():
    settings = Settings.from_env(
        {
            **CLOUD,
            "EVENT_SERVICE_TRUST_IDENTITY_HEADERS": "1",
            "EVENT_SERVICE_GATEWAY_SECRET": "gateway-secret",
        }
    )
    assert settings.password_memory_kib == 19_456 and settings.gateway_secret == "gateway-secret"
    assert (settings.max_session_seconds, settings.principal_cache_seconds) == (43_200, 60)


def test_trusted_identity_headers_need_the_gateway_secret_on_every_stage():
    with pytest.raises(ValueError, match="EVENT_SERVICE_GATEWAY_SECRET"):
        Settings.from_env({"EVENT_SERVICE_TRUST_IDENTITY_HEADERS": "1"})


def test_the_principal_cache_never_outlives_a_minute():
    assert (
        Settings.from_env({"EVENT_SERVICE_PRINCIPAL_CACHE_SECONDS": "600"}).principal_cache_seconds
        == 60
    )


def test_private_webhook_targets_default_by_stage():
    from chalicelib.settings import Settings

    assert Settings.from_env({"EVENT_SERVICE_STAGE": "local"}).webhook_allow_private
    dev = {"EVENT_SERVICE_STAGE": "dev", "EVENT_SERVICE_TOKEN_SECRET": "s" * 40}
    assert not Settings.from_env(dev).webhook_allow_private
    assert Settings.from_env(
        {**dev, "EVENT_SERVICE_WEBHOOK_ALLOW_PRIVATE": "1"}
    ).webhook_allow_private
    local_off = {"EVENT_SERVICE_STAGE": "local", "EVENT_SERVICE_WEBHOOK_ALLOW_PRIVATE": "0"}
    assert not Settings.from_env(local_off).webhook_allow_private
