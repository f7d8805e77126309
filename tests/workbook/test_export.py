"""Export of a region and year: the same format, a round trip that changes nothing, formulas neutralised."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from communities.workbook.services import workbook_import
from communities.workbook.writer import write_workbook
from funding.models import Allocation
from services.models import ServiceProgram
from tests.communities.factories import SurveyReturnFactory
from tests.facilities.factories import PremisesFactory
from tests.funding.factories import AllocationFactory
from tests.services.factories import ServiceProgramFactory
from tests.workforce.factories import WorkerFactory
from workforce.models import Worker

from .builders import ID_1

YEAR = 2025


def export(region="420626", year=YEAR) -> bytes:
    stream = io.BytesIO()
    write_workbook(stream, region_code=region, year=year, data_year=year, template=False)
    return stream.getvalue()


def filled(street_a, street_b):
    a = SurveyReturnFactory(
        community__street=street_a,
        community__code="420626001001",
        community__name="=东关",
        households=1234,
        police_officers=2,
    )
    WorkerFactory(
        survey_return=a,
        name="+张三",
        id_number=ID_1,
        left_on=dt.date(2025, 6, 30),
        leave_reason="-调走",
        seconded=True,
        seconded_to="@街道办",
        monthly_pay=Decimal("1500.50"),
        monthly_allowance=Decimal("500"),
    )
    WorkerFactory(survey_return=a, name="李四", political_status="cpc")
    PremisesFactory(survey_return=a, name="服务中心", area=Decimal("355.70"), built_year=2012)
    ServiceProgramFactory(survey_return=a, name="老年食堂", funds=Decimal("12345.67"), beneficiaries=300)
    AllocationFactory(unit_code=a.community_id, budget=Decimal("3675700"), received=Decimal("1234.56"))
    AllocationFactory(unit_code="420626", budget=Decimal("2097900"))
    b = SurveyReturnFactory(community__street=street_b, community__code="420626101001", households=800)
    WorkerFactory(survey_return=b, name="王五")
    return a, b


def state():
    return (
        list(Worker.objects.order_by("pk").values()),
        list(Allocation.objects.order_by("pk").values()),
        list(ServiceProgram.objects.order_by("pk").values()),
    )


def test_a_round_trip_changes_nothing(reviewer, street_a, street_b):
    filled(street_a, street_b)
    before = state()
    history = Worker.history.count()
    result = workbook_import(file=export(), year=YEAR, user=reviewer, dry_run=False)
    assert result.ok, result.errors
    assert result.plan.totals()["added"] == result.plan.totals()["changed"] == result.plan.totals()["removed"] == 0
    assert state() == before
    assert Worker.history.count() == history


def test_an_approved_return_round_trips_too(reviewer, street_a, street_b):
    a, _ = filled(street_a, street_b)
    a.status = "approved"
    a.save()
    assert workbook_import(file=export(), year=YEAR, user=reviewer, dry_run=True).ok


def test_formula_like_text_is_a_text_cell_and_numbers_stay_numbers(reviewer, street_a, street_b):
    filled(street_a, street_b)
    workbook = load_workbook(io.BytesIO(export()))
    basics = workbook["社区基本情况"]
    # formula-like text as it reads, in a text cell with the quote prefix: no formula, no visible apostrophe
    assert (basics["B2"].value, basics["B2"].data_type, basics["B2"].quotePrefix) == ("=东关", "s", True)
    assert not basics["C2"].quotePrefix  # the other text cells as before
    assert basics["A2"].value == "420626001001" and basics["A2"].data_type == "s"
    assert basics["F2"].value == 1234 and basics["F2"].data_type == "n"
    workers = {row[1]: row for row in workbook["社区工作者"].iter_rows(min_row=2, values_only=True)}
    assert "+张三" in workers
    row = workers["+张三"]
    assert row[10] == "-调走" and row[12] == "@街道办"
    assert row[11] == "是" and row[14] == 1500.5 and row[15] == 500
    assert row[9] == dt.datetime(2025, 6, 30)
    funding = {row[0]: row for row in workbook["经费"].iter_rows(min_row=2, values_only=True)}
    assert funding["420626001001"][3] == 367.57 and funding["420626001001"][4] == 0.123456  # 万元
    assert funding["420626"][3] == 209.79
    programs = list(workbook["服务项目"].iter_rows(min_row=2, values_only=True))
    assert programs[0][6] == 1.234567


def test_the_export_of_a_street_holds_only_that_street(reviewer, street_a, street_b):
    filled(street_a, street_b)
    workbook = load_workbook(io.BytesIO(export("420626001")))
    codes = {row[0] for row in workbook["社区基本情况"].iter_rows(min_row=2, values_only=True)}
    assert codes == {"420626001001"}
    assert {row[0] for row in workbook["经费"].iter_rows(min_row=2, values_only=True)} == {"420626001001"}


def test_the_instructions_sheet_prints_without_overlap(client, clerk_a, street_a):
    """Issue 18 item 3: the template's 填报说明 — the title and each rule span the four columns (merged), wrap, and
    their rows are as high as their wrapped text; printed landscape, fitted to the width, header row repeated."""
    from django.urls import reverse

    from communities.spreadsheets import text_width
    from communities.workbook.columns import INSTRUCTIONS_SHEET
    from communities.workbook.writer import RULES

    client.force_login(clerk_a)
    response = client.get(reverse("workbook:template"), {"year": 2025})
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data))[INSTRUCTIONS_SHEET]
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    width = sum(sheet.column_dimensions[letter].width for letter in "ABCD")
    rows = {sheet.cell(row=r, column=1).value: r for r in range(1, sheet.max_row + 1)}
    assert "A1:D1" in merged  # the title
    for rule in RULES:
        row = rows[rule]
        assert f"A{row}:D{row}" in merged, rule
        cell = sheet.cell(row=row, column=1)
        assert cell.alignment.wrap_text
        lines_needed = -(-text_width(rule) // int(width))
        assert sheet.row_dimensions[row].height >= 15 * lines_needed, rule
    assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    header = rows["工作表"]
    assert sheet.print_title_rows == f"${header}:${header}"
