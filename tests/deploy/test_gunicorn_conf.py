"""The committed gunicorn config: workers from the core count, bind and timeout from the environment."""

import multiprocessing
import runpy

from tests.deploy.helpers import PROJECT_DIR

CONF = str(PROJECT_DIR / "config" / "gunicorn.conf.py")


def test_workers_follow_the_core_count(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("GUNICORN_BIND", raising=False)

    conf = runpy.run_path(CONF)

    assert conf["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["wsgi_app"] == "config.wsgi:application"
    assert conf["accesslog"] == "-"
    # No query string, request line or referer (they can carry an ID-card number): see config/logging.py.
    assert not [atom for atom in ("%(q)s", "%(r)s", "%(f)s") if atom in conf["access_log_format"]]


def test_bind_workers_and_timeout_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:8080")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "300")

    conf = runpy.run_path(CONF)

    assert (conf["workers"], conf["bind"], conf["timeout"]) == (2, ["0.0.0.0:8080"], 300)
