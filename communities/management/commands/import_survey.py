"""python manage.py import_survey PATH --year Y [--dry-run]: import a yearly survey workbook (年度调查表)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communities.models import YEAR_VALIDATORS
from communities.workbook.services import change_summary, summary_lines, workbook_import


class Command(BaseCommand):
    help = "导入年度调查表（.xlsx）：一个事务，全部导入或全部不导入；--dry-run 只检查并显示将做的修改。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="调查表文件（.xlsx）")
        parser.add_argument("--year", type=int, required=True, help="填报年度")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, path, year, dry_run, **options):
        for validator in YEAR_VALIDATORS:
            try:
                validator(year)
            except Exception:
                raise CommandError(f"年度应在 2000–2100 之间，收到 {year}。") from None
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"找不到文件：{path}")
        with file.open("rb") as stream:
            result = workbook_import(file=stream.read(), name=file.name, year=year, user=None, dry_run=dry_run)
        if result.file_error:
            raise CommandError(result.file_error)
        plan = result.plan
        for warning in plan.warnings:
            self.stdout.write(self.style.WARNING(f"注意：{warning}"))
        for notice in plan.notices:
            self.stdout.write(f"提示：{notice}")
        if plan.errors:
            for problem in plan.errors:
                self.stderr.write(
                    "\t".join([problem.sheet, str(problem.row or ""), problem.column, problem.value, problem.message])
                )
            raise CommandError(f"发现 {len(plan.errors)} 处错误，未导入任何数据。")
        for line in summary_lines(plan):
            self.stdout.write(line)
        verb = "检查通过（未写入）" if dry_run else "已导入"
        self.stdout.write(self.style.SUCCESS(f"{verb}：{year}年，{change_summary(plan)}。"))
