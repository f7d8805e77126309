"""Every error and every change as a download; refused files kept in the history; the archive checks."""

import io
import os
import zipfile

from django.urls import reverse
from openpyxl import load_workbook

from communities.models import ImportRecord

from .builders import A1, basics, one_community, survey, worker

YEAR = 2025


def upload(client, data, name="调查表.xlsx", year=YEAR):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("workbook:upload"), {"year": year, "file": file})


def rows_of(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def bad_workers(count: int) -> bytes:
    return one_community(workers=[worker(name=f"工作者{n}", 性别="X") for n in range(count)])


class TestEveryError:
    def test_the_preview_lists_a_thousand_and_the_download_has_them_all(self, client, clerk_a):
        client.force_login(clerk_a)
        page = upload(client, bad_workers(1200)).content.decode()
        record = ImportRecord.objects.get()
        assert "发现 1200 处错误" in page and "另有 200 处错误" in page
        assert reverse("workbook:errors", args=[record.pk]) in page
        assert record.error_count == 1200 and len(record.errors) == 1200
        rows = rows_of(client.get(reverse("workbook:errors", args=[record.pk])))
        assert rows[0] == ("工作表", "行", "列", "值", "说明")
        assert len(rows) == 1201
        assert rows[1][:4] == ("社区工作者", 2, "性别", "X") and "男" in rows[1][4]
        assert rows[-1][:2] == ("社区工作者", 1201)
        # The record's page links to the same download and lists the first thousand.
        detail = client.get(reverse("workbook:detail", args=[record.pk])).content.decode()
        assert reverse("workbook:errors", args=[record.pk]) in detail and "另有 200 处错误" in detail

    def test_storage_is_capped_and_the_count_beyond_is_stated(self, client, clerk_a, monkeypatch):
        from communities.workbook import services

        monkeypatch.setattr(services, "MAX_STORED_ERRORS", 5)
        client.force_login(clerk_a)
        upload(client, bad_workers(8))
        record = ImportRecord.objects.get()
        assert (record.error_count, len(record.errors)) == (8, 5)
        rows = rows_of(client.get(reverse("workbook:errors", args=[record.pk])))
        assert len(rows) == 1 + 5 + 1 and "另有 3 处错误未保存（共 8 处）" in rows[-1][4]

    def test_a_formula_in_a_bad_cell_is_neutralised_in_the_download(self, client, clerk_a):
        client.force_login(clerk_a)
        upload(client, one_community(workers=[worker(性别="+cmd|calc")]))
        record = ImportRecord.objects.get()
        response = client.get(reverse("workbook:errors", args=[record.pk]))
        cell = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]["D2"]
        # as the user typed it, in a text cell with the quote prefix: no formula, no visible apostrophe
        assert (cell.value, cell.data_type, cell.quotePrefix) == ("+cmd|calc", "s", True)

    def test_the_error_download_is_scoped(self, client, clerk_a, clerk_b):
        client.force_login(clerk_a)
        upload(client, bad_workers(2))
        upload(client, survey())
        bad, good = ImportRecord.objects.order_by("pk")
        assert rows_of(client.get(reverse("workbook:errors", args=[good.pk]))) == [("工作表", "行", "列", "值", "说明")]
        client.force_login(clerk_b)
        assert client.get(reverse("workbook:errors", args=[bad.pk])).status_code == 404
        client.logout()
        assert client.get(reverse("workbook:errors", args=[bad.pk])).status_code == 302


class TestEveryChange:
    def test_the_change_list_holds_every_community(self, client, clerk_a):
        communities = [basics(code=f"420626001{n:03d}", name=f"社区{n}") for n in range(1, 206)]
        data = survey(communities=communities, workers=[worker()], rooms=[], funds=[], programs=[])
        client.force_login(clerk_a)
        page = upload(client, data).content.decode()
        record = ImportRecord.objects.get()
        assert "另有 5 个社区有变化" in page and reverse("workbook:changes", args=[record.pk]) in page
        rows = rows_of(client.get(reverse("workbook:changes", args=[record.pk])))
        assert rows[0] == ("社区(单位)代码", "社区(单位)名称", "工作表", "行", "变化", "列", "原值", "新值")
        assert len({row[0] for row in rows[1:]}) == 205
        assert (A1, "社区1", "社区工作者", "张三（1985年生）", "新增", None, None, None) in rows

    def test_changed_cells_have_their_old_and_new_values(self, client, clerk_a):
        client.force_login(clerk_a)
        upload(client, survey())
        client.post(reverse("workbook:confirm", args=[ImportRecord.objects.get().pk]))
        upload(client, survey(workers=[worker(**{"月基本报酬(元)": 1800})]))
        record = ImportRecord.objects.latest("pk")
        rows = rows_of(client.get(reverse("workbook:changes", args=[record.pk])))
        assert (A1, "东关社区", "社区工作者", "张三（1985年生）", "修改", "月基本报酬(元)", "1500", "1800") in rows
        assert any(row[4] == "删除" and row[3].startswith("李四") for row in rows)

    def test_only_a_preview_has_a_change_list(self, client, clerk_a):
        client.force_login(clerk_a)
        upload(client, survey())
        record = ImportRecord.objects.get()
        client.post(reverse("workbook:confirm", args=[record.pk]))
        assert client.get(reverse("workbook:changes", args=[record.pk])).status_code == 404


class TestRefusedFilesAreKept:
    def test_a_refused_file_shows_in_the_history_without_a_download(self, client, clerk_a):
        client.force_login(clerk_a)
        assert upload(client, b"a,b\n1,2\n", name="名单.csv").status_code == 400
        record = ImportRecord.objects.get()
        page = client.get(reverse("workbook:history")).content.decode()
        assert "名单.csv" in page and "有错误，未导入" in page
        assert reverse("workbook:download", args=[record.pk]) not in page
        assert client.get(reverse("workbook:download", args=[record.pk])).status_code == 404
        detail = client.get(reverse("workbook:detail", args=[record.pk])).content.decode()
        assert "CSV" in detail and "没有保存它的内容" in detail

    def test_a_file_over_the_size_limit_is_recorded_with_its_size(self, client, clerk_a, settings):
        settings.SURVEY_WORKBOOK_MAX_BYTES = 1000
        data = survey()
        client.force_login(clerk_a)
        assert upload(client, data).status_code == 400
        record = ImportRecord.objects.get()
        assert record.size == len(data) and "文件过大" in record.errors[0]["message"] and not record.file

    def test_a_refused_file_with_a_bad_year_too(self, client, clerk_a):
        client.force_login(clerk_a)
        assert upload(client, b"", year="abc").status_code == 400
        assert ImportRecord.objects.get().year is None
        assert client.get(reverse("workbook:history")).status_code == 200

    def test_no_file_chosen_records_nothing(self, client, clerk_a):
        client.force_login(clerk_a)
        assert client.post(reverse("workbook:upload"), {"year": YEAR}).status_code == 400
        assert not ImportRecord.objects.exists()


class TestArchiveLimits:
    def test_the_total_uncompressed_size_is_limited_apart_from_the_ratio(self, client, clerk_a, settings):
        settings.SURVEY_WORKBOOK_MAX_UNCOMPRESSED_BYTES = 200_000
        stream = io.BytesIO()
        with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_STORED) as archive:  # ratio 1: no bomb
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.xml", "<workbook/>")
            for n in range(3):
                archive.writestr(f"xl/media/image{n}.bin", os.urandom(100_000))
        client.force_login(clerk_a)
        response = upload(client, stream.getvalue())
        page = response.content.decode()
        assert response.status_code == 400 and "解压后过大" in page and "压缩比" not in page

    def test_the_same_archive_passes_under_a_higher_limit(self, settings):
        from communities.workbook.reader import check_archive

        settings.SURVEY_WORKBOOK_MAX_UNCOMPRESSED_BYTES = 350_000
        stream = io.BytesIO()
        with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
            for n in range(3):
                archive.writestr(f"xl/media/image{n}.bin", os.urandom(100_000))
        check_archive(stream.getvalue())  # raises nothing
