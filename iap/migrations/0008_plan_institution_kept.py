# The plan's school, kept equal to its learner's (0007 copied it), in the index of a
# semester's plans.

import django.db.models.deletion
from django.db import migrations, models

# PostgreSQL keeps the copy equal to the learner's school: the pair (learner, institution)
# must be a learner's own. SQLite (the quick start) relies on plan_create, which sets it.
SAME_SCHOOL_AS_LEARNER = [
    "ALTER TABLE iap_learner ADD CONSTRAINT learner_id_with_institution "
    "UNIQUE (id, institution_id)",
    "ALTER TABLE iap_plan ADD CONSTRAINT plan_institution_is_learners "
    "FOREIGN KEY (learner_id, institution_id) "
    "REFERENCES iap_learner (id, institution_id) DEFERRABLE INITIALLY DEFERRED",
]
DROP_SAME_SCHOOL_AS_LEARNER = [
    "ALTER TABLE iap_plan DROP CONSTRAINT plan_institution_is_learners",
    "ALTER TABLE iap_learner DROP CONSTRAINT learner_id_with_institution",
]


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('iap', '0007_plan_institution'),
    ]

    operations = [
        migrations.AlterField(
            model_name='plan',
            name='institution',
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='plans', to='schools.institution', verbose_name='institution'),
        ),
        migrations.RemoveIndex(
            model_name='plan',
            name='plan_by_semester',
        ),
        migrations.AddIndex(
            model_name='plan',
            index=models.Index(fields=['semester', 'learner', 'id'], include=('status', 'institution'), name='plan_by_semester'),
        ),
        migrations.RunPython(
            run_on_postgresql(SAME_SCHOOL_AS_LEARNER),
            run_on_postgresql(DROP_SAME_SCHOOL_AS_LEARNER),
        ),
    ]
