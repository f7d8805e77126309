"""Reads for data entry and review: the workspace, the review queue, a return's figures and its history.

Every list is a fixed number of queries whatever the number of communities: completeness is computed with
``Exists`` subqueries, figures with aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from communities import access, code_changes
from communities.dashboard.changes import change_state
from communities.dashboard.one_community import for_one_community
from communities.dashboard.page import indicator_text, standard_shown, verdict_of
from communities.dashboard.tables import format_cell
from communities.figures import figures_of
from communities.indicator_engine import compute_indicators
from communities.models import Community, FollowUp, FollowUpKind, ReturnStatus, SurveyReturn, User
from communities.periods import Periods
from communities.standards import standards_for
from communities.validation import rules_for
from facilities.models import Premises
from funding.models import Allocation
from services.models import ServiceProgram
from workforce.models import Worker
from workforce.validators import mask_id_number

from . import rules

# The parts of a return, in the order of the return page; the keys are the annotations of ``with_completeness``.
PARTS = (
    ("has_basics", "基本情况"),
    ("has_workers", "社区工作者"),
    ("has_premises", "办公服务用房"),
    ("has_funding", "经费"),
    ("has_programs", "服务项目"),
)


def with_completeness(queryset):
    """Annotate returns with one boolean per part: is anything filled in?"""
    return queryset.annotate(
        has_basics=Q(households__gt=0, population__gt=0),
        has_workers=Exists(Worker.objects.filter(survey_return=OuterRef("pk"))),
        has_premises=Exists(Premises.objects.filter(survey_return=OuterRef("pk"))),
        has_funding=Exists(Allocation.objects.filter(unit_code=OuterRef("community_id"), year=OuterRef("year"))),
        has_programs=Exists(ServiceProgram.objects.filter(survey_return=OuterRef("pk"))),
    )


def parts_of(survey_return: SurveyReturn) -> list[tuple[str, bool]]:
    return [(label, bool(getattr(survey_return, key))) for key, label in PARTS]


@dataclass
class WorkspaceRow:
    community: Community
    survey_return: SurveyReturn | None
    parts: list[tuple[str, bool]] = field(default_factory=list)
    has_previous: bool = False
    can_submit: bool = False  # the user may submit it now (offered in the bulk submit)
    can_start: bool = False
    retired: object = None  # code_changes.Retirement: the code no longer reports this year (merged, split, re-coded)


def workspace_communities(*, user: User):
    """The communities the user may see, in code order (the workspace pages through them)."""
    return Community.objects.for_user(user).select_related("street").order_by("code")


def workspace_rows(*, user: User, communities, year: int, periods: Periods | None = None) -> list[WorkspaceRow]:
    """One row per community of ``communities`` (a page of them): its return for the year, if any, and completeness.

    Queries: the returns of these communities for the year (with completeness and last editor), the codes
    that have an earlier return, the year's periods (two) and the code changes that retired a community without a
    return (one) — five, whatever the number of communities.
    """
    communities = list(communities)
    codes = [c.code for c in communities]
    returns = {
        r.community_id: r
        for r in with_completeness(
            SurveyReturn.objects.for_user(user).filter(community_id__in=codes, year=year).select_related("updated_by")
        )
    }
    with_previous = set(
        SurveyReturn.objects.filter(community_id__in=codes, year__lt=year).values_list("community_id", flat=True)
    )
    periods = periods or Periods(user.scope_code, year)
    may_add = user.has_perm("communities.add_surveyreturn")
    retired = code_changes.retired_codes([c for c in codes if c not in returns], year)
    rows = []
    for community in communities:
        survey_return = returns.get(community.code)
        rows.append(
            WorkspaceRow(
                community=community,
                survey_return=survey_return,
                parts=parts_of(survey_return) if survey_return else [],
                has_previous=community.code in with_previous,
                can_submit=bool(
                    survey_return
                    and survey_return.is_editable
                    and access.can_change_return(user, survey_return, periods)
                ),
                can_start=survey_return is None
                and may_add
                and community.code not in retired
                and not access.held_by_deadline(user, community.code, year, None, periods),
                retired=retired.get(community.code),
            )
        )
    return rows


def status_counts(*, user: User, year: int) -> list[tuple[str, int]]:
    """How many of the user's returns for the year are in each state (one GROUP BY query), in workflow order."""
    counts = dict(
        SurveyReturn.objects.for_user(user).for_year(year).order_by().values_list("status").annotate(n=Count("id"))
    )
    return [(status.label, counts.get(status.value, 0)) for status in ReturnStatus]


def available_years(*, user: User) -> list[int]:
    return list(SurveyReturn.objects.for_user(user).order_by("-year").values_list("year", flat=True).distinct())


QUEUE_SORTS = {
    "submitted": ("submitted_at", "community_id"),
    "code": ("community_id",),
    "street": ("community__street__name", "community_id"),
}


def review_queue(
    *,
    user: User,
    year: int | None = None,
    street: str = "",
    status: str = "submitted",
    problems: bool = False,
    search: str = "",
    sort: str = "submitted",
):
    """Returns in the user's region for review: submitted ones by default, oldest submission first; filtered by
    street, status, "has problems" (a validation rule finds something — a required part missing is one —, or a
    change explained in 填报说明) and a name or code. One query for a page, whatever the number of communities
    (the "has problems" filter adds a fixed number: ``quality.region_findings`` per year)."""
    if status not in ReturnStatus.values:
        status = ReturnStatus.SUBMITTED
    queryset = SurveyReturn.objects.for_user(user).filter(status=status)
    if year:
        queryset = queryset.filter(year=year)
    if street:
        queryset = queryset.filter(community__code__startswith=street)
    if search.strip():
        term = search.strip()
        queryset = queryset.filter(Q(community__name__contains=term) | Q(community__code__startswith=term))
    queryset = with_completeness(queryset.select_related("community__street", "submitted_by"))
    if problems:  # a validation rule finds something (a missing part is a rule), or a change is explained
        from .quality import flagged_return_ids

        region = street or user.scope_code or ""
        years = [year] if year else available_years(user=user)
        queryset = queryset.filter(Q(pk__in=flagged_return_ids(region_code=region, years=years)) | ~Q(explanation=""))
    return queryset.order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS["submitted"]))


def missing_labels(survey_return: SurveyReturn) -> list[str]:
    """The required parts a queued return lacks, by name (from its completeness annotations)."""
    return [label for key, label in PARTS if key != "has_programs" and not getattr(survey_return, key)]


def basics_differences(survey_return: SurveyReturn, data) -> list[tuple[str, str, str]]:
    """(label, what the page posted, what is saved now) for each basic field where they differ: what a conflict
    shows beside the kept input."""
    from .services import BASIC_FIELDS

    differences = []
    for name in (*BASIC_FIELDS, "explanation"):
        saved = getattr(survey_return, name)
        saved_text = "" if saved is None else str(saved)
        posted = (data.get(name) or "").strip()
        if posted != saved_text.strip():
            label = str(SurveyReturn._meta.get_field(name).verbose_name)
            differences.append((label, posted or "（空）", saved_text or "（空）"))
    return differences


def posted_rows_exist(formsets, data) -> bool:
    """Whether every saved row a posted page names (its hidden ids) still exists in the formsets' rows now."""
    for formset in formsets:
        existing = {str(pk) for pk in formset.get_queryset().values_list("pk", flat=True)}
        pk_name = formset.model._meta.pk.name
        posted = {
            value
            for key, value in data.items()
            if key.startswith(f"{formset.prefix}-") and key.endswith(f"-{pk_name}") and value
        }
        if not posted <= existing:
            return False
    return True


def return_allocations(survey_return: SurveyReturn):
    """The community's own allocations for the return's year (unit_code = the community's code)."""
    return Allocation.objects.filter(unit_code=survey_return.community_id, year=survey_return.year)


# ----- figures of one return ------------------------------------------------------------------------------------


def return_indicators(survey_return: SurveyReturn) -> dict[str, dict]:
    """The indicators of the return's community and year, from the indicator engine (a fixed number of queries)."""
    return compute_indicators(region_code=survey_return.community_id, year=survey_return.year)


def rule_figures(indicators: dict[str, dict]) -> dict[str, Decimal | None]:
    """The figures the validation rules look at (``communities/figures.py``), from one community's indicators."""
    return figures_of(indicators)


def accepted_rule_keys(return_id: int) -> set[str]:
    """The keys of the rules whose finding in this return a reviewer marked done (one query)."""
    return set(
        FollowUp.objects.filter(survey_return_id=return_id, kind=FollowUpKind.RULE, done=True).values_list(
            "key", flat=True
        )
    )


@dataclass
class ReturnReview:
    indicators: dict[str, dict]
    previous: SurveyReturn | None
    previous_indicators: dict[str, dict] | None
    problems: list  # every rules.Problem found
    blocking: list  # those that stop a submission
    # What last year's figures are when the code changed ("2024年数据含2025年并入的东关社区（…）").
    previous_notes: list[str] = field(default_factory=list)


def return_review(survey_return: SurveyReturn) -> ReturnReview:
    """The return's indicators, last year's, and what the validation rules in force for the community find (with
    the explanation given, and the findings a reviewer accepted on the follow-up list). Queries: the indicators
    twice, the previous return, the rules (one), the accepted findings (one), the standards (one, only when a rule
    compares with a standard)."""
    indicators = return_indicators(survey_return)
    # Last year's figures follow the code changes: a community that others were merged into is compared with
    # all of them together; after a split the figures are the whole unit's, shown but not checked for jumps.
    earlier = code_changes.earlier_returns(survey_return.community_id, survey_return.year)
    previous = earlier.returns[0] if earlier.returns else None
    previous_indicators = None
    if earlier.followed:
        previous_indicators = compute_indicators(
            region_code=survey_return.community_id, year=earlier.year, codes=earlier.codes
        )
    elif previous:
        previous_indicators = return_indicators(previous)
    code = survey_return.community_id
    ruleset = rules_for(region_code=code).for_code(code)
    standards = []

    def standard(key: str):
        if not standards:
            standards.append(standards_for(region_code=code, year=survey_return.year))
        return standards[0].value(key)

    problems, blocking = rules.check_return(
        figures=rule_figures(indicators),
        previous=rule_figures(previous_indicators) if previous_indicators and earlier.comparable else None,
        explanation=survey_return.explanation,
        previous_year=previous.year if previous else None,
        rules=ruleset,
        standard=standard,
        accepted=accepted_rule_keys(survey_return.pk),
    )
    retired = code_changes.retirement(survey_return.community_id, survey_return.year)
    if retired is not None:  # a return of a code that no longer exists in its year: never submitted or approved
        problem = rules.Problem("retired_code", retired.message)
        problems, blocking = [problem, *problems], [problem, *blocking]
    return ReturnReview(indicators, previous, previous_indicators, problems, blocking, earlier.notes)


@dataclass
class IndicatorRow:
    label: str
    unit: str
    kind: str
    value: object
    previous: object
    change: float | None  # fraction, None when there is no base
    standard: dict | None
    passes: bool | None
    # As the dashboard shows them (its formatting: rounded half up, separators, rates in %, money in 万元).
    text: str = ""
    previous_text: str = ""
    change_text: str = ""
    standard_text: str = ""
    change_state: str = ""  # good, bad or neutral news (communities/dashboard/changes.py)


def indicator_rows(indicators: dict[str, dict], previous: dict[str, dict] | None) -> list[IndicatorRow]:
    """One row per (non-breakdown) indicator that means something for one community (``for_one_community``): this
    year, last year, the change, the standard and the verdict."""
    indicators = for_one_community(indicators)
    previous = for_one_community(previous) if previous else None
    rows = []
    for key, item in indicators.items():
        if item["kind"] == "breakdown":
            continue
        before = previous.get(key, {}).get("value") if previous else None
        now = item["value"]
        change = None
        if item["kind"] == "number" and isinstance(before, int | float) and before and now is not None:
            change = (now - before) / before
        rows.append(
            IndicatorRow(
                item["label"],
                item["unit"],
                item["kind"],
                now,
                before,
                change,
                item["standard"],
                verdict_of(item),
                text=indicator_text(item),
                previous_text=indicator_text({**item, "value": before}),
                change_text="—" if change is None else ("+" if change > 0 else "") + format_cell(change, "rate"),
                standard_text=standard_shown(item)[0],
                change_state=change_state(key, change),
            )
        )
    return rows


# ----- history ----------------------------------------------------------------------------------------------------

# Bookkeeping fields left out of the history page: the row itself records who and when.
HISTORY_EXCLUDED = [
    "id",
    "survey_return",
    "community",
    "version",
    "updated_at",
    "updated_by",
    "submitted_by",
    "first_submitted_at",
    "reviewed_by",
]
HISTORY_TYPES = {"+": "新增", "~": "修改", "-": "删除"}

# A save of a return that changes its status and nothing but these fields is a step of the review workflow (the
# services' submit, withdraw, approve, send back, reopen), not an edit of its data: the history names the step, and
# "最后修改" on the return page passes over it.
REVIEW_FIELDS = frozenset(
    {"status", "review_comment", "submitted_at", "first_submitted_at", "submitted_by", "reviewed_at", "reviewed_by"}
    | {"version", "updated_at", "updated_by"}
)
REVIEW_ACTIONS = {
    (ReturnStatus.DRAFT, ReturnStatus.SUBMITTED): "提交审核",
    (ReturnStatus.RETURNED, ReturnStatus.SUBMITTED): "提交审核",
    (ReturnStatus.SUBMITTED, ReturnStatus.DRAFT): "撤回",
    (ReturnStatus.SUBMITTED, ReturnStatus.RETURNED): "退回修改",
    (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED): "审核通过",
    (ReturnStatus.APPROVED, ReturnStatus.RETURNED): "重新打开",
}
STATUS_CHANGED = "变更状态"  # a status change outside the workflow's steps (an administrator's import)
DATA_KINDS = frozenset(HISTORY_TYPES.values())


@dataclass
class HistoryEntry:
    when: datetime
    user: User | None
    kind: str  # 新增, 修改, 删除 (a change of data) or a review step (REVIEW_ACTIONS)
    model_label: str
    object_label: str
    changes: list[tuple[str, str, str]]

    @property
    def changes_data(self) -> bool:
        return self.kind in DATA_KINDS


def _review_action(model, delta) -> str | None:
    """The review step a return's save was, when it changed the status and no data (``REVIEW_FIELDS``)."""
    changed = {c.field: c for c in delta.changes}
    if model is not SurveyReturn or "status" not in changed or not changed.keys() <= REVIEW_FIELDS:
        return None
    status = changed["status"]
    return REVIEW_ACTIONS.get((status.old, status.new), STATUS_CHANGED)


def _display(model, field_name: str, value, show_id_numbers: bool) -> str:
    if value is None or value == "":
        return "（空）"
    if field_name == "id_number" and not show_id_numbers:
        return mask_id_number(value)
    model_field = model._meta.get_field(field_name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):  # stored in UTC: shown in local time (Asia/Shanghai), like the rest of the page
        return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _object_label(model, record, show_id_numbers: bool) -> str:
    if model is Community:
        return f"{record.name}（{record.code}）"
    if model is SurveyReturn:
        return f"{record.year}年基本情况"
    if model is Allocation:
        return f"{_display(model, 'source', record.source, True)} · {_display(model, 'use', record.use, True)}"
    if model is Worker and record.id_number:
        return f"{record.name}（{_display(model, 'id_number', record.id_number, show_id_numbers)}）"
    return record.name


def _fields_of(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.name not in HISTORY_EXCLUDED and not f.primary_key]


def _value_of(model, record, name: str):
    """A field's value in a history record; a foreign key's raw key (as ``diff_against`` gives it), not a query."""
    return getattr(record, model._meta.get_field(name).attname)


def return_history(survey_return: SurveyReturn, *, show_id_numbers: bool) -> list[HistoryEntry]:
    """Every recorded change of the return, its workers, premises, programs and its own funding allocations, and
    of its community itself (name, type: any year's, since a community has no year), newest first. One query per
    model (six), each with the acting user joined."""
    sources = [
        (Community, Community.history.filter(code=survey_return.community_id)),
        (SurveyReturn, SurveyReturn.history.filter(id=survey_return.pk)),
        (Worker, Worker.history.filter(survey_return_id=survey_return.pk)),
        (Premises, Premises.history.filter(survey_return_id=survey_return.pk)),
        (Allocation, Allocation.history.filter(unit_code=survey_return.community_id, year=survey_return.year)),
        (ServiceProgram, ServiceProgram.history.filter(survey_return_id=survey_return.pk)),
    ]
    entries: list[HistoryEntry] = []
    for model, history in sources:
        fields = _fields_of(model)
        pk_name = model._meta.pk.attname
        previous_by_id = {}
        for record in history.select_related("history_user").order_by(pk_name, "history_date", "history_id"):
            before = previous_by_id.get(getattr(record, pk_name))
            kind = HISTORY_TYPES.get(record.history_type, record.history_type)
            if record.history_type == "~" and before is not None:
                delta = record.diff_against(before)
                kind = _review_action(model, delta) or kind
                changes = [
                    (
                        str(model._meta.get_field(c.field).verbose_name),
                        _display(model, c.field, c.old, show_id_numbers),
                        _display(model, c.field, c.new, show_id_numbers),
                    )
                    for c in delta.changes
                    if c.field in fields
                ]
            else:  # an addition shows the new values, a deletion the last ones
                values = [
                    (str(model._meta.get_field(name).verbose_name), _display(model, name, value, show_id_numbers))
                    for name in fields
                    if (value := _value_of(model, record, name)) not in (None, "")
                ]
                deleted = record.history_type == "-"
                changes = [(label, text if deleted else "", "" if deleted else text) for label, text in values]
            previous_by_id[getattr(record, pk_name)] = record
            if record.history_type == "~" and before is not None and not changes:
                continue  # a save that changed only bookkeeping fields
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    user=record.history_user,
                    kind=kind,
                    model_label=str(model._meta.verbose_name),
                    object_label=_object_label(model, record, show_id_numbers),
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def last_data_change(survey_return: SurveyReturn) -> HistoryEntry | None:
    """The newest change of the return's data on its history page ("最后修改" on the return page): not a review
    step, which changes the status only. None for a return without history (rows written before it was kept)."""
    entries = return_history(survey_return, show_id_numbers=False)
    return next((entry for entry in entries if entry.changes_data), None)
