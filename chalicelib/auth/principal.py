"""The authenticated caller, as a plain value every layer can use."""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.auth.permissions import is_admin_role


@dataclass(frozen=True)
class Principal:
    username: str
    roles: tuple[str, ...] = ()
    permissions: tuple[str, ...] = ()
    project_id: str | None = None
    user_id: str = ""
    # The credential version tokens must name (raised by a password change or a revocation).
    credential_version: int = 0
    # The ProcessMaker workspaces the principal belongs to (an admin belongs to every one).
    workspaces: tuple[str, ...] = ()
    # When the session began (epoch seconds), for a principal named by a token; refreshing
    # never carries a session past the maximum session length from then.
    auth_time: int | None = field(default=None, compare=False)
    # For a principal named by a token: the workspace the token was issued for (a
    # ProcessMaker ``oauth2/token`` login), which bounds where the token is accepted, and the
    # token's own id (``jti``), which logout revokes.
    token_workspace: str | None = field(default=None, compare=False)
    token_id: str | None = field(default=None, compare=False)

    @property
    def is_admin(self) -> bool:
        return any(is_admin_role(role) for role in self.roles)

    def can(self, permission: str) -> bool:
        """Admins hold every permission; others hold those granted to them."""
        return self.is_admin or permission in self.permissions

    def in_workspace(self, workspace: str) -> bool:
        """Admins belong to every workspace; others to those granted to them."""
        return self.is_admin or workspace in self.workspaces

    def public(self) -> dict:
        """The principal as the admin API shows it: never a password or hash."""
        return {
            "username": self.username,
            "roles": list(self.roles),
            "permissions": list(self.permissions),
            "project_id": self.project_id,
            "user_id": self.user_id,
            "workspaces": list(self.workspaces),
        }
