"""The yearly return (年度填报) of a community and its approval states."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from ..constraints import YEARS, choices_check, year_range
from ..scoping import RegionScopedQuerySet
from .regions import Community

YEAR_VALIDATORS = [MinValueValidator(YEARS[0]), MaxValueValidator(YEARS[1])]


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "退回"
    APPROVED = "approved", "已审核"


# A clerk may change a return only in these states; an approved return is locked until a reviewer reopens it.
EDITABLE_STATUSES = (ReturnStatus.DRAFT, ReturnStatus.RETURNED)


class SurveyReturnQuerySet(RegionScopedQuerySet):
    region_lookup = "community__code"

    def for_year(self, year: int):
        return self.filter(year=year)

    def editable(self):
        return self.filter(status__in=EDITABLE_STATUSES)


class SurveyReturn(models.Model):
    """A community's yearly return (年度填报): its basics, and the parent of its roster, premises and programs."""

    community = models.ForeignKey(Community, verbose_name="社区", on_delete=models.PROTECT, related_name="returns")
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    status = models.CharField("状态", max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT)

    households = models.PositiveIntegerField("户数", default=0)
    population = models.PositiveIntegerField("常住人口", default=0)
    neighborhoods = models.PositiveIntegerField("小区数", null=True, blank=True)
    units = models.PositiveIntegerField("辖区单位数", null=True, blank=True)
    party_members = models.PositiveIntegerField("党员数", null=True, blank=True)
    volunteers = models.PositiveIntegerField("注册志愿者数", null=True, blank=True)
    social_organizations = models.PositiveIntegerField("社区社会组织数", null=True, blank=True)
    police_officers = models.PositiveIntegerField("驻社区民警数", null=True, blank=True)

    explanation = models.TextField("填报说明（较上年变化较大的原因）", blank=True)
    review_comment = models.TextField("审核意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    # When it was first handed in for the year: what "on time" is judged by (a return sent back and resubmitted
    # after the deadline was still handed in on time). Cleared by a withdrawal, which takes the handing-in back.
    first_submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Optimistic concurrency: a save carries the version it was read at; a stale version is a conflict.
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("最后修改", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = SurveyReturnQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度填报"
        verbose_name_plural = "年度填报"
        ordering = ["community_id", "year"]
        permissions = [("review_surveyreturn", "可以审核、退回和重新打开年度填报")]
        constraints = [
            # One return per community and year: the workbook import and the forms both rely on it.
            models.UniqueConstraint(
                fields=["community", "year"],
                name="one_return_per_community_and_year",
                violation_error_message="该社区这一年度已有年度填报：请在原有的填报中修改，不要重复新建。",
            ),
            year_range("year", name="return_year_range"),
            choices_check("status", ReturnStatus, name="return_status_valid", label="状态"),
        ]
        indexes = [models.Index(fields=["year", "status"], name="return_year_status")]

    def __str__(self) -> str:
        return f"{self.community.name} {self.year}年"

    @property
    def is_locked(self) -> bool:
        return self.status == ReturnStatus.APPROVED

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES
