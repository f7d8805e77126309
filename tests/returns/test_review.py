"""The reviewer's queue and review page; approve, send back and reopen; approval locks forms and the admin."""

import re

import pytest
from django.urls import reverse
from import_export.formats.base_formats import XLSX
from tablib import Dataset

from communities.admin_base import locking_resource
from communities.models import ReturnStatus, SurveyReturn
from funding.models import Allocation
from tests.communities.factories import CommunityFactory, SurveyReturnFactory
from tests.returns.conftest import fill
from workforce.models import Worker
from workforce.resources import WorkerResource


def submit(survey_return):
    SurveyReturn.objects.filter(pk=survey_return.pk).update(status=ReturnStatus.SUBMITTED)
    survey_return.refresh_from_db()
    return survey_return


def test_queue_lists_submitted_returns_of_the_reviewers_region(client, reviewer, return_a, return_b):
    submit(return_a)
    client.force_login(reviewer)
    response = client.get(reverse("returns:queue"))
    assert response.status_code == 200
    assert [r.pk for r in response.context["page"]] == [return_a.pk]
    assert "东门社区" in response.content.decode()


def test_queue_is_for_reviewers_only(client, clerk_a, db):
    client.force_login(clerk_a)
    assert client.get(reverse("returns:queue")).status_code == 403


def test_review_page_shows_indicators_standards_and_last_year(client, reviewer, return_a_2024, return_a):
    submit(return_a)
    client.force_login(reviewer)
    response = client.get(reverse("returns:detail", args=[return_a.community_id, 2025]))
    assert response.status_code == 200
    rows = {row.label: row for row in response.context["rows"]}
    assert rows["户数"].value == 1050
    assert rows["户数"].previous == 1000
    assert rows["户数"].change == pytest.approx(0.05)
    assert rows["每百户综合服务用房"].standard is not None  # the national default, 30 m² per 100 households
    # Shown as the dashboard shows them: separators, the change in %, the standard in words with its unit.
    assert (rows["户数"].text, rows["户数"].previous_text, rows["户数"].change_text) == (
        "1,050 户",
        "1,000 户",
        "+5.0%",
    )
    assert rows["每百户综合服务用房"].standard_text == "不低于30 m²/百户"
    page = response.content.decode()
    table = page[page.index("指标：对照标准与上年") :]
    table = table[: table.index("</table>")]
    assert not re.search(r"\d\.\d{3,}", table), "a figure with more than two decimals on the review page"
    assert "审核通过（锁定）" in page
    assert "退回修改" in page


def test_approve_locks_the_return_for_forms_and_admin(client, reviewer, clerk_a, administrator, return_a):
    submit(return_a)
    code = return_a.community_id
    client.force_login(reviewer)
    response = client.post(reverse("returns:approve", args=[code, 2025]), {"comment": "", "version": return_a.version})
    assert response.status_code == 302
    return_a.refresh_from_db()
    assert (return_a.status, return_a.reviewed_by) == (ReturnStatus.APPROVED, reviewer)
    assert return_a.history.latest().history_user == reviewer

    client.force_login(clerk_a)
    assert client.get(reverse("returns:edit", args=[code, 2025])).status_code == 403
    assert client.post(reverse("returns:submit", args=[code, 2025])).status_code == 403

    client.force_login(administrator)
    worker = Worker.objects.filter(survey_return=return_a).first()
    allocation = Allocation.objects.get(unit_code=code, year=2025)
    for model, obj in (("workforce/worker", worker), ("funding/allocation", allocation)):
        url = f"/admin/{model}/{obj.pk}/change/"
        response = client.post(
            url, {"budget": "1", "name": "改名", "return_version": f"{return_a.pk}:{return_a.version}"}
        )
        assert response.status_code == 403, url
        assert client.post(f"/admin/{model}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(
        "/admin/funding/allocation/",
        {"action": "delete_selected", "_selected_action": [allocation.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Allocation.objects.filter(pk=allocation.pk, budget=allocation.budget).exists()
    # Adding an allocation to the locked community-year through the admin is refused too.
    response = client.post(
        "/admin/funding/allocation/add/",
        {"unit_code": code, "year": "2025", "source": "lottery", "use": "other", "budget": "5"},
    )
    assert response.status_code == 403
    assert not Allocation.objects.filter(unit_code=code, source="lottery").exists()
    worker.refresh_from_db()
    assert worker.name != "改名"


def test_an_admin_import_into_a_locked_return_is_refused(administrator, return_a):
    SurveyReturn.objects.filter(pk=return_a.pk).update(status=ReturnStatus.APPROVED)
    worker = Worker.objects.filter(survey_return=return_a).first()
    dataset = WorkerResource().export(queryset=Worker.objects.filter(pk=worker.pk))
    dataset = Dataset().load(XLSX().export_data(dataset), format="xlsx")
    pay = next(h for h in dataset.headers if h.startswith("月基本报酬"))
    dataset[0] = tuple("9999" if h == pay else value for h, value in zip(dataset.headers, dataset[0], strict=True))
    result = locking_resource(WorkerResource)().import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert worker.monthly_pay == Worker.objects.get(pk=worker.pk).monthly_pay
    # Reopened, the same import goes through: the guard is the lock, not the data.
    SurveyReturn.objects.filter(pk=return_a.pk).update(status=ReturnStatus.RETURNED)
    result = locking_resource(WorkerResource)().import_data(dataset, dry_run=False)
    assert not result.has_validation_errors() and not result.has_errors()
    assert Worker.objects.get(pk=worker.pk).monthly_pay != worker.monthly_pay


def test_the_admin_import_page_refuses_a_locked_return(client, administrator, return_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    SurveyReturn.objects.filter(pk=return_a.pk).update(status=ReturnStatus.APPROVED)
    worker = Worker.objects.filter(survey_return=return_a).first()
    dataset = WorkerResource().export(queryset=Worker.objects.filter(pk=worker.pk))
    pay = next(h for h in dataset.headers if h.startswith("月基本报酬"))
    dataset[0] = tuple("9999" if h == pay else value for h, value in zip(dataset.headers, dataset[0], strict=True))
    upload = SimpleUploadedFile("workers.xlsx", XLSX().export_data(dataset))
    client.force_login(administrator)
    response = client.post("/admin/workforce/worker/import/", {"import_file": upload, "format": "0", "resource": "0"})
    assert response.status_code == 200
    assert "该年度填报已审核锁定" in response.content.decode()
    assert response.context.get("confirm_form") is None  # no way to confirm the import
    assert Worker.objects.get(pk=worker.pk).monthly_pay == worker.monthly_pay


def test_send_back_needs_a_comment_and_the_clerk_sees_it(client, reviewer, clerk_a, return_a):
    submit(return_a)
    code = return_a.community_id
    client.force_login(reviewer)
    version = return_a.version
    response = client.post(
        reverse("returns:send_back", args=[code, 2025]), {"comment": " ", "version": version}, follow=True
    )
    assert "退回时请填写审核意见" in response.content.decode()
    return_a.refresh_from_db()
    assert return_a.status == ReturnStatus.SUBMITTED
    client.post(
        reverse("returns:send_back", args=[code, 2025]), {"comment": "户数与公安数据不符，请核实。", "version": version}
    )
    return_a.refresh_from_db()
    assert (return_a.status, return_a.review_comment) == (ReturnStatus.RETURNED, "户数与公安数据不符，请核实。")
    client.force_login(clerk_a)
    page = client.get(reverse("returns:workspace"), {"year": 2025}).content.decode()
    assert "户数与公安数据不符，请核实。" in page
    assert client.get(reverse("returns:edit", args=[code, 2025])).status_code == 200


def test_reopen_unlocks_an_approved_return(client, reviewer, clerk_a, return_a):
    SurveyReturn.objects.filter(pk=return_a.pk).update(status=ReturnStatus.APPROVED)
    code = return_a.community_id
    client.force_login(reviewer)
    version = return_a.version
    client.post(reverse("returns:reopen", args=[code, 2025]), {"comment": "", "version": version})
    return_a.refresh_from_db()
    assert return_a.status == ReturnStatus.APPROVED  # a reason is required
    client.post(reverse("returns:reopen", args=[code, 2025]), {"comment": "经费数据需更正", "version": version})
    return_a.refresh_from_db()
    assert return_a.status == ReturnStatus.RETURNED
    client.force_login(clerk_a)
    assert client.get(reverse("returns:edit", args=[code, 2025])).status_code == 200


def test_clerks_cannot_approve_and_other_regions_get_404(client, clerk_a, clerk_b, return_a):
    submit(return_a)
    code = return_a.community_id
    client.force_login(clerk_a)
    assert client.post(reverse("returns:approve", args=[code, 2025])).status_code == 403
    client.force_login(clerk_b)
    assert client.post(reverse("returns:approve", args=[code, 2025])).status_code == 404
    return_a.refresh_from_db()
    assert return_a.status == ReturnStatus.SUBMITTED


def test_approving_twice_is_a_message_not_an_error(client, reviewer, return_a):
    code = return_a.community_id
    client.force_login(reviewer)
    response = client.post(  # still a draft
        reverse("returns:approve", args=[code, 2025]), {"version": return_a.version}, follow=True
    )
    assert "只有已提交的填报可以审核通过" in response.content.decode()


def _many_returns(street, count, year=2025):
    for _ in range(count):
        survey_return = SurveyReturnFactory(community=CommunityFactory(street=street), year=year)
        fill(survey_return, workers=1)
        submit(survey_return)


@pytest.mark.parametrize("count", [2, 12])
def test_workspace_queries_do_not_grow_with_communities(client, clerk_a, street_a, count, django_assert_num_queries):
    _many_returns(street_a, count)
    client.force_login(clerk_a)
    # session, user, communities count, communities page, returns of the page with completeness and last editor,
    # codes with an earlier return, returns per status, years with returns; the header's region name; the user's
    # and group permissions (``perms`` in the template); the year's reporting periods (one: with none there is no
    # query for their extensions); the reminders to the clerk's street; the top bar's count (unread reminders,
    # returns sent back); the session saved again (savepoint, update, release: SESSION_SAVE_EVERY_REQUEST). (The
    # code changes are asked only when a community of the page has no return: one query more.)
    with django_assert_num_queries(18):
        response = client.get(reverse("returns:workspace"), {"year": 2025})
    assert len(response.context["rows"]) == count
    assert ("已提交", count) in response.context["counts"]


@pytest.mark.parametrize("count", [2, 12])
def test_queue_queries_do_not_grow_with_returns(client, reviewer, street_a, street_b, count, django_assert_num_queries):
    _many_returns(street_a, count)
    _many_returns(street_b, count)
    client.force_login(reviewer)
    # session, user, the user's and group permissions (review permission), count of the queue, the page (returns
    # with community, street, submitter, completeness), years, the streets of the filter; the default year (the
    # open reporting period, then the returns per year); the header's region name; the session saved again
    # (savepoint, update, release); the page's validation findings (quality.region_findings: the region's returns,
    # their figures — compute_by_unit: standards and five apps —, the communities' types, last year's returns (none
    # here: no figures to read), the communities' earlier years, the rules, the findings accepted on the follow-up
    # list): 26
    with django_assert_num_queries(26):
        response = client.get(reverse("returns:queue"))
    assert len(response.context["page"].object_list) == 2 * count


def test_the_admin_masks_id_numbers_for_reviewers(client, rf, reviewer, administrator, return_a):
    from django.contrib import admin as django_admin

    from tests.returns.conftest import VALID_ID

    worker = Worker.objects.filter(survey_return=return_a).first()
    Worker.objects.filter(pk=worker.pk).update(id_number=VALID_ID)
    url = f"/admin/workforce/worker/{worker.pk}/change/"
    client.force_login(reviewer)
    page = client.get(url).content.decode()
    assert VALID_ID not in page
    assert "4206**********0014" in page
    version = Worker.history.filter(id=worker.pk).first()
    history_url = f"/admin/workforce/worker/{worker.pk}/history/{version.history_id}/"
    assert client.get(history_url).status_code == 403
    model_admin = django_admin.site._registry[Worker]
    for user, expected in ((reviewer, "4206**********0014"), (administrator, VALID_ID)):
        request = rf.get("/admin/workforce/worker/export/")
        request.user = user
        resource = model_admin.get_export_resource_classes(request)[0]()
        exported = resource.export(queryset=Worker.objects.filter(pk=worker.pk)).dict[0]
        assert expected in exported.values()
    client.force_login(administrator)
    assert VALID_ID in client.get(url).content.decode()


@pytest.mark.parametrize("workers", [1, 15])
def test_review_page_queries_do_not_grow_with_rows(
    client, reviewer, return_a_2024, return_a, workers, django_assert_num_queries
):
    from tests.workforce.factories import WorkerFactory

    for n in range(workers):
        WorkerFactory(survey_return=return_a, name=f"加{n}", birth_year=1970 + n)
    client.force_login(reviewer)
    # session, user, the return, the indicator engine twice (this year and last, 8 each: see tests/indicators), the
    # code changes into the community and those that may have retired its code (none recorded: one query each), last
    # year's return, the validation rules in force (one), the findings accepted on the follow-up list (one), the
    # outliers (the county's figures this year and last: compute_by_unit twice, 6 each; the communities' types;
    # last year's returns' statuses), the last approved version (none: no diff to read), the four row lists, the
    # comments and the four row lists again (what a comment may be attached to), the review permission, the
    # header's region, the session saved: 54 whether the roster has 1 or 15 extra workers.
    with django_assert_num_queries(54):
        response = client.get(reverse("returns:detail", args=[return_a.community_id, 2025]))
    assert response.status_code == 200


def _page_version(client, code, year=2025):
    """The version the review page's forms carry (what the reviewer's browser posts back)."""
    response = client.get(reverse("returns:detail", args=[code, year]))
    assert 'name="version"' in response.content.decode()
    return response.context["comment_form"]["version"].value()


STALE = "该填报在您打开后已被修改，请刷新后重新审核"


@pytest.mark.parametrize("action", ["approve", "send_back"])
def test_a_review_action_on_a_page_read_before_a_change_changes_nothing(
    client, reviewer, administrator, return_a, action
):
    from django.test import Client

    from tests.returns.helpers import page_data

    submit(return_a)
    code = return_a.community_id
    client.force_login(reviewer)
    version = _page_version(client, code)  # the reviewer's page, before the change
    other = Client()
    other.force_login(administrator)  # somebody corrects the submitted return meanwhile
    data = page_data(other, code, 2025)
    data["households"] = "1300"
    assert other.post(reverse("returns:edit", args=[code, 2025]), data).status_code == 302

    response = client.post(
        reverse(f"returns:{action}", args=[code, 2025]), {"comment": "请核实", "version": version}, follow=True
    )
    assert STALE in response.content.decode()
    return_a.refresh_from_db()
    assert (return_a.status, return_a.reviewed_by, return_a.review_comment) == (ReturnStatus.SUBMITTED, None, "")
    # Refreshed, the reviewer sees the new figures and the action goes through.
    fresh = _page_version(client, code)
    client.post(reverse(f"returns:{action}", args=[code, 2025]), {"comment": "请核实", "version": fresh})
    return_a.refresh_from_db()
    assert return_a.status != ReturnStatus.SUBMITTED


def test_reopening_from_a_page_read_before_a_change_changes_nothing(client, reviewer, return_a):
    from communities.returns import services

    submit(return_a)
    approved = services.return_approve(survey_return=return_a, user=reviewer, expected_version=return_a.version)
    code = return_a.community_id
    client.force_login(reviewer)
    version = _page_version(client, code)
    # Meanwhile: reopened, resubmitted and approved again by somebody else.
    reopened = services.return_reopen(survey_return=approved, user=reviewer, expected_version=version, comment="改")
    SurveyReturn.objects.filter(pk=return_a.pk).update(status=ReturnStatus.SUBMITTED)
    services.return_approve(survey_return=reopened, user=reviewer, expected_version=reopened.version)

    response = client.post(
        reverse("returns:reopen", args=[code, 2025]), {"comment": "经费有误", "version": version}, follow=True
    )
    assert STALE in response.content.decode()
    return_a.refresh_from_db()
    assert (return_a.status, return_a.review_comment) == (ReturnStatus.APPROVED, "改")


def test_approving_a_page_read_before_somebody_sent_the_return_back_says_to_refresh(client, reviewer, return_a):
    from communities.returns import services

    submit(return_a)
    code = return_a.community_id
    client.force_login(reviewer)
    version = _page_version(client, code)
    services.return_send_back(survey_return=return_a, user=reviewer, expected_version=version, comment="户数有误")

    response = client.post(reverse("returns:approve", args=[code, 2025]), {"version": version}, follow=True)
    html = response.content.decode()
    assert STALE in html and "只有已提交的填报可以审核通过" not in html
    return_a.refresh_from_db()
    assert return_a.status == ReturnStatus.RETURNED


def test_a_review_action_without_the_version_changes_nothing(client, reviewer, return_a):
    submit(return_a)
    client.force_login(reviewer)
    response = client.post(reverse("returns:approve", args=[return_a.community_id, 2025]), follow=True)
    assert "页面缺少版本信息" in response.content.decode()
    return_a.refresh_from_db()
    assert return_a.status == ReturnStatus.SUBMITTED


def test_approval_runs_the_submission_rules_on_what_the_reviewer_changed(client, reviewer, return_a_2024, return_a):
    from tests.returns.helpers import page_data

    submit(return_a)
    code = return_a.community_id
    client.force_login(reviewer)
    data = page_data(client, code, 2025)  # reviewers correct submitted returns (README); here: every premises gone
    data["premises-0-DELETE"] = "on"
    assert client.post(reverse("returns:edit", args=[code, 2025]), data).status_code == 302
    assert not return_a.premises.exists()

    response = client.post(
        reverse("returns:approve", args=[code, 2025]), {"version": _page_version(client, code)}, follow=True
    )
    page = response.content.decode()
    assert "不能审核通过" in page
    assert "办公服务用房为空" in page
    assert "用房总面积较2024年变化 -100%" in page
    return_a.refresh_from_db()
    assert (return_a.status, return_a.reviewed_by) == (ReturnStatus.SUBMITTED, None)
