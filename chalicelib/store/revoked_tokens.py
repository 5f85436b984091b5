"""Tokens revoked one by one (a logout): their id until the token would have expired anyway.

One item per revoked token id (``jti``); DynamoDB's TTL removes it once the token is past its
``exp``, when the signature check refuses it by itself.
"""

from __future__ import annotations

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.store.base import BaseMeta, bind_model

SHORT_NAME = "revoked_tokens"


class RevokedTokenModel(Model):
    class Meta(BaseMeta):
        table_name = SHORT_NAME

    token_id = UnicodeAttribute(hash_key=True)
    expires_at = TTLAttribute()  # the token's own expiry


bind_model(RevokedTokenModel, SHORT_NAME)
