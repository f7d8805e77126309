"""Headers say each thing once (issue 16 item 19): who is signed in, and the level of the dashboard's unit in the
words users say (街道, 镇, 乡, 县（区）…), left out when the unit's name already says it."""

import re

import pytest
from django.urls import reverse

from communities.codes import spoken_level
from communities.models import Role
from tests.communities.factories import RegionFactory, UserFactory


@pytest.mark.parametrize(
    "code, name, expected",
    [
        ("", "全国", ""),
        ("42", "湖北省", ""),
        ("11", "北京市", ""),
        ("4206", "襄阳市", ""),
        ("4228", "恩施土家族苗族自治州", ""),
        ("420626", "保康县", ""),
        ("420602", "襄城区", ""),
        ("420626", "保康", "县（区）"),
        ("420626001", "城关街道", ""),
        ("420626001", "城关", "街道"),
        ("420626101", "歇马镇", ""),
        ("420626101", "歇马", "镇"),
        ("420626201", "寺坪乡", ""),
        ("420626001001", "光千社区", ""),
        ("420626001001", "光千", "社区"),
    ],
)
def test_the_level_is_named_as_users_say_it_unless_the_name_says_it(code, name, expected):
    assert spoken_level(code, name) == expected


def _header(response) -> str:
    match = re.search(r'<div class="site-user">\s*<span>(.*?)</span>', response.content.decode())
    assert match, "no user in the page header"
    return match.group(1)


def _heading(response) -> str:
    match = re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).split()


def test_the_header_names_the_user_role_and_region_once(client, street_a, county):
    account = UserFactory(username="gq", role=Role.CLERK, region=street_a, first_name="城关街道 填报员")
    person = UserFactory(username="zs", role=Role.CLERK, region=street_a, first_name="张三")
    reviewer = UserFactory(username="rv", role=Role.REVIEWER, region=county, first_name="县民政局 审核员")
    expected = [
        (account, "城关街道 填报员"),
        (person, "张三 · 填报员 · 城关街道"),
        (reviewer, "县民政局 审核员 · 保康县"),
    ]
    for user, header in expected:
        client.force_login(user)
        assert _header(client.get(reverse("returns:workspace"))) == header


def test_the_header_of_a_user_without_a_name_or_region(client, administrator):
    client.force_login(administrator)
    assert _header(client.get(reverse("returns:workspace"))) == "administrator · 管理员"


def test_the_dashboard_heading_does_not_repeat_the_level(client, administrator, street_a, street_b):
    RegionFactory(code="420626201", name="寺坪")  # a township whose name does not say it is a 乡
    client.force_login(administrator)
    year = 2025
    pages = [
        (reverse("dashboard:index"), ["全国", "2025年"]),
        (reverse("dashboard:region", args=["420626"]), ["保康县", "2025年"]),
        (reverse("dashboard:region", args=["420626001"]), ["城关街道", "2025年"]),
        (reverse("dashboard:region", args=["420626201"]), ["寺坪", "乡", "·", "2025年"]),
    ]
    for url, words in pages:
        response = client.get(url, {"year": year})
        assert response.status_code == 200, url
        assert _heading(response) == words, url
