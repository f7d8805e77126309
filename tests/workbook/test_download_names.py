"""Issue 16 item 4: every download is named in Chinese, region and year first, with an RFC 5987 header
(``filename*=UTF-8''…``, percent-encoded, so the header itself is ASCII): the survey workbook and its template, an
import's file, error list and change list, the dashboard's tables, the survey report, the admin's exports."""

import io
from urllib.parse import quote, unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.downloads import attachment_header, file_name
from communities.models import ImportRecord
from tests.communities.factories import SurveyReturnFactory
from workforce.resources import WorkerResource

from .builders import survey, worker

YEAR = 2025


def name_of(response) -> str:
    """The file name a browser saves the download as (from filename*), checking the header is plain ASCII."""
    assert response.status_code == 200
    header = response["Content-Disposition"]
    header.encode("ascii")
    assert header.startswith("attachment") and "=?utf-8?" not in header
    return unquote(header.split("filename*=UTF-8''")[1])


def upload(client, data):
    file = io.BytesIO(data)
    file.name = "城关街道调查表.xlsx"
    return client.post(reverse("workbook:upload"), {"year": YEAR, "file": file})


def test_the_helper():
    assert file_name("保康县", "2025年", "统计看板", ext="xlsx") == "保康县-2025年-统计看板.xlsx"
    assert file_name("a/b:c", "", None, "表*?", ext="xlsx") == "abc-表.xlsx"
    assert attachment_header("保康县.xlsx") == f"attachment; filename*=UTF-8''{quote('保康县.xlsx')}"
    assert attachment_header("报告.docx", fallback='r"1".docx') == (
        f"attachment; filename=\"r1.docx\"; filename*=UTF-8''{quote('报告.docx')}"
    )


def test_the_survey_workbook_and_its_template(client, clerk_a, reviewer, street_a):
    client.force_login(clerk_a)
    assert (
        name_of(client.get(reverse("workbook:template"), {"year": YEAR}))
        == "城关街道-2025年-社区年度调查表（模板）.xlsx"
    )
    client.force_login(reviewer)
    response = client.get(reverse("workbook:export"), {"year": YEAR})
    assert name_of(response) == "保康县-2025年-社区年度调查表.xlsx"


def test_an_imports_files(client, clerk_a):
    client.force_login(clerk_a)
    upload(client, survey(workers=[worker(性别="X")]))
    bad = ImportRecord.objects.get()
    assert name_of(client.get(reverse("workbook:download", args=[bad.pk]))) == "城关街道调查表.xlsx"
    assert name_of(client.get(reverse("workbook:errors", args=[bad.pk]))) == "城关街道调查表-错误清单.xlsx"
    upload(client, survey())
    good = ImportRecord.objects.latest("pk")
    assert name_of(client.get(reverse("workbook:changes", args=[good.pk]))) == "城关街道调查表-变化清单.xlsx"


def test_the_dashboard_tables(client, reviewer, street_a):
    SurveyReturnFactory(community__street=street_a, year=YEAR)
    client.force_login(reviewer)
    assert name_of(client.get(reverse("dashboard:download"), {"year": YEAR})) == "保康县-2025年-统计看板.xlsx"
    response = client.get(reverse("dashboard:download"), {"year": YEAR, "table": "headline"})
    assert name_of(response) == "保康县-2025年-主要指标及较上年变化.xlsx"


def test_the_survey_report(client, reviewer, street_a):
    from tests.returns.conftest import fill

    fill(SurveyReturnFactory(community__street=street_a, year=YEAR))  # complete: no open 错误 holds the report
    client.force_login(reviewer)
    response = client.get(reverse("report:docx", args=["420626", YEAR]))
    assert name_of(response) == "保康县2025年社区建设情况调研报告.docx"
    assert 'filename="survey-report-420626-2025.docx"' in response["Content-Disposition"]


@pytest.mark.parametrize(("role", "region"), [("reviewer", "保康县"), ("administrator", "全部")])
def test_the_admin_exports(client, request, street_a, role, region):
    SurveyReturnFactory(community__street=street_a, year=YEAR)
    client.force_login(request.getfixturevalue(role))
    fields = {f"workerresource_{name}": "on" for name in WorkerResource().get_export_order()}
    url = reverse("admin:workforce_worker_export")
    today = timezone.localdate().isoformat()
    response = client.post(url, {"format": "0", "resource": "0", **fields})
    assert name_of(response) == f"社区工作者-{region}-{today}.xlsx"
    # The changelist filtered on a year (its query string is kept on the export): the year is in the name.
    response = client.post(f"{url}?survey_return__year__exact={YEAR}", {"format": "0", "resource": "0", **fields})
    assert name_of(response) == f"社区工作者-{region}-2025年-{today}.xlsx"
