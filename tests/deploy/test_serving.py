"""collectstatic, then gunicorn started with the committed config and the production settings, as in README:
pages over HTTPS (behind the proxy), hashed and compressed static files from the application, JSON logs."""

import json
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.deploy.helpers import BIN_DIR, PROJECT_DIR, free_port, production_environment, run_manage


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, **headers: str):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **headers})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        return opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:  # 3xx and 4xx come back as errors without a redirect handler
        return error


@pytest.fixture(scope="module")
def gunicorn_server(tmp_path_factory):
    """One server for the module: collectstatic, then gunicorn with one worker; its stdout goes to a file."""
    folder = tmp_path_factory.mktemp("production")
    env = production_environment(folder)
    collected = run_manage(env, "collectstatic", "--noinput")
    assert collected.returncode == 0, collected.stderr
    port = free_port()
    log_path = folder / "gunicorn.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(BIN_DIR / "gunicorn"), "-c", "config/gunicorn.conf.py"],
            cwd=PROJECT_DIR,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            _get(f"{base}/static/missing")
            break  # the server answers (404)
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait()
                pytest.fail("gunicorn did not start:\n" + log_path.read_text())
            time.sleep(0.2)
    yield {"base": base, "log": log_path}
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_gunicorn_serves_pages_and_hashed_compressed_static_files(gunicorn_server):
    base = gunicorn_server["base"]

    page = _get(f"{base}/accounts/login/")
    html = page.read().decode()
    assert page.status == 200
    stylesheet = re.search(r'href="(/static/css/shequ\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet, "the page must link the hashed (cache-busted) stylesheet"
    assert "Secure" in page.headers["Set-Cookie"]

    static = _get(base + stylesheet.group(1), **{"Accept-Encoding": "gzip"})
    assert static.status == 200
    assert static.headers["Content-Encoding"] == "gzip"
    assert "immutable" in static.headers["Cache-Control"]
    assert "max-age=315360000" in static.headers["Cache-Control"]

    unhashed = _get(f"{base}/static/css/shequ.css")
    assert "immutable" not in unhashed.headers.get("Cache-Control", "")


def test_plain_http_is_redirected_to_https(gunicorn_server):
    request = urllib.request.Request(f"{gunicorn_server['base']}/accounts/login/")
    response = None
    try:
        urllib.request.build_opener(NoRedirect).open(request, timeout=10)
    except urllib.error.HTTPError as error:
        response = error

    assert response is not None and response.status == 301
    assert response.headers["Location"].startswith("https://")


def test_every_log_line_is_json(gunicorn_server):
    id_number = "420626199001011234"
    _get(f"{gunicorn_server['base']}/accounts/login/?id_number={id_number}", **{"User-Agent": "log-test"})
    time.sleep(0.2)
    text = gunicorn_server["log"].read_text()
    lines = text.splitlines()

    entries = [json.loads(line) for line in lines if line.strip()]

    access = [entry for entry in entries if entry.get("user_agent") == "log-test"]
    assert len(access) == 1
    assert id_number not in text  # the query string is never logged
    assert {"logger": "gunicorn.access", "method": "GET", "path": "/accounts/login/", "status_code": 200}.items() <= (
        access[0].items()
    )
    assert access[0]["duration_ms"] >= 0
    assert any(entry["logger"] == "gunicorn.error" and "Booting worker" in entry["message"] for entry in entries)
