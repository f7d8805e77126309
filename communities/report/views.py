"""The survey report (调研报告): a printable page and the same report as a Word document."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from communities.access import can_see_code
from communities.codes import UNIT_CODE_RE
from communities.dashboard.params import approved_only
from communities.downloads import as_attachment

from .compose import report_build
from .services import survey_report_docx

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _check(request, code: str, year: int) -> None:
    """404 when the code is malformed or outside the user's region, or the year absurd (no hint which)."""
    if not UNIT_CODE_RE.match(code) or not 2000 <= year <= 2100 or not can_see_code(request.user, code):
        raise Http404("没有找到该地区，或您无权查看。")


def _report_for_user(request, code: str, year: int):
    _check(request, code, year)
    try:
        return report_build(region_code=code, year=year, approved_only=approved_only(request))
    except LookupError:
        raise Http404("没有找到该地区，或您无权查看。") from None


@login_required
@require_safe
def page(request, code: str, year: int):
    report = _report_for_user(request, code, year)
    return render(request, "report/report.html", {"report": report, "title": report.title})


def _refused_for_open_errors(request, code: str, year: int):
    """A 409 page naming the returns with an open 错误 (the report is not written), or None when there are none."""
    from communities.returns.quality import open_errors_refusal

    refusal = open_errors_refusal(region_code=code, year=year)
    if refusal is None:
        return None
    return render(request, "403.html", {"heading": "暂不能生成调研报告", "exception": refusal}, status=409)


@login_required
@require_safe
def docx(request, code: str, year: int):
    _check(request, code, year)
    refused = _refused_for_open_errors(request, code, year)
    if refused is not None:
        return refused
    try:
        report, content = survey_report_docx(region_code=code, year=year, approved_only=approved_only(request))
    except LookupError:
        raise Http404("没有找到该地区，或您无权查看。") from None
    response = HttpResponse(content, content_type=DOCX_TYPE)
    return as_attachment(response, report.filename, fallback=f"survey-report-{code}-{year}.docx")
