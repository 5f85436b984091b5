"""The one secret helper's destination rule: a kept secret never follows a new destination."""

from __future__ import annotations

import pytest

from chalicelib.core.secret_options import SECRET_MASK, SecretNotResent, resolved

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
