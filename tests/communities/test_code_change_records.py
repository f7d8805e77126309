"""区划变更 recorded by an administrator: the admin's form, its xlsx import/export, and
``manage.py import_code_changes`` — bad rows refused with Chinese messages naming sheet, row and column, nothing
written."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from communities.models import ChangeKind, CodeChange
from tests.communities.test_region_standard_resources import admin_export, admin_import

A, B, C = "420626001001", "420626001002", "420626001003"
HEADERS = ["原代码", "新代码", "生效年份", "变更类型", "备注"]


def sheet_file(rows, *, title="区划变更", headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def write(tmp_path, data: bytes):
    path = tmp_path / "区划变更.xlsx"
    path.write_bytes(data)
    return str(path)


def stored():
    return sorted(CodeChange.objects.values_list("old_code", "new_code", "year", "kind"))


# ----- the admin's form -------------------------------------------------------------------------------------------


def _add(client, **values):
    data = {"old_code": A, "new_code": C, "year": "2025", "kind": ChangeKind.MERGE, "note": "", **values}
    return client.post(reverse("admin:communities_codechange_add"), data)


def test_an_administrator_records_a_merge_in_the_admin(client, administrator, street_a):
    client.force_login(administrator)
    assert _add(client).status_code == 302
    assert _add(client, old_code=B, note="保民发〔2025〕3号").status_code == 302
    assert stored() == [(A, C, 2025, "merge"), (B, C, 2025, "merge")]
    page = client.get(reverse("admin:communities_codechange_changelist")).content.decode()
    assert "区划变更" in page and "合并" in page and B in page
    assert CodeChange.history.count() == 2


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"new_code": A, "kind": ChangeKind.RECODE}, "原代码与新代码相同：请填写变更后的新代码"),
        ({"new_code": "420626001"}, "请让原代码与新代码同为 12 位社区代码"),
        ({"old_code": "420626001", "new_code": "420626002"}, "9 位街道（乡镇）代码只能登记“更名/改码”"),
        ({"old_code": "42062600100"}, "代码应为 12 位（社区）或 9 位（街道、乡镇）数字"),
        ({"year": "1999"}, "2000"),
    ],
)
def test_a_bad_change_is_refused_in_chinese_and_nothing_is_saved(client, administrator, values, message):
    client.force_login(administrator)
    response = _add(client, **values)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert stored() == []


def test_a_change_that_contradicts_a_recorded_one_is_refused(client, administrator):
    CodeChange.objects.create(old_code=A, new_code=C, year=2025, kind=ChangeKind.MERGE)
    client.force_login(administrator)
    response = _add(client, new_code=B)  # A merged into C and into B in the same year
    assert "合并、更名/改码、村改居只能有一个新代码" in response.content.decode()
    response = _add(client, kind=ChangeKind.SPLIT, new_code=B)
    assert "同一代码同一年只能有一种变更" in response.content.decode()
    assert stored() == [(A, C, 2025, "merge")]


def test_a_reviewer_sees_the_changes_of_the_region_and_may_not_record_one(client, reviewer):
    CodeChange.objects.create(old_code=A, new_code=C, year=2025, kind=ChangeKind.MERGE)
    CodeChange.objects.create(old_code="110101001001", new_code="110101001002", year=2025, kind=ChangeKind.MERGE)
    client.force_login(reviewer)
    page = client.get(reverse("admin:communities_codechange_changelist")).content.decode()
    assert A in page and "110101001001" not in page
    assert client.get(reverse("admin:communities_codechange_add")).status_code == 403
    assert client.get(reverse("admin:communities_codechange_import")).status_code == 403


def test_the_admin_exports_and_imports_the_sheet(client, administrator):
    from communities.resources import CodeChangeResource

    client.force_login(administrator)
    result = admin_import(
        client,
        "admin:communities_codechange_import",
        sheet_file([(A, C, 2025, "合并", ""), (B, C, 2025, "合并", "")]),
    )
    assert result.totals["new"] == 2
    assert stored() == [(A, C, 2025, "merge"), (B, C, 2025, "merge")]
    data = admin_export(client, "admin:communities_codechange_export", CodeChangeResource)
    from openpyxl import load_workbook

    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(data)).active.iter_rows()]
    assert rows[0] == HEADERS
    assert rows[1 + [r[0] for r in rows[1:]].index(A)][:4] == [A, C, 2025, "合并"]
    again = admin_import(client, "admin:communities_codechange_import", data)
    assert again.totals["skip"] == 2 and again.totals["new"] == 0


# ----- manage.py import_code_changes -----------------------------------------------------------------------------


def test_the_command_imports_the_sheet_once(tmp_path, db, capsys):
    path = write(
        tmp_path,
        sheet_file(
            [
                (A, C, 2025, "合并", "保民发〔2025〕3号"),
                (B, C, 2025, "合并", None),
                ("420626101001", "420626101002", 2025, "拆分", None),
                ("420626101001", "420626101003", 2025, "拆分", None),
                ("420626101", "420626102", 2026, "更名/改码", None),
                ("420626001009", "420626001009", 2025, "村改居", None),
            ]
        ),
    )
    call_command("import_code_changes", path)
    assert "新增 6 条" in capsys.readouterr().out
    assert len(stored()) == 6
    assert CodeChange.objects.get(old_code=A).note == "保民发〔2025〕3号"
    call_command("import_code_changes", path)
    assert "新增 0 条，修改 0 条，未变 6 条" in capsys.readouterr().out
    assert len(stored()) == 6


def test_the_command_refuses_a_sheet_with_bad_rows_and_imports_nothing(tmp_path, db, capsys):
    path = write(
        tmp_path,
        sheet_file(
            [
                (A, C, 2025, "合并", None),  # fine on its own
                (B, "42062600100", 2025, "合并", None),  # 11 digits
                (B, C, 2025, "合并并", None),  # not a kind
                ("420626101001", C, 2025, "更名/改码", None),  # C already has merges: a re-coding needs one source
                (A, C, 2025, "合并", None),  # the first row again
            ]
        ),
    )
    with pytest.raises(CommandError, match="没有导入：共 4 处错误"):
        call_command("import_code_changes", path)
    errors = capsys.readouterr().err
    assert "「区划变更」第 3 行「新代码」列（42062600100）：代码应为 12、9 位数字" in errors
    assert "「区划变更」第 4 行「变更类型」列（合并并）：应为以下之一：合并、拆分、更名/改码、村改居" in errors
    assert "「区划变更」第 5 行「变更类型」列（更名/改码）：新代码 420626001003 在 2025 年已登记了来自" in errors
    assert "「区划变更」第 6 行「原代码」列（420626001001）：与第 2 行重复" in errors
    assert stored() == []


def test_the_command_names_a_missing_sheet_or_column(tmp_path, db, capsys):
    with pytest.raises(CommandError):
        call_command("import_code_changes", write(tmp_path, sheet_file([(A, C, 2025, "合并")], title="Sheet1")))
    assert "没有找到「区划变更」工作表" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command(
            "import_code_changes", write(tmp_path, sheet_file([(A, C, 2025)], headers=["原代码", "新代码", "生效年份"]))
        )
    assert "缺少必填列「变更类型」" in capsys.readouterr().err
    assert stored() == []
