"""Access decided in one place: views and services ask these helpers, never filter by owner inline.

Visibility is the region-code prefix (``RegionScopedQuerySet.for_user``). Who may change a return's survey data
(basics, workers, premises, funding, programs), through the return page and the workbook import alike:

- a clerk: the returns of their street while draft or returned;
- a reviewer: the returns of their county (or city) that are not approved — they correct returns during review,
  and import workbooks for their whole region;
- an administrator: any return that is not approved;
- nobody: an approved (locked) return, until a reviewer reopens it.

The Django admin is apart from this: there, changing survey data is for administrators only (reviewers see and
export their region's rows: ``permissions.ROLE_PERMISSIONS``), and locked rows are read-only too.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import EDITABLE_STATUSES, Community, ReturnStatus, SurveyReturn, User
from .periods import Periods


def can_see_code(user: User, code: str) -> bool:
    """Whether a unit with this code (any level) lies under the user's region."""
    if not user.is_authenticated:
        return False
    scope = user.scope_code
    return scope is not None and code.startswith(scope)


def changeable_statuses(user: User) -> tuple[str, ...]:
    """The statuses in which the user may change a return of their region (the rule above; never approved)."""
    if user.is_clerk:
        return EDITABLE_STATUSES
    return (*EDITABLE_STATUSES, ReturnStatus.SUBMITTED)


def can_change_return(user: User, survey_return: SurveyReturn, periods=None) -> bool:
    """Whether the user may change this return's survey data now (the rule above, and for a clerk the deadline of
    the reporting period on a draft: ``communities.periods``). ``periods``: a ``Periods`` already loaded for the
    year, when the caller asks for many returns."""
    if not (can_see_code(user, survey_return.community_id) and survey_return.status in changeable_statuses(user)):
        return False
    return not held_by_deadline(user, survey_return.community_id, survey_return.year, survey_return.status, periods)


def held_by_deadline(user: User, code: str, year: int, status: str | None, periods=None) -> bool:
    """A clerk's unsubmitted return (or one not started) after its deadline: returned ones stay open."""
    if not user.is_clerk or status not in (None, ReturnStatus.DRAFT):
        return False
    return (periods or Periods(code, year)).holds_drafts(code)


def can_review(user: User, survey_return: SurveyReturn) -> bool:
    return can_see_code(user, survey_return.community_id) and user.has_perm("communities.review_surveyreturn")


def fills_in_returns_of(user: User, code: str) -> bool:
    """Whether the user fills in the returns of this community (the change permission in their region) and does
    not review them: who may withdraw (撤回) a submission; reviewers send back instead."""
    return (
        can_see_code(user, code)
        and user.has_perm("communities.change_surveyreturn")
        and not user.has_perm("communities.review_surveyreturn")
    )


def can_withdraw(user: User, survey_return: SurveyReturn) -> bool:
    """Whether the user may take back this return now: submitted, and nobody has reviewed it yet."""
    return survey_return.status == ReturnStatus.SUBMITTED and fills_in_returns_of(user, survey_return.community_id)


def can_see_id_numbers(user: User) -> bool:
    """Whether the user may see (and filter, search or sort by) full ID-card numbers: administrators only;
    everyone else sees them masked (4206**********1234)."""
    return bool(user.is_authenticated and user.is_administrator)


def get_community_for_user(user: User, code: str) -> Community:
    """The community, or 404 when it does not exist or lies outside the user's region (no hint which)."""
    try:
        return Community.objects.for_user(user).select_related("street").get(code=code)
    except Community.DoesNotExist:
        raise Http404("没有找到该社区，或您无权查看。") from None


def get_return_for_user(user: User, code: str, year: int) -> SurveyReturn:
    try:
        return SurveyReturn.objects.for_user(user).select_related("community__street").get(community_id=code, year=year)
    except SurveyReturn.DoesNotExist:
        raise Http404("没有找到该年度填报，或您无权查看。") from None


DEADLINE_MESSAGE = "{year} 年的填报期已截止，未提交的填报不能再新建或修改；如需补报，请联系审核员为本街道或社区延期。"


class ReturnLocked(PermissionDenied):
    """A return of the user's region that its status keeps them from changing now: not a missing permission, so
    the 403 page (communities.views.permission_denied) says the status and links back to the return."""

    def __init__(self, survey_return: SurveyReturn):
        self.survey_return = survey_return
        if survey_return.status == ReturnStatus.APPROVED:
            message = "该年度填报已审核锁定，须审核员重新打开后才能修改。"
        elif survey_return.status == ReturnStatus.DRAFT:
            message = DEADLINE_MESSAGE.format(year=survey_return.year)
        else:
            message = "该年度填报已提交，正在等待审核，不能再修改；审核员退回后才能修改。"
        super().__init__(message)

    @property
    def heading(self) -> str:
        if self.survey_return.status == ReturnStatus.DRAFT:
            return "填报期已截止"
        return f"该年度填报{self.survey_return.get_status_display()}"


def get_return_for_change(user: User, code: str, year: int) -> SurveyReturn:
    """The return if the user may change it now; 404 outside their region, 403 (ReturnLocked: the status, with a
    link back to the return) when its status keeps this user from changing it."""
    survey_return = get_return_for_user(user, code, year)
    if not can_change_return(user, survey_return):
        raise ReturnLocked(survey_return)
    return survey_return


def can_start_return(user: User, community: Community, year: int | None = None) -> bool:
    """Who may open a new year's return for a community: those who may add returns, in their region (a clerk
    not after the year's deadline)."""
    if not (can_see_code(user, community.code) and user.has_perm("communities.add_surveyreturn")):
        return False
    return year is None or not held_by_deadline(user, community.code, year, None)


def is_community_year_locked(code: str, year: int) -> bool:
    """Whether the return of this community (12-digit code) and year is approved, which locks its rows and its
    own funding allocations. Allocations at street level or above belong to no return and are never locked."""
    if len(code) != 12:
        return False
    return SurveyReturn.objects.filter(community_id=code, year=year, status=ReturnStatus.APPROVED).exists()


def is_row_locked(obj) -> bool:
    """Whether a survey row may not change now, judged from the database (not from values being imported):
    a return that is approved, a row of an approved return, or an allocation of a locked community-year."""
    if isinstance(obj, SurveyReturn):
        return obj.pk is not None and SurveyReturn.objects.filter(pk=obj.pk, status=ReturnStatus.APPROVED).exists()
    if getattr(obj, "survey_return_id", None) is not None:
        return SurveyReturn.objects.filter(pk=obj.survey_return_id, status=ReturnStatus.APPROVED).exists()
    if hasattr(obj, "unit_code") and hasattr(obj, "year"):
        if obj.pk is not None:
            stored = type(obj).objects.filter(pk=obj.pk).values_list("unit_code", "year").first()
            if stored and is_community_year_locked(*stored):
                return True
        return is_community_year_locked(obj.unit_code or "", obj.year or 0)
    return False
