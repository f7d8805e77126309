"""PostgreSQL index for the allocations of year Y under code R (issue 4; see communities/0004).

The unique (unit_code, year, source, use) index cannot serve LIKE 'R%' under a language collation and Django adds
no "_like" index here: without this one every funding figure is a scan of the whole table.
"""

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
