from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from communities.standards import standards_save
from tests.conftest import COUNTY
from tests.report.conftest import YEAR
from tests.report.support import docx_paragraphs, docx_text

pytestmark = pytest.mark.django_db


def test_it_writes_the_report_as_a_word_document(report_data, tmp_path):
    output = tmp_path / "report.docx"
    out = StringIO()
    call_command("survey_report", "--year", str(YEAR), "--region", COUNTY, "--output", str(output), stdout=out)
    content = output.read_bytes()
    assert docx_paragraphs(content)[0] == "保康县2025年社区建设情况调研报告"
    # 52000 + 13579.25 + 5000 + 86000 + 30000 元 = 18.66万元.
    assert "共预算18.66万元" in docx_text(content)
    # The fixture fails five standards: space, staffing, the village head's pay, funds per household, size.
    summary = out.getvalue().strip()
    assert summary.startswith(f"已生成 {output}：保康县2025年社区建设情况调研报告，列出问题 5 项，")
    assert summary.endswith(" KB。")
    assert len(summary.splitlines()) == 1


def test_the_problem_count_follows_the_standards(report_data, tmp_path):
    standards_save(region_code=COUNTY, year_from=2020, values={"worker_loss_rate_max": Decimal("0.2")})
    out = StringIO()
    output = tmp_path / "report.docx"
    call_command("survey_report", "--year", str(YEAR), "--region", COUNTY, "--output", str(output), stdout=out)
    assert "列出问题 6 项" in out.getvalue()  # 5 of 16 workers left: 31.3% above the county's 20%


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "4206x6"], "格式不正确"),
        (["--region", "420699"], "没有找到区划代码为 420699 的地区"),
        (["--region", COUNTY, "--year", "1999"], "不在 2000—2100 之间"),
        (["--region", COUNTY, "--output", "/nonexistent-dir/r.docx"], "输出目录"),
        (["--region", COUNTY, "--year", "2019"], "保康县 2019年没有填报数据，未生成报告"),
    ],
)
def test_it_refuses_bad_arguments_with_a_clear_message(report_data, tmp_path, args, message):
    defaults = {"--year": str(YEAR), "--output": str(tmp_path / "r.docx")}
    given = dict(zip(args[::2], args[1::2], strict=True))
    argv = [item for key, value in {**defaults, **given}.items() for item in (key, value)]
    with pytest.raises(CommandError, match=message):
        call_command("survey_report", *argv)
    assert not (tmp_path / "r.docx").exists()
