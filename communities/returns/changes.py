"""What changed since the last approval (自上次审核通过以来的变化): a return reopened and handed in again, against
its approved version, field by field and row by row — from the history (django-simple-history) as it stood at the
approval. A fixed number of queries: the approval's version of the return, then per table the history up to that
moment and the rows now (four tables)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from communities.models import ReturnStatus, SurveyReturn
from facilities.models import Premises
from funding.models import Allocation
from services.models import ServiceProgram
from workforce.models import Worker

from .selectors import _display, _fields_of, _object_label
from .services import BASIC_FIELDS

COMPARED_BASICS = (*BASIC_FIELDS, "explanation")


@dataclass
class Change:
    part: str  # 基本情况, 社区工作者, …
    what: str  # the row ("张三（4206**********0014）") or "基本情况"
    kind: str  # 修改 | 新增 | 删除
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field, before, after)


@dataclass
class ApprovalDiff:
    approved_at: datetime
    approved_by: object
    changes: list[Change]


def _rows_then(history, at, pk_name: str) -> dict:
    """Each row as it stood at ``at``: its latest history record until then, unless that was its deletion."""
    latest = {}
    for record in history.filter(history_date__lte=at).order_by(pk_name, "history_date", "history_id"):
        latest[getattr(record, pk_name)] = record
    return {pk: record for pk, record in latest.items() if record.history_type != "-"}


def changes_since_approval(survey_return: SurveyReturn, *, show_id_numbers: bool) -> ApprovalDiff | None:
    """The differences between the return now and its last approved version; None when it was never approved or
    is approved now (it is that version)."""
    if survey_return.status == ReturnStatus.APPROVED:
        return None
    approved = (
        SurveyReturn.history.filter(id=survey_return.pk, status=ReturnStatus.APPROVED)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if approved is None:
        return None
    at = approved.history_date
    changes = []
    basics = [
        (
            str(SurveyReturn._meta.get_field(name).verbose_name),
            _display(SurveyReturn, name, getattr(approved, name), show_id_numbers),
            _display(SurveyReturn, name, getattr(survey_return, name), show_id_numbers),
        )
        for name in COMPARED_BASICS
        if getattr(approved, name) != getattr(survey_return, name)
    ]
    if basics:
        changes.append(Change("基本情况", f"{survey_return.year}年基本情况", "修改", basics))
    code, year = survey_return.community_id, survey_return.year
    tables = [
        ("社区工作者", Worker, Worker.history.filter(survey_return_id=survey_return.pk), survey_return.workers.all()),
        (
            "办公服务用房",
            Premises,
            Premises.history.filter(survey_return_id=survey_return.pk),
            survey_return.premises.all(),
        ),
        (
            "经费",
            Allocation,
            Allocation.history.filter(unit_code=code, year=year),
            Allocation.objects.filter(unit_code=code, year=year),
        ),
        (
            "服务项目",
            ServiceProgram,
            ServiceProgram.history.filter(survey_return_id=survey_return.pk),
            survey_return.programs.all(),
        ),
    ]
    for part, model, history, current in tables:
        pk_name = model._meta.pk.attname
        then = _rows_then(history, at, pk_name)
        now = {row.pk: row for row in current.order_by(pk_name)}
        names = _fields_of(model)
        for pk in sorted(set(then) | set(now)):
            before, after = then.get(pk), now.get(pk)
            shown = partial(_shown, model, show_id_numbers=show_id_numbers)
            if before is None:
                values = [(label_of(model, n), "", shown(after, n)) for n in names if shown(after, n) != "（空）"]
                changes.append(Change(part, _object_label(model, after, show_id_numbers), "新增", values))
            elif after is None:
                values = [(label_of(model, n), shown(before, n), "") for n in names if shown(before, n) != "（空）"]
                changes.append(Change(part, _object_label(model, before, show_id_numbers), "删除", values))
            else:
                values = [
                    (label_of(model, n), shown(before, n), shown(after, n))
                    for n in names
                    if shown(before, n) != shown(after, n)
                ]
                if values:
                    changes.append(Change(part, _object_label(model, after, show_id_numbers), "修改", values))
    return ApprovalDiff(at, approved.history_user, changes)


def _shown(model, row, name: str, *, show_id_numbers: bool) -> str:
    return _display(model, name, getattr(row, model._meta.get_field(name).attname), show_id_numbers)


def label_of(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)
