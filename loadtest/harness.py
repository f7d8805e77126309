"""What the load test and the fault test share: a fresh PostgreSQL database with the city demo, the production
settings for a plain-HTTP server on loopback, gunicorn started and stopped, the plan, the row counts.

No Django import here: Django runs in the subprocesses (manage.py, loadtest/prepare.py, gunicorn), as in production.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

PROJECT_DIR = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/h7_load"


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def require_loopback(host: str) -> None:
    """Load and fault tests send traffic to this machine only."""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        raise SystemExit(f"refusing to send load to {host}: only loopback addresses (127.0.0.0/8, ::1) are allowed")


def recreate_database(database_url: str) -> None:
    """Drop and create the load-test database (its name must start with h7 or load, so no real one is touched)."""
    parts = urlsplit(database_url)
    require_loopback(parts.hostname or "")
    name = parts.path.lstrip("/")
    if not name.startswith(("h7", "load")):
        raise SystemExit(f"refusing to recreate database {name!r}: its name must start with 'h7' or 'load'")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def server_environment(database_url: str, folder: Path, *, workers: int, port: int) -> dict:
    """Production settings, except that this server speaks plain HTTP on loopback: no HTTPS redirect and cookies
    without the Secure flag (a browser or locust would not send Secure cookies over http://). Never on a real server."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(folder / "staticfiles"),
        MEDIA_ROOT=str(folder / "media"),
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
        # No lockout from many sign-ins on one address during the run (the passwords are right; this is a guard).
        AXES_FAILURE_LIMIT="1000",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict, *args: str, timeout: int = 900) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare(env: dict, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "loadtest.prepare", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise SystemExit(f"loadtest.prepare {' '.join(args)} failed:\n{result.stderr}")
    return json.loads(result.stdout)


def build_site(env: dict, folder: Path, *, import_delay: float) -> dict:
    """migrate, collectstatic, the city demo, and the plan for the locust users."""
    say("migrate")
    manage(env, "migrate", "--noinput")
    say("collectstatic")
    manage(env, "collectstatic", "--noinput")
    say("demo --scale city (150 communities)")
    say(manage(env, "demo", "--scale", "city").splitlines()[0])
    say("plan and the 2,000-row workbook")
    plan = prepare(env, "plan", str(folder), "--delay", str(import_delay))
    analyze(env["DATABASE_URL"])
    return plan


def analyze(database_url: str) -> None:
    """Statistics for the tables just filled, as a running server has them: autovacuum analyses a table about a
    minute after it changes this much, and until then the planner takes the new tables for empty — on the city
    demo the indicators API then chose nested loops that ran 130 ms instead of about 40."""
    say("ANALYZE")
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("ANALYZE")


def _percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def server_times(log_path: Path) -> list[tuple[str, int, float, float, float]]:
    """Per route, from gunicorn's JSON access log: (route, requests, p50, p95, max) in ms. This is the time a worker
    spent on the request, without the time it waited for a free worker."""
    routes: dict[str, list[float]] = {}
    for line in log_path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("logger") != "gunicorn.access" or "path" not in entry or entry["path"].startswith("/static/"):
            continue
        path = re.sub(r"/[0-9]{12}/[0-9]{4}/", "/<community>/<year>/", entry["path"])
        path = re.sub(r"/[0-9]{2,9}/", "/<code>/", path)
        path = re.sub(r"/[0-9]+/", "/<n>/", path)
        routes.setdefault(f"{entry['method']} {path}", []).append(entry.get("duration_ms", 0.0))
    return [
        (route, len(values), _percentile(values, 50), _percentile(values, 95), max(values))
        for route, values in sorted(routes.items())
    ]


class Gunicorn:
    """gunicorn with the committed config, as in production; its JSON log goes to a file."""

    def __init__(self, env: dict, log_path: Path):
        self.env = env
        self.log_path = log_path
        self.base = f"http://{env['GUNICORN_BIND']}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [str(BIN_DIR / "gunicorn"), "-c", "config/gunicorn.conf.py"],
                cwd=PROJECT_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn stopped:\n" + self.log_path.read_text())
            try:
                urllib.request.urlopen(f"{self.base}/accounts/login/", timeout=5)
                if len(self.worker_pids()) >= int(self.env["WEB_CONCURRENCY"]):
                    return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn did not answer in time:\n" + self.log_path.read_text())

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def worker_pids(self) -> list[int]:
        """The master's children: the workers."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
