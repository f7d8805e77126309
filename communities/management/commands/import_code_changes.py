"""python manage.py import_code_changes FILE.xlsx — the 区划变更 sheet into the recorded code changes."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communities.code_changes_import import code_changes_import
from communities.workbook.reader import WorkbookFileError


class Command(BaseCommand):
    help = "导入「区划变更」工作表（原代码、新代码、生效年份、变更类型、备注）；有任何错误时一条也不导入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="含「区划变更」工作表的 .xlsx 文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不导入")

    def handle(self, *args, file: str, dry_run: bool = False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            result = code_changes_import(data=path.read_bytes(), dry_run=dry_run)
        except WorkbookFileError as error:
            raise CommandError(str(error)) from None
        if result.errors:
            for problem in result.errors:
                self.stderr.write(str(problem))
            raise CommandError(f"没有导入：共 {len(result.errors)} 处错误，请改正后重新导入。")
        done = "检查通过（未导入）：" if dry_run else "已导入区划变更："
        self.stdout.write(done + result.summary())
