"""The template's pre-fill across code changes (``communities.code_changes``): a template for ``year`` pre-filled
with ``data_year``'s rows leaves out the codes that no longer report in ``year`` and gives their rows to the
communities that took their place, as ``return_start`` does (``returns.carry_over``):

- merged (A and B into C, or B into A) and re-coded communities: the basics added up, and every row of the old
  codes under the new one (a second room or programme of the same name told apart by its old community's name, the
  same person once);
- a split: the basics of the whole unit (the clerk corrects them), no rows;
- a village made a community: nothing.

Only a community that has no return of ``year`` yet is pre-filled so (one that has shows that return as it is), and
only one that exists: the template lists the communities of the system.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import F, Q

from communities.code_changes import retired_codes
from communities.models import ChangeKind, CodeChange, Community, SurveyReturn
from communities.returns.carry_over import distinct_name, person_key

from .columns import Sheet

ALL, BASICS_ONLY = "all", "basics"


@dataclass
class TemplateMap:
    retired: set[str] = field(default_factory=set)  # codes of the region that no longer report in the year
    # successor -> (ALL or BASICS_ONLY, the old codes whose data_year rows it takes)
    sources: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # the old communities' names

    @property
    def old_codes(self) -> set[str]:
        return {code for _, olds in self.sources.values() for code in olds}


def template_map(region_code: str, year: int, data_year: int) -> TemplateMap:
    """The changes effective after ``data_year`` up to ``year`` that touch the region (one query; a few more
    only when there are some)."""
    found = TemplateMap()
    if year <= data_year:
        return found
    rows = CodeChange.objects.filter(year__gt=data_year, year__lte=year)
    if region_code:
        rows = rows.filter(Q(new_code__startswith=region_code) | Q(old_code__startswith=region_code))
    rows = list(rows)
    if not rows:
        return found
    into: dict[str, list[CodeChange]] = defaultdict(list)
    for row in rows:
        if len(row.new_code) == 12:
            into[row.new_code].append(row)
    for new_code, group in into.items():
        olds = [r.old_code for r in group if r.old_code != new_code and r.kind != ChangeKind.VILLAGE]
        if olds:
            split = any(r.kind == ChangeKind.SPLIT for r in group)
            found.sources[new_code] = (BASICS_ONLY if split else ALL, olds)
    candidates = {r.old_code for r in rows if len(r.old_code) == 12}
    streets = [r for r in rows if len(r.new_code) == 9]
    if streets:
        olds = Community.objects.filter(street_id__in=[r.old_code for r in streets]).values_list("code", flat=True)
        by_street = {r.old_code: r.new_code for r in streets}
        for code in olds:
            candidates.add(code)
            new_code = by_street[code[:9]] + code[9:]
            found.sources.setdefault(new_code, (ALL, [code]))
    found.retired = set(retired_codes(candidates, year))
    found.names = dict(Community.objects.filter(code__in=found.old_codes).values_list("code", "name"))
    return found


def _added(values: list[dict]) -> dict:
    """The basics of several returns together: counts added up (None when none has one)."""
    total = {}
    for name in values[0]:
        present = [v[name] for v in values if v[name] is not None]
        if all(isinstance(v, int) for v in present):
            total[name] = sum(present) if present else None
        else:
            total[name] = present[0] if present else None
    return total


def prefilled_basics(mapping: TemplateMap, data_year: int) -> dict[str, dict]:
    """Per successor, the ``data_year`` return values to pre-fill its basics from (its own return of
    ``data_year`` is added in by the caller)."""
    if not mapping.sources:
        return {}
    stored = {
        r["community_id"]: r
        for r in SurveyReturn.objects.filter(community_id__in=mapping.old_codes, year=data_year).values()
    }
    found = {}
    for code, (mode, olds) in mapping.sources.items():
        rows = [stored[old] for old in olds if old in stored]
        if rows:
            found[code] = rows[0] if mode == BASICS_ONLY else _added(rows)
    return found


def combine(own: dict | None, carried: dict | None) -> dict | None:
    if own is None or carried is None:
        return own or carried
    return _added([own, carried])


def with_carried_rows(
    rows: Iterable[dict], sheet: Sheet, mapping: TemplateMap, year: int, data_year: int
) -> Iterator[dict]:
    """The sheet's rows (in community order) with the old codes' ``data_year`` rows added under their successors,
    in the successors' place, and the retired codes' own rows left out."""
    takers = {code: olds for code, (mode, olds) in mapping.sources.items() if mode == ALL}
    if not takers and not mapping.retired:
        yield from rows
        return
    started = set(
        SurveyReturn.objects.filter(year=year, community_id__in=list(takers)).values_list("community_id", flat=True)
    )
    takers = {code: olds for code, olds in takers.items() if code not in started}
    successor_of = {old: code for code, olds in takers.items() for old in olds}
    model = sheet.model
    fields = ["community_code", *sheet.data_fields]
    taken: dict[str, set] = defaultdict(set)  # the successor's own names (or people), then those carried
    carried = []
    if successor_of:
        olds = (
            model.objects.filter(survey_return__year=data_year, survey_return__community_id__in=list(successor_of))
            .annotate(community_code=F("survey_return__community_id"))
            .values(*fields)
            .order_by("survey_return__community_id", "id")
        )
        carried = [
            {**row, "_from": row["community_code"], "community_code": successor_of[row["community_code"]]}
            for row in olds
        ]
        carried.sort(key=lambda row: row["community_code"])
    main = (row for row in rows if row["community_code"] not in mapping.retired)
    is_workers = "id_number" in sheet.data_fields
    max_length = model._meta.get_field("name").max_length
    for row in heapq.merge(main, carried, key=lambda row: row["community_code"]):
        code = row["community_code"]
        if code not in takers:
            yield row
            continue
        old = row.pop("_from", None)
        if is_workers:
            key = person_key(row)
            if old is not None and key in taken[code]:
                continue
            taken[code].add(key)
        else:
            if old is not None:
                row["name"] = distinct_name(row["name"], taken[code], mapping.names.get(old, old), max_length)
            taken[code].add(row["name"])
        yield row
