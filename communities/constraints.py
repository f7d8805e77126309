"""Small builders for the CHECK constraints the models share.

Django validates a CheckConstraint in ``full_clean`` by asking the database (``Q.check`` runs a query per
constraint and row): the return page's save validated some 200 of them, a query each, for a roster of 17. These
one-column rules are as easy to test in Python, so their constraints do that — the same rule, the same message —
while the database keeps enforcing them as before: the constraint deconstructs as Django's own CheckConstraint, so
migrations see no change.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Q


class ColumnCheck(models.CheckConstraint):
    """A CHECK on one column, validated in Python by ``allows(value)``. NULL passes, as it does in SQL."""

    def __init__(self, *, condition, name, field: str, allows: Callable[[object], bool], **kwargs):
        super().__init__(condition=condition, name=name, **kwargs)
        self.field = field
        self.allows = allows

    def deconstruct(self):
        _, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs

    def clone(self):  # Django clones through deconstruct(), which leaves out the Python rule
        _, args, kwargs = self.deconstruct()
        return ColumnCheck(*args, field=self.field, allows=self.allows, **kwargs)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if exclude and self.field in exclude:
            return
        value = getattr(instance, model._meta.get_field(self.field).attname)
        if value is not None and not self.allows(value):
            raise ValidationError(self.get_violation_error_message(), code=self.violation_error_code)


def choices_check(field: str, choices: type[models.Choices], *, name: str, label: str, blank: bool = False):
    """The column holds one of the enumeration's values (or '' where the field is optional); the message names the
    column (``label``) and its allowed values."""
    values = list(choices.values) + ([""] if blank else [])
    allowed = frozenset(values)
    # "%" is doubled: Django formats the message with the constraint's name.
    labels = "、".join(str(choice_label) for choice_label in choices.labels).replace("%", "%%")
    return ColumnCheck(
        condition=Q(**{f"{field}__in": values}),
        name=name,
        field=field,
        allows=lambda value: value in allowed,
        violation_error_message=f"{label}应为以下之一：{labels}{'（也可留空）' if blank else ''}，请重新选择。",
    )


def non_negative(field: str, *, name: str, label: str):
    """Counts, areas and money are never negative (NULL — not reported — is allowed)."""
    return ColumnCheck(
        condition=Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True}),
        name=name,
        field=field,
        allows=lambda value: value >= 0,
        violation_error_message=f"{label}不能为负数：请填写 0 或正数。",
    )


YEARS = (2000, 2100)  # the survey years a return or an allocation may have


def year_range(field: str, *, name: str):
    """A survey year: 2000–2100, as the forms and the workbook accept."""
    first, last = YEARS
    return ColumnCheck(
        condition=Q(**{f"{field}__gte": first, f"{field}__lte": last}),
        name=name,
        field=field,
        allows=lambda value: first <= value <= last,
        violation_error_message=f"年度应在 {first} 至 {last} 之间，请核对。",
    )
