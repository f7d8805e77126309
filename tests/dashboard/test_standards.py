"""Reviewers set their region's standards on the standards page and in the admin; nobody else does."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from communities.models import Standard, StandardKey

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:standards")


def test_anonymous_is_sent_to_login(client):
    assert client.get(URL).status_code == 302


def test_wrong_method_is_405(client, reviewer):
    client.force_login(reviewer)
    assert client.put(URL).status_code == 405


def test_the_page_shows_values_in_force_and_where_they_come_from(client, clerk_a):
    Standard.objects.create(region_code="420626", key="facility_min_area", year_from=2020, value=500, source="县文件")
    client.force_login(clerk_a)
    response = client.get(URL, {"year": 2025})
    assert response.status_code == 200
    rows = {row["key"]: row for row in response.context["rows"]}
    assert rows["facility_min_area"]["standard"]["value"] == 500.0
    assert rows["facility_min_area"]["own"] is False
    assert "县文件" in rows["facility_min_area"]["origin"]
    assert response.context["may_change"] is False


def test_each_new_value_box_is_named_for_screen_readers(client, reviewer):
    """The boxes sit in a table under the column header '为保康县设置新值': each is named by its standard."""
    client.force_login(reviewer)
    page = client.get(URL, {"region": "420626", "year": 2025}).content.decode()
    names = {}
    for key in StandardKey.values:
        tag = re.search(rf'<input[^>]*name="{key}"[^>]*>', page).group(0)
        label = re.search(r'aria-label="([^"]*)"', tag)
        names[key] = label and label.group(1)
    assert names["facility_min_area"] == f"{StandardKey.FACILITY_MIN_AREA.label}的新值"
    assert names["worker_loss_rate_max"].endswith("(%)的新值")
    assert all(names.values()), names


def test_a_reviewer_sets_a_standard_for_their_county(client, reviewer):
    client.force_login(reviewer)
    response = client.post(
        URL + "?region=420626&year=2025",
        {"region": "420626", "year_from": 2024, "source": "保民发〔2024〕3号", "facility_min_area": "350"},
    )
    assert response.status_code == 302
    row = Standard.objects.get(region_code="420626", key="facility_min_area")
    assert (row.year_from, row.value, row.source) == (2024, 350, "保民发〔2024〕3号")
    assert row.history.count() == 1


def test_an_empty_or_negative_form_is_refused_with_a_message(client, reviewer):
    client.force_login(reviewer)
    response = client.post(URL, {"region": "420626", "year_from": 2024, "source": "保民发〔2024〕3号"})
    assert response.status_code == 200
    assert "请至少填写一项标准的数值。" in response.content.decode()
    response = client.post(URL, {"region": "420626", "year_from": 2024, "facility_min_area": "-1"})
    assert "不能为负数" in response.content.decode()
    assert not Standard.objects.filter(region_code="420626").exists()


@pytest.mark.parametrize("source", ["", "   "])
def test_a_standard_without_its_source_document_is_refused(client, reviewer, source):
    client.force_login(reviewer)
    response = client.post(URL, {"region": "420626", "year_from": 2024, "facility_min_area": "350", "source": source})
    assert response.status_code == 200
    assert "请填写依据文件：标准必须注明出处。" in response.content.decode()
    assert not Standard.objects.filter(region_code="420626").exists()


def test_a_clerk_may_not_set_standards(client, clerk_a):
    client.force_login(clerk_a)
    response = client.post(URL, {"region": "420626001", "year_from": 2024, "facility_min_area": "1"})
    assert response.status_code == 403
    assert not Standard.objects.filter(region_code="420626001").exists()


def test_a_reviewer_may_not_set_another_countys_standards(client, reviewer):
    client.force_login(reviewer)
    response = client.post(URL + "?region=420627", {"year_from": 2024, "facility_min_area": "1"})
    assert response.status_code == 404
    assert not Standard.objects.filter(region_code="420627").exists()


def test_in_the_admin_a_reviewer_only_adds_standards_under_their_region(client, reviewer):
    client.force_login(reviewer)
    url = reverse("admin:communities_standard_add")
    data = {"key": "facility_min_area", "year_from": 2024, "value": "400", "source": "x"}
    response = client.post(url, {**data, "region_code": "420627"})
    assert response.status_code == 200
    assert "只能为本人所属区划及其下级区划设置标准。" in response.content.decode()
    response = client.post(url, {**data, "region_code": ""})
    assert "只能为本人所属区划及其下级区划设置标准。" in response.content.decode()
    assert client.post(url, {**data, "region_code": "420626001"}).status_code == 302
    assert Standard.objects.filter(region_code="420626001", key="facility_min_area").exists()
    assert Standard.objects.filter(region_code__in=["420627", ""], year_from=2024).count() == 0


def test_only_administrators_import_standards(client, reviewer, administrator):
    client.force_login(reviewer)
    assert client.get(reverse("admin:communities_standard_import")).status_code == 403
    client.force_login(administrator)
    assert client.get(reverse("admin:communities_standard_import")).status_code == 200


def test_a_region_not_imported_yet_may_get_standards_and_the_page_says_so(client, reviewer):
    client.force_login(reviewer)
    response = client.get(URL, {"region": "420626999", "year": 2025})
    assert response.status_code == 200
    text = response.content.decode()
    assert "区划 420626999 尚未导入任何数据" in text
    # The breadcrumb links the county, which exists, and not the street, which does not.
    assert reverse("dashboard:region", args=["420626"]) in text
    assert reverse("dashboard:region", args=["420626999"]) not in text
    response = client.post(
        URL, {"region": "420626999", "year_from": 2025, "facility_min_area": "350", "source": "县文件"}
    )
    assert response.status_code == 302
    assert Standard.objects.get(region_code="420626999", key="facility_min_area").value == 350


def test_the_page_shows_chinese_labels_and_no_internal_keys(client, reviewer):
    Standard.objects.create(
        region_code="420626", key="worker_loss_rate_max", year_from=2020, value="0.1", source="县文件"
    )
    client.force_login(reviewer)
    page = client.get(URL, {"region": "420626", "year": 2025}).content.decode()
    visible = re.sub(r"<[^>]+>", " ", page)  # the text a user reads, without the tags' attributes
    for key in ("facility_area_per_100_households", "village_head_annual_pay", "worker_loss_rate_max"):
        assert key not in visible
    assert "每百户综合服务用房面积(平方米)" in page
    assert "社区工作者流失率上限(%)" in page
    assert "填小数" not in page and "小数，0.1即10%" not in page
    assert "10%" in page


def test_a_rate_is_typed_as_a_percentage_and_stored_as_a_fraction(client, reviewer):
    client.force_login(reviewer)
    response = client.post(
        URL + "?region=420626&year=2025",
        {"region": "420626", "year_from": 2024, "source": "保民发〔2024〕3号", "worker_loss_rate_max": "10"},
    )
    assert response.status_code == 302
    assert Standard.objects.get(region_code="420626", key="worker_loss_rate_max").value == Decimal("0.1")
    page = client.get(URL, {"region": "420626", "year": 2025}).content.decode()
    assert "10%" in page


def test_a_rate_over_100_percent_is_refused_and_nothing_is_saved(client, reviewer):
    client.force_login(reviewer)
    response = client.post(
        URL, {"region": "420626", "year_from": 2024, "source": "保民发〔2024〕3号", "worker_loss_rate_max": "120"}
    )
    assert response.status_code == 200
    assert "比率不能超过 100%。" in response.content.decode()
    assert not Standard.objects.filter(region_code="420626").exists()


def test_a_standards_origin_names_the_region_not_its_code(client, reviewer, street_a):
    from communities.standards import standards_save
    from tests.communities.factories import CommunityFactory, SurveyReturnFactory

    SurveyReturnFactory(community=CommunityFactory(street=street_a), year=2025, households=800)
    standards_save(
        region_code="420626", year_from=2023, values={"worker_loss_rate_max": Decimal("0.1")}, source="县考核办法"
    )
    client.force_login(reviewer)
    for page in (
        client.get(reverse("dashboard:index"), {"year": 2025}).content.decode(),
        client.get(reverse("dashboard:standards"), {"region": "420626", "year": 2025}).content.decode(),
    ):
        assert "保康县，2023年起；县考核办法" in page
        assert "420626，" not in page
