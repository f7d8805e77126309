"""Two administrators editing the same community, standard or region in the admin: the change form carries the row
as it read it, and the second save is refused in Chinese with nothing overwritten ("listed as not done")."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from communities.models import Community, Region, Standard, StandardKey
from tests.communities.factories import CommunityFactory, UserFactory
from tests.returns.helpers import admin_form_data

REFUSED = "您的修改没有保存。请查看最新内容后重新修改。"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def second_administrator(administrator):
    return UserFactory(username="administrator2", role=administrator.role, region=None, first_name="王二")


def _rows(street_a):
    community = CommunityFactory(street=street_a, name="东门社区")
    key = StandardKey.FACILITY_AREA_PER_100_HOUSEHOLDS
    standard = Standard.objects.create(key=key, region_code="", year_from=2020, value=Decimal("30"), source="国标")
    return {
        "communities_community": (community, "name", "东门一社区", "东门二社区"),
        "communities_standard": (standard, "source", "省标", "市标"),
        "communities_region": (street_a, "name", "城关一街道", "城关二街道"),
    }


@pytest.mark.parametrize("model", ["communities_community", "communities_standard", "communities_region"])
def test_the_second_of_two_admins_editing_a_row_is_refused(administrator, second_administrator, street_a, model):
    row, field, first_value, second_value = _rows(street_a)[model]
    url = reverse(f"admin:{model}_change", args=[row.pk])
    first, second = _client(administrator), _client(second_administrator)
    first_data, second_data = admin_form_data(first, url), admin_form_data(second, url)  # both open the form
    assert first_data["row_version"] == second_data["row_version"]

    first_data[field] = first_value
    assert first.post(url, first_data).status_code == 302
    second_data[field] = second_value
    response = second.post(url, second_data)
    assert response.status_code == 200  # the form again, with the message
    errors = str(response.context["adminform"].form.non_field_errors())
    assert REFUSED in errors and REFUSED in response.content.decode()
    row.refresh_from_db()
    assert getattr(row, field) == first_value  # the first admin's change stands

    fresh = admin_form_data(second, url)  # opened again, the second admin's change goes through
    fresh[field] = second_value
    assert second.post(url, fresh).status_code == 302
    row.refresh_from_db()
    assert getattr(row, field) == second_value


def test_the_message_names_who_saved_and_when(administrator, second_administrator, street_a):
    community = CommunityFactory(street=street_a, name="东门社区")
    url = reverse("admin:communities_community_change", args=[community.pk])
    first, second = _client(administrator), _client(second_administrator)
    stale = admin_form_data(first, url)
    data = admin_form_data(second, url)
    data["name"] = "东门新社区"
    assert second.post(url, data).status_code == 302
    stale["community_type"] = "rural" if community.community_type != "rural" else "urban"
    response = first.post(url, stale)
    assert "该记录已被 王二 于 " in response.content.decode()
    community.refresh_from_db()
    assert (community.name, community.community_type) == ("东门新社区", "urban")


def test_a_form_without_the_version_is_refused(administrator, street_a):
    community = CommunityFactory(street=street_a, name="东门社区")
    url = reverse("admin:communities_community_change", args=[community.pk])
    client = _client(administrator)
    data = admin_form_data(client, url)
    del data["row_version"]
    data["name"] = "改名"
    response = client.post(url, data)
    assert response.status_code == 200 and "页面缺少版本信息，请刷新页面后重新填写。" in response.content.decode()
    assert Community.objects.get(pk=community.pk).name == "东门社区"


def test_adding_needs_no_version_and_a_read_only_page_shows_none(client, administrator, reviewer, street_a):
    client.force_login(administrator)
    response = client.post(reverse("admin:communities_region_add"), {"code": "420626002", "name": "新街道"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Region.objects.filter(code="420626002").exists()
    community = CommunityFactory(street=street_a, name="东门社区")
    client.force_login(reviewer)  # reviewers see communities, read-only
    html = client.get(reverse("admin:communities_community_change", args=[community.pk])).content.decode()
    assert "东门社区" in html and "记录版本" not in html
