"""PostgreSQL index for allocations under a code prefix in a year (issue 4; see communities/0004)."""

from django.db import migrations

NAME, TABLE, COLUMNS = "allocation_year_unit_prefix", "funding_allocation", "(year, unit_code varchar_pattern_ops)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON {TABLE} {COLUMNS}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
