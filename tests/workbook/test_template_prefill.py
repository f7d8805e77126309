"""The template for year Y shows a community's Y return where it has one (as it is) and Y−1's rows otherwise, so
that the template uploads unchanged even when some returns of Y are submitted or approved."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from communities.models import ImportOutcome, ImportRecord, ReturnStatus, SurveyReturn
from workforce.models import Worker

from .builders import A1, A2, allocation, basics, premises, program, survey, worker

YEAR = 2026


def upload(client, data, year):
    file = io.BytesIO(data)
    file.name = "调查表.xlsx"
    return client.post(reverse("workbook:upload"), {"year": year, "file": file})


def imported(client, data, year):
    upload(client, data, year)
    record = ImportRecord.objects.latest("pk")
    client.post(reverse("workbook:confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.outcome == ImportOutcome.IMPORTED, record.errors
    return record


def template(client, year) -> bytes:
    response = client.get(reverse("workbook:template"), {"year": year})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_template_with_an_approved_return_of_its_year_uploads_unchanged(client, clerk_a):
    client.force_login(clerk_a)
    imported(client, survey(), YEAR - 1)  # last year: A1 and A2
    this_year_a1 = survey(
        communities=[basics(户数=1500)],
        workers=[worker(name="赵六")],
        rooms=[premises(name="新中心")],
        funds=[allocation(**{"预算金额(万元)": 2})],
        programs=[program(name="助餐")],
    )
    imported(client, this_year_a1, YEAR)
    SurveyReturn.objects.filter(community_id=A1, year=YEAR).update(status=ReturnStatus.APPROVED)

    data = template(client, YEAR)
    workbook = load_workbook(io.BytesIO(data))
    basics_rows = {r[0]: r for r in workbook["社区基本情况"].iter_rows(min_row=2, values_only=True)}
    assert basics_rows[A1][5] == 1500 and basics_rows[A2][5] == 1200  # A1 as it is this year, A2 from last year
    workers = {(r[0], r[1]) for r in workbook["社区工作者"].iter_rows(min_row=2, values_only=True)}
    assert workers == {(A1, "赵六"), (A2, "王五")}
    rooms = {(r[0], r[1]) for r in workbook["办公服务用房"].iter_rows(min_row=2, values_only=True)}
    assert rooms == {(A1, "新中心"), (A2, "服务中心")}
    funds = {(r[0], r[3]) for r in workbook["经费"].iter_rows(min_row=2, values_only=True)}
    assert funds == {(A1, 2), (A2, 1.2)}
    notes = " ".join(str(c) for r in workbook["填报说明"].iter_rows(values_only=True) for c in r if c)
    assert f"{YEAR} 年已有填报的社区，预填的是其 {YEAR} 年的当前数据" in notes and f"{YEAR - 1} 年的数据" in notes

    response = upload(client, data, YEAR)
    page = response.content.decode()
    assert response.status_code == 200 and "确认导入" in page, page
    record = ImportRecord.objects.latest("pk")
    assert record.outcome == ImportOutcome.PREVIEWED and record.error_count == 0
    client.post(reverse("workbook:confirm", args=[record.pk]))
    assert set(Worker.objects.filter(survey_return__year=YEAR).values_list("name", flat=True)) == {"赵六", "王五"}
    approved = SurveyReturn.objects.get(community_id=A1, year=YEAR)
    assert approved.status == ReturnStatus.APPROVED and approved.households == 1500


def test_a_change_to_the_approved_return_is_still_refused_and_nothing_is_applied(client, clerk_a):
    client.force_login(clerk_a)
    imported(client, survey(), YEAR - 1)
    imported(client, survey(communities=[basics()], workers=[], rooms=[], funds=[], programs=[]), YEAR)
    SurveyReturn.objects.filter(community_id=A1, year=YEAR).update(status=ReturnStatus.APPROVED)
    workbook = load_workbook(io.BytesIO(template(client, YEAR)))
    workbook["社区基本情况"]["F2"].value = 1300  # A1's 户数
    stream = io.BytesIO()
    workbook.save(stream)
    page = upload(client, stream.getvalue(), YEAR).content.decode()
    assert "东关社区" in page and "已审核" in page and "确认导入" not in page
    assert not SurveyReturn.objects.filter(community_id=A2, year=YEAR).exists()
