from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from communities.indicator_engine import compute_indicators
from communities.report import formatting as fmt
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
    budget = compute_indicators(region_code=COUNTY, year=YEAR)["funding_budget"]["value"]
    assert f"共预算{fmt.wan_yuan(budget)}" in docx_text(content)
    summary = out.getvalue().strip()
    assert summary.startswith(f"已生成 {output}：保康县2025年社区建设情况调研报告，列出问题 ")
    assert len(summary.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "4206x6"], "格式不正确"),
        (["--region", "420699"], "没有找到区划代码为 420699 的地区"),
        (["--region", COUNTY, "--year", "1999"], "不在 2000—2100 之间"),
        (["--region", COUNTY, "--output", "/nonexistent-dir/r.docx"], "输出目录"),
    ],
)
def test_it_refuses_bad_arguments_with_a_clear_message(report_data, tmp_path, args, message):
    defaults = {"--year": str(YEAR), "--output": str(tmp_path / "r.docx")}
    given = dict(zip(args[::2], args[1::2], strict=True))
    argv = [item for key, value in {**defaults, **given}.items() for item in (key, value)]
    with pytest.raises(CommandError, match=message):
        call_command("survey_report", *argv)
    assert not (tmp_path / "r.docx").exists()
