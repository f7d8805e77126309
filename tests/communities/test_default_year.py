"""The year every page opens on without ?year=: the latest year with the most returns of the user's region, so one
draft for next year does not turn the workspace, the dashboards and the API to a year with one return of many."""

import pytest
from django.urls import reverse

from communities.models import ReturnStatus
from tests.communities.factories import CommunityFactory, SurveyReturnFactory


@pytest.fixture
def three_returns_2024_and_one_draft_2025(street_a):
    communities = [CommunityFactory(street=street_a) for _ in range(3)]
    for community in communities:
        SurveyReturnFactory(community=community, year=2024, status=ReturnStatus.SUBMITTED)
    SurveyReturnFactory(community=communities[0], year=2025, status=ReturnStatus.DRAFT, households=500)
    return communities


def opened_years(client, user):
    client.force_login(user)
    return {
        "workspace": client.get(reverse("returns:workspace")).context["year"],
        "dashboard": client.get(reverse("dashboard:index")).context["page"]["year"],
        # The API's households tell its year: 1,000 a return of 2024, 500 a return of 2025.
        "api": {3000: 2024, 500: 2025, 1500: 2025}[client.get(reverse("api:indicators")).json()["households"]["value"]],
    }


def test_one_draft_for_next_year_does_not_flip_the_pages(
    client, clerk_a, reviewer, three_returns_2024_and_one_draft_2025
):
    assert opened_years(client, reviewer) == {"workspace": 2024, "dashboard": 2024, "api": 2024}
    assert opened_years(client, clerk_a) == {"workspace": 2024, "dashboard": 2024, "api": 2024}


def test_the_new_year_takes_over_once_it_has_as_many_returns(client, reviewer, three_returns_2024_and_one_draft_2025):
    for community in three_returns_2024_and_one_draft_2025[1:]:
        SurveyReturnFactory(community=community, year=2025, households=500)
    assert opened_years(client, reviewer) == {"workspace": 2025, "dashboard": 2025, "api": 2025}


def test_the_region_decides_not_the_whole_database(client, clerk_b, street_a, three_returns_2024_and_one_draft_2025):
    """Street B has only its own 2025 return: its clerk opens 2025 although the county has more returns of 2024."""
    SurveyReturnFactory(community=CommunityFactory(street=clerk_b.region), year=2025)
    client.force_login(clerk_b)
    assert client.get(reverse("returns:workspace")).context["year"] == 2025
    assert client.get(reverse("dashboard:index")).context["page"]["year"] == 2025


def test_without_any_return_the_pages_open_on_last_year(client, reviewer):
    from django.utils import timezone

    last_year = timezone.localdate().year - 1
    client.force_login(reviewer)
    assert client.get(reverse("returns:workspace")).context["year"] == last_year
    assert client.get(reverse("dashboard:index")).context["page"]["year"] == last_year
