"""Writes of the return workflow: start (pre-filled from last year), save, submit, approve, send back, reopen.

Each is keyword-only and atomic, checks access again (the views check first), calls ``full_clean`` and records
the acting user in the history (``_history_user`` for single rows, ``default_user`` for bulk writes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from communities import code_changes
from communities.access import (
    DEADLINE_MESSAGE,
    can_change_return,
    can_review,
    can_start_return,
    can_withdraw,
    changeable_statuses,
    fills_in_returns_of,
    held_by_deadline,
)
from communities.models import Community, ReturnStatus, SurveyReturn, User
from facilities.models import Premises
from services.models import ServiceProgram
from workforce.models import Worker

from . import carry_over, rules, selectors
from .carry_over import BASIC_FIELDS

DUPLICATE_MESSAGE = "有重复的记录（同名用房或项目、同一身份证号、同一经费来源与用途），请检查后再保存。"


class ReturnConflict(Exception):
    """Somebody else saved the return since this user opened it: nothing was written."""

    def __init__(self, current: SurveyReturn):
        self.current = current
        who = current.updated_by.get_full_name() or current.updated_by.username if current.updated_by else "其他用户"
        when = timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")
        super().__init__(f"该填报已被 {who} 于 {when} 修改，您的修改没有保存。请查看最新内容后重新修改。")


STALE_REVIEW_MESSAGE = "该填报在您打开后已被修改，请刷新后重新审核。"


def returns_lock_at_versions(*, read_at: dict[int, int], return_ids: Iterable[int]) -> None:
    """The return page's conflict rule for other writers (the admin's change forms): lock these returns until the
    end of the caller's transaction and raise ``ReturnConflict`` when any was saved since it was read at the
    version in ``read_at`` (a return missing from ``read_at`` did not exist then, or was not this row's)."""
    ids = set(read_at) | {pk for pk in return_ids if pk is not None}
    if not ids:
        return
    current = dict(
        SurveyReturn.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", "version")
    )
    for pk in sorted(current):
        if read_at.get(pk) != current[pk]:
            raise ReturnConflict(SurveyReturn.objects.select_related("updated_by").get(pk=pk))


class ReturnCheckFailed(ValidationError):
    """The submission rules found problems that block it; ``problems`` lists them all."""

    def __init__(self, problems: list[rules.Problem]):
        self.problems = problems
        super().__init__([p.message for p in problems], code="return_rules")


def _deny_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _locked_for_update(survey_return: SurveyReturn) -> SurveyReturn:
    return SurveyReturn.objects.select_for_update().select_related("community").get(pk=survey_return.pk)


def _save_return(survey_return: SurveyReturn, user: User) -> None:
    """Save a return read under ``select_for_update``: a new version, the acting user, the history row."""
    survey_return.version += 1
    survey_return.updated_by = user
    survey_return.full_clean()
    survey_return._history_user = user
    survey_return.save()


@dataclass(frozen=True)
class CarriedOver:
    """What ``return_start`` copied into a new return: the year it came from and the rows of each kind."""

    year: int
    workers: int = 0
    premises: int = 0
    programs: int = 0
    split: bool = False  # the basics of the whole unit this community was split from, and no rows
    notes: tuple[str, ...] = ()  # what the rows came from when the code changed (code_changes.Lineage.notes)


@transaction.atomic
def return_start(*, community: Community, year: int, user: User) -> SurveyReturn:
    """The community's return for ``year``, created if missing and pre-filled from its latest earlier return:
    the basics, the workers still in post at the end of that year, the premises and the service programs.
    Funding is not copied: money is budgeted anew each year. A return created here carries ``carried_over``
    (a CarriedOver, or None when there was no earlier return); an existing one does not have the attribute."""
    _deny_unless(can_start_return(user, community), "您无权为该社区新建年度填报。")
    existing = SurveyReturn.objects.filter(community=community, year=year).first()
    if existing:
        return existing
    _deny_unless(can_start_return(user, community, year), DEADLINE_MESSAGE.format(year=year))
    retired = code_changes.retirement(community.code, year)  # merged, split or re-coded by then: not reported
    _deny_unless(retired is None, retired.message if retired else "")
    survey_return = SurveyReturn(community=community, year=year, updated_by=user)
    # The latest earlier returns that stand for the community: its own, or those merged into it, its old code's…
    plan = carry_over.carry_plan(code_changes.earlier_returns(community.code, year))
    for name, value in (plan.basics or {}).items():
        setattr(survey_return, name, value)
    survey_return.full_clean()
    survey_return._history_user = user
    try:
        with transaction.atomic():
            survey_return.save()
    except IntegrityError:  # somebody started it at the same moment
        return SurveyReturn.objects.get(community=community, year=year)
    survey_return.carried_over = _copy_rows(plan, survey_return, user) if plan.year else None
    survey_return.carried_notes = plan.notes
    return survey_return


def start_message(survey_return: SurveyReturn) -> str:
    """What the clerk is told on opening a return: what was carried over from which year, and what is to be
    entered anew (funding, every year)."""
    name, year = survey_return.community.name, survey_return.year
    if not hasattr(survey_return, "carried_over"):
        return f"已打开 {name} {year} 年的填报。"
    carried = survey_return.carried_over
    notes = "".join(getattr(survey_return, "carried_notes", ()))
    if carried is None:
        return f"已新建 {name} {year} 年的填报：没有以前年度的数据可以沿用，请逐项填写。" + notes
    if carried.split:
        return (
            f"已新建 {name} {year} 年的填报：{notes}基本情况预填的是拆分前 {carried.year} 年的整体数据，"
            f"请按拆分后本社区的实际情况修改；社区工作者、办公服务用房、服务项目无法按拆分后的社区区分，请逐项填写；"
            f"经费不沿用，请按 {year} 年的预算和到位情况填写。"
        )
    rows = [
        f"{label}{count}{unit}"
        for label, count, unit in (
            ("在职社区工作者", carried.workers, "人"),
            ("办公服务用房", carried.premises, "处"),
            ("服务项目", carried.programs, "项"),
        )
        if count
    ]
    return (
        f"已新建 {name} {year} 年的填报，沿用了 {carried.year} 年的基本情况"
        + ("、" + "、".join(rows) if rows else "")
        + f"，请按 {year} 年的实际情况核对修改；经费不沿用，请按 {year} 年的预算和到位情况填写。"
        + (f"（{notes.rstrip('。')}。）" if notes else "")
    )


def _copy_rows(plan: carry_over.CarryPlan, target: SurveyReturn, user: User) -> CarriedOver:
    """Copy the rows of ``plan.sources`` (one return, or every return merged) into ``target``: a second row of the
    same name gets its old community's name, the same person is copied once."""
    sources = {r.pk: r for r in plan.sources}

    def copies(queryset, model):
        rows, taken, people = [], set(), set()
        max_length = model._meta.get_field("name").max_length
        order = {pk: index for index, pk in enumerate(sources)}  # the community's own rows first
        for row in sorted(queryset, key=lambda r: (order[r.survey_return_id], r.pk)):
            values = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if not f.primary_key}
            if model is Worker:
                if carry_over.person_key(row) in people:
                    continue
                people.add(carry_over.person_key(row))
            else:
                old_name = sources[row.survey_return_id].community.name
                values["name"] = carry_over.distinct_name(row.name, taken, old_name, max_length)
                taken.add(values["name"])
            values["survey_return_id"] = target.pk
            rows.append(model(**values))
        return rows

    ids = list(sources)
    in_post = Worker.objects.filter(survey_return_id__in=ids).in_post()
    counts = {}
    for key, model, queryset in (
        ("workers", Worker, in_post),
        ("premises", Premises, Premises.objects.filter(survey_return_id__in=ids)),
        ("programs", ServiceProgram, ServiceProgram.objects.filter(survey_return_id__in=ids)),
    ):
        rows = copies(queryset, model) if ids else []
        if rows:
            bulk_create_with_history(rows, model, default_user=user)
        counts[key] = len(rows)
    return CarriedOver(year=plan.year, split=plan.split, notes=tuple(plan.notes), **counts)


def _save_formset(formset, user: User) -> None:
    """Save an already-validated model formset, recording the user on every row's history."""
    rows = formset.save(commit=False)
    for row in formset.deleted_objects:
        row._history_user = user
        row.delete()
    for row in rows:
        row._history_user = user
        row.save()


@transaction.atomic
def return_save(
    *,
    survey_return: SurveyReturn,
    user: User,
    expected_version: int,
    basics: dict,
    formsets: Iterable = (),
) -> SurveyReturn:
    """Save the basics and the validated formsets of a return, if nobody saved it since ``expected_version``.

    The version check is a single conditional UPDATE, so of two people saving at once exactly one wins and the
    other gets ``ReturnConflict`` with nothing written (the whole transaction rolls back)."""
    _deny_unless(can_change_return(user, survey_return), "该年度填报当前状态不允许修改（已提交或已审核）。")
    code_changes.refuse_retired(survey_return.community_id, survey_return.year)
    claimed = SurveyReturn.objects.filter(
        pk=survey_return.pk, version=expected_version, status__in=changeable_statuses(user)
    ).update(version=expected_version + 1)
    if not claimed:
        current = SurveyReturn.objects.select_related("updated_by").get(pk=survey_return.pk)
        if current.version == expected_version:  # the status changed under us (submitted or approved)
            raise PermissionDenied("该年度填报的状态已变更（已提交或已审核），您的修改没有保存。")
        raise ReturnConflict(current)
    for name, value in basics.items():
        if name in BASIC_FIELDS or name == "explanation":
            setattr(survey_return, name, value)
    survey_return.version = expected_version + 1
    survey_return.updated_by = user
    survey_return.full_clean()
    survey_return._history_user = user
    try:
        with transaction.atomic():
            survey_return.save()
            for formset in formsets:
                _save_formset(formset, user)
    except IntegrityError as error:
        raise ValidationError(DUPLICATE_MESSAGE) from error
    return survey_return


def returns_mark_changed(*, return_ids: Iterable[int | None], user: User | None) -> int:
    """Record that survey data of these returns changed outside the return page (the admin's forms, deletes and
    imports): a new version, so that a return page opened before the change is a conflict on save, and the last
    change and who made it for the workspace. Runs in the caller's transaction; one UPDATE, whatever the count."""
    ids = {pk for pk in return_ids if pk is not None}
    if not ids:
        return 0
    changes = {"version": F("version") + 1, "updated_at": timezone.now()}
    if user is not None and user.is_authenticated:
        changes["updated_by"] = user
    return SurveyReturn.objects.filter(pk__in=ids).update(**changes)


@transaction.atomic
def return_submit(*, survey_return: SurveyReturn, user: User) -> SurveyReturn:
    survey_return = _locked_for_update(survey_return)
    _deny_unless(survey_return.is_editable, "只有草稿或退回状态的填报可以提交。")
    _deny_unless(
        can_change_return(user, survey_return),
        DEADLINE_MESSAGE.format(year=survey_return.year)
        if held_by_deadline(user, survey_return.community_id, survey_return.year, survey_return.status)
        else "您无权提交该填报。",
    )
    blocking = selectors.return_review(survey_return).blocking
    if blocking:
        raise ReturnCheckFailed(blocking)
    survey_return.status = ReturnStatus.SUBMITTED
    survey_return.submitted_at = timezone.now()
    survey_return.first_submitted_at = survey_return.first_submitted_at or survey_return.submitted_at
    survey_return.submitted_by = user
    _save_return(survey_return, user)
    return survey_return


@transaction.atomic
def return_withdraw(*, survey_return: SurveyReturn, user: User, expected_version: int) -> SurveyReturn:
    """The clerk takes back a submitted return that no reviewer has acted on yet: it is a draft again."""
    _deny_unless(
        fills_in_returns_of(user, survey_return.community_id),
        "只有填报员可以撤回已提交的填报（审核员请用“退回修改”）。",
    )
    survey_return = _locked_for_update(survey_return)
    if survey_return.version != expected_version:
        raise ValidationError("该填报在您打开后已有变化（可能已被审核或退回），请刷新页面后再操作。", code="stale")
    if not can_withdraw(user, survey_return):
        raise ValidationError("只有已提交、尚未审核的填报可以撤回。", code="status")
    survey_return.status = ReturnStatus.DRAFT
    survey_return.submitted_at = None
    survey_return.first_submitted_at = None
    survey_return.submitted_by = None
    _save_return(survey_return, user)
    return survey_return


def next_for_review(*, user: User, year: int, after: str) -> SurveyReturn | None:
    """The next submitted return of the user's region for the year after community ``after``, in code order (then
    from the start): where "审核并打开下一份" goes."""
    queryset = SurveyReturn.objects.for_user(user).for_year(year).filter(status=ReturnStatus.SUBMITTED)
    return (
        queryset.filter(community_id__gt=after).order_by("community_id").first()
        or queryset.exclude(community_id=after).order_by("community_id").first()
    )


def _review_transition(
    survey_return: SurveyReturn, user: User, *, expected_version: int, from_status: str, message: str
) -> SurveyReturn:
    """The return locked for the review action, if the reviewer may act on it, it is in ``from_status`` and nobody
    changed it since the reviewer's page read it at ``expected_version``."""
    survey_return = _locked_for_update(survey_return)
    _deny_unless(can_review(user, survey_return), "您无权审核该填报。")
    # A page read before somebody else's change (sent back, corrected) says so first: "refresh" is what helps.
    if survey_return.version != expected_version:
        raise ValidationError(STALE_REVIEW_MESSAGE, code="stale")
    if survey_return.status != from_status:
        raise ValidationError(message, code="status")
    return survey_return


@transaction.atomic
def return_approve(
    *, survey_return: SurveyReturn, user: User, expected_version: int, comment: str = ""
) -> SurveyReturn:
    """Approve (and so lock) a submitted return as the reviewer saw it, if it still passes the submission rules:
    a reviewer may have corrected it since it was submitted (``access.changeable_statuses``)."""
    survey_return = _review_transition(
        survey_return,
        user,
        expected_version=expected_version,
        from_status=ReturnStatus.SUBMITTED,
        message="只有已提交的填报可以审核通过。",
    )
    blocking = selectors.return_review(survey_return).blocking
    if blocking:
        raise ReturnCheckFailed(blocking)
    survey_return.status = ReturnStatus.APPROVED
    survey_return.reviewed_at = timezone.now()
    survey_return.reviewed_by = user
    if comment.strip():
        survey_return.review_comment = comment.strip()
    _save_return(survey_return, user)
    return survey_return


def _back_to_clerk(
    survey_return: SurveyReturn,
    user: User,
    *,
    expected_version: int,
    comment: str,
    from_status: str,
    messages: tuple,
):
    """Send a return back to the clerk (status returned) with the reviewer's comment, which is required."""
    missing_comment, wrong_status = messages
    if not comment.strip():
        raise ValidationError({"comment": missing_comment})
    survey_return = _review_transition(
        survey_return, user, expected_version=expected_version, from_status=from_status, message=wrong_status
    )
    survey_return.status = ReturnStatus.RETURNED
    survey_return.reviewed_at = timezone.now()
    survey_return.reviewed_by = user
    survey_return.review_comment = comment.strip()
    _save_return(survey_return, user)
    return survey_return


@transaction.atomic
def return_send_back(*, survey_return: SurveyReturn, user: User, expected_version: int, comment: str) -> SurveyReturn:
    return _back_to_clerk(
        survey_return,
        user,
        expected_version=expected_version,
        comment=comment,
        from_status=ReturnStatus.SUBMITTED,
        messages=("退回时请填写审核意见，说明需要修改的内容。", "只有已提交的填报可以退回。"),
    )


@transaction.atomic
def return_reopen(*, survey_return: SurveyReturn, user: User, expected_version: int, comment: str) -> SurveyReturn:
    """Unlock an approved return: it goes back to the clerk as returned, with the reason."""
    return _back_to_clerk(
        survey_return,
        user,
        expected_version=expected_version,
        comment=comment,
        from_status=ReturnStatus.APPROVED,
        messages=("重新打开时请填写原因。", "只有已审核的填报可以重新打开。"),
    )


# ----- bulk actions -----------------------------------------------------------------------------------------------


@dataclass
class BulkOutcome:
    """What a bulk action did: the returns it changed, and those it left as they were with the reasons."""

    done: list[SurveyReturn] = field(default_factory=list)
    skipped: list[tuple[SurveyReturn, list[str]]] = field(default_factory=list)


def _each(returns: Iterable[SurveyReturn], act) -> BulkOutcome:
    """Apply ``act`` to each return in its own transaction: a return that fails a rule, has changed or may not be
    changed is left exactly as it was, and listed with the reason; the others go through."""
    outcome = BulkOutcome()
    for survey_return in returns:
        try:
            with transaction.atomic():
                outcome.done.append(act(survey_return))
        except ReturnCheckFailed as failed:
            outcome.skipped.append((survey_return, [p.message for p in failed.problems]))
        except (PermissionDenied, ValidationError) as error:
            reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
            outcome.skipped.append((survey_return, reasons))
    return outcome


def returns_submit_many(*, user: User, returns: Iterable[SurveyReturn]) -> BulkOutcome:
    """Submit every return that passes the submission rules (after an import, say); list the others."""
    return _each(returns, lambda r: return_submit(survey_return=r, user=user))


def returns_approve_many(*, user: User, returns: Iterable[SurveyReturn], versions: dict[int, int]) -> BulkOutcome:
    """Approve every submitted return that passes every rule and is as the reviewer's list showed it
    (``versions``: return id -> the version listed); list the others with why."""
    return _each(
        returns,
        lambda r: return_approve(survey_return=r, user=user, expected_version=versions.get(r.pk, -1)),
    )
