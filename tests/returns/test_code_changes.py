"""Codes that change between years, followed through the real pages: a merge of two communities and a split,
year over year on the return page and the dashboard, the start of a new return (basics, the roster, rooms), the
template pre-fill and its upload; a return for a retired code refused on start, on the form, on submit and on a
workbook import."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from communities import code_changes
from communities.models import ChangeKind, CodeChange, ImportRecord, ReturnStatus, SurveyReturn
from facilities.models import Premises
from tests.communities.factories import CommunityFactory, RegionFactory, SurveyReturnFactory
from tests.facilities.factories import PremisesFactory
from tests.funding.factories import AllocationFactory
from tests.returns.conftest import VALID_ID, fill
from tests.services.factories import ServiceProgramFactory
from tests.workbook.builders import basics, survey
from tests.workforce.factories import WorkerFactory
from workforce.models import Worker

A, B, C = "420626001001", "420626001002", "420626001003"  # 东门 and 东关 merge into 城关 in 2025
YEAR = 2025


def _last_year(community, *, households, population, people, area="300"):
    survey_return = SurveyReturnFactory(
        community=community, year=YEAR - 1, households=households, population=population, volunteers=10
    )
    for name, birth_year, id_number in people:
        WorkerFactory(survey_return=survey_return, name=name, birth_year=birth_year, id_number=id_number)
    PremisesFactory(survey_return=survey_return, name="综合服务中心", area=Decimal(area))
    AllocationFactory(unit_code=community.code, year=YEAR - 1, budget=Decimal("50000"))
    ServiceProgramFactory(survey_return=survey_return, name="老年餐桌")
    return survey_return


@pytest.fixture
def merge(street_a):
    a = CommunityFactory(code=A, street=street_a, name="东门社区")
    b = CommunityFactory(code=B, street=street_a, name="东关社区")
    CommunityFactory(code=C, street=street_a, name="城关社区")
    _last_year(a, households=1000, population=2800, people=[("张三", 1980, VALID_ID), ("李四", 1982, "")])
    old_b = _last_year(b, households=600, population=1500, people=[("王五", 1985, "")], area="200")
    WorkerFactory(survey_return=old_b, name="已离职", birth_year=1990, left_on=date(2024, 6, 30))
    for old in (A, B):
        CodeChange.objects.create(old_code=old, new_code=C, year=YEAR, kind=ChangeKind.MERGE)


MERGED_NOTE = "2024年数据含2025年并入的东门社区（420626001001）、东关社区（420626001002）。"
RETIRED_A = "该社区已于2025年并入城关社区（代码420626001003），请在城关社区填报。"


def _start(client, code, year=YEAR):
    return client.post(reverse("returns:start", args=[code, year]), follow=True)


def test_the_merged_community_starts_from_both_returns(client, clerk_a, merge):
    client.force_login(clerk_a)
    page = _start(client, C).content.decode()
    assert "沿用了 2024 年的基本情况、在职社区工作者3人、办公服务用房2处、服务项目2项" in page
    assert MERGED_NOTE.rstrip("。") in page
    started = SurveyReturn.objects.get(community_id=C, year=YEAR)
    assert (started.households, started.population, started.volunteers) == (1600, 4300, 20)
    # the roster: everyone in post in either community, nobody who left
    roster = Worker.objects.filter(survey_return=started).values_list("name", flat=True)
    assert sorted(roster) == ["张三", "李四", "王五"]
    assert Worker.objects.get(survey_return=started, name="张三").id_number == VALID_ID
    rooms = sorted(Premises.objects.filter(survey_return=started).values_list("name", "area"))
    assert rooms == [("综合服务中心", Decimal("300.00")), ("综合服务中心（原东关社区）", Decimal("200.00"))]


def test_the_return_page_compares_the_merged_community_with_both(client, reviewer, merge):
    started = fill(SurveyReturnFactory(community_id=C, year=YEAR, households=1650, population=4400), workers=3)
    client.force_login(reviewer)
    response = client.get(reverse("returns:detail", args=[C, YEAR]))
    page = response.content.decode()
    assert MERGED_NOTE in page
    rows = {row.label: row for row in response.context["rows"]}
    assert rows["户数"].previous == 1600 and rows["户数"].text == "1,650 户"
    assert rows["常住人口"].previous == 4300
    # 1600 → 1650 is +3%: no jump to explain, which a comparison with 城关's own (missing) figures could not say
    assert not [p for p in response.context["problems"] if p.code.startswith("jump_")]
    assert started.status == ReturnStatus.DRAFT


def test_the_dashboard_of_the_merged_community_follows_the_merge(client, reviewer, merge):
    fill(SurveyReturnFactory(community_id=C, year=YEAR, households=1650, population=4400), workers=3)
    client.force_login(reviewer)
    response = client.get(reverse("dashboard:region", args=[C]), {"year": YEAR})
    page = response.context["page"]
    households = next(card for card in page["headline"] if card["id"] == "households")
    assert households["previous"] == 1600 and households["change"] == 50
    workers = next(card for card in page["headline"] if card["id"] == "workers_in_post")
    assert workers["previous"] == 3  # 张三, 李四 (东门) and 王五 (东关); not the one who left
    trend = {row["year"]: row for row in page["trend_table"].rows}  # the trend's 2024 is both communities' too
    assert (trend["2024"]["households"], trend["2024"]["communities"], trend["2025"]["households"]) == (1600, 2, 1650)
    assert "2023" not in trend  # before the first year with returns: left out of the trend
    assert MERGED_NOTE in response.content.decode()


def test_a_return_for_a_merged_code_is_refused_on_start(client, clerk_a, merge):
    client.force_login(clerk_a)
    response = client.post(reverse("returns:start", args=[A, YEAR]))
    assert response.status_code == 403
    assert RETIRED_A in response.content.decode()
    assert not SurveyReturn.objects.filter(community_id=A, year=YEAR).exists()
    # the years before the merge are still A's own
    assert client.post(reverse("returns:start", args=[A, YEAR - 1])).status_code == 302


def test_the_workspace_says_a_merged_code_is_retired_and_offers_no_start(client, clerk_a, merge):
    client.force_login(clerk_a)
    response = client.get(reverse("returns:workspace"), {"year": YEAR})
    rows = {row.community.code: row for row in response.context["rows"]}
    assert (rows[A].can_start, rows[C].can_start) == (False, True)
    page = response.content.decode()
    assert RETIRED_A in page
    assert reverse("returns:start", args=[A, YEAR]) not in page
    assert reverse("returns:start", args=[C, YEAR]) in page


def test_a_return_of_a_merged_code_started_before_the_change_is_refused_on_the_form_and_on_submit(
    client, clerk_a, merge
):
    old = fill(SurveyReturnFactory(community_id=A, year=YEAR, households=900), workers=1)
    client.force_login(clerk_a)
    form = client.get(reverse("returns:edit", args=[A, YEAR])).context["form"]
    data = {name: form.initial.get(name) if form.initial.get(name) is not None else "" for name in form.fields}
    data.update(households="950", population="2500")
    for prefix in ("workers", "premises", "funding", "programs"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(reverse("returns:edit", args=[A, YEAR]), data)
    assert response.status_code == 400, response.content.decode()[:500]
    assert RETIRED_A in response.content.decode()
    old.refresh_from_db()
    assert old.households == 900
    response = client.post(reverse("returns:submit", args=[A, YEAR]))
    assert RETIRED_A in response.content.decode()
    old.refresh_from_db()
    assert old.status == ReturnStatus.DRAFT


def test_a_workbook_row_for_a_merged_code_is_refused(client, clerk_a, merge):
    client.force_login(clerk_a)
    data = survey(communities=[basics(A, "东门社区")], workers=[], rooms=[], funds=[], programs=[])
    file = io.BytesIO(data)
    file.name = "调查表.xlsx"
    page = client.post(reverse("workbook:upload"), {"year": YEAR, "file": file}).content.decode()
    assert RETIRED_A in page
    record = ImportRecord.objects.latest("pk")
    assert record.error_count == 1
    assert not SurveyReturn.objects.filter(community_id=A, year=YEAR).exists()


def _template(client, year=YEAR) -> dict:
    response = client.get(reverse("workbook:template"), {"year": year})
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(data))
    return data, {ws.title: list(ws.iter_rows(min_row=2, values_only=True)) for ws in workbook.worksheets}


def test_the_template_prefills_the_merged_community_and_uploads_unchanged(client, clerk_a, merge):
    client.force_login(clerk_a)
    data, sheets = _template(client)
    codes = [row[0] for row in sheets["社区基本情况"]]
    assert codes == [C]  # 东门 and 东关 no longer report
    assert sheets["社区基本情况"][0][5:7] == (1600, 4300)
    people = sorted((row[0], row[1], row[2]) for row in sheets["社区工作者"])
    assert [(code, name) for code, name, _ in people] == [(C, "已离职"), (C, "张三"), (C, "李四"), (C, "王五")]
    assert "4206**********0014" in {row[2] for row in sheets["社区工作者"]}  # masked, as always for a clerk
    rooms = sorted((row[0], row[1]) for row in sheets["办公服务用房"])
    assert rooms == [(C, "综合服务中心"), (C, "综合服务中心（原东关社区）")]
    assert [row[1] for row in sheets["服务项目"]] == ["老年餐桌", "老年餐桌（原东关社区）"]
    assert {row[0] for row in sheets["经费"]} <= {C, A[:9]}

    file = io.BytesIO(data)
    file.name = "调查表.xlsx"
    client.post(reverse("workbook:upload"), {"year": YEAR, "file": file})
    record = ImportRecord.objects.latest("pk")
    assert record.error_count == 0, record.errors
    client.post(reverse("workbook:confirm", args=[record.pk]))
    imported = SurveyReturn.objects.get(community_id=C, year=YEAR)
    assert imported.households == 1600
    # the masked ID in the template is 张三's, carried from 东门
    assert Worker.objects.get(survey_return=imported, name="张三").id_number == VALID_ID


# ----- a split ---------------------------------------------------------------------------------------------------


@pytest.fixture
def split(street_a):
    whole = CommunityFactory(code=A, street=street_a, name="东门社区")
    CommunityFactory(code=B, street=street_a, name="东门北社区")
    CommunityFactory(code=C, street=street_a, name="东门南社区")
    _last_year(whole, households=2000, population=5600, people=[("张三", 1980, VALID_ID), ("李四", 1982, "")])
    for new in (B, C):
        CodeChange.objects.create(old_code=A, new_code=new, year=YEAR, kind=ChangeKind.SPLIT)


SPLIT_NOTE = "2024年数据为2025年拆分前东门社区（420626001001）的整体数据，与拆分后的本社区不可直接比较。"


def test_a_split_community_starts_from_the_basics_only_with_a_note(client, clerk_a, split):
    client.force_login(clerk_a)
    page = _start(client, B).content.decode()
    assert "基本情况预填的是拆分前 2024 年的整体数据，请按拆分后本社区的实际情况修改" in page
    started = SurveyReturn.objects.get(community_id=B, year=YEAR)
    assert (started.households, started.population) == (2000, 5600)
    assert not Worker.objects.filter(survey_return=started).exists()
    assert not Premises.objects.filter(survey_return=started).exists()


def test_a_split_is_shown_year_over_year_without_jump_checks(client, reviewer, split):
    fill(SurveyReturnFactory(community_id=B, year=YEAR, households=1100, population=3000), workers=1)
    client.force_login(reviewer)
    response = client.get(reverse("returns:detail", args=[B, YEAR]))
    assert SPLIT_NOTE in response.content.decode()
    rows = {row.label: row for row in response.context["rows"]}
    assert rows["户数"].previous == 2000
    assert not [p for p in response.context["problems"] if p.code.startswith("jump_")]


def test_the_split_code_itself_is_refused_with_both_parts(client, clerk_a, split):
    client.force_login(clerk_a)
    response = client.post(reverse("returns:start", args=[A, YEAR]))
    assert response.status_code == 403
    assert (
        "该社区已于2025年拆分为东门北社区（代码420626001002）、东门南社区（代码420626001003），请在拆分后的社区分别填报。"
        in response.content.decode()
    )


def test_the_template_gives_a_split_community_the_basics_only(client, clerk_a, split):
    client.force_login(clerk_a)
    _, sheets = _template(client)
    assert [(row[0], row[5]) for row in sheets["社区基本情况"]] == [(B, 2000), (C, 2000)]
    assert sheets["社区工作者"] == [] and sheets["办公服务用房"] == []


# ----- the service ----------------------------------------------------------------------------------------------


def test_predecessors_follow_merges_splits_recodings_villages_and_streets(db, street_a):
    RegionFactory(code="420626002", name="新城街道")
    CodeChange.objects.create(old_code=A, new_code=C, year=2025, kind=ChangeKind.MERGE)
    CodeChange.objects.create(old_code=B, new_code=C, year=2025, kind=ChangeKind.MERGE)
    assert code_changes.predecessors(C, 2025) == [A, B, C]
    assert code_changes.predecessors(C, 2024) == [C]  # the change is not in force yet
    assert code_changes.predecessors(A, 2024) == [A]
    # a chain: C re-coded in 2026 stands for A and B in 2024
    CodeChange.objects.create(old_code=C, new_code="420626001004", year=2026, kind=ChangeKind.RECODE)
    lineage = code_changes.lineage("420626001004", 2026)
    assert lineage.codes_in(2025) == (C, "420626001004")
    assert lineage.codes_in(2023) == (A, B, C, "420626001004")
    # a village made a community has no predecessor
    CodeChange.objects.create(old_code="420626001201", new_code="420626001005", year=2025, kind=ChangeKind.VILLAGE)
    assert code_changes.predecessors("420626001005", 2025) == []
    # a street re-coded as a whole: its communities keep their last three digits
    CodeChange.objects.create(old_code="420626003", new_code="420626002", year=2025, kind=ChangeKind.RECODE)
    assert code_changes.predecessors("420626002007", 2025) == ["420626002007", "420626003007"]
    assert code_changes.retirement("420626003007", 2025).successors == ("420626002007",)
    assert code_changes.retirement("420626003007", 2024) is None
    # retired after the merge, also in later years; the successor is not
    assert code_changes.retirement(A, 2026).successors == (C,)
    assert code_changes.retirement(C, 2025) is None
