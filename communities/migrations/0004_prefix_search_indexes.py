"""PostgreSQL indexes for "code starts with R" (issue 4): every indicator, list and dashboard filters by a code prefix.

A plain btree index serves LIKE 'R%' only under the C collation; production databases use a language collation
(zh_CN.UTF-8, en_US.UTF-8, even C.UTF-8 on PostgreSQL < 17), so these use varchar_pattern_ops. The yearly return is
always read for one year, hence (year, community_id). On SQLite (tests, development) nothing is created: its LIKE is
not index-assisted anyway and the data is small. The model state is unchanged, so makemigrations sees nothing.
"""

from django.db import migrations

INDEXES = [
    ("return_year_community_prefix", "communities_surveyreturn", "(year, community_id varchar_pattern_ops)"),
    ("community_code_prefix", "communities_community", "(code varchar_pattern_ops)"),
    ("region_code_prefix", "communities_region", "(code varchar_pattern_ops)"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("communities", "0003_import_record_notices_digest")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
