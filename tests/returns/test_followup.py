"""The follow-up list (issue 13): every open finding of the county, filters, marking done with a note (and its
history), the download, approval refused with an open 错误 and allowed once the reviewer accepted it, and query
counts that do not grow with the number of returns."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from communities.models import FollowUp, ReturnStatus, SurveyReturn
from tests.communities.factories import CommunityFactory, SurveyReturnFactory
from tests.returns.conftest import fill

STREET_A = "420626001"


@pytest.fixture
def findings(return_a, return_b):
    """Community A: an error (more party members than residents); community B: a warning (too few residents)."""
    SurveyReturn.objects.filter(pk=return_a.pk).update(party_members=5000, status=ReturnStatus.SUBMITTED)
    SurveyReturn.objects.filter(pk=return_b.pk).update(households=2000, status=ReturnStatus.SUBMITTED)
    return return_a, return_b


def _items(client, **params):
    response = client.get(reverse("returns:followup"), {"year": 2025, **params})
    assert response.status_code == 200
    return [(i.community.name, i.key, i.severity) for i in response.context["items"]]


def test_the_list_shows_every_open_finding_and_filters(client, reviewer, findings):
    client.force_login(reviewer)
    assert _items(client) == [
        ("东门社区", "party_members_within_population", "error"),
        ("歇马社区", "population_per_household_min", "warning"),
    ]
    assert _items(client, severity="error") == [("东门社区", "party_members_within_population", "error")]
    assert _items(client, street=STREET_A) == [("东门社区", "party_members_within_population", "error")]
    assert _items(client, rule="population_per_household_min") == [
        ("歇马社区", "population_per_household_min", "warning")
    ]
    page = client.get(reverse("returns:followup"), {"year": 2025}).content.decode()
    assert "党员数（5000人）多于常住人口（2900人），请核对基本情况。" in page


def test_approval_is_refused_with_an_open_error_and_allowed_once_accepted(client, reviewer, findings):
    return_a, _ = findings
    client.force_login(reviewer)
    approve = reverse("returns:approve", args=[return_a.community_id, 2025])
    version = SurveyReturn.objects.get(pk=return_a.pk).version
    response = client.post(approve, {"version": version}, follow=True)
    assert "不能审核通过" in response.content.decode()
    assert SurveyReturn.objects.get(pk=return_a.pk).status == ReturnStatus.SUBMITTED
    mark = {"code": return_a.community_id, "year": 2025, "kind": "rule", "key": "party_members_within_population"}
    # a note is required, and nothing changes without one
    response = client.post(reverse("returns:followup_mark"), {**mark, "done": "1", "note": " "}, follow=True)
    assert "标记为已处理时请填写处理说明" in response.content.decode()
    assert not FollowUp.objects.exists()
    client.post(reverse("returns:followup_mark"), {**mark, "done": "1", "note": "含流动党员，已电话核实"})
    record = FollowUp.objects.get()
    assert record.done and record.done_by == reviewer and record.history.first().history_user == reviewer
    assert _items(client) == [("歇马社区", "population_per_household_min", "warning")]
    assert _items(client, status="done") == [("东门社区", "party_members_within_population", "error")]
    page = client.get(reverse("returns:detail", args=[return_a.community_id, 2025])).content.decode()
    assert "审核员已确认：党员数（5000人）多于常住人口（2900人），请核对基本情况。" in page
    client.post(approve, {"version": version})
    assert SurveyReturn.objects.get(pk=return_a.pk).status == ReturnStatus.APPROVED


def test_reopening_a_finding_blocks_again(client, reviewer, findings):
    return_a, _ = findings
    client.force_login(reviewer)
    mark = {"code": return_a.community_id, "year": 2025, "kind": "rule", "key": "party_members_within_population"}
    client.post(reverse("returns:followup_mark"), {**mark, "done": "1", "note": "核实"})
    client.post(reverse("returns:followup_mark"), {**mark, "done": "0"})
    assert not FollowUp.objects.get().done and FollowUp.history.count() == 2
    assert ("东门社区", "party_members_within_population", "error") in _items(client)


def test_another_countys_return_cannot_be_marked(client, reviewer, findings):
    from tests.communities.factories import RegionFactory

    other = fill(SurveyReturnFactory(community=CommunityFactory(street=RegionFactory(code="420627001"))))
    client.force_login(reviewer)
    data = {"code": other.community_id, "year": 2025, "kind": "rule", "key": "x", "done": "1", "note": "n"}
    assert client.post(reverse("returns:followup_mark"), data).status_code == 404
    assert not FollowUp.objects.exists()


def test_the_download_lists_the_same_items(client, reviewer, findings):
    client.force_login(reviewer)
    response = client.get(reverse("returns:followup_download"), {"year": 2025, "severity": "warning"})
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert "%E4%BF%9D%E5%BA%B7%E5%8E%BF-2025%E5%B9%B4" in response["Content-Disposition"]  # 保康县-2025年
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0].startswith("保康县 — 2025年问题跟进")  # the title row of the one table writer
    assert rows[1][:3] == ("街道(乡镇)", "社区代码", "社区")
    assert [(r[2], r[5]) for r in rows[2:]] == [("歇马社区", "警告")]


def test_a_clerk_cannot_see_the_list(client, clerk_a, findings):
    client.force_login(clerk_a)
    assert client.get(reverse("returns:followup")).status_code == 403


@pytest.mark.parametrize("count", [2, 10])
def test_the_list_queries_do_not_grow_with_returns(client, reviewer, street_a, count, django_assert_num_queries):
    for _ in range(count):
        survey_return = fill(SurveyReturnFactory(community=CommunityFactory(street=street_a), households=2000))
        SurveyReturn.objects.filter(pk=survey_return.pk).update(status=ReturnStatus.SUBMITTED)
    client.force_login(reviewer)
    # session, user, permissions; the default year (the open period, the returns per year); the region findings
    # (the returns, this year's figures: compute_by_unit, the types, last year's returns — none, so no figures —,
    # the earlier years, the rules, the accepted findings: 12); the communities, the follow-up rows, the comments;
    # the rules for the filter; the region's name, the streets; the header's region; the session saved (three)
    with django_assert_num_queries(28):
        response = client.get(reverse("returns:followup"))
    assert len(response.context["items"]) == count


def test_an_administrator_chooses_a_region_first(client, administrator, findings):
    client.force_login(administrator)
    response = client.get(reverse("returns:followup"), {"year": 2025})
    assert (
        response.context["items"] == [] and "请先在“区划代码”中填写一个省或县（区）的代码" in response.content.decode()
    )
    response = client.get(reverse("returns:followup"), {"year": 2025, "region": "420626"})
    assert len(response.context["items"]) == 2
    assert client.get(reverse("returns:followup"), {"region": "abc"}).status_code == 404


def test_a_queue_page_across_counties_is_checked_county_by_county(client, administrator, findings):
    from tests.communities.factories import RegionFactory

    other = fill(SurveyReturnFactory(community=CommunityFactory(street=RegionFactory(code="430101001"))))
    SurveyReturn.objects.filter(pk=other.pk).update(party_members=9000, status=ReturnStatus.SUBMITTED)
    client.force_login(administrator)
    page = client.get(reverse("returns:queue"), {"year": 2025}).context["page"]
    counts = {r.community_id: len(r.findings.errors) for r in page}
    assert counts == {findings[0].community_id: 1, findings[1].community_id: 0, other.community_id: 1}


def test_a_comment_thread_is_on_the_list_until_marked_done(client, clerk_a, reviewer, findings):
    return_a, _ = findings
    client.force_login(clerk_a)
    client.post(
        reverse("returns:comment", args=[return_a.community_id, 2025]),
        {"target": "figure:party_members", "text": "含流动党员"},
    )
    client.force_login(reviewer)
    response = client.get(reverse("returns:followup"), {"year": 2025, "severity": "comment"})
    [item] = response.context["items"]
    assert (item.rule_text, item.text) == ("党员数", "clerk_a：含流动党员")
    mark = {"code": return_a.community_id, "year": 2025, "kind": "comment", "key": "figure:party_members"}
    client.post(reverse("returns:followup_mark"), {**mark, "done": "1", "note": "已核实"})
    assert _items(client, severity="comment") == []
