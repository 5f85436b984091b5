"""The console's routes: its files, its security headers, and the session cookie it relies on
(accepted by every dialect; a cookie-authenticated write needs ``X-Requested-With``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ADMIN_PASSWORD
from tests.dialects.opevents.support import call

PROJECT = Path(__file__).resolve().parents[2]
CSRF = {"X-Requested-With": "event-service-console"}


def login_cookie(client, username: str = "root", password: str = ADMIN_PASSWORD) -> dict:
    response = call(
        client, "POST", "/omk/opEvents/login", form={"username": username, "password": password}
    )
    assert response.status_code == 200, response.body
    return {"Cookie": response.headers["Set-Cookie"].split(";", 1)[0]}


def test_the_page_and_its_modules(client):
    page = client.http.get("/console")
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    body = page.body.decode()
    assert 'data-base=""' in body and 'src="/console/app.js"' in body
    for name, kind in [("app.js", "text/javascript"), ("console.css", "text/css")]:
        asset = client.http.get(f"/console/{name}")
        assert asset.status_code == 200 and asset.headers["Content-Type"].startswith(kind)
        assert asset.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", ["nope.js", "..%2Fapp.py", ".hidden.js", "console.py", "APP.JS"])
def test_only_console_files_are_served(client, name):
    response = client.http.get(f"/console/{name}")
    assert response.status_code == 404


def test_every_module_the_console_imports_is_served(client):
    """A renamed page module would leave the console blank: every import resolves."""
    import re

    imports = re.compile(r"""(?:from|import\()\s*["']\./([^"']+)["']""")
    for script in (PROJECT / "chalicelib" / "console").glob("*.js"):
        for target in imports.findall(script.read_text()):
            assert client.http.get(f"/console/{target}").status_code == 200, (script.name, target)


def test_importing_the_app_reads_no_console_file():
    """Cold start: the console's files are read when a console route is hit, not at import."""
    probe = """
import builtins, io, pathlib, sys
opened = []
real_open, real_io_open = builtins.open, io.open
def spy(file, *args, **kwargs):
    opened.append(str(file))
    return real_open(file, *args, **kwargs)
builtins.open = io.open = spy
import app
print([path for path in opened if "chalicelib/console/" in path])
"""
    finished = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    assert finished.stdout.strip().splitlines()[-1] == "[]"


def test_the_session_cookie_reads_every_dialect(client, admin):
    cookie = login_cookie(client)
    handlers = client.http.get("/event/", headers=cookie)
    assert handlers.status_code == 200 and handlers.json_body["result"]["status"] is True
    assert client.http.get("/v2/events", headers=cookie).status_code == 200
    assert client.http.get("/api/1.0/workflow/executions", headers=cookie).status_code == 200
    assert client.http.get("/event/", headers={"Cookie": "omk=forged"}).status_code == 401


def test_a_cookie_write_needs_the_console_header(client, admin):
    cookie = login_cookie(client)
    body = json.dumps(
        {"name": "log", "event": ["Node Down"], "handlermodule": "Logging", "action": "logging"}
    )
    json_type = {"Content-Type": "application/json"}
    forged = client.http.post("/event", headers={**cookie, **json_type}, body=body)
    assert forged.status_code == 401  # what a cross-site form could send
    assert client.http.get("/event/", headers=cookie).json_body["result"]["value"] == []
    sent = client.http.post("/event", headers={**cookie, **json_type, **CSRF}, body=body)
    assert sent.status_code == 200 and sent.json_body["result"]["value"] == 1


def test_logout_replaces_the_cookie_with_an_expired_one(client):
    response = client.http.post("/console/logout", headers=CSRF)
    assert response.status_code == 204
    assert (
        response.headers["Set-Cookie"].startswith("omk=;")
        and "Max-Age=0" in (response.headers["Set-Cookie"])
    )


def test_logout_revokes_the_session_server_side(client, admin):
    """Issue 18: logout only expired the cookie; the token kept working until its TTL."""
    cookie = login_cookie(client)
    token = cookie["Cookie"].split("=", 1)[1]
    other = client.http.post("/auth/token", headers=admin).json_body["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.http.get("/event/", headers=cookie).status_code == 200
    assert client.http.get("/event/", headers=bearer).status_code == 200

    response = client.http.post("/console/logout", headers={**cookie, **CSRF})
    assert response.status_code == 204

    assert client.http.get("/event/", headers=cookie).status_code == 401
    assert client.http.get("/event/", headers=bearer).status_code == 401
    assert client.http.post("/auth/token", headers=bearer).status_code == 401  # no refresh
    # the user's other sessions are theirs to keep
    other_bearer = {"Authorization": f"Bearer {other}"}
    assert client.http.get("/event/", headers=other_bearer).status_code == 200


def test_a_cross_site_form_cannot_end_the_session(client, admin):
    """Logout CSRF: another site's script posting to /console/logout with the cookie and no
    body type (a form's types are refused with 415 before this; SameSite=Lax is the other
    wall, in browsers that honour it)."""
    cookie = login_cookie(client)
    refused = client.http.post("/console/logout", headers={**cookie, "Origin": "https://evil.test"})
    assert refused.status_code == 403 and "Set-Cookie" not in refused.headers
    assert client.http.get("/event/", headers=cookie).status_code == 200  # still logged in
    assert client.http.post("/console/logout", headers={**cookie, **CSRF}).status_code == 204
    assert client.http.get("/event/", headers=cookie).status_code == 401
