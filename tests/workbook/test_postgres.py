"""What only PostgreSQL shows: a real database error inside COPY, and confirmations racing each other or an
approval in two connections. Runs on PostgreSQL only."""

import logging
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from communities.models import ImportOutcome, ImportRecord, ReturnStatus, SurveyReturn
from communities.workbook import services
from communities.workbook.services import AlreadyProcessedError, StalePreviewError, workbook_import
from workforce.models import Worker

from .builders import ID_1, survey, worker

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and row locks need PostgreSQL")

YEAR = 2025


def _upload(client, data):
    import io

    file = io.BytesIO(data)
    file.name = "调查表.xlsx"
    return client.post(reverse("workbook:upload"), {"year": YEAR, "file": file})


def _refuse_high_pay():
    """A rule the database has and the import's checks do not: its CHECK violation's DETAIL quotes the whole
    failing row, ID number included. Added inside the test's transaction, so it goes with it."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE workforce_worker ADD CONSTRAINT test_pay_below_1600 CHECK (monthly_pay < 1600)")


class TestADatabaseErrorInsideCopy:
    def test_the_confirmation_is_refused_with_a_chinese_message_and_no_raw_text(self, client, clerk_a, caplog):
        client.force_login(clerk_a)
        data = survey(workers=[worker(), worker(name="李四", 身份证号=ID_1, **{"月基本报酬(元)": 1800})])
        _upload(client, data)
        record = ImportRecord.objects.get()
        _refuse_high_pay()
        with caplog.at_level(logging.ERROR, logger="communities.workbook.services"):
            response = client.post(reverse("workbook:confirm", args=[record.pk]), follow=True)
        assert response.status_code == 200
        page = response.content.decode()
        assert "数据库拒绝了这次导入，未导入任何数据" in page
        assert ID_1 not in page and "violates" not in page and "Failing row" not in page
        record.refresh_from_db()
        assert record.outcome == ImportOutcome.REJECTED
        assert record.errors[-1]["message"].startswith("数据库拒绝了这次导入")
        assert ID_1 not in str(record.errors) and "violates" not in str(record.errors)
        assert not Worker.objects.exists() and not SurveyReturn.objects.exists()
        # Logged for the administrator: what the database refused, without the ID number.
        [logged] = [r for r in caplog.records if "refused by the database" in r.getMessage()]
        assert "CheckViolation" in logged.getMessage() and "test_pay_below_1600" in logged.getMessage()
        assert ID_1 not in logged.getMessage() and not logged.exc_info

    def test_the_command_line_import_is_refused_the_same_way(self, clerk_a):
        _refuse_high_pay()
        result = workbook_import(
            file=survey(workers=[worker(**{"月基本报酬(元)": 1800})]), year=YEAR, user=clerk_a, dry_run=False
        )
        assert not result.imported and "数据库拒绝" in result.errors[-1].message
        assert result.record.outcome == ImportOutcome.REJECTED and result.record.counts["社区工作者"] == {"rows": 1}
        assert not Worker.objects.exists()


def _in_threads(*targets):
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)


@pytest.mark.django_db(transaction=True)
class TestConcurrentConfirmations:
    def test_of_two_simultaneous_confirmations_one_imports_and_the_other_is_told(self, clerk_a):
        preview = workbook_import(file=survey(), year=YEAR, user=clerk_a, dry_run=True, name="t.xlsx")
        barrier = threading.Barrier(2)
        outcomes = []

        def confirm():
            try:
                record = ImportRecord.objects.get(pk=preview.record.pk)
                barrier.wait()
                result = services.workbook_import_confirm(record=record, user=clerk_a)
                outcomes.append("imported" if result.imported else "refused")
            except AlreadyProcessedError:
                outcomes.append("already")
            finally:
                connections.close_all()

        _in_threads(confirm, confirm)
        assert sorted(outcomes) == ["already", "imported"]
        assert Worker.objects.count() == 3 and SurveyReturn.objects.count() == 2
        assert ImportRecord.objects.get().outcome == ImportOutcome.IMPORTED

    def test_an_approval_committed_while_the_confirmation_waits_is_respected(self, clerk_a):
        workbook_import(file=survey(), year=YEAR, user=clerk_a, dry_run=False, name="t.xlsx")
        changed = survey(workers=[worker(**{"月基本报酬(元)": 1800})])
        preview = workbook_import(file=changed, year=YEAR, user=clerk_a, dry_run=True, name="t.xlsx")
        locked = threading.Event()
        outcomes = []

        def approve():
            try:
                with transaction.atomic():
                    survey_return = SurveyReturn.objects.select_for_update().get(community_id="420626001001")
                    locked.set()
                    time.sleep(1)  # the confirmation starts meanwhile
                    survey_return.status = ReturnStatus.APPROVED
                    survey_return.save(update_fields=["status"])
            finally:
                connections.close_all()

        def confirm():
            try:
                locked.wait(10)
                record = ImportRecord.objects.get(pk=preview.record.pk)
                services.workbook_import_confirm(record=record, user=clerk_a)
                outcomes.append("imported")
            except StalePreviewError:
                outcomes.append("stale")
            finally:
                connections.close_all()

        _in_threads(approve, confirm)
        assert outcomes == ["stale"]
        assert Worker.objects.get(name="张三").monthly_pay == 1500  # the approved return is unchanged
        survey_return = SurveyReturn.objects.get(community_id="420626001001")
        assert (survey_return.status, survey_return.version) == (ReturnStatus.APPROVED, 1)
        assert ImportRecord.objects.get(pk=preview.record.pk).outcome == ImportOutcome.REJECTED  # refused as stale

    def test_a_return_saved_while_the_import_holds_its_lock_gets_a_conflict(self, clerk_a):
        from communities.returns.services import ReturnConflict, return_save

        workbook_import(file=survey(), year=YEAR, user=clerk_a, dry_run=False, name="t.xlsx")
        preview = workbook_import(
            file=survey(workers=[worker(**{"月基本报酬(元)": 1800})]), year=YEAR, user=clerk_a, dry_run=True
        )
        started = threading.Event()
        outcomes = []
        real_apply = services.workbook_apply

        def slow_apply(plan, *, user):
            started.set()
            time.sleep(1)  # the form is saved meanwhile
            real_apply(plan, user=user)

        def confirm():
            try:
                record = ImportRecord.objects.get(pk=preview.record.pk)
                outcomes.append(services.workbook_import_confirm(record=record, user=clerk_a).imported)
            finally:
                connections.close_all()

        def save_form():
            try:
                started.wait(10)
                stale = SurveyReturn.objects.get(community_id="420626001001")  # version 1: the import is not done
                return_save(survey_return=stale, user=clerk_a, expected_version=stale.version, basics={"households": 9})
                outcomes.append("saved")
            except ReturnConflict:
                outcomes.append("conflict")
            finally:
                connections.close_all()

        services.workbook_apply = slow_apply
        try:
            _in_threads(confirm, save_form)
        finally:
            services.workbook_apply = real_apply
        assert sorted(outcomes, key=str) == [True, "conflict"]
        survey_return = SurveyReturn.objects.get(community_id="420626001001")
        assert survey_return.version == 2 and survey_return.households == 1200  # the import's, not the form's
