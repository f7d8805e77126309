"""What changed since the last approval (issue 13): a reopened and resubmitted return against its approved version,
field by field and row by row, on the review page, in a fixed number of queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from communities.models import SurveyReturn
from communities.returns import changes, services
from tests.facilities.factories import PremisesFactory
from tests.workforce.factories import WorkerFactory


def _approve_and_reopen(survey_return, clerk, reviewer):
    services.return_submit(survey_return=survey_return, user=clerk)
    version = SurveyReturn.objects.get(pk=survey_return.pk).version
    services.return_approve(survey_return=survey_return, user=reviewer, expected_version=version)
    version = SurveyReturn.objects.get(pk=survey_return.pk).version
    services.return_reopen(survey_return=survey_return, user=reviewer, expected_version=version, comment="户数有误")
    return SurveyReturn.objects.get(pk=survey_return.pk)


def test_the_review_page_lists_every_change_since_the_approval(client, clerk_a, reviewer, return_a):
    survey_return = _approve_and_reopen(return_a, clerk_a, reviewer)
    survey_return.households = 1100
    survey_return.save()
    worker = survey_return.workers.order_by("pk").first()
    worker.monthly_pay = Decimal("4321.00")
    worker.save()
    PremisesFactory(survey_return=survey_return, name="新建活动室", area=Decimal("120"))
    survey_return.programs.get().delete()
    services.return_submit(survey_return=SurveyReturn.objects.get(pk=survey_return.pk), user=clerk_a)
    client.force_login(reviewer)
    response = client.get(reverse("returns:detail", args=[return_a.community_id, 2025]))
    found = {(c.part, c.kind, c.what): c.fields for c in response.context["since_approval"].changes}
    assert found[("基本情况", "修改", "2025年基本情况")] == [("户数", "1050", "1100")]
    assert found[("社区工作者", "修改", worker.name)] == [("月基本报酬(元)", "1500.00", "4321.00")]
    assert ("办公服务用房", "新增", "新建活动室") in found
    assert ("服务项目", "删除", "老年餐桌") in found
    page = response.content.decode()
    assert "自上次审核通过以来的变化" in page and "4321.00" in page


def test_no_section_before_any_approval_and_none_while_approved(client, clerk_a, reviewer, return_a):
    assert changes.changes_since_approval(return_a, show_id_numbers=False) is None
    services.return_submit(survey_return=return_a, user=clerk_a)
    version = SurveyReturn.objects.get(pk=return_a.pk).version
    services.return_approve(survey_return=return_a, user=reviewer, expected_version=version)
    assert changes.changes_since_approval(SurveyReturn.objects.get(pk=return_a.pk), show_id_numbers=False) is None


def test_an_unchanged_resubmission_says_so(client, clerk_a, reviewer, return_a):
    survey_return = _approve_and_reopen(return_a, clerk_a, reviewer)
    diff = changes.changes_since_approval(survey_return, show_id_numbers=False)
    assert diff.changes == [] and diff.approved_by == reviewer


@pytest.mark.parametrize("extra", [0, 10])
def test_the_diff_takes_a_fixed_number_of_queries(clerk_a, reviewer, return_a, extra, django_assert_num_queries):
    survey_return = _approve_and_reopen(return_a, clerk_a, reviewer)
    for n in range(extra):
        WorkerFactory(survey_return=survey_return, name=f"新{n}", birth_year=1980 + n)
    # the approved version; per table (workers, premises, allocations, programs) its history and its rows now
    with django_assert_num_queries(9):
        diff = changes.changes_since_approval(survey_return, show_id_numbers=False)
    assert len(diff.changes) == extra
