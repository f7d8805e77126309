"""In the browser: a clerk starts next year's return from the workspace (pre-filled from last year), adds two
rooms with "添加一行" and this year's funding, saves, sees a Chinese error next to a bad ID number, fixes it and
submits."""

import pytest

from communities.models import ReturnStatus, SurveyReturn
from tests.browser.conftest import browser_missing, chromium, demo, login, page, shot, step  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.skipif(bool(browser_missing()), reason=browser_missing() or "-")]

YEAR = 2026


def test_a_clerk_enters_a_return_in_the_browser(page, shot, demo):  # noqa: F811
    login(page, "clerk", demo["clerk"])
    page.goto(f"/returns/?year={YEAR}")
    shot(page, "workspace")
    start = page.locator("form[action$='/2026/start/'] button").first
    step("start a 2026 return pre-filled from 2025", start.count() == 1 and "沿用上年数据" in start.inner_text(), page)
    start.click()
    page.wait_for_load_state()
    code = page.url.split("/returns/")[1].split("/")[0]
    survey_return = SurveyReturn.objects.get(community_id=code, year=YEAR)
    before = survey_return.premises.count()
    step("rows were copied from last year", before > 0 and survey_return.workers.exists(), page)

    add = page.locator("button[data-formset-add=premises]")
    add.click()
    add.click()
    rows = page.locator("#premises-rows tr")
    step("two blank rooms were added", rows.count() == before + 3, page)  # + the formset's own blank row
    for offset, name in ((1, "新建图书室"), (2, "健身广场")):
        index = before + offset
        page.fill(f"#id_premises-{index}-name", name)
        page.select_option(f"#id_premises-{index}-category", label="公共服务用房" if offset == 1 else "室外场地")
        page.fill(f"#id_premises-{index}-area", "80")
    page.fill("#id_workers-0-id_number", "420626198501010013")  # wrong check digit
    page.click("button[name=action][value=save]")
    page.wait_for_load_state()
    shot(page, "error")
    step("the ID error is shown in Chinese next to the field", page.locator("text=校验码正确").count() >= 1, page)
    page.fill("#id_workers-0-id_number", "420626198501010014")
    page.select_option("#id_funding-0-source", label="县级财政")  # money is not copied from last year
    page.select_option("#id_funding-0-use", label="工作经费")
    page.fill("#id_funding-0-budget", "38000")
    page.fill("#id_explanation", "新增两处用房。")
    page.click("button[name=action][value=submit]")
    page.wait_for_load_state()
    shot(page, "submitted")
    survey_return.refresh_from_db()
    assert survey_return.status == ReturnStatus.SUBMITTED, page.url
    assert set(survey_return.premises.values_list("name", flat=True)) >= {"新建图书室", "健身广场"}
    assert survey_return.workers.filter(id_number="420626198501010014").exists()
    assert page.js_errors == []
