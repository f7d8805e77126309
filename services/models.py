"""Service programs a community runs or hosts in a year."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from communities.constraints import choices_check, non_negative
from communities.models import SurveyReturn
from communities.scoping import RegionScopedQuerySet


class ServiceArea(models.TextChoices):
    SOCIAL_ASSISTANCE = "social_assistance", "社会救助"
    EMPLOYMENT = "employment", "就业服务"
    ELDERLY = "elderly", "为老服务"
    MINORS = "minors", "未成年人服务"
    DISABILITY = "disability", "助残服务"
    HEALTH = "health", "卫生健康"
    SAFETY = "safety", "安全服务"
    CULTURE_EDUCATION = "culture_education", "文体教育"
    CONVENIENCE = "convenience", "便民服务"
    AGENCY = "agency", "代办服务"


class Provider(models.TextChoices):
    COMMUNITY = "community", "社区自办"
    PURCHASED = "purchased", "政府购买服务"
    SOCIAL_ORGANIZATION = "social_organization", "社会组织"
    VOLUNTEER = "volunteer", "志愿服务"


# Programs counted as "purchased or delivered by social organisations" (purchased_service_share).
PURCHASED_PROVIDERS = (Provider.PURCHASED, Provider.SOCIAL_ORGANIZATION)


class ServiceProgramQuerySet(RegionScopedQuerySet):
    region_lookup = "survey_return__community__code"

    def for_year(self, year: int):
        return self.filter(survey_return__year=year)


class ServiceProgram(models.Model):
    survey_return = models.ForeignKey(
        SurveyReturn, verbose_name="年度填报", on_delete=models.CASCADE, related_name="programs"
    )
    name = models.CharField("项目名称", max_length=100)
    area = models.CharField("服务领域", max_length=20, choices=ServiceArea.choices)
    provider = models.CharField("提供方式", max_length=20, choices=Provider.choices)
    beneficiaries = models.PositiveIntegerField("受益人次", null=True, blank=True)
    volunteer_visits = models.PositiveIntegerField("志愿者人次", null=True, blank=True)
    funds = models.DecimalField(
        "经费(元)", max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal(0))]
    )

    objects = ServiceProgramQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "服务项目"
        verbose_name_plural = "服务项目"
        ordering = ["survey_return_id", "id"]
        constraints = [
            # Rows are matched by name when a workbook is imported again.
            models.UniqueConstraint(
                fields=["survey_return", "name"],
                name="program_unique_name",
                violation_error_message="该年度填报中已有同名的服务项目：请换一个名称，或修改原有的记录。",
            ),
            choices_check("area", ServiceArea, name="program_area_valid", label="服务领域"),
            choices_check("provider", Provider, name="program_provider_valid", label="提供方式"),
            non_negative("funds", name="program_funds_non_negative", label="经费"),
        ]

    def __str__(self) -> str:
        return self.name
