"""Django side of the load test: the plan the locust users follow, the 2,000-row workbook, row counts.

Run by loadtest/run.py as ``python -m loadtest.prepare plan|count ...`` with the load database's settings.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import sys
from pathlib import Path

import django

PLAN_YEAR = 2025  # the demo's last year: its drafts and returned returns are the ones clerks may still change
IMPORT_YEAR = 2026  # a year the demo does not have: the import creates its returns, nothing else is touched


def _setup() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    django.setup()


def import_counts(year: int = IMPORT_YEAR) -> dict[str, int]:
    """Rows of survey data for the import's year: before the import all 0; after it the workbook's counts."""
    from communities.models import SurveyReturn
    from facilities.models import Premises
    from funding.models import Allocation
    from services.models import ServiceProgram
    from workforce.models import Worker

    return {
        "returns": SurveyReturn.objects.filter(year=year).count(),
        "workers": Worker.objects.filter(survey_return__year=year).count(),
        "premises": Premises.objects.filter(survey_return__year=year).count(),
        "allocations": Allocation.objects.filter(year=year).count(),
        "programs": ServiceProgram.objects.filter(survey_return__year=year).count(),
    }


def write_import_workbook(path: Path, *, target_rows: int = 2000) -> dict[str, int]:
    """The city's PLAN_YEAR data, exported by the application's own writer as a workbook for IMPORT_YEAR, cut to
    the first communities (in code order) whose rows reach ``target_rows``. Returns the rows per sheet."""
    from openpyxl import Workbook, load_workbook
    from openpyxl.cell import WriteOnlyCell

    from communities.demo import CITY
    from communities.workbook.writer import write_workbook

    exported = io.BytesIO()
    write_workbook(exported, region_code=CITY[0], year=IMPORT_YEAR, data_year=PLAN_YEAR, template=False)
    exported.seek(0)
    source = load_workbook(exported)
    sheets = {}
    for ws in source.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        header = list(rows[0]) if rows else []
        key = next((i for i, h in enumerate(header) if h in ("社区代码", "单位代码")), None)
        sheets[ws.title] = (header, key, [r for r in rows[1:] if any(v not in (None, "") for v in r)])

    per_community: dict[str, int] = {}
    for _, key, rows in sheets.values():
        for row in rows if key is not None else ():
            code = str(row[key] or "")
            if len(code) == 12:
                per_community[code] = per_community.get(code, 0) + 1
    kept, total = set(), 0
    for code in sorted(per_community):
        if total >= target_rows:
            break
        kept.add(code)
        total += per_community[code]

    result = Workbook(write_only=True)
    counts = {}
    for title, (header, key, rows) in sheets.items():
        ws = result.create_sheet(title)
        ws.append(header)
        if key is None:  # the instructions sheet
            for row in rows:
                ws.append(list(row))
            continue
        counts[title] = 0
        for row in rows:
            if str(row[key] or "") not in kept:
                continue
            cells = []
            for index, value in enumerate(row):
                if index == key:
                    cell = WriteOnlyCell(ws, value=str(value))
                    cell.number_format = "@"
                    value = cell
                cells.append(value)
            ws.append(cells)
            counts[title] += 1
    result.save(path)
    return counts


def build_plan(folder: Path, *, delay: float) -> dict:
    """Accounts and paths for the locust users. Pages that do not exist yet are left out and named."""
    from django.urls import NoReverseMatch, reverse

    from communities.demo import CITY, CITY_PASSWORD, CITY_REVIEWER, COUNTY, DEMO_USERS, city_streets
    from communities.models import Region, ReturnStatus, SurveyReturn

    def url(name: str, **kwargs) -> str | None:
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return None

    missing = []
    clerks = []
    editable = (
        SurveyReturn.objects.filter(year=PLAN_YEAR, status__in=[ReturnStatus.DRAFT, ReturnStatus.RETURNED])
        .order_by("community_id")
        .values_list("community_id", "community__street_id")
    )
    for code, street in editable:
        edit = url("returns:edit", code=code, year=PLAN_YEAR)
        if edit is None:
            missing.append("returns:edit")
            break
        clerks.append({"username": f"clerk-{street}", "password": CITY_PASSWORD, "edit_path": edit})
    # Interleave the streets, so that the first clerks to start come from different streets.
    by_account: dict[str, list[dict]] = {}
    for clerk in clerks:
        by_account.setdefault(clerk["username"], []).append(clerk)
    clerks = [c for round_ in itertools.zip_longest(*by_account.values()) for c in round_ if c]

    def dashboards(scope: str) -> list[str]:
        codes = [
            scope,
            *Region.objects.filter(code__startswith=scope)
            .exclude(code=scope)
            .order_by("code")
            .values_list("code", flat=True)[:12],
        ]
        paths = [p for p in (url("dashboard:region", code=code) for code in codes) if p]
        if not paths:
            missing.append("dashboard:region")
        index = url("dashboard:index")
        return [f"{p}?year={PLAN_YEAR}" for p in ([index] if index else []) + paths]

    def api(scope: str) -> list[str]:
        for name, kwargs in (("api:indicators", {}), ("api:region", {"code": scope}), ("api:index", {})):
            path = url(name, **kwargs)
            if path:
                sep = "&" if "?" in path else "?"
                region = "" if "code" in kwargs else f"&region={scope}"
                return [f"{path}{sep}year={PLAN_YEAR}{region}"]
        missing.append("api: (indicators JSON)")
        return []

    county_reviewer = next(u for u in DEMO_USERS if u.username == "reviewer")
    reviewers = [
        {
            "username": CITY_REVIEWER.username,
            "password": CITY_REVIEWER.password,
            "dashboard_paths": dashboards(CITY[0]),
            "api_paths": api(CITY[0]),
        },
        {
            "username": county_reviewer.username,
            "password": county_reviewer.password,
            "dashboard_paths": dashboards(COUNTY[0]),
            "api_paths": api(COUNTY[0]),
        },
    ]

    workbook_path = folder / f"import-{IMPORT_YEAR}.xlsx"
    upload = url("workbook:upload")
    import_plan = None
    if upload:
        rows = write_import_workbook(workbook_path)
        import_plan = {
            "username": CITY_REVIEWER.username,
            "password": CITY_REVIEWER.password,
            "file": str(workbook_path),
            "year": IMPORT_YEAR,
            "delay": delay,
            "rows": rows,
        }
    else:
        missing.append("workbook:upload")

    return {
        "paths": {
            "workspace": f"{url('returns:workspace')}?year={PLAN_YEAR}",
            "workbook": url("workbook:index"),
            "upload": upload,
        },
        "clerks": clerks,
        "reviewers": reviewers,
        "import": import_plan,
        "import_result": str(folder / "import-result.json"),
        "missing": sorted(set(missing)),
        "streets": len(city_streets()),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    plan = sub.add_parser("plan")
    plan.add_argument("folder", type=Path)
    plan.add_argument("--delay", type=float, default=20)
    sub.add_parser("count")
    args = parser.parse_args()
    _setup()
    if args.command == "plan":
        print(json.dumps(build_plan(args.folder, delay=args.delay), ensure_ascii=False))
    else:
        print(json.dumps(import_counts()))


if __name__ == "__main__":
    main()
