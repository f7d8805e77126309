"""Bulk writes of survey rows with their audit trail (simple-history), fast on PostgreSQL.

On PostgreSQL, new rows and their historical rows go in with COPY (ids taken from the table's sequence first),
and changed rows with one ``UPDATE … FROM (VALUES …)`` per thousand rows (Django's ``bulk_update`` builds a CASE
expression per column and row, measured at a few hundred rows a second) plus COPY of their '~' historical rows.
Elsewhere (SQLite in development and tests) simple-history's ``bulk_create_with_history`` /
``bulk_update_with_history`` do the same.
Deleted rows get a '-' historical row written here (simple-history records deletes only through ``delete()``).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from simple_history.utils import bulk_create_with_history, bulk_update_with_history, get_history_model_for_model

BATCH = 2000


def _uses_copy() -> bool:
    return connection.vendor == "postgresql"


def _concrete(model, *, with_pk: bool):
    return [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]


def _history_values(history_model, row: dict, *, user_id, when, reason, kind) -> tuple:
    values = []
    for field in _concrete(history_model, with_pk=False):
        name = field.attname
        if name == "history_date":
            values.append(when)
        elif name == "history_change_reason":
            values.append(reason)
        elif name == "history_type":
            values.append(kind)
        elif name == "history_user_id":
            values.append(user_id)
        else:
            values.append(row.get(name))
    return tuple(values)


def _copy(table: str, columns: list[str], rows) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    # The raw psycopg cursor raises psycopg's own errors: wrapped, they are Django's DatabaseError (IntegrityError…)
    # like every other query's, so the import's error handling sees them.
    with connection.cursor() as cursor, connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _copy_with_history(model, rows: list[dict], *, user_id, when, reason, kind: str) -> None:
    """COPY rows (each with its "id") into the table and their historical rows into the history table."""
    fields = _concrete(model, with_pk=True)
    _copy(model._meta.db_table, [f.column for f in fields], (tuple(row.get(f.attname) for f in fields) for row in rows))
    history_model = get_history_model_for_model(model)
    history_fields = _concrete(history_model, with_pk=False)
    _copy(
        history_model._meta.db_table,
        [f.column for f in history_fields],
        (_history_values(history_model, row, user_id=user_id, when=when, reason=reason, kind=kind) for row in rows),
    )


def _next_ids(model, count: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, model._meta.pk.column])
        (sequence,) = cursor.fetchone()
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
        return [value for (value,) in cursor.fetchall()]


def _raw_delete(model, ids: list[int]) -> None:
    for start in range(0, len(ids), BATCH):
        # A plain DELETE: QuerySet.delete() would send simple-history's post_delete signal once per row (one
        # INSERT each) on top of the historical rows written here.
        model.objects.filter(pk__in=ids[start : start + BATCH])._raw_delete(connection.alias)


def create_rows(model, rows: list[dict], *, user, when: dt.datetime, reason: str) -> None:
    """Insert new rows (dicts of field attnames, without "id") and their '+' historical rows."""
    if not rows:
        return
    if _uses_copy():
        for row, pk in zip(rows, _next_ids(model, len(rows)), strict=True):
            row["id"] = pk
        _copy_with_history(model, rows, user_id=getattr(user, "pk", None), when=when, reason=reason, kind="+")
        return
    objs = [model(**row) for row in rows]
    bulk_create_with_history(
        objs, model, batch_size=BATCH, default_user=user, default_date=when, default_change_reason=reason
    )


def _update_from_values(model, rows: list[dict], fields: list[str]) -> None:
    """UPDATE … FROM (VALUES …): one statement per thousand rows, where Django's bulk_update builds a CASE
    expression per column and row."""
    quote = connection.ops.quote_name
    pk = model._meta.pk
    columns = [pk, *(model._meta.get_field(name) for name in fields)]
    names = ", ".join(quote(f.column) for f in columns)
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in columns[1:])
    row_sql = "(" + ", ".join(f"%s::{f.db_type(connection)}" for f in columns) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            batch = rows[start : start + 1000]
            sql = (
                f"UPDATE {quote(model._meta.db_table)} AS t SET {assignments} "
                f"FROM (VALUES {', '.join([row_sql] * len(batch))}) AS v({names}) "
                f"WHERE t.{quote(pk.column)} = v.{quote(pk.column)}"
            )
            params = [f.get_db_prep_save(row[f.attname], connection) for row in batch for f in columns]
            cursor.execute(sql, params)


def update_rows(model, rows: list[dict], fields: list[str], *, user, when: dt.datetime, reason: str) -> None:
    """Write changed rows (complete dicts of attnames with their "id") and their '~' historical rows."""
    if not rows:
        return
    if _uses_copy():
        _update_from_values(model, rows, fields)
        history_model = get_history_model_for_model(model)
        _copy(
            history_model._meta.db_table,
            [f.column for f in _concrete(history_model, with_pk=False)],
            (
                _history_values(
                    history_model, row, user_id=getattr(user, "pk", None), when=when, reason=reason, kind="~"
                )
                for row in rows
            ),
        )
        return
    objs = [model(**row) for row in rows]
    bulk_update_with_history(
        objs, model, fields, batch_size=500, default_user=user, default_date=when, default_change_reason=reason
    )


def delete_rows(model, rows: list[dict], *, user, when: dt.datetime, reason: str) -> None:
    """Delete stored rows (complete dicts with their "id"), leaving a '-' historical row for each."""
    if not rows:
        return
    history_model = get_history_model_for_model(model)
    user_id = getattr(user, "pk", None)
    if _uses_copy():
        history_fields = _concrete(history_model, with_pk=False)
        _copy(
            history_model._meta.db_table,
            [f.column for f in history_fields],
            (_history_values(history_model, row, user_id=user_id, when=when, reason=reason, kind="-") for row in rows),
        )
    else:
        tracked = [f.attname for f in history_model.tracked_fields]
        history_model.objects.bulk_create(
            [
                history_model(
                    history_date=when,
                    history_user_id=user_id,
                    history_change_reason=reason,
                    history_type="-",
                    **{name: row.get(name) for name in tracked},
                )
                for row in rows
            ],
            batch_size=BATCH,
        )
    _raw_delete(model, [row["id"] for row in rows])
