"""The community workers' roster: one row per worker per yearly return, with pay and secondment."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from communities.constraints import choices_check, non_negative
from communities.models import SurveyReturn
from communities.scoping import RegionScopedQuerySet

from .validators import mask_id_number, validate_id_number


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", "研究生"
    BACHELOR = "bachelor", "本科"
    COLLEGE = "college", "大专"
    HIGH_SCHOOL = "high_school", "高中(中专)"
    JUNIOR_OR_BELOW = "junior_or_below", "初中及以下"


class PoliticalStatus(models.TextChoices):
    CPC = "cpc", "中共党员"
    CYL = "cyl", "共青团员"
    MASSES = "masses", "群众"
    OTHER = "other", "其他"


class Position(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DIRECTOR = "director", "主任"
    SECRETARY_DIRECTOR = "secretary_director", "书记兼主任"
    DEPUTY_SECRETARY = "deputy_secretary", "副书记"
    DEPUTY_DIRECTOR = "deputy_director", "副主任"
    MEMBER = "member", "委员"
    FULL_TIME = "full_time", "专职社区工作者"
    GRID = "grid", "网格员"


# The leaders whose pay is compared with a village head's (村主职); everyone else with a village deputy's.
LEADER_POSITIONS = (Position.SECRETARY, Position.DIRECTOR, Position.SECRETARY_DIRECTOR)


class Qualification(models.TextChoices):
    NONE = "none", "无"
    ASSISTANT = "assistant", "助理社会工作师"
    SOCIAL_WORKER = "social_worker", "社会工作师"
    SENIOR = "senior", "高级社会工作师"


class WorkerQuerySet(RegionScopedQuerySet):
    region_lookup = "survey_return__community__code"

    def for_year(self, year: int):
        return self.filter(survey_return__year=year)

    def in_post(self):
        """Still in post at the end of the return's year (left_on empty or after 31 December)."""
        return self.filter(Q(left_on__isnull=True) | Q(left_on__year__gt=F("survey_return__year")))


class Worker(models.Model):
    # Indexed together with left_on (Meta.indexes), which serves the foreign key's lookups as well.
    survey_return = models.ForeignKey(
        SurveyReturn, verbose_name="年度填报", on_delete=models.CASCADE, related_name="workers", db_index=False
    )
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号", max_length=18, blank=True, validators=[validate_id_number])
    gender = models.CharField("性别", max_length=6, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(
        "出生年份", validators=[MinValueValidator(1930), MaxValueValidator(2100)]
    )
    education = models.CharField("学历", max_length=20, choices=Education.choices)
    political_status = models.CharField("政治面貌", max_length=10, choices=PoliticalStatus.choices, blank=True)
    position = models.CharField("职务", max_length=20, choices=Position.choices)
    hired_on = models.DateField("入职日期")
    left_on = models.DateField("离职日期", null=True, blank=True)
    leave_reason = models.CharField("离职原因", max_length=200, blank=True)
    seconded = models.BooleanField("是否被借用", default=False)
    seconded_to = models.CharField("借用单位", max_length=100, blank=True)
    qualification = models.CharField(
        "社工职业资格", max_length=20, choices=Qualification.choices, default=Qualification.NONE
    )
    monthly_pay = models.DecimalField(
        "月基本报酬(元)", max_digits=10, decimal_places=2, help_text="含单位和个人缴纳的五险"
    )
    monthly_allowance = models.DecimalField("月补贴(元)", max_digits=10, decimal_places=2, default=0)
    monthly_social_insurance = models.DecimalField("月个人社保(元)", max_digits=10, decimal_places=2, default=0)

    objects = WorkerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "社区工作者"
        verbose_name_plural = "社区工作者"
        ordering = ["survey_return_id", "id"]
        indexes = [
            # Each return's workers in post (the per-community workforce and public-funds lists) from the index
            # alone, without reading the roster's rows; also every lookup by return (it replaces the plain foreign
            # key index).
            models.Index(fields=["survey_return", "left_on"], name="worker_return_left_on"),
        ]
        constraints = [
            # A worker is identified by the ID number where given, else by name and birth year.
            models.UniqueConstraint(
                fields=["survey_return", "id_number"],
                condition=~Q(id_number=""),
                name="worker_unique_id_number",
                violation_error_message="该年度填报中已有相同身份证号的社区工作者：请核对身份证号，或修改原有的记录。",
            ),
            models.UniqueConstraint(
                fields=["survey_return", "name", "birth_year"],
                condition=Q(id_number=""),
                name="worker_unique_name_birth_year",
                violation_error_message="该年度填报中已有同名、同出生年份且未填身份证号的社区工作者：请填写身份证号以区分两人，或修改原有的记录。",
            ),
            choices_check("gender", Gender, name="worker_gender_valid", label="性别"),
            choices_check("education", Education, name="worker_education_valid", label="学历"),
            choices_check(
                "political_status", PoliticalStatus, name="worker_political_status_valid", label="政治面貌", blank=True
            ),
            choices_check("position", Position, name="worker_position_valid", label="职务"),
            choices_check("qualification", Qualification, name="worker_qualification_valid", label="社工职业资格"),
            non_negative("monthly_pay", name="worker_pay_non_negative", label="月基本报酬"),
            non_negative("monthly_allowance", name="worker_allowance_non_negative", label="月补贴"),
            non_negative("monthly_social_insurance", name="worker_insurance_non_negative", label="月个人社保"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("hired_on")),
                name="worker_left_after_hired",
                violation_error_message="离职日期不能早于入职日期：请核对这两个日期。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def is_leader(self) -> bool:
        return self.position in LEADER_POSITIONS
