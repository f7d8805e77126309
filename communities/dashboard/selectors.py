"""Reads the dashboard needs beyond the indicators: one GROUP BY per table, never a query per unit.

A region's "children" are the units one level down (country → provinces → cities → counties → streets →
communities), found by grouping rows on the first n digits of their code.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Avg, Count, F, FloatField, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, Length, Substr

from communities.codes import LEVEL_LENGTHS, ancestor_codes, level_name
from communities.models import Community, Region, ReturnStatus, SurveyReturn
from facilities.models import Premises
from funding.models import Allocation
from workforce.indicators import in_post_q
from workforce.models import LEADER_POSITIONS, Worker

FACILITY_CATEGORIES = ("office", "service")
# Above this many communities, the per-community chart is drawn per child unit instead.
PER_COMMUNITY_CHART_LIMIT = 300


def child_length(code: str) -> int | None:
    """The code length of the units one level below ``code`` (None below a community)."""
    longer = [n for n in LEVEL_LENGTHS if n > len(code)]
    return longer[0] if longer else None


def years_available(scope_code: str) -> list[int]:
    """Years with at least one return under the scope, newest first."""
    return list(SurveyReturn.objects.in_region(scope_code).values_list("year", flat=True).distinct().order_by("-year"))


def unit_names(codes: list[str]) -> dict[str, str]:
    """Names of regions and communities by code (one query per kind asked for)."""
    names: dict[str, str] = {}
    regions = [c for c in codes if len(c) < 12]
    communities = [c for c in codes if len(c) == 12]
    if regions:
        names.update(Region.objects.filter(code__in=regions).values_list("code", "name"))
    if communities:
        names.update(Community.objects.filter(code__in=communities).values_list("code", "name"))
    return names


def breadcrumb(code: str, scope_code: str) -> list[dict]:
    """From the user's scope down to ``code``: [{code, name, level}], the country first for administrators."""
    codes = [c for c in ancestor_codes(code) if c.startswith(scope_code) and len(c) >= len(scope_code)]
    if code:
        codes.append(code)
    names = unit_names(codes)
    crumbs = [{"code": "", "name": "全国", "level": "全国"}] if scope_code == "" else []
    crumbs += [{"code": c, "name": names.get(c, c), "level": level_name(c)} for c in codes]
    return crumbs


def children(code: str, year: int) -> list[dict]:
    """One row per unit one level down that has returns for the year, with its key figures (five queries)."""
    n = child_length(code)
    if n is None:
        return []
    unit = Substr("community_id", 1, n)
    end = date(year, 12, 31)
    rows: dict[str, dict] = {}

    def row(unit_code: str) -> dict:
        return rows.setdefault(unit_code, {"code": unit_code})

    returns = SurveyReturn.objects.in_region(code).for_year(year).annotate(unit=unit).values("unit").order_by("unit")
    for r in returns.annotate(
        communities=Count("id"),
        households=Sum("households"),
        population=Sum("population"),
        draft=Count("id", filter=Q(status=ReturnStatus.DRAFT)),
        submitted=Count("id", filter=Q(status=ReturnStatus.SUBMITTED)),
        returned=Count("id", filter=Q(status=ReturnStatus.RETURNED)),
        approved=Count("id", filter=Q(status=ReturnStatus.APPROVED)),
    ):
        row(r["unit"]).update({k: v for k, v in r.items() if k != "unit"})

    premises = (
        Premises.objects.in_region(code)
        .for_year(year)
        .filter(category__in=FACILITY_CATEGORIES)
        .annotate(unit=Substr("survey_return__community_id", 1, n))
        .values("unit")
        .order_by("unit")
        .annotate(facility_area=Sum("area"))
    )
    for r in premises:
        row(r["unit"])["facility_area"] = float(r["facility_area"] or 0)

    in_post = in_post_q(year)
    leader = Q(position__in=LEADER_POSITIONS)
    pay = F("monthly_pay") + F("monthly_allowance")
    workers = (
        Worker.objects.in_region(code)
        .for_year(year)
        .annotate(unit=Substr("survey_return__community_id", 1, n))
        .values("unit")
        .order_by("unit")
        .annotate(
            roster=Count("id"),
            left=Count("id", filter=Q(left_on__lte=end)),
            seconded=Count("id", filter=in_post & Q(seconded=True)),
            leader_pay=Avg(pay, filter=in_post & leader),
            staff_pay=Avg(pay, filter=in_post & ~leader),
        )
    )
    for r in workers:
        target = row(r["unit"])
        target.update({k: v for k, v in r.items() if k != "unit"})

    funding = (
        Allocation.objects.in_region(code)
        .for_year(year)
        .annotate(length=Length("unit_code"))
        .filter(length__gte=n)
        .annotate(unit=Substr("unit_code", 1, n))
        .values("unit")
        .order_by("unit")
        .annotate(budget=Sum("budget"))
    )
    for r in funding:
        if r["unit"] in rows:
            rows[r["unit"]]["funding_budget"] = float(r["budget"] or 0)

    names = unit_names(list(rows))
    result = []
    for unit_code in sorted(rows):
        r = rows[unit_code]
        if not r.get("communities"):
            continue
        roster, left = r.get("roster", 0), r.get("left", 0)
        in_post_n = roster - left
        households = r.get("households") or 0
        facility = r.get("facility_area", 0.0)
        result.append(
            {
                **r,
                "name": names.get(unit_code, unit_code),
                "facility_area": facility,
                "funding_budget": r.get("funding_budget", 0.0),
                "workers_in_post": in_post_n,
                "facility_per_100": round(facility / households * 100, 2) if households else None,
                "loss_rate": round(left / roster, 4) if roster else None,
                "secondment_rate": round(r.get("seconded", 0) / in_post_n, 4) if in_post_n else None,
                "leader_annual_pay": round(float(r["leader_pay"]) * 12, 2) if r.get("leader_pay") else None,
                "staff_annual_pay": round(float(r["staff_pay"]) * 12, 2) if r.get("staff_pay") else None,
            }
        )
    return result


def facility_per_community(code: str, year: int) -> list[dict]:
    """Each community's service space per 100 households (one query), smallest first; [] when too many to draw."""
    returns = SurveyReturn.objects.in_region(code).for_year(year)
    rows = (
        returns.annotate(
            area=Coalesce(
                Cast(Sum("premises__area", filter=Q(premises__category__in=FACILITY_CATEGORIES)), FloatField()),
                Value(0.0),
            )
        )
        .values("community_id", "community__name", "households", "area")
        .order_by("community_id")[: PER_COMMUNITY_CHART_LIMIT + 1]
    )
    found = [
        {
            "code": r["community_id"],
            "name": r["community__name"],
            "households": r["households"],
            "area": r["area"],
            "per_100": round(r["area"] / r["households"] * 100, 2) if r["households"] else None,
        }
        for r in rows
    ]
    if len(found) > PER_COMMUNITY_CHART_LIMIT:
        return []
    return sorted(found, key=lambda r: (r["per_100"] is None, r["per_100"] or 0))
