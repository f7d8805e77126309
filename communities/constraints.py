"""Small builders for the CHECK constraints the models share."""

from django.db import models
from django.db.models import Q


def choices_check(field: str, choices: type[models.Choices], *, name: str, blank: bool = False):
    """The column holds one of the enumeration's values (or '' where the field is optional)."""
    values = list(choices.values) + ([""] if blank else [])
    return models.CheckConstraint(condition=Q(**{f"{field}__in": values}), name=name)


def non_negative(field: str, *, name: str):
    """Counts, areas and money are never negative (NULL — not reported — is allowed)."""
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True}), name=name)
