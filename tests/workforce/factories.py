from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from tests.communities.factories import SurveyReturnFactory
from workforce.models import Education, Gender, Position, Worker


class WorkerFactory(DjangoModelFactory):
    class Meta:
        model = Worker

    survey_return = factory.SubFactory(SurveyReturnFactory)
    name = factory.Sequence(lambda n: f"工作者{n}")
    gender = Gender.FEMALE
    birth_year = 1985
    education = Education.COLLEGE
    position = Position.FULL_TIME
    hired_on = date(2020, 3, 1)
    monthly_pay = Decimal("1500")
