"""``make smoke URL=https://… USER=admin``: a short end-to-end check of a deployed stage.

Read-mostly; everything it creates it removes again, whatever fails in between:

1. ``GET /health`` answers 200 with every table reachable.
2. A login in each dialect: the platform's token (``POST /auth/token``), privacyIDEA's
   (``POST /auth``), Panko with that token (``X-Auth-Token``), opEvents' session cookie
   (``POST /omk/opEvents/login``), MaDDash's admin API (Basic; it refuses anonymous
   callers), ProcessMaker's OAuth token (with ``--pm-client id:secret``; Basic without one).
3. With ``--hook URL``: a WebHook handler bound to the smoke event type, posting to that URL
   (watch it arrive there); the handler's executions are read back, then it is deleted.
4. One event, tagged with this run's id (type ``event-service.smoke``, trait ``smoke_id``),
   ingested through Panko and found again through Panko's listing. Events are never deleted
   through the API: this one stays, recognisable by its type.
5. A MaDDash maintenance window planned on the first grid (a day ahead, status unchanged) and
   deleted; skipped when the stage has no grid.
6. A ProcessMaker project created and deleted.

The user must be an admin (``make admin``). The password is asked for, or read from stdin
with ``--password-stdin``. Exit status 0 when every step passed; each step prints one line.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

SMOKE_EVENT = "event-service.smoke"
TIMEOUT = 30
DEFAULT_WORKSPACE = "workflow"


class StepFailed(Exception):
    pass


def expect(response: requests.Response, *statuses: int) -> requests.Response:
    if response.status_code not in statuses:
        raise StepFailed(
            f"{response.request.method} {response.request.path_url} answered"
            f" {response.status_code}: {response.text[:300]}"
        )
    return response


@dataclass
class Smoke:
    url: str
    username: str
    password: str
    hook: str | None = None
    pm_client: str | None = None
    workspace: str = DEFAULT_WORKSPACE
    wait_seconds: float = 60.0
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    results: list[tuple[str, bool, str]] = field(default_factory=list)
    cleanups: list[tuple[str, Callable[[], Any]]] = field(default_factory=list)
    # Learnt on the way: the platform's token, ProcessMaker's, the smoke handler's id.
    token: str | None = field(default=None, init=False)
    _pm_token: str | None = field(default=None, init=False)
    handler_id: Any = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.url = self.url.rstrip("/")
        self.http = requests.Session()

    # ------------------------------------------------------------ helpers

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT)
        return self.http.request(method, self.url + path, **kwargs)

    @property
    def basic(self) -> tuple[str, str]:
        return (self.username, self.password)

    def step(self, name: str, action: Callable[[], str]) -> bool:
        try:
            detail = action()
        except (StepFailed, requests.RequestException, KeyError, ValueError) as exc:
            self.results.append((name, False, str(exc)))
            print(f"FAIL {name}: {exc}", flush=True)
            return False
        self.results.append((name, True, detail))
        print(f"ok   {name}: {detail}", flush=True)
        return True

    def until(self, what: str, condition: Callable[[], Any]) -> Any:
        give_up = time.monotonic() + self.wait_seconds
        while True:
            found = condition()
            if found:
                return found
            if time.monotonic() > give_up:
                raise StepFailed(f"gave up waiting for {what}")
            time.sleep(1)

    # ------------------------------------------------------------ steps

    def health(self) -> str:
        body = expect(self.call("GET", "/health"), 200).json()
        if body.get("tables") is not True:
            raise StepFailed(f"tables not reachable: {body}")
        return "tables reachable"

    def login_platform(self) -> str:
        self.token = expect(self.call("POST", "/auth/token", auth=self.basic), 200).json()["token"]
        return "token issued"

    def login_privacyidea(self) -> str:
        answer = self.call(
            "POST", "/auth", data={"username": self.username, "password": self.password}
        )
        token = expect(answer, 200).json()["result"]["value"]["token"]
        expect(self.call("GET", "/event/", headers={"PI-Authorization": token}), 200)
        return "token issued and accepted on /event/"

    def login_panko(self) -> str:
        headers = {"X-Auth-Token": str(self.token)}
        expect(self.call("GET", "/v2/event_types", headers=headers), 200)
        return "X-Auth-Token accepted"

    def login_opevents(self) -> str:
        session = requests.Session()
        answer = session.post(
            self.url + "/omk/opEvents/login",
            data={"username": self.username, "password": self.password},
            timeout=TIMEOUT,
        )
        if expect(answer, 200).json().get("success") != 1:
            raise StepFailed(f"login refused: {answer.text[:200]}")
        expect(session.get(self.url + "/omk/opEvents/events.json", timeout=TIMEOUT), 200)
        return "session cookie accepted"

    def login_maddash(self) -> str:
        # MaDDash has no login: its admin API takes Basic (used by the window step below) and
        # must refuse a caller without it.
        expect(self.call("POST", "/maddash/admin/events", json={}), 401)
        return "admin API refuses anonymous callers; Basic is used"

    def pm_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._pm_token}"} if self._pm_token else {}

    def login_processmaker(self) -> str:
        if not self.pm_client:
            return "no --pm-client: Basic is used"
        client_id, _, secret = self.pm_client.partition(":")
        answer = self.call(
            "POST",
            f"/api/1.0/{self.workspace}/oauth2/token",
            json={
                "grant_type": "password",
                "scope": "*",
                "client_id": client_id,
                "client_secret": secret,
                "username": self.username,
                "password": self.password,
            },
        )
        self._pm_token = expect(answer, 200).json()["access_token"]
        return "OAuth password grant"

    def bind_hook(self) -> str:
        answer = self.call(
            "POST",
            "/event",
            auth=self.basic,
            data={
                "name": f"smoke {self.run_id}",
                "event": SMOKE_EVENT,
                "handlermodule": "WebHook",
                "action": "post_webhook",
                "option.URL": str(self.hook),
                "option.content_type": "application/json",
                "option.replace": "True",
                "option.data": '{"smoke_id": "{smoke_id}"}',
                "conditions": '{"trait": "smoke_id == ' + self.run_id + '"}',
            },
        )
        handler = expect(answer, 200).json()["result"]["value"]
        self.handler_id = handler
        self.cleanups.append(
            (
                "handler deleted",
                lambda: expect(self.call("DELETE", f"/event/{handler}", auth=self.basic), 200),
            )
        )
        return f"handler {handler} posts to {self.hook}"

    def ingest(self) -> str:
        event = {
            "event_type": SMOKE_EVENT,
            "traits": [{"name": "smoke_id", "value": self.run_id}],
        }
        expect(self.call("POST", "/v2/events", auth=self.basic, json=[event]), 200, 201)
        return f"smoke_id={self.run_id}"

    def find(self) -> str:
        params = {"q.field": "smoke_id", "q.op": "eq", "q.value": self.run_id, "q.type": "string"}

        def listed() -> list[Any]:
            answer = expect(self.call("GET", "/v2/events", auth=self.basic, params=params), 200)
            return answer.json()

        [event] = self.until("the event in Panko's listing", listed)
        return f"found {event['message_id']}"

    def hook_fired(self) -> str:
        def executed() -> list[Any]:
            """The handler's executions once one has ended: a ``running`` one is a post still
            on its way (claimed, not answered yet)."""
            answer = self.call("GET", f"/event/{self.handler_id}/executions", auth=self.basic)
            executions = expect(answer, 200).json()["result"]["value"]
            return [e for e in executions if e.get("status") != "running"]

        [execution] = self.until("the webhook's execution to end", executed)
        if execution.get("status") != "ok":
            raise StepFailed(f"the webhook's execution: {execution}")
        return f"posted to {self.hook} (execution {execution.get('status')})"

    def maddash_window(self) -> str:
        grids = expect(self.call("GET", "/maddash/grids", auth=self.basic), 200).json()["grids"]
        if not grids:
            return "skipped: the stage has no MaDDash grid"
        start = int(time.time()) + 24 * 3600
        body = {
            "checkFilters": {"gridName": grids[0]["name"]},
            "name": f"smoke {self.run_id}",
            "description": "event-service smoke test; deleted at once",
            "startTime": start,
            "endTime": start + 60,
            "changeStatus": False,
        }
        uri = expect(
            self.call("POST", "/maddash/admin/events", auth=self.basic, json=body), 200, 201
        ).json()["uri"]
        window = uri.rsplit("/", 1)[1]
        expect(self.call("GET", f"/maddash/events/{window}", auth=self.basic), 200)
        expect(self.call("DELETE", f"/maddash/admin/events/{window}", auth=self.basic), 200)
        expect(self.call("GET", f"/maddash/events/{window}", auth=self.basic), 404)
        return f"window {window} on {grids[0]['name']} planned and deleted"

    def processmaker_project(self) -> str:
        base = f"/api/1.0/{self.workspace}"
        auth = None if self._pm_token else self.basic
        headers = self.pm_headers()
        created = self.call(
            "POST",
            f"{base}/project",
            auth=auth,
            headers=headers,
            json={"prj_name": f"smoke {self.run_id}"},
        )
        project = expect(created, 200, 201).json()["prj_uid"]
        expect(self.call("GET", f"{base}/project/{project}", auth=auth, headers=headers), 200)
        expect(self.call("DELETE", f"{base}/project/{project}", auth=auth, headers=headers), 200)
        expect(self.call("GET", f"{base}/project/{project}", auth=auth, headers=headers), 400, 404)
        return f"project {project} created and deleted"

    # ------------------------------------------------------------ the run

    def run(self) -> bool:
        if not self.step("health", self.health):
            return False
        self.step("login: platform", self.login_platform)
        self.step("login: privacyIDEA", self.login_privacyidea)
        if self.token:
            self.step("login: Panko", self.login_panko)
        self.step("login: opEvents", self.login_opevents)
        self.step("login: MaDDash", self.login_maddash)
        self.step("login: ProcessMaker", self.login_processmaker)
        try:
            hooked = bool(self.hook) and self.step("webhook handler bound", self.bind_hook)
            if self.step("event ingested (Panko)", self.ingest):
                self.step("event found (Panko)", self.find)
                if hooked:
                    self.step("webhook fired", self.hook_fired)
            self.step("MaDDash window", self.maddash_window)
            self.step("ProcessMaker project", self.processmaker_project)
        finally:
            for name, cleanup in reversed(self.cleanups):
                self.step(name, lambda cleanup=cleanup: (cleanup(), "done")[1])
        return all(passed for _, passed, _ in self.results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the stage's EndpointURL")
    parser.add_argument("--user", required=True, help="an admin's username")
    parser.add_argument("--password-stdin", action="store_true")
    parser.add_argument("--hook", help="a URL the smoke handler's webhook posts to")
    parser.add_argument("--pm-client", help="ProcessMaker OAuth client as id:secret")
    parser.add_argument("--workspace", default=DEFAULT_WORKSPACE)
    args = parser.parse_args(argv)
    password = (
        sys.stdin.readline().rstrip("\r\n")
        if args.password_stdin
        else getpass.getpass(f"Password of {args.user}: ")
    )
    smoke = Smoke(
        args.url,
        args.user,
        password,
        hook=args.hook,
        pm_client=args.pm_client,
        workspace=args.workspace,
    )
    passed = smoke.run()
    failed = [name for name, ok, _ in smoke.results if not ok]
    print(
        f"event-service: smoke {smoke.run_id}: {len(smoke.results) - len(failed)} passed"
        + (f", FAILED: {', '.join(failed)}" if failed else "")
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
