"""The follow-up list page (问题跟进): every open rule finding and outlier of the reviewer's region for a year,
filtered, marked done with a note (or opened again), and downloaded."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from communities import access
from communities.dashboard.params import unit_code_for
from communities.dashboard.selectors import unit_name
from communities.downloads import as_attachment, file_name
from communities.figures import FIGURES
from communities.models import Region
from communities.validation import rules_for
from communities.years import default_survey_year

from . import followup
from .forms import YearForm
from .outliers import OUTLIER_FIGURES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reviewer(request) -> str:
    """The region of the list: the user's, or a unit under it (``?region=``); 404 outside it."""
    if not request.user.has_perm("communities.review_surveyreturn") or request.user.scope_code is None:
        raise PermissionDenied("只有审核员可以查看和处理问题跟进清单。")
    return unit_code_for(request.user, request.GET.get("region") or None)


def _filters(request, scope: str) -> dict:
    form = YearForm(request.GET)
    year = form.cleaned_data["year"] if form.is_valid() else default_survey_year(scope)
    street = request.GET.get("street", "")
    if street and not (len(street) == 9 and street.startswith(scope) and street.isdigit()):
        street = ""
    return {
        "year": year,
        "street": street,
        "severity": request.GET.get("severity", "") if request.GET.get("severity") in followup.SEVERITIES else "",
        "rule": request.GET.get("rule", "")[:40],
        "status": request.GET.get("status") if request.GET.get("status") in followup.STATUSES else "open",
    }


@login_required
@require_GET
def follow_up_page(request):
    scope = _reviewer(request)
    filters = _filters(request, scope)
    # The whole country at once reads every community's figures (about a minute at national scale): an
    # administrator chooses a province or a county first.
    items = followup.follow_up_items(region_code=scope, **filters) if scope else []
    rule_choices = [
        (rule.key, f"{rule.key}：{rule.description}") for rule, _ in rules_for(region_code=scope).listing(scope)
    ]
    rule_choices += [(key, f"异常值：{FIGURES[key].label}") for key in OUTLIER_FIGURES]
    query = request.GET.copy()
    return render(
        request,
        "returns/followup.html",
        {
            "items": items,
            "filters": filters,
            "year": filters["year"],
            "name": unit_name(scope),
            "region": scope,
            "streets": Region.objects.in_region(scope).streets().order_by("code"),
            "severities": list(followup.SEVERITIES.items()),
            "statuses": list(followup.STATUSES.items()),
            "rule_choices": rule_choices,
            "query": query.urlencode(),
            "counts": {
                label: sum(1 for item in items if item.severity == level)
                for level, label in followup.SEVERITIES.items()
            },
        },
    )


@login_required
@require_POST
def follow_up_mark(request):
    _reviewer(request)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    back = reverse("returns:followup") + "?" + request.POST.get("query", f"year={year}")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("returns:followup")
    survey_return = access.get_return_for_user(request.user, request.POST.get("code", ""), year)
    done = request.POST.get("done") == "1"
    try:
        followup.follow_up_mark(
            survey_return=survey_return,
            user=request.user,
            kind=request.POST.get("kind", ""),
            key=request.POST.get("key", "")[:60],
            done=done,
            note=request.POST.get("note", "")[:300],
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        community = survey_return.community.name
        messages.success(request, f"已将{community}的这一问题标记为{'已处理' if done else '待处理'}。")
    return redirect(back)


@login_required
@require_GET
def follow_up_download(request):
    scope = _reviewer(request)
    filters = _filters(request, scope)
    items = followup.follow_up_items(region_code=scope, **filters) if scope else []
    name = unit_name(scope)
    content = followup.follow_up_workbook(items, region=name, title=f"{filters['year']}年问题跟进")
    response = HttpResponse(content, content_type=XLSX)
    return as_attachment(response, file_name(name, f"{filters['year']}年", "问题跟进清单", ext="xlsx"))
