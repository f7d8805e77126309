"""python manage.py standards --region CODE --year Y [--set KEY=VALUE ...] [--source TEXT] [--json]"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from communities.codes import UNIT_CODE_RE
from communities.models import StandardKey
from communities.standards import parse_standard_value, standards_for, standards_save

# What a value set here without --source records as its source (standards carry the document they come from).
UNSOURCED = "命令行设置（未注明依据文件）"


class Command(BaseCommand):
    help = (
        "设置区划自某年度起适用的标准与基准（--set 标准项=数值，可重复），并显示该区划该年度实际适用的值"
        "（未设置的沿用上级）。标准项：" + "、".join(StandardKey.values)
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="区划代码（2、4、6、9或12位，可尚未导入）")
        parser.add_argument("--year", type=int, required=True, help="年度：--set 自该年度起生效；显示该年度适用的值")
        parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="assignments")
        parser.add_argument(
            "--source", default="", help=f"依据文件（与 --set 一起使用；不填时记为“{UNSOURCED}”，已有的依据不变）"
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出适用的值")

    def handle(self, *args, region, year, assignments, source, json: bool = False, **options):
        region = region.strip()
        if not UNIT_CODE_RE.match(region):
            raise CommandError(f"区划代码“{region}”格式不正确：应为2、4、6、9或12位数字。")
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度 {year} 不在 2000–2100 之间。")
        values = {}
        try:
            for assignment in assignments:
                key, sep, raw = assignment.partition("=")
                if not sep:
                    raise ValidationError(f"“{assignment}”应写成 标准项=数值，例如 facility_min_area=300。")
                key, value = parse_standard_value(key.strip(), raw)
                values[key] = value
            if values:
                standards_save(
                    region_code=region, year_from=year, values=values, source=source.strip(), unsourced=UNSOURCED
                )
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        in_force = standards_for(region_code=region, year=year).as_dict()
        if json:
            self.stdout.write(_dumps(in_force))
        else:
            for key, found in in_force.items():
                if found is None:
                    self.stdout.write(f"{StandardKey(key).label}（{key}）：未设置")
                    continue
                where = found["region_code"] or "全国"
                origin = "本区划" if found["region_code"] == region else f"沿用 {where}"
                self.stdout.write(
                    f"{found['label']}（{key}）：{found['value']:g} {found['unit']}"
                    f"（{origin}，{found['year_from']}年起；{found['source'] or '未注明依据'}）"
                )
        if values:  # with --json, on stderr: stdout stays one JSON object
            (self.stderr if json else self.stdout).write(
                f"已为 {region} 设置 {len(values)} 项标准，自 {year} 年起生效。"
            )


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
