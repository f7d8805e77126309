import factory
from factory.django import DjangoModelFactory

from communities.models import Community, CommunityType, Region, ReturnStatus, Role, SurveyReturn, User


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "420626001"
    name = factory.LazyAttribute(lambda o: f"区划{o.code}")


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = Community
        django_get_or_create = ["code"]

    street = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: None)  # replaced in _adjust_kwargs
    name = factory.Sequence(lambda n: f"测试社区{n}")
    community_type = CommunityType.URBAN

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if kwargs.get("code") is None:
            kwargs["code"] = f"{kwargs['street'].code}{cls._next_number(kwargs['street'].code):03d}"
        return kwargs

    @staticmethod
    def _next_number(street_code: str) -> int:
        last = Community.objects.filter(street_id=street_code).order_by("-code").values_list("code", flat=True).first()
        return int(last[9:]) + 1 if last else 1


class SurveyReturnFactory(DjangoModelFactory):
    class Meta:
        model = SurveyReturn

    community = factory.SubFactory(CommunityFactory)
    year = 2025
    status = ReturnStatus.DRAFT
    households = 1000
    population = 2800


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.CLERK
    region = factory.SubFactory(RegionFactory)
    is_staff = factory.LazyAttribute(lambda o: o.role != Role.CLERK)
    is_superuser = factory.LazyAttribute(lambda o: o.role == Role.ADMIN)
    password = factory.PostGenerationMethodCall("set_password", "Test-password-2026")

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()
