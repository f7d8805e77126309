"""The admin's import/export uses the workbook's column definitions: same headers, parsers and units."""

from decimal import Decimal

from django.urls import reverse
from import_export.formats.base_formats import XLSX
from tablib import Dataset

from communities.resources import CommunityResource, SurveyReturnResource
from funding.models import Allocation
from funding.resources import AllocationResource
from tests.communities.factories import SurveyReturnFactory
from tests.funding.factories import AllocationFactory
from tests.workforce.factories import WorkerFactory
from workforce.models import Worker
from workforce.resources import WorkerResource


def roundtrip(dataset: Dataset) -> Dataset:
    return Dataset().load(XLSX().export_data(dataset), format="xlsx")


def test_the_worker_export_has_the_workbook_headers(street_a):
    worker = WorkerFactory(survey_return__community__street=street_a, name="=张三")
    dataset = WorkerResource().export()
    assert dataset.headers[:4] == ["社区代码", "年度", "姓名", "身份证号"]
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["社区代码"] == worker.survey_return.community_id
    assert row["姓名"] == "=张三" and row["学历"] == "大专" and row["职务"] == "专职社区工作者"


def test_a_worker_change_imports_back_through_the_same_parsers(street_a):
    worker = WorkerFactory(survey_return__community__street=street_a, name="张三")
    dataset = roundtrip(WorkerResource().export())
    headers = ["月补贴（元）" if h == "月补贴(元)" else h for h in dataset.headers]  # full-width brackets
    row = [
        "高中（中专）" if h == "学历" else (300 if h == "月补贴（元）" else v)
        for h, v in zip(headers, dataset[0], strict=True)
    ]
    result = WorkerResource().import_data(Dataset(row, headers=headers), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    worker.refresh_from_db()
    assert worker.education == "high_school" and worker.monthly_allowance == Decimal("300")
    assert Worker.objects.count() == 1


def test_a_bad_cell_is_a_chinese_field_error_not_a_traceback(street_a):
    WorkerFactory(survey_return__community__street=street_a)
    dataset = roundtrip(WorkerResource().export())
    headers = list(dataset.headers)
    row = ["博士后?" if h == "学历" else v for h, v in zip(headers, dataset[0], strict=True)]
    result = WorkerResource().import_data(Dataset(row, headers=headers), dry_run=True)
    assert result.has_validation_errors() and not result.has_errors()
    messages = str(result.invalid_rows[0].error_dict)
    assert "研究生" in messages


def test_a_missing_required_column_is_named(street_a):
    WorkerFactory(survey_return__community__street=street_a)
    dataset = roundtrip(WorkerResource().export())
    dataset.headers = ["X" if h == "职务" else h for h in dataset.headers]
    result = WorkerResource().import_data(dataset, dry_run=True)
    assert result.has_errors()
    assert "缺少必填列：「职务」" in str(result.base_errors[0].error)


def test_allocations_are_in_wan_yuan_in_the_admin_too(db):
    AllocationFactory(unit_code="420626", budget=Decimal("2097900"))
    dataset = roundtrip(AllocationResource().export())
    assert dataset.headers == ["单位代码", "年度", "资金来源", "经费用途", "预算金额(万元)", "到位金额(万元)"]
    assert float(dataset[0][4]) == 209.79
    row = [300 if h == "预算金额(万元)" else v for h, v in zip(dataset.headers, dataset[0], strict=True)]
    result = AllocationResource().import_data(Dataset(row, headers=dataset.headers), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Allocation.objects.get().budget == Decimal("3000000")


def test_communities_and_returns_use_the_basics_columns(street_a):
    survey_return = SurveyReturnFactory(community__street=street_a)
    assert CommunityResource().export().headers == [
        "社区代码",
        "社区名称",
        "街道(乡镇)代码",
        "社区类型",
        "城乡分类代码",
    ]
    dataset = roundtrip(SurveyReturnResource().export())
    assert dataset.headers[:4] == ["社区代码", "年度", "户数", "常住人口"] and dataset.headers[-1] == "状态"
    row = [2000 if h == "户数" else v for h, v in zip(dataset.headers, dataset[0], strict=True)]
    result = SurveyReturnResource().import_data(Dataset(row, headers=dataset.headers), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    survey_return.refresh_from_db()
    assert survey_return.households == 2000


def test_the_admin_export_page_works(client, administrator, street_a):
    WorkerFactory(survey_return__community__street=street_a)
    client.force_login(administrator)
    response = client.post(reverse("admin:workforce_worker_export"), {"format": "0", "export_items": []})
    assert response.status_code == 200


def test_the_admin_import_page_previews_a_workbook_sheet(client, administrator, street_a):
    """The admin's own import form takes the exported sheet back (same headers) and shows its confirmation."""
    import io

    worker = WorkerFactory(survey_return__community__street=street_a, name="张三")
    data = XLSX().export_data(WorkerResource().export())
    client.force_login(administrator)
    upload = io.BytesIO(data)
    upload.name = "workers.xlsx"
    response = client.post(
        reverse("admin:workforce_worker_import"), {"format": "0", "import_file": upload, "resource": "0"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Traceback" not in page and worker.name in page


class TestWorkerIdentity:
    """The admin identifies a worker as the workbook does: by 身份证号 where given, else (社区代码, 姓名, 出生年份)."""

    ID = "420626198501010014"

    def _row(self, worker, **changes) -> Dataset:
        dataset = roundtrip(WorkerResource().export())
        row = dict(zip(dataset.headers, dataset[0], strict=True))
        row.update(changes)
        return Dataset(list(row.values()), headers=list(row))

    def test_a_worker_with_an_id_is_found_by_it_even_when_the_name_changes(self, street_a):
        worker = WorkerFactory(survey_return__community__street=street_a, name="张三", id_number=self.ID)
        result = WorkerResource().import_data(self._row(worker, 姓名="张叁"), dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors()
        assert Worker.objects.count() == 1
        worker.refresh_from_db()
        assert worker.name == "张叁"

    def test_a_worker_without_an_id_is_found_by_name_and_birth_year(self, street_a):
        worker = WorkerFactory(survey_return__community__street=street_a, name="张三")
        WorkerFactory(survey_return=worker.survey_return, name="张三", birth_year=1990)
        result = WorkerResource().import_data(self._row(worker, 学历="本科"), dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors()
        assert Worker.objects.count() == 2
        worker.refresh_from_db()
        assert worker.education == "bachelor"

    def test_an_id_added_to_a_worker_stored_without_one_updates_that_worker(self, street_a):
        worker = WorkerFactory(survey_return__community__street=street_a, name="张三")
        result = WorkerResource().import_data(self._row(worker, 身份证号=self.ID), dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors()
        assert list(Worker.objects.values_list("pk", "id_number")) == [(worker.pk, self.ID)]

    def test_a_masked_export_imports_back_keeping_the_full_id(self, client, street_a, reviewer):
        from communities.admin_base import masking_resource

        worker = WorkerFactory(survey_return__community__street=street_a, name="张三", id_number=self.ID)
        masked = masking_resource(WorkerResource)().export()
        assert "4206**********0014" in masked[0] and self.ID not in masked[0]
        row = dict(zip(masked.headers, masked[0], strict=True))
        row["月补贴(元)"] = 300
        result = WorkerResource().import_data(Dataset(list(row.values()), headers=list(row)), dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors()
        worker.refresh_from_db()
        assert worker.id_number == self.ID and worker.monthly_allowance == Decimal("300")
        assert Worker.objects.count() == 1

    def test_a_masked_id_of_no_stored_worker_is_a_chinese_field_error(self, street_a):
        worker = WorkerFactory(survey_return__community__street=street_a, name="张三", id_number=self.ID)
        result = WorkerResource().import_data(
            self._row(worker, 姓名="新人", 身份证号="4206**********0014"), dry_run=True
        )
        assert result.has_validation_errors() and not result.has_errors()
        assert "请填写完整的18位身份证号" in str(result.invalid_rows[0].error_dict)
