"""Office and service premises of a community, one row per room, building or site."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from communities.constraints import choices_check, non_negative
from communities.models import SurveyReturn
from communities.scoping import RegionScopedQuerySet


class Category(models.TextChoices):
    OFFICE = "office", "办公用房"
    SERVICE = "service", "公共服务用房"
    OUTDOOR = "outdoor", "室外场地"


class Function(models.TextChoices):
    SERVICE_HALL = "service_hall", "一站式服务大厅"
    OFFICE = "office", "办公室"
    PARTY = "party", "党员活动室"
    POLICE = "police", "警务室"
    MEDIATION = "mediation", "调解室"
    HEALTH = "health", "卫生服务室"
    LIBRARY = "library", "图书阅览室"
    ELDERLY = "elderly", "老年活动室"
    RECREATION = "recreation", "文体活动室"
    DAY_CARE = "day_care", "日间照料中心"
    MEETING = "meeting", "会议室"
    PLAZA = "plaza", "文化广场"
    FITNESS = "fitness", "健身场地"
    OTHER = "other", "其他"


class Ownership(models.TextChoices):
    SELF_BUILT = "self_built", "自建"
    PURCHASED = "purchased", "购置"
    RENTED = "rented", "租赁"
    BORROWED = "borrowed", "借用"
    DEVELOPER = "developer", "开发商配建"
    REALLOCATED = "reallocated", "闲置资产调剂"
    SHARED_WITH_VILLAGE = "shared_with_village", "村居共用"


class PremisesQuerySet(RegionScopedQuerySet):
    region_lookup = "survey_return__community__code"

    def for_year(self, year: int):
        return self.filter(survey_return__year=year)


class Premises(models.Model):
    survey_return = models.ForeignKey(
        SurveyReturn, verbose_name="年度填报", on_delete=models.CASCADE, related_name="premises"
    )
    name = models.CharField("名称", max_length=100)
    category = models.CharField("用房类别", max_length=10, choices=Category.choices)
    function = models.CharField("功能类型", max_length=20, choices=Function.choices, blank=True)
    area = models.DecimalField(
        "建筑面积(平方米)",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text="室外场地填占地面积",
    )
    ownership = models.CharField("产权来源", max_length=20, choices=Ownership.choices, blank=True)
    built_year = models.PositiveSmallIntegerField(
        "建成年份", null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )

    objects = PremisesQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "办公服务用房"
        verbose_name_plural = "办公服务用房"
        ordering = ["survey_return_id", "id"]
        constraints = [
            # Rows are matched by name when a workbook is imported again.
            models.UniqueConstraint(
                fields=["survey_return", "name"],
                name="premises_unique_name",
                violation_error_message="该年度填报中已有同名的用房：请换一个名称（如加上楼层或房号），或修改原有的记录。",
            ),
            choices_check("category", Category, name="premises_category_valid", label="用房类别"),
            choices_check("function", Function, name="premises_function_valid", label="功能类型", blank=True),
            choices_check("ownership", Ownership, name="premises_ownership_valid", label="产权来源", blank=True),
            non_negative("area", name="premises_area_non_negative", label="建筑面积"),
        ]

    def __str__(self) -> str:
        return self.name
