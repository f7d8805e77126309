"""Data entry (workspace, return page) and review (queue, review page, approve / send back / reopen), and the
history page. Access comes from ``communities.access``; writes from ``services``; reads from ``selectors``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities import access, periods
from communities.models import Region, ReturnStatus
from communities.years import default_survey_year
from facilities.forms import PremisesFormSet
from funding.forms import AllocationFormSet
from services.forms import ServiceProgramFormSet
from workforce.forms import WorkerFormSet

from . import changes, comments, progress, quality, selectors, services
from .forms import CommentForm, ReturnBasicsForm, YearForm

WORKSPACE_PAGE_SIZE = 100
QUEUE_PAGE_SIZE = 50
# The queue's status filter: submitted (awaiting review) first, then the others by their labels.
QUEUE_STATUS_CHOICES = [
    (ReturnStatus.SUBMITTED.value, "已提交（待审核）"),
    *((s.value, s.label) for s in (ReturnStatus.RETURNED, ReturnStatus.APPROVED, ReturnStatus.DRAFT)),
]
HISTORY_PAGE_SIZE = 200


def _chosen_year(request) -> int:
    form = YearForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["year"]
    year = default_survey_year(request.user.scope_code)
    if request.GET.get("year"):
        messages.warning(request, f"年度“{request.GET['year']}”无效（应为 2000–2100 之间的年份），已显示 {year} 年。")
    return year


@login_required
@require_GET
def workspace(request):
    year = _chosen_year(request)
    page = Paginator(selectors.workspace_communities(user=request.user), WORKSPACE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    year_periods = periods.Periods(request.user.scope_code, year)
    rows = selectors.workspace_rows(user=request.user, communities=page.object_list, year=year, periods=year_periods)
    this_year = timezone.localdate().year
    years = sorted(set(selectors.available_years(user=request.user)) | {year, this_year - 1, this_year})
    reminders = list(progress.reminders_for(user=request.user, year=year)[:10])
    response = render(
        request,
        "returns/workspace.html",
        {
            "year": year,
            "years": reversed(years),
            "rows": rows,
            "page": page,
            "parts": selectors.PARTS,
            "counts": selectors.status_counts(user=request.user, year=year),
            "communities": page.paginator.count,
            "deadline": year_periods.deadline_for(request.user.scope_code or ""),
            "reminders": reminders,
            "returned": [r for r in rows if r.survey_return and r.survey_return.status == ReturnStatus.RETURNED],
            "can_submit_many": any(r.can_submit for r in rows),
        },
    )
    periods.reminders_mark_read(user=request.user, reminders=[r for r in reminders if not r.read])
    return response


@login_required
@require_POST
def start(request, code: str, year: int):
    community = access.get_community_for_user(request.user, code)
    if not 2000 <= year <= 2100:
        raise PermissionDenied("年度应在 2000–2100 之间。")
    survey_return = services.return_start(community=community, year=year, user=request.user)
    messages.success(request, services.start_message(survey_return))
    return redirect("returns:edit", code=code, year=survey_return.year)


def _row_formsets(survey_return, user, data=None):
    kwargs = {"user": user}
    return {
        "workers": WorkerFormSet(data, instance=survey_return, prefix="workers", **kwargs),
        "premises": PremisesFormSet(data, instance=survey_return, prefix="premises", **kwargs),
        "funding": AllocationFormSet(
            data, prefix="funding", unit_code=survey_return.community_id, year=survey_return.year, **kwargs
        ),
        "programs": ServiceProgramFormSet(data, instance=survey_return, prefix="programs", **kwargs),
    }


def _render_conflict(request, survey_return):
    """Somebody saved the return since this page was read: the page again (409) with what this user typed kept, the
    values saved now beside theirs, and the current version — so that saving again, after a look, is a decision and
    nothing typed is lost. The tables keep the typed rows too, unless the other person deleted a row they show."""
    data = request.POST.copy()
    data["version"] = str(survey_return.version)
    differences = selectors.basics_differences(survey_return, data)
    fresh = _row_formsets(survey_return, request.user)
    rows_kept = selectors.posted_rows_exist(fresh.values(), data)
    formsets = _row_formsets(survey_return, request.user, data) if rows_kept else fresh
    form = ReturnBasicsForm(data, instance=survey_return)
    conflict = {
        "message": str(services.ReturnConflict(survey_return)),
        "differences": differences,
        "rows_kept": rows_kept,
    }
    return _render_edit(request, survey_return, form, formsets, conflict=conflict, status=409)


def _render_edit(request, survey_return, form, formsets, problems=(), status=200, conflict=None):
    return render(
        request,
        "returns/edit.html",
        {
            "survey_return": survey_return,
            "community": survey_return.community,
            "form": form,
            "formsets": formsets,
            "problems": problems,
            "show_id_numbers": access.can_see_id_numbers(request.user),
            "last_change": selectors.last_data_change(survey_return),
            "conflict": conflict,
            "flagged_outliers": [o for o in quality.return_outliers(survey_return) if o.flagged],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, code: str, year: int):
    survey_return = access.get_return_for_change(request.user, code, year)
    if request.method == "GET":
        form = ReturnBasicsForm(instance=survey_return)
        return _render_edit(request, survey_return, form, _row_formsets(survey_return, request.user))

    # The version first: a page read before somebody else's save is a conflict whatever its rows say (a row the
    # other person deleted would otherwise be an invalid hidden id, and a 400 with nothing to correct).
    if _posted_version(request.POST) not in (None, survey_return.version):
        return _render_conflict(request, survey_return)
    form = ReturnBasicsForm(request.POST, instance=survey_return)
    formsets = _row_formsets(survey_return, request.user, request.POST)
    valid = form.is_valid()
    valid = all([fs.is_valid() for fs in formsets.values()]) and valid
    if not valid:
        messages.error(request, "填报内容有误，请按红色提示修改后再保存。")
        return _render_edit(request, survey_return, form, formsets, status=400)
    try:
        services.return_save(
            survey_return=survey_return,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            basics=form.cleaned_data,
            formsets=formsets.values(),
        )
    except services.ReturnConflict:
        return _render_conflict(request, access.get_return_for_change(request.user, code, year))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return _render_edit(request, survey_return, form, formsets, status=400)
    if request.POST.get("action") != "submit":
        messages.success(request, "已保存草稿。")
        return redirect("returns:edit", code=code, year=year)
    return _submit(request, survey_return)


def _posted_version(data) -> int | None:
    """The version the page was read at, or None when it is missing or garbled (the form then says so)."""
    try:
        return int(data.get("version", ""))
    except ValueError:
        return None


def _submit(request, survey_return):
    try:
        services.return_submit(survey_return=survey_return, user=request.user)
    except services.ReturnCheckFailed as failed:
        survey_return.refresh_from_db()
        messages.warning(request, "已保存，但还不能提交：请处理下列问题。")
        form = ReturnBasicsForm(instance=survey_return)
        return _render_edit(
            request, survey_return, form, _row_formsets(survey_return, request.user), problems=failed.problems
        )
    messages.success(request, "已提交，等待审核。")
    return redirect("returns:detail", code=survey_return.community_id, year=survey_return.year)


@login_required
@require_POST
def submit(request, code: str, year: int):
    survey_return = access.get_return_for_change(request.user, code, year)
    return _submit(request, survey_return)


@login_required
@require_GET
def detail(request, code: str, year: int):
    """The return as the reviewer (and the clerk, read-only) sees it: figures against standards and last year."""
    survey_return = access.get_return_for_user(request.user, code, year)
    review = selectors.return_review(survey_return)
    context = {
        "survey_return": survey_return,
        "community": survey_return.community,
        "previous": review.previous,
        "previous_notes": review.previous_notes,
        "rows": selectors.indicator_rows(review.indicators, review.previous_indicators),
        "problems": review.problems,
        "outliers": quality.return_outliers(survey_return),
        "since_approval": changes.changes_since_approval(
            survey_return, show_id_numbers=access.can_see_id_numbers(request.user)
        ),
        "workers": survey_return.workers.all(),
        "premises": survey_return.premises.all(),
        "programs": survey_return.programs.all(),
        "allocations": selectors.return_allocations(survey_return),
        "can_change": access.can_change_return(request.user, survey_return),
        "can_review": access.can_review(request.user, survey_return),
        "can_withdraw": access.can_withdraw(request.user, survey_return),
        "show_id_numbers": access.can_see_id_numbers(request.user),
        "comment_form": CommentForm(initial={"version": survey_return.version}),
        "comments": comments.comments_context(survey_return),
    }
    return render(request, "returns/detail.html", context)


@login_required
@require_GET
def queue(request):
    if not request.user.has_perm("communities.review_surveyreturn"):
        raise PermissionDenied("只有审核员可以查看待审核列表。")
    year_form = YearForm(request.GET)
    if year_form.is_valid():
        year = year_form.cleaned_data["year"]
    elif "year" in request.GET:  # "全部年度"
        year = None
    else:
        year = default_survey_year(request.user.scope_code)
    filters = {
        "street": request.GET.get("street", ""),
        "status": request.GET.get("status", "submitted"),
        "problems": request.GET.get("problems") == "1",
        "search": request.GET.get("q", "")[:50],
        "sort": request.GET.get("sort", "submitted"),
    }
    page = Paginator(selectors.review_queue(user=request.user, year=year, **filters), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    findings = quality.findings_for(page.object_list)
    for survey_return in page:
        survey_return.missing = selectors.missing_labels(survey_return)
        survey_return.findings = findings.get(survey_return.pk)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "returns/queue.html",
        {
            "page": page,
            "year": year,
            "years": selectors.available_years(user=request.user),
            "streets": Region.objects.in_region(request.user.scope_code).streets().order_by("code"),
            "filters": filters,
            "query": query.urlencode(),
            "statuses": [
                ("submitted", "已提交（待审核）"),
                ("returned", "退回"),
                ("approved", "已审核"),
                ("draft", "草稿"),
            ],
            "sorts": [("submitted", "按提交时间"), ("code", "按社区代码"), ("street", "按街道(乡镇)")],
        },
    )


def _review_action(request, code: str, year: int, action, done: str):
    survey_return = access.get_return_for_user(request.user, code, year)
    if not access.can_review(request.user, survey_return):
        raise PermissionDenied("您无权审核该填报。")
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("returns:detail", code=code, year=year)
    try:
        action(
            survey_return=survey_return,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"],
        )
    except services.ReturnCheckFailed as failed:
        messages.error(request, "不能审核通过，该填报有下列问题：" + "；".join(p.message for p in failed.problems))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, done)
        if request.POST.get("next") and action is services.return_approve:
            following = services.next_for_review(user=request.user, year=year, after=code)
            if following is None:
                messages.info(request, f"{year} 年已没有待审核的填报。")
                return redirect(f"{reverse('returns:queue')}?year={year}")
            return redirect("returns:detail", code=following.community_id, year=year)
    return redirect("returns:detail", code=code, year=year)


@login_required
@require_POST
def approve(request, code: str, year: int):
    return _review_action(request, code, year, services.return_approve, "已审核通过，该填报已锁定。")


@login_required
@require_POST
def send_back(request, code: str, year: int):
    return _review_action(request, code, year, services.return_send_back, "已退回填报员修改。")


@login_required
@require_POST
def reopen(request, code: str, year: int):
    return _review_action(request, code, year, services.return_reopen, "已重新打开，填报员可以修改。")


@login_required
@require_POST
def withdraw(request, code: str, year: int):
    survey_return = access.get_return_for_user(request.user, code, year)
    try:
        services.return_withdraw(
            survey_return=survey_return, user=request.user, expected_version=_posted_version(request.POST) or -1
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("returns:detail", code=code, year=year)
    messages.success(request, "已撤回，该填报回到草稿状态，修改后可以重新提交。")
    return redirect("returns:edit", code=code, year=year)


@login_required
@require_GET
def history(request, code: str, year: int):
    survey_return = access.get_return_for_user(request.user, code, year)
    entries = selectors.return_history(survey_return, show_id_numbers=access.can_see_id_numbers(request.user))
    page = Paginator(entries, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "returns/history.html",
        {"survey_return": survey_return, "community": survey_return.community, "entries": page, "page": page},
    )
