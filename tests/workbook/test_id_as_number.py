"""Issue 16 item 4 (last bullet): an ID number stored as a number (Excel keeps 15 significant digits, so its last
digits are lost) is refused with "身份证号请以文本格式填写", and every echo of it — the preview, the command's output,
the error list, the masked copy of the upload — shows what the cell shows (4.20626E+17), never made-up digits."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from communities.models import ImportRecord
from communities.workbook import reader

from .builders import ID_1, one_community, worker

YEAR = 2025
AS_NUMBER = float(ID_1)  # what Excel keeps of 420626198501010014 typed into a General cell: 4.20626198501010E+17
MADE_UP = str(int(AS_NUMBER))[-4:]  # the last digits of that float, which the user never typed


@pytest.fixture(params=["calamine", "openpyxl"])
def which_reader(request, monkeypatch):
    if request.param == "openpyxl":
        monkeypatch.setattr(reader, "CalamineWorkbook", None)
    return request.param


def data():
    return one_community(workers=[worker(身份证号=AS_NUMBER)])


def upload(client):
    file = io.BytesIO(data())
    file.name = "调查表.xlsx"
    return client.post(reverse("workbook:upload"), {"year": YEAR, "file": file}).content.decode()


def test_the_upload_page_refuses_it_and_shows_what_the_cell_shows(client, clerk_a, which_reader):
    assert ID_1[-4:] != MADE_UP
    client.force_login(clerk_a)
    page = upload(client)
    assert "身份证号请以文本格式填写" in page and "4.20626E+17</td>" in page
    assert "4206**********" not in page and MADE_UP not in page and "确认导入" not in page
    record = ImportRecord.objects.get()
    response = client.get(reverse("workbook:errors", args=[record.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][2:4] == ("身份证号", "4.20626E+17") and rows[1][4].startswith("身份证号请以文本格式填写")


def test_the_command_says_the_same(tmp_path, street_a, capsys):
    path = tmp_path / "survey.xlsx"
    path.write_bytes(data())
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import_survey", str(path), "--year", str(YEAR))
    err = capsys.readouterr().err
    assert "社区工作者\t2\t身份证号\t4.20626E+17\t身份证号请以文本格式填写" in err and MADE_UP not in err


def test_the_masked_copy_shows_it_as_excel_does(client, clerk_a):
    client.force_login(clerk_a)
    upload(client)
    record = ImportRecord.objects.get()
    response = client.get(reverse("workbook:download", args=[record.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["社区工作者"]
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=header.index("身份证号") + 1).value == "4.20626E+17"
