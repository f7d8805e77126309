"""Hand-written statements for the indicators: a region's totals and its per-community shortfall lists from one pass
over a table.

The ORM says each app's aggregates (``queryset_sql`` turns a queryset into a derived table), but it cannot join a
GROUP BY subquery (each return's workers or rooms, summed once, in parallel on PostgreSQL) to the returns, cut each
list at its limit worst first, and join names only to the rows listed — so the statement around it is SQL, the same
on PostgreSQL and SQLite (CTEs, window functions, FILTER), every value a parameter.

``run(ctx, ctes=..., totals=..., source=..., checks=...)`` runs one statement::

    WITH <the app's CTEs, e.g. r: the returns, w: each return's workers, per_community: r LEFT JOIN w>,
         listed AS (<for each check: the source's rows that fall short, worst first, LIMIT n, COUNT(*) OVER ()>)
    SELECT <the totals, over their FROM>                      -- one row
    UNION ALL
    SELECT <each listed row with its community's and street's names>

and gives back ``(totals dict, {check name: (rows, full count)})``.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter

from django.db import connections
from django.db.models import QuerySet

from .indicator_engine import PRECISION
from .models import Community, Region

# The columns of a listed row, before the totals' columns.
_LIST_COLUMNS = 10
# A float cast that both databases read as theirs (double precision; REAL affinity on SQLite), as Cast(FloatField).
FLOAT = "DOUBLE PRECISION"


def queryset_sql(queryset: QuerySet) -> tuple[str, list]:
    """An ORM queryset's SQL and parameters, to use as a derived table (a CTE) in hand-written SQL."""
    connection = connections[queryset.db]
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    return sql, list(params)


@dataclass(frozen=True)
class SqlCheck:
    """One per-community shortfall list: SQL expressions over the columns of the source rows (which carry the
    standard in force for each community as a column, so the expressions take no parameters): whether the community
    falls short, its figure, the standard that applies to it and the gap, each kept to ``PRECISION`` decimals."""

    short: str
    value: str
    standard: str
    gap: str


@dataclass(frozen=True)
class Cte:
    name: str
    sql: str
    params: list


def run(
    ctx,
    *,
    ctes: list[Cte],
    totals: dict[str, str] | None = None,
    totals_from: str = "",
    source: str = "",
    checks: dict[str, SqlCheck] | None = None,
) -> tuple[dict | None, dict[str, tuple[list[dict], int]]]:
    """Run one statement: ``totals`` ({name: SQL expression} over ``totals_from``: one row) and the lists of
    ``checks`` over the rows of the CTE ``source`` (with columns community_id and households). Each list comes back
    worst first (largest gap, then code), cut at ``ctx.shortfall_limit`` in SQL, with its full count (a window over
    the same rows when cut); the names are joined only to the listed rows."""
    checks = checks or {}
    limit = ctx.shortfall_limit
    params: list = [p for cte in ctes for p in cte.params]
    parts = [f"{cte.name} AS ({cte.sql})" for cte in ctes]
    selects = []
    totals_names = list(totals or {})
    pad = ", ".join(["NULL"] * len(totals_names))
    if totals:
        nulls = ", ".join(["NULL"] * _LIST_COLUMNS)
        selects.append(f"SELECT {nulls}, {', '.join(totals.values())} FROM {totals_from}")
    if checks:
        branches = []
        for i, (name, check) in enumerate(checks.items()):
            # Cut at the limit, the full count is a window over the same rows; uncut, it is the rows' number.
            order, count = "", "0"
            if limit is not None:
                count = "COUNT(*) OVER ()"
                order = f" ORDER BY ({check.gap}) IS NULL, ({check.gap}) DESC, community_id LIMIT %s"
            # The figures as floats (what the JSON keeps; exact decimals convert to the same nearest float in
            # either database as in Python); the order is the exact gap's.
            branches.append(
                f"SELECT * FROM (SELECT %s AS list, community_id, households, CAST({check.value} AS {FLOAT}) AS value, "
                f"CAST({check.standard} AS {FLOAT}) AS standard, CAST({check.gap} AS {FLOAT}) AS gap, "
                f"{count} AS n FROM {source} WHERE {check.short}{order}) l{i}"
            )
            params += [name] + ([limit] if limit is not None else [])
        parts.append(f"listed AS ({' UNION ALL '.join(branches)})")
        selects.append(
            "SELECT listed.list, listed.community_id, c.name, c.street_id, s.name, listed.households, listed.value, "
            f"listed.standard, listed.gap, listed.n{', ' + pad if pad else ''} FROM listed "
            f"JOIN {Community._meta.db_table} c ON c.code = listed.community_id "
            f"JOIN {Region._meta.db_table} s ON s.code = c.street_id"
        )
    sql = f"WITH {', '.join(parts)} {' UNION ALL '.join(selects)}"
    connection = connections["default"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found: dict[str, list] = {name: [] for name in checks}
    counts = dict.fromkeys(checks, 0)
    figures = None
    for row in rows:
        if row[0] is None:
            figures = dict(zip(totals_names, row[_LIST_COLUMNS:], strict=True))
        else:
            found[row[0]].append(row)
            counts[row[0]] = row[9] if limit is not None else len(found[row[0]])
    return figures, {name: (_listed(found[name]), counts[name]) for name in checks}


def _listed(rows: list) -> list[dict]:
    """A list's rows as the JSON has them (figures rounded as ``num`` rounds them), worst first (largest gap, then
    code): two stable sorts on C-level keys (code, then gap descending) — a key function per row costs more than
    the statement at national scale."""
    if any(row[8] is None for row in rows):
        rows.sort(key=lambda row: (row[8] is None, -(row[8] or 0), row[1]))
    else:
        rows.sort(key=itemgetter(1))
        rows.sort(key=itemgetter(8), reverse=True)
    rounded: dict = {}  # most lists have a handful of distinct standards

    def standard_of(value):
        if value not in rounded:
            rounded[value] = None if value is None else round(value, PRECISION)
        return rounded[value]

    return [
        {
            "code": code,
            "name": name,
            "street_code": street_code,
            "street_name": street_name,
            "households": households,
            "value": None if value is None else round(value, PRECISION),
            "standard": standard_of(standard),
            "gap": None if gap is None else round(gap, PRECISION),
        }
        for _, code, name, street_code, street_name, households, value, standard, gap, *_ in rows
    ]
