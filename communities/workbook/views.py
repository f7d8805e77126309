"""The workbook pages: template and export downloads, upload with preview, confirmation, import history."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.access import can_see_code, can_see_id_numbers
from communities.downloads import as_attachment, file_name
from communities.models import Community, ImportOutcome, Region

from .columns import SHEETS
from .forms import DownloadForm, UploadForm, default_year
from .reader import WorkbookFileError
from .reports import write_changes, write_errors
from .selectors import get_import_record_for_user, import_records_for_user
from .services import (
    STALE_PREVIEW_MESSAGE,
    AlreadyProcessedError,
    StalePreviewError,
    change_summary,
    has_anything_to_import,
    workbook_import,
    workbook_import_confirm,
    workbook_plan_again,
    workbook_record_refused,
)
from .writer import export_filename, masked_workbook, write_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_LIMIT = 200  # communities shown in full in a preview; the counts cover all, the change list download all
ERROR_LIMIT = 1000  # errors listed on the page; all are counted, kept on the record and in the error download


def _scope_or_404(user) -> str:
    scope = user.scope_code
    if scope is None:
        raise Http404("您的账号没有所属区划，请联系管理员。")
    return scope


def _index_context(request, *, upload_form=None, download_form=None) -> dict:
    return {
        "title": "调查表导入导出",
        "upload_form": upload_form or UploadForm(),
        "download_form": download_form or DownloadForm(),
        "sheets": SHEETS,
        "records": list(import_records_for_user(request.user)[:10]),
        "may_choose_region": not request.user.is_clerk,
    }


@login_required
@require_GET
def index(request):
    _scope_or_404(request.user)
    return render(request, "workbook/index.html", _index_context(request))


def _download(request, *, template: bool):
    scope = _scope_or_404(request.user)
    data = request.GET.copy()
    data.setdefault("year", str(default_year()))
    form = DownloadForm(data)
    if not form.is_valid():
        return render(request, "workbook/index.html", _index_context(request, download_form=form), status=400)
    year = form.cleaned_data["year"]
    code = form.cleaned_data["region"] or scope
    if not can_see_code(request.user, code):
        raise Http404("没有找到该区划，或您无权查看。")
    if code == "":
        name = "全部"
    else:
        units = Community.objects if len(code) == 12 else Region.objects
        name = units.filter(code=code).values_list("name", flat=True).first()
        if name is None and not template:  # a blank template for a unit not imported yet is useful; an export is not
            raise Http404("没有找到该区划，或您无权查看。")
        name = name or code
    stream = io.BytesIO()
    write_workbook(
        stream,
        region_code=code,
        year=year,
        data_year=year - 1 if template else year,
        template=template,
        mask_ids=not can_see_id_numbers(request.user),
    )
    stream.seek(0)
    response = FileResponse(stream, content_type=XLSX)
    return as_attachment(response, export_filename(region_name=name, year=year, template=template))


@login_required
@require_GET
def template(request):
    """The template for a year for the user's (or the chosen) region, pre-filled with each community's return of that
    year where it has one (as it is), else with last year's rows."""
    return _download(request, template=True)


@login_required
@require_GET
def export(request):
    """A region's data for a year, in the workbook format (imports back unchanged)."""
    return _download(request, template=False)


@login_required
@require_POST
def upload(request):
    """Check the uploaded workbook without changing anything and show the preview."""
    _scope_or_404(request.user)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        refused = request.FILES.get("file")
        if refused is not None and form.has_error("file"):  # every import is kept, a refused file too
            workbook_record_refused(
                user=request.user,
                year=form.cleaned_data.get("year"),
                name=refused.name,
                size=refused.size,
                reasons=[str(reason) for reason in form.errors["file"]],
            )
        return render(request, "workbook/index.html", _index_context(request, upload_form=form), status=400)
    upload_file = form.cleaned_data["file"]
    result = workbook_import(
        file=upload_file, year=form.cleaned_data["year"], user=request.user, dry_run=True, name=upload_file.name
    )
    if result.file_error:
        form.add_error("file", result.file_error)
        return render(request, "workbook/index.html", _index_context(request, upload_form=form), status=400)
    return render(request, "workbook/preview.html", _preview_context(result.record, result.plan))


def _preview_context(record, plan) -> dict:
    diffs = plan.diffs if plan.ok else []
    return {
        "title": "导入预览",
        "record": record,
        "plan": plan,
        "errors": plan.errors[:ERROR_LIMIT],
        "errors_hidden": max(0, len(plan.errors) - ERROR_LIMIT),
        "error_count": len(plan.errors),
        "notices": plan.notices,
        "warnings": plan.warnings,
        "totals": plan.totals(),
        "diffs": diffs[:PREVIEW_LIMIT],
        "diffs_hidden": max(0, len(diffs) - PREVIEW_LIMIT),
        "communities": len(plan.codes),
        "change_summary": change_summary(plan),
        "may_confirm": plan.ok and has_anything_to_import(plan),
    }


@login_required
@require_POST
def confirm(request, pk: int):
    """Import exactly what the preview showed; if the data changed since, ask for a new preview."""
    record = get_import_record_for_user(request.user, pk)
    if record.user_id != request.user.pk:
        raise PermissionDenied("只能由上传该调查表的人确认导入。")
    try:
        result = workbook_import_confirm(record=record, user=request.user)
    except AlreadyProcessedError as done:  # checked again under the record's lock: a double click lands here
        messages.warning(request, "该调查表已经处理过（" + done.record.get_outcome_display() + "），无需再次确认。")
        return redirect("workbook:detail", pk=record.pk)
    except OSError:
        messages.error(request, "上传的文件已不存在，无法导入：请重新上传并预览。")
        return redirect("workbook:detail", pk=record.pk)
    except StalePreviewError:
        messages.error(request, STALE_PREVIEW_MESSAGE)
        return redirect("workbook:detail", pk=record.pk)
    if result.imported:
        messages.success(request, f"已导入：{change_summary(result.plan)}。")
    else:
        messages.error(request, "导入未完成，未写入任何数据：" + "；".join(str(p) for p in result.errors[:5]))
    return redirect("workbook:detail", pk=record.pk)


@login_required
@require_GET
def history(request):
    page = Paginator(import_records_for_user(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "workbook/history.html", {"title": "导入记录", "page": page})


@login_required
@require_GET
def detail(request, pk: int):
    record = get_import_record_for_user(request.user, pk)
    may_confirm = (
        record.outcome == ImportOutcome.PREVIEWED
        and record.user_id == request.user.pk
        and record.has_changes
        and not record.imported_as
    )
    return render(
        request,
        "workbook/detail.html",
        {
            "title": "导入记录",
            "record": record,
            "may_confirm": may_confirm,
            "sheets": SHEETS,
            "shown_errors": record.errors[:ERROR_LIMIT],
            "errors_hidden": max(0, record.error_count - ERROR_LIMIT),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def download(request, pk: int):
    """The uploaded file: as uploaded for administrators, with the ID numbers masked for everyone else."""
    record = get_import_record_for_user(request.user, pk)
    if not record.file:
        raise Http404("该文件上传时已被拒收，系统没有保存它。")
    try:
        stream = record.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404("该导入记录的文件已不存在。") from None
    if not can_see_id_numbers(request.user):
        # ID numbers in full for administrators only: everyone else gets a copy with them masked.
        with stream:
            data = stream.read()
        try:
            stream = io.BytesIO(masked_workbook(data))
        except WorkbookFileError:
            raise PermissionDenied(
                "该文件无法读取，无法隐藏其中的身份证号：为保护个人信息，只有管理员可以下载原文件。"
            ) from None
    return as_attachment(FileResponse(stream, content_type=XLSX), record.original_name or "调查表.xlsx")


def _stem(record) -> str:
    return (record.original_name or "调查表").rsplit(".", 1)[0]


@login_required
@require_GET
def errors(request, pk: int):
    """Every error the import found (as kept on its record), as a workbook: 工作表, 行, 列, 值, 说明 (only the
    header when it found none)."""
    record = get_import_record_for_user(request.user, pk)
    stream = io.BytesIO()
    write_errors(stream, errors=record.errors, total=record.error_count)
    stream.seek(0)
    return as_attachment(FileResponse(stream, content_type=XLSX), file_name(_stem(record), "错误清单", ext="xlsx"))


@login_required
@require_GET
def changes(request, pk: int):
    """The full list of what a previewed (not yet confirmed) workbook would change, computed anew from its file."""
    record = get_import_record_for_user(request.user, pk)
    if record.outcome != ImportOutcome.PREVIEWED:
        raise Http404("只有已预览、尚未确认的导入才有变化清单。")
    plan, problem = workbook_plan_again(record=record)
    if plan is None:
        raise Http404(problem)
    note = ""
    if plan.digest != record.state_digest:
        note = "注意：预览之后这些社区的数据已有变化，本清单按当前数据重新计算；确认导入前请重新上传并预览。"
    stream = io.BytesIO()
    write_changes(stream, plan=plan, note=note)
    stream.seek(0)
    return as_attachment(FileResponse(stream, content_type=XLSX), file_name(_stem(record), "变化清单", ext="xlsx"))
