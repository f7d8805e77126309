"""What a new return starts from when the community's code changed (``communities.code_changes``).

- its own code (nothing changed), or its old code (更名/改码): the basics, the workers in post, the premises and the
  programs of the latest earlier return, as always;
- a merge (A and B into C, or B into A): the basics added up, and the workers in post, the premises and the programs
  of every return merged (a second room or programme of the same name is told apart by its old community's name;
  the same person, by ID number or by name and birth year, is carried once);
- a split (A into A1 and A2): the basics of the whole of A, with a note to correct them; no rows, which cannot be
  told apart by the part of A they belong to;
- a village made a community (村改居): nothing, there was no return.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from communities.code_changes import Earlier
from communities.models import SurveyReturn

# The basics of a return that a new year starts from (returns.services.BASIC_FIELDS).
BASIC_FIELDS = (
    "households",
    "population",
    "neighborhoods",
    "units",
    "party_members",
    "volunteers",
    "social_organizations",
    "police_officers",
)


@dataclass
class CarryPlan:
    """What to copy into the new return: its basics (None: none), the returns whose rows are copied, and the
    sentence the clerk is told about it."""

    year: int | None = None
    basics: dict | None = None
    sources: list[SurveyReturn] = field(default_factory=list)
    split: bool = False
    notes: list[str] = field(default_factory=list)


def _sum(values):
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def carry_plan(earlier: Earlier) -> CarryPlan:
    if not earlier.returns:
        return CarryPlan(notes=earlier.notes if earlier.lineage.changed else [])
    returns = earlier.returns
    if not earlier.comparable:  # a split: the whole unit's basics, corrected by the clerk
        first = returns[0]
        basics = {name: getattr(first, name) for name in BASIC_FIELDS}
        return CarryPlan(earlier.year, basics, [], True, earlier.notes)
    basics = {name: _sum(getattr(r, name) for r in returns) for name in BASIC_FIELDS}
    for name in ("households", "population"):  # required figures are never None
        basics[name] = basics[name] or 0
    return CarryPlan(earlier.year, basics, list(returns), False, earlier.notes if earlier.followed else [])


def distinct_name(name: str, taken: set[str], old_name: str, max_length: int) -> str:
    """``name``, or when another carried row has it, ``name（原<old community>）`` (then numbered), kept within the
    field's length."""
    if name not in taken:
        return name
    for attempt in range(1, 100):
        suffix = f"（原{old_name}）" if attempt == 1 else f"（原{old_name}{attempt}）"
        candidate = name[: max_length - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
    return name  # pragma: no cover - a hundred rooms of one name


def person_key(row) -> tuple:
    """Who a worker row is: the ID number, or name and birth year without one (the roster's uniqueness)."""
    id_number = getattr(row, "id_number", None) if not isinstance(row, dict) else row.get("id_number")
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return ("id", id_number) if id_number else ("name", get("name"), get("birth_year"))
