"""Issue 16 item 17: starting a year's return says what was carried over from which year, and that funding is to be
entered anew (it is not copied: money is budgeted every year)."""

from django.urls import reverse

from funding.models import Allocation


def start(client, code, year=2025):
    response = client.post(reverse("returns:start", args=[code, year]), follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_the_message_names_what_was_carried_and_that_funding_is_to_be_entered(client, clerk_a, return_a_2024):
    client.force_login(clerk_a)
    page = start(client, return_a_2024.community_id)
    # 4 workers in 2024, one of whom left that year: 3 carried; 1 room; 1 program
    assert (
        "已新建 东门社区 2025 年的填报，沿用了 2024 年的基本情况、在职社区工作者3人、办公服务用房1处、服务项目1项，"
        "请按 2025 年的实际情况核对修改；经费不沿用，请按 2025 年的预算和到位情况填写。"
    ) in page
    assert not Allocation.objects.filter(unit_code=return_a_2024.community_id, year=2025).exists()


def test_opening_an_existing_return_says_only_that(client, clerk_a, return_a_2024):
    client.force_login(clerk_a)
    start(client, return_a_2024.community_id)
    page = start(client, return_a_2024.community_id)
    assert "已打开 东门社区 2025 年的填报。" in page and "沿用" not in page.split("已打开")[1][:100]


def test_a_first_return_has_nothing_to_carry(client, clerk_a, community_a):
    client.force_login(clerk_a)
    page = start(client, community_a.code)
    assert "已新建 东门社区 2025 年的填报：没有以前年度的数据可以沿用，请逐项填写。" in page


def test_rows_of_a_kind_that_was_empty_are_not_listed(client, clerk_a, return_a_2024):
    return_a_2024.programs.all().delete()
    client.force_login(clerk_a)
    page = start(client, return_a_2024.community_id)
    assert "办公服务用房1处，请按" in page and "服务项目0" not in page
