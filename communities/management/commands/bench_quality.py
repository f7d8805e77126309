"""python manage.py bench_quality — every validation rule and outlier check at national scale (issue 13).

Uses the synthetic data of ``bench_indicators`` (generated first when the database has none: a dedicated, otherwise
empty PostgreSQL database, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_quality) and times
``quality.region_findings`` — the rules in force for each community and its outliers against the county's
communities of the same type — for one county, one province and the whole country; prints milliseconds (median of
--repeat runs after a warm-up), the number of queries, and how many returns have findings.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from communities.models import Region, SurveyReturn
from communities.returns.quality import region_findings

from .bench_indicators import BENCH_PREFIX, _count_queries, _median


class Command(BaseCommand):
    help = "计时全国规模数据下一个县、一个省和全国的全部校验规则与异常值检查（毫秒）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2025)
        parser.add_argument("--repeat", type=int, default=3, help="每项计时的重复次数（取中位数）")
        parser.add_argument("--skip-country", action="store_true", help="不计时全国（约需数十秒）")

    def handle(self, *args, year, repeat, skip_country, **options):
        if connection.vendor != "postgresql":
            raise CommandError("基准测试需要 PostgreSQL：请把 DATABASE_URL 指向一个专用的空数据库。")
        if Region.objects.exclude(name__startswith=BENCH_PREFIX).exists():
            raise CommandError("该数据库中已有非基准测试数据：为安全起见，请使用一个专用的空数据库。")
        if not SurveyReturn.objects.filter(year=year).exists():
            call_command("bench_indicators", "--generate-only", "--year", str(year), stdout=self.stdout)
        county = Region.objects.filter(code__regex=r"^[0-9]{6}$").order_by("code").first()
        scopes = [("县", county.code), ("省", county.code[:2])] + ([] if skip_country else [("全国", "")])
        self.stdout.write("范围 代码 填报数 | 全部规则与异常值 ms | 查询数 | 有提示的填报 | 有异常值的填报")
        for label, code in scopes:
            run = lambda code=code: region_findings(region_code=code, year=year)  # noqa: E731
            found = run()
            ms = _median(run, repeat if code else max(1, repeat // 2))
            problems = sum(1 for f in found.values() if f.problems)
            odd = sum(1 for f in found.values() if f.flagged_outliers)
            self.stdout.write(
                f"{label} {code or '(全部)'} {len(found)} | {ms:.1f} | {_count_queries(run)} | {problems} | {odd}"
            )
