"""Validation rules as data (issue 13): the national defaults, each severity, inheritance down the region tree, the
rules page, and the whole county's findings in a fixed number of queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from communities.models import ReturnStatus, SurveyReturn, ValidationRule
from communities.returns import quality, selectors, services
from communities.validation import rules_for
from tests.communities.factories import CommunityFactory, RegionFactory, SurveyReturnFactory
from tests.returns.conftest import fill
from tests.workforce.factories import WorkerFactory

COUNTY = "420626"


def _codes(survey_return) -> list[str]:
    return [p.code for p in selectors.return_review(survey_return).problems]


def test_the_defaults_are_shipped_with_their_source(db):
    keys = list(ValidationRule.objects.filter(region_code="").values_list("key", flat=True))
    assert keys[:5] == [f"missing_{f}" for f in ("households", "population", "workers_roster", "total_area")] + [
        "missing_funding_budget"
    ]
    assert {"in_post_within_roster", "party_members_within_population", "population_per_household_min"} <= set(keys)
    assert {"jump_households", "jump_population", "jump_total_area", "jump_workers_roster"} <= set(keys)
    assert all(ValidationRule.objects.filter(region_code="").values_list("source", flat=True))
    rule = ValidationRule.objects.get(key="population_per_household_min")
    assert rule.description == "常住人口 ≥ 户数 × 1.5"
    assert ValidationRule.objects.get(key="jump_households").description == "户数较上年变化不超过 ±30%"


def test_an_error_blocks_submission_and_names_the_figures(return_a, clerk_a):
    SurveyReturn.objects.filter(pk=return_a.pk).update(party_members=3000)  # population 2900
    return_a.refresh_from_db()
    with pytest.raises(services.ReturnCheckFailed) as failed:
        services.return_submit(survey_return=return_a, user=clerk_a)
    assert [p.message for p in failed.value.problems] == ["党员数（3000人）多于常住人口（2900人），请核对基本情况。"]
    SurveyReturn.objects.filter(pk=return_a.pk).update(explanation="确实如此")  # an explanation does not fix an error
    return_a.refresh_from_db()
    with pytest.raises(services.ReturnCheckFailed):
        services.return_submit(survey_return=return_a, user=clerk_a)
    assert SurveyReturn.objects.get(pk=return_a.pk).status == ReturnStatus.DRAFT


def test_a_warning_needs_an_explanation(return_a, clerk_a):
    SurveyReturn.objects.filter(pk=return_a.pk).update(households=2000)  # 2900 people: fewer than 1.5 per household
    return_a.refresh_from_db()
    with pytest.raises(services.ReturnCheckFailed) as failed:
        services.return_submit(survey_return=return_a, user=clerk_a)
    [problem] = failed.value.problems
    assert problem.code == "population_per_household_min" and problem.needs_explanation
    assert (
        problem.message
        == "常住人口（2900人）少于户数的 1.5 倍（3000人），请核实；如情况属实，请在“填报说明”中说明原因。"
    )
    SurveyReturn.objects.filter(pk=return_a.pk).update(explanation="大量空置房")
    return_a.refresh_from_db()
    services.return_submit(survey_return=return_a, user=clerk_a)
    assert SurveyReturn.objects.get(pk=return_a.pk).status == ReturnStatus.SUBMITTED


def test_approval_is_refused_when_a_rule_added_after_submission_finds_an_error(client, return_a, clerk_a, reviewer):
    services.return_submit(survey_return=return_a, user=clerk_a)
    ValidationRule.objects.create(
        region_code=COUNTY,
        key="households_at_most_1000",
        left="households",
        operator="le",
        constant=Decimal(1000),
        message="户数（{left}户）超过本县社区规模上限（{right}户）。",
    )
    client.force_login(reviewer)
    version = SurveyReturn.objects.get(pk=return_a.pk).version
    response = client.post(
        reverse("returns:approve", args=[return_a.community_id, 2025]), {"version": version}, follow=True
    )
    assert "户数（1050户）超过本县社区规模上限（1000户）。" in response.content.decode()
    assert SurveyReturn.objects.get(pk=return_a.pk).status == ReturnStatus.SUBMITTED


def test_a_county_rule_overrides_the_national_one_there_only(return_a, street_a):
    other_county_street = RegionFactory(code="420627001", name="另一县")
    other = fill(SurveyReturnFactory(community=CommunityFactory(street=other_county_street), households=2000))
    # households 2000, population 2800: fewer than 1.5 per household everywhere
    SurveyReturn.objects.filter(pk=return_a.pk).update(households=2000)
    return_a.refresh_from_db()
    assert "population_per_household_min" in _codes(return_a)
    national = ValidationRule.objects.get(region_code="", key="population_per_household_min")
    ValidationRule.objects.create(
        region_code=COUNTY,
        key=national.key,
        left="population",
        operator="ge",
        right_figure="households",
        factor=Decimal("1.2"),
        message="常住人口（{left}人）少于户数的 1.2 倍（{right}人）",
        severity="warning",
    )
    assert "population_per_household_min" not in _codes(return_a)  # 2900 ≥ 2400 in this county
    assert "population_per_household_min" in _codes(other)  # the national rule still holds in the other county
    # an inactive rule of the same key switches it off for the street only
    ValidationRule.objects.create(
        region_code=street_a.code,
        key="party_members_within_population",
        active=False,
        left="party_members",
        operator="le",
        right_figure="population",
        message="-",
    )
    SurveyReturn.objects.filter(pk=return_a.pk).update(party_members=5000)
    SurveyReturn.objects.filter(pk=other.pk).update(party_members=5000)
    return_a.refresh_from_db()
    other.refresh_from_db()
    assert "party_members_within_population" not in _codes(return_a)
    assert "party_members_within_population" in _codes(other)


def test_a_rule_against_a_standard_uses_the_value_in_force(return_a):
    ValidationRule.objects.create(
        region_code=COUNTY,
        key="households_within_size",
        left="households",
        operator="le",
        standard_key="community_max_households",  # national default 3000
        factor=Decimal("0.3"),
        message="户数（{left}户）超过 {right} 户",
        severity="warning",
    )
    assert [p.message for p in selectors.return_review(return_a).problems if p.code == "households_within_size"] == [
        "户数（1050户）超过 900 户，请核实；如情况属实，请在“填报说明”中说明原因。"
    ]


def test_a_jump_rule_changed_by_the_county_uses_its_threshold(return_a_2024, return_a):
    SurveyReturn.objects.filter(pk=return_a.pk).update(households=1200, population=3200)  # +20%, +14%
    return_a.refresh_from_db()
    assert _codes(return_a) == []
    ValidationRule.objects.create(
        region_code=COUNTY,
        key="jump_households",
        kind="change",
        left="households",
        constant=Decimal("0.1"),
        message="户数较上年变化超过 ±10%",
        severity="warning",
    )
    [problem] = selectors.return_review(return_a).problems
    assert problem.message == "户数较2024年变化 +20%（1000 → 1200），超过 ±10%，请在“填报说明”中说明原因。"


# ----- the whole county at once ---------------------------------------------------------------------------------


def _county(street_a, street_b, count: int):
    for n in range(count):
        street = street_a if n % 2 else street_b
        survey_return = fill(
            SurveyReturnFactory(community=CommunityFactory(street=street), households=1000 + 100 * n, population=2800)
        )
        if n % 3 == 0:  # an error
            SurveyReturn.objects.filter(pk=survey_return.pk).update(party_members=9000)
        if n % 4 == 1:  # a warning: fewer than 1.5 residents per household
            SurveyReturn.objects.filter(pk=survey_return.pk).update(households=2000)
        last = fill(SurveyReturnFactory(community=survey_return.community, year=2024, households=1000))
        WorkerFactory(survey_return=last, name="多一人", birth_year=1990)


@pytest.mark.parametrize("count", [3, 12])
def test_the_countys_findings_match_each_returns_page_in_a_fixed_number_of_queries(
    street_a, street_b, count, django_assert_num_queries
):
    _county(street_a, street_b, count)
    # the returns; this year's figures (compute_by_unit: standards and five apps); the communities' types; last
    # year's returns' statuses and figures (six again: the previous returns' and the approved ones); the earlier
    # years; the rules; the findings accepted on the follow-up list
    with django_assert_num_queries(18):
        found = quality.region_findings(region_code=COUNTY, year=2025)
    assert len(found) == count
    for survey_return in SurveyReturn.objects.filter(year=2025):
        expected = selectors.return_review(survey_return)
        assert found[survey_return.community_id].problems == expected.problems
        assert found[survey_return.community_id].blocking == expected.blocking
    assert any(f.errors for f in found.values()) and any(f.warnings for f in found.values())


def test_the_queue_counts_errors_and_warnings_and_filters_on_them(client, reviewer, street_a, street_b):
    _county(street_a, street_b, 4)
    SurveyReturn.objects.filter(year=2025).update(status=ReturnStatus.SUBMITTED)
    client.force_login(reviewer)
    response = client.get(reverse("returns:queue"), {"year": 2025})
    page = response.content.decode()
    assert "错误 1" in page and "警告" in page
    flagged = client.get(reverse("returns:queue"), {"year": 2025, "problems": "1"}).context["page"]
    found = quality.region_findings(region_code=COUNTY, year=2025)
    assert sorted(r.community_id for r in flagged) == sorted(c for c, f in found.items() if f.has_problems)


# ----- the rules page ---------------------------------------------------------------------------------------------


def test_the_rules_page_lists_inherited_and_own_rules(client, reviewer, county):
    ValidationRule.objects.create(
        region_code=COUNTY,
        key="missing_population",
        active=False,
        left="population",
        operator="gt",
        constant=Decimal(0),
        message="-",
    )
    client.force_login(reviewer)
    page = client.get(reverse("returns:rules")).content.decode()
    assert "常住人口 ≥ 户数 × 1.5" in page and "全国默认" in page
    assert "本区划设置" in page and "已停用" in page
    assert "在本区划替换或停用" in page


def test_a_reviewer_adds_a_rule_for_their_county_and_it_applies_there(client, reviewer, return_a):
    client.force_login(reviewer)
    data = {
        "region": COUNTY,
        "key": "volunteers_within_population",
        "kind": "compare",
        "left": "volunteers",
        "operator": "le",
        "right_figure": "population",
        "factor": "1",
        "severity": "error",
        "message": "志愿者（{left}人）多于常住人口（{right}人）。",
        "source": "县民政局",
        "position": "50",
        "active": "on",
    }
    response = client.post(reverse("returns:rule_new"), data)
    assert response.status_code == 302
    rule = ValidationRule.objects.get(key="volunteers_within_population")
    assert rule.region_code == COUNTY and rule.updated_by == reviewer
    assert rule.history.first().history_user == reviewer
    SurveyReturn.objects.filter(pk=return_a.pk).update(volunteers=5000)
    return_a.refresh_from_db()
    assert "volunteers_within_population" in _codes(return_a)


def test_bad_input_is_refused_in_chinese_and_changes_nothing(client, reviewer, county):
    client.force_login(reviewer)
    before = ValidationRule.objects.count()
    data = {
        "region": COUNTY,
        "key": "Bad Key",
        "kind": "compare",
        "left": "households",
        "operator": "le",
        "right_figure": "population",
        "constant": "5",
        "factor": "1",
        "severity": "error",
        "message": "x",
        "position": "1",
    }
    response = client.post(reverse("returns:rule_new"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "规则编号只能由小写字母、数字和下划线组成。" in page
    assert "右边请只选一项：另一个数、一项标准，或一个常数。" in page
    assert ValidationRule.objects.count() == before


def test_a_reviewer_cannot_touch_national_or_another_countys_rules(client, reviewer, county):
    other = ValidationRule.objects.create(
        region_code="420627", key="x", left="households", operator="gt", constant=Decimal(0), message="x"
    )
    national = ValidationRule.objects.get(region_code="", key="missing_households")
    client.force_login(reviewer)
    for rule in (other, national):
        assert client.get(reverse("returns:rule_edit", args=[rule.pk])).status_code == 404
        assert client.post(reverse("returns:rule_delete", args=[rule.pk])).status_code == 404
    assert client.get(reverse("returns:rule_new"), {"region": "420627"}).status_code == 404
    assert ValidationRule.objects.filter(pk__in=[other.pk, national.pk]).count() == 2


def test_replacing_an_inherited_rule_starts_from_it(client, reviewer, county):
    national = ValidationRule.objects.get(region_code="", key="jump_households")
    client.force_login(reviewer)
    form = client.get(reverse("returns:rule_new"), {"region": COUNTY, "copy": national.pk}).context["form"]
    assert form["key"].value() == "jump_households" and form["kind"].value() == "change"


def test_rules_for_a_region_read_below_it_in_one_query(county, django_assert_num_queries):
    ValidationRule.objects.create(
        region_code="420626001", key="x", left="households", operator="gt", constant=Decimal(0), message="x"
    )
    with django_assert_num_queries(1):
        ruleset = rules_for(region_code=COUNTY)
    assert "x" in [r.key for r in ruleset.for_code("420626001001")]
    assert "x" not in [r.key for r in ruleset.for_code("420626101001")]


def test_the_admin_refuses_a_reviewer_a_rule_outside_their_region(client, reviewer):
    from communities.models import ValidationRule

    client.force_login(reviewer)
    before = ValidationRule.objects.count()
    response = client.post(
        reverse("admin:communities_validationrule_add"), {"region_code": "420627", "key": "other_county_rule"}
    )
    assert response.status_code == 200
    assert "只能为本人所属区划及其下级区划设置校验规则。" in response.content.decode()
    assert ValidationRule.objects.count() == before
