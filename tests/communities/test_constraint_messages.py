"""Every database constraint has a Chinese message that says what is wrong and how to fix it; forms, the admin and
the Python-validated column checks show it instead of the constraint's name."""

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from communities.models import Community
from facilities.models import Premises
from tests.communities.factories import CommunityFactory, SurveyReturnFactory

pytestmark = pytest.mark.django_db
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _constraints():
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            yield model, constraint


@pytest.mark.parametrize(("model", "constraint"), list(_constraints()), ids=lambda x: getattr(x, "name", ""))
def test_every_constraint_has_a_chinese_message(model, constraint):
    message = constraint.get_violation_error_message()
    assert constraint.violation_error_message != constraint.default_violation_error_message
    assert CHINESE.search(message) and constraint.name not in message
    assert "请" in message  # says how to fix it


def test_the_admin_shows_the_message_of_a_community_code_outside_its_street(client, administrator, street_b):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:communities_community_add"),
        {"code": "420626001098", "name": "新社区", "street": street_b.pk, "community_type": "urban"},
    )
    page = response.content.decode()
    assert response.status_code == 200  # the form again, with the error
    assert "社区代码的前 9 位必须是所属街道（乡镇）的代码" in page and "community_code_in_street" not in page
    assert not Community.objects.filter(code="420626001098").exists()


def test_a_second_return_for_the_same_year_says_what_to_do(street_a):
    survey_return = SurveyReturnFactory(community__street=street_a)
    duplicate = type(survey_return)(community=survey_return.community, year=survey_return.year)
    with pytest.raises(ValidationError) as error:
        duplicate.validate_constraints()
    assert "该社区这一年度已有年度填报" in str(error.value)


def test_the_python_column_checks_use_the_message(street_a):
    premises = Premises(
        survey_return=SurveyReturnFactory(community__street=street_a), name="x", category="office", area=Decimal(-1)
    )
    with pytest.raises(ValidationError) as error:
        premises.validate_constraints(exclude={"survey_return"})
    assert "建筑面积不能为负数" in str(error.value)
    premises.area, premises.category = Decimal(1), "kitchen"
    with pytest.raises(ValidationError) as error:
        premises.validate_constraints(exclude={"survey_return"})
    assert "用房类别应为以下之一：办公用房、公共服务用房、室外场地" in str(error.value)


def test_a_community_factory_still_validates(street_a):
    CommunityFactory(street=street_a).full_clean()
