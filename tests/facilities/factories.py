from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from facilities.models import Category, Premises
from tests.communities.factories import SurveyReturnFactory


class PremisesFactory(DjangoModelFactory):
    class Meta:
        model = Premises

    survey_return = factory.SubFactory(SurveyReturnFactory)
    name = factory.Sequence(lambda n: f"用房{n}")
    category = Category.SERVICE
    area = Decimal("100")
