"""ID numbers (身份证号) are shown masked to everyone but administrators — in exports, templates and error
messages — and a masked ID in an uploaded workbook means "that stored worker, ID unchanged"."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from communities.models import ImportRecord
from communities.workbook.services import workbook_import
from tests.communities.factories import SurveyReturnFactory
from tests.workforce.factories import WorkerFactory
from workforce.models import Worker

from .builders import A1, ID_1, basics, one_community, survey, worker

YEAR = 2025
ID_2 = "420626199002020018"  # checksum-valid
MASK_1 = "4206**********0014"


def filled(street_a, year=YEAR):
    survey_return = SurveyReturnFactory(community__street=street_a, community__code=A1, year=year)
    WorkerFactory(survey_return=survey_return, name="李四", id_number=ID_1)
    WorkerFactory(survey_return=survey_return, name="王五", id_number=ID_2, birth_year=1990)
    WorkerFactory(survey_return=survey_return, name="赵六")
    return survey_return


def download(client, name, **params) -> bytes:
    response = client.get(reverse(name), {"year": YEAR, **params})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def ids_in(data: bytes) -> set:
    sheet = load_workbook(io.BytesIO(data))["社区工作者"]
    return {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}


def state():
    return list(Worker.objects.order_by("pk").values())


class TestExports:
    def test_a_clerk_and_a_reviewer_get_masked_ids(self, client, clerk_a, reviewer, street_a):
        filled(street_a)
        for user in (clerk_a, reviewer):
            client.force_login(user)
            data = download(client, "workbook:export")
            assert ids_in(data) == {MASK_1, "4206**********0018", None}
            assert ID_1.encode() not in data and ID_2.encode() not in data

    def test_an_administrator_gets_the_full_ids(self, client, administrator, street_a):
        filled(street_a)
        client.force_login(administrator)
        assert ids_in(download(client, "workbook:export", region="420626")) == {ID_1, ID_2, None}

    def test_the_template_for_next_year_is_masked_too(self, client, clerk_a, street_a):
        filled(street_a)
        client.force_login(clerk_a)
        response = client.get(reverse("workbook:template"), {"year": YEAR + 1})
        assert ids_in(b"".join(response.streaming_content)) == {MASK_1, "4206**********0018", None}


class TestAMaskedIdReadBack:
    def test_a_clerks_round_trip_changes_nothing(self, client, clerk_a, street_a):
        filled(street_a)
        client.force_login(clerk_a)
        data = download(client, "workbook:export")
        before, history = state(), Worker.history.count()
        result = workbook_import(file=data, year=YEAR, user=clerk_a, dry_run=False)
        assert result.ok, result.errors
        assert result.plan.totals()["added"] == result.plan.totals()["changed"] == result.plan.totals()["removed"] == 0
        assert state() == before and Worker.history.count() == history
        assert Worker.objects.get(name="李四").id_number == ID_1

    def test_last_years_masked_rows_import_into_a_new_year_with_the_full_ids(self, client, clerk_a, street_a):
        filled(street_a, year=YEAR - 1)
        client.force_login(clerk_a)
        data = download(client, "workbook:template")  # last year's rows, for YEAR
        result = workbook_import(file=data, year=YEAR, user=clerk_a, dry_run=False)
        assert result.ok, result.errors
        new = dict(Worker.objects.filter(survey_return__year=YEAR).values_list("name", "id_number"))
        assert new == {"李四": ID_1, "王五": ID_2, "赵六": ""}

    def test_a_masked_id_of_no_stored_worker_is_an_error_asking_for_the_full_number(self, clerk_a, street_a):
        filled(street_a)
        data = one_community(workers=[worker(name="李四", 身份证号=MASK_1), worker(name="新人", 身份证号=MASK_1)])
        result = workbook_import(file=data, year=YEAR, user=clerk_a, dry_run=True)
        [problem] = result.errors
        assert (problem.sheet, problem.row, problem.column, problem.value) == ("社区工作者", 3, "身份证号", MASK_1)
        assert "请填写完整的18位身份证号" in problem.message

    def test_a_masked_id_that_matches_another_worker_of_the_same_name_only_is_an_error(self, clerk_a, street_a):
        filled(street_a)
        data = one_community(
            workers=[worker(name="李四", 身份证号="4206**********0018")],  # 王五's mask
            rooms=[],
            funds=[],
            programs=[],
        )
        result = workbook_import(file=data, year=YEAR, user=clerk_a, dry_run=True)
        assert [p.column for p in result.errors] == ["身份证号"]

    def test_a_malformed_masked_id_is_an_error(self, clerk_a, street_a):
        data = survey(communities=[basics()], workers=[worker(身份证号="42**01")])
        result = workbook_import(file=data, year=YEAR, user=clerk_a, dry_run=True)
        assert "请填写完整的18位身份证号" in result.errors[0].message


class TestErrorsNeverShowAFullId:
    def test_a_bad_checksum_is_shown_masked(self, client, clerk_a):
        bad = "420626198501010011"
        data = one_community(workers=[worker(身份证号=bad)])
        client.force_login(clerk_a)
        file = io.BytesIO(data)
        file.name = "t.xlsx"
        page = client.post(reverse("workbook:upload"), {"year": YEAR, "file": file}).content.decode()
        assert "校验码" in page and "4206**********0011" in page and bad not in page
        assert bad not in str(ImportRecord.objects.get().errors)

    def test_an_id_typed_into_another_column_is_masked_in_the_message(self, clerk_a):
        data = one_community(workers=[worker(出生年份=ID_1)])
        result = workbook_import(file=data, year=YEAR, user=clerk_a, dry_run=True)
        assert result.errors[0].value == MASK_1
