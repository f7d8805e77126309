"""From the rows read to what the import would do: the checks that need the database, and the per-community diff.

``build_plan`` never writes. It loads, once per import, the stored rows of the community-years the workbook covers
(a handful of queries whatever the size), compares them with the workbook and returns a ``Plan``: every error,
the diff shown in the preview, the writes ``services.workbook_apply`` would make, and a digest of the stored
state it compared against (so that a confirmation can tell whether anything changed since the preview).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F

from communities import code_changes
from communities.access import DEADLINE_MESSAGE, can_change_return, held_by_deadline
from communities.codes import ancestor_codes
from communities.models import ChangeKind, Community, Region, ReturnStatus, SurveyReturn, User
from communities.periods import Periods
from funding.models import Allocation
from workforce.models import Worker
from workforce.validators import mask_id_number

from . import values as v
from .columns import (
    BASICS,
    BASICS_COMMUNITY_FIELDS,
    BASICS_RETURN_FIELDS,
    CHILD_SHEETS,
    FUNDING,
    SOURCES,
    USES,
    WORKERS,
    Sheet,
    row_key,
    row_type,
)
from .ids import NEED_FULL_ID, IdResolver, is_masked
from .reader import Problem, ReadWorkbook


@dataclass
class RowChange:
    sheet: str
    label: str
    kind: str  # added, changed, removed
    cells: list[tuple[str, str, str]] | tuple = ()  # (header, old, new) of a changed row


@dataclass
class UnitDiff:
    """What the import would change for one community-year (or one street/county's funding)."""

    code: str
    name: str
    is_community: bool = True
    new_return: bool = False
    changes: list[RowChange] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    @property
    def added(self) -> int:
        return self.count("added")

    @property
    def changed(self) -> int:
        return self.count("changed")

    @property
    def removed(self) -> int:
        return self.count("removed")


@dataclass
class ModelWrites:
    creates: list[tuple[str, dict]] = field(default_factory=list)  # (community code, record)
    updates: list[tuple[dict, dict, list[str]]] = field(default_factory=list)  # (stored row, record, fields)
    deletes: list[dict] = field(default_factory=list)  # stored rows


@dataclass
class Plan:
    year: int
    errors: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # shown prominently: an empty sheet that removes rows
    diffs: list[UnitDiff] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    digest: str = ""
    codes: list[str] = field(default_factory=list)  # the community codes the workbook covers
    # the writes
    new_regions: list[Region] = field(default_factory=list)
    renamed_regions: list[Region] = field(default_factory=list)
    new_communities: list[Community] = field(default_factory=list)
    changed_communities: list[tuple[Community, list[str]]] = field(default_factory=list)
    new_returns: dict[str, SurveyReturn] = field(default_factory=dict)
    changed_returns: dict[str, SurveyReturn] = field(default_factory=dict)
    # the stored returns of the covered years (also of communities that only the 经费 sheet names), read under
    # select_for_update when the plan is built for an import
    returns: dict[str, SurveyReturn] = field(default_factory=dict)
    writes: dict[str, ModelWrites] = field(default_factory=dict)  # by sheet name

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return any(diff.changes or diff.new_return for diff in self.diffs)

    def totals(self) -> dict[str, int]:
        return {
            kind: sum(counts.get(kind, 0) for counts in self.counts.values())
            for kind in ("rows", "added", "changed", "removed", "unchanged")
        }


def _display(column, value) -> str:
    if value is None or value == "":
        return ""
    shown = column.render(value)
    if column.field == "id_number":
        return mask_id_number(value)
    if isinstance(shown, v.Decimal):
        return format(shown, "f")
    return str(shown)


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a == b


def _row_label(sheet: Sheet, record: dict) -> str:
    if sheet is WORKERS:
        tail = mask_id_number(record["id_number"]) if record["id_number"] else f"{record['birth_year']}年生"
        return f"{record['name']}（{tail}）"
    if sheet is FUNDING:
        return f"{SOURCES.render(record['source'])}·{USES.render(record['use'])}"
    return record["name"]


class _Planner:
    def __init__(self, read: ReadWorkbook, year: int, user: User | None, lock: bool):
        self.read = read
        self.year = year
        self.user = user
        self.lock = lock
        self.plan = Plan(year=year, errors=list(read.errors), notices=list(read.notices))
        self.hash = hashlib.sha256()
        # The sheets planned: present and readable (a sheet with no header or a missing required column is an
        # error, and nothing is planned for it, in particular no removal).
        self.sheets = {name for name, sheet in read.sheets.items() if sheet.complete}
        self.invalid_basics: set[str] = set()  # communities whose 「社区基本情况」 row is there but has a bad cell
        # No readable 「社区基本情况」 (missing, no header, a required column missing): that error is reported once,
        # not again for every row of the other sheets.
        basics = read.sheets.get(BASICS.name)
        self.basics_unreadable = basics is None or not basics.complete
        self.rows_of: dict[str, tuple[str, int]] = {}  # a community's row to name in a lock error

    # -- helpers
    def error(self, sheet: str, row, column: str, value: str, message: str) -> None:
        self.plan.errors.append(Problem(sheet, row, column, value, message))

    def in_scope(self, code: str) -> bool:
        if self.user is None:
            return True
        scope = self.user.scope_code
        return scope is not None and code.startswith(scope)

    def unlisted(self, code: str) -> bool:
        """Whether a row's community is to be reported as missing from 「社区基本情况」 (not when its row there is
        only invalid, or when the sheet itself could not be read: those errors are reported already)."""
        return not self.basics_unreadable and code not in self.invalid_basics

    def scope_message(self) -> str:
        region = self.user.region.name if self.user and self.user.region else ""
        return f"该代码不在您管辖的区划（{region}{self.user.scope_code}）内，不能导入：请删除此行或核对代码。"

    def digest(self, *parts) -> None:
        self.hash.update(repr(parts).encode())

    # -- the steps
    def run(self) -> Plan:
        basics = self.basics()
        self.load(basics)
        self.check_streets(basics)
        self.plan_basics(basics)
        for sheet in CHILD_SHEETS:
            if sheet.name in self.sheets:
                self.plan_children(sheet, basics)
        if FUNDING.name in self.sheets:
            self.plan_funding(basics)
        self.check_locks()
        self.warn_empty_sheets()
        self.plan.digest = self.hash.hexdigest()
        self.plan.diffs = [d for d in self.diffs.values() if d.changes or d.new_return]
        self.plan.diffs.sort(key=lambda d: (not d.is_community, d.code))
        return self.plan

    def basics(self) -> dict[str, dict]:
        read = self.read.sheets.get(BASICS.name)
        records: dict[str, dict] = {}
        if read is None:
            return records
        for record in read.records:
            code = record["community_code"]
            if not self.in_scope(code):
                self.error(BASICS.name, record["_row"], "社区代码", code, self.scope_message())
                continue
            if code in records:
                first = records[code]["_row"]
                self.error(BASICS.name, record["_row"], "社区代码", code, f"与第 {first} 行重复：每个社区只填一行。")
                continue
            records[code] = record
            self.rows_of[code] = (BASICS.name, record["_row"])
        # A code that no longer exists in the year (merged, split, re-coded): its successor reports.
        for code, retired in code_changes.retired_codes(records, self.year).items():
            self.error(BASICS.name, records.pop(code)["_row"], "社区代码", code, retired.message)
            read.invalid_codes.add(code)
        self.invalid_basics = {code for code in read.invalid_codes if code not in records and self.in_scope(code)}
        self.plan.codes = sorted(records)
        self.plan.counts[BASICS.name] = {"rows": len(read.records)}
        return records

    def load(self, basics: dict[str, dict]) -> None:
        """The stored state of everything the workbook covers, in a few queries."""
        codes = list(basics)
        year = self.year
        funding = self.read.sheets[FUNDING.name].records if FUNDING.name in self.sheets else []
        # Communities that only the 经费 sheet names (an allocation of a community without a return this year):
        # accepted when the community exists.
        named = {r["unit_code"] for r in funding if len(r["unit_code"]) == 12} - set(basics) - self.invalid_basics
        self.communities = {
            row["code"]: row
            for row in Community.objects.filter(code__in=[*codes, *named]).values(
                "code", "name", "street_id", "community_type", "urban_rural_code"
            )
        }
        region_codes = {code[:9] for code in codes}
        for code in list(region_codes):
            region_codes.update(ancestor_codes(code))
        stored_regions = Region.objects.filter(code__in=region_codes).values_list("code", "name", "listed_name")
        self.regions = {code: name for code, name, _ in stored_regions}
        self.listed_names = {code: listed for code, _, listed in stored_regions if listed}
        returns = SurveyReturn.objects.filter(year=year, community_id__in=[*codes, *named & set(self.communities)])
        if self.lock:
            # Under the import's transaction: nobody saves, submits or approves these returns until it commits,
            # and the checks below see them as they are now. A stable order, so two imports cannot deadlock.
            returns = returns.select_for_update().order_by("community_id")
        self.returns = {r.community_id: r for r in returns}
        self.plan.returns = self.returns
        self.stored: dict[str, dict[str, dict[tuple, dict]]] = {}
        self.id_resolver = self.load_masked_ids()
        for sheet in CHILD_SHEETS:
            if sheet.name not in self.sheets:
                continue
            by_community: dict[str, dict[tuple, dict]] = defaultdict(dict)
            names = [f.attname for f in sheet.model._meta.concrete_fields]  # a changed row is written back whole
            stored_row = row_type([*names, "community_code"])
            rows = (
                sheet.model.objects.filter(survey_return__year=year, survey_return__community_id__in=codes)
                .annotate(community_code=F("survey_return__community_id"))
                .values_list(*names, "community_code")
                .order_by("id")
            )
            for values in rows.iterator(chunk_size=10000):
                row = stored_row(values)
                by_community[row["community_code"]][row_key(sheet, row)] = row
            self.stored[sheet.name] = by_community
        if FUNDING.name in self.sheets:
            units = self.funding_units(basics) | {r["unit_code"] for r in funding}
            by_unit: dict[str, dict[tuple, dict]] = defaultdict(dict)
            names = [f.attname for f in Allocation._meta.concrete_fields]
            stored_row = row_type(names)
            for values in Allocation.objects.filter(year=year, unit_code__in=units).values_list(*names).order_by("id"):
                row = stored_row(values)
                by_unit[row["unit_code"]][row_key(FUNDING, row)] = row
            self.stored[FUNDING.name] = by_unit
        self.digest(year, sorted(self.communities.items()), sorted(self.regions.items()))
        self.digest(sorted((c, r.pk, r.status, r.version, r.updated_at) for c, r in self.returns.items()))
        # Row by row: one big repr of 350,000 rows would cost more memory than the rows themselves.
        update = self.hash.update
        for name in sorted(self.stored):
            groups = self.stored[name]
            update(name.encode())
            for code in sorted(groups):
                update(code.encode())
                for row in groups[code].values():  # loaded in id order
                    update(repr(tuple(row)).encode())
        self.diffs: dict[str, UnitDiff] = {}

    @staticmethod
    def funding_units(basics: dict[str, dict]) -> set[str]:
        """The units whose allocations the 经费 sheet states in full even when it lists none of them: the
        communities of 「社区基本情况」 and their streets. (Any other unit it lists is covered too; a county or
        higher level that it does not list is left alone.)"""
        return set(basics) | {code[:9] for code in basics}

    def load_masked_ids(self) -> IdResolver | None:
        """The stored workers that masked ID numbers in the sheet may stand for: same community, same name, any
        year (a template pre-filled with last year's rows is imported into a new year)."""
        if WORKERS.name not in self.sheets:
            return None
        wanted = {
            (r["community_code"], r["name"])
            for r in self.read.sheets[WORKERS.name].records
            if is_masked(r["id_number"])
        }
        if not wanted:
            return None
        codes = sorted({code for code, _ in wanted})
        # A template pre-filled across a code change lists the old codes' workers under the new one.
        successor_of = {
            row.old_code: code
            for code, rows in code_changes.predecessor_map(codes, self.year).items()
            for row in rows
            if row.kind != ChangeKind.VILLAGE
        }
        stored = (
            Worker.objects.filter(survey_return__community_id__in=[*codes, *successor_of])
            .exclude(id_number="")
            .values_list("survey_return__community_id", "name", "id_number", "survey_return__year")
        )
        stored = ((successor_of.get(c, c), n, i, y) for c, n, i, y in stored)
        return IdResolver(((c, n, i, y) for c, n, i, y in stored if (c, n) in wanted), year=self.year)

    def unmask(self, record):
        """The record with its masked ID replaced by the stored worker's full one, or None (an error)."""
        full = self.id_resolver.resolve(record["community_code"], record["name"], record["id_number"])
        if full is None:
            self.error(
                WORKERS.name,
                record["_row"],
                "身份证号",
                record["id_number"],
                "身份证号只显示了前后各 4 位，系统中没有该社区同名、号码相符的工作者（新增人员或更正号码时）："
                + NEED_FULL_ID,
            )
            return None
        self.digest(record["community_code"], record["name"], record["id_number"], full)
        return record.__class__(full if name == "id_number" else value for name, value in record.items())

    def diff_for(self, code: str, name: str = "") -> UnitDiff:
        diff = self.diffs.get(code)
        if diff is None:
            if len(code) == 12:
                stored = self.communities.get(code)
                name = name or (stored["name"] if stored else code)
                diff = UnitDiff(code, name)
            else:
                diff = UnitDiff(code, self.regions.get(code) or code, is_community=False)
            self.diffs[code] = diff
        return diff

    def check_streets(self, basics: dict[str, dict]) -> None:
        """The first 9 digits of the community code are its street: the street's name must agree."""
        named: dict[str, tuple[str, int]] = {}
        for code, record in basics.items():
            street = code[:9]
            name = record["street_name"]
            if int(street[6:9]) == 0:
                self.error(
                    BASICS.name, record["_row"], "社区代码", code, "第 7–9 位（街道/乡镇）不能为 000，请核对社区代码。"
                )
                continue
            stored = self.regions.get(street)
            listed = self.listed_names.get(street)
            if listed and street not in named and v.normalise_text(listed) != v.normalise_text(name):
                self.plan.notices.append(
                    f"街道(乡镇) {street} 在国家统计局区划代码表中名为「{listed}」，调查表填的是「{name}」："
                    "按调查表的名称保存。"
                )
            if stored is not None and stored == listed and v.normalise_text(stored) != v.normalise_text(name):
                # Named so far only by the division list: the workbook's name is how the county calls it.
                self.plan.renamed_regions.append(Region(code=street, name=name))
                stored = self.regions[street] = name
            if stored is not None and stored != street and v.normalise_text(stored) != v.normalise_text(name):
                self.error(
                    BASICS.name,
                    record["_row"],
                    "街道(乡镇)名称",
                    name,
                    f"社区代码前 9 位 {street} 是「{stored}」，与填写的街道名称不一致：请核对社区代码或街道名称。",
                )
                continue
            if street in named and v.normalise_text(named[street][0]) != v.normalise_text(name):
                first_name, first_row = named[street]
                self.error(
                    BASICS.name,
                    record["_row"],
                    "街道(乡镇)名称",
                    name,
                    f"社区代码前 9 位相同（{street}）的社区，第 {first_row} 行填的街道是「{first_name}」："
                    "同一街道名称应一致。",
                )
                continue
            named.setdefault(street, (name, record["_row"]))
        for street, (name, _) in sorted(named.items()):
            if street not in self.regions:
                self.plan.new_regions.append(Region(code=street, name=name))
                self.regions[street] = name
            elif self.regions[street] == street:
                self.plan.renamed_regions.append(Region(code=street, name=name))
            for ancestor in ancestor_codes(street):
                if ancestor not in self.regions:
                    self.plan.new_regions.append(Region(code=ancestor, name=ancestor))
                    self.regions[ancestor] = ancestor

    def plan_basics(self, basics: dict[str, dict]) -> None:
        counts = self.plan.counts.setdefault(BASICS.name, {"rows": 0})
        counts.update(added=0, changed=0, removed=0, unchanged=0)
        for code, record in basics.items():
            diff = self.diff_for(code, record["community_name"])
            stored = self.communities.get(code)
            cells = []
            if stored is None:
                self.plan.new_communities.append(
                    Community(
                        code=code,
                        name=record["community_name"],
                        street_id=code[:9],
                        community_type=record["community_type"],
                        urban_rural_code=record["urban_rural_code"] or "",
                    )
                )
            else:
                changed = []
                for source, target in BASICS_COMMUNITY_FIELDS.items():
                    new = record[source] or ""
                    if stored[target] != new:
                        changed.append(target)
                        column = BASICS.column(source)
                        cells.append((column.header, _display(column, stored[target]), _display(column, new)))
                if changed:
                    community = Community(code=code, street_id=stored["street_id"])
                    for source, target in BASICS_COMMUNITY_FIELDS.items():
                        setattr(community, target, record[source] or "")
                    self.plan.changed_communities.append((community, changed))
            survey_return = self.returns.get(code)
            if survey_return is None:
                diff.new_return = True
                self.plan.new_returns[code] = SurveyReturn(
                    community_id=code, year=self.year, **{f: record[f] for f in BASICS_RETURN_FIELDS}
                )
                diff.changes.append(RowChange(BASICS.name, "基本情况", "added"))
                counts["added"] += 1
                continue
            for name in BASICS_RETURN_FIELDS:
                if not _same(getattr(survey_return, name), record[name]):
                    column = BASICS.column(name)
                    cells.append(
                        (column.header, _display(column, getattr(survey_return, name)), _display(column, record[name]))
                    )
                    setattr(survey_return, name, record[name])
            if cells:
                diff.changes.append(RowChange(BASICS.name, "基本情况", "changed", cells))
                self.plan.changed_returns[code] = survey_return
                counts["changed"] += 1
            else:
                counts["unchanged"] += 1

    def plan_children(self, sheet: Sheet, basics: dict[str, dict]) -> None:
        read = self.read.sheets[sheet.name]
        writes = self.plan.writes.setdefault(sheet.name, ModelWrites())
        counts = {"rows": len(read.records), "added": 0, "changed": 0, "removed": 0, "unchanged": 0}
        self.plan.counts[sheet.name] = counts
        stored = self.stored[sheet.name]
        seen: dict[tuple, int] = {}
        columns = [sheet.column(name) for name in sheet.data_fields]
        fields = [c.field for c in columns]
        for record in read.records:
            code = record["community_code"]
            row = record["_row"]
            if not self.in_scope(code):
                self.error(sheet.name, row, "社区代码", code, self.scope_message())
                continue
            known = code in basics
            if not known and self.unlisted(code):
                self.error(
                    sheet.name,
                    row,
                    "社区代码",
                    code,
                    "该社区不在「社区基本情况」表中：请先在该表中填写这个社区，或删除此行。",
                )
                continue
            if sheet is WORKERS and is_masked(record["id_number"]):
                record = self.unmask(record)
                if record is None:
                    continue
            key = row_key(sheet, record)
            if key in seen:
                what = "身份证号" if key[1] == "id" else ("姓名和出生年份" if sheet is WORKERS else "名称")
                self.error(
                    sheet.name,
                    row,
                    sheet.columns[1].header,
                    record["name"],
                    f"与第 {seen[key]} 行重复（同一社区内{what}相同）：请合并或删除重复的行。",
                )
                continue
            seen[key] = row
            if sheet is WORKERS and record["left_on"] and record["left_on"] < record["hired_on"]:
                self.error(sheet.name, row, "离职日期", str(record["left_on"]), "离职日期早于入职日期，请核对。")
                continue
            if not known:  # its basics row has an error (reported there): the row is checked, nothing planned
                continue
            old = stored.get(code, {}).get(key)
            diff = self.diff_for(code)
            if old is None:
                writes.creates.append((code, record))
                diff.changes.append(RowChange(sheet.name, _row_label(sheet, record), "added"))
                counts["added"] += 1
                continue
            if tuple(record[f] for f in fields) == tuple(old[f] for f in fields):
                counts["unchanged"] += 1
                continue
            changed = [c for c in columns if not _same(old[c.field], record[c.field])]
            if changed:
                writes.updates.append((old, record, [c.field for c in changed]))
                cells = [(c.header, _display(c, old[c.field]), _display(c, record[c.field])) for c in changed]
                diff.changes.append(RowChange(sheet.name, _row_label(sheet, record), "changed", cells))
                counts["changed"] += 1
            else:
                counts["unchanged"] += 1
        # A workbook is the full statement of the community-years it covers: what it no longer lists goes.
        for code in basics:
            wanted = seen
            for key, old in stored.get(code, {}).items():
                if key not in wanted:
                    writes.deletes.append(old)
                    self.diff_for(code).changes.append(RowChange(sheet.name, _row_label(sheet, old), "removed"))
                    counts["removed"] += 1

    def plan_funding(self, basics: dict[str, dict]) -> None:
        read = self.read.sheets[FUNDING.name]
        writes = self.plan.writes.setdefault(FUNDING.name, ModelWrites())
        counts = {"rows": len(read.records), "added": 0, "changed": 0, "removed": 0, "unchanged": 0}
        self.plan.counts[FUNDING.name] = counts
        stored = self.stored[FUNDING.name]
        seen: dict[tuple, int] = {}
        units = self.funding_units(basics)
        columns = [FUNDING.column(name) for name in ("budget", "received")]
        named = {r["unit_code"] for r in read.records if len(r["unit_code"]) == 12 and r["unit_code"] not in basics}
        retired = code_changes.retired_codes(named, self.year)
        for record in read.records:
            code = record["unit_code"]
            row = record["_row"]
            if not self.in_scope(code):
                self.error(FUNDING.name, row, "单位代码", code, self.scope_message())
                continue
            if code in retired:
                self.error(FUNDING.name, row, "单位代码", code, retired[code].message)
                continue
            # A community's allocation needs the community: in 「社区基本情况」 or already in the system (the
            # export lists the allocations of communities without a return that year too).
            known = len(code) != 12 or code in basics or code in self.communities
            if not known and self.unlisted(code):
                self.error(
                    FUNDING.name,
                    row,
                    "单位代码",
                    code,
                    "系统中没有这个社区，它也不在「社区基本情况」表中：请先在该表中填写这个社区，或删除此行。",
                )
                continue
            key = row_key(FUNDING, record)
            if key in seen:
                self.error(
                    FUNDING.name,
                    row,
                    "资金来源",
                    SOURCES.render(record["source"]),
                    f"与第 {seen[key]} 行重复（同一单位、同一资金来源和用途）：请合并为一行。",
                )
                continue
            seen[key] = row
            if not known:
                continue
            units.add(code)
            self.rows_of.setdefault(code, (FUNDING.name, row))
            old = stored.get(code, {}).get(key)
            diff = self.diff_for(code)
            if old is None:
                writes.creates.append((code, record))
                diff.changes.append(RowChange(FUNDING.name, _row_label(FUNDING, record), "added"))
                counts["added"] += 1
                continue
            changed = [c for c in columns if not _same(old[c.field], record[c.field])]
            if changed:
                writes.updates.append((old, record, [c.field for c in changed]))
                cells = [(c.header, _display(c, old[c.field]), _display(c, record[c.field])) for c in changed]
                diff.changes.append(RowChange(FUNDING.name, _row_label(FUNDING, record), "changed", cells))
                counts["changed"] += 1
            else:
                counts["unchanged"] += 1
        for code in sorted(units):
            for key, old in stored.get(code, {}).items():
                if key not in seen:
                    writes.deletes.append(old)
                    self.diff_for(code).changes.append(RowChange(FUNDING.name, _row_label(FUNDING, old), "removed"))
                    counts["removed"] += 1

    def check_locks(self) -> None:
        """A return the user may not change now (approved; or submitted, for a clerk) is refused if the workbook
        would change it. An unchanged one is fine: exporting and importing again must work."""
        periods = Periods(self.user.scope_code, self.year) if self.user is not None else None
        for code, diff in self.diffs.items():
            survey_return = self.returns.get(code)
            if not diff.changes or (survey_return is None and self.user is None):
                continue
            if survey_return is None:  # a new return: a clerk after the deadline may not start one
                if code not in self.rows_of or not held_by_deadline(self.user, code, self.year, None, periods):
                    continue
                sheet, row = self.rows_of[code]
                self.error(
                    sheet,
                    row,
                    "社区代码",
                    code,
                    f"社区「{diff.name}」（{code}）：" + DEADLINE_MESSAGE.format(year=self.year),
                )
                continue
            if self.user is None:
                allowed = not survey_return.is_locked
            else:
                allowed = can_change_return(self.user, survey_return, periods)
            if allowed:
                continue
            sheet, row = self.rows_of[code]
            if survey_return.status == ReturnStatus.DRAFT:  # held by the deadline
                self.error(
                    sheet,
                    row,
                    "社区代码" if sheet == BASICS.name else "单位代码",
                    code,
                    f"社区「{diff.name}」（{code}）：" + DEADLINE_MESSAGE.format(year=self.year),
                )
                continue
            state = survey_return.get_status_display()
            how = "请先由审核员重新打开" if survey_return.is_locked else "请等审核员退回后再修改"
            self.error(
                sheet,
                row,
                "社区代码" if sheet == BASICS.name else "单位代码",
                code,
                f"社区「{diff.name}」（{code}）{self.year}年的填报{state}，不能通过导入修改：{how}，"
                "或从调查表中删去该社区的各行后再导入。",
            )

    def warn_empty_sheets(self) -> None:
        """A sheet that is there with no data rows states "none" for every covered community-year: say plainly
        what that removes, so that nobody empties a sheet by mistake."""
        for sheet in (*CHILD_SHEETS, FUNDING):
            counts = self.plan.counts.get(sheet.name)
            if counts is None or self.read.sheets[sheet.name].rows or not counts["removed"]:
                continue
            whose = "所列社区及其街道(乡镇)" if sheet is FUNDING else "所列社区"
            self.plan.warnings.append(
                f"「{sheet.name}」表没有数据行：导入后将删除系统中已有的 {counts['removed']} 行{sheet.name}数据"
                f"（本调查表{whose} {self.year} 年的全部{sheet.name}）。如果只是不想修改这张表，"
                f"请删除整张「{sheet.name}」工作表后重新上传。"
            )


def build_plan(read: ReadWorkbook, *, year: int, user: User | None, lock: bool = False) -> Plan:
    """What importing ``read`` would do. With ``lock`` (inside the import's transaction) the covered returns are
    read with select_for_update, so that the checks and the writes see the same rows."""
    return _Planner(read, year, user, lock).run()
