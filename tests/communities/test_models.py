"""Constraints in the database: what the data model refuses, whatever path the data takes."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from communities.models import Community, CommunityType, Region, Standard, SurveyReturn
from tests.communities.factories import CommunityFactory, SurveyReturnFactory
from tests.facilities.factories import PremisesFactory
from tests.funding.factories import AllocationFactory
from tests.workforce.factories import WorkerFactory
from workforce.validators import is_valid_id_number, mask_id_number


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except (IntegrityError, DataError):  # PostgreSQL refuses an over-long code as DataError
        return True
    return False


def test_it_refuses_a_second_return_for_the_same_community_and_year(street_a):
    first = SurveyReturnFactory(community__street=street_a, year=2025)
    assert refused(lambda: SurveyReturn.objects.create(community=first.community, year=2025))
    SurveyReturn.objects.create(community=first.community, year=2024)  # another year is fine
    assert SurveyReturn.objects.filter(community=first.community).count() == 2


def test_it_refuses_a_community_code_outside_its_street(street_a, street_b):
    assert refused(
        lambda: Community.objects.create(
            code="420626101001", name="错位社区", street=street_a, community_type=CommunityType.URBAN
        )
    )
    Community.objects.create(
        code="420626001009", name="本街道社区", street=street_a, community_type=CommunityType.URBAN
    )
    assert Community.objects.filter(name="错位社区").count() == 0


@pytest.mark.parametrize("code", ["42062600100", "4206260010011", "42062600100A"])
def test_it_refuses_a_community_code_that_is_not_12_digits(street_a, code):
    assert refused(
        lambda: Community.objects.create(code=code, name="坏代码", street=street_a, community_type=CommunityType.URBAN)
    )


def test_it_refuses_a_region_code_of_the_wrong_length(db):
    assert refused(lambda: Region.objects.create(code="42062", name="五位"))
    assert refused(lambda: Region.objects.create(code="4206260011", name="十位"))
    Region.objects.create(code="420626", name="保康县")


def test_it_refuses_a_community_type_outside_the_enumeration(street_a):
    assert refused(
        lambda: Community.objects.create(code="420626001010", name="x", street=street_a, community_type="城市社区")
    )


def test_it_refuses_negative_areas_money_and_pay(street_a):
    survey_return = SurveyReturnFactory(community__street=street_a)
    assert refused(lambda: PremisesFactory(survey_return=survey_return, area=Decimal("-1")))
    assert refused(lambda: AllocationFactory(budget=Decimal("-0.01")))
    assert refused(lambda: WorkerFactory(survey_return=survey_return, monthly_pay=Decimal("-100")))
    assert refused(lambda: SurveyReturn.objects.filter(pk=survey_return.pk).update(households=-5))


def test_it_refuses_a_leave_date_before_the_hire_date(street_a):
    survey_return = SurveyReturnFactory(community__street=street_a)
    assert refused(
        lambda: WorkerFactory(survey_return=survey_return, hired_on=date(2020, 1, 1), left_on=date(2019, 1, 1))
    )


def test_it_refuses_the_same_worker_twice_on_one_roster(street_a):
    survey_return = SurveyReturnFactory(community__street=street_a)
    WorkerFactory(survey_return=survey_return, id_number="11010519491231002X")
    assert refused(lambda: WorkerFactory(survey_return=survey_return, id_number="11010519491231002X"))
    WorkerFactory(survey_return=survey_return, name="张三", birth_year=1980)
    assert refused(lambda: WorkerFactory(survey_return=survey_return, name="张三", birth_year=1980))


def test_it_refuses_an_allocation_at_a_code_of_no_level(db):
    assert refused(lambda: AllocationFactory(unit_code="4206260"))
    AllocationFactory(unit_code="420626")


def test_model_validation_explains_a_bad_code_in_chinese(street_a):
    community = Community(code="12345", name="x", street=street_a, community_type=CommunityType.URBAN)
    with pytest.raises(ValidationError) as error:
        community.full_clean()
    assert "12 位数字" in str(error.value)


def test_national_default_standards_are_seeded(db):
    assert Standard.objects.get(region_code="", key="facility_area_per_100_households").value == 30
    assert Standard.objects.get(region_code="", key="workers_per_10k_residents").value == 18


def test_id_number_checksum_and_mask():
    assert is_valid_id_number("11010519491231002X")
    assert is_valid_id_number("11010519491231002x")
    assert not is_valid_id_number("110105194912310021")
    assert not is_valid_id_number("1101051949123100")
    assert mask_id_number("420602198001011234") == "4206**********1234"


def test_a_community_knows_its_street(street_a):
    community = CommunityFactory(street=street_a)
    assert community.code.startswith(street_a.code)
    assert street_a.township_kind == "街道"
