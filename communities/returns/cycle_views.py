"""The reporting cycle's pages: the periods (填报期) of the reviewer's region, the progress table with its late
list, reminders (催报), and the bulk actions (submit many, approve many)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities import periods as cycle
from communities.downloads import as_attachment, file_name
from communities.models import ReportingPeriod, SurveyReturn
from communities.years import default_survey_year

from . import progress, services
from .cycle_forms import ExtensionForm, PeriodForm, ReminderForm
from .forms import YearForm
from .progress_sheet import progress_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reviewer(request) -> None:
    if not cycle.can_manage_periods(request.user):
        raise PermissionDenied("只有审核员可以管理填报期、查看填报进度和催报。")


def _year(request) -> int:
    """The year posted or asked for (the return pages' YearForm), else the default survey year."""
    form = YearForm(request.POST if request.method == "POST" else request.GET)
    return form.cleaned_data["year"] if form.is_valid() else default_survey_year(request.user.scope_code)


def _form_errors(form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)


@login_required
@require_http_methods(["GET", "POST"])
def periods(request):
    _reviewer(request)
    scope = request.user.scope_code or ""
    form = PeriodForm(request.POST or None, user=request.user, initial={"region": scope, "year": _year(request)})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                period = cycle.period_save(
                    user=request.user,
                    region_code=data["region"],
                    year=data["year"],
                    opens_on=data["opens_on"],
                    due_on=data["due_on"],
                )
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
            else:
                messages.success(
                    request,
                    f"已设置 {period.year} 年填报期：{cycle.chinese_date(period.opens_on)}至"
                    f"{cycle.chinese_date(period.due_on)}。",
                )
                return redirect("returns:periods")
        else:
            messages.error(request, _form_errors(form))
    listed = list(
        ReportingPeriod.objects.filter(region_code__startswith=scope)
        .prefetch_related("extensions")
        .order_by("-year", "region_code")
    )
    names = cycle.unit_names(
        [p.region_code for p in listed] + [e.unit_code for p in listed for e in p.extensions.all()]
    )
    for period in listed:
        period.region_name = names.get(period.region_code, period.region_code)
        for extension in period.extensions.all():
            extension.unit_name = names.get(extension.unit_code, extension.unit_code)
    return render(
        request,
        "returns/periods.html",
        {
            "form": form,
            "periods": [(p, ExtensionForm(region_code=p.region_code, prefix=f"p{p.pk}")) for p in listed],
        },
    )


def _period(request, pk: int) -> ReportingPeriod:
    _reviewer(request)
    period = get_object_or_404(ReportingPeriod, pk=pk)
    if not cycle.can_manage_periods(request.user, period.region_code):
        raise Http404("没有找到该填报期，或您无权查看。")
    return period


@login_required
@require_POST
def period_extend(request, pk: int):
    period = _period(request, pk)
    form = ExtensionForm(request.POST, region_code=period.region_code, prefix=f"p{period.pk}")
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("returns:periods")
    try:
        extension = cycle.period_extend(
            user=request.user,
            period=period,
            unit_code=form.cleaned_data["unit"],
            due_on=form.cleaned_data["due_on"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已为 {extension.unit_code} 延期至 {cycle.chinese_date(extension.due_on)}。")
    return redirect("returns:periods")


@login_required
@require_POST
def period_close(request, pk: int):
    period = _period(request, pk)
    closed = request.POST.get("closed") != "0"
    cycle.period_set_closed(user=request.user, period=period, closed=closed)
    if closed:
        messages.success(request, f"已关闭 {period.year} 年填报期：填报员不能再新建或修改未提交的填报。")
    else:
        messages.success(request, f"已重新开放 {period.year} 年填报期。")
    return redirect("returns:periods")


def _progress(request):
    """The year, the street asked for, every community's progress in the user's region and those of the street."""
    _reviewer(request)
    year = _year(request)
    street = request.GET.get("street", "")
    periods = cycle.Periods(request.user.scope_code, year)
    everywhere = progress.community_progress(user=request.user, year=year, periods=periods)
    rows = [r for r in everywhere if r.community.code.startswith(street)]
    return year, street, periods, everywhere, rows


@login_required
@require_GET
def progress_page(request):
    year, street, periods, everywhere, rows = _progress(request)
    streets = progress.street_progress(rows, periods)
    behind = [(s.region.code, f"{s.region.name}（未提交 {s.not_in} 个）") for s in streets if s.not_in]
    return render(
        request,
        "returns/progress.html",
        {
            "year": year,
            "street": street,
            "street_choices": progress.street_progress(everywhere),
            "streets": streets,
            "rows": rows,
            "late": progress.late_communities(rows),
            "reminder_form": ReminderForm(streets=behind, initial={"streets": [code for code, _ in behind]}),
            "produced_at": timezone.localtime(),
        },
    )


@login_required
@require_GET
def progress_download(request):
    year, street, periods, _, rows = _progress(request)
    region = request.user.region.name if request.user.region else "全国"
    content = progress_workbook(
        region=region,
        year=year,
        streets=progress.street_progress(rows, periods),
        late=progress.late_communities(rows),
    )
    return as_attachment(
        HttpResponse(content, content_type=XLSX), file_name(region, f"{year}年", "填报进度", ext="xlsx")
    )


@login_required
@require_POST
def remind(request):
    _reviewer(request)
    year = _year(request)
    periods = cycle.Periods(request.user.scope_code, year)
    streets = progress.street_progress(
        progress.community_progress(user=request.user, year=year, periods=periods), periods
    )
    behind = {s.region.code: s for s in streets if s.not_in}
    form = ReminderForm(request.POST, streets=[(code, code) for code in behind])
    if not form.is_valid():
        messages.error(request, _form_errors(form) or "没有需要催报的街道(乡镇)。")
        return redirect(f"{reverse('returns:progress')}?year={year}")
    texts = {
        code: form.cleaned_data["message"]
        or cycle.default_reminder_text(year=year, not_in=behind[code].not_in, deadline=behind[code].deadline)
        for code in form.cleaned_data["streets"]
    }
    sent = cycle.reminders_send(user=request.user, year=year, messages=texts)
    names = "、".join(behind[r.unit_code].region.name for r in sent)
    messages.success(request, f"已向 {len(sent)} 个街道(乡镇)催报：{names}。")
    return redirect(f"{reverse('returns:progress')}?year={year}")


def _chosen_returns(request, year: int):
    codes = request.POST.getlist("code")
    return list(
        SurveyReturn.objects.for_user(request.user)
        .for_year(year)
        .filter(community_id__in=codes)
        .select_related("community")
        .order_by("community_id")
    )


def _report_bulk(request, outcome, done_text: str) -> None:
    if outcome.done:
        messages.success(
            request, f"{done_text} {len(outcome.done)} 份：{'、'.join(r.community.name for r in outcome.done)}。"
        )
    for survey_return, reasons in outcome.skipped:
        messages.warning(request, f"{survey_return.community.name}：未处理，{'；'.join(reasons)}")
    if not outcome.done and not outcome.skipped:
        messages.error(request, "请先勾选要处理的填报。")


@login_required
@require_POST
def submit_many(request):
    year = _year(request)
    outcome = services.returns_submit_many(user=request.user, returns=_chosen_returns(request, year))
    _report_bulk(request, outcome, "已提交")
    return redirect(f"{reverse('returns:workspace')}?year={year}")


@login_required
@require_POST
def approve_many(request):
    if not request.user.has_perm("communities.review_surveyreturn"):
        raise PermissionDenied("只有审核员可以审核。")
    year = _year(request)
    chosen = _chosen_returns(request, year)
    versions = {}
    for survey_return in chosen:
        try:
            versions[survey_return.pk] = int(request.POST.get(f"version_{survey_return.community_id}", ""))
        except ValueError:
            versions[survey_return.pk] = -1
    outcome = services.returns_approve_many(user=request.user, returns=chosen, versions=versions)
    _report_bulk(request, outcome, "已审核通过")
    return redirect(f"{reverse('returns:queue')}?{request.POST.get('query', f'year={year}')}")
