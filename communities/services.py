"""Writes of the communities app that are not the yearly workbook or the return workflow."""

from __future__ import annotations

from django.db import transaction

from .models import Region, Role, User


def user_staff_flags(role: str) -> tuple[bool, bool]:
    """Admin-site access follows the role: reviewers and administrators use it, clerks do not;
    administrators are superusers. Returns (is_staff, is_superuser)."""
    return role in (Role.REVIEWER, Role.ADMIN), role == Role.ADMIN


@transaction.atomic
def user_upsert(*, username: str, password: str, role: str, region: Region | None, full_name: str = "") -> User:
    """Create the user or bring an existing one to this role, region and password."""
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role = role
    user.region = region
    user.last_name = full_name
    user.is_staff, user.is_superuser = user_staff_flags(role)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user
