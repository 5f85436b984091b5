"""The API reference over HTTP: ``GET /openapi.json`` and a Redoc page at ``GET /docs``.

The page and the renderer (Redoc 2.5.4 standalone, MIT, vendored in ``assets/``) are served
by the app itself, and a Content-Security-Policy keeps the browser from fetching anything
elsewhere. The document is built on the first request and the renderer read from disk only
when asked for: neither costs anything at import.
"""

from __future__ import annotations

import json
from pathlib import Path

from chalice import Blueprint, Response

from chalicelib.openapi import declare

bp = Blueprint(__name__)

ASSETS = Path(__file__).resolve().parent / "assets"
RENDERER = "redoc.standalone.js"
RENDERER_VERSION = "2.5.4"
# Redoc runs its search in a blob: worker and styles its page inline; nothing leaves the host.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' blob:; worker-src 'self' blob:; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'"
)
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>event-service API reference</title>
<style>body {{ margin: 0; padding: 0; }}</style>
</head>
<body>
<redoc spec-url="{spec}"></redoc>
<script src="{renderer}"></script>
</body>
</html>
"""


def _page_urls() -> tuple[str, str]:
    """Relative URLs, so the page works under an API Gateway stage prefix too."""
    path = str((bp.current_request.context or {}).get("path") or "/docs")
    if path.endswith("/"):
        return "../openapi.json", RENDERER
    return "openapi.json", f"docs/{RENDERER}"


@bp.route("/openapi.json", methods=["GET"])
@declare.route(
    "reference",
    "This OpenAPI 3.1 document",
    access=declare.PUBLIC,
    responses={200: ("The document", {"type": "object"})},
)
def openapi_document() -> Response:
    from chalicelib.openapi.document import document_for

    body = json.dumps(document_for(bp.current_app), separators=(",", ":"))
    return Response(body, status_code=200, headers={"Content-Type": "application/json"})


@bp.route("/docs", methods=["GET"])
@declare.route(
    "reference",
    "The API reference page (Redoc)",
    access=declare.PUBLIC,
    responses={200: "An HTML page"},
    response_types=("text/html",),
)
def reference_page() -> Response:
    spec, renderer = _page_urls()
    return Response(
        PAGE.format(spec=spec, renderer=renderer),
        status_code=200,
        headers={
            "Content-Type": "text/html; charset=utf-8",
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        },
    )


@bp.route(f"/docs/{RENDERER}", methods=["GET"])
@declare.route(
    "reference",
    "The page's renderer (Redoc standalone, MIT)",
    access=declare.PUBLIC,
    responses={200: "JavaScript"},
    response_types=("application/javascript",),
)
def reference_renderer() -> Response:
    return Response(
        (ASSETS / RENDERER).read_text(encoding="utf-8"),
        status_code=200,
        headers={
            "Content-Type": "application/javascript; charset=utf-8",
            "Cache-Control": "public, max-age=86400",
        },
    )
