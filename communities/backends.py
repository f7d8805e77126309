"""Passwords as Django checks them; permissions from the user's role (``communities/permissions.py``)."""

from django.contrib.auth.backends import ModelBackend

from .models import Role
from .permissions import ROLE_PERMISSIONS


class RoleBackend(ModelBackend):
    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        permissions = set(super().get_group_permissions(user_obj, obj))
        if user_obj.is_active and not user_obj.is_anonymous and obj is None:
            permissions |= ROLE_PERMISSIONS.get(user_obj.role, frozenset())
        return permissions

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        if user_obj.is_active and not user_obj.is_anonymous and user_obj.role == Role.ADMIN:
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        if user_obj.is_active and not user_obj.is_anonymous and user_obj.role == Role.ADMIN:
            return True
        return super().has_module_perms(user_obj, app_label)
