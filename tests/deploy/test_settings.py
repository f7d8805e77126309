"""Production settings: Django's deployment checks, secrets from the environment, persistent connections, and
every {% static %} reference pointing at a file collectstatic will find."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from django.contrib.staticfiles import finders

from tests.deploy.helpers import PROJECT_DIR, run_manage

STATIC_TAG = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]""")


def test_check_deploy_passes_with_production_settings(production_env):
    result = run_manage(production_env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(production_env):
    del production_env["SECRET_KEY"]

    result = run_manage(production_env, "check")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(production_env):
    del production_env["ALLOWED_HOSTS"]

    result = run_manage(production_env, "check")

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def _production_settings(env: dict, *names: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgresql_connections_persist_and_are_checked(production_env):
    production_env["DATABASE_URL"] = "postgres://shequ:secret@127.0.0.1:5432/shequ"

    database = _production_settings(production_env, "DATABASES")["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["CONN_MAX_AGE"] == 600
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"]["connect_timeout"] == 5


def test_cookies_are_secure_and_static_files_hashed_and_compressed(production_env):
    values = _production_settings(
        production_env,
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "STORAGES",
    )

    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def _template_files() -> list[Path]:
    roots = [PROJECT_DIR / "templates", *PROJECT_DIR.glob("*/templates")]
    return [path for root in roots for path in root.rglob("*.html")]


def test_every_static_reference_in_the_templates_exists():
    references = {
        (path.relative_to(PROJECT_DIR), name)
        for path in _template_files()
        for name in STATIC_TAG.findall(path.read_text(encoding="utf-8"))
    }

    missing = sorted(f"{path}: {name}" for path, name in references if finders.find(name) is None)

    assert references, "no {% static %} reference found: the template scan is broken"
    assert missing == []


def test_the_demo_settings_show_the_chinese_404_page_not_the_debug_page(tmp_path):
    """manage.py runserver (config.settings.base, no .env) must not show users Django's English debug pages."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.pop("DEBUG", None)
    env.update(DJANGO_SETTINGS_MODULE="config.settings.base", DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    code = (
        "import django; django.setup(); from django.conf import settings; from django.test import Client; "
        "from django.test.utils import setup_test_environment; setup_test_environment(); "
        "r = Client().get('/returns/420626101001/2025/no-such-page/'); "
        "print(settings.DEBUG, r.status_code); print(r.content.decode())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    first, page = result.stdout.split("\n", 1)
    assert first == "False 404"
    assert "没有找到" in page
    assert "Page not found" not in page and "URLconf" not in page
