"""What the recorded code changes (``CodeChange``, 区划变更) mean for the figures: which codes a community's earlier
years stand for, and which codes no longer report.

- ``predecessors(code, year)``: the codes whose figures of ``year - 1`` stand for the community ``code`` of
  ``year``: itself, and the codes merged into it, the community it was split from, its old code (a re-coded
  community, or its street re-coded as a whole: the same last three digits under the old street). A village that
  became a community (村改居) has none: villages make no return.
- ``lineage(code, year)``: the same followed back through every earlier change (``Lineage.codes_in(y)``), with the
  sentences the pages show ("2024年数据含2025年并入的东关社区（420626001002）").
- ``retirement(code, year)`` / ``retired_codes(codes, year)``: a code that no longer exists in the year (merged
  into another, split, re-coded: its change's year or later) and the message that refuses its return, naming the
  successor ("该社区已于2025年并入城关社区（代码420626001001），请在城关社区填报。").

Every function reads the changes in one query (and the communities' names in one more, only when some change
applies); a chain of changes (A → B in 2023, B → C in 2025) costs one query more per link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q

from .models import Community, SurveyReturn
from .models.code_changes import ChangeKind, CodeChange

STREET = 9


def _street_of(code: str) -> str:
    return code[:STREET] if len(code) == 12 else ""


def _names(codes: Iterable[str]) -> dict[str, str]:
    codes = sorted(set(codes))
    if not codes:
        return {}
    return dict(Community.objects.filter(code__in=codes).values_list("code", "name"))


def _label(code: str, names: dict[str, str]) -> str:
    return f"{names[code]}（{code}）" if code in names else f"代码 {code}"


# ----- following a community back --------------------------------------------------------------------------------


def _changes_into(code: str, year: int) -> list[CodeChange]:
    """Every change effective in ``year`` or before whose chain leads to ``code``: the rows into the code (or its
    street), then the rows into their old codes, and so on (one query per link; one when nothing changed)."""
    found: dict[int, CodeChange] = {}
    frontier, visited = {code}, set()
    while frontier:
        visited |= frontier
        wanted = frontier | {_street_of(c) for c in frontier if len(c) == 12}
        rows = [r for r in CodeChange.objects.filter(new_code__in=wanted, year__lte=year) if r.pk not in found]
        found.update((r.pk, r) for r in rows)
        olds = set()
        for row in rows:
            if len(row.new_code) == STREET:  # a street re-coded: its communities keep their last three digits
                olds |= {row.old_code + c[STREET:] for c in frontier if _street_of(c) == row.new_code}
            elif row.kind != ChangeKind.VILLAGE:
                olds.add(row.old_code)
        frontier = olds - visited
    return list(found.values())


def _step(codes: set[str], year: int, rows: list[CodeChange]) -> set[str]:
    """The codes that stand, in ``year - 1``, for the units ``codes`` of ``year`` (the changes effective then)."""
    into: dict[str, list[CodeChange]] = defaultdict(list)
    for row in rows:
        if row.year == year:
            into[row.new_code].append(row)
    before = set()
    for code in codes:
        own = into.get(code, [])
        if own:
            before |= {r.old_code for r in own if r.kind != ChangeKind.VILLAGE}
            if any(r.kind != ChangeKind.VILLAGE for r in own):
                before.add(code)  # a community that took others in (B into A) stands for itself too
            continue
        before.add(code)
        for row in into.get(_street_of(code), []):
            before.add(row.old_code + code[STREET:])
    return before


@dataclass
class Lineage:
    """A community of ``year`` followed back through the recorded changes."""

    code: str
    year: int
    # (change year, the codes that stand for the community in the years before it), latest change first
    steps: list[tuple[int, frozenset[str]]] = field(default_factory=list)
    changes: list[CodeChange] = field(default_factory=list)  # the changes followed
    names: dict[str, str] = field(default_factory=dict)  # the communities' names, for the sentences

    @property
    def changed(self) -> bool:
        return bool(self.steps)

    def codes_in(self, year: int) -> tuple[str, ...]:
        """The codes whose figures of ``year`` stand for the community (its own code from ``self.year`` on)."""
        codes = frozenset({self.code})
        for change_year, before in self.steps:
            if year >= change_year:
                break
            codes = before
        return tuple(sorted(codes))

    def segments(self, years: Iterable[int]) -> dict[tuple[str, ...], list[int]]:
        """The years grouped by the codes that stand for the community in them."""
        groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for year in years:
            groups[self.codes_in(year)].append(year)
        return dict(groups)

    def returns_q(self, *, year_lookup: str = "year", code_lookup: str = "community_id") -> Q:
        """The rows of the years before ``self.year`` that stand for the community (each year with its codes)."""
        q = Q()
        upper = self.year
        for change_year, _ in self.steps:
            q |= Q(**{f"{year_lookup}__lt": upper, f"{year_lookup}__gte": change_year}) & Q(
                **{f"{code_lookup}__in": self.codes_in(change_year)}
            )
            upper = change_year
        q |= Q(**{f"{year_lookup}__lt": upper}) & Q(**{f"{code_lookup}__in": self.codes_in(upper - 1)})
        return q

    def _between(self, year: int) -> list[CodeChange]:
        """The changes followed that lie between ``year`` and ``self.year`` (effective after ``year``)."""
        codes = set()
        for change_year in range(year + 1, self.year + 1):
            codes |= set(self.codes_in(change_year))
        streets = {_street_of(c) for c in codes}
        return [
            r
            for r in self.changes
            if year < r.year <= self.year
            and (r.new_code in codes or (len(r.new_code) == STREET and r.new_code in streets))
        ]

    def is_split(self, year: int) -> bool:
        """Whether a split lies between ``year`` and ``self.year``: the earlier figures are of the whole unit it was
        split from, and its year-over-year jumps say nothing about the community's data."""
        return any(r.kind == ChangeKind.SPLIT and r.old_code != r.new_code for r in self._between(year))

    def notes(self, year: int) -> list[str]:
        """What the figures of ``year`` are, when they are not the community's own code's alone."""
        notes = []
        by_kind: dict[tuple[str, int], list[CodeChange]] = defaultdict(list)
        for row in sorted(self._between(year), key=lambda r: (-r.year, r.old_code)):
            by_kind[(row.kind, row.year)].append(row)
        for (kind, change_year), rows in by_kind.items():
            olds = sorted({r.old_code for r in rows if r.old_code != r.new_code})
            if kind == ChangeKind.MERGE and olds:
                merged = "、".join(_label(c, self.names) for c in olds)
                notes.append(f"{year}年数据含{change_year}年并入的{merged}。")
            elif kind == ChangeKind.SPLIT and olds:
                whole = "、".join(_label(c, self.names) for c in olds)
                notes.append(f"{year}年数据为{change_year}年拆分前{whole}的整体数据，与拆分后的本社区不可直接比较。")
            elif kind == ChangeKind.RECODE and len(rows[0].new_code) == STREET:
                for r in rows:
                    notes.append(f"{year}年数据按原街道（乡镇）代码 {r.old_code}（{change_year}年改为 {r.new_code}）。")
            elif kind == ChangeKind.RECODE and olds:
                old = "、".join(_label(c, self.names) for c in olds)
                notes.append(f"{year}年数据为原代码{old}的数据（{change_year}年改码）。")
            elif kind == ChangeKind.VILLAGE:
                notes.append(f"本社区于{change_year}年由村改居设立，{change_year}年以前没有社区填报的数据。")
        return notes


def lineage(code: str, year: int) -> Lineage:
    """``code`` of ``year`` followed back through every recorded change (see ``Lineage``)."""
    rows = _changes_into(code, year)
    result = Lineage(code=code, year=year, changes=rows)
    if not rows:
        return result
    codes = {code}
    for change_year in sorted({r.year for r in rows}, reverse=True):
        before = _step(codes, change_year, rows)
        if before != codes:
            result.steps.append((change_year, frozenset(before)))
        codes = before
    result.names = _names({r.old_code for r in rows} | {r.new_code for r in rows} | codes)
    return result


@dataclass
class Earlier:
    """The latest returns before ``lineage.year`` that stand for the community (its own first), and how to read
    them: the year-over-year comparison of the return page."""

    lineage: Lineage
    year: int | None = None
    returns: list[SurveyReturn] = field(default_factory=list)

    @property
    def codes(self) -> tuple[str, ...]:
        return self.lineage.codes_in(self.year) if self.year else ()

    @property
    def followed(self) -> bool:
        """Whether the earlier figures are other codes' than the community's own alone."""
        return self.year is not None and self.codes != (self.lineage.code,)

    @property
    def comparable(self) -> bool:
        """False after a split: the earlier figures are the whole unit's (no year-over-year checks)."""
        return self.year is None or not self.lineage.is_split(self.year)

    @property
    def notes(self) -> list[str]:
        return self.lineage.notes(self.year or self.lineage.year - 1)


def earlier_returns(code: str, year: int) -> Earlier:
    """The latest earlier year's returns that stand for ``code`` of ``year``: its own, or those of the codes merged
    into it, its old code, the community it was split from. Two queries (the changes, the returns)."""
    found = lineage(code, year)
    rows = list(SurveyReturn.objects.filter(found.returns_q()).select_related("community").order_by("-year")[:100])
    if not rows:
        return Earlier(found)
    latest = rows[0].year
    returns = sorted((r for r in rows if r.year == latest), key=lambda r: (r.community_id != code, r.community_id))
    return Earlier(found, latest, returns)


def predecessors(code: str, year: int) -> list[str]:
    """The codes whose figures of ``year - 1`` stand for the community ``code`` of ``year`` (itself included
    unless it is a village made a community this year)."""
    return list(lineage(code, year).codes_in(year - 1))


def predecessor_map(codes: Iterable[str], year: int) -> dict[str, list[CodeChange]]:
    """For each of ``codes`` (communities of ``year``), the changes effective in ``year`` that lead into it: its
    own rows, or its street's re-coding (one query for all)."""
    codes = set(codes)
    streets = {_street_of(c) for c in codes}
    rows = CodeChange.objects.filter(year=year, new_code__in=codes | streets)
    found: dict[str, list[CodeChange]] = defaultdict(list)
    for row in rows:
        if len(row.new_code) == 12:
            found[row.new_code].append(row)
    own = set(found)
    for row in rows:
        if len(row.new_code) == STREET:
            for code in codes - own:
                if _street_of(code) == row.new_code:
                    old = row.old_code + code[STREET:]
                    found[code].append(CodeChange(old_code=old, new_code=code, year=year, kind=row.kind))
    return dict(found)


# ----- codes that no longer report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Retirement:
    """Why a code does not report in a year: the change that ended it and the codes that took its place."""

    code: str
    year: int  # the change's year
    kind: str
    successors: tuple[str, ...]
    names: dict

    @property
    def message(self) -> str:
        names = self.names
        first = self.successors[0]
        where = names.get(first, f"代码 {first} 的社区")
        labelled = "、".join(f"{names.get(c, '代码 ' + c + ' 的社区')}（代码{c}）" for c in self.successors)
        if self.kind == ChangeKind.MERGE:
            return f"该社区已于{self.year}年并入{labelled}，请在{where}填报。"
        if self.kind == ChangeKind.SPLIT:
            return f"该社区已于{self.year}年拆分为{labelled}，请在拆分后的社区分别填报。"
        if self.kind == ChangeKind.VILLAGE:
            return f"该村已于{self.year}年村改居为{labelled}，请在{where}填报。"
        return f"该社区自{self.year}年起已改为{labelled}，原代码不再填报，请在{where}填报。"


def retired_codes(codes: Iterable[str], year: int) -> dict[str, Retirement]:
    """The codes among ``codes`` (communities) that no longer exist in ``year``: the latest change of the code (or
    of its street, for a street re-coded as a whole) up to ``year`` ended it, unless the code is one of that change's
    new codes again (the part of a split that keeps its code, a merge into it). One query, and one for the names
    when some code is retired."""
    codes = set(codes)
    if not codes:
        return {}
    streets = {_street_of(c) for c in codes}
    keys = codes | streets
    rows = list(CodeChange.objects.filter(Q(old_code__in=keys) | Q(new_code__in=keys), year__lte=year))
    if not rows:
        return {}
    found: dict[str, tuple[int, str, list[str]]] = {}
    for code in codes:
        street = _street_of(code)
        own = [r for r in rows if code in (r.old_code, r.new_code)] + [
            # its street re-coded as a whole: the community goes along, its last three digits kept
            CodeChange(old_code=code, new_code=r.new_code + code[STREET:], year=r.year, kind=r.kind)
            for r in rows
            if r.old_code == street and len(r.old_code) == STREET
        ]
        if not own:
            continue
        latest = max(r.year for r in own)
        at_latest = [r for r in own if r.year == latest]
        if any(r.new_code == code for r in at_latest):
            continue
        ended = [r for r in at_latest if r.old_code == code]
        if ended:
            found[code] = (latest, ended[0].kind, sorted({r.new_code for r in ended}))
    if not found:
        return {}
    names = _names(c for _, _, successors in found.values() for c in successors)
    return {
        code: Retirement(code, change_year, kind, tuple(successors), names)
        for code, (change_year, kind, successors) in found.items()
    }


def retirement(code: str, year: int) -> Retirement | None:
    """Why ``code`` does not report in ``year``, or None when it does."""
    return retired_codes([code], year).get(code)


def refuse_retired(code: str, year: int) -> None:
    """Raise ``ValidationError`` with the successor's name when ``code`` no longer reports in ``year``."""
    found = retirement(code, year)
    if found is not None:
        raise ValidationError(found.message, code="retired_code")


# ----- a consistent set of changes -------------------------------------------------------------------------------


def consistency_problems(rows: list[CodeChange]) -> list[tuple[CodeChange, str]]:
    """What makes a set of changes contradict itself, each with the row it is found on (the later one): one kind
    per code and year, a merge or re-coding to one new code only, a re-coding or a split from one old code only."""
    problems = []
    by_old: dict[tuple[str, int], list[CodeChange]] = defaultdict(list)
    by_new: dict[tuple[str, int], list[CodeChange]] = defaultdict(list)
    for row in rows:
        by_old[(row.old_code, row.year)].append(row)
        by_new[(row.new_code, row.year)].append(row)
    for (old, year), group in by_old.items():
        kinds = {r.kind for r in group}
        if len(kinds) > 1:
            problems.append(
                (
                    group[-1],
                    f"原代码 {old} 在 {year} 年已登记了另一种变更类型：同一代码同一年只能有一种变更，请核对变更类型。",
                )
            )
        elif len(group) > 1 and kinds & {ChangeKind.MERGE, ChangeKind.RECODE, ChangeKind.VILLAGE}:
            problems.append(
                (
                    group[-1],
                    f"原代码 {old} 在 {year} 年已登记为变更到 {group[0].new_code}：合并、更名/改码、村改居只能有一个"
                    "新代码；一个社区分为几个，请选“拆分”。",
                )
            )
    for (new, year), group in by_new.items():
        if len(group) > 1 and any(r.kind in (ChangeKind.RECODE, ChangeKind.SPLIT) for r in group):
            problems.append(
                (
                    group[-1],
                    f"新代码 {new} 在 {year} 年已登记了来自 {group[0].old_code} 的变更：更名/改码、拆分的新代码只能来自"
                    "一个原代码；几个社区合为一个，请选“合并”。",
                )
            )
    return problems


def check_consistency(change: CodeChange) -> None:
    """``CodeChange.clean``: the row together with the stored rows of its codes and year must be consistent."""
    if not (change.old_code and change.new_code and change.year and change.kind):
        return  # the fields' own errors say what is missing
    stored = CodeChange.objects.filter(
        Q(old_code=change.old_code) | Q(new_code=change.new_code), year=change.year
    ).exclude(pk=change.pk)
    rows = [*stored, change]
    for row, message in consistency_problems(rows):
        if row is change:
            raise ValidationError(message, code="inconsistent")
