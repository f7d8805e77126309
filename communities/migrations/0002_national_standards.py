"""National defaults of the standards (region_code '' = the whole country), editable like any other row."""

from decimal import Decimal

from django.db import migrations

PLAN_2021 = "《“十四五”城乡社区服务体系建设规划》（国办发〔2021〕56号）"
COMMON_LOCAL = "地方常用标准（未设置本地标准时的默认值）"
DEFAULTS = [
    ("facility_area_per_100_households", Decimal("30"), PLAN_2021),
    ("workers_per_10k_residents", Decimal("18"), PLAN_2021),
    ("community_min_households", Decimal("1000"), "《中华人民共和国城市居民委员会组织法》（2025年修订）"),
    ("community_max_households", Decimal("3000"), "《中华人民共和国城市居民委员会组织法》（2025年修订）"),
    ("facility_min_area", Decimal("300"), "鄂发〔2007〕4号等地方文件：综合服务中心不低于300平方米"),
    ("households_per_worker", Decimal("250"), "按每250户、800人左右配备一名社区工作者（" + COMMON_LOCAL + "）"),
    ("work_funds_per_household", Decimal("10"), "社区工作经费每户每年不低于10元（" + COMMON_LOCAL + "）"),
    ("public_funds_per_worker", Decimal("6000"), "公用经费每人每年6000元（" + COMMON_LOCAL + "）"),
]


def add_defaults(apps, schema_editor):
    Standard = apps.get_model("communities", "Standard")
    for key, value, source in DEFAULTS:
        Standard.objects.get_or_create(
            region_code="", key=key, year_from=2000, defaults={"value": value, "source": source}
        )


def remove_defaults(apps, schema_editor):
    Standard = apps.get_model("communities", "Standard")
    Standard.objects.filter(region_code="", year_from=2000, key__in=[key for key, _, _ in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("communities", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, remove_defaults)]
