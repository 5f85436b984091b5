"""Principals: who may call event-service, with their password hash, roles and identity."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from chalicelib.store.base import BaseMeta, bind_model, string_list

SHORT_NAME = "principals"
# One partition holds every principal, so listing them is a Query, never a Scan.
PARTITION = "principal"


class PrincipalModel(Model):
    class Meta(BaseMeta):
        table_name = SHORT_NAME

    pk = UnicodeAttribute(hash_key=True, default=PARTITION)
    username = UnicodeAttribute(range_key=True)
    password_hash = UnicodeAttribute()
    roles = string_list(default=list)
    permissions = string_list(default=list)
    project_id = UnicodeAttribute(null=True)
    user_id = UnicodeAttribute()
    created_at = UnicodeAttribute()
    # Every token names the version it was issued for; raising it revokes them all.
    credential_version = NumberAttribute(default=0)
    # The ProcessMaker workspaces granted to the principal.
    workspaces = string_list(default=list)


bind_model(PrincipalModel, SHORT_NAME)
