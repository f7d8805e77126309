"""Who may see what: everything is scoped by the division-code prefix of the user's region.

Every model with survey data uses ``RegionScopedQuerySet`` and names, in ``region_lookup``, the path to the code
that places a row in the tree. ``for_user`` is the one place where visibility is decided.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


class RegionScopedQuerySet(models.QuerySet):
    region_lookup: str = "code"

    def in_region(self, code: str | None):
        """Rows under the region ``code`` (all rows for '' — the whole country)."""
        if code is None:
            return self.none()
        if not code:
            return self
        return self.filter(**{f"{self.region_lookup}__startswith": code})

    def in_codes(self, codes):
        """Rows of exactly these communities (their 12-digit codes): a community's figures followed back through
        the code changes (``communities.code_changes``)."""
        return self.filter(**{f"{self.region_lookup}__in": list(codes)})

    def for_user(self, user: User | AnonymousUser):
        """Rows the user may see: nothing for anonymous users, everything for administrators."""
        if not user.is_authenticated:
            return self.none()
        return self.in_region(user.scope_code)
