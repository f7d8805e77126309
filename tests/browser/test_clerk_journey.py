"""Journey 1 (DESIGN.md): a clerk downloads the workbook template, uploads it with an error, sees the error in
the preview, uploads the corrected workbook, confirms the import, then corrects one value in the return's form
and submits the return."""

import pytest
from openpyxl import load_workbook

from communities.models import ReturnStatus, SurveyReturn
from tests.browser.conftest import ARTIFACTS, login, step

pytestmark = pytest.mark.browser

YEAR = 2026  # the demo has returns for 2023–2025: the template for 2026 comes pre-filled with 2025's rows
STREET = "420626001"
BASICS = "社区基本情况"


def _header_cell(sheet, header: str):
    """The cell holding ``header`` in the first rows of the sheet (the template may put a title above)."""
    for row in sheet.iter_rows(min_row=1, max_row=5):
        for cell in row:
            if cell.value == header:
                return cell
    raise AssertionError(f"no column {header} in sheet {sheet.title}")


def _upload(page, shot, path, name: str):
    page.goto("/workbook/")
    page.fill("#id_year", str(YEAR))
    page.set_input_files("#id_file", str(path))
    shot(page, f"{name}-chosen")
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_load_state()
    shot(page, f"{name}-preview", phone=True)


def test_a_clerk_imports_a_workbook_fixes_an_error_edits_and_submits(page, shot, demo):
    downloads = ARTIFACTS / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    login(page, "clerk", demo["clerk"], shot=shot)

    # 1. The template for the year, pre-filled with last year's rows.
    page.goto("/workbook/")
    shot(page, "workbook-index", phone=True)
    page.fill("#id_t_year", str(YEAR))
    with page.expect_download() as download_info:
        page.get_by_role("button", name="下载模板（预填已有数据）").click()
    template = downloads / "template.xlsx"
    download_info.value.save_as(template)

    book = load_workbook(template)
    step(f"the template has the sheet {BASICS}", BASICS in book.sheetnames, page)
    sheet = book[BASICS]
    households = _header_cell(sheet, "户数")
    code_header = _header_cell(sheet, "社区代码")
    first = households.row + 1
    code = str(sheet.cell(first, code_header.column).value)
    good_households = sheet.cell(first, households.column).value
    assert code.startswith(STREET) and good_households

    # 2. Upload it with an error: households must be a non-negative number.
    sheet.cell(first, households.column).value = "一千二"
    bad = downloads / "with-error.xlsx"
    book.save(bad)
    _upload(page, shot, bad, "bad")
    errors = page.locator("table.errors")
    step("the preview lists the workbook's errors", errors.count() == 1, page)
    row_text = errors.locator("tbody tr").first.inner_text()
    assert BASICS in row_text and "户数" in row_text and "一千二" in row_text
    assert page.get_by_role("button", name="确认导入").count() == 0
    assert not SurveyReturn.objects.filter(year=YEAR).exists()

    # 3. The corrected workbook: preview without errors, then confirm.
    sheet.cell(first, households.column).value = good_households
    good = downloads / "corrected.xlsx"
    book.save(good)
    _upload(page, shot, good, "good")
    assert page.locator("table.errors").count() == 0
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_load_state()
    shot(page, "imported")
    assert page.locator(".message.success").count() == 1
    imported = SurveyReturn.objects.filter(year=YEAR, community__street_id=STREET)
    assert imported.count() == 8
    assert imported.get(community_id=code).households == int(good_households)

    # 4. Correct one value in the return's form and submit it.
    page.goto(f"/returns/?year={YEAR}")
    shot(page, "workspace", phone=True)
    page.locator(f'a[href="/returns/{code}/{YEAR}/edit/"]').click()
    page.wait_for_load_state()
    shot(page, "edit", phone=True)
    # The roster scrolls right in its box and the name column stays in view; the buttons stay at the bottom of the
    # window, at the top of the page already; every cell's input is named by its row and column.
    name_box = page.get_by_role("textbox", name="第1行 姓名")
    step("the roster's first name is named 第1行 姓名", name_box.count() == 1 and name_box.input_value() != "", page)
    roster = page.locator("#part-workers .table-scroll")
    before = name_box.bounding_box()
    roster.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    assert roster.evaluate("box => box.scrollLeft") > 500
    after = name_box.bounding_box()
    assert abs(after["x"] - before["x"]) < 2, (before, after)
    submit = page.get_by_role("button", name="保存并提交审核")
    window = page.viewport_size["height"]
    box = submit.bounding_box()
    in_window = box["y"] > 0 and box["y"] + box["height"] <= window
    step("保存并提交审核 is in the window at the top of the page", in_window, page)
    page.get_by_role("link", name="服务项目", exact=True).click()
    assert page.locator("#part-programs").bounding_box()["y"] < 50
    page.fill("#id_households", str(int(good_households) + 12))
    page.get_by_role("button", name="保存并提交审核").click()
    page.wait_for_load_state()
    shot(page, "submitted", phone=True)
    survey_return = SurveyReturn.objects.get(community_id=code, year=YEAR)
    step(
        "the return is submitted (no problem left on the form)",
        survey_return.status == ReturnStatus.SUBMITTED,
        page,
    )
    assert survey_return.households == int(good_households) + 12
    assert page.locator(".badge.submitted").count() > 0

    # The clerk's street on the dashboard.
    page.goto(f"/dashboard/?year={YEAR - 1}")
    shot(page, "dashboard-street", phone=True)
    step("the clerk's dashboard is their street's", page.locator("h1", has_text="城关街道").count() == 1, page)
    assert page.js_errors == []
