"""The one-column CHECK constraints are validated in Python (no query per constraint and row, as Django's own
validation would run) and agree with the database's evaluation of the same condition."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from communities.constraints import ColumnCheck
from facilities.models import Premises
from tests.communities.factories import SurveyReturnFactory

pytestmark = pytest.mark.django_db

SAMPLES = [None, "", "zzz", " office", Decimal("-1"), Decimal("-0.01"), 0, 5, Decimal("2.5")]  # and each choice


def _column_checks():
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, ColumnCheck):
                yield model, constraint


def _passes(check, model, instance) -> bool:
    try:
        check(model, instance)
    except ValidationError:
        return False
    return True


def test_every_shared_check_is_a_column_check():
    assert len(list(_column_checks())) > 20


def test_a_negative_area_is_refused_without_a_query(street_a, django_assert_num_queries):
    premises = Premises(survey_return=SurveyReturnFactory(community__street=street_a), name="x", category="office")
    premises.area = Decimal("-1")
    # The name's uniqueness within the return needs the database (one query); left out here.
    not_unique = {"survey_return"}
    with django_assert_num_queries(0), pytest.raises(ValidationError):
        premises.validate_constraints(exclude=not_unique)
    premises.area = Decimal("12.5")
    with django_assert_num_queries(0):
        premises.validate_constraints(exclude=not_unique)


@pytest.mark.parametrize(("model", "constraint"), list(_column_checks()), ids=lambda x: getattr(x, "name", ""))
def test_the_python_rule_agrees_with_the_database(model, constraint):
    field = model._meta.get_field(constraint.field)
    for value in [*SAMPLES, *(choice for choice, _ in field.choices or [])]:
        if isinstance(field, models.CharField | models.TextField) != isinstance(value, str) and value is not None:
            continue  # a number in a text column (or the reverse) is not a value a form or an import can produce
        instance = model(**{field.attname: value})
        in_python = _passes(constraint.validate, model, instance)
        in_database = _passes(lambda m, i: models.CheckConstraint.validate(constraint, m, i), model, instance)
        assert in_python == in_database, (constraint.name, value)
