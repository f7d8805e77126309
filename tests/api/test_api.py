"""/api/indicators/ and /api/standards/: signed-in users only, scoped to their region, the command's JSON."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from communities.models import Region, Standard
from tests.indicators.fixtures import YEAR, RegionFactory, add_streets, build_survey

pytestmark = pytest.mark.django_db

URL = reverse("api:indicators")


@pytest.fixture
def survey(street_a, street_b):
    return build_survey(street_a, street_b)


def test_anonymous_gets_401_json(client, survey):
    response = client.get(URL, {"year": YEAR})
    assert response.status_code == 401
    assert response.json() == {"error": "请先登录。"}


def test_wrong_method_is_405(client, reviewer):
    client.force_login(reviewer)
    assert client.post(URL, {"year": YEAR}).status_code == 405


def test_reviewer_gets_the_county_and_it_equals_the_command(client, reviewer, survey):
    client.force_login(reviewer)
    response = client.get(URL, {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    out = StringIO()
    call_command("indicators", "--year", str(YEAR), "--region", "420626", "--json", stdout=out)
    county = Region.objects.get(code="420626").name
    assert response.json() == {
        "year": YEAR,
        "region": {"code": "420626", "name": county},
        "approved_only": False,
        **json.loads(out.getvalue()),
    }
    assert response.json()["communities"]["value"] == 3


def test_administrator_without_region_gets_everything_like_the_command_without_region(client, administrator, survey):
    client.force_login(administrator)
    response = client.get(URL, {"year": YEAR})
    out = StringIO()
    call_command("indicators", "--year", str(YEAR), "--json", stdout=out)
    assert response.json() == {
        "year": YEAR,
        "region": {"code": "", "name": "全国"},
        "approved_only": False,
        **json.loads(out.getvalue()),
    }


def test_a_clerk_sees_only_their_street(client, clerk_a, survey):
    client.force_login(clerk_a)
    response = client.get(URL, {"year": YEAR})
    assert response.status_code == 200
    data = response.json()
    assert data["communities"]["value"] == 2
    assert data["households"]["value"] == 800 + 1500
    text = response.content.decode()
    assert "420626101" not in text and "B1社区" not in text and "歇马镇" not in text


@pytest.mark.parametrize("region", ["420626101", "420626", "420627", "420626101001"])
def test_a_clerk_asking_for_another_unit_gets_404(client, clerk_a, survey, region):
    client.force_login(clerk_a)
    response = client.get(URL, {"year": YEAR, "region": region})
    assert response.status_code == 404
    assert response.json() == {"error": "没有找到该区划，或您无权查看。"}


@pytest.mark.parametrize(
    ("params", "status"), [({"year": "abc"}, 400), ({"year": "1999"}, 400), ({"region": "42x"}, 404)]
)
def test_bad_parameters_are_json_errors(client, reviewer, survey, params, status):
    client.force_login(reviewer)
    response = client.get(URL, params)
    assert response.status_code == status
    assert "error" in response.json()


def test_year_defaults_to_the_newest_with_returns(client, reviewer, survey):
    client.force_login(reviewer)
    data = client.get(URL).json()
    assert data["communities"]["value"] == 3
    # An answer without parameters says which year and which region it is.
    assert data["year"] == YEAR
    assert data["region"] == {"code": "420626", "name": Region.objects.get(code="420626").name}


def test_a_clerk_gets_their_street_named_at_the_top(client, clerk_a, survey):
    client.force_login(clerk_a)
    data = client.get(URL, {"year": YEAR}).json()
    assert data["region"]["code"] == clerk_a.region_id
    assert data["region"]["name"] == Region.objects.get(code=clerk_a.region_id).name


def test_the_api_index_lists_the_endpoints_in_chinese(client, clerk_a):
    assert client.get(reverse("api:index")).status_code == 401
    client.force_login(clerk_a)
    response = client.get("/api/")
    assert response.status_code == 200
    paths = [endpoint["path"] for endpoint in response.json()["endpoints"]]
    assert paths == [reverse("api:indicators"), reverse("api:standards")]
    assert "Page not found" not in response.content.decode()


def test_query_count_is_the_same_at_2_streets_3_communities_and_5_streets_30(
    client, reviewer, survey, django_assert_num_queries
):
    client.force_login(reviewer)
    # session 1 + user 1; standards 1; communities 2 (sums, size list); facilities 1 (sums, compliance and both
    # space lists from one pass over the rooms); workforce 1 (sums and all its shortfall lists in one statement);
    # funding 2 (sums, one statement for both money lists); services 1; the session is saved on every request:
    # savepoint, update, release 3; the region's name for the answer's header 1 — 14, whatever the number of streets
    # and communities.
    with django_assert_num_queries(14):
        assert client.get(URL, {"year": YEAR}).json()["communities"]["value"] == 3
    add_streets("420626", 3, 27)
    with django_assert_num_queries(14):
        data = client.get(URL, {"year": YEAR}).json()
    assert data["communities"]["value"] == 30 and data["streets"]["value"] == 5
    # Asking for another unit by its code costs one query more: whether it exists.
    with django_assert_num_queries(15):
        assert client.get(URL, {"year": YEAR, "region": "420626002"}).json()["communities"]["value"] == 9


def test_an_unknown_but_well_formed_code_is_404_json(client, reviewer, survey):
    client.force_login(reviewer)
    for region in ["420626999", "420626001999"]:
        response = client.get(URL, {"year": YEAR, "region": region})
        assert response.status_code == 404
        assert response.json() == {"error": "没有找到该区划，或您无权查看。"}


def test_a_county_named_by_its_code_is_found(client, administrator):
    # An import names the levels above the street by their code until someone renames them.
    RegionFactory(code="110105", name="110105")
    client.force_login(administrator)
    response = client.get(URL, {"year": YEAR, "region": "110105"})
    assert response.status_code == 200
    assert response.json()["communities"]["value"] == 0


def test_standards_endpoint_shows_inherited_values(client, clerk_a, survey):
    Standard.objects.create(region_code="420626", key="village_head_annual_pay", year_from=2020, value=41000)
    client.force_login(clerk_a)
    data = client.get(reverse("api:standards"), {"year": YEAR}).json()
    assert data["village_head_annual_pay"]["value"] == 41000.0
    assert data["village_head_annual_pay"]["region_code"] == "420626"
    assert data["facility_area_per_100_households"]["region_code"] == ""
    assert data["local_average_wage"] is None
    out = StringIO()
    call_command("standards", "--region", "420626001", "--year", str(YEAR), "--json", stdout=out)
    assert json.loads(out.getvalue()) == data


def test_limit_keeps_the_worst_of_each_list_like_the_command(client, reviewer, survey):
    client.force_login(reviewer)
    data = client.get(URL, {"year": YEAR, "limit": 1}).json()
    assert data["households_per_worker"]["shortfall_count"] == 3
    assert [r["code"] for r in data["households_per_worker"]["shortfalls"]] == ["420626101001"]
    out = StringIO()
    call_command("indicators", "--year", str(YEAR), "--region", "420626", "--limit", "1", "--json", stdout=out)
    assert data == {"year": YEAR, "region": data["region"], "approved_only": False, **json.loads(out.getvalue())}
    assert client.get(URL, {"year": YEAR, "limit": "0"}).status_code == 400
    assert client.get(URL, {"year": YEAR, "limit": "x"}).json() == {"error": "limit“x”应为正整数。"}
