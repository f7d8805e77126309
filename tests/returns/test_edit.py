"""The return page: pre-filled start, save with formsets, Chinese errors by the field, masked ID numbers,
the conflict of two editors, submission rules, and the history user of every change."""

from decimal import Decimal

import pytest
from django.urls import reverse

from communities.models import ReturnStatus, SurveyReturn
from facilities.models import Premises
from funding.models import Allocation
from services.models import ServiceProgram
from tests.returns.conftest import VALID_ID
from tests.returns.helpers import page_data
from workforce.models import Worker


def test_start_prefills_from_last_year(client, clerk_a, return_a_2024):
    client.force_login(clerk_a)
    code = return_a_2024.community_id
    response = client.post(reverse("returns:start", args=[code, 2025]))
    assert response.status_code == 302
    assert response["Location"] == reverse("returns:edit", args=[code, 2025])
    new = SurveyReturn.objects.get(community_id=code, year=2025)
    assert (new.status, new.households, new.population) == (ReturnStatus.DRAFT, 1000, 2800)
    # Workers still in post are copied (the one who left in 2024 is not), with premises and programs.
    names = set(new.workers.values_list("name", flat=True))
    assert names == {"工作者2024-0", "工作者2024-1", "有身份证"}
    assert new.workers.get(name="有身份证").id_number == VALID_ID
    assert list(new.premises.values_list("name", flat=True)) == ["综合服务中心"]
    assert list(new.programs.values_list("name", flat=True)) == ["老年餐桌"]
    assert not Allocation.objects.filter(unit_code=code, year=2025).exists()  # money is budgeted anew
    # The bulk copy is in the history, by the clerk.
    assert Worker.history.filter(survey_return_id=new.pk, history_type="+", history_user=clerk_a).count() == 3
    # Starting again changes nothing.
    client.post(reverse("returns:start", args=[code, 2025]))
    assert new.workers.count() == 3


def test_clerk_saves_basics_and_rows_and_history_records_them(client, clerk_a, return_a):
    client.force_login(clerk_a)
    code = return_a.community_id
    data = page_data(client, code, 2025)
    data["households"] = "1100"
    data["premises-0-area"] = "450.5"
    data["programs-1-name"] = "四点半课堂"
    data["programs-1-area"] = "minors"
    data["programs-1-provider"] = "volunteer"
    data["funding-0-DELETE"] = "on"
    response = client.post(reverse("returns:edit", args=[code, 2025]), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    return_a.refresh_from_db()
    assert return_a.households == 1100
    assert return_a.version == 2
    assert return_a.updated_by == clerk_a
    assert Premises.objects.get(survey_return=return_a).area == Decimal("450.5")
    assert ServiceProgram.objects.filter(survey_return=return_a, name="四点半课堂").exists()
    assert not Allocation.objects.filter(unit_code=code, year=2025).exists()
    assert SurveyReturn.history.filter(id=return_a.pk).latest().history_user == clerk_a
    assert Premises.history.filter(survey_return_id=return_a.pk).latest().history_user == clerk_a
    assert Allocation.history.filter(unit_code=code, history_type="-").get().history_user == clerk_a


def test_new_allocation_gets_the_community_code_and_year(client, clerk_a, return_a):
    client.force_login(clerk_a)
    code = return_a.community_id
    data = page_data(client, code, 2025)
    data.update({"funding-1-source": "self_raised", "funding-1-use": "welfare", "funding-1-budget": "1200"})
    assert client.post(reverse("returns:edit", args=[code, 2025]), data).status_code == 302
    assert Allocation.objects.get(unit_code=code, year=2025, source="self_raised").budget == Decimal("1200")


def test_errors_are_chinese_and_next_to_the_field(client, clerk_a, return_a):
    client.force_login(clerk_a)
    code = return_a.community_id
    data = page_data(client, code, 2025)
    data["households"] = "-5"
    data["workers-0-id_number"] = "420626198501010013"  # wrong check digit
    data["funding-1-source"] = data["funding-0-source"]
    data["funding-1-use"] = data["funding-0-use"]
    data["funding-1-budget"] = "10"
    response = client.post(reverse("returns:edit", args=[code, 2025]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "身份证号应为 18 位且校验码正确" in response.context["formsets"]["workers"].forms[0].errors["id_number"][0]
    assert "身份证号应为 18 位且校验码正确" in page
    assert response.context["form"].errors["households"]
    assert "同一资金来源和经费用途只能填写一行" in page
    return_a.refresh_from_db()
    assert (return_a.households, return_a.version) == (1050, 1)  # nothing saved


def test_id_numbers_are_masked_for_clerks_and_kept_when_sent_back_masked(client, clerk_a, administrator, return_a):
    Worker.objects.filter(survey_return=return_a, name="工作者2025-0").update(id_number=VALID_ID)
    code = return_a.community_id
    client.force_login(clerk_a)
    page = client.get(reverse("returns:edit", args=[code, 2025])).content.decode()
    assert VALID_ID not in page
    assert "4206**********0014" in page
    assert VALID_ID not in client.get(reverse("returns:detail", args=[code, 2025])).content.decode()
    data = page_data(client, code, 2025)
    data["workers-0-monthly_pay"] = "1800"
    assert client.post(reverse("returns:edit", args=[code, 2025]), data).status_code == 302
    worker = Worker.objects.get(survey_return=return_a, name="工作者2025-0")
    assert (worker.id_number, worker.monthly_pay) == (VALID_ID, Decimal("1800"))
    history = client.get(reverse("returns:history", args=[code, 2025])).content.decode()
    assert VALID_ID not in history
    client.force_login(administrator)
    assert VALID_ID in client.get(reverse("returns:edit", args=[code, 2025])).content.decode()


def test_the_second_of_two_editors_gets_a_conflict_and_overwrites_nothing(client, clerk_a, return_a):
    from django.test import Client

    code = return_a.community_id
    first, second = client, Client()
    first.force_login(clerk_a)
    second.force_login(clerk_a)
    first_data, second_data = page_data(first, code, 2025), page_data(second, code, 2025)
    first_data["households"] = "1111"
    second_data["households"] = "2222"
    second_data["premises-0-area"] = "999"
    assert first.post(reverse("returns:edit", args=[code, 2025]), first_data).status_code == 302
    response = second.post(reverse("returns:edit", args=[code, 2025]), second_data)
    page = response.content.decode()
    assert response.status_code == 409
    assert "您的修改还没有保存" in page
    return_a.refresh_from_db()
    assert (return_a.households, return_a.version) == (1111, 2)
    assert Premises.objects.get(survey_return=return_a).area == Decimal("400")
    # What the second editor typed is kept on the page, beside what is saved now.
    assert "<td>户数</td><td>2222</td><td>1111</td>" in page
    assert 'name="households" value="2222"' in page and 'value="999"' in page
    # Saving again, after the look, is a decision: the page carries the current version.
    again = response.context["form"].data.copy()
    assert again["version"] == "2"
    assert second.post(reverse("returns:edit", args=[code, 2025]), again).status_code == 302
    return_a.refresh_from_db()
    assert return_a.households == 2222
    assert Premises.objects.get(survey_return=return_a).area == Decimal("999")


def test_submit_needs_every_part(client, clerk_a, community_a):
    from tests.communities.factories import SurveyReturnFactory

    survey_return = SurveyReturnFactory(community=community_a, year=2025, households=0)
    client.force_login(clerk_a)
    data = page_data(client, community_a.code, 2025)
    data["action"] = "submit"
    response = client.post(reverse("returns:edit", args=[community_a.code, 2025]), data)
    assert response.status_code == 200
    messages = [p.message for p in response.context["problems"]]
    assert "请填写户数（基本情况）。" in messages
    assert any("花名册为空" in m for m in messages)
    survey_return.refresh_from_db()
    assert survey_return.status == ReturnStatus.DRAFT


def test_a_big_jump_needs_an_explanation_which_the_reviewer_sees(client, clerk_a, reviewer, return_a_2024, return_a):
    code = return_a.community_id
    client.force_login(clerk_a)
    data = page_data(client, code, 2025)
    data["households"] = "1400"  # +40% on 2024's 1000
    data["action"] = "submit"
    response = client.post(reverse("returns:edit", args=[code, 2025]), data)
    assert response.status_code == 200
    problems = response.context["problems"]
    assert [p.code for p in problems] == ["jump_households"]
    assert "户数较2024年变化 +40%" in problems[0].message
    return_a.refresh_from_db()
    assert (return_a.households, return_a.status) == (1400, ReturnStatus.DRAFT)  # saved, not submitted

    data = page_data(client, code, 2025)
    data["explanation"] = "新建小区交付，新增 400 户。"
    data["action"] = "submit"
    response = client.post(reverse("returns:edit", args=[code, 2025]), data)
    assert response.status_code == 302
    return_a.refresh_from_db()
    assert (return_a.status, return_a.submitted_by) == (ReturnStatus.SUBMITTED, clerk_a)

    client.force_login(reviewer)
    page = client.get(reverse("returns:detail", args=[code, 2025])).content.decode()
    assert "新建小区交付，新增 400 户。" in page
    assert "户数较2024年变化 +40%" in page


@pytest.mark.parametrize("status", [ReturnStatus.SUBMITTED, ReturnStatus.APPROVED])
def test_clerk_cannot_edit_a_submitted_or_approved_return(client, clerk_a, return_a, status):
    SurveyReturn.objects.filter(pk=return_a.pk).update(status=status)
    client.force_login(clerk_a)
    code = return_a.community_id
    refused = client.get(reverse("returns:edit", args=[code, 2025]))
    assert refused.status_code == 403
    page = refused.content.decode()
    # A lock by status, not a missing permission: it says what the status is and leads back to the return.
    assert "无权操作" not in page
    assert f"该年度填报{ReturnStatus(status).label}" in page
    expected = {
        ReturnStatus.SUBMITTED: "该年度填报已提交，正在等待审核，不能再修改；审核员退回后才能修改。",
        ReturnStatus.APPROVED: "该年度填报已审核锁定，须审核员重新打开后才能修改。",
    }[status]
    assert expected in page
    assert f'href="{reverse("returns:detail", args=[code, 2025])}">返回该年度填报</a>' in page
    assert "返回首页" not in page
    response = client.post(reverse("returns:edit", args=[code, 2025]), {"households": "1", "version": "1"})
    assert response.status_code == 403
    return_a.refresh_from_db()
    assert return_a.households == 1050


def test_edit_wrong_method_is_405(client, clerk_a, return_a):
    client.force_login(clerk_a)
    assert client.put(reverse("returns:edit", args=[return_a.community_id, 2025])).status_code == 405
    assert client.get(reverse("returns:submit", args=[return_a.community_id, 2025])).status_code == 405


def test_id_numbers_never_reach_the_logs(client, clerk_a, reviewer, administrator, return_a, caplog):
    """Through the return page, the admin's change form and the history pages (the return's and the admin's)."""
    from django.contrib.admin.models import LogEntry
    from django.test import Client

    from config.logging import JsonFormatter
    from tests.returns.helpers import admin_form_data

    caplog.set_level("DEBUG")
    client.force_login(clerk_a)
    code = return_a.community_id
    data = page_data(client, code, 2025)
    bad = "420626198501010013"
    data["workers-0-id_number"] = bad
    assert client.post(reverse("returns:edit", args=[code, 2025]), data).status_code == 400
    data["workers-0-id_number"] = VALID_ID
    assert client.post(reverse("returns:edit", args=[code, 2025]), data).status_code == 302

    # The administrator corrects the number in the admin: first a wrong one, then another valid one.
    worker = Worker.objects.get(survey_return=return_a, id_number=VALID_ID)
    other_valid = "420626199001010039"
    admin = Client()
    admin.force_login(administrator)
    url = f"/admin/workforce/worker/{worker.pk}/change/"
    form = admin_form_data(admin, url)
    assert form["id_number"] == VALID_ID  # administrators see it whole
    response = admin.post(url, {**form, "id_number": bad})
    assert response.status_code == 200 and "身份证号应为 18 位且校验码正确" in response.content.decode()
    assert admin.post(url, {**form, "id_number": other_valid}).status_code == 302

    # A reviewer reads both history pages: the numbers masked, nothing logged but the refused version's path.
    reviewer_client = Client()
    reviewer_client.force_login(reviewer)
    history = reviewer_client.get(f"/admin/workforce/worker/{worker.pk}/history/").content.decode()
    assert "4206**********0014" in history and "4206**********0039" in history
    assert VALID_ID not in history and other_valid not in history
    version = worker.history.latest().history_id
    assert reviewer_client.get(f"/admin/workforce/worker/{worker.pk}/history/{version}/").status_code == 403
    page = reviewer_client.get(reverse("returns:history", args=[code, 2025])).content.decode()
    assert VALID_ID not in page and other_valid not in page

    formatter = JsonFormatter()
    logged = " ".join([caplog.text, *(formatter.format(r) + str(r.args) for r in caplog.records)])
    admin_log = " ".join(f"{e.object_repr} {e.change_message}" for e in LogEntry.objects.all())
    for number in (bad, VALID_ID, other_valid):
        assert number not in logged
        assert number not in admin_log
    assert caplog.records  # the 400 and the 403 were logged (django.request), without the numbers
    assert LogEntry.objects.filter(object_id=str(worker.pk)).exists()  # the admin's change was logged


def test_an_unknown_return_is_a_chinese_404(client, clerk_a, db):
    client.force_login(clerk_a)
    response = client.get(reverse("returns:detail", args=["420626001999", 2025]))
    assert response.status_code == 404
    assert "没有找到该年度填报，或您无权查看。" in response.content.decode()
    assert "Resolver404" not in client.get("/returns/nothing/here/").content.decode()


def test_a_page_read_before_another_editor_deleted_a_row_is_a_conflict_not_a_bad_request(
    client, clerk_a, reviewer, return_a
):
    from django.test import Client

    code = return_a.community_id
    url = reverse("returns:edit", args=[code, 2025])
    first, second = client, Client()
    first.force_login(clerk_a)
    second.force_login(reviewer)
    first_data, second_data = page_data(first, code, 2025), page_data(second, code, 2025)
    deleted = int(first_data["workers-0-id"])
    first_data["workers-0-DELETE"] = "on"
    assert first.post(url, first_data).status_code == 302
    assert not Worker.objects.filter(pk=deleted).exists()

    second_data["households"] = "2222"
    response = second.post(url, second_data)
    assert response.status_code == 409  # the conflict, not a 400 with nothing marked red
    page = response.content.decode()
    assert "您的修改还没有保存" in page and "clerk_a" in page
    # The basics typed are kept; the tables show what is saved now (the deleted row is gone, not an invalid id).
    assert 'name="households" value="2222"' in page and "已改为显示当前保存的内容" in page
    assert f'name="workers-0-id" value="{deleted}"' not in page
    return_a.refresh_from_db()
    assert (return_a.households, return_a.version) == (1050, 2)


def test_a_row_id_that_names_no_row_of_the_return_is_marked_on_its_row(client, clerk_a, return_a):
    code = return_a.community_id
    client.force_login(clerk_a)
    data = page_data(client, code, 2025)
    data["premises-0-id"] = "987654"
    response = client.post(reverse("returns:edit", args=[code, 2025]), data)
    assert response.status_code == 400
    rows = response.content.decode().split('id="premises-rows"')[1].split("</tbody>")[0]
    assert "该行已不存在或不属于本填报" in rows
    return_a.refresh_from_db()
    assert return_a.version == 1


def test_a_page_without_its_version_says_so(client, clerk_a, return_a):
    code = return_a.community_id
    client.force_login(clerk_a)
    data = page_data(client, code, 2025)
    del data["version"]
    response = client.post(reverse("returns:edit", args=[code, 2025]), data)
    assert response.status_code == 400
    assert "页面缺少版本信息，请刷新页面后重新填写" in response.content.decode()


def _rows_snapshot():
    return (
        list(SurveyReturn.objects.order_by("pk").values_list("pk", "version", "households")),
        list(Worker.objects.order_by("pk").values_list("pk", "survey_return_id", "name", "monthly_pay")),
        list(Premises.objects.order_by("pk").values_list("pk", "survey_return_id", "name", "area")),
        list(Allocation.objects.order_by("pk").values_list("pk", "unit_code", "year", "budget")),
        list(ServiceProgram.objects.order_by("pk").values_list("pk", "survey_return_id", "name")),
    )


def _first_row_of(prefix, survey_return):
    if prefix == "funding":
        return Allocation.objects.get(unit_code=survey_return.community_id, year=survey_return.year)
    related = {"workers": "workers", "premises": "premises", "programs": "programs"}[prefix]
    return getattr(survey_return, related).order_by("pk").first()


@pytest.mark.parametrize("prefix", ["workers", "premises", "programs", "funding"])
@pytest.mark.parametrize("other", ["return_b", "return_a_2024"])  # another street's; the same community's last year
@pytest.mark.parametrize("editor", ["clerk_a", "reviewer"])
def test_another_returns_row_id_in_a_formset_is_refused_and_changes_nothing(
    client, request, return_a, prefix, other, editor
):
    other_return = request.getfixturevalue(other)
    client.force_login(request.getfixturevalue(editor))
    code = return_a.community_id
    data = page_data(client, code, 2025)
    foreign = _first_row_of(prefix, other_return)
    data[f"{prefix}-0-id"] = str(foreign.pk)
    field = {"workers": "monthly_pay", "premises": "area", "programs": "name", "funding": "budget"}[prefix]
    data[f"{prefix}-0-{field}"] = "77" if field != "name" else "换来的项目"
    before = _rows_snapshot()
    response = client.post(reverse("returns:edit", args=[code, 2025]), data)
    assert response.status_code == 400
    assert "该行已不存在或不属于本填报" in response.content.decode()
    assert _rows_snapshot() == before


def test_a_reviewer_corrects_a_submitted_return_of_their_county_through_the_return_page(client, reviewer, return_a):
    SurveyReturn.objects.filter(pk=return_a.pk).update(status=ReturnStatus.SUBMITTED)
    code = return_a.community_id
    client.force_login(reviewer)
    data = page_data(client, code, 2025)
    data["households"] = "1060"
    data["premises-0-area"] = "410"
    assert client.post(reverse("returns:edit", args=[code, 2025]), data).status_code == 302
    return_a.refresh_from_db()
    assert (return_a.households, return_a.status, return_a.updated_by) == (1060, ReturnStatus.SUBMITTED, reviewer)
    assert Premises.objects.get(survey_return=return_a).area == Decimal("410")


def test_a_reviewer_of_another_county_may_not_edit_it(client, return_a):
    from communities.models import Role
    from tests.communities.factories import RegionFactory, UserFactory

    SurveyReturn.objects.filter(pk=return_a.pk).update(status=ReturnStatus.SUBMITTED)
    outsider = UserFactory(username="reviewer_c", role=Role.REVIEWER, region=RegionFactory(code="420627"))
    client.force_login(outsider)
    url = reverse("returns:edit", args=[return_a.community_id, 2025])
    assert client.get(url).status_code == 404
    assert client.post(url, {"households": "1", "version": "1"}).status_code == 404
    return_a.refresh_from_db()
    assert (return_a.households, return_a.version) == (1050, 1)


@pytest.mark.parametrize("editor", ["clerk_a", "reviewer", "administrator"])
def test_nobody_edits_an_approved_return(client, request, return_a, editor):
    SurveyReturn.objects.filter(pk=return_a.pk).update(status=ReturnStatus.APPROVED)
    client.force_login(request.getfixturevalue(editor))
    url = reverse("returns:edit", args=[return_a.community_id, 2025])
    assert client.get(url).status_code == 403
    assert client.post(url, {"households": "1", "version": "1"}).status_code == 403
    return_a.refresh_from_db()
    assert (return_a.households, return_a.version) == (1050, 1)
