"""The history page: every change of the return and its rows, with user, time, before → after."""

from django.urls import reverse

from communities.models import SurveyReturn
from tests.returns.helpers import page_data


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
    # session, user, the return, five histories (return, workers, premises, allocations, programs), the header's
    # region, the session saved again (savepoint, update, release)
    with django_assert_num_queries(12):
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
