"""The operator console: static HTML, CSS and ES modules under ``chalicelib/console/``.

The console is a browser client of the dialects' own JSON APIs: it logs in through opEvents'
login (the session cookie) and reads and writes through the same routes any client uses, so
the principal's permissions decide what it shows. Its files are read when a console route is
hit, never at import (cold start), and only names in the console folder are served.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from chalice import Blueprint, Response

from chalicelib.openapi import declare

bp = Blueprint(__name__)

ROOT = "/console"
ASSETS = Path(__file__).resolve().parent.parent / "console"
INDEX = "index.html"
# Flat names only: no separators, no dot files, so a request names nothing outside ASSETS.
ASSET_NAME = re.compile(r"^[a-z][a-z0-9_-]*\.(html|css|js)$")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
}
BASE_MARK = "__BASE__"  # index.html's placeholder for any stage prefix in front of /console
# Same-origin everything, no inline script: what the console needs and nothing more.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-cache",
}


def _not_found() -> Response:
    return Response(
        body="Not Found", status_code=404, headers={"Content-Type": "text/plain; charset=utf-8"}
    )


def asset_response(name: str, base: str = "") -> Response:
    """One console file as an HTTP answer; 404 for any name that is not one of them."""
    if not ASSET_NAME.match(name):
        return _not_found()
    path = ASSETS / name
    if not path.is_file():
        return _not_found()
    kind = name.rsplit(".", 1)[1]
    body = path.read_text(encoding="utf-8")
    if kind == "html":
        body = body.replace(BASE_MARK, html.escape(base, quote=True))
    return Response(
        body=body,
        status_code=200,
        headers={"Content-Type": CONTENT_TYPES[kind], **SECURITY_HEADERS},
    )


def page_response(base: str = "") -> Response:
    """The console's page; ``base`` is the stage prefix in front of the service's paths.

    Its script picks the page from the URL's hash (events by default).
    """
    return asset_response(INDEX, base)


def _base() -> str:
    path = bp.current_request.context.get("path") or ""
    return path[: path.find(ROOT)].rstrip("/") if ROOT in path else ""


@bp.route(ROOT, methods=["GET"])
@declare.route(
    "console",
    "The operator console's page (it logs in through opEvents' login)",
    access=declare.PUBLIC,
    responses={200: "An HTML page"},
    response_types=("text/html",),
)
def console_page() -> Response:
    return page_response(_base())


@bp.route(f"{ROOT}/{{name}}", methods=["GET"])
@declare.route(
    "console",
    "One of the console's files (HTML, CSS or an ES module)",
    access=declare.PUBLIC,
    responses={200: "The file", 404: "No console file has that name"},
    response_types=("text/html", "text/css", "text/javascript", "text/plain"),
    sample_path={"name": "app.js"},
)
def console_asset(name: str) -> Response:
    return asset_response(name, _base())


@bp.route(f"{ROOT}/logout", methods=["POST"])
@declare.route(
    "console",
    "End the browser's session (its token is revoked, the cookie replaced by an expired one)",
    access=declare.PUBLIC,
    body_types=(),
    responses={204: "Logged out", 403: "A session cookie without a same-origin proof"},
    response_types=(),
)
def console_logout() -> Response:
    """End the browser's session: its token is revoked server-side (refused afterwards as the
    cookie and as a bearer token) and the cookie replaced by an expired one.

    Only with a same-origin proof, as every other cookie write: a cross-site form must not be
    able to end an operator's session (logout CSRF)."""
    from chalicelib.auth.tokens import revoke_token
    from chalicelib.dialects.common import require_same_origin, session_token
    from chalicelib.errors import AuthenticationFailed

    request = bp.current_request
    token = session_token(request)
    if token is not None:
        try:
            require_same_origin(request)
        except AuthenticationFailed as refused:
            return Response(
                body={"error": str(refused)},
                status_code=403,
                headers={"Content-Type": "application/json"},
            )
        revoke_token(token)
    return Response(
        body="",
        status_code=204,
        headers={"Set-Cookie": "omk=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"},
    )
