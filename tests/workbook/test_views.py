"""The workbook pages through the test client: upload → preview → confirm, history, downloads, access."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from communities.models import ImportOutcome, ImportRecord, ReturnStatus, SurveyReturn
from tests.communities.factories import SurveyReturnFactory
from workforce.models import Worker

from .builders import A1, A2, B1, basics, survey, worker

YEAR = 2025


def upload(client, data, year=YEAR, name="调查表.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("workbook:upload"), {"year": year, "file": file})


class TestUploadAndConfirm:
    def test_preview_then_confirm_imports_what_was_previewed(self, client, clerk_a):
        client.force_login(clerk_a)
        response = upload(client, survey())
        assert response.status_code == 200
        page = response.content.decode()
        assert "将要导入的变化" in page and "东关社区" in page and "确认导入" in page
        assert not Worker.objects.exists()
        record = ImportRecord.objects.get()
        assert record.outcome == ImportOutcome.PREVIEWED
        response = client.post(reverse("workbook:confirm", args=[record.pk]))
        assert response.status_code == 302
        assert Worker.objects.count() == 3
        record.refresh_from_db()
        assert record.outcome == ImportOutcome.IMPORTED
        assert ImportRecord.objects.count() == 1  # the same record: the upload is kept with it

    def test_the_preview_lists_every_error_with_row_and_column(self, client, clerk_a):
        client.force_login(clerk_a)
        response = upload(client, survey(workers=[worker(性别="X"), worker(name="李四", 学历="文盲")]))
        page = response.content.decode()
        assert response.status_code == 200
        assert "发现 2 处错误" in page and "性别" in page and "文盲" in page and "确认导入" not in page
        assert ImportRecord.objects.get().outcome == ImportOutcome.REJECTED

    def test_the_preview_shows_old_and_new_values(self, client, clerk_a):
        client.force_login(clerk_a)
        upload(client, survey())
        client.post(reverse("workbook:confirm", args=[ImportRecord.objects.get().pk]))
        response = upload(client, survey(workers=[worker(**{"月基本报酬(元)": 1800}), worker(A2, "王五")]))
        page = response.content.decode()
        assert "月基本报酬(元)：1500 → <strong>1800</strong>" in page
        assert "删除" in page and "李四" in page

    def test_confirm_is_refused_when_the_data_changed_since_the_preview(self, client, clerk_a):
        client.force_login(clerk_a)
        upload(client, survey())
        client.post(reverse("workbook:confirm", args=[ImportRecord.objects.get().pk]))
        upload(client, survey(workers=[worker(**{"月基本报酬(元)": 1800})]))
        record = ImportRecord.objects.latest("pk")
        Worker.objects.filter(name="王五").update(monthly_pay=999)  # someone edits after the preview
        response = client.post(reverse("workbook:confirm", args=[record.pk]), follow=True)
        assert "请重新上传并预览" in response.content.decode()
        assert Worker.objects.filter(name="李四").exists()
        # The preview is spent: the record says it was refused and why, and offers no confirmation any more.
        record.refresh_from_db()
        assert record.outcome == ImportOutcome.REJECTED and record.error_count == 1
        assert "预览之后，这些社区的数据已被修改" in record.errors[0]["message"]
        page = client.get(reverse("workbook:detail", args=[record.pk])).content.decode()
        assert "有错误，未导入" in page and "已预览（未导入）" not in page and "确认导入" not in page
        assert "预览之后，这些社区的数据已被修改" in page
        response = client.post(reverse("workbook:confirm", args=[record.pk]), follow=True)
        assert "已经处理过" in response.content.decode()
        assert Worker.objects.filter(name="李四").exists()

    def test_confirm_twice_does_nothing_more(self, client, clerk_a):
        client.force_login(clerk_a)
        upload(client, survey())
        record = ImportRecord.objects.get()
        client.post(reverse("workbook:confirm", args=[record.pk]))
        response = client.post(reverse("workbook:confirm", args=[record.pk]), follow=True)
        assert "已经处理过" in response.content.decode()
        assert Worker.objects.count() == 3

    def test_only_the_uploader_may_confirm(self, client, clerk_a, reviewer):
        client.force_login(clerk_a)
        upload(client, survey())
        record = ImportRecord.objects.get()
        client.force_login(reviewer)
        assert client.post(reverse("workbook:confirm", args=[record.pk])).status_code == 403
        assert not Worker.objects.exists()

    def test_an_approved_return_is_refused_by_name(self, client, clerk_a, street_a):
        SurveyReturnFactory(
            community__street=street_a, community__code=A1, community__name="东关社区", status=ReturnStatus.APPROVED
        )
        client.force_login(clerk_a)
        page = upload(client, survey()).content.decode()
        assert "东关社区" in page and "已审核" in page and "确认导入" not in page

    def test_a_clerk_row_for_another_street_is_an_error_naming_the_row(self, client, clerk_a, street_b):
        client.force_login(clerk_a)
        data = survey(
            communities=[basics(), basics(B1, "歇马社区", street="歇马镇")], workers=[], rooms=[], funds=[], programs=[]
        )
        page = upload(client, data).content.decode()
        assert "管辖" in page and B1 in page

    def test_it_needs_a_login_and_a_post(self, client, clerk_a):
        assert client.post(reverse("workbook:upload")).status_code == 302
        client.force_login(clerk_a)
        assert client.get(reverse("workbook:upload")).status_code == 405
        assert client.get(reverse("workbook:confirm", args=[1])).status_code == 405


class TestBadFiles:
    @pytest.mark.parametrize(
        ("data", "name", "fragment"),
        [
            (b"", "a.xlsx", "空"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.xlsx", ".xls"),
            (
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 600,
                "p.xlsx",
                "密码",
            ),
            ("社区代码,社区名称\n420626001001,东关\n".encode(), "data.xlsx", "CSV"),
            (b"PK\x03\x04 this is not really a zip", "broken.xlsx", "损坏"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\xff" * 100, "image.xlsx", "不是 Excel"),
        ],
        ids=["empty", "xls", "password", "csv", "corrupt", "binary"],
    )
    def test_a_bad_file_gets_a_clear_message_and_a_400(self, client, clerk_a, data, name, fragment):
        client.force_login(clerk_a)
        response = upload(client, data, name=name)
        assert response.status_code == 400
        assert fragment in response.content.decode()
        # Every import is kept, a refused one too: who, when, the year, the file's name and size, why — not its bytes.
        record = ImportRecord.objects.get()
        assert (record.user, record.year, record.original_name, record.size) == (clerk_a, YEAR, name, len(data))
        assert record.outcome == ImportOutcome.REJECTED and not record.file
        assert fragment in record.errors[0]["message"] and record.error_count == 1
        assert record.region_code == "420626001"

    def test_an_ods_file_is_told_to_be_saved_as_xlsx(self, client, clerk_a):
        """Issue 18 item 4: an OpenDocument spreadsheet (as LibreOffice and WPS save it) gets the .xls-like message."""
        import zipfile

        stream = io.BytesIO()
        with zipfile.ZipFile(stream, "w") as archive:
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            archive.writestr("content.xml", "<office:document-content/>")
            archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
        client.force_login(clerk_a)
        response = upload(client, stream.getvalue(), name="调查表.ods")
        assert response.status_code == 400
        page = response.content.decode()
        assert ".ods" in page and "另存为” Excel 工作簿（.xlsx）" in page
        assert ImportRecord.objects.get().outcome == ImportOutcome.REJECTED

    def test_a_zip_that_is_not_a_workbook(self, client, clerk_a):
        import zipfile

        stream = io.BytesIO()
        with zipfile.ZipFile(stream, "w") as archive:
            archive.writestr("hello.txt", "hello")
        client.force_login(clerk_a)
        response = upload(client, stream.getvalue())
        assert response.status_code == 400 and "不是 Excel 工作簿" in response.content.decode()

    def test_a_zip_bomb_is_refused_before_parsing(self, client, clerk_a):
        import zipfile

        stream = io.BytesIO()
        with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.xml", "<workbook/>")
            archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (50 * 1024 * 1024) + b">")
        client.force_login(clerk_a)
        response = upload(client, stream.getvalue())
        assert response.status_code == 400 and "压缩" in response.content.decode()

    def test_too_many_entries_are_refused(self, client, clerk_a):
        import zipfile

        stream = io.BytesIO()
        with zipfile.ZipFile(stream, "w") as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
            for n in range(1200):
                archive.writestr(f"x/{n}.xml", "")
        client.force_login(clerk_a)
        response = upload(client, stream.getvalue())
        assert response.status_code == 400 and "部件过多" in response.content.decode()

    def test_a_file_over_the_size_limit_is_refused_in_the_form(self, client, clerk_a, settings):
        settings.SURVEY_WORKBOOK_MAX_BYTES = 1000
        client.force_login(clerk_a)
        response = upload(client, survey())
        assert response.status_code == 400 and "文件过大" in response.content.decode()

    def test_a_workbook_without_any_survey_sheet(self, client, clerk_a):
        from .builders import xlsx

        client.force_login(clerk_a)
        response = upload(client, xlsx({"Sheet1": [["a", "b"], [1, 2]]}))
        assert response.status_code == 400 and "没有找到调查表的任何工作表" in response.content.decode()
        assert ImportRecord.objects.get().outcome == ImportOutcome.REJECTED

    def test_a_damaged_workbook_part(self, client, clerk_a):
        import zipfile

        good = zipfile.ZipFile(io.BytesIO(survey()))
        stream = io.BytesIO()
        with zipfile.ZipFile(stream, "w") as archive:
            for item in good.infolist():
                content = good.read(item.filename)
                if item.filename.startswith("xl/worksheets/sheet"):
                    content = content[: len(content) // 2]
                archive.writestr(item, content)
        client.force_login(clerk_a)
        response = upload(client, stream.getvalue())
        assert response.status_code == 400 and "损坏" in response.content.decode()

    def test_a_bad_year(self, client, clerk_a):
        client.force_login(clerk_a)
        response = upload(client, survey(), year="abc")
        assert response.status_code == 400 and "年度" in response.content.decode()


class TestHistory:
    def test_the_history_is_scoped(self, client, clerk_a, clerk_b, django_assert_num_queries):
        client.force_login(clerk_a)
        upload(client, survey())
        upload(client, survey(workers=[worker(性别="X")]))
        record = ImportRecord.objects.first()
        # session, user, the pager's count, the user's region (header), the page of records with their importer,
        # the clerk's top-bar count (unread reminders, returns sent back), and the session saved on every request
        # (savepoint, update, release)
        with django_assert_num_queries(10):
            response = client.get(reverse("workbook:history"))
        assert response.status_code == 200 and "调查表.xlsx" in response.content.decode()
        assert client.get(reverse("workbook:detail", args=[record.pk])).status_code == 200
        response = client.get(reverse("workbook:download", args=[record.pk]))
        assert response.status_code == 200
        # A clerk gets a copy with the ID numbers masked (test_download_masking.py), with the same sheets.
        copy = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert copy.sheetnames == load_workbook(ImportRecord.objects.get(pk=record.pk).file.open("rb")).sheetnames
        client.force_login(clerk_b)
        assert "调查表.xlsx" not in client.get(reverse("workbook:history")).content.decode()
        assert client.get(reverse("workbook:detail", args=[record.pk])).status_code == 404
        assert client.get(reverse("workbook:download", args=[record.pk])).status_code == 404

    def test_the_history_query_count_does_not_grow(self, client, clerk_a, django_assert_num_queries):
        client.force_login(clerk_a)
        for _ in range(6):
            upload(client, survey(workers=[worker(性别="X")]))
        with django_assert_num_queries(10):  # as above, with six records instead of two
            client.get(reverse("workbook:history"))

    def test_a_reviewer_sees_the_clerks_imports(self, client, clerk_a, reviewer):
        client.force_login(clerk_a)
        upload(client, survey())
        client.force_login(reviewer)
        assert "调查表.xlsx" in client.get(reverse("workbook:history")).content.decode()

    def test_anonymous_users_are_sent_to_login(self, client, db):
        for name in ("workbook:index", "workbook:history", "workbook:template", "workbook:export"):
            assert client.get(reverse(name)).status_code == 302
        for name in ("workbook:detail", "workbook:download"):
            assert client.get(reverse(name, args=[1])).status_code == 302


class TestDownloads:
    def test_the_index_page(self, client, clerk_a):
        client.force_login(clerk_a)
        response = client.get(reverse("workbook:index"))
        assert response.status_code == 200 and "下载模板" in response.content.decode()

    def test_the_template_is_prefilled_with_last_years_rows(self, client, clerk_a):
        client.force_login(clerk_a)
        upload(client, survey())
        client.post(reverse("workbook:confirm", args=[ImportRecord.objects.get().pk]))
        response = client.get(reverse("workbook:template"), {"year": YEAR + 1})
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert workbook.sheetnames == ["填报说明", "社区基本情况", "社区工作者", "办公服务用房", "经费", "服务项目"]
        basics_sheet = workbook["社区基本情况"]
        assert [c.value for c in basics_sheet[1]][:3] == ["社区代码", "社区名称", "街道(乡镇)名称"]
        assert basics_sheet["A2"].value == A1 and basics_sheet["A2"].number_format == "@"
        assert basics_sheet["F2"].value == 1200
        assert workbook["社区工作者"].max_row == 4
        validations = workbook["社区工作者"].data_validations.dataValidation
        assert any("专职社区工作者" in dv.formula1 for dv in validations)
        # The template for next year can be imported for next year as it is.
        data = b"".join(client.get(reverse("workbook:template"), {"year": YEAR + 1}).streaming_content)
        upload(client, data, year=YEAR + 1)
        client.post(reverse("workbook:confirm", args=[ImportRecord.objects.latest("pk").pk]))
        assert SurveyReturn.objects.filter(year=YEAR + 1).count() == 2
        assert Worker.objects.filter(survey_return__year=YEAR + 1).count() == 3

    def test_a_clerk_cannot_export_another_street(self, client, clerk_a, street_b):
        client.force_login(clerk_a)
        assert client.get(reverse("workbook:export"), {"year": YEAR, "region": "420626101"}).status_code == 404
        assert client.get(reverse("workbook:export"), {"year": YEAR, "region": "420626"}).status_code == 404

    def test_a_reviewer_exports_a_street(self, client, reviewer, street_a):
        client.force_login(reviewer)
        response = client.get(reverse("workbook:export"), {"year": YEAR, "region": "420626001"})
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]

    def test_a_bad_year_is_a_400(self, client, clerk_a):
        client.force_login(clerk_a)
        assert client.get(reverse("workbook:export"), {"year": "x"}).status_code == 400

    def test_wrong_method(self, client, clerk_a):
        client.force_login(clerk_a)
        assert client.post(reverse("workbook:export")).status_code == 405
        assert client.post(reverse("workbook:history")).status_code == 405


class TestUnknownUnits:
    def test_an_import_record_that_is_not_there_is_a_404_in_chinese(self, client, clerk_a):
        client.force_login(clerk_a)
        for name in ("workbook:detail", "workbook:download", "workbook:errors"):
            response = client.get(reverse(name, args=[999999]))
            assert response.status_code == 404
            text = response.content.decode()
            assert "没有找到该导入记录，或您无权查看。" in text and "matches the given query" not in text

    def test_a_region_not_imported_gets_a_blank_template_but_no_export(self, client, reviewer):
        client.force_login(reviewer)
        response = client.get(reverse("workbook:template"), {"year": YEAR, "region": "420626999"})
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert workbook["社区基本情况"].max_row == 1  # the headers only
        response = client.get(reverse("workbook:export"), {"year": YEAR, "region": "420626999"})
        assert response.status_code == 404
        assert "没有找到该区划" in response.content.decode()
