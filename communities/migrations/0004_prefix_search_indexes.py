"""PostgreSQL index for "the returns of year Y under code R" (issue 4): every indicator starts from it.

A plain btree index serves LIKE 'R%' only under the C collation; production databases use a language collation
(zh_CN.UTF-8, en_US.UTF-8, even C.UTF-8 on PostgreSQL < 17), hence varchar_pattern_ops. Django already adds such a
"_like" index on community_id (and on every varchar primary key, so communities' and regions' codes need none); this
one leads with the year, so a region's returns of one year are one index range whatever the number of years kept.
On SQLite (tests, development) nothing is created. The model state is unchanged, so makemigrations sees nothing.
"""

from django.db import migrations

INDEXES = [
    ("return_year_community_prefix", "communities_surveyreturn", "(year, community_id varchar_pattern_ops)"),
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
