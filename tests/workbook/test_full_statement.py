"""What a workbook states in full: empty and missing sheets, the 经费 sheet's units, allocations of communities
without a return, and what a refused import records."""

import io
from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse

from communities.models import ImportOutcome, ImportRecord
from communities.workbook.services import workbook_import
from communities.workbook.writer import write_workbook
from funding.models import Allocation
from tests.communities.factories import CommunityFactory, SurveyReturnFactory
from tests.funding.factories import AllocationFactory
from workforce.models import Worker

from .builders import A1, A2, HEADERS, allocation, basics, one_community, premises, rows_as_dicts, survey, worker, xlsx

YEAR = 2025
STREET = "420626001"
COUNTY = "420626"


def run(data, user, dry_run=False):
    return workbook_import(file=data, year=YEAR, user=user, dry_run=dry_run, name="t.xlsx")


class TestEmptyAndMissingSheets:
    def test_an_empty_sheet_that_removes_rows_gets_a_warning_naming_it_and_the_count(self, clerk_a):
        run(survey(), clerk_a)  # 3 workers, 2 rooms, 2 allocations, 1 program
        data = survey(workers=[], programs=[])
        result = run(data, clerk_a, dry_run=True)
        assert result.ok
        assert len(result.plan.warnings) == 2
        workers, programs = result.plan.warnings
        assert "「社区工作者」表没有数据行" in workers and "删除系统中已有的 3 行" in workers
        assert "「服务项目」表没有数据行" in programs and "删除系统中已有的 1 行" in programs
        assert result.plan.counts["社区工作者"]["removed"] == 3
        assert Worker.objects.count() == 3  # a preview

    def test_the_preview_page_shows_the_warning_and_the_removals_per_sheet(self, client, clerk_a):
        run(survey(), clerk_a)
        client.force_login(clerk_a)
        file = io.BytesIO(survey(workers=[]))
        file.name = "t.xlsx"
        page = client.post(reverse("workbook:upload"), {"year": YEAR, "file": file}).content.decode()
        assert 'role="alert"' in page and "「社区工作者」表没有数据行" in page and "已有的 3 行" in page
        assert '<td>社区工作者</td><td class="num">0</td><td class="num">0</td><td class="num">0</td>' in page
        assert '<td class="num fail">3</td>' in page

    def test_import_survey_prints_the_warning_and_the_removals(self, tmp_path, clerk_a, capsys):
        run(survey(), clerk_a)
        path = tmp_path / "survey.xlsx"
        path.write_bytes(survey(workers=[], extra={"服务项目": None}))
        call_command("import_survey", str(path), "--year", str(YEAR), "--dry-run")
        out = capsys.readouterr().out
        assert "注意：「社区工作者」表没有数据行" in out and "已有的 3 行" in out
        assert "社区工作者：读取 0 行，新增 0，修改 0，删除 3" in out
        assert "服务项目：调查表中没有这张表，数据保持不变" in out

    def test_a_non_empty_sheet_that_removes_rows_gets_no_warning(self, clerk_a):
        run(survey(), clerk_a)
        result = run(survey(workers=[worker()]), clerk_a, dry_run=True)
        assert result.plan.counts["社区工作者"]["removed"] == 2 and not result.plan.warnings

    def test_a_sheet_without_a_header_is_an_error_and_removes_nothing(self, clerk_a):
        run(survey(), clerk_a)
        sheets = {name: rows_as_dicts(name, []) for name in HEADERS}
        sheets["社区基本情况"] = rows_as_dicts("社区基本情况", [basics(), basics(A2, "西关社区")])
        sheets["社区工作者"] = []  # the sheet is there, with not even a header
        result = run(xlsx(sheets), clerk_a)
        assert [(p.sheet, p.row) for p in result.errors] == [("社区工作者", 1)]
        assert "删除整张工作表" in result.errors[0].message
        assert "社区工作者" not in result.plan.counts
        assert Worker.objects.count() == 3


class TestFundingCoversTheStreets:
    def test_a_street_allocation_no_longer_listed_is_removed(self, clerk_a):
        run(survey(funds=[allocation(), allocation(STREET, **{"预算金额(万元)": 5})]), clerk_a)
        assert Allocation.objects.filter(unit_code=STREET).exists()
        result = run(survey(funds=[allocation()]), clerk_a)
        assert result.ok, result.errors
        assert not Allocation.objects.filter(unit_code=STREET).exists()
        assert set(Allocation.objects.values_list("unit_code", flat=True)) == {A1}
        removed = Allocation.history.get(history_type="-")
        assert removed.unit_code == STREET and removed.history_user == clerk_a
        assert any(d.code == STREET and d.removed == 1 for d in result.plan.diffs)

    def test_an_empty_funding_sheet_removes_the_street_rows_too_and_says_so(self, clerk_a):
        run(survey(funds=[allocation(STREET)]), clerk_a)
        result = run(survey(funds=[]), clerk_a, dry_run=True)
        assert any("「经费」表没有数据行" in w and "已有的 1 行" in w for w in result.plan.warnings)

    def test_county_rows_are_covered_only_when_listed(self, reviewer, street_a):
        run(survey(funds=[allocation(COUNTY, **{"预算金额(万元)": 209.79})]), reviewer)
        result = run(survey(funds=[]), reviewer)
        assert result.ok
        assert Allocation.objects.get(unit_code=COUNTY).budget == Decimal("2097900.00")
        result = run(survey(funds=[allocation(COUNTY, **{"预算金额(万元)": 100})]), reviewer)
        assert Allocation.objects.get(unit_code=COUNTY).budget == Decimal("1000000.00")

    def test_the_export_of_one_community_carries_its_streets_rows_and_round_trips(self, reviewer, street_a):
        SurveyReturnFactory(community__street=street_a, community__code=A1, year=YEAR)
        AllocationFactory(unit_code=STREET, year=YEAR, budget=Decimal("50000"))
        stream = io.BytesIO()
        write_workbook(stream, region_code=A1, year=YEAR, data_year=YEAR, template=False)
        result = run(stream.getvalue(), reviewer)
        assert result.ok, result.errors
        assert result.plan.totals()["removed"] == 0
        assert Allocation.objects.filter(unit_code=STREET).exists()

    def test_another_streets_rows_are_left_alone(self, reviewer, street_a, street_b):
        AllocationFactory(unit_code="420626101", year=YEAR)
        assert run(survey(funds=[]), reviewer).ok
        assert Allocation.objects.filter(unit_code="420626101").exists()


class TestAllocationsOfCommunitiesWithoutAReturn:
    def test_the_export_of_such_a_region_imports_back_unchanged(self, reviewer, street_a):
        with_return = SurveyReturnFactory(community__street=street_a, community__code=A1, year=YEAR)
        without = CommunityFactory(street=street_a, code=A2, name="西关社区")
        SurveyReturnFactory(community=without, year=YEAR - 1)  # a return of another year only
        AllocationFactory(unit_code=with_return.community_id, year=YEAR, budget=Decimal("10000"))
        AllocationFactory(unit_code=A2, year=YEAR, budget=Decimal("36757"), received=Decimal("1234.56"))
        stream = io.BytesIO()
        write_workbook(stream, region_code=COUNTY, year=YEAR, data_year=YEAR, template=False)
        before = list(Allocation.objects.order_by("pk").values())
        result = run(stream.getvalue(), reviewer)
        assert result.ok, result.errors
        assert result.plan.totals()["added"] == result.plan.totals()["changed"] == result.plan.totals()["removed"] == 0
        assert list(Allocation.objects.order_by("pk").values()) == before

    def test_a_change_to_such_an_allocation_is_imported(self, clerk_a, street_a):
        CommunityFactory(street=street_a, code=A2, name="西关社区")
        AllocationFactory(unit_code=A2, year=YEAR, budget=Decimal("10000"))
        data = one_community(funds=[allocation(A2, **{"预算金额(万元)": 2})])
        result = run(data, clerk_a)
        assert result.ok, result.errors
        assert Allocation.objects.get(unit_code=A2).budget == Decimal("20000.00")

    def test_an_allocation_of_a_community_that_does_not_exist_is_an_error(self, clerk_a):
        data = one_community(funds=[allocation(A2)])
        result = run(data, clerk_a)
        assert [(p.sheet, p.column) for p in result.errors] == [("经费", "单位代码")]
        assert "系统中没有这个社区" in result.errors[0].message


class TestARejectedImportRecordsNoChanges:
    def test_it_keeps_the_rows_read_but_no_planned_changes(self, client, clerk_a):
        run(survey(), clerk_a)
        # Would remove every worker — but a room has a bad cell, so nothing happens.
        bad = survey(workers=[], rooms=[premises(用房类别="仓库")])
        result = run(bad, clerk_a)
        assert not result.ok
        record = ImportRecord.objects.latest("pk")
        assert record.outcome == ImportOutcome.REJECTED
        assert record.counts["社区工作者"] == {"rows": 0}
        assert all(set(counts) == {"rows"} for counts in record.counts.values())
        client.force_login(clerk_a)
        history = client.get(reverse("workbook:history")).content.decode()
        assert "−3" not in history  # the refused import would have removed the 3 workers: it shows no change
        detail = client.get(reverse("workbook:detail", args=[record.pk])).content.decode()
        assert '<td class="num fail">' not in detail and "—" in detail

    def test_a_missing_required_column_plans_nothing_for_that_sheet(self, clerk_a):
        run(survey(), clerk_a)
        header = [h for h in HEADERS["社区工作者"] if h != "职务"]
        data = survey(extra={"社区工作者": [header, [A1, "张三"]]})
        result = run(data, clerk_a)
        assert [p.column for p in result.errors] == ["职务"]
        assert "社区工作者" not in result.plan.counts
        assert Worker.objects.count() == 3
        assert ImportRecord.objects.latest("pk").counts.get("社区工作者") is None
