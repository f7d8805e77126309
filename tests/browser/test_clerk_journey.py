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
    shot(page, f"{name}-preview")


def test_a_clerk_imports_a_workbook_fixes_an_error_edits_and_submits(page, shot, demo):
    downloads = ARTIFACTS / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    login(page, "clerk", demo["clerk"], shot=shot)

    # 1. The template for the year, pre-filled with last year's rows.
    page.goto("/workbook/")
    shot(page, "workbook-index")
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
    shot(page, "workspace")
    page.locator(f'a[href="/returns/{code}/{YEAR}/edit/"]').click()
    page.wait_for_load_state()
    shot(page, "edit")
    page.fill("#id_households", str(int(good_households) + 12))
    page.get_by_role("button", name="保存并提交审核").click()
    page.wait_for_load_state()
    shot(page, "submitted")
    survey_return = SurveyReturn.objects.get(community_id=code, year=YEAR)
    step(
        "the return is submitted (no problem left on the form)",
        survey_return.status == ReturnStatus.SUBMITTED,
        page,
    )
    assert survey_return.households == int(good_households) + 12
    assert page.locator(".badge.submitted").count() > 0
    assert page.js_errors == []
