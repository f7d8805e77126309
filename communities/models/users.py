"""Users: a role and the region whose code prefixes everything they may see."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

from ..constraints import choices_check
from .regions import Region


class Role(models.TextChoices):
    CLERK = "clerk", "填报员"
    REVIEWER = "reviewer", "审核员"
    ADMIN = "admin", "管理员"


class User(AbstractUser):
    """A person who signs in: a role, and the region whose code prefixes everything they may see."""

    role = models.CharField("角色", max_length=10, choices=Role.choices, default=Role.CLERK)
    region = models.ForeignKey(
        Region,
        verbose_name="所属区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="填报员一般为街道(乡镇)，审核员为县(区)或市；管理员可留空（全部）。",
    )

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            choices_check("role", Role, name="user_role_valid", label="角色"),
            # Clerks and reviewers work in a region; only administrators may have none (they see everything).
            models.CheckConstraint(
                condition=Q(role=Role.ADMIN) | Q(region__isnull=False) | Q(is_superuser=True),
                name="user_region_required_unless_admin",
                violation_error_message="请为填报员和审核员选择所属区划；只有管理员可以不选（可查看全部）。",
            ),
        ]

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def scope_code(self) -> str | None:
        """The code prefix of what this user may see: '' for everything, None for nothing."""
        if self.sees_everything:
            return ""
        return self.region_id or None

    @property
    def header_label(self) -> str:
        """Who is signed in, for the page header: name, role and region, without repeating what the name already
        says ('城关街道 填报员', not '城关街道 填报员 · 填报员 · 城关街道'; '张三 · 填报员 · 城关街道')."""
        name = self.get_full_name() or self.username
        parts = [name]
        for part in (self.get_role_display(), self.region.name if self.region_id else ""):
            if part and part not in name:
                parts.append(part)
        return " · ".join(parts)

    @property
    def is_clerk(self) -> bool:
        return self.role == Role.CLERK and not self.is_superuser

    @property
    def is_reviewer(self) -> bool:
        return self.role == Role.REVIEWER

    @property
    def is_administrator(self) -> bool:
        return self.sees_everything
