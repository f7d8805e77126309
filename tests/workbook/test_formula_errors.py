"""A cell that shows a formula error (#DIV/0!, #N/A …) is refused by sheet, row and column, with both readers,
through the import service, the command and the upload page; nothing is imported and no figure is blanked.
An ID number stored as a number is echoed as Excel shows it."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from communities.models import ImportOutcome, ImportRecord
from communities.workbook import reader
from communities.workbook.services import workbook_import
from services.models import ServiceProgram
from workforce.models import Worker

from .builders import basics, program, survey, worker

YEAR = 2025


def with_formulas(data: bytes) -> bytes:
    """The workbook as Excel or LibreOffice saves it: each error cell holds its formula and the cached error."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            part = source.read(entry.filename)
            if entry.filename.startswith("xl/worksheets/"):
                part = part.replace(b't="e"><v>', b't="e"><f>1/0</f><v>')
            target.writestr(entry, part)
    return out.getvalue()


@pytest.fixture(params=["calamine", "openpyxl"])
def which_reader(request, monkeypatch):
    """Each test runs with the fast reader (python-calamine) and with the fallback (openpyxl)."""
    if request.param == "openpyxl":
        monkeypatch.setattr(reader, "CalamineWorkbook", None)
    else:
        assert reader.CalamineWorkbook is not None, "python-calamine is a dependency: the fast path must be tested"
    return request.param


def run(data, user, dry_run=False):
    return workbook_import(file=data, year=YEAR, user=user, dry_run=dry_run, name="t.xlsx")


def test_an_error_in_an_optional_column_is_refused_not_blanked(clerk_a, which_reader):
    assert run(survey(programs=[program(受益人次=1373)]), clerk_a).ok
    data = with_formulas(survey(programs=[program(受益人次="#DIV/0!")]))
    result = run(data, clerk_a)
    assert not result.ok
    [problem] = result.errors
    assert (problem.sheet, problem.row, problem.column) == ("服务项目", 2, "受益人次")
    assert problem.message == "单元格显示公式错误 #DIV/0!，请修正公式或填入数值。"
    assert ServiceProgram.objects.get().beneficiaries == 1373  # the figure is kept, not blanked


def test_an_error_in_a_required_column_names_the_error(clerk_a, which_reader):
    data = survey(communities=[basics(户数="#VALUE!"), basics("420626001002", "西关社区", 常住人口="#N/A")])
    result = run(data, clerk_a, dry_run=True)
    messages = {(p.sheet, p.row, p.column): p.message for p in result.errors}
    assert messages == {
        ("社区基本情况", 2, "户数"): "单元格显示公式错误 #VALUE!，请修正公式或填入数值。",
        ("社区基本情况", 3, "常住人口"): "单元格显示公式错误 #N/A，请修正公式或填入数值。",
    }
    assert not any("必填" in m for m in messages.values())


@pytest.mark.parametrize("shown", ["#REF!", "#NAME?", "#NUM!", "#NULL!"])
def test_every_error_value_is_refused_in_text_columns_too(clerk_a, which_reader, shown):
    result = run(survey(workers=[worker(借用单位=shown)]), clerk_a)
    assert [(p.sheet, p.column, p.message) for p in result.errors] == [
        ("社区工作者", "借用单位", f"单元格显示公式错误 {shown}，请修正公式或填入数值。")
    ]
    assert not Worker.objects.exists()


def test_the_command_prints_the_error_and_imports_nothing(tmp_path, street_a, capsys, which_reader):
    path = tmp_path / "survey.xlsx"
    path.write_bytes(with_formulas(survey(workers=[worker(**{"月基本报酬(元)": "#DIV/0!"})])))
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import_survey", str(path), "--year", str(YEAR))
    assert "社区工作者\t2\t月基本报酬(元)\t#DIV/0!\t单元格显示公式错误 #DIV/0!" in capsys.readouterr().err
    assert not Worker.objects.exists()


def test_the_upload_page_shows_the_error_and_offers_no_confirm(client, clerk_a, which_reader):
    client.force_login(clerk_a)
    file = io.BytesIO(with_formulas(survey(programs=[program(受益人次="#DIV/0!")])))
    file.name = "调查表.xlsx"
    page = client.post(reverse("workbook:upload"), {"year": YEAR, "file": file}).content.decode()
    assert "单元格显示公式错误 #DIV/0!，请修正公式或填入数值" in page and "受益人次" in page
    assert "确认导入" not in page
    assert ImportRecord.objects.get().outcome == ImportOutcome.REJECTED


def test_an_id_number_stored_as_a_number_is_echoed_as_excel_shows_it(clerk_a, which_reader):
    """Excel keeps 15 significant digits: the echo must not show digits that the user never typed."""
    result = run(survey(workers=[worker(身份证号=420626198501010014)]), clerk_a, dry_run=True)
    [problem] = result.errors
    assert problem.column == "身份证号" and "文本" in problem.message
    assert problem.value == "4.20626E+17"
