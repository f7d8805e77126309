"""ID-card numbers are masked for everyone but administrators, so the admin refuses the others any filter, search
or sort on them (a filter would confirm a guessed number, ``__startswith`` recover it digit by digit), and the
refused request's log lines do not carry the number."""

import json
import logging

import pytest

from config.logging import JsonFormatter
from tests.communities.factories import CommunityFactory, SurveyReturnFactory
from tests.facilities.factories import PremisesFactory
from tests.returns.conftest import VALID_ID
from tests.workforce.factories import WorkerFactory
from workforce.admin import WorkerAdmin
from workforce.models import Worker

WORKERS = "/admin/workforce/worker/"
LOOKUPS = [
    (WORKERS, {"id_number": VALID_ID}),
    (WORKERS, {"id_number__startswith": VALID_ID[:10]}),
    (WORKERS, {"id_number__exact": VALID_ID}),
    (WORKERS, {"id_number__regex": "^4206"}),
    ("/admin/communities/surveyreturn/", {"workers__id_number": VALID_ID}),
    ("/admin/facilities/premises/", {"survey_return__workers__id_number__startswith": "4206"}),
]


@pytest.fixture
def worker(street_a):
    survey_return = SurveyReturnFactory(community=CommunityFactory(street=street_a), year=2025)
    PremisesFactory(survey_return=survey_return)
    WorkerFactory(survey_return=survey_return, name="无身份证", birth_year=1980)
    return WorkerFactory(survey_return=survey_return, name="有身份证", id_number=VALID_ID, birth_year=1985)


@pytest.mark.parametrize(("url", "query"), LOOKUPS)
def test_a_reviewer_cannot_filter_by_id_number(client, reviewer, worker, url, query, caplog):
    client.force_login(reviewer)
    with caplog.at_level(logging.INFO):
        response = client.get(url, query)
    assert response.status_code == 400
    assert VALID_ID not in response.content.decode()
    for record in caplog.records:  # Django's request and security logs, as the JSON formatter writes them
        line = JsonFormatter().format(record)
        assert VALID_ID not in line and VALID_ID[:10] not in line, json.loads(line)


def test_an_administrator_may_filter_by_id_number(client, administrator, worker):
    client.force_login(administrator)
    response = client.get(WORKERS, {"id_number__startswith": VALID_ID[:10]})
    assert response.status_code == 200
    assert [w.pk for w in response.context["cl"].result_list] == [worker.pk]


def test_a_search_field_on_id_numbers_is_for_administrators_only(client, reviewer, administrator, worker, monkeypatch):
    monkeypatch.setattr(WorkerAdmin, "search_fields", [*WorkerAdmin.search_fields, "id_number"])
    client.force_login(reviewer)
    response = client.get(WORKERS, {"q": VALID_ID})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    client.force_login(administrator)
    response = client.get(WORKERS, {"q": VALID_ID})
    assert [w.pk for w in response.context["cl"].result_list] == [worker.pk]


def test_sorting_by_id_number_is_for_administrators_only(rf, reviewer, administrator, monkeypatch):
    from django.contrib import admin

    model_admin = admin.site._registry[Worker]
    monkeypatch.setattr(WorkerAdmin, "sortable_by", ["name", "id_number"])
    for user, expected in ((reviewer, ["name"]), (administrator, ["name", "id_number"])):
        request = rf.get(WORKERS)
        request.user = user
        assert list(model_admin.get_sortable_by(request)) == expected
