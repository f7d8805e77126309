"""The Django admin: every model's pages load for an administrator; clerks are refused; reviewers see their region."""

import pytest
from django.contrib import admin
from django.urls import reverse

from communities.models import ReturnStatus, SurveyReturn
from funding.models import Allocation
from tests.communities.factories import SurveyReturnFactory
from tests.facilities.factories import PremisesFactory
from tests.funding.factories import AllocationFactory
from tests.services.factories import ServiceProgramFactory
from tests.workforce.factories import WorkerFactory

MODELS = [model for model in admin.site._registry if model._meta.app_label != "axes"]


@pytest.fixture
def filled(street_a, street_b):
    survey_return = SurveyReturnFactory(community__street=street_a)
    WorkerFactory(survey_return=survey_return)
    PremisesFactory(survey_return=survey_return)
    ServiceProgramFactory(survey_return=survey_return)
    AllocationFactory(unit_code=survey_return.community.code)
    other = SurveyReturnFactory(community__street=street_b, community__name="歇马街社区")
    return survey_return, other


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_pages_load_for_an_administrator(client, administrator, filled, model):
    client.force_login(administrator)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(changelist).status_code == 200
    instance = model._default_manager.first()
    if instance is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
        assert client.get(change).status_code == 200
    if hasattr(admin.site._registry[model], "resource_classes"):
        export = reverse(f"admin:{opts.app_label}_{opts.model_name}_export")
        assert client.get(export).status_code == 200


def test_admin_refuses_a_clerk(client, clerk_a, filled):
    client.force_login(clerk_a)
    response = client.get(reverse("admin:communities_surveyreturn_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_a_reviewer_sees_only_their_region_in_the_admin(client, reviewer, filled, street_b):
    own, _ = filled
    client.force_login(reviewer)
    response = client.get(reverse("admin:communities_surveyreturn_changelist"))
    assert response.status_code == 200
    assert own.community.name in response.content.decode()
    assert "歇马街社区" in response.content.decode()  # the county reviewer sees both streets
    # …but a reviewer of street A only would not:
    reviewer.region = own.community.street
    reviewer.save()
    response = client.get(reverse("admin:communities_surveyreturn_changelist"))
    assert "歇马街社区" not in response.content.decode()


def test_a_reviewer_may_export_but_not_import_survey_data(client, reviewer, filled):
    client.force_login(reviewer)
    assert client.get(reverse("admin:workforce_worker_export")).status_code == 200
    assert client.get(reverse("admin:workforce_worker_import")).status_code == 403


def test_an_approved_return_is_read_only_in_the_admin(client, administrator, filled):
    survey_return, _ = filled
    survey_return.status = "approved"
    survey_return.save()
    worker = survey_return.workers.get()
    client.force_login(administrator)
    response = client.post(reverse("admin:workforce_worker_change", args=[worker.pk]), {"name": "改名"}, follow=False)
    assert response.status_code == 403
    worker.refresh_from_db()
    assert worker.name != "改名"


def test_the_admin_index_is_in_chinese_also_for_the_login_throttling_app(client, administrator):
    client.force_login(administrator)
    html = client.get(reverse("admin:index")).content.decode()
    # django-axes ships no Chinese and Django 5.2's admin lacks a few captions: locale/zh_Hans supplies them.
    assert "登录安全" in html and "登录失败记录" in html and "登录日志" in html
    for english in ("Axes", "Access attempts", "Access logs", "Access failures", "Model name", "Add link"):
        assert english not in html, english


@pytest.mark.parametrize("page", ["workforce_worker", "funding_allocation", "communities_surveyreturn"])
def test_a_locked_rows_page_says_why_it_is_read_only_and_links_to_the_return(client, administrator, filled, page):
    survey_return, _ = filled
    community = survey_return.community
    rows = {
        "workforce_worker": survey_return.workers.get(),
        "funding_allocation": Allocation.objects.get(unit_code=community.code),
        "communities_surveyreturn": survey_return,
    }
    url = reverse(f"admin:{page}_change", args=[rows[page].pk])
    client.force_login(administrator)
    assert "已锁定" not in client.get(url).content.decode()  # a draft: editable, nothing to explain

    SurveyReturn.objects.filter(pk=survey_return.pk).update(status=ReturnStatus.APPROVED)
    html = client.get(url).content.decode()
    notice = f"{community.name}（{community.code}）{survey_return.year} 年的年度填报已审核，已锁定，本页只能查看"
    assert notice in html and "不能修改；如需修改，请审核员先重新打开该填报。" in html
    detail = reverse("returns:detail", args=[community.code, survey_return.year])
    assert f'<a href="{detail}">打开该年度填报</a>' in html
    assert 'name="_save"' not in html  # read-only, as before
    assert client.get(detail).status_code == 200
    assert "已锁定" not in client.get(reverse("admin:index")).content.decode()  # said once, not carried over
