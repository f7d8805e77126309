from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communities.codes import UNIT_CODE_RE
from communities.report.services import survey_report_docx
from communities.returns.quality import open_errors_refusal


class Command(BaseCommand):
    help = "为一个地区和年度生成调研报告（Word 文档），与统计看板下载的报告相同。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="调查年度，如 2025")
        parser.add_argument("--region", required=True, help="区划代码（2、4、6、9 或 12 位）")
        parser.add_argument("--output", required=True, help="输出文件路径，如 report.docx")
        parser.add_argument("--approved-only", action="store_true", help="仅统计已审核的年度填报")

    def handle(self, *args, year, region, output, **options):
        if not UNIT_CODE_RE.match(region):
            raise CommandError(f"区划代码“{region}”格式不正确：应为 2、4、6、9 或 12 位数字。")
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度 {year} 不在 2000—2100 之间。")
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"输出目录 {path.parent} 不存在。")
        refusal = open_errors_refusal(region_code=region, year=year)
        if refusal is not None:
            raise CommandError(refusal)
        try:
            report, content = survey_report_docx(region_code=region, year=year, approved_only=options["approved_only"])
        except LookupError as error:
            raise CommandError(str(error)) from None
        if not report.has_data:
            raise CommandError(f"{report.region_name} {year}年没有填报数据，未生成报告。")
        path.write_bytes(content)
        problems = next((s for s in report.sections if s.heading.endswith("、存在的问题")), None)
        count = sum(1 for block in problems.blocks if block.lead) if problems else 0
        self.stdout.write(f"已生成 {path}：{report.title}，列出问题 {count} 项，{len(content) // 1024} KB。")
