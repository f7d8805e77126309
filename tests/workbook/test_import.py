"""The import service and the import_survey command, through real .xlsx files."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from communities.models import Community, ImportOutcome, ImportRecord, Region, ReturnStatus, SurveyReturn
from communities.workbook.services import workbook_import
from facilities.models import Premises
from funding.models import Allocation
from services.models import ServiceProgram
from tests.communities.factories import SurveyReturnFactory
from workforce.models import Worker

from .builders import A1, A2, B1, ID_1, allocation, basics, only, premises, rows_as_dicts, survey, worker, xlsx

YEAR = 2025


def run(data, user=None, dry_run=False, year=YEAR):
    return workbook_import(file=data, year=year, user=user, dry_run=dry_run, name="t.xlsx")


def snapshot():
    return (
        list(SurveyReturn.objects.values_list("community_id", "year", "households", "population", "version")),
        list(Worker.objects.values_list("name", "id_number", "monthly_pay", "hired_on")),
        list(Premises.objects.values_list("name", "area")),
        list(Allocation.objects.values_list("unit_code", "budget", "received")),
        list(ServiceProgram.objects.values_list("name", "funds")),
    )


def test_it_imports_a_workbook_for_a_new_street(clerk_a):
    result = run(survey(), clerk_a)
    assert result.ok, result.errors
    assert result.imported
    assert Community.objects.count() == 2
    survey_return = SurveyReturn.objects.get(community_id=A1, year=YEAR)
    assert survey_return.status == ReturnStatus.DRAFT
    assert survey_return.households == 1200
    assert Worker.objects.count() == 3
    li = Worker.objects.get(name="李四")
    assert li.id_number == ID_1 and li.gender == "male"
    assert Allocation.objects.get(unit_code=A1).budget == Decimal("12000.00")  # 1.2 万元
    assert Premises.objects.get(survey_return=survey_return).area == Decimal("320")
    record = ImportRecord.objects.get()
    assert record.outcome == ImportOutcome.IMPORTED
    assert record.user == clerk_a
    assert record.region_code == "420626001"
    assert record.counts["社区工作者"]["added"] == 3
    assert Worker.history.filter(history_type="+", history_user=clerk_a).count() == 3


def test_importing_creates_the_regions_it_needs(db):
    result = run(
        survey(
            communities=[basics(code="510104001001", street="春熙路街道")], workers=[], rooms=[], funds=[], programs=[]
        )
    )
    assert result.ok, result.errors
    assert Region.objects.get(code="510104001").name == "春熙路街道"
    assert Region.objects.get(code="510104").name == "510104"
    assert set(Region.objects.values_list("code", flat=True)) == {"51", "5101", "510104", "510104001"}


def test_a_dry_run_changes_nothing_and_shows_the_diff(clerk_a):
    result = run(survey(), clerk_a, dry_run=True)
    assert result.ok and not result.imported
    assert not Community.objects.exists()
    assert {d.code for d in result.plan.diffs} == {A1, A2}
    assert result.record.outcome == ImportOutcome.PREVIEWED


def test_importing_the_same_workbook_twice_changes_nothing(clerk_a):
    data = survey()
    run(data, clerk_a)
    before = snapshot()
    history = Worker.history.count() + SurveyReturn.history.count()
    result = run(data, clerk_a)
    assert result.ok and result.imported
    assert snapshot() == before
    assert Worker.history.count() + SurveyReturn.history.count() == history
    assert result.plan.totals()["added"] == result.plan.totals()["changed"] == result.plan.totals()["removed"] == 0


def test_the_workbook_is_the_full_statement_of_its_community_years(clerk_a):
    run(survey(), clerk_a)
    changed = survey(
        workers=[worker(**{"月基本报酬(元)": 1800}), worker(A2, "王五")],  # 李四 removed, 张三 changed
        rooms=[premises()],  # A2's room removed
        funds=[allocation(**{"预算金额(万元)": 2})],
        programs=[],
    )
    result = run(changed, clerk_a)
    assert result.ok, result.errors
    assert set(Worker.objects.values_list("name", flat=True)) == {"张三", "王五"}
    assert Worker.objects.get(name="张三").monthly_pay == Decimal("1800")
    assert not Premises.objects.filter(survey_return__community_id=A2).exists()
    assert not Allocation.objects.filter(unit_code=A2).exists()
    assert not ServiceProgram.objects.exists()
    # The audit trail shows who removed what, and what changed.
    removed = Worker.history.get(history_type="-")
    assert removed.name == "李四" and removed.history_user == clerk_a
    assert Worker.history.filter(history_type="~", name="张三", monthly_pay=Decimal("1800")).exists()
    assert ServiceProgram.history.filter(history_type="-").count() == 1
    # The returns touched by the import carry a new version.
    assert SurveyReturn.objects.get(community_id=A1).version == 2
    assert SurveyReturn.history.filter(history_type="~", community_id=A1, version=2, history_user=clerk_a).exists()
    diff = {d.code: d for d in result.plan.diffs}
    assert diff[A1].removed == 2 and diff[A1].changed == 2  # 李四 and the program; 张三 and the allocation
    change = next(c for c in diff[A1].changes if c.kind == "changed" and c.sheet == "社区工作者")
    assert change.cells == [("月基本报酬(元)", "1500", "1800")]


def test_a_missing_sheet_leaves_its_rows_alone(clerk_a):
    run(survey(), clerk_a)
    data = xlsx({"社区基本情况": rows_as_dicts("社区基本情况", [basics(), basics(A2, "西关社区")])})
    result = run(data, clerk_a)
    assert result.ok
    assert Worker.objects.count() == 3
    assert any("没有「社区工作者」表" in n for n in result.plan.notices)


def test_communities_not_in_the_workbook_are_left_alone(clerk_a):
    run(survey(), clerk_a)
    result = run(survey(communities=[basics()], workers=[worker()], rooms=[], funds=[], programs=[]), clerk_a)
    assert result.ok
    assert Worker.objects.filter(survey_return__community_id=A2).count() == 1


def test_one_bad_row_changes_nothing(clerk_a):
    run(survey(), clerk_a)
    before = snapshot()
    bad = survey(workers=[worker(**{"月基本报酬(元)": 1900}), worker(A2, "王五", 出生年份="一九八五")])
    result = run(bad, clerk_a)
    assert not result.ok and not result.imported
    assert snapshot() == before
    [problem] = result.errors
    assert (problem.sheet, problem.row, problem.column, problem.value) == ("社区工作者", 3, "出生年份", "一九八五")
    assert "整数" in problem.message
    assert ImportRecord.objects.latest("created_at").outcome == ImportOutcome.REJECTED


@pytest.mark.django_db(transaction=True)
def test_one_transaction_even_when_the_database_refuses(clerk_a, monkeypatch):
    """If the database refuses a write half-way (after the returns and workers are written), nothing stays."""
    from communities.workbook import services

    real = services.create_rows

    def failing(model, rows, **kwargs):
        if model is Premises:
            from django.db import IntegrityError

            raise IntegrityError("boom")
        return real(model, rows, **kwargs)

    monkeypatch.setattr(services, "create_rows", failing)
    result = run(survey(), clerk_a)
    assert not result.imported
    assert "数据库拒绝" in result.errors[-1].message
    assert not Community.objects.exists() and not Worker.objects.exists() and not SurveyReturn.objects.exists()
    assert not Worker.history.exists()


def test_a_clerk_cannot_import_another_street(clerk_a, street_b):
    result = run(
        survey(
            communities=[basics(), basics(B1, "歇马社区", street="歇马镇")],
            workers=[worker(B1)],
            rooms=[],
            funds=[],
            programs=[],
        ),
        clerk_a,
    )
    assert not result.ok
    rows = {(p.sheet, p.row) for p in result.errors}
    assert ("社区基本情况", 3) in rows and ("社区工作者", 2) in rows
    assert all("管辖" in p.message for p in result.errors)
    assert not Community.objects.exists()


def test_a_reviewer_imports_for_the_whole_county(reviewer, street_a, street_b):
    result = run(
        survey(
            communities=[basics(), basics(B1, "歇马社区", street="歇马镇")],
            workers=[worker(B1)],
            rooms=[],
            funds=[allocation("420626", **{"预算金额(万元)": 209.79})],
            programs=[],
        ),
        reviewer,
    )
    assert result.ok, result.errors
    assert Allocation.objects.get(unit_code="420626").budget == Decimal("2097900.00")


def test_an_approved_return_is_refused_and_nothing_is_applied(clerk_a, street_a):
    SurveyReturnFactory(
        community__street=street_a, community__code=A2, community__name="西关社区", status=ReturnStatus.APPROVED
    )
    result = run(survey(), clerk_a)
    assert not result.ok
    [problem] = result.errors
    assert "西关社区" in problem.message and A2 in problem.message and "已审核" in problem.message
    assert not SurveyReturn.objects.filter(community_id=A1).exists()
    assert not Worker.objects.exists()


def test_an_unchanged_approved_return_does_not_block_a_reimport(clerk_a):
    run(survey(), clerk_a)
    SurveyReturn.objects.filter(community_id=A2).update(status=ReturnStatus.APPROVED)
    assert run(survey(), clerk_a).ok


def test_a_clerk_may_not_change_a_submitted_return_but_a_reviewer_may(clerk_a, reviewer):
    run(survey(), clerk_a)
    SurveyReturn.objects.filter(community_id=A1).update(status=ReturnStatus.SUBMITTED)
    changed = survey(workers=[worker(**{"月基本报酬(元)": 2000})])
    result = run(changed, clerk_a)
    assert not result.ok and "已提交" in result.errors[0].message
    assert run(changed, reviewer).ok


@pytest.mark.parametrize(
    ("sheet", "record", "column", "fragment"),
    [
        ("社区基本情况", basics(code="42062600100"), "社区代码", "12"),
        ("社区基本情况", basics(社区类型="城里社区"), "社区类型", "城市社区"),
        ("社区基本情况", basics(户数=-5), "户数", "负数"),
        ("社区基本情况", basics(常住人口=None), "常住人口", "必填"),
        ("社区工作者", worker(身份证号="420626198501010011"), "身份证号", "校验码"),
        ("社区工作者", worker(身份证号=420626198501010014), "身份证号", "文本"),
        ("社区工作者", worker(入职日期="2020年13月1日"), "入职日期", "日期"),
        ("社区工作者", worker(是否被借用="也许"), "是否被借用", "是"),
        ("社区工作者", worker(离职日期="2019-01-01"), "离职日期", "早于"),
        ("经费", allocation(**{"预算金额(万元)": "十万"}), "预算金额(万元)", "数字"),
        ("经费", allocation(code="4206260010"), "单位代码", "位数字"),
        ("办公服务用房", premises(用房类别="仓库"), "用房类别", "办公用房"),
    ],
)
def test_validation_errors_name_the_sheet_row_and_column(clerk_a, sheet, record, column, fragment):
    result = run(only(sheet, record), clerk_a)
    assert not result.ok
    problem = result.errors[0]
    assert (problem.sheet, problem.row, problem.column) == (sheet, 2, column)
    assert fragment in problem.message


def test_every_error_is_reported_at_once(clerk_a):
    data = survey(workers=[worker(), worker(name="李四", 性别="X"), worker(name="王五", 学历="文盲"), worker()])
    result = run(data, clerk_a)
    assert [(p.row, p.column) for p in result.errors] == [(3, "性别"), (4, "学历"), (5, "姓名")]
    assert "与第 2 行重复" in result.errors[2].message


def test_common_variants_are_normalised(clerk_a):
    data = survey(
        communities=[basics(code=420626001001.0, 社区类型=" 城市社区 ", 城乡分类代码=111)],
        workers=[
            worker(学历="高中（中专）", 是否被借用="Y", 入职日期=45292, 政治面貌="党员", **{"月补贴(元)": "1,000"})
        ],
        rooms=[],
        funds=[],
        programs=[],
    )
    result = run(data, clerk_a)
    assert result.ok, result.errors
    w = Worker.objects.get()
    assert w.education == "high_school" and w.seconded and w.political_status == "cpc"
    assert str(w.hired_on) == "2024-01-01" and w.monthly_allowance == 1000
    assert Community.objects.get().urban_rural_code == "111"


def test_headers_are_normalised_and_a_missing_required_column_is_named(clerk_a):
    header = ["社区代码 ", "社区名称", "街道（乡镇）名称", "社区类型", "户数", "多余的列"]
    data = xlsx({"社区基本情况": [header, [A1, "东关社区", "城关街道", "城市社区", 10, "x"]], "说明": [["随便"]]})
    result = run(data, clerk_a)
    assert [(p.sheet, p.row, p.column) for p in result.errors] == [("社区基本情况", 1, "常住人口")]
    assert "缺少必填列「常住人口」" in result.errors[0].message
    assert any("说明" in n and "忽略" in n for n in result.plan.notices)
    assert any("多余的列" in n for n in result.plan.notices)


def test_a_street_name_that_does_not_match_the_code_is_an_error(clerk_a):
    result = run(survey(communities=[basics(street="歇马镇")], workers=[], rooms=[], funds=[], programs=[]), clerk_a)
    assert not result.ok
    assert result.errors[0].column == "街道(乡镇)名称" and "城关街道" in result.errors[0].message


def test_a_row_for_a_community_missing_from_the_basics_sheet_is_an_error(clerk_a):
    result = run(survey(communities=[basics()], workers=[worker(A2)], rooms=[], funds=[], programs=[]), clerk_a)
    assert not result.ok and "社区基本情况" in result.errors[0].message


class TestCommand:
    def test_it_imports_and_prints_per_sheet(self, tmp_path, street_a, capsys):
        path = tmp_path / "survey.xlsx"
        path.write_bytes(survey())
        call_command("import_survey", str(path), "--year", str(YEAR))
        out = capsys.readouterr().out
        assert "社区工作者：读取 3 行，新增 3" in out and "已导入" in out
        assert Worker.objects.count() == 3

    def test_a_dry_run_writes_nothing(self, tmp_path, street_a, capsys):
        path = tmp_path / "survey.xlsx"
        path.write_bytes(survey())
        call_command("import_survey", str(path), "--year", str(YEAR), "--dry-run")
        assert "检查通过" in capsys.readouterr().out
        assert not Worker.objects.exists()

    def test_errors_are_printed_and_the_exit_is_non_zero(self, tmp_path, street_a, capsys):
        path = tmp_path / "survey.xlsx"
        path.write_bytes(survey(workers=[worker(性别="X"), worker(name="李四", 学历="文盲")]))
        with pytest.raises(CommandError, match="2 处错误"):
            call_command("import_survey", str(path), "--year", str(YEAR))
        err = capsys.readouterr().err
        assert "社区工作者\t2\t性别\tX" in err and "社区工作者\t3\t学历\t文盲" in err
        assert not Community.objects.exists()

    def test_a_bad_file_is_a_clear_error(self, tmp_path, db):
        path = tmp_path / "survey.xlsx"
        path.write_bytes(b"a,b,c\n1,2,3\n")
        with pytest.raises(CommandError, match="CSV"):
            call_command("import_survey", str(path), "--year", str(YEAR))


def test_the_openpyxl_reader_gives_the_same_result(clerk_a, monkeypatch):
    """python-calamine is the fast path; openpyxl in read-only mode is the fallback and must agree."""
    from communities.workbook import reader

    data = survey(workers=[worker(入职日期=45292, 是否被借用="Y"), worker(name="李四", 性别="X")])
    fast = run(data, clerk_a, dry_run=True)
    monkeypatch.setattr(reader, "CalamineWorkbook", None)
    slow = run(data, clerk_a, dry_run=True)
    assert [p.as_dict() for p in fast.errors] == [p.as_dict() for p in slow.errors]
    assert len(slow.errors) == 1
    assert run(survey(), clerk_a).ok
    assert Worker.objects.count() == 3
