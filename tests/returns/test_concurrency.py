"""Two saves of the same return at the same moment, in two database connections: exactly one wins, the other
gets ReturnConflict and writes nothing. Needs real concurrent transactions, so it runs on PostgreSQL only."""

import threading

import pytest
from django.db import connection, connections

from communities.models import SurveyReturn
from communities.returns import services

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the standards seeded by migration
def test_of_two_simultaneous_saves_exactly_one_wins(clerk_a, community_a):
    from tests.communities.factories import SurveyReturnFactory

    survey_return = SurveyReturnFactory(community=community_a, year=2025)
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def save(households: int):
        try:
            barrier.wait()
            stale = SurveyReturn.objects.get(pk=survey_return.pk)
            services.return_save(
                survey_return=stale, user=clerk_a, expected_version=1, basics={"households": households}
            )
            outcomes[households] = "saved"
        except services.ReturnConflict:
            outcomes[households] = "conflict"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(n,)) for n in (1111, 2222)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(n for n, outcome in outcomes.items() if outcome == "saved")
    survey_return.refresh_from_db()
    assert (survey_return.households, survey_return.version) == (winner, 2)
    assert SurveyReturn.history.filter(id=survey_return.pk, households__in=[1111, 2222]).count() == 1


def test_the_national_standards_survive_the_concurrent_test(db):
    from communities.models import Standard

    assert Standard.objects.filter(region_code="").exists()
