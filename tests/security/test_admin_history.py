"""The admin's history pages (django-simple-history): scoped by region like everything else, and read-only — a
version is shown, never saved back over the live row (no revert for anyone)."""

import pytest

from communities.models import ReturnStatus, Role, SurveyReturn
from communities.returns import services
from facilities.models import Premises
from funding.models import Allocation
from services.models import ServiceProgram
from tests.communities.factories import CommunityFactory, RegionFactory, SurveyReturnFactory, UserFactory
from tests.returns.conftest import VALID_ID, fill
from workforce.models import Worker

OTHER_VALID_ID = "420626199001010039"  # checksum-valid (GB 11643)


@pytest.fixture
def approved(street_a, clerk_a, reviewer):
    """A return of county A, filled in as a draft, then submitted and approved (three versions in its history)."""
    survey_return = fill(SurveyReturnFactory(community=CommunityFactory(street=street_a), year=2025))
    submitted = services.return_submit(survey_return=survey_return, user=clerk_a)
    return services.return_approve(survey_return=submitted, user=reviewer, expected_version=submitted.version)


@pytest.fixture
def reviewer_c(db):
    """A reviewer of another county (420627)."""
    RegionFactory(code="42", name="湖北省")
    RegionFactory(code="4206", name="襄阳市")
    return UserFactory(username="reviewer_c", role=Role.REVIEWER, region=RegionFactory(code="420627", name="另一县"))


def state(survey_return):
    """What a revert would change: the return's workflow and basics, and every row's values."""
    return (
        SurveyReturn.objects.filter(pk=survey_return.pk).values_list("status", "version", "households").get(),
        list(Worker.objects.order_by("pk").values_list("pk", "name", "monthly_pay", "id_number")),
        list(Premises.objects.order_by("pk").values_list("pk", "name", "area")),
        list(Allocation.objects.order_by("pk").values_list("pk", "budget")),
        list(ServiceProgram.objects.order_by("pk").values_list("pk", "name")),
        SurveyReturn.history.count() + Worker.history.count() + Premises.history.count(),
    )


def rows_of(survey_return):
    """(admin URL prefix, row) for the return and one row of each kind of its survey data, and its community."""
    return {
        "communities/surveyreturn": survey_return,
        "communities/community": survey_return.community,
        "workforce/worker": survey_return.workers.first(),
        "facilities/premises": survey_return.premises.first(),
        "funding/allocation": Allocation.objects.get(unit_code=survey_return.community_id, year=2025),
        "services/serviceprogram": survey_return.programs.first(),
    }


MODELS = [
    "communities/surveyreturn",
    "communities/community",
    "workforce/worker",
    "facilities/premises",
    "funding/allocation",
    "services/serviceprogram",
]


def oldest_version(obj):
    return obj.history.earliest().history_id


@pytest.mark.parametrize("model", MODELS)
def test_a_reviewer_of_another_county_can_neither_read_nor_revert_the_history(client, reviewer_c, approved, model):
    obj = rows_of(approved)[model]
    client.force_login(reviewer_c)
    before = state(approved)
    history = f"/admin/{model}/{obj.pk}/history/"
    version = f"{history}{oldest_version(obj)}/"
    assert client.get(history).status_code == 404
    assert client.get(version).status_code == 404
    assert client.post(version, {"status": "draft", "households": "1"}).status_code == 404
    assert state(approved) == before


def test_the_county_reviewer_cannot_roll_an_approved_return_back_to_draft(client, reviewer, approved):
    client.force_login(reviewer)
    before = state(approved)
    assert approved.history.count() == 3  # draft, submitted, approved
    version = f"/admin/communities/surveyreturn/{approved.pk}/history/{oldest_version(approved)}/"
    page = client.get(version)
    assert page.status_code == 200  # the old version may be read…
    assert 'name="_save"' not in page.content.decode()  # …with no revert button
    response = client.post(version)  # what the revert button would have sent (a view-only form has no fields)
    assert response.status_code == 405
    assert "历史版本只能查看，不能恢复" in response.content.decode()
    assert state(approved) == before
    assert SurveyReturn.objects.get(pk=approved.pk).status == ReturnStatus.APPROVED


@pytest.mark.parametrize("model", MODELS)
def test_the_county_reviewer_cannot_revert_any_row_of_their_county(client, reviewer, approved, model):
    obj = rows_of(approved)[model]
    client.force_login(reviewer)
    before = state(approved)
    assert client.get(f"/admin/{model}/{obj.pk}/history/").status_code == 200
    response = client.post(f"/admin/{model}/{obj.pk}/history/{oldest_version(obj)}/")
    assert response.status_code == 405
    assert state(approved) == before


def test_an_administrator_cannot_revert_either(client, administrator, street_a):
    survey_return = fill(SurveyReturnFactory(community=CommunityFactory(street=street_a), year=2025, households=1000))
    worker = survey_return.workers.first()
    client.force_login(administrator)
    # Later changes, so that there is an older version to go back to.
    survey_return.households = 1200
    survey_return.save()
    worker.monthly_pay = 2500
    worker.save()
    before = state(survey_return)
    for model, obj, old in (
        ("communities/surveyreturn", survey_return, {"households": "1000", "population": "2800", "year": "2025"}),
        ("workforce/worker", worker, {"name": worker.name, "monthly_pay": "1500"}),
    ):
        version = f"/admin/{model}/{obj.pk}/history/{oldest_version(obj)}/"
        assert client.get(version).status_code == 200
        assert client.post(version, {**old, "community": obj.pk, "_save": "恢复"}).status_code == 405
    assert state(survey_return) == before


def test_the_admin_history_diff_shows_id_numbers_masked_except_to_administrators(
    client, reviewer, administrator, approved
):
    worker = approved.workers.first()
    # Two recorded changes of the ID number (the return reopened for the edit, then approved again).
    SurveyReturn.objects.filter(pk=approved.pk).update(status=ReturnStatus.RETURNED)
    for number in (VALID_ID, OTHER_VALID_ID):
        worker.id_number = number
        worker.save()
    url = f"/admin/workforce/worker/{worker.pk}/history/"
    client.force_login(reviewer)
    page = client.get(url).content.decode()
    assert "4206**********0014" in page and "4206**********0039" in page
    assert VALID_ID not in page and OTHER_VALID_ID not in page
    client.force_login(administrator)
    page = client.get(url).content.decode()
    assert VALID_ID in page and OTHER_VALID_ID in page


def test_the_history_of_a_deleted_row_is_for_administrators_only(client, reviewer, administrator, approved):
    premises = approved.premises.get()
    url = f"/admin/facilities/premises/{premises.pk}/history/"
    SurveyReturn.objects.filter(pk=approved.pk).update(status=ReturnStatus.RETURNED)
    premises.delete()
    client.force_login(reviewer)
    assert client.get(url).status_code == 404  # no longer a row of the reviewer's region to place it by
    client.force_login(administrator)
    response = client.get(url)
    assert response.status_code == 200
    assert "综合服务中心" in response.content.decode()
