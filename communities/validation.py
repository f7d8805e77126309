"""The validation rules in force for a region, and setting them (the rules page and the admin write through here).

Like standards (``communities/standards.py``): the rule of a key in force for a community is the one of the nearest
unit above it (the longest ``region_code`` that prefixes its code, '' the national default) that sets that key; an
inactive rule there switches the key off. ``rules_for(region_code=...)`` reads, in one query, the rules of the
region, its ancestors and every unit below it, so that a whole county's communities are checked each against its
own rules without a query per community.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from .codes import UNIT_CODE_RE, ancestor_codes
from .models import User
from .models.rules import ValidationRule


class RuleSet:
    """The rules of a region, its ancestors and the units below it; ``for_code`` picks those in force for one
    unit."""

    def __init__(self, region_code: str, rows: list[ValidationRule]):
        self.region_code = region_code
        self.rows = rows
        self._cache: dict[str, list[ValidationRule]] = {}
        self._setters = sorted({row.region_code for row in rows}, key=len)

    def for_code(self, code: str) -> list[ValidationRule]:
        """The active rules in force for the unit ``code``, in their order. Communities that share every unit that
        sets a rule share the list (cached by the codes that set rules above them)."""
        setters = tuple(s for s in self._setters if code.startswith(s))
        if setters not in self._cache:
            chosen: dict[str, ValidationRule] = {}
            for row in sorted((r for r in self.rows if r.region_code in setters), key=lambda r: len(r.region_code)):
                chosen[row.key] = row  # nearest last, so it wins
            self._cache[setters] = sorted(
                (rule for rule in chosen.values() if rule.active), key=lambda r: (r.position, r.key)
            )
        return self._cache[setters]

    def listing(self, code: str) -> list[tuple[ValidationRule, bool]]:
        """Every rule a page about ``code`` lists: each key's rule in force there, active or not, with whether it
        is the unit's own (``region_code == code``) — the order of the rules."""
        chosen: dict[str, ValidationRule] = {}
        prefixes = [s for s in self._setters if code.startswith(s)]
        for row in sorted((r for r in self.rows if r.region_code in prefixes), key=lambda r: len(r.region_code)):
            chosen[row.key] = row
        rules = sorted(chosen.values(), key=lambda r: (r.position, r.key))
        return [(rule, rule.region_code == code) for rule in rules]


def rules_for(*, region_code: str) -> RuleSet:
    """The rules of the region, its ancestors and everything below it (one query)."""
    if region_code:
        scope = Q(region_code__in=["", *ancestor_codes(region_code)]) | Q(region_code__startswith=region_code)
    else:
        scope = Q()
    return RuleSet(region_code, list(ValidationRule.objects.filter(scope).order_by("position", "key")))


def may_set_rules(user: User, region_code: str) -> bool:
    """Reviewers set rules for their own region and below it; administrators anywhere (the national ones too)."""
    if not (user.has_perm("communities.add_validationrule") and user.has_perm("communities.change_validationrule")):
        return False
    scope = user.scope_code
    if scope is None:
        return False
    return region_code.startswith(scope) and (bool(region_code) or user.sees_everything)


@transaction.atomic
def rule_save(*, rule: ValidationRule, user: User) -> ValidationRule:
    """Save a rule (new, or an own one changed) for its region, recording who in its history."""
    if rule.region_code and not UNIT_CODE_RE.match(rule.region_code):
        raise ValidationError(f"区划代码“{rule.region_code}”格式不正确：应为2、4、6、9或12位数字。")
    if not may_set_rules(user, rule.region_code):
        raise ValidationError("您只能设置本区划及下级区划的校验规则。")
    rule.updated_by = user
    rule.full_clean()
    rule._history_user = user
    rule.save()
    return rule
