"""Every spreadsheet a user can download is written through ``communities.spreadsheets`` (issue 18): after text
that a spreadsheet program would run as a formula was stored (a community named ``=HYPERLINK(...)``, a worker, a
room and a program starting with ``-``, ``+``, ``@``, a tab), every download of the permission matrix that returns a
spreadsheet — as every role allowed to get it, and every admin export as administrator and reviewer — holds no
formula (no ``<f>`` element in any sheet's XML, no formula cell as openpyxl reads it), and every text starting with
``=``, ``+``, ``-``, ``@``, tab or CR is a text cell with the quote prefix (it stays text when edited) and without a
visible apostrophe; in a CSV such text has the apostrophe in front. A new download that writes its file another way
fails here (the matrix lists every named URL)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from communities.models import Community
from facilities.models import Premises
from services.models import ServiceProgram
from tests.security import test_permission_matrix as matrix
from tests.security.test_permission_matrix import ADMIN_RIGHTS, ROLES, ROWS, World, admin_model_urls
from workforce.models import Worker

world = matrix.world  # the matrix's fixture: communities A, B (street B) and C (another county)

EVIL = '=HYPERLINK("http://evil.example","光千社区")'
UNSAFE = ("=", "+", "-", "@", "\t", "\r")
SPREADSHEET_TYPES = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv")
# The downloads the matrix is known to have: the walk must find every one of them (it cannot pass by finding none).
KNOWN = {
    "workbook:template",
    "workbook:export",
    "workbook:download",
    "workbook:errors",
    "workbook:changes",
    "dashboard:download",
    "returns:followup_download",
}


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _is_spreadsheet(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].split(";")[0] in SPREADSHEET_TYPES


def _unsafe_cells(data: bytes, content_type: str) -> list[str]:
    if content_type.startswith("text/csv"):
        text = data.decode("utf-8-sig")
        import csv

        return [cell for row in csv.reader(io.StringIO(text)) for cell in row if cell[:1] in UNSAFE and cell]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        found = [
            f"{name}: a formula element"
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and re.search(rb"<(\w+:)?f[ >/]", archive.read(name))
        ]
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                where = f"{sheet.title}!{cell.coordinate}"
                if cell.data_type == "f":
                    found.append(f"{where}: formula {cell.value!r}")
                elif isinstance(cell.value, str) and cell.value[:1] in UNSAFE and cell.value:
                    if cell.data_type != "s" or not cell.quotePrefix:
                        found.append(f"{where}: {cell.value!r} is not a quoted text cell")
                elif isinstance(cell.value, str) and cell.value[:1] == "'" and cell.value[1:2] in UNSAFE:
                    found.append(f"{where}: a visible apostrophe in {cell.value!r}")
    return found


def _store_formula_text(world: World) -> None:
    for survey_return in (world.a, world.b, world.c):
        Community.objects.filter(pk=survey_return.community_id).update(name=EVIL)
    Worker.objects.update(name="-2+3 张三")
    Premises.objects.update(name="+活动室")
    ServiceProgram.objects.update(name="@SUM(1,2)")
    Community.objects.filter(pk=world.b.community_id).update(name="\t=1+1")


@pytest.fixture
def roles(request):
    for name in ROLES[1:]:
        request.getfixturevalue(name)


def test_every_download_of_the_matrix_neutralises_formula_text(client, request, world, roles):
    # URL arguments first (a preview of clerk A's upload), then the formula-like text, so that the error and change
    # lists are computed against it.
    urls = {row.name: reverse(row.name, kwargs=row.args(world) if row.args else None) for row in ROWS}
    _store_formula_text(world)
    from communities.models import SurveyReturn

    checked, problems = set(), []
    for row in ROWS:
        SurveyReturn.objects.filter(pk=world.a.pk).update(status=row.status)
        for role, expected in row.outcomes("GET").items():
            if expected != "200":
                continue
            client.logout()
            if role != "anonymous":
                client.force_login(request.getfixturevalue(role))
            response = client.get(urls[row.name], {"year": 2025})
            if not _is_spreadsheet(response):
                continue
            checked.add(row.name)
            for problem in _unsafe_cells(_content(response), response["Content-Type"]):
                problems.append(f"{urls[row.name]} as {role}: {problem}")
    assert KNOWN - checked == set(), "downloads that returned no spreadsheet"
    assert problems == []


def test_dashboard_download_writes_the_evil_name_as_text(client, world, reviewer):
    """The community's name is in the dashboard's tables as it reads (not dropped, no apostrophe), in a text cell
    with the quote prefix (not a formula)."""
    _store_formula_text(world)
    client.force_login(reviewer)
    response = client.get(reverse("dashboard:download"), {"year": 2025})
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value == EVIL]
    assert cells and all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    assert not any(cell.value == "'" + EVIL for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)


def _export_fields(model_admin, user) -> dict:
    http = RequestFactory().get("/")
    http.user = user
    resource = model_admin.get_export_resource_classes(http)[0]
    return {f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()}


@pytest.mark.parametrize("role", ["reviewer", "administrator"])
def test_every_admin_export_neutralises_formula_text(client, request, world, roles, role):
    matrix.an_import_record(world.a, "clerk_a")
    _store_formula_text(world)
    user = request.getfixturevalue(role)
    client.force_login(user)
    column = 0 if role == "reviewer" else 1
    exports = [(label, name) for label, name, kind in admin_model_urls() if kind == "export"]
    assert exports, "no admin export found"
    checked, problems = [], []
    registry = {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}
    for label, name in exports:
        if "e" not in ADMIN_RIGHTS[label][column].split():
            continue
        fields = _export_fields(registry[label], user)
        response = client.post(reverse(f"admin:{name}"), {"format": "0", "resource": "0", **fields})
        assert _is_spreadsheet(response), f"{label}: {response.status_code} {response['Content-Type']}"
        checked.append(label)
        problems += [f"{label}: {p}" for p in _unsafe_cells(_content(response), response["Content-Type"])]
    assert {"communities.community", "workforce.worker", "facilities.premises"} <= set(checked)
    assert problems == []
