"""A Django admin change form opened before somebody else saved the return (the return page, another admin form,
an import) is a conflict like the return page's: a form error, nothing written."""

import pytest
from django.test import Client
from django.urls import reverse

from communities.models import SurveyReturn
from funding.models import Allocation
from tests.returns.helpers import admin_form_data, page_data

CONFLICT = "您的修改没有保存"


def _admin(administrator):
    admin = Client()
    admin.force_login(administrator)
    return admin


def _clerk_saves(client, clerk, survey_return, **changes):
    client.force_login(clerk)
    data = page_data(client, survey_return.community_id, survey_return.year)
    data.update(changes)
    response = client.post(reverse("returns:edit", args=[survey_return.community_id, survey_return.year]), data)
    assert response.status_code == 302


def test_stale_worker_and_return_forms_do_not_revert_the_clerks_save(client, clerk_a, administrator, return_a):
    admin = _admin(administrator)
    worker = return_a.workers.order_by("pk").first()
    position = worker.position
    worker_url = f"/admin/workforce/worker/{worker.pk}/change/"
    return_url = f"/admin/communities/surveyreturn/{return_a.pk}/change/"
    stale_worker = admin_form_data(admin, worker_url)  # both read at version 1
    stale_return = admin_form_data(admin, return_url)
    assert stale_worker["return_version"] == stale_return["return_version"] == f"{return_a.pk}:1"

    _clerk_saves(client, clerk_a, return_a, **{"workers-0-monthly_pay": "4444", "households": "1234"})

    stale_worker["position"] = "secretary"
    stale_return["population"] = "9999"
    for url, data in ((worker_url, stale_worker), (return_url, stale_return)):
        response = admin.post(url, data)
        assert response.status_code == 200, url  # the form again, with the error
        assert CONFLICT in response.content.decode()
        assert CONFLICT in str(response.context["adminform"].form.non_field_errors())
    worker.refresh_from_db()
    return_a.refresh_from_db()
    assert (worker.monthly_pay, worker.position) == (4444, position)
    assert (return_a.households, return_a.population, return_a.version) == (1234, 2900, 2)

    # Opened afresh, the same change goes through.
    fresh = admin_form_data(admin, return_url)
    fresh["population"] = "9999"
    assert admin.post(return_url, fresh).status_code == 302
    return_a.refresh_from_db()
    assert (return_a.households, return_a.population, return_a.version) == (1234, 9999, 3)


def _rows(survey_return):
    return {
        "workforce/worker": (survey_return.workers.order_by("pk").first(), "name", "新名字"),
        "facilities/premises": (survey_return.premises.first(), "area", "123"),
        "funding/allocation": (
            Allocation.objects.get(unit_code=survey_return.community_id, year=survey_return.year),
            "budget",
            "77",
        ),
        "services/serviceprogram": (survey_return.programs.first(), "name", "新项目"),
        "communities/surveyreturn": (survey_return, "population", "8888"),
    }


@pytest.mark.parametrize(
    "model", ["workforce/worker", "facilities/premises", "funding/allocation", "services/serviceprogram"]
)
def test_every_row_admin_refuses_a_form_read_before_another_admin_save(administrator, return_a, model):
    admin = _admin(administrator)
    row, field, value = _rows(return_a)[model]
    url = f"/admin/{model}/{row.pk}/change/"
    stale = admin_form_data(admin, url)
    # Another administrator saves the return's basics meanwhile.
    other = _admin(administrator)
    return_url = f"/admin/communities/surveyreturn/{return_a.pk}/change/"
    fresh = admin_form_data(other, return_url)
    fresh["households"] = "1111"
    assert other.post(return_url, fresh).status_code == 302
    before = type(row).objects.filter(pk=row.pk).values().get()

    stale[field] = value
    response = admin.post(url, stale)
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    assert type(row).objects.filter(pk=row.pk).values().get() == before
    assert SurveyReturn.objects.get(pk=return_a.pk).version == 2


def test_a_change_form_without_the_version_is_refused(administrator, return_a):
    admin = _admin(administrator)
    url = f"/admin/communities/surveyreturn/{return_a.pk}/change/"
    data = admin_form_data(admin, url)
    del data["return_version"]
    data["households"] = "1"
    response = admin.post(url, data)
    assert response.status_code == 200
    assert "页面缺少版本信息" in response.content.decode()
    assert SurveyReturn.objects.get(pk=return_a.pk).households == 1050


def test_a_street_allocation_belongs_to_no_return_and_saves(client, administrator, street_a, return_a):
    from tests.funding.factories import AllocationFactory

    admin = _admin(administrator)
    allocation = AllocationFactory(unit_code=street_a.code, year=2025)
    url = f"/admin/funding/allocation/{allocation.pk}/change/"
    data = admin_form_data(admin, url)
    data["budget"] = "9"
    assert admin.post(url, data).status_code == 302
    allocation.refresh_from_db()
    assert allocation.budget == 9
