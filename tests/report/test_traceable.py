"""Every number the report writes — in every section, every table and the comparison — is one of the indicators
engine's figures for the same fixture (or the change between two of them), written the one way this test expects
for that figure. The formats are the test's own (half-up rounding by hand), not the report's formatting module, and
there is no blanket set of variants: a figure in 万元 is only allowed in 万元, a count only as a whole number."""

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from communities.dashboard.selectors import return_counts as dashboard_return_counts
from communities.indicator_engine import compute_indicators
from communities.report.compose import report_build
from tests.conftest import COUNTY, STREET_A
from tests.report.conftest import YEAR

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"\d+(?:\.\d+)?")
SKIPPED_COLUMNS = {"序号", "社区代码"}  # row numbers and division codes are not figures
BAND_LABELS = ["1000户以下", "1000—2000户", "2000—2500户", "2500—3000户", "3000户以上"]
FIXED_PHRASES = ["每100户"]  # the per-100-households rule names its unit, like 每万人


def _round(value, places: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def whole(v):
    return str(_round(v, 0))


def fixed1(v):
    return str(_round(v, 1))


def fixed2(v):
    return str(_round(v, 2))


def trim1(v):
    text = fixed1(v)
    return text[:-2] if text.endswith(".0") else text


def trim2(v):
    text = fixed2(v).rstrip("0").rstrip(".")
    return text or "0"


def pct(v):
    return fixed1(Decimal(str(v)) * 100)


def wan(v):
    return fixed2(Decimal(str(v)) / 10000)


# How each figure is written, by the unit of the indicator (value), of its standard, or of its gap.
VALUE_FORMATS = {
    "个": [whole],
    "人": [whole],
    "户": [whole],
    "人次": [whole],
    "户/人": [whole],
    "人/万人": [fixed1],
    "m²": [trim1],
    "m²/百户": [trim1, fixed1],  # 32.4 in prose, 30.0 in the table
    "率": [pct],
    "倍": [pct],
    "元/户": [trim2],
    "元/人": [whole],
    "元/年": [whole],
    "岁": [trim1],
}
MONEY_IDS = {
    "funding_budget",
    "funding_received",
    "funding_budget_reported",
    "funding_budget_county_township",
    "service_funds",
}
STANDARD_FORMATS = {
    "m²/百户": [trim1],
    "m²": [trim1],
    "户/人": [whole],
    "人/万人": [trim1],
    "元/户·年": [trim2],
    "元/人·年": [whole],
    "元/年": [wan],
    "户": [whole],
    "率": [pct],
}
GAP_FORMATS = {"m²": [trim1], "人": [whole], "个": [whole], "元": [wan], "元/年": [wan], "元/年·人": [wan], "率": []}
# A shortfall row's (figure, standard, gap) as the appended tables write them.
ROW_FORMATS = {
    "facility_compliance_rate": (fixed1, fixed1, fixed1),
    "facility_area_per_100_households": (fixed1, fixed1, fixed1),
    "avg_monthly_pay": (whole, whole, whole),
    "public_funds_per_worker": (whole, whole, whole),
    "households_per_worker": (whole, whole, whole),
    "workers_per_10k_residents": (fixed1, fixed1, whole),
    "worker_loss_rate": (pct, pct, pct),
    "worker_secondment_rate": (pct, pct, pct),
    "funding_received_rate": (pct, pct, pct),
    "leader_pay_vs_village_head": (whole, whole, whole),
    "staff_pay_vs_village_deputy": (whole, whole, whole),
    "work_funds_per_household": (fixed2, fixed2, whole),
    "households_by_size": (whole, whole, whole),
}
# The columns of the table of streets (or of a street's communities).
UNIT_TABLE_KEYS = [
    "communities",
    "households",
    "population",
    "workers_in_post",
    "households_per_worker",
    "facility_area",
    "facility_area_per_100_households",
    "facility_compliance_rate",
    "funding_budget",
]
# The comparison table's change of each headline figure.
DELTA_FORMATS = {
    "streets": trim1,
    "communities": trim1,
    "households": trim1,
    "population": trim1,
    "workers_in_post": trim1,
    "households_per_worker": whole,
    "office_area": trim1,
    "facility_area": trim1,
    "facility_area_per_100_households": fixed1,
    "facility_compliance_rate": pct,
    "worker_loss_rate": pct,
    "worker_secondment_rate": pct,
    "college_educated_share": pct,
    "party_member_share": pct,
    "avg_monthly_pay": whole,
    "funding_budget": wan,
    "funding_received_rate": pct,
    "service_programs": trim1,
}


def _values(entry) -> list:
    formats = [wan] if entry["id"] in MONEY_IDS else [whole] if entry["unit"] == "元" else VALUE_FORMATS[entry["unit"]]
    value = entry["value"]
    if entry["kind"] != "breakdown":
        return [] if value is None else [f(value) for f in formats]
    found = []
    for part in value.values():
        if "count" in part:
            found.append(whole(part["count"]))
        if "amount" in part:
            found.append(wan(part["amount"]))
        if part["share"] is not None:
            found.append(pct(part["share"]))
    return found


def _figures(indicators: dict) -> set[str]:
    found: set[str] = set()
    for entry in indicators.values():
        found.update(_values(entry))
        standard = entry["standard"]
        if standard:
            values = standard["value"] if isinstance(standard["value"], list) else [standard["value"]]
            found.update(f(v) for f in STANDARD_FORMATS[standard["unit"]] for v in values)
            if "minimum_area" in standard:
                found.add(trim1(standard["minimum_area"]["value"]))
        if entry["gap"] is not None:
            found.update(f(entry["gap"]) for f in GAP_FORMATS[entry["gap_unit"]])
        found.add(whole(entry["shortfall_count"]))
        if entry["id"] not in ROW_FORMATS:  # a list the report does not print: none of its figures is allowed
            continue
        value_f, standard_f, gap_f = ROW_FORMATS[entry["id"]]
        for row in entry["shortfalls"]:
            found.update([value_f(row["value"]), standard_f(row["standard"]), gap_f(row["gap"])])
    return found


def _deltas(current: dict, previous: dict) -> set[str]:
    found = set()
    for key, write in DELTA_FORMATS.items():
        now, before = current[key]["value"], previous[key]["value"]
        if now is not None and before is not None:
            found.add(write(abs(Decimal(str(now)) - Decimal(str(before)))))
    return found


def _allowed(code: str, children: list[str]) -> set[str]:
    current = compute_indicators(region_code=code, year=YEAR)
    previous = compute_indicators(region_code=code, year=YEAR - 1)
    allowed = _figures(current) | _figures(previous) | _deltas(current, previous)
    # The opening's count of returns, as the dashboard counts them ("已填报 2/4，已审核 1").
    allowed |= {str(n) for n in dashboard_return_counts(code, YEAR).values()}
    for child in children:  # the table of units one level down: their headline figures only
        figures = compute_indicators(region_code=child, year=YEAR)
        allowed |= _figures({key: figures[key] for key in UNIT_TABLE_KEYS})
    return allowed


def _scrubbed(text: str, sources: set[str]) -> str:
    """The text without dates and year names, the documents cited, band labels and the per-100 rule's unit."""
    text = re.sub(r"\d{4}年\d{1,2}月\d{1,2}日", "", text)
    for source in sorted(sources, key=len, reverse=True):
        text = text.replace(source, "")
    for phrase in [*BAND_LABELS, *FIXED_PHRASES]:
        text = text.replace(phrase, "")
    return re.sub(rf"(?:{YEAR - 1}|{YEAR})(?:—{YEAR})?年", "", text)


def _pieces(report) -> list[str]:
    """Every paragraph, table caption (without its 表N), header and figure cell of the report."""
    pieces = []
    for section in report.sections:
        pieces += [block.lead + block.text for block in section.blocks]
        for table in section.tables:
            pieces.append(re.sub(r"^表\d+ ", "", table.caption))
            pieces += table.headers
            keep = [i for i, header in enumerate(table.headers) if header not in SKIPPED_COLUMNS]
            pieces += [row[i] for row in table.rows for i in keep]
    return pieces


def _strays(report, allowed: set[str], sources: set[str]) -> list[tuple[str, str]]:
    return [
        (number, piece)
        for piece in _pieces(report)
        for number in NUMBER.findall(_scrubbed(piece, sources))
        if number not in allowed
    ]


def _sources() -> set[str]:
    indicators = compute_indicators(region_code=COUNTY, year=YEAR)
    found = set()
    for entry in indicators.values():
        standard = entry["standard"] or {}
        found.add(standard.get("source") or "")
        found.add((standard.get("minimum_area") or {}).get("source") or "")
    return found - {""}


@pytest.mark.parametrize(
    ("code", "children"),
    [
        (COUNTY, ["420626001", "420626101"]),
        (STREET_A, ["420626001001", "420626001002", "420626001003"]),
        ("420626101001", []),
    ],
)
def test_every_number_in_the_report_is_an_indicator_figure(report_data, code, children):
    report = report_build(region_code=code, year=YEAR)
    # The opening, 基本情况, 存在的问题, 对策建议, 与上年比较 and 附表 (one community's: its shortfalls only).
    assert len(report.sections) == 6
    assert _strays(report, _allowed(code, children), _sources()) == []


def test_a_figure_the_engine_did_not_give_is_caught(report_data):
    report = report_build(region_code=COUNTY, year=YEAR)
    allowed, sources = _allowed(COUNTY, ["420626001", "420626101"]), _sources()
    # The roster is 16 and 5 left: a report that wrote 17 recruited, or 16 − 5 + 1 = 12 in post, is caught.
    workforce = report.section("基本情况").blocks[1]
    workforce.text = workforce.text.replace("共招聘社区工作者16人", "共招聘社区工作者17人").replace(
        "年末在岗11人", "年末在岗12人"
    )
    assert [number for number, _ in _strays(report, allowed, sources)] == ["17", "12"]


def test_the_source_note_names_the_region_the_date_and_the_approved_returns(report_data):
    note = report_build(region_code=COUNTY, year=YEAR).source_note
    assert re.fullmatch(
        r"（数据来源：社区年度调查填报，\d{4}年\d{1,2}月\d{1,2}日生成；统计范围：湖北省襄阳市保康县，区划代码 420626；"
        r"已填报 2/4，已审核 1，未审核的数据仍可能修改）",
        note,
    )
