"""Shared fixtures: one county (420626) with two streets, and a user of each kind.

street A = 420626001 城关街道, street B = 420626101 歇马镇. Every user's password is ``PASSWORD``.
"""

import pytest

from communities.models import Role
from tests.communities.factories import RegionFactory, UserFactory

PASSWORD = "Test-password-2026"
COUNTY = "420626"
STREET_A = "420626001"
STREET_B = "420626101"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def county(db):
    RegionFactory(code="42", name="湖北省")
    RegionFactory(code="4206", name="襄阳市")
    return RegionFactory(code=COUNTY, name="保康县")


@pytest.fixture
def street_a(county):
    return RegionFactory(code=STREET_A, name="城关街道")


@pytest.fixture
def street_b(county):
    return RegionFactory(code=STREET_B, name="歇马镇")


@pytest.fixture
def clerk_a(street_a):
    return UserFactory(username="clerk_a", role=Role.CLERK, region=street_a)


@pytest.fixture
def clerk_b(street_b):
    return UserFactory(username="clerk_b", role=Role.CLERK, region=street_b)


@pytest.fixture
def reviewer(county):
    return UserFactory(username="reviewer", role=Role.REVIEWER, region=county)


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", role=Role.ADMIN, region=None)
