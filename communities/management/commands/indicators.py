"""python manage.py indicators --year Y [--region CODE] --json — the indicators of DESIGN.md for a region."""

import json

from django.core.management.base import BaseCommand, CommandError

from communities.codes import UNIT_CODE_RE
from communities.dashboard.selectors import unit_exists
from communities.indicator_engine import compute_indicators
from communities.report import formatting as fmt


def _format(indicator: dict) -> str:
    value = indicator["value"]
    if isinstance(value, dict):
        value = "，".join(f"{label} {part.get('count', part.get('amount'))}" for label, part in value.items())
    elif value is None:
        value = "—"
    elif indicator["kind"] == "rate":
        value = fmt.percent(value)
    else:
        value = f"{fmt.short(value, 2)} {indicator['unit']}"
    verdict = {True: "达标", False: "未达标", None: ""}[indicator["passes"]]
    return f"{indicator['label']}：{value}{'（' + verdict + '）' if verdict else ''}"


class Command(BaseCommand):
    help = "计算指定年度、区划的全部指标（--json 输出以指标代码为键的 JSON 对象）。不指定区划时为全部区划。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="调查年度，如 2025")
        parser.add_argument("--region", default="", help="区划代码（2、4、6、9或12位）；省略表示全部区划")
        parser.add_argument("--json", action="store_true", help="输出 JSON（与 /api/ 接口相同的对象）")
        parser.add_argument("--limit", type=int, default=None, help="每个指标最多列出的未达标社区数（默认全部）")
        parser.add_argument("--approved-only", action="store_true", help="仅统计已审核的年度填报")

    def handle(self, *args, year, region, json: bool = False, limit=None, **options):
        region = (region or "").strip()
        if region and not UNIT_CODE_RE.match(region):
            raise CommandError(f"区划代码“{region}”格式不正确：应为2、4、6、9或12位数字。")
        if region and not unit_exists(region):
            raise CommandError(f"没有找到区划代码为 {region} 的地区或社区。")
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度 {year} 不在 2000–2100 之间。")
        indicators = compute_indicators(
            region_code=region, year=year, shortfall_limit=limit, approved_only=options["approved_only"]
        )
        if json:
            self.stdout.write(_dumps(indicators))
            return
        for indicator in indicators.values():
            self.stdout.write(_format(indicator))
        where = region or "全部区划"
        self.stdout.write(f"{where} {year}年：{indicators['communities']['value']} 个社区，{len(indicators)} 项指标。")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
