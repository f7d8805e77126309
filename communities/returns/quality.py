"""Data quality for a whole region at once: every return's rule findings (and outliers), in a fixed number of
queries whatever the number of communities.

The figures of every community come from the indicator engine's ``compute_by_unit(unit_length=12)`` (one GROUP BY
per app), the previous returns' from the same call for each earlier year they fall in (one year in practice: the
year before), the rules of the region and of every unit above and below it from one query, the standards from one.
The rules are then applied in Python, each community against the rules in force for it — the same engine
(``rules.evaluate``) and the same figures (``figures.figures_of``) as one return's page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max

from communities.codes import LEVEL_LENGTHS
from communities.figures import INDICATOR_IDS, figures_of
from communities.indicator_engine import compute_by_unit
from communities.models import Community, CommunityType, FollowUp, FollowUpKind, ReturnStatus, SurveyReturn
from communities.standards import standards_for
from communities.validation import rules_for

from . import outliers, rules


@dataclass
class ReturnFindings:
    """What the checks found in one return."""

    return_id: int
    community_code: str
    year: int
    figures: dict
    problems: list = field(default_factory=list)  # rules.Problem, explained ones included
    blocking: list = field(default_factory=list)  # the errors, and the warnings not explained
    outliers: list = field(default_factory=list)  # outliers.Outlier of every checked figure, flagged or not

    @property
    def errors(self) -> list:
        return [p for p in self.problems if not p.needs_explanation]

    @property
    def warnings(self) -> list:
        return [p for p in self.problems if p.needs_explanation]

    @property
    def flagged_outliers(self) -> list:
        return [o for o in self.outliers if o.flagged]

    @property
    def has_problems(self) -> bool:
        return bool(self.problems or self.flagged_outliers)


def region_findings(*, region_code: str, year: int) -> dict[str, ReturnFindings]:
    """Every return of the region for the year, by community code, with what the rules find in it and its
    outliers against the county's communities of the same type and last year's approved figures.

    Queries: the returns (1), the figures of every community of the county (or of the region, when larger:
    ``compute_by_unit``, standards 1 + one per app), the communities' types (1), last year's returns' statuses
    (1) and, when there are any, their figures (``compute_by_unit`` again: the previous returns' and last year's
    approved figures), the latest earlier year of each community (1) and the figures of an earlier year than
    last (again, per such year: none in practice), the rules (1), the findings accepted on the follow-up list
    (1) — whatever the number of communities."""
    returns = list(
        SurveyReturn.objects.in_region(region_code)
        .for_year(year)
        .values_list("pk", "community_id", "explanation")
        .order_by("community_id")
    )
    if not returns:
        return {}
    peers = _peers(region_code, year)
    figures = peers.figures
    earlier = dict(
        SurveyReturn.objects.in_region(region_code)
        .filter(year__lt=year)
        .values("community_id")
        .order_by("community_id")
        .annotate(latest=Max("year"))
        .values_list("community_id", "latest")
    )
    previous: dict[str, dict] = {}
    by_year: dict[int, list[str]] = defaultdict(list)
    for code, latest in earlier.items():
        by_year[latest].append(code)
    for latest, codes in by_year.items():
        found = peers.year_before if latest == year - 1 else _figures(region_code, latest)
        previous.update({code: found[code] for code in codes if code in found})
    ruleset = rules_for(region_code=region_code)
    standards = None
    if any(rule.standard_key for rule in ruleset.rows):
        standards = standards_for(region_code=region_code, year=year)
    accepted: dict[int, set[str]] = defaultdict(set)
    for return_id, key in FollowUp.objects.filter(
        survey_return__in=_in_region(region_code, year), kind=FollowUpKind.RULE, done=True
    ).values_list("survey_return_id", "key"):
        accepted[return_id].add(key)
    findings = {}
    for pk, code, explanation in returns:
        own = figures.get(code) or figures_of({})
        problems, blocking = rules.check_return(
            figures=own,
            previous=previous.get(code),
            explanation=explanation,
            previous_year=earlier.get(code),
            rules=ruleset.for_code(code),
            standard=(lambda key, code=code: standards.value_for(key, code)) if standards else (lambda key: None),
            accepted=accepted.get(pk, ()),
        )
        findings[code] = ReturnFindings(pk, code, year, own, problems, blocking, peers.outliers(code))
    return findings


def _in_region(region_code: str, year: int):
    return SurveyReturn.objects.in_region(region_code).for_year(year).values("pk")


@dataclass
class Peers:
    """The figures of every community of the county (or larger region) for the year, their types, the ranges of
    each (county, type) and last year's approved figures."""

    year: int
    figures: dict[str, dict]
    type_of: dict[str, str]
    ranges: dict
    last: dict[str, dict]  # last year's figures of the communities whose return that year is approved
    year_before: dict[str, dict]  # last year's figures of every community with a return that year

    def outliers(self, code: str) -> list[outliers.Outlier]:
        return outliers.outliers_of(
            code,
            self.figures.get(code) or figures_of({}),
            self.ranges,
            self.type_of,
            TYPE_LABELS,
            self.last.get(code),
            self.year - 1,
        )


TYPE_LABELS = {kind.value: kind.label for kind in CommunityType}


def _peers(region_code: str, year: int) -> Peers:
    """Peers are the county's communities: a street's check reads its whole county.

    Last year's figures are read once, for every status: a community's own figures (a 12-digit unit: its return,
    its rows, the money allocated to it) are the same with ``approved_only`` when its return is approved, and it has
    none otherwise — so the approved ones are those figures kept for the approved returns (one query for their
    statuses), and the same figures serve as the previous return's for the rules. No returns last year: no figures
    to read."""
    wide = region_code[:6] if len(region_code) > 6 else region_code
    figures = _figures(wide, year)
    type_of = dict(Community.objects.in_region(wide).values_list("code", "community_type"))
    statuses = dict(SurveyReturn.objects.in_region(wide).for_year(year - 1).values_list("community_id", "status"))
    year_before = _figures(wide, year - 1) if statuses else {}
    last = {code: found for code, found in year_before.items() if statuses.get(code) == ReturnStatus.APPROVED}
    return Peers(year, figures, type_of, outliers.peer_ranges(figures, type_of), last, year_before)


def return_outliers(survey_return: SurveyReturn) -> list[outliers.Outlier]:
    """One return's outliers (the return page): the county's figures, types and last year's approved figures —
    a fixed number of queries."""
    return _peers(survey_return.community_id[:6], survey_return.year).outliers(survey_return.community_id)


def _figures(region_code: str, year: int, approved_only: bool = False) -> dict[str, dict]:
    """Every community's figures for the year (``figures.figures_of`` of its indicator values)."""
    values = compute_by_unit(
        region_code=region_code, year=year, ids=INDICATOR_IDS, unit_length=12, approved_only=approved_only
    )
    return {code: figures_of(unit) for code, unit in values.items()}


def common_region(codes) -> str:
    """The nearest unit above (or at) every code: the region a check of them all has to read."""
    codes = list(codes)
    if not codes:
        return ""
    prefix = codes[0]
    for code in codes[1:]:
        while not code.startswith(prefix):
            prefix = prefix[:-1]
    return next((prefix[:n] for n in reversed(LEVEL_LENGTHS) if n <= len(prefix)), "")


def findings_for(returns) -> dict[int, ReturnFindings]:
    """The findings of these returns (a page of the queue), by return id: one region check per year for the
    nearest unit above them all when that is a county or below it; when the page spans counties (a city's,
    province's or administrator's queue), one check per county on the page — a county's check costs the same
    whatever the number of its returns, a whole province's or the country's would cost theirs."""
    by_year: dict[int, list] = defaultdict(list)
    for survey_return in returns:
        by_year[survey_return.year].append(survey_return)
    found = {}
    for year, items in by_year.items():
        region = common_region(r.community_id for r in items)
        by_region: dict[str, list] = defaultdict(list)
        for survey_return in items:
            by_region[region if len(region) >= 6 else survey_return.community_id[:6]].append(survey_return)
        for code, members in by_region.items():
            checked = region_findings(region_code=code, year=year)
            for survey_return in members:
                if survey_return.community_id in checked:
                    found[survey_return.pk] = checked[survey_return.community_id]
    return found


def flagged_return_ids(*, region_code: str, years) -> set[int]:
    """The returns of the region in these years in which any rule finds something (explained or not)."""
    return {
        finding.return_id
        for year in years
        for finding in region_findings(region_code=region_code, year=year).values()
        if finding.has_problems
    }


def open_errors(*, region_code: str, year: int) -> list[ReturnFindings]:
    """The returns of the region and year with an 错误 no reviewer accepted (what keeps the survey report from
    being written), in code order."""
    found = region_findings(region_code=region_code, year=year)
    return [f for f in found.values() if any(not p.needs_explanation and not p.accepted for p in f.problems)]


def open_errors_refusal(*, region_code: str, year: int) -> str | None:
    """Why the survey report of the region and year may not be written (the returns with an open 错误, by name), or
    None when it may: what the report's Word download and the survey_report command both ask."""
    found = open_errors(region_code=region_code, year=year)
    if not found:
        return None
    codes = [f.community_code for f in found]
    names = dict(Community.objects.filter(code__in=codes).values_list("code", "name"))
    return open_errors_message(found, names)


def open_errors_message(findings: list[ReturnFindings], names: dict[str, str], *, limit: int = 20) -> str:
    """'有 3 份填报存在未处理的错误，暂不能生成调研报告：东门社区（党员数…）；…'."""
    parts = []
    for finding in findings[:limit]:
        errors = [p.text for p in finding.problems if not p.needs_explanation and not p.accepted]
        parts.append(f"{names.get(finding.community_code, finding.community_code)}（{'；'.join(errors)}）")
    more = f"等（共 {len(findings)} 份）" if len(findings) > limit else ""
    return (
        f"有 {len(findings)} 份填报存在未处理的错误，暂不能生成调研报告，请先改正或在“问题跟进”中确认："
        + "；".join(parts)
        + more
    )
