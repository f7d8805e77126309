"""Pieces of the load and fault tests that run without a server: the workbook they import, the form parser
that submits pages as a browser does, and the loopback guard."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from loadtest.forms import parse_form
from loadtest.harness import recreate_database, require_loopback, server_times
from loadtest.prepare import IMPORT_YEAR, import_counts, write_import_workbook


def test_the_load_workbook_imports_completely_through_import_survey(db, tmp_path):
    call_command("demo", stdout=StringIO())
    path = tmp_path / "load.xlsx"

    rows = write_import_workbook(path, target_rows=300)
    assert import_counts() == dict.fromkeys(["returns", "workers", "premises", "allocations", "programs"], 0)
    call_command("import_survey", str(path), "--year", str(IMPORT_YEAR), stdout=StringIO())

    assert 300 <= sum(rows.values()) < 400
    assert import_counts() == {
        "returns": rows["社区基本情况"],
        "workers": rows["社区工作者"],
        "premises": rows["办公服务用房"],
        "allocations": rows["经费"],
        "programs": rows["服务项目"],
    }


PAGE = """
<form method="post" action="/accounts/logout/"><input type="hidden" name="csrfmiddlewaretoken" value="x"></form>
<form method="get" action="/search/"><input name="q" value="no"></form>
<form method="post" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input name="households" value="1200"><input type="number" name="population" value="3400">
  <input type="checkbox" name="workers-0-DELETE"><input type="checkbox" name="workers-0-seconded" checked>
  <select name="workers-0-gender"><option value="male">男</option><option value="female" selected>女</option></select>
  <select name="workers-0-education"><option value="">---</option><option value="college">大专</option></select>
  <textarea name="explanation">户数增加 &amp; 人口</textarea>
  <input type="file" name="file"><button type="submit" name="action" value="save">保存</button>
</form>
<form method="post" action="/workbook/imports/7/confirm/">
  <input type="hidden" name="csrfmiddlewaretoken" value="c">
</form>
"""


def test_the_form_parser_submits_the_page_form_as_a_browser_would():
    action, fields = parse_form(PAGE)

    assert action == ""
    assert fields == [
        ["csrfmiddlewaretoken", "tok"],
        ["households", "1200"],
        ["population", "3400"],
        ["workers-0-seconded", "on"],
        ["workers-0-gender", "female"],
        ["workers-0-education", ""],
        ["explanation", "户数增加 & 人口"],
    ]
    assert parse_form(PAGE, "confirm") == ("/workbook/imports/7/confirm/", [["csrfmiddlewaretoken", "c"]])
    assert parse_form(PAGE, "logout") == (None, [])  # never the sign-out form


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.0.2", "::1", "localhost"])
def test_loopback_hosts_are_accepted(host):
    require_loopback(host)


@pytest.mark.parametrize("host", ["10.0.0.5", "192.168.1.10", "8.8.8.8", "example.gov.cn", ""])
def test_load_is_never_sent_off_the_machine(host):
    with pytest.raises(SystemExit):
        require_loopback(host)


def test_only_load_test_databases_are_recreated():
    with pytest.raises(SystemExit, match="must start with"):
        recreate_database("postgres://postgres@127.0.0.1:5432/shequ")
    with pytest.raises(SystemExit, match="loopback"):
        recreate_database("postgres://postgres@10.1.2.3:5432/h7_load")


def test_server_times_come_from_the_json_access_log(tmp_path):
    log = tmp_path / "gunicorn.log"
    lines = [
        {"logger": "gunicorn.error", "message": "Booting worker"},
        *(
            {
                "logger": "gunicorn.access",
                "method": "GET",
                "path": f"/returns/42062600100{i}/2025/edit/",
                "duration_ms": ms,
            }
            for i, ms in enumerate([100.0, 300.0, 200.0])
        ),
        {"logger": "gunicorn.access", "method": "GET", "path": "/dashboard/4206/", "duration_ms": 50.0},
        {"logger": "gunicorn.access", "method": "GET", "path": "/static/css/shequ.css", "duration_ms": 1.0},
    ]
    log.write_text("\n".join(json.dumps(line) for line in lines) + "\nnot json\n")

    assert server_times(log) == [
        ("GET /dashboard/<code>/", 1, 50.0, 50.0, 50.0),
        ("GET /returns/<community>/<year>/edit/", 3, 200.0, 300.0, 300.0),
    ]
