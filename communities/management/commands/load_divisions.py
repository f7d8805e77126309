"""python manage.py load_divisions [FOLDER] — create or rename the regions above the community from the NBS list."""

import time

from django.core.management.base import BaseCommand, CommandError

from communities.divisions import BUNDLED, DivisionListError, load_divisions
from communities.models import Region


class Command(BaseCommand):
    help = "从国家统计局区划代码表（省、市、县、乡镇四级 CSV）新增或更名行政区划；不给目录时用系统自带的 2023 年版。"

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", help=f"含 provinces/cities/areas/streets.csv 的目录（默认 {BUNDLED}）")
        parser.add_argument("--verbose-changes", action="store_true", help="逐个列出新增和更名的单位")

    def handle(self, *args, folder=None, verbose_changes=False, **options):
        started = time.perf_counter()
        try:
            result = load_divisions(Region, folder)
        except DivisionListError as error:
            raise CommandError(str(error)) from None
        if verbose_changes:
            for code, name in result.added:
                self.stdout.write(f"新增 {code} {name}")
            for code, old, new in result.renamed:
                self.stdout.write(f"更名 {code} {old} → {new}")
        self.stdout.write(f"{result.summary()}用时 {time.perf_counter() - started:.2f} 秒。")
