"""The national division list: load_divisions (bundled and a newer copy, twice), full names, and a workbook's
township name that differs from the list (kept, with a notice)."""

import csv
import shutil

import pytest
from django.core.management import CommandError, call_command

from communities.divisions import BUNDLED, full_name
from communities.models import Region
from communities.workbook.services import workbook_import
from tests.communities.factories import RegionFactory
from tests.workbook.builders import basics, survey


def load(capsys, *args) -> str:
    call_command("load_divisions", *map(str, args))
    return capsys.readouterr().out


def names(*codes) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def test_the_bundled_list_loads_once_and_then_changes_nothing(db, capsys):
    out = load(capsys)
    assert "区划代码表共 44708 个单位：新增 44708 个，更名 0 个" in out
    assert Region.objects.count() == 44708
    assert names("42", "4202", "420626", "429004", "420626100") == {
        "42": "湖北省",
        "4202": "黄石市",
        "420626": "保康县",
        "429004": "仙桃市",
        "420626100": "城关镇",
    }
    assert "新增 0 个，更名 0 个，其余 44708 个不变" in load(capsys)


@pytest.fixture
def newer_list(tmp_path):
    """A copy of the list with 保康县 renamed, a new township under it and one township gone."""
    folder = tmp_path / "divisions-2024"
    shutil.copytree(BUNDLED, folder)
    for filename, change in [
        ("areas.csv", {"420626": "保康新县"}),
        ("streets.csv", {"420626100": "城关街道"}),
    ]:
        path = folder / filename
        with path.open(encoding="utf-8") as stream:
            rows = list(csv.reader(stream))
        rows = [[row[0], change.get(row[0], row[1]), *row[2:]] for row in rows]
        if filename == "streets.csv":
            rows.append(["420626500", "保康新区", "420626", "42", "4206"])
        with path.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows(rows)
    return folder


def test_a_newer_list_renames_and_adds_but_keeps_names_given_by_users(db, capsys, newer_list):
    RegionFactory(code="420626", name="420626")  # named by its code, as an import leaves it
    RegionFactory(code="420626101", name="黄堡镇人民政府")  # named by a workbook or an administrator
    load(capsys)  # the 2023 list: 420626 gets its name; 420626101 keeps the one a user gave it
    assert names("420626", "420626101") == {"420626": "保康县", "420626101": "黄堡镇人民政府"}
    assert Region.objects.get(code="420626101").listed_name == "黄堡镇"

    out = load(capsys, newer_list, "--verbose-changes")
    assert "新增 1 个，更名 2 个" in out
    assert "更名 420626 保康县 → 保康新县" in out and "更名 420626100 城关镇 → 城关街道" in out
    assert "新增 420626500 保康新区" in out
    assert names("420626", "420626100", "420626101", "420626500") == {
        "420626": "保康新县",
        "420626100": "城关街道",
        "420626101": "黄堡镇人民政府",
        "420626500": "保康新区",
    }
    assert "新增 0 个，更名 0 个" in load(capsys, newer_list)


def test_a_folder_that_is_not_a_division_list_is_refused(db, tmp_path):
    (tmp_path / "provinces.csv").write_text("代码,名称\n42,湖北省\n", encoding="utf-8")
    with pytest.raises(CommandError, match="缺少 cities.csv、areas.csv、streets.csv"):
        call_command("load_divisions", str(tmp_path))
    for filename in ("cities.csv", "areas.csv", "streets.csv"):
        shutil.copy(BUNDLED / filename, tmp_path / filename)
    with pytest.raises(CommandError, match="provinces.csv 的表头应包含 code 和 name"):
        call_command("load_divisions", str(tmp_path))
    assert not Region.objects.exists()


@pytest.mark.parametrize(
    "code, expected",
    [
        ("429004", "湖北省仙桃市"),
        ("420626", "湖北省襄阳市保康县"),
        ("4202", "湖北省黄石市"),
        ("110101", "北京市东城区"),
    ],
)
def test_full_names_leave_out_placeholder_cities(code, expected):
    from communities.divisions import read_divisions

    assert full_name(read_divisions(), code) == expected


def test_a_workbook_name_that_differs_from_the_list_is_kept_with_a_notice(db, capsys, reviewer):
    load(capsys)
    data = survey(
        communities=[basics("420626100001", "东关社区", street="城关街道")], workers=[], rooms=[], funds=[], programs=[]
    )
    preview = workbook_import(file=data, year=2025, user=reviewer, dry_run=True, name="t.xlsx")
    assert preview.ok, preview.errors
    assert (
        "街道(乡镇) 420626100 在国家统计局区划代码表中名为「城关镇」，调查表填的是「城关街道」：按调查表的名称保存。"
        in (preview.plan.notices)
    )
    assert workbook_import(file=data, year=2025, user=reviewer, dry_run=False, name="t.xlsx").ok
    street = Region.objects.get(code="420626100")
    assert (street.name, street.listed_name) == ("城关街道", "城关镇")
    again = workbook_import(file=data, year=2025, user=reviewer, dry_run=True, name="t.xlsx")
    assert again.ok and sum("区划代码表中名为" in notice for notice in again.plan.notices) == 1


def test_the_report_names_its_scope_in_full_without_placeholders(db, capsys):
    from communities.report.selectors import region_full_name

    load(capsys)
    assert region_full_name("429004") == "湖北省仙桃市"
    assert region_full_name("4202") == "湖北省黄石市"
    assert region_full_name("420626100") == "湖北省襄阳市保康县城关镇"


@pytest.mark.parametrize(
    ("code", "name", "full"),
    [
        ("420626", "保康县", "湖北省襄阳市保康县"),
        ("429004", "仙桃市", "湖北省仙桃市"),
        ("4202", "黄石市", "湖北省黄石市"),
    ],
)
def test_the_seed_counties_are_named_on_every_page_from_the_list(db, capsys, client, code, name, full):
    """The dashboard, the API, the report and the downloads name the seed reports' regions, with the list loaded
    and a community with a return under each: no code in place of a name, no placeholder city."""
    from django.urls import reverse

    from communities.models import Role
    from tests.communities.factories import CommunityFactory, SurveyReturnFactory, UserFactory

    load(capsys)
    street = Region.objects.filter(code__startswith=code, code__regex=r"^[0-9]{9}$").order_by("code").first()
    SurveyReturnFactory(community=CommunityFactory(street=street, name="样本社区"), year=2025, households=900)
    client.force_login(UserFactory(username="admin", role=Role.ADMIN, region=None))

    page = client.get(reverse("dashboard:region", args=[code]), {"year": 2025}).content.decode()
    assert f"<h1>{name}" in page.replace("\n", "") or f">{name}<" in page
    assert "省直辖县级行政区划" not in page
    body = client.get(reverse("api:indicators"), {"year": 2025, "region": code}).json()
    assert body["region"] == {"code": code, "name": name}
    report = client.get(reverse("report:page", args=[code, 2025])).content.decode()
    assert f"{name}2025年社区建设情况调研报告" in report and full in report
    assert f"{code}2025年" not in report and "省直辖县级行政区划" not in report
    download = client.get(reverse("dashboard:download"), {"region": code, "year": 2025})
    from urllib.parse import unquote

    assert f"{name}-2025年-统计看板.xlsx" in unquote(download["Content-Disposition"])
