"""Journey 3 (DESIGN.md): an administrator changes a standard in the Django admin and sees the dashboard's
pass/fail change."""

import pytest

from communities.models import Standard
from tests.browser.conftest import login, step

pytestmark = pytest.mark.browser

YEAR = 2025
COUNTY = "420626"
KEY = "facility_area_per_100_households"
LABEL = "每百户综合服务用房"


def _verdict(page) -> str:
    row = page.locator("#theme-space table.indicators tbody tr", has=page.locator("td", has_text=LABEL)).first
    step(f"the dashboard's space section lists {LABEL} with a verdict", row.locator(".verdict").count() == 1, page)
    return row.locator(".verdict").inner_text().strip()


def test_an_administrator_raises_a_standard_and_the_dashboard_turns_it_to_fail(page, shot, demo):
    login(page, "admin", demo["admin"], shot=shot)

    # The demo county has 36.7 m² per 100 households against the national 30 m²: it passes.
    page.goto(f"/dashboard/{COUNTY}/?year={YEAR}")
    shot(page, "dashboard-before", phone=True)
    assert _verdict(page) == "达标"

    # In the admin: the national standard, raised to 40 m² per 100 households.
    page.goto(f"/admin/communities/standard/?key={KEY}")
    shot(page, "admin-standards")
    national = Standard.objects.get(region_code="", key=KEY, year_from=2000)
    page.locator(f'a[href*="/admin/communities/standard/{national.pk}/change/"]').first.click()
    page.wait_for_load_state()
    shot(page, "admin-standard-change")
    page.fill("#id_value", "40")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    shot(page, "admin-saved")
    assert page.locator(".messagelist .success").count() == 1
    national.refresh_from_db()
    assert national.value == 40

    # The dashboard reads the standard at once: now it fails, with the new standard shown.
    page.goto(f"/dashboard/{COUNTY}/?year={YEAR}")
    shot(page, "dashboard-after", phone=True)
    assert _verdict(page) == "未达标"
    row = page.locator("#theme-space table.indicators tbody tr", has=page.locator("td", has_text=LABEL)).first
    assert "40" in row.locator("td").nth(2).inner_text()
    assert page.js_errors == []
