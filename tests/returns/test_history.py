"""The history page: every change of the return and its rows, with user, time, before → after."""

import io

from django.urls import reverse
from django.utils import timezone

from communities.models import ImportRecord, ReturnStatus, SurveyReturn
from tests.returns.helpers import page_data
from tests.workbook.builders import basics, one_community


def test_history_shows_changes_additions_and_deletions_by_user(client, clerk_a, clerk_b, reviewer, return_a):
    code = return_a.community_id
    client.force_login(clerk_a)
    data = page_data(client, code, 2025)
    data["households"] = "1100"
    data["workers-0-education"] = "bachelor"
    data["funding-0-DELETE"] = "on"
    data.update({"programs-1-name": "四点半课堂", "programs-1-area": "minors", "programs-1-provider": "volunteer"})
    assert client.post(reverse("returns:edit", args=[code, 2025]), data).status_code == 302

    client.force_login(reviewer)
    response = client.get(reverse("returns:history", args=[code, 2025]))
    assert response.status_code == 200
    entries = response.context["entries"]
    by_clerk = [e for e in entries if e.user == clerk_a]
    summary = {(e.kind, e.model_label): e.changes for e in by_clerk}
    assert ("户数", "1050", "1100") in summary[("修改", "年度填报")]
    assert ("学历", "大专", "本科") in summary[("修改", "社区工作者")]
    assert ("项目名称", "", "四点半课堂") in summary[("新增", "服务项目")]
    assert ("预算金额(元)", "50000.00", "") in summary[("删除", "经费")]
    page = response.content.decode()
    assert "户数：1050 → 1100" in page
    assert "clerk_a" in page


def test_history_of_another_region_is_404(client, clerk_b, return_a):
    client.force_login(clerk_b)
    assert client.get(reverse("returns:history", args=[return_a.community_id, 2025])).status_code == 404


def test_history_queries_are_one_per_model(client, reviewer, return_a, django_assert_num_queries):
    client.force_login(reviewer)
    SurveyReturn.objects.get(pk=return_a.pk)
    # session, user, the return, six histories (community, return, workers, premises, allocations, programs), the
    # header's region, the session saved again (savepoint, update, release)
    with django_assert_num_queries(13):
        client.get(reverse("returns:history", args=[return_a.community_id, 2025]))


def test_admin_changes_are_recorded_with_the_admin_user_and_shown(client, administrator, return_a):
    from funding.models import Allocation

    allocation = Allocation.objects.get(unit_code=return_a.community_id, year=2025)
    client.force_login(administrator)
    response = client.post(
        f"/admin/funding/allocation/{allocation.pk}/change/",
        {
            "unit_code": allocation.unit_code,
            "year": "2025",
            "source": allocation.source,
            "use": allocation.use,
            "budget": "60000",
            "received": "",
            "return_version": f"{return_a.pk}:{return_a.version}",  # the version the form was read at
        },
    )
    assert response.status_code == 302
    assert Allocation.history.filter(id=allocation.pk).latest().history_user == administrator
    entries = client.get(reverse("returns:history", args=[return_a.community_id, 2025])).context["entries"]
    assert entries[0].user == administrator
    assert ("预算金额(元)", "50000.00", "60000.00") in entries[0].changes


def test_times_are_shown_in_local_time_like_the_rest_of_the_page(client, reviewer, return_a):
    SurveyReturn.objects.filter(pk=return_a.pk).update(status=ReturnStatus.SUBMITTED)
    code = return_a.community_id
    client.force_login(reviewer)
    version = client.get(reverse("returns:detail", args=[code, 2025])).context["comment_form"]["version"].value()
    assert client.post(reverse("returns:approve", args=[code, 2025]), {"version": version}).status_code == 302
    return_a.refresh_from_db()

    page = client.get(reverse("returns:history", args=[code, 2025])).content.decode()
    local = timezone.localtime(return_a.reviewed_at).strftime("%Y-%m-%d %H:%M")  # Asia/Shanghai, UTC+8
    assert f"审核时间：（空） → {local}" in page
    assert "+00:00" not in page


def test_a_community_name_imported_from_the_workbook_is_on_the_return_history(client, clerk_a, return_a):
    code = return_a.community_id
    client.force_login(clerk_a)
    file = io.BytesIO(one_community(communities=[basics(code=code, name="东门新社区", 户数=1050, 常住人口=2900)]))
    file.name = "调查表.xlsx"
    assert client.post(reverse("workbook:upload"), {"year": 2025, "file": file}).status_code == 200
    record = ImportRecord.objects.get()
    assert client.post(reverse("workbook:confirm", args=[record.pk])).status_code == 302
    assert return_a.community.history.count() == 2  # the community's own history has the rename

    response = client.get(reverse("returns:history", args=[code, 2025]))
    renamed = [e for e in response.context["entries"] if e.model_label == "社区" and e.kind == "修改"]
    assert [e.changes for e in renamed] == [[("社区名称", "东门社区", "东门新社区")]]
    assert renamed[0].user == clerk_a
    assert "社区名称：东门社区 → 东门新社区" in response.content.decode()


def _post(client, name, survey_return, data=None):
    response = client.post(reverse(name, args=[survey_return.community_id, survey_return.year]), data or {})
    assert response.status_code == 302, name
    return response


def _review(client, name, survey_return, comment=""):
    survey_return.refresh_from_db()
    _post(client, name, survey_return, {"version": survey_return.version, "comment": comment})
    survey_return.refresh_from_db()


def test_review_steps_are_named_as_such_not_as_edits_of_the_basics(client, clerk_a, reviewer, return_a):
    code = return_a.community_id
    client.force_login(clerk_a)
    data = page_data(client, code, 2025)
    data["households"] = "1100"
    _post(client, "returns:edit", return_a, data)
    _post(client, "returns:submit", return_a)
    _review(client, "returns:withdraw", return_a)
    _post(client, "returns:submit", return_a)
    client.force_login(reviewer)
    _review(client, "returns:send_back", return_a, comment="请补充经费")
    client.force_login(clerk_a)
    _post(client, "returns:submit", return_a)
    client.force_login(reviewer)
    _review(client, "returns:approve", return_a)
    _review(client, "returns:reopen", return_a, comment="户数有误")
    assert return_a.status == ReturnStatus.RETURNED

    response = client.get(reverse("returns:history", args=[code, 2025]))
    entries = response.context["entries"]
    steps = [(e.kind, e.user.username) for e in reversed(entries) if e.model_label == "年度填报" and e.kind != "新增"]
    assert steps == [
        ("修改", "clerk_a"),
        ("提交审核", "clerk_a"),
        ("撤回", "clerk_a"),
        ("提交审核", "clerk_a"),
        ("退回修改", "reviewer"),
        ("提交审核", "clerk_a"),
        ("审核通过", "reviewer"),
        ("重新打开", "reviewer"),
    ]
    sent_back = next(e for e in entries if e.kind == "退回修改")
    assert ("状态", "已提交", "退回") in sent_back.changes
    assert ("审核意见", "（空）", "请补充经费") in sent_back.changes
    page = " ".join(response.content.decode().split())
    assert "<td>退回修改</td>" in page and "状态：已提交 → 退回" in page and "审核意见：（空） → 请补充经费" in page
    assert "<td>重新打开</td>" in page and "状态：已审核 → 退回" in page
    edits = [e for e in entries if e.kind == "修改" and e.model_label == "年度填报"]
    assert [e.changes for e in edits] == [[("户数", "1050", "1100")]]  # the one edit of the basics


def test_the_return_page_shows_the_last_change_of_data_not_of_status(client, clerk_a, reviewer, return_a):
    code = return_a.community_id
    client.force_login(clerk_a)
    data = page_data(client, code, 2025)
    data["workers-0-monthly_pay"] = "4321"
    _post(client, "returns:edit", return_a, data)
    edited_at = return_a.workers.order_by("pk").first().history.latest().history_date
    _post(client, "returns:submit", return_a)
    client.force_login(reviewer)
    _review(client, "returns:send_back", return_a, comment="请补充经费")
    assert return_a.updated_by == reviewer  # the return's own bookkeeping says the reviewer…

    client.force_login(clerk_a)
    response = client.get(reverse("returns:edit", args=[code, 2025]))
    assert response.context["last_change"].user == clerk_a  # …the page says who changed the data, and when
    page = response.content.decode()
    assert f"最后修改 {timezone.localtime(edited_at):%Y-%m-%d %H:%M}（clerk_a）" in page
    assert "（reviewer）" not in page


def test_a_reviewers_correction_is_the_last_change(client, clerk_a, reviewer, return_a):
    code = return_a.community_id
    client.force_login(clerk_a)
    _post(client, "returns:submit", return_a)
    client.force_login(reviewer)
    data = page_data(client, code, 2025)  # a reviewer corrects a submitted return
    data["households"] = "1111"
    _post(client, "returns:edit", return_a, data)
    _review(client, "returns:send_back", return_a, comment="已更正户数，请核对")

    client.force_login(clerk_a)
    response = client.get(reverse("returns:edit", args=[code, 2025]))
    assert response.context["last_change"].user == reviewer
    assert response.context["last_change"].changes == [("户数", "1050", "1111")]
    assert "（reviewer）" in response.content.decode()
