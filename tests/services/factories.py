import factory
from factory.django import DjangoModelFactory

from services.models import Provider, ServiceArea, ServiceProgram
from tests.communities.factories import SurveyReturnFactory


class ServiceProgramFactory(DjangoModelFactory):
    class Meta:
        model = ServiceProgram

    survey_return = factory.SubFactory(SurveyReturnFactory)
    name = factory.Sequence(lambda n: f"服务项目{n}")
    area = ServiceArea.ELDERLY
    provider = Provider.COMMUNITY
