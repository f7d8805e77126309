"""Admin writes to survey data (change form, delete, bulk delete, xlsx import) give the returns they touch a new
version and record who changed them last, so that a return page opened before is a conflict, not an overwrite;
the return's status and review comment change only through the review pages."""

from decimal import Decimal

from django.urls import reverse
from tablib import Dataset

from communities.models import ReturnStatus, SurveyReturn
from facilities.models import Premises
from funding.models import Allocation
from services.models import ServiceProgram
from tests.funding.factories import AllocationFactory
from tests.returns.helpers import admin_form_data, admin_import, page_data, xlsx_upload
from tests.services.factories import ServiceProgramFactory
from workforce.models import Worker
from workforce.resources import WorkerResource


def version_and_editor(survey_return):
    return SurveyReturn.objects.filter(pk=survey_return.pk).values_list("version", "updated_by__username").get()


def test_an_admin_edit_of_a_worker_turns_an_open_return_page_into_a_conflict(client, clerk_a, administrator, return_a):
    from django.test import Client

    code = return_a.community_id
    client.force_login(clerk_a)
    opened = page_data(client, code, 2025)  # the clerk's page, read at version 1
    worker = return_a.workers.order_by("pk").first()
    admin = Client()
    admin.force_login(administrator)
    url = f"/admin/workforce/worker/{worker.pk}/change/"
    data = admin_form_data(admin, url)
    data["monthly_pay"] = "3333"
    assert admin.post(url, data).status_code == 302
    assert version_and_editor(return_a) == (2, "administrator")

    opened["workers-0-monthly_pay"] = "1111"
    opened["households"] = "1111"
    response = client.post(reverse("returns:edit", args=[code, 2025]), opened, follow=True)
    assert "您的修改没有保存" in response.content.decode()
    worker.refresh_from_db()
    return_a.refresh_from_db()
    assert (worker.monthly_pay, return_a.households, return_a.version) == (Decimal("3333"), 1050, 2)
    # The workspace names the administrator as the last to change the return.
    workspace = client.get(reverse("returns:workspace"), {"year": 2025}).content.decode()
    assert "administrator" in workspace


def test_a_rows_return_is_read_only_on_its_change_form(client, administrator, return_a, return_b):
    """A row moved to another return would vanish from its return's history page: the admin shows the return
    (and an allocation's unit and year, a return's community and year) read-only once the row exists."""
    client.force_login(administrator)
    code = return_a.community_id
    premises = return_a.premises.get()
    allocation = Allocation.objects.get(unit_code=return_a.community_id, year=2025)
    for url, moved in (
        (f"/admin/facilities/premises/{premises.pk}/change/", {"survey_return": str(return_b.pk)}),
        (f"/admin/funding/allocation/{allocation.pk}/change/", {"unit_code": return_b.community_id, "year": "2024"}),
        (f"/admin/communities/surveyreturn/{return_a.pk}/change/", {"community": return_b.community_id}),
    ):
        data = admin_form_data(client, url)
        assert not set(moved) & set(data), url  # not an input of the form
        assert client.post(url, {**data, **moved}).status_code == 302, url
    premises.refresh_from_db()
    allocation.refresh_from_db()
    return_a.refresh_from_db()
    assert premises.survey_return_id == return_a.pk
    assert (allocation.unit_code, allocation.year) == (return_a.community_id, 2025)
    assert (return_a.community_id, return_a.year) == (code, 2025)
    assert version_and_editor(return_b) == (1, None)
    # The rows are still on their return's history page.
    history = client.get(reverse("returns:history", args=[return_a.community_id, 2025])).content.decode()
    assert "综合服务中心" in history


def test_a_row_is_added_to_the_return_chosen_on_the_add_form(client, administrator, return_a, return_b):
    client.force_login(administrator)
    response = client.get("/admin/facilities/premises/add/")
    assert 'name="survey_return"' in response.content.decode()


def test_an_admin_import_never_moves_a_row_to_another_return(client, administrator, return_a, return_b):
    """Import rows are identified within the return their 社区代码 and 年度 name: a row naming another community
    is a row of that return (added there), never the stored row moved."""
    worker = return_a.workers.order_by("pk").first()
    dataset = WorkerResource().export(queryset=Worker.objects.filter(pk=worker.pk))
    dataset[0] = tuple(
        return_b.community_id if h == "社区代码" else value
        for h, value in zip(dataset.headers, dataset[0], strict=True)
    )
    client.force_login(administrator)
    assert admin_import(client, "workforce/worker", dataset).status_code == 302
    worker.refresh_from_db()
    assert worker.survey_return_id == return_a.pk
    assert Worker.objects.filter(survey_return=return_b, name=worker.name).exists()
    assert version_and_editor(return_a) == (1, None)


def test_admin_deletes_and_bulk_deletes_give_the_return_a_new_version(client, administrator, return_a, return_b):
    ServiceProgramFactory(survey_return=return_a, name="四点半课堂")
    client.force_login(administrator)
    premises = return_a.premises.get()
    assert client.post(f"/admin/facilities/premises/{premises.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Premises.objects.filter(pk=premises.pk).exists()
    assert version_and_editor(return_a) == (2, "administrator")

    programs = list(return_a.programs.values_list("pk", flat=True))
    assert len(programs) == 2
    response = client.post(
        "/admin/services/serviceprogram/",
        {"action": "delete_selected", "_selected_action": programs, "post": "yes"},
    )
    assert response.status_code == 302
    assert not ServiceProgram.objects.filter(pk__in=programs).exists()
    assert version_and_editor(return_a) == (3, "administrator")  # one new version for the bulk delete
    assert version_and_editor(return_b) == (1, None)


def test_an_allocation_of_a_community_gives_its_return_a_new_version_one_of_a_street_none(
    client, administrator, return_a, street_a
):
    client.force_login(administrator)
    allocation = Allocation.objects.get(unit_code=return_a.community_id, year=2025)
    url = f"/admin/funding/allocation/{allocation.pk}/change/"
    data = admin_form_data(client, url)
    data["budget"] = "6"
    assert client.post(url, data).status_code == 302
    assert version_and_editor(return_a) == (2, "administrator")

    street_money = AllocationFactory(unit_code=street_a.code, year=2025)
    url = f"/admin/funding/allocation/{street_money.pk}/change/"
    data = admin_form_data(client, url)
    data["budget"] = "7"
    assert client.post(url, data).status_code == 302
    assert version_and_editor(return_a) == (2, "administrator")


def test_the_return_change_form_gives_a_new_version_and_leaves_status_and_comment_alone(
    client, administrator, return_a
):
    SurveyReturn.objects.filter(pk=return_a.pk).update(review_comment="请核对户数")
    client.force_login(administrator)
    url = f"/admin/communities/surveyreturn/{return_a.pk}/change/"
    data = admin_form_data(client, url)
    assert "status" not in data and "review_comment" not in data  # shown read-only
    data.update({"households": "1060", "status": ReturnStatus.APPROVED, "review_comment": "已核对"})
    assert client.post(url, data).status_code == 302
    return_a.refresh_from_db()
    assert (return_a.households, return_a.status, return_a.review_comment) == (1060, ReturnStatus.DRAFT, "请核对户数")
    assert (return_a.version, return_a.updated_by.username, return_a.reviewed_by) == (2, "administrator", None)
    assert SurveyReturn.history.filter(id=return_a.pk).latest().history_user.username == "administrator"


def test_an_admin_import_gives_each_return_it_changes_one_new_version(client, administrator, return_a, return_b):
    workers = Worker.objects.filter(survey_return__in=[return_a, return_b]).order_by("pk")
    dataset = WorkerResource().export(queryset=workers)
    pay = next(h for h in dataset.headers if h.startswith("月基本报酬"))
    rows = [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
    for row in rows:  # both workers of return A get a new pay; return B's are unchanged
        if row["社区代码"] == return_a.community_id:
            row[pay] = "4321"
    changed = Dataset(*[tuple(row.values()) for row in rows], headers=dataset.headers)
    client.force_login(administrator)

    preview = client.post(
        "/admin/workforce/worker/import/",
        {"format": "0", "import_file": xlsx_upload(changed), "resource": "0"},
    )
    assert preview.status_code == 200
    assert version_and_editor(return_a) == (1, None)  # the preview changes nothing

    assert admin_import(client, "workforce/worker", changed).status_code == 302
    assert set(Worker.objects.filter(survey_return=return_a).values_list("monthly_pay", flat=True)) == {Decimal("4321")}
    assert version_and_editor(return_a) == (2, "administrator")
    assert version_and_editor(return_b) == (1, None)


def test_an_admin_import_of_returns_gives_them_a_new_version(client, administrator, return_a, return_b):
    from communities.resources import SurveyReturnResource

    dataset = SurveyReturnResource().export(queryset=SurveyReturn.objects.filter(pk=return_a.pk))
    dataset[0] = tuple("1234" if h == "户数" else v for h, v in zip(dataset.headers, dataset[0], strict=True))
    client.force_login(administrator)
    assert admin_import(client, "communities/surveyreturn", dataset).status_code == 302
    return_a.refresh_from_db()
    assert (return_a.households, return_a.version, return_a.updated_by.username) == (1234, 2, "administrator")
    assert version_and_editor(return_b) == (1, None)
