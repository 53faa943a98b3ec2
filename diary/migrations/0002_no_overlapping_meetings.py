"""CAP-3 in the database: one mentor's meetings never overlap (PostgreSQL only).

SQLite (the quick start) relies on the check in diary/services.py alone.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE diary_diaryentry ADD CONSTRAINT diary_entry_no_overlap
    EXCLUDE USING gist (mentor_id WITH =, tstzrange(starts_at, ends_at) WITH &&);
"""
DROP = "ALTER TABLE diary_diaryentry DROP CONSTRAINT IF EXISTS diary_entry_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("diary", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
