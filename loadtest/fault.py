"""The fault test: kill one gunicorn worker (SIGKILL) in the middle of the load, then the worker that is running a
2,000-row workbook import, and check that

- only the requests in flight on the killed workers fail (locust's errors are connection errors, never a 5xx),
- gunicorn's master replaces each killed worker by itself, and the service answers again,
- the import either completed or left the database unchanged (rows of the import's year counted), and importing
  again after the recovery completes.

    .venv/bin/python -m loadtest.fault [--database-url postgres://postgres@127.0.0.1:5432/h7_fault]

Loopback only; bounded (a locust run of --duration seconds); prints its findings; exit status 0 when all hold.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psutil
import psycopg
import requests
from psycopg import sql

from loadtest.forms import parse_form
from loadtest.harness import Gunicorn, build_site, prepare, recreate_database, say, server_environment
from loadtest.run import arguments, read_failures, read_stats, run_locust

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/h7_fault"


def wait_for_replacement(server: Gunicorn, killed: int, workers: int, timeout: float = 30) -> float | None:
    """Seconds until the master has its full count of workers again, the killed one gone; None if it never does."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        pids = server.worker_pids()
        if len(pids) >= workers and killed not in pids:
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def answers(server: Gunicorn) -> bool:
    try:
        return requests.get(f"{server.base}/accounts/login/", timeout=10).status_code == 200
    except requests.RequestException:
        return False


def sign_in(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    data = dict(parse_form(page.text)[1])
    data.update(username=username, password=password)
    response = session.post(f"{base}/accounts/login/", data=data, allow_redirects=False, timeout=60)
    if response.status_code != 302:
        raise SystemExit(f"sign-in refused for {username} (HTTP {response.status_code}): {response.text[:300]}")
    return session


def upload_preview(session: requests.Session, base: str, plan: dict) -> tuple[str, list]:
    """Upload the workbook (a dry run: nothing written) and return the preview's confirm form."""
    index = session.get(f"{base}{plan['paths']['workbook']}", timeout=60)
    csrf = dict(parse_form(index.text, "upload")[1]).get("csrfmiddlewaretoken", "")
    workbook = Path(plan["import"]["file"])
    with workbook.open("rb") as handle:
        preview = session.post(
            f"{base}{plan['paths']['upload']}",
            data={"csrfmiddlewaretoken": csrf, "year": str(plan["import"]["year"])},
            files={"file": (workbook.name, handle)},
            timeout=300,
        )
    action, fields = parse_form(preview.text, "confirm")
    if preview.status_code != 200 or not action:
        raise SystemExit(f"no confirm form in the preview (HTTP {preview.status_code}):\n{preview.text[:500]}")
    return action, fields


class ConfirmInFlight(threading.Thread):
    """POSTs the confirm (the import itself) on a socket whose port we know, so that the worker serving it can be
    found among gunicorn's workers by its connection."""

    def __init__(self, base: str, session: requests.Session, action: str, fields: list):
        super().__init__(daemon=True)
        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
        self.connection.connect()
        self.local_port = self.connection.sock.getsockname()[1]
        self.body = urlencode([tuple(field) for field in fields])
        self.headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{c.name}={c.value}" for c in session.cookies),
        }
        self.action = action
        self.sent_at: float | None = None
        self.outcome = "in flight"

    def run(self):
        self.sent_at = time.monotonic()
        try:
            self.connection.request("POST", self.action, body=self.body, headers=self.headers)
            response = self.connection.getresponse()
            self.outcome = f"HTTP {response.status}"
        except (OSError, http.client.HTTPException) as error:
            self.outcome = f"failed: {type(error).__name__}"


def worker_serving(server: Gunicorn, client_port: int) -> int | None:
    for pid in server.worker_pids():
        try:
            connections = psutil.Process(pid).net_connections(kind="tcp")
        except psutil.Error:
            continue
        if any(c.raddr and c.raddr.port == client_port for c in connections):
            return pid
    return None


def database_port_of(pid: int) -> int | None:
    """The local port of the worker's connection to PostgreSQL (its backend's client_port)."""
    try:
        connections = psutil.Process(pid).net_connections(kind="tcp")
    except psutil.Error:
        return None
    return next((c.laddr.port for c in connections if c.raddr and c.raddr.port == 5432), None)


def wait_inside_transaction(database_url: str, pid: int, thread: threading.Thread, seconds: float = 0.5) -> bool:
    """Wait until the worker's database session has been inside a transaction for ``seconds`` (the import writing),
    so that the kill lands in the middle of the import. False if the request ended first."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        while thread.is_alive():
            port = database_port_of(pid)
            if port is not None:
                row = connection.execute(
                    "SELECT now() - xact_start FROM pg_stat_activity WHERE client_port = %s AND xact_start IS NOT NULL",
                    [port],
                ).fetchone()
                if row and row[0].total_seconds() >= seconds:
                    return True
            time.sleep(0.02)
    return False


@contextmanager
def held_share_lock(database_url: str, table: str):
    """A transaction holding ``LOCK TABLE … IN SHARE MODE`` (readers pass, writers wait) until the block ends."""
    with psycopg.connect(database_url) as connection:
        connection.execute(sql.SQL("LOCK TABLE {} IN SHARE MODE").format(sql.Identifier(table)))
        try:
            yield
        finally:
            connection.rollback()


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not any(a.startswith("--database-url") for a in argv):
        argv += ["--database-url", DEFAULT_DATABASE_URL]
    if not any(a.startswith("--output") for a in argv):
        argv += ["--output", str(Path("artifacts") / "faulttest")]
    if not any(a.startswith("--users") for a in argv):
        argv += ["--users", "10"]
    if not any(a.startswith("--duration") for a in argv):
        argv += ["--duration", "75"]
    args = arguments(argv, description=__doc__)
    folder = args.output.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    findings: list[tuple[bool, str]] = []

    say(f"fresh database {urlsplit(args.database_url).path.lstrip('/')}")
    recreate_database(args.database_url)
    env = server_environment(args.database_url, folder, workers=args.workers, port=args.port + 1)
    plan = build_site(env, folder, import_delay=0)
    if not plan["import"]:
        raise SystemExit("the workbook upload page is not there yet: no import to interrupt")
    expected = plan["import"]["rows"]
    locust_plan = {**plan, "import": None, "weights": {"clerk": 3, "reviewer": 2}, "think_time": list(args.think)}
    plan_path = folder / "plan.json"
    plan_path.write_text(json.dumps(locust_plan, ensure_ascii=False), encoding="utf-8")

    server = Gunicorn(env, folder / "gunicorn.log")
    server.start()
    workers = server.worker_pids()
    say(f"gunicorn {server.pid} with workers {workers}")
    prefix = folder / "locust"
    locust = run_locust(args, plan_path, server.base, prefix, duration=args.duration)
    try:
        # 1. A worker killed in the middle of the load.
        time.sleep(min(20, args.duration / 4))
        victim = server.worker_pids()[0]
        say(f"load running: SIGKILL worker {victim}")
        os.kill(victim, signal.SIGKILL)
        took = wait_for_replacement(server, victim, args.workers)
        findings.append(
            (took is not None, f"worker killed under load replaced by the master in {took or float('nan'):.2f} s")
        )
        findings.append((answers(server), "the service answers after the first kill"))

        # 2. The worker running the import killed in the middle of it.
        before = prepare(env, "count")
        session = sign_in(server.base, plan["import"]["username"], plan["import"]["password"])
        say("uploading the workbook (preview)")
        action, fields = upload_preview(session, server.base, plan)
        # The import of 2,000 rows takes a fraction of a second, too quick to catch by watching for it. A SHARE lock
        # on the roster table, held from here to the kill, stops it inside its transaction at its first write there
        # (after the returns are written), so the kill lands mid-import every time; the clerks' saves wait for it too.
        with held_share_lock(args.database_url, "workforce_worker"):
            confirm = ConfirmInFlight(server.base, session, action, fields)
            confirm.start()
            serving = None
            while (
                serving is None and confirm.is_alive() and time.monotonic() - (confirm.sent_at or time.monotonic()) < 30
            ):
                serving = worker_serving(server, confirm.local_port)
                time.sleep(0.02)
            inside = serving is not None and wait_inside_transaction(args.database_url, serving, confirm)
            if not inside:
                findings.append((False, f"could not catch the import in flight ({confirm.outcome})"))
            else:
                say(f"import in flight on worker {serving}, inside its transaction: SIGKILL")
                os.kill(serving, signal.SIGKILL)
        confirm.join(timeout=300)
        findings.append(
            (
                confirm.outcome.startswith("failed"),
                f"the interrupted import request failed in flight ({confirm.outcome})",
            )
        )
        took = wait_for_replacement(server, serving or -1, args.workers)
        findings.append(
            (took is not None, f"worker killed mid-import replaced by the master in {took or float('nan'):.2f} s")
        )
        after = prepare(env, "count")
        full = after["returns"] == expected["社区基本情况"] and after["workers"] == expected["社区工作者"]
        unchanged = after == before
        state = "unchanged" if unchanged else "fully imported" if full else "PARTIAL"
        findings.append(
            (
                full or unchanged,
                f"after the kill the database is {state}: before {before}, after {after}",
            )
        )

        # 3. After the recovery the same workbook imports completely.
        session = sign_in(server.base, plan["import"]["username"], plan["import"]["password"])
        action, fields = upload_preview(session, server.base, plan)
        done = session.post(f"{server.base}{action}", data=fields, timeout=300)
        final = prepare(env, "count")
        complete = (
            done.status_code == 200
            and final["returns"] == expected["社区基本情况"]
            and final["workers"] == expected["社区工作者"]
            and final["premises"] == expected["办公服务用房"]
            and final["programs"] == expected["服务项目"]
        )
        findings.append((complete, f"importing again after the recovery completes: {final}"))
        say("waiting for the load to end")
        locust.wait(timeout=args.duration + 300)
    finally:
        if locust.poll() is None:
            locust.terminate()
            locust.wait(timeout=60)
        server.stop()

    stats = read_stats(prefix)
    total = next(row for row in stats if row["Name"] == "Aggregated")
    failures = read_failures(prefix)
    connection_errors = sum(int(f["Occurrences"]) for f in failures if "connection lost" in f["Error"])
    failed = int(total["Failure Count"])
    findings.append(
        (
            failed <= 1 and failed == connection_errors,
            f"locust: {total['Request Count']} requests, {failed} failed "
            f"({connection_errors} connection errors in flight on the killed worker, at most 1 expected)",
        )
    )
    log = (folder / "gunicorn.log").read_text()
    killed_lines = log.count("SIGKILL") + log.count("signal 9")
    findings.append((killed_lines >= 2, f"gunicorn's log reports {killed_lines} workers killed by a signal"))
    statuses = [json.loads(line).get("status_code") for line in log.splitlines() if '"gunicorn.access"' in line]
    server_errors = sum(1 for status in statuses if isinstance(status, int) and status >= 500)
    findings.append((server_errors == 0, f"{server_errors} responses with a 5xx status among {len(statuses)} served"))

    print("\nfindings:")
    for ok, text in findings:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    for failure in failures:
        print(
            f"  locust error: {failure['Occurrences']} × {failure['Method']} {failure['Name']}: "
            f"{failure['Error'][:160]}"
        )
    print(f"\nartifacts in {folder}")
    return 0 if all(ok for ok, _ in findings) else 1


if __name__ == "__main__":
    sys.exit(main())
