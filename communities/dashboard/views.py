"""The dashboards: /dashboard/ (the user's own region), /dashboard/<code>/ (any unit under it), the .xlsx download
of every table, and the standards page where reviewers set their region's standards."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from communities.downloads import as_attachment, file_name
from communities.models import SurveyReturn
from communities.standards import standards_for, standards_save

from .forms import StandardsForm
from .page import dashboard_page, name_standards, standard_origin, standard_value_text
from .params import BadParameter, approved_only, default_year, parse_year, scope_of, unit_code_for
from .selectors import breadcrumb, years_available
from .tables import workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A page lists at most this many communities per shortfall list (worst first); the download has them all.
PAGE_SHORTFALL_LIMIT = 200


def _year(request, scope: str) -> int:
    """The year asked for (?year=), else the default survey year; a bad year falls back with a warning."""
    raw = request.GET.get("year") or request.POST.get("year")
    try:
        year = parse_year(raw)
    except BadParameter as error:
        messages.warning(request, f"{error}已显示默认年度。")
        year = None
    return year if year is not None else default_year(scope)


@login_required
@require_GET
def index(request):
    return _render_page(request, unit_code_for(request.user, None))


@login_required
@require_GET
def region(request, code: str):
    return _render_page(request, unit_code_for(request.user, code))


def _existing_unit(code: str, scope: str) -> list[dict]:
    """The breadcrumb down to the unit, read before anything is computed; 404 when there is no such region or
    community (a unit named by its code, as an import names the levels above the street, exists all the same)."""
    crumbs = breadcrumb(code, scope)
    if not crumbs or not crumbs[-1]["exists"]:
        raise Http404("没有找到该区划，或您无权查看。")
    return crumbs


def _render_page(request, code: str):
    scope = scope_of(request.user)
    crumbs = _existing_unit(code, scope)
    years = years_available(scope)
    year = _year(request, scope)
    page = dashboard_page(
        code=code,
        year=year,
        scope_code=scope,
        shortfall_limit=PAGE_SHORTFALL_LIMIT,
        crumbs=crumbs,
        approved_only=approved_only(request),
    )
    # A year without any return under the unit: say so, and link the years that have some (one query, only then).
    no_data = not page["returns"]["with_return"]
    years_with_data = years_available(code) if no_data else []
    survey_return = None
    if len(code) == 12:
        survey_return = SurveyReturn.objects.filter(community_id=code, year=year).only("id", "status").first()
    return render(
        request,
        "dashboard/page.html",
        {
            "title": f"{page['name']} {year}年 统计看板",
            "page": page,
            "years": sorted({*years, year}, reverse=True),
            "survey_return": survey_return,
            "no_data": no_data,
            "years_with_data": years_with_data,
            "can_set_standards": request.user.has_perm("communities.change_standard"),
        },
    )


@login_required
@require_GET
def download(request):
    """Every table of a dashboard page as one workbook, or one table (?table=name) as its own."""
    code = unit_code_for(request.user, request.GET.get("region"))
    scope = scope_of(request.user)
    crumbs = _existing_unit(code, scope)
    year = _year(request, scope)
    page = dashboard_page(code=code, year=year, scope_code=scope, crumbs=crumbs, approved_only=approved_only(request))
    tables = page["tables"]
    wanted = request.GET.get("table")
    if wanted:
        tables = [t for t in tables if t.name == wanted]
        if not tables:
            raise Http404("没有这张表。")
    state = page["returns"]
    basis = "，仅统计已审核" if page["approved_only"] else ""
    heading = (
        f"{page['name']} {year}年（已填报 {state['handed_in']}/{state['total']}，已审核 {state['approved']}{basis}）"
    )
    content = workbook_bytes(tables, heading=heading)
    part = tables[0].title if wanted else "统计看板"
    return as_attachment(
        HttpResponse(content, content_type=XLSX), file_name(page["name"], f"{year}年", part, ext="xlsx")
    )


@login_required
@require_http_methods(["GET", "POST"])
def standards(request):
    """The standards in force for a region and year (with where each comes from); reviewers set their region's."""
    code = unit_code_for(request.user, request.GET.get("region") or request.POST.get("region"))
    scope = scope_of(request.user)
    year = _year(request, scope)
    may_change = request.user.has_perm("communities.change_standard") and request.user.has_perm(
        "communities.add_standard"
    )
    if code == "" and not request.user.sees_everything:
        may_change = False
    form = StandardsForm(request.POST or None, initial={"year_from": year})
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("您没有设置标准的权限。")
        if form.is_valid():
            try:
                saved = standards_save(
                    region_code=code,
                    year_from=form.cleaned_data["year_from"],
                    values=form.values(),
                    source=form.cleaned_data["source"],
                )
            except ValidationError as error:
                form.add_error(None, "；".join(error.messages))
            else:
                messages.success(
                    request, f"已设置 {len(saved)} 项标准，自 {form.cleaned_data['year_from']} 年起适用于本区划及下级。"
                )
                url = reverse("dashboard:standards") + f"?region={code}&year={year}"
                return redirect(url)
    in_force = standards_for(region_code=code, year=year).as_dict()
    name_standards(in_force.values())
    rows = []
    for key, found in in_force.items():
        rows.append(
            {
                "key": key,
                "field": form[key],
                "standard": found,
                "origin": standard_origin(found),
                "shown": standard_value_text(found) if found else "",
                "own": bool(found) and found["region_code"] == code,
            }
        )
    crumbs = breadcrumb(code, scope)
    return render(
        request,
        "dashboard/standards.html",
        {
            "title": "标准与基准",
            "code": code,
            "name": crumbs[-1]["name"] if crumbs else "全国",
            "crumbs": crumbs,
            "exists": not crumbs or crumbs[-1]["exists"],
            # The dashboard to go back to: the unit's own, or its nearest ancestor's when it is not imported yet.
            "dashboard_code": next((c["code"] for c in reversed(crumbs) if c["exists"]), code),
            "year": year,
            "rows": rows,
            "form": form,
            "may_change": may_change,
        },
    )
