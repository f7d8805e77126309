"""Regions and standards in the admin: Chinese headers like the other tables, and a round trip (export → import)
through the admin's pages reports and writes nothing."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from communities.models import Region, Standard
from communities.resources import RegionResource, StandardResource


def admin_export(client, url_name, resource) -> bytes:
    fields = {f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()}
    response = client.post(reverse(url_name), {"format": "0", "resource": "0", **fields})
    assert response.status_code == 200
    return response.content


def admin_import(client, url_name, data):
    """The admin's preview, then its confirmation; the preview's result."""
    upload = io.BytesIO(data)
    upload.name = "x.xlsx"
    response = client.post(reverse(url_name), {"format": "0", "import_file": upload, "resource": "0"})
    assert response.status_code == 200, response.content.decode()[:2000]
    result = response.context["result"]
    confirm = response.context["confirm_form"]
    client.post(reverse(url_name.replace("_import", "_process_import")), confirm.initial)
    return result


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def _headers(data: bytes) -> list:
    return [c.value for c in next(load_workbook(io.BytesIO(data)).active.iter_rows(max_row=1))]


def test_regions_round_trip_changes_nothing(admin_client, street_a, street_b):
    data = admin_export(admin_client, "admin:communities_region_export", RegionResource)
    assert _headers(data) == ["区划代码", "名称"]
    before = list(Region.objects.values_list("code", "name"))
    result = admin_import(admin_client, "admin:communities_region_import", data)
    assert result.totals["skip"] == len(before) and result.totals["update"] == 0 and result.totals["new"] == 0
    assert list(Region.objects.values_list("code", "name")) == before


def test_standards_round_trip_changes_nothing(admin_client, county):
    Standard.objects.create(region_code="420626", key="facility_min_area", year_from=2024, value=300, source="县文件")
    Standard.objects.create(region_code="420626", key="worker_loss_rate_max", year_from=2024, value=Decimal("0.125"))
    data = admin_export(admin_client, "admin:communities_standard_export", StandardResource)
    assert _headers(data) == ["适用区划代码", "标准项", "起始年度", "数值", "依据文件"]
    row = [c.value for c in list(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2))[0]]
    assert isinstance(row[2], int) and not isinstance(row[3], str)
    stamps = dict(Standard.objects.values_list("pk", "updated_at"))
    history = Standard.history.count()
    result = admin_import(admin_client, "admin:communities_standard_import", data)
    assert result.totals["update"] == 0 and result.totals["new"] == 0
    assert result.totals["skip"] == Standard.objects.count()
    assert dict(Standard.objects.values_list("pk", "updated_at")) == stamps
    assert Standard.history.count() == history


def test_a_changed_standard_imports_by_its_chinese_label(admin_client, county):
    Standard.objects.create(region_code="420626", key="facility_min_area", year_from=2024, value=300)
    workbook = load_workbook(
        io.BytesIO(admin_export(admin_client, "admin:communities_standard_export", StandardResource))
    )
    sheet = workbook.active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "420626")
    assert row[1].value == "综合服务用房最低面积(平方米)"
    row[3].value = 350
    stream = io.BytesIO()
    workbook.save(stream)
    result = admin_import(admin_client, "admin:communities_standard_import", stream.getvalue())
    assert result.totals["update"] == 1
    assert Standard.objects.get(region_code="420626", key="facility_min_area").value == 350
