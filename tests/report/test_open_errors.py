"""The survey report is not written while a return in scope has an open 错误 (issue 13), and says which."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from communities.models import FollowUp
from tests.conftest import COUNTY
from tests.report.conftest import YEAR

MESSAGE = (
    "有 1 份填报存在未处理的错误，暂不能生成调研报告，请先改正或在“问题跟进”中确认："
    "歇马街社区（经费为空，请填写本社区当年的经费预算。）"
)


def test_the_word_report_is_refused_and_names_the_return(client, reviewer, report_data):
    FollowUp.objects.all().delete()  # the error is open again
    client.force_login(reviewer)
    response = client.get(reverse("report:docx", args=[COUNTY, YEAR]))
    assert response.status_code == 409
    assert MESSAGE in response.content.decode()
    # a street without that return is not held
    assert client.get(reverse("report:docx", args=["420626001", YEAR])).status_code == 200


def test_the_command_refuses_too(report_data, tmp_path):
    FollowUp.objects.all().delete()
    output = tmp_path / "report.docx"
    with pytest.raises(CommandError, match="暂不能生成调研报告") as refused:
        call_command(
            "survey_report", "--year", str(YEAR), "--region", COUNTY, "--output", str(output), stdout=StringIO()
        )
    assert str(refused.value) == MESSAGE
    assert not output.exists()
