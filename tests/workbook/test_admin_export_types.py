"""The admin's xlsx exports keep numbers and dates as native cells (as the workbook export does); only text is
written as text cells when it reads like a formula."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from communities.resources import SurveyReturnResource
from funding.resources import AllocationResource
from tests.communities.factories import SurveyReturnFactory
from tests.funding.factories import AllocationFactory
from tests.workforce.factories import WorkerFactory
from workforce.resources import WorkerResource


def admin_export_cells(client, url_name, resource) -> dict:
    """The cells of the first row of the admin's export (every field selected), by header."""
    fields = {f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()}
    response = client.post(reverse(url_name), {"format": "0", "resource": "0", **fields})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    return dict(zip([cell.value for cell in rows[0]], rows[1], strict=True))


def admin_export(client, url_name, resource) -> dict:
    """The first row of the admin's export (every field selected), by header."""
    return {header: cell.value for header, cell in admin_export_cells(client, url_name, resource).items()}


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_worker_numbers_and_dates_are_native_cells(admin_client, street_a):
    WorkerFactory(
        survey_return__community__street=street_a,
        survey_return__year=2025,
        name="=HYPERLINK(1)",
        monthly_pay=Decimal("1900"),
        monthly_allowance=Decimal("350.5"),
        hired_on=dt.date(2021, 2, 12),
    )
    row = admin_export(admin_client, "admin:workforce_worker_export", WorkerResource)
    assert row["年度"] == 2025 and isinstance(row["年度"], int)
    assert row["月基本报酬(元)"] == 1900 and row["月补贴(元)"] == 350.5
    assert row["入职日期"] == dt.datetime(2021, 2, 12)  # a date cell (openpyxl reads dates as datetimes)
    assert isinstance(row["社区代码"], str)  # codes stay text (leading zeros)
    name = admin_export_cells(admin_client, "admin:workforce_worker_export", WorkerResource)["姓名"]
    # formula-like text is a text cell as it reads: no formula, no visible apostrophe
    assert (name.value, name.data_type, name.quotePrefix) == ("=HYPERLINK(1)", "s", True)


def test_return_and_allocation_figures_are_native(admin_client, street_a):
    SurveyReturnFactory(community__street=street_a, year=2025, households=1234)
    AllocationFactory(unit_code="420626", year=2025, budget=Decimal("2097900"))
    row = admin_export(admin_client, "admin:communities_surveyreturn_export", SurveyReturnResource)
    assert row["年度"] == 2025 and row["户数"] == 1234
    row = admin_export(admin_client, "admin:funding_allocation_export", AllocationResource)
    assert row["年度"] == 2025 and row["预算金额(万元)"] == 209.79
    assert isinstance(row["单位代码"], str)
