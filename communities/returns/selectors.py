"""Reads for data entry and review: the workspace, the review queue, a return's figures and its history.

Every list is a fixed number of queries whatever the number of communities: completeness is computed with
``Exists`` subqueries, figures with aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from communities.models import Community, ReturnStatus, Standard, StandardKey, SurveyReturn, User
from facilities.models import Category, Premises
from funding.models import Allocation
from services.models import ServiceProgram
from workforce.models import Worker
from workforce.validators import mask_id_number

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


def workspace_communities(*, user: User):
    """The communities the user may see, with whether any earlier return exists (to pre-fill a new one)."""
    return Community.objects.for_user(user).select_related("street").order_by("code")


def workspace_rows(*, user: User, communities, year: int) -> list[WorkspaceRow]:
    """One row per community of ``communities`` (a page of them): its return for the year, if any, and completeness.

    Queries: the returns of these communities for the year (with completeness and last editor), and the codes
    that have an earlier return — two, whatever the number of communities.
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
    rows = []
    for community in communities:
        survey_return = returns.get(community.code)
        rows.append(
            WorkspaceRow(
                community=community,
                survey_return=survey_return,
                parts=parts_of(survey_return) if survey_return else [],
                has_previous=community.code in with_previous,
            )
        )
    return rows


def available_years(*, user: User) -> list[int]:
    return list(SurveyReturn.objects.for_user(user).order_by("-year").values_list("year", flat=True).distinct())


def review_queue(*, user: User, year: int | None = None):
    """Submitted returns in the user's region, oldest submission first."""
    queryset = SurveyReturn.objects.for_user(user).filter(status=ReturnStatus.SUBMITTED)
    if year:
        queryset = queryset.filter(year=year)
    return with_completeness(
        queryset.select_related("community__street", "submitted_by").order_by("submitted_at", "community_id")
    )


def return_allocations(survey_return: SurveyReturn):
    """The community's own allocations for the return's year (unit_code = the community's code)."""
    return Allocation.objects.filter(unit_code=survey_return.community_id, year=survey_return.year)


def previous_return(survey_return: SurveyReturn) -> SurveyReturn | None:
    """The community's latest return before this one's year."""
    return (
        SurveyReturn.objects.filter(community_id=survey_return.community_id, year__lt=survey_return.year)
        .order_by("-year")
        .first()
    )


# ----- figures of one return ------------------------------------------------------------------------------------

FIGURE_LABELS = {
    "households": ("户数", "户"),
    "population": ("常住人口", "人"),
    "workers_roster": ("花名册人数", "人"),
    "workers_in_post": ("年末在岗", "人"),
    "workers_left": ("累计离职", "人"),
    "workers_seconded": ("被借用", "人"),
    "office_area": ("办公用房面积", "平方米"),
    "service_area": ("公共服务用房面积", "平方米"),
    "outdoor_area": ("室外场地面积", "平方米"),
    "facility_area": ("综合服务用房面积", "平方米"),
    "total_area": ("用房总面积", "平方米"),
    "funding_budget": ("经费预算", "元"),
    "funding_received": ("经费到位", "元"),
    "programs": ("服务项目数", "个"),
    "beneficiaries": ("受益人次", "人次"),
}


def return_figures(survey_return: SurveyReturn) -> dict[str, Decimal | int | None]:
    """The basic figures of one return, in four aggregate queries (workers, premises, funding, programs)."""
    year = survey_return.year
    in_post = Q(left_on__isnull=True) | Q(left_on__year__gt=year)
    workers = Worker.objects.filter(survey_return=survey_return).aggregate(
        workers_roster=Count("id"),
        workers_left=Count("id", filter=Q(left_on__year__lte=year)),
        workers_seconded=Count("id", filter=in_post & Q(seconded=True)),
    )
    zero = Decimal(0)
    premises = Premises.objects.filter(survey_return=survey_return).aggregate(
        office_area=Coalesce(Sum("area", filter=Q(category=Category.OFFICE)), zero),
        service_area=Coalesce(Sum("area", filter=Q(category=Category.SERVICE)), zero),
        outdoor_area=Coalesce(Sum("area", filter=Q(category=Category.OUTDOOR)), zero),
        total_area=Coalesce(Sum("area"), zero),
    )
    funding = Allocation.objects.filter(unit_code=survey_return.community_id, year=year).aggregate(
        funding_budget=Coalesce(Sum("budget"), zero), funding_received=Sum("received")
    )
    programs = ServiceProgram.objects.filter(survey_return=survey_return).aggregate(
        programs=Count("id"), beneficiaries=Sum("beneficiaries")
    )
    figures = {"households": survey_return.households, "population": survey_return.population}
    figures.update(workers)
    figures["workers_in_post"] = workers["workers_roster"] - workers["workers_left"]
    figures.update(premises)
    figures["facility_area"] = premises["office_area"] + premises["service_area"]
    figures.update(funding)
    figures.update(programs)
    return figures


def standards_in_force(code: str, year: int, keys: list[str]) -> dict[str, Standard]:
    """The standard in force for each key at ``code`` in ``year``: the nearest ancestor that sets it (longest
    code prefix, '' = national), its latest ``year_from`` not after ``year``. One query."""
    prefixes = [code[:n] for n in (2, 4, 6, 9, 12) if n <= len(code)]
    candidates = Standard.objects.filter(
        Q(region_code="") | Q(region_code__in=prefixes), key__in=keys, year_from__lte=year
    )
    chosen: dict[str, Standard] = {}
    for standard in candidates:
        best = chosen.get(standard.key)
        if best is None or (len(standard.region_code), standard.year_from) > (
            len(best.region_code),
            best.year_from,
        ):
            chosen[standard.key] = standard
    return chosen


@dataclass
class StandardCheck:
    label: str
    standard: str
    actual: str
    passed: bool | None
    source: str = ""


def standard_checks(survey_return: SurveyReturn, figures: dict) -> list[StandardCheck]:
    """The return's figures against the standards in force for its community: service space and workers."""
    keys = [
        StandardKey.FACILITY_AREA_PER_100_HOUSEHOLDS,
        StandardKey.FACILITY_MIN_AREA,
        StandardKey.HOUSEHOLDS_PER_WORKER,
        StandardKey.WORKERS_PER_10K_RESIDENTS,
    ]
    standards = standards_in_force(survey_return.community_id, survey_return.year, keys)
    checks = []
    per_100 = standards.get(StandardKey.FACILITY_AREA_PER_100_HOUSEHOLDS)
    minimum = standards.get(StandardKey.FACILITY_MIN_AREA)
    if per_100 or minimum:
        required = max(
            (per_100.value * survey_return.households / 100) if per_100 else Decimal(0),
            minimum.value if minimum else Decimal(0),
        )
        checks.append(
            StandardCheck(
                "综合服务用房面积",
                f"不少于 {required:.1f} 平方米",
                f"{figures['facility_area']:.1f} 平方米",
                figures["facility_area"] >= required,
                "；".join(s.source for s in (per_100, minimum) if s and s.source),
            )
        )
    in_post = figures["workers_in_post"]
    per_worker = standards.get(StandardKey.HOUSEHOLDS_PER_WORKER)
    if per_worker:
        actual = (Decimal(survey_return.households) / in_post) if in_post else None
        checks.append(
            StandardCheck(
                "每名社区工作者服务户数",
                f"不超过 {per_worker.value:.0f} 户",
                f"{actual:.0f} 户" if actual is not None else "无在岗人员",
                None if actual is None else actual <= per_worker.value,
                per_worker.source,
            )
        )
    per_10k = standards.get(StandardKey.WORKERS_PER_10K_RESIDENTS)
    if per_10k:
        actual = (Decimal(in_post) * 10000 / survey_return.population) if survey_return.population else None
        checks.append(
            StandardCheck(
                "每万人社区工作者数",
                f"不少于 {per_10k.value:.0f} 人",
                f"{actual:.1f} 人" if actual is not None else "常住人口为 0",
                None if actual is None else actual >= per_10k.value,
                per_10k.source,
            )
        )
    return checks


@dataclass
class FigureRow:
    key: str
    label: str
    unit: str
    value: object
    previous: object
    change: Decimal | None  # fraction, None when there is no base


def figure_rows(figures: dict, previous: dict | None) -> list[FigureRow]:
    rows = []
    for key, (label, unit) in FIGURE_LABELS.items():
        value = figures.get(key)
        before = previous.get(key) if previous else None
        change = None
        if before and value is not None:
            change = (Decimal(value) - Decimal(before)) / Decimal(before)
        rows.append(FigureRow(key, label, unit, value, before, change))
    return rows


# ----- history ----------------------------------------------------------------------------------------------------

# Bookkeeping fields left out of the history page: the row itself records who and when.
HISTORY_EXCLUDED = ["id", "survey_return", "version", "updated_at", "updated_by", "submitted_by", "reviewed_by"]
HISTORY_TYPES = {"+": "新增", "~": "修改", "-": "删除"}


@dataclass
class HistoryEntry:
    when: datetime
    user: User | None
    kind: str
    model_label: str
    object_label: str
    changes: list[tuple[str, str, str]]


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
    return str(value)


def _object_label(model, record, show_id_numbers: bool) -> str:
    if model is SurveyReturn:
        return f"{record.year}年基本情况"
    if model is Allocation:
        return f"{_display(model, 'source', record.source, True)} · {_display(model, 'use', record.use, True)}"
    if model is Worker and record.id_number:
        return f"{record.name}（{_display(model, 'id_number', record.id_number, show_id_numbers)}）"
    return record.name


def _fields_of(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.name not in HISTORY_EXCLUDED]


def return_history(survey_return: SurveyReturn, *, show_id_numbers: bool) -> list[HistoryEntry]:
    """Every recorded change of the return, its workers, premises, programs and its own funding allocations,
    newest first. One query per model (five), each with the acting user joined."""
    sources = [
        (SurveyReturn, SurveyReturn.history.filter(id=survey_return.pk)),
        (Worker, Worker.history.filter(survey_return_id=survey_return.pk)),
        (Premises, Premises.history.filter(survey_return_id=survey_return.pk)),
        (Allocation, Allocation.history.filter(unit_code=survey_return.community_id, year=survey_return.year)),
        (ServiceProgram, ServiceProgram.history.filter(survey_return_id=survey_return.pk)),
    ]
    entries: list[HistoryEntry] = []
    for model, history in sources:
        fields = _fields_of(model)
        previous_by_id = {}
        for record in history.select_related("history_user").order_by("id", "history_date", "history_id"):
            before = previous_by_id.get(record.id)
            if record.history_type == "~" and before is not None:
                delta = record.diff_against(before, included_fields=fields)
                changes = [
                    (
                        str(model._meta.get_field(c.field).verbose_name),
                        _display(model, c.field, c.old, show_id_numbers),
                        _display(model, c.field, c.new, show_id_numbers),
                    )
                    for c in delta.changes
                ]
            else:  # an addition shows the new values, a deletion the last ones
                values = [
                    (str(model._meta.get_field(name).verbose_name), _display(model, name, value, show_id_numbers))
                    for name in fields
                    if (value := getattr(record, name)) not in (None, "")
                ]
                deleted = record.history_type == "-"
                changes = [(label, text if deleted else "", "" if deleted else text) for label, text in values]
            previous_by_id[record.id] = record
            if record.history_type == "~" and before is not None and not changes:
                continue  # a save that changed only bookkeeping fields
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    user=record.history_user,
                    kind=HISTORY_TYPES.get(record.history_type, record.history_type),
                    model_label=str(model._meta.verbose_name),
                    object_label=_object_label(model, record, show_id_numbers),
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
