"""Load mix for Shequ (run by loadtest/run.py; loopback only).

- Clerks: open their workspace and a return they own, save its forms (basics and row formsets) as a draft.
- Reviewers: open the dashboards (county, city, a street) and the indicators JSON under /api/.
- One importer: uploads a 2,000-row workbook (preview) and confirms the import, once, during the run.

Reads the plan that loadtest/prepare.py wrote (LOADTEST_PLAN): accounts, returns, paths, the workbook. Each clerk
account edits a return no other simulated user touches, so no save meets a version conflict. Requests made while the
import runs are also counted under "<name> (during import)", so the dashboards' figures during the import show.

Does not import Django: locust runs it under gevent, in its own process.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from loadtest.forms import parse_form  # noqa: E402

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text(encoding="utf-8"))
CLERKS = itertools.cycle(PLAN["clerks"])
REVIEWERS = itertools.cycle(PLAN["reviewers"])
IMPORT_STATE = {"running": False, "started": None, "finished": None, "ok": None, "detail": ""}


RUN = {"environment": None, "started": None}


@events.test_start.add_listener
def _started(environment, **kwargs):
    RUN.update(environment=environment, started=time.monotonic())


@events.request.add_listener
def _during_import(request_type, name, response_time, response_length, exception, **kwargs):
    """Count every request made while the import runs (but the import's own) again as '<name> (during import)'."""
    if IMPORT_STATE["running"] and not name.startswith("workbook:") and not name.endswith("(during import)"):
        RUN["environment"].events.request.fire(
            request_type=request_type,
            name=f"{name} (during import)",
            response_time=response_time,
            response_length=response_length,
            exception=exception,
            context={},
        )


def http_error(response) -> str:
    """HTTP 500 and the like, or 'connection lost' when no response came back (a worker killed mid-request)."""
    if response.status_code == 0:
        return f"connection lost: {type(response.error).__name__}: {response.error}"
    return f"HTTP {response.status_code}"


class ShequUser(HttpUser):
    abstract = True
    account: dict

    def login(self):
        page = self.client.get("/accounts/login/", name="login [GET]")
        data = dict(parse_form(page.text)[1])
        data.update(username=self.account["username"], password=self.account["password"])
        with self.client.post(
            "/accounts/login/", data=data, name="login [POST]", catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in refused for {self.account['username']} ({response.status_code})")
                raise StopUser()

    def get_page(self, path: str, name: str, must_contain: str = ""):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(http_error(response))
            elif response.url and "/accounts/login/" in response.url:
                response.failure("sent back to the sign-in page")
            elif must_contain and must_contain not in response.text:
                response.failure(f"page lacks {must_contain!r}")
            else:
                response.success()
            return response


class Clerk(ShequUser):
    """A street clerk in the last week before the deadline: opens the return, saves the forms, again."""

    weight = PLAN["weights"]["clerk"]
    wait_time = between(*PLAN["think_time"])

    def on_start(self):
        self.account = next(CLERKS)
        self.edit_path = self.account["edit_path"]
        self.login()

    @task(1)
    def workspace(self):
        self.get_page(PLAN["paths"]["workspace"], "returns: workspace")

    @task(1)
    def open_return(self):
        self.get_page(self.edit_path, "returns: edit [GET]", must_contain="csrfmiddlewaretoken")

    @task(3)
    def save_return(self):
        page = self.get_page(self.edit_path, "returns: edit [GET]", must_contain="csrfmiddlewaretoken")
        if page.status_code != 200:
            return
        action, data = parse_form(page.text)
        if action is None:
            self.environment.events.request.fire(
                request_type="POST",
                name="returns: save [POST]",
                response_time=0,
                response_length=0,
                exception=Exception("no return form on the edit page"),
                context={},
            )
            return
        for field in data:  # change a figure so that every save writes (and records history)
            if field[0] == "households" and field[1].isdigit():
                value = int(field[1])
                field[1] = str(value + 1 if value % 2 == 0 else value - 1)
        data.append(["action", "save"])
        with self.client.post(
            action or self.edit_path, data=data, name="returns: save [POST]", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(http_error(response))
            elif "已保存草稿" not in response.text:
                response.failure("saved page without the confirmation (conflict or validation error)")
            else:
                response.success()


class Reviewer(ShequUser):
    """A county or city reviewer: dashboards at several levels and the JSON API."""

    weight = PLAN["weights"]["reviewer"]
    wait_time = between(*PLAN["think_time"])

    def on_start(self):
        self.account = next(REVIEWERS)
        self.login()

    @task(3)
    def dashboard(self):
        path = random.choice(self.account["dashboard_paths"])
        self.get_page(path, "dashboard: region")

    @task(2)
    def api(self):
        if not self.account["api_paths"]:
            return self.dashboard()
        path = random.choice(self.account["api_paths"])
        with self.client.get(path, name="api: indicators", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(http_error(response))
            else:
                try:
                    response.json()
                except ValueError:
                    response.failure("not JSON")


class Importer(ShequUser):
    """Uploads the 2,000-row workbook once the load has settled, checks the preview, confirms, then idles."""

    abstract = not PLAN.get("import")  # the fault test does its import itself
    fixed_count = 1
    wait_time = between(1, 1)

    def on_start(self):
        self.account = PLAN["import"]
        self.login()
        self.done = False

    @task
    def import_once(self):
        if self.done:
            gevent.sleep(5)
            return
        self.done = True
        delay = self.account["delay"] - (time.monotonic() - (RUN["started"] or time.monotonic()))
        if delay > 0:
            gevent.sleep(delay)
        IMPORT_STATE.update(running=True, started=time.time())
        try:
            IMPORT_STATE["ok"], IMPORT_STATE["detail"] = self._import()
        finally:
            IMPORT_STATE.update(running=False, finished=time.time())
            Path(PLAN["import_result"]).write_text(json.dumps(IMPORT_STATE, ensure_ascii=False), encoding="utf-8")

    def _import(self) -> tuple[bool, str]:
        index = self.client.get(PLAN["paths"]["workbook"], name="workbook: index")
        csrf = dict(parse_form(index.text, "upload")[1]).get("csrfmiddlewaretoken", "")
        workbook = Path(self.account["file"])
        with workbook.open("rb") as handle:
            files = {
                "file": (workbook.name, handle, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            }
            data = {"csrfmiddlewaretoken": csrf, "year": str(self.account["year"])}
            with self.client.post(
                PLAN["paths"]["upload"], data=data, files=files, name="workbook: upload (preview)", catch_response=True
            ) as preview:
                confirm_action, confirm_fields = parse_form(preview.text, "confirm")
                if preview.status_code != 200 or not confirm_action:
                    preview.failure(f"no confirm form in the preview (HTTP {preview.status_code})")
                    return False, f"preview HTTP {preview.status_code}: {preview.text[:300]}"
                preview.success()
        with self.client.post(
            confirm_action, data=confirm_fields, name="workbook: confirm (import)", catch_response=True
        ) as done:
            if done.status_code != 200:
                done.failure(f"HTTP {done.status_code}")
                return False, f"confirm HTTP {done.status_code}"
            done.success()
        return True, done.url or ""
