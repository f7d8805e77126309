"""Journey 2 (DESIGN.md): a reviewer opens the county dashboard, drills down county → street → community,
approves the community's submitted return, and downloads the survey report as a Word document."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

import pytest
from django.db.models import Sum
from docx import Document

from communities.models import ReturnStatus, SurveyReturn
from facilities.models import Category, Premises
from funding.models import Allocation
from tests.browser.conftest import ARTIFACTS, login, step
from workforce.models import Worker

pytestmark = pytest.mark.browser

YEAR = 2025
COUNTY = "420626"
STREET = "420626001"  # 城关街道
COMMUNITY = "420626001002"  # 清溪社区: submitted in the demo data for 2025


def test_a_reviewer_drills_down_approves_and_downloads_the_report(page, shot, demo):
    assert SurveyReturn.objects.get(community_id=COMMUNITY, year=YEAR).status == ReturnStatus.SUBMITTED
    login(page, "reviewer", demo["reviewer"], shot=shot)

    # The queue of submitted returns, and the workspace of the county.
    page.goto(f"/returns/review/?year={YEAR}")
    shot(page, "queue", phone=True)
    step("the queue lists 清溪社区", page.locator("td", has_text="清溪社区").count() == 1, page)
    page.goto(f"/returns/?year={YEAR}")
    shot(page, "workspace", phone=True)

    # The reporting cycle: the period, the progress with each street's on-time rate, and a reminder sent.
    page.goto("/returns/periods/")
    shot(page, "periods", phone=True)
    step("the demo's period is open", page.locator(".badge", has_text="开放中").count() == 1, page)
    page.get_by_role("link", name="填报进度").first.click()
    page.wait_for_load_state()
    shot(page, "progress", phone=True)
    step(
        "the progress page gives each street's on-time rate",
        page.locator("th", has_text="按时提交率").count() == 1,
        page,
    )
    page.get_by_role("button", name="发送催报").click()
    page.wait_for_load_state()
    step("the reminders are sent", page.locator(".message", has_text="已向 3 个街道(乡镇)催报").count() == 1, page)

    page.goto(f"/dashboard/?year={YEAR}")
    shot(page, "dashboard-county", phone=True)
    step("the county dashboard shows the county's indicators", page.locator("text=保康县").count() > 0, page)
    step("the dashboard links to street 城关街道", page.get_by_role("link", name="城关街道").count() > 0, page)

    page.get_by_role("link", name="城关街道").first.click()
    page.wait_for_load_state()
    shot(page, "dashboard-street", phone=True)
    step(
        "the street dashboard links to community 清溪社区", page.get_by_role("link", name="清溪社区").count() > 0, page
    )

    page.get_by_role("link", name="清溪社区").first.click()
    page.wait_for_load_state()
    shot(page, "dashboard-community", phone=True)
    step("the community level shows 清溪社区", page.locator("h1", has_text="清溪社区").count() > 0, page)

    # From the community to its return, where the reviewer approves it.
    review_link = page.locator(f'a[href*="/returns/{COMMUNITY}/{YEAR}/"]')
    step("the community page links to its return for review", review_link.count() > 0, page)
    review_link.first.click()
    page.wait_for_load_state()
    shot(page, "return-review", phone=True)
    # The review box is at the top of the page, above the figures, and approving asks for confirmation.
    box, figures = page.locator("#review").bounding_box(), page.locator("table").first.bounding_box()
    step("the review box comes before the figures", box["y"] < figures["y"], page)
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.fill("#id_comment", "数据已核实。")
    page.get_by_role("button", name="审核通过（锁定）").click()
    page.wait_for_load_state()
    shot(page, "return-approved", phone=True)
    assert dialogs and "确定审核通过吗" in dialogs[0]
    assert page.locator(".badge.approved").count() > 0
    assert SurveyReturn.objects.get(community_id=COMMUNITY, year=YEAR).status == ReturnStatus.APPROVED

    # Back on the county dashboard: the survey report, as a page, and from there as a Word document.
    page.goto(f"/dashboard/?year={YEAR}")
    shot(page, "dashboard-county-again")
    report_link = page.locator(f'a[href$="/report/{COUNTY}/{YEAR}/"]')
    step("the county dashboard links to the survey report", report_link.count() > 0, page)
    report_link.first.click()
    page.wait_for_load_state()
    shot(page, "report-page", phone=True)
    assert page.locator("#survey-report h1").inner_text() == f"保康县{YEAR}年社区建设情况调研报告"
    assert page.locator("#survey-report h2", has_text="二、存在的问题").count() == 1
    # Printed, the page is the report alone: no site header, no buttons.
    page.emulate_media(media="print")
    shot(page, "report-print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("#report-docx").is_visible()
    page.emulate_media(media="screen")
    docx_link = page.locator("#report-docx")
    with page.expect_download() as download_info:
        docx_link.first.click()
    download = download_info.value
    target = ARTIFACTS / "downloads" / download.suggested_filename
    target.parent.mkdir(parents=True, exist_ok=True)
    download.save_as(target)
    document = Document(BytesIO(target.read_bytes()))
    assert document.paragraphs[0].text == f"保康县{YEAR}年社区建设情况调研报告"
    assert download.suggested_filename == f"保康县{YEAR}年社区建设情况调研报告.docx"

    # The document's figures are the demo county's, counted here straight from the tables.
    text = "\n".join(p.text for p in document.paragraphs)
    for phrase in _expected_phrases():
        assert phrase in text, phrase
    # And its tables are the ones the reviewer read on the page, cell for cell.
    page_tables = page.locator("#survey-report table").evaluate_all(
        "tables => tables.map(t => [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim())))"
    )
    assert [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables] == page_tables
    assert page.js_errors == []


def _half_up(value, places: int = 0) -> str:
    return str(Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _expected_phrases() -> list[str]:
    returns = SurveyReturn.objects.filter(year=YEAR, community__code__startswith=COUNTY)
    sums = returns.aggregate(households=Sum("households"), population=Sum("population"))
    workers = Worker.objects.filter(survey_return__in=returns)
    end = date(YEAR, 12, 31)
    roster, left = workers.count(), workers.filter(left_on__lte=end).count()
    office = Premises.objects.filter(survey_return__in=returns, category=Category.OFFICE).aggregate(a=Sum("area"))["a"]
    budget = Allocation.objects.filter(year=YEAR, unit_code__startswith=COUNTY).aggregate(b=Sum("budget"))["b"]
    return [
        f"共有街道（乡镇）3个、社区{returns.count()}个",
        f"居民{sums['households']}户，常住人口{sums['population']}人",
        f"共招聘社区工作者{roster}人，其中离职{left}人",
        f"年末在岗{roster - left}人",
        f"现有办公用房{_half_up(office)}平方米",
        f"{YEAR}年社区经费共预算{_half_up(budget / 10000, 2)}万元",
    ]
