"""The JSON log formatter shared by Django and gunicorn."""

import json
import logging

from django.test import RequestFactory

from config.logging import JsonFormatter


def _record(name: str, msg: str, args=(), **extra) -> logging.LogRecord:
    record = logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)
    record.__dict__.update(extra)
    return record


def test_a_gunicorn_access_line_carries_the_request_fields():
    atoms = {"h": "127.0.0.1", "m": "POST", "U": "/returns/", "q": "", "s": "302", "b": "-", "D": 123456, "a": "ua"}
    record = _record("gunicorn.access", "%(h)s %(r)s", (atoms,))

    entry = json.loads(JsonFormatter().format(record))

    assert entry["method"] == "POST"
    assert entry["path"] == "/returns/"
    assert entry["status_code"] == 302
    assert entry["duration_ms"] == 123.5
    assert "bytes" not in entry and "query" not in entry
    assert entry["message"] == "POST /returns/ 302"


def test_a_gunicorn_access_line_never_carries_the_query_string_or_the_referer():
    id_number = "420626199001011234"
    atoms = {
        "h": "127.0.0.1",
        "m": "GET",
        "U": "/admin/workforce/worker/",
        "q": f"id_number__startswith={id_number}",
        "r": f"GET /admin/workforce/worker/?id_number__startswith={id_number} HTTP/1.1",
        "f": f"https://shequ.example/admin/workforce/worker/?id_number={id_number}",
        "s": "400",
        "b": "143",
        "D": 1000,
        "a": "ua",
    }
    record = _record("gunicorn.access", "%(h)s %(r)s %(f)s", (atoms,))

    line = JsonFormatter().format(record)

    assert id_number not in line
    assert json.loads(line)["path"] == "/admin/workforce/worker/"


def test_a_django_request_error_names_the_request_and_keeps_chinese_readable():
    request = RequestFactory().get("/dashboard/")
    record = _record("django.request", "内部错误: %s", ("/dashboard/",), status_code=500, request=request)

    entry = json.loads(JsonFormatter().format(record))

    assert entry == {**entry, "level": "INFO", "message": "内部错误: /dashboard/", "status_code": 500}
    assert entry["method"] == "GET" and entry["path"] == "/dashboard/"
    assert "内部错误" in JsonFormatter().format(record)  # not \\u escapes


def test_an_exception_is_one_line_of_json():
    try:
        raise ValueError("坏数据")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), __import__("sys").exc_info())

    line = JsonFormatter().format(record)

    assert "\n" not in line
    assert "ValueError: 坏数据" in json.loads(line)["exception"]
