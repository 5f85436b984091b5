"""The one secret helper's destination rule: a kept secret never follows a new destination."""

from __future__ import annotations

import pytest

from chalicelib.core.secret_options import (
    SECRET_MASK,
    SecretNotResent,
    masked,
    masked_url,
    resolved,
    restored,
    split,
)

STORED = {"URL": "http://hub.example", "authorization": "Bearer s3cret"}
SECRET = {"authorization"}
TARGET = ("WebHook", "post_webhook")


def test_the_mask_keeps_the_secret_for_the_same_destination():
    sent = {"URL": "http://hub.example", "authorization": SECRET_MASK}
    kept = resolved(sent, STORED, SECRET, target=TARGET, stored_target=TARGET)
    assert kept["authorization"] == "Bearer s3cret"


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("http://attacker.example", TARGET),
        ("http://hub.example", ("Federation", "forward")),
        ("http://hub.example", ("WebHook", "other_action")),
    ],
)
def test_a_new_url_module_or_action_needs_the_secret_again(url, target):
    for sent, keep_omitted in (
        ({"URL": url, "authorization": SECRET_MASK}, False),
        ({"URL": url}, True),
    ):
        with pytest.raises(SecretNotResent) as caught:
            resolved(
                sent, STORED, SECRET, keep_omitted=keep_omitted, target=target, stored_target=TARGET
            )
        assert caught.value.option == "authorization"
        assert caught.value.status_code == 400
    # A real value is the caller's to send anywhere.
    sent = {"URL": url, "authorization": "Bearer n3w"}
    assert resolved(sent, STORED, SECRET, target=target, stored_target=TARGET) == sent


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://user:pass@hook.example/h", "http://********@hook.example/h"),
        (
            "https://chat.example/v1/m?key=AIza&token=t0k&thread=1",
            "https://chat.example/v1/m?key=********&token=********&thread=1",
        ),
        (
            "https://h.example/x?api_key=1&X-Amz-Signature=2&page=3",
            "https://h.example/x?api_key=********&X-Amz-Signature=********&page=3",
        ),
        ("https://h.example/plain?page=3", "https://h.example/plain?page=3"),
    ],
)
def test_url_credentials_are_masked(url, shown):
    assert masked_url(url) == shown
    assert masked({"URL": url}, SECRET) == {"URL": shown}


def test_a_url_read_back_keeps_its_credentials_and_a_changed_one_needs_them_again():
    stored = {"URL": "https://u:p@hub.example/h?token=t0k"}
    read = masked(stored, SECRET)["URL"]
    assert "t0k" not in read and ":p@" not in read
    kept = resolved({"URL": read}, stored, SECRET, target=TARGET, stored_target=TARGET)
    assert kept == stored
    moved = read.replace("hub.example", "attacker.example")
    with pytest.raises(SecretNotResent) as caught:
        resolved({"URL": moved}, stored, SECRET, target=TARGET, stored_target=TARGET)
    assert caught.value.option == "URL"


def test_a_request_url_travels_masked_and_is_restored_for_the_store():
    url = "https://hub.example/h?sig=abc"
    shown, secrets = split({"URL": url, "authorization": "Bearer x"}, SECRET)
    assert shown == {"URL": "https://hub.example/h?sig=********", "authorization": SECRET_MASK}
    assert restored(shown, secrets) == {"URL": url, "authorization": "Bearer x"}
