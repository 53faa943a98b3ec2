"""PAY-2 in the database: two rates' periods never overlap (PostgreSQL only; an open end is
unbounded). SQLite (the quick start) relies on `Rate.clean()` alone."""

from django.db import migrations

CREATE = """
ALTER TABLE payroll_rate ADD CONSTRAINT payroll_rate_no_overlap
    EXCLUDE USING gist (daterange(valid_from, valid_to, '[]') WITH &&);
"""
DROP = "ALTER TABLE payroll_rate DROP CONSTRAINT IF EXISTS payroll_rate_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("payroll", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
