"""National defaults of the validation rules (region_code '' = the whole country): the required parts and the
year-over-year jumps of the first version (then Python constants in communities/returns/rules.py), and the checks of
issue 13 (年末在岗 ≤ 花名册人数, 党员数 ≤ 常住人口, 户数 × 1.5 ≤ 常住人口 ≤ 户数 × 6). A copy, so that the
migration stays as it is when the code's defaults change."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    {
        "key": "missing_households",
        "position": 10,
        "left": "households",
        "operator": "gt",
        "constant": Decimal("0"),
        "message": "请填写户数（基本情况）。",
        "severity": "error",
        "source": "系统默认规则（必填项）",
    },
    {
        "key": "missing_population",
        "position": 11,
        "left": "population",
        "operator": "gt",
        "constant": Decimal("0"),
        "message": "请填写常住人口（基本情况）。",
        "severity": "error",
        "source": "系统默认规则（必填项）",
    },
    {
        "key": "missing_workers_roster",
        "position": 12,
        "left": "workers_roster",
        "operator": "gt",
        "constant": Decimal("0"),
        "message": "社区工作者花名册为空，请至少填写一名社区工作者。",
        "severity": "error",
        "source": "系统默认规则（必填项）",
    },
    {
        "key": "missing_total_area",
        "position": 13,
        "left": "total_area",
        "operator": "gt",
        "constant": Decimal("0"),
        "message": "办公服务用房为空，请至少填写一处用房或场地。",
        "severity": "error",
        "source": "系统默认规则（必填项）",
    },
    {
        "key": "missing_funding_budget",
        "position": 14,
        "left": "funding_budget",
        "operator": "gt",
        "constant": Decimal("0"),
        "message": "经费为空，请填写本社区当年的经费预算。",
        "severity": "error",
        "source": "系统默认规则（必填项）",
    },
    {
        "key": "in_post_within_roster",
        "position": 20,
        "left": "workers_in_post",
        "operator": "le",
        "right_figure": "workers_roster",
        "message": "年末在岗人数（{left}人）多于花名册人数（{right}人），请核对社区工作者花名册。",
        "severity": "error",
        "source": "系统默认规则（年末在岗人员应在花名册中）",
    },
    {
        "key": "party_members_within_population",
        "position": 21,
        "left": "party_members",
        "operator": "le",
        "right_figure": "population",
        "message": "党员数（{left}人）多于常住人口（{right}人），请核对基本情况。",
        "severity": "error",
        "source": "系统默认规则（党员是常住人口的一部分）",
    },
    {
        "key": "population_per_household_min",
        "position": 22,
        "left": "population",
        "operator": "ge",
        "right_figure": "households",
        "factor": Decimal("1.5"),
        "message": "常住人口（{left}人）少于户数的 1.5 倍（{right}人）",
        "severity": "warning",
        "source": "系统默认规则（户均人口一般在 1.5–6 人之间）",
    },
    {
        "key": "population_per_household_max",
        "position": 23,
        "left": "population",
        "operator": "le",
        "right_figure": "households",
        "factor": Decimal("6"),
        "message": "常住人口（{left}人）多于户数的 6 倍（{right}人）",
        "severity": "warning",
        "source": "系统默认规则（户均人口一般在 1.5–6 人之间）",
    },
    {
        "key": "jump_households",
        "position": 30,
        "kind": "change",
        "left": "households",
        "operator": "le",
        "constant": Decimal("0.30"),
        "message": "户数较上年变化超过 ±30%",
        "severity": "warning",
        "source": "系统默认规则（较上年变化较大须说明原因）",
    },
    {
        "key": "jump_population",
        "position": 31,
        "kind": "change",
        "left": "population",
        "operator": "le",
        "constant": Decimal("0.30"),
        "message": "常住人口较上年变化超过 ±30%",
        "severity": "warning",
        "source": "系统默认规则（较上年变化较大须说明原因）",
    },
    {
        "key": "jump_total_area",
        "position": 32,
        "kind": "change",
        "left": "total_area",
        "operator": "le",
        "constant": Decimal("0.50"),
        "message": "用房总面积较上年变化超过 ±50%",
        "severity": "warning",
        "source": "系统默认规则（较上年变化较大须说明原因）",
    },
    {
        "key": "jump_workers_roster",
        "position": 33,
        "kind": "change",
        "left": "workers_roster",
        "operator": "le",
        "constant": Decimal("0.50"),
        "message": "花名册人数较上年变化超过 ±50%",
        "severity": "warning",
        "source": "系统默认规则（较上年变化较大须说明原因）",
    },
]


def add_defaults(apps, schema_editor):
    ValidationRule = apps.get_model("communities", "ValidationRule")
    for fields in DEFAULTS:
        fields = dict(fields)
        ValidationRule.objects.get_or_create(region_code="", key=fields.pop("key"), defaults=fields)


def remove_defaults(apps, schema_editor):
    ValidationRule = apps.get_model("communities", "ValidationRule")
    ValidationRule.objects.filter(region_code="", key__in=[fields["key"] for fields in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("communities", "0013_validation_rules")]
    operations = [migrations.RunPython(add_defaults, remove_defaults)]
