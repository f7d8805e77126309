"""A division code whose county (5–6), township (7–9) or committee (10–12) part is all zeros names no unit: refused
in the workbook and in the admin with a Chinese message."""

import pytest
from django.urls import reverse

from communities.models import Community
from communities.workbook.services import workbook_import

from .builders import allocation, basics, one_community, survey

YEAR = 2025


@pytest.mark.parametrize(
    ("code", "fragment"),
    [("420626001000", "第 10–12 位"), ("420626000001", "第 7–9 位"), ("420600001001", "第 5–6 位")],
)
def test_the_workbook_refuses_a_zero_part(clerk_a, code, fragment):
    data = survey(communities=[basics(code)], workers=[], rooms=[], funds=[], programs=[])
    result = workbook_import(file=data, year=YEAR, user=clerk_a, dry_run=True, name="t.xlsx")
    assert [(p.sheet, p.column, p.value) for p in result.errors] == [("社区基本情况", "社区代码", code)]
    assert fragment in result.errors[0].message and "请核对" in result.errors[0].message


def test_a_funding_unit_code_too(clerk_a):
    data = one_community(funds=[allocation("420626000")])
    result = workbook_import(file=data, year=YEAR, user=clerk_a, dry_run=True, name="t.xlsx")
    assert [(p.sheet, p.column) for p in result.errors] == [("经费", "单位代码")]


def test_the_admin_refuses_a_committee_part_of_000(client, administrator, street_a):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:communities_community_add"),
        {"code": "420626001000", "name": "新社区", "street": street_a.pk, "community_type": "urban"},
    )
    assert response.status_code == 200
    assert "社区代码第 10–12 位（居委会、村委会）不能是 000" in response.content.decode()
    assert not Community.objects.exists()
