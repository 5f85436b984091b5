"""WebHook: bodies from templates, a real local receiver, and refused destinations."""

from __future__ import annotations

import ipaddress
from urllib.parse import parse_qs

import pytest

from chalicelib.core.executions import list_executions
from chalicelib.engine import dispatch
from chalicelib.engine.modules import outbound
from chalicelib.engine.modules.base import ActionFailed
from chalicelib.settings import Settings
from tests.engine.conftest import add_handler, make_event, stream_batch


def post(receiver, **options):
    settings = {"URL": f"{receiver.url}/hook", "content_type": "application/json"}
    settings.update(options)
    add_handler(1, "WebHook", "post_webhook", ["Node Down"], options=settings)
    event = make_event(node="router1", priority=6, state="down")
    dispatch.handle_stream_batch(stream_batch(event))
    return event, receiver.posts("/hook")


def test_json_body_from_a_template(allow_private, receiver):
    event, [got] = post(
        receiver,
        replace="True",
        data='{"text": "{node} is {state}", "priority": "{priority}", "traits": "{traits}", '
        '"id": "{message_id}", "kept": "{unknown}", "nested": {"{node}": ["{event_type}"]}}',
    )
    assert got.headers["Content-Type"] == "application/json"
    assert got.json() == {
        "text": "router1 is down",
        "priority": 6,  # a whole-string tag keeps its type
        "traits": {"node": "router1", "priority": 6, "state": "down"},
        "id": event.message_id,
        "kept": "{unknown}",
        "nested": {"router1": ["Node Down"]},
    }
    assert got.headers["Host"].startswith("127.0.0.1:")
    [execution] = list_executions(handler_id=1)
    assert execution["status"] == "ok" and '"status": 200' in execution["detail"]


def test_form_body_is_url_encoded(allow_private, receiver):
    _, [got] = post(
        receiver,
        content_type="application/x-www-form-urlencoded",
        replace="True",
        data="node={node}&text=down+now&what={event_type}",
    )
    assert got.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(got.body.decode()) == {
        "node": ["router1"],
        "text": ["down now"],
        "what": ["Node Down"],
    }


def test_without_replace_data_is_sent_as_written(allow_private, receiver):
    _, [got] = post(receiver, replace="False", data='{"node": "{node}"}')
    assert got.body == b'{"node": "{node}"}'


def test_empty_data_sends_the_event(allow_private, receiver):
    event, [got] = post(receiver, replace="True", data="")
    body = got.json()
    assert body["message_id"] == event.message_id and body["event_type"] == "Node Down"
    assert body["traits"] == {"node": "router1", "priority": 6, "state": "down"}


def test_legacy_content_type_words_are_understood(allow_private, receiver):
    _, [got] = post(receiver, content_type="json", replace="True", data='{"n": "{node}"}')
    assert got.json() == {"n": "router1"}


def test_private_destinations_are_refused_by_default_on_dev(settings_env, receiver):
    settings_env(
        EVENT_SERVICE_STAGE="dev",
        EVENT_SERVICE_TOKEN_SECRET="s" * 40,
        EVENT_SERVICE_PASSWORD_MEMORY_KIB="19456",
    )
    _, received = post(receiver, replace="True", data="{}")
    assert received == []
    [execution] = list_executions(handler_id=1)
    assert execution["status"] == "failed" and execution["attempts"] == 1
    assert "private address" in execution["error"]


def test_the_local_stage_reaches_a_laptop_receiver_by_default(aws, receiver):
    _, received = post(receiver, replace="True", data="{}")
    assert len(received) == 1


def test_the_allow_list_admits_listed_destinations_only(settings_env, receiver):
    settings_env(EVENT_SERVICE_WEBHOOK_ALLOWLIST="hooks.example.com, 127.0.0.0/8")
    _, received = post(receiver, replace="True", data="{}")
    assert len(received) == 1  # listed by CIDR: private is fine


def test_an_unlisted_destination_is_refused(settings_env, receiver):
    settings_env(
        EVENT_SERVICE_WEBHOOK_ALLOWLIST="hooks.example.com", EVENT_SERVICE_WEBHOOK_ALLOW_PRIVATE="1"
    )
    _, received = post(receiver, replace="True", data="{}")
    assert received == []
    assert "allow-list" in list_executions(handler_id=1)[0]["error"]


# ---------------------------------------------------------------- destination checks


OPEN = Settings(webhook_allow_private=True)


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://169.254.170.2/v2/credentials",
        "http://[fe80::1]/",
        "http://[fd00:ec2::254]/",
        "http://100.100.100.200/latest/meta-data",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://METADATA.google.internal./",
        "http://[::ffff:169.254.169.254]/",
        "http://0.0.0.0:8080/",
    ],
)
def test_metadata_and_link_local_are_always_refused(url):
    with pytest.raises(outbound.DestinationRefused):
        outbound.resolve(url, OPEN)
    with pytest.raises(outbound.DestinationRefused):
        outbound.resolve(
            url, Settings(webhook_allow_private=True, webhook_allowlist=("0.0.0.0/0",))
        )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8080/",
        "http://10.1.2.3/",
        "http://[::1]/",
        "http://192.168.0.1/",
        "http://100.64.0.1/",
        "http://[fd12::1]/",
    ],
)
def test_private_addresses_need_a_setting(url):
    with pytest.raises(outbound.DestinationRefused, match="private"):
        outbound.resolve(url, Settings())
    assert outbound.resolve(url, OPEN).address


@pytest.mark.parametrize(
    "url", ["ftp://example.com/", "file:///etc/passwd", "http:///x", "http://a:b:c/"]
)
def test_malformed_urls_are_refused(url):
    with pytest.raises(outbound.DestinationRefused):
        outbound.resolve(url, OPEN)


def test_every_resolved_address_is_checked(monkeypatch):
    def getaddrinfo(host, port, **kwargs):
        return [
            (2, 1, 6, "", ("93.184.216.34", port)),
            (2, 1, 6, "", ("169.254.169.254", port)),
        ]

    monkeypatch.setattr(outbound.socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(outbound.DestinationRefused, match="metadata"):
        outbound.resolve("https://rebind.example.com/hook", OPEN)


def test_the_connection_goes_to_the_checked_address(monkeypatch):
    monkeypatch.setattr(
        outbound.socket,
        "getaddrinfo",
        lambda host, port, **kwargs: [(2, 1, 6, "", ("93.184.216.34", port))],
    )
    destination = outbound.resolve("https://user:p%40ss@Hooks.Example.com/a/b?x=1", Settings())
    assert destination.address == "93.184.216.34" and destination.host == "hooks.example.com"
    assert destination.port == 443 and destination.target == "/a/b?x=1"
    assert destination.safe_url == "https://hooks.example.com:443/a/b"
    assert destination.authorization == "Basic dXNlcjpwQHNz"


def test_allow_list_entries():
    listed = Settings(webhook_allowlist=("*.example.com", "hooks.test", "10.0.0.0/8"))
    check = outbound.check_address
    check("a.example.com", ipaddress.ip_address("93.184.216.34"), listed)
    check("hooks.test", ipaddress.ip_address("93.184.216.34"), listed)
    check("internal", ipaddress.ip_address("10.2.3.4"), listed)
    with pytest.raises(outbound.DestinationRefused):
        check("example.org", ipaddress.ip_address("93.184.216.34"), listed)


def test_unresolvable_hosts_fail_with_a_retry(monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("no DNS")

    monkeypatch.setattr(outbound.socket, "getaddrinfo", fail)
    with pytest.raises(ActionFailed) as caught:
        outbound.resolve("http://nowhere.example/", OPEN)
    assert caught.value.retryable


def test_a_receiver_that_does_not_answer_in_time_fails_the_attempt(settings_env, receiver):
    settings_env(EVENT_SERVICE_WEBHOOK_ALLOW_PRIVATE="1", EVENT_SERVICE_ACTION_MAX_ATTEMPTS="2")
    receiver.delay = 1.0
    post(receiver, replace="False", data="{}", timeout="0.2")
    [execution] = list_executions(handler_id=1)
    assert execution["status"] == "failed" and execution["attempts"] == 2
    assert execution["error"].startswith("ReadTimeoutError posting to http://127.0.0.1:")
