"""Issue 16 item 18: what the upload page, the confirmation and the history say about an import — only what
changed counts as changed, no confirmation when there is nothing to import, the history in words."""

import io

from django.core.management import call_command
from django.urls import reverse

from communities.models import ImportOutcome, ImportRecord

from .builders import A2, ID_1, basics, survey, worker

YEAR = 2025


def upload(client, data, name="调查表.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("workbook:upload"), {"year": YEAR, "file": file})


def imported(client, data):
    upload(client, data)
    record = ImportRecord.objects.latest("pk")
    return client.post(reverse("workbook:confirm", args=[record.pk]), follow=True).content.decode()


def changed_one():
    """The first import's workbook with 西关社区's households and one of its worker's pay changed."""
    return survey(
        communities=[basics(), basics(A2, "西关社区", 户数=1300)],
        workers=[
            worker(),
            worker(name="李四", 性别="男", 身份证号=ID_1),
            worker(A2, "王五", **{"月基本报酬(元)": 1600}),
        ],
    )


class TestWhatChangedIsCounted:
    def test_the_confirmation_counts_only_the_communities_that_changed(self, client, clerk_a):
        client.force_login(clerk_a)
        imported(client, survey())
        page = upload(client, changed_one()).content.decode()
        assert "共 2 个社区：1 个社区有变化（修改 2 行），1 个社区无变化。" in page
        page = client.post(reverse("workbook:confirm", args=[ImportRecord.objects.latest("pk").pk]), follow=True)
        assert "已导入：1 个社区有变化（修改 2 行），1 个社区无变化。" in page.content.decode()

    def test_a_first_import_counts_new_rows(self, client, clerk_a):
        client.force_login(clerk_a)
        page = imported(client, survey())
        # 2 returns, 3 workers, 2 rooms, 2 allocations, 1 program
        assert "已导入：2 个社区有变化（新增 10 行）。" in page

    def test_the_command_says_the_same(self, client, clerk_a, tmp_path, capsys):
        client.force_login(clerk_a)
        imported(client, survey())
        path = tmp_path / "survey.xlsx"
        path.write_bytes(changed_one())
        call_command("import_survey", str(path), "--year", str(YEAR))
        assert "已导入：2025年，1 个社区有变化（修改 2 行），1 个社区无变化。" in capsys.readouterr().out
        call_command("import_survey", str(path), "--year", str(YEAR), "--dry-run")
        assert "检查通过（未写入）：2025年，2 个社区均无变化。" in capsys.readouterr().out


class TestNothingToImport:
    def test_the_same_file_again_offers_no_confirmation(self, client, clerk_a):
        client.force_login(clerk_a)
        data = survey()
        imported(client, data)
        page = upload(client, data).content.decode()
        assert "共 2 个社区：2 个社区均无变化。" in page
        assert "与系统中的数据相比没有任何变化，无需导入。" in page
        record = ImportRecord.objects.latest("pk")
        assert "确认导入" not in page and reverse("workbook:confirm", args=[record.pk]) not in page
        page = client.get(reverse("workbook:detail", args=[record.pk])).content.decode()
        assert "已预览（无变化，无需导入）" in page and "确认导入" not in page and "变化清单" not in page


class TestHistoryInWords:
    def test_counts_in_words_and_the_region_by_name(self, client, clerk_a):
        client.force_login(clerk_a)
        imported(client, survey())
        page = client.get(reverse("workbook:history")).content.decode()
        assert "社区工作者：新增3 修改0 删除0" in page and "+3/" not in page
        assert '城关街道 <span class="muted">420626001</span>' in page
        detail = client.get(reverse("workbook:detail", args=[ImportRecord.objects.get().pk])).content.decode()
        assert '区划：城关街道 <span class="muted">420626001</span>' in detail

    def test_an_unchanged_import_says_so(self, client, clerk_a):
        client.force_login(clerk_a)
        data = survey()
        imported(client, data)
        upload(client, data)
        page = client.get(reverse("workbook:history")).content.decode()
        assert page.count("无变化") == 2  # the outcome of the second upload and its counts column

    def test_an_earlier_preview_of_a_file_imported_afterwards_says_so_and_links_to_the_import(self, client, clerk_a):
        client.force_login(clerk_a)
        data = survey()
        upload(client, data)  # previewed, not confirmed
        first = ImportRecord.objects.get()
        imported(client, data)  # the same file uploaded again and imported
        second = ImportRecord.objects.latest("pk")
        assert second.outcome == ImportOutcome.IMPORTED and second.sha256 == first.sha256
        for url in (reverse("workbook:history"), reverse("workbook:detail", args=[first.pk])):
            page = client.get(url).content.decode()
            assert "已预览（随后已导入）" in page and "已预览（未导入）" not in page
            assert f'<a href="{reverse("workbook:detail", args=[second.pk])}">查看导入记录</a>' in page
        # the earlier preview no longer offers its confirmation (its data changed with the import)
        assert "确认导入" not in client.get(reverse("workbook:detail", args=[first.pk])).content.decode()

    def test_a_preview_of_another_file_stays_a_preview(self, client, clerk_a):
        client.force_login(clerk_a)
        upload(client, survey())
        imported(client, changed_one())
        page = client.get(reverse("workbook:history")).content.decode()
        assert "已预览（未导入）" in page and "已预览（随后已导入）" not in page


class TestUploadPage:
    def test_labels_have_no_colon_and_the_history_is_a_plain_link(self, client, clerk_a):
        client.force_login(clerk_a)
        page = client.get(reverse("workbook:index")).content.decode()
        assert '<label for="id_year">年度</label>' in page
        assert '<label for="id_file">调查表文件（.xlsx）</label>' in page
        assert ":</label>" not in page
        assert f'<h2>最近的导入</h2><a href="{reverse("workbook:history")}">全部导入记录</a>' in page

    def test_the_template_button_says_what_it_prefills(self, client, clerk_a):
        client.force_login(clerk_a)
        page = client.get(reverse("workbook:index")).content.decode()
        assert "预填上一年度数据" not in page
        assert "下载模板（预填已有数据）" in page
        assert "该年度已有填报的社区，为其该年度的当前数据；尚未填报的社区，为其上一年度的数据。" in page
