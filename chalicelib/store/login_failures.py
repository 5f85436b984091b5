"""Failed logins per username: the brute-force counter, kept in DynamoDB with a TTL.

One item per username counts the failures of its current window (which starts at the first
failure); DynamoDB's TTL removes the item after the window, and readers ignore an item whose
window has passed even before TTL gets to it.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.store.base import BaseMeta, bind_model

SHORT_NAME = "login_failures"


class LoginFailureModel(Model):
    class Meta(BaseMeta):
        table_name = SHORT_NAME

    username = UnicodeAttribute(hash_key=True)
    failures = NumberAttribute(default=0)
    window_start = NumberAttribute()  # epoch seconds of the window's first failure
    expires_at = TTLAttribute()  # the window's end: DynamoDB deletes the item after it


bind_model(LoginFailureModel, SHORT_NAME)
