import pytest

from chalicelib.auth import principals
from chalicelib.auth.principal import Principal
from chalicelib.errors import Conflict, NotFound, ValidationFailed
from chalicelib.settings import Settings
from chalicelib.store.principals import PrincipalModel


def test_passwords_are_stored_as_salted_argon2_hashes(aws):
    principals.create_principal(Principal("bob", user_id="bob"), "bob-password")
    principals.create_principal(Principal("carol", user_id="carol"), "bob-password")
    bob, carol = PrincipalModel.get("principal", "bob"), PrincipalModel.get("principal", "carol")
    assert bob.password_hash.startswith("$argon2id$")
    assert bob.password_hash != carol.password_hash
    assert "bob-password" not in bob.password_hash


def test_verify_credentials(aws):
    principals.create_principal(Principal("bob", user_id="bob"), "bob-password")
    assert principals.verify_credentials("bob", "bob-password").username == "bob"
    assert principals.verify_credentials("bob", "nope-nope") is None
    assert principals.verify_credentials("nobody", "bob-password") is None


def test_deleted_principals_no_longer_verify_even_when_cached(aws):
    principals.create_principal(Principal("bob", user_id="bob"), "bob-password")
    assert principals.verify_credentials("bob", "bob-password")
    principals.delete_principal("bob")
    assert principals.verify_credentials("bob", "bob-password") is None
    with pytest.raises(NotFound):
        principals.delete_principal("bob")


def test_duplicate_usernames_conflict(aws):
    principals.create_principal(Principal("bob", user_id="bob"), "bob-password")
    with pytest.raises(Conflict):
        principals.create_principal(Principal("bob", user_id="bob"), "other-password")


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"username": "bob"},
        {"username": "b o b", "password": "long-enough"},
        {"username": "bob", "password": "short"},
        {"username": "bob", "password": "long-enough", "roles": "admin"},
        {"username": "bob", "password": "long-enough", "roles": ["ro le"]},
        {"username": "bob", "password": "long-enough", "roles": [""]},
        {"username": "bob", "password": "long-enough", "roles": ["r" * 65]},
        {"username": "bob", "password": "long-enough", "permissions": ["events_read"]},
        {"username": "bob", "password": "long-enough", "permissions": ["eventhandling_write"]},
        {"username": "bob", "password": "long-enough", "permissions": ["fly"]},
        {"username": "bob", "password": "long-enough", "project_id": 5},
        {"username": "bob", "password": "long-enough", "colour": "blue"},
    ],
)
def test_new_principal_validation(data):
    with pytest.raises(ValidationFailed):
        principals.validate_new_principal(data)


@pytest.mark.parametrize(
    "role", ["member", "reader", "_member_", "admin", "Admin", "user", "load-balancer_member.x"]
)
def test_any_keystone_role_name_is_accepted_and_only_admin_is_privileged(aws, role):
    principal, _ = principals.validate_new_principal(
        {"username": "bob", "password": "long-enough", "roles": [role, "r" * 64]}
    )
    stored = principals.create_principal(principal, "long-enough")
    assert principals.get_principal("bob").roles == (role, "r" * 64) == stored.roles
    assert stored.is_admin is (role.lower() == "admin")


def test_dialects_add_their_permissions_with_one_line(monkeypatch):
    from chalicelib.auth import permissions

    monkeypatch.setattr(permissions, "_KNOWN", dict(permissions._KNOWN))
    data = {"username": "bob", "password": "long-enough", "permissions": ["new_dialect_write"]}
    with pytest.raises(ValidationFailed, match="known are eventhandling_read, events_ingest"):
        principals.validate_new_principal(data)
    permissions.register("new_dialect_write")
    assert principals.validate_new_principal(data)[0].permissions == ("new_dialect_write",)


def test_new_principal_defaults():
    principal, password = principals.validate_new_principal(
        {"username": "bob", "password": "long-enough"}
    )
    assert principal.roles == ("user",) and principal.user_id == "bob" and password == "long-enough"


def test_local_admin_from_settings(aws):
    settings = Settings(admin_username="boss", admin_password="boss-password")
    assert principals.ensure_local_admin(settings) == ("boss", None)
    assert principals.verify_credentials("boss", "boss-password").is_admin
    assert principals.ensure_local_admin(settings) == ("boss", None)


def test_local_admin_with_a_random_password_printed_once(aws):
    username, password = principals.ensure_local_admin(Settings())
    assert username == "admin" and len(password) >= 16
    assert principals.verify_credentials("admin", password).is_admin
    assert principals.ensure_local_admin(Settings()) == ("admin", None)


def test_no_default_credential_outside_the_local_stage(aws):
    with pytest.raises(PermissionError):
        principals.ensure_local_admin(Settings(stage="prod", token_secret="x" * 32))
    assert principals.list_principals() == []
