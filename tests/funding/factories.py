from decimal import Decimal

from factory.django import DjangoModelFactory

from funding.models import Allocation, Source, Use


class AllocationFactory(DjangoModelFactory):
    class Meta:
        model = Allocation

    unit_code = "420626001001"
    year = 2025
    source = Source.COUNTY
    use = Use.WORK
    budget = Decimal("10000")
