"""The region tree and communities, keyed by the statistics division code."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Substr
from simple_history.models import HistoricalRecords

from ..codes import COMMUNITY_CODE_SQL_RE, REGION_CODE_SQL_RE, level_name, parent_code, township_kind
from ..constraints import choices_check
from ..scoping import RegionScopedQuerySet
from ..validators import validate_community_code, validate_region_code


class RegionQuerySet(RegionScopedQuerySet):
    region_lookup = "code"

    def streets(self):
        return self.filter(code__regex=r"^[0-9]{9}$")


class Region(models.Model):
    """A unit of the tree above the community: province (2), city (4), county (6), street/township (9)."""

    code = models.CharField("区划代码", max_length=9, primary_key=True, validators=[validate_region_code])
    name = models.CharField("名称", max_length=100)
    # The name in the national division list (统计用区划代码) as last loaded, empty for a unit not in it. ``name``
    # is what users and workbooks call the unit; it starts as the listed name and a workbook may differ.
    listed_name = models.CharField("区划代码表名称", max_length=100, blank=True, default="")

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        constraints = [
            # 2, 4, 6 or 9 digits: the code's length is its level.
            models.CheckConstraint(
                condition=Q(code__regex=REGION_CODE_SQL_RE),
                name="region_code_format",
                violation_error_message=(
                    "区划代码应为 2、4、6 或 9 位数字（省、市、县、街道/乡镇），保留开头的 0：请核对后重新填写。"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def level_name(self) -> str:
        return level_name(self.code)

    @property
    def parent_code(self) -> str:
        return parent_code(self.code)

    @property
    def is_street(self) -> bool:
        return len(self.code) == 9

    @property
    def township_kind(self) -> str:
        return township_kind(self.code) if self.is_street else ""


class CommunityType(models.TextChoices):
    URBAN = "urban", "城市社区"
    VILLAGE_CONVERTED = "village_converted", "村改居社区"
    TOWN = "town", "集镇社区"
    VILLAGE_MERGED = "village_merged", "村居合一社区"


class UrbanRuralCode(models.TextChoices):
    MAIN_URBAN = "111", "111 主城区"
    URBAN_FRINGE = "112", "112 城乡结合区"
    TOWN_CENTRE = "121", "121 镇中心区"
    TOWN_FRINGE = "122", "122 镇乡结合区"
    SPECIAL = "123", "123 特殊区域"
    TOWNSHIP_CENTRE = "210", "210 乡中心区"
    VILLAGE = "220", "220 村庄"


class CommunityQuerySet(RegionScopedQuerySet):
    region_lookup = "code"


class Community(models.Model):
    """A community (居委会, or a village committee where a 村居合一 community needs it), keyed by its 12-digit code."""

    code = models.CharField("社区代码", max_length=12, primary_key=True, validators=[validate_community_code])
    name = models.CharField("社区名称", max_length=100)
    street = models.ForeignKey(Region, verbose_name="街道(乡镇)", on_delete=models.PROTECT, related_name="communities")
    community_type = models.CharField("社区类型", max_length=20, choices=CommunityType.choices)
    urban_rural_code = models.CharField("城乡分类代码", max_length=3, choices=UrbanRuralCode.choices, blank=True)

    objects = CommunityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "社区"
        verbose_name_plural = "社区"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=COMMUNITY_CODE_SQL_RE),
                name="community_code_format",
                violation_error_message="社区代码应为 12 位数字（保留开头的 0）：请核对后重新填写。",
            ),
            # The first 9 digits of a community's code are its street's code: the tree is the code.
            models.CheckConstraint(
                condition=Q(street=Substr("code", 1, 9)),
                name="community_code_in_street",
                violation_error_message=(
                    "社区代码的前 9 位必须是所属街道（乡镇）的代码：请改正社区代码，"
                    "或选择代码为其前 9 位的街道（乡镇）。"
                ),
            ),
            choices_check("community_type", CommunityType, name="community_type_valid", label="社区类型"),
            choices_check(
                "urban_rural_code",
                UrbanRuralCode,
                name="community_urban_rural_code_valid",
                label="城乡分类代码",
                blank=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"
