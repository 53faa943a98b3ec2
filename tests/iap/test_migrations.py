"""The migrations that change data already in the database."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("iap", "0006_auditor")]
AFTER = [("iap", "0008_plan_institution_kept")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_plans_already_made_get_their_learners_school():
    apps = migrate(BEFORE)
    try:
        Municipality = apps.get_model("schools", "Municipality")
        Institution = apps.get_model("schools", "Institution")
        Learner = apps.get_model("iap", "Learner")
        Plan = apps.get_model("iap", "Plan")
        HistoricalPlan = apps.get_model("iap", "HistoricalPlan")
        preparer = apps.get_model("accounts", "User").objects.create(email="s@example.lv")
        riga, cesis = (
            Institution.objects.create(
                name=name, kind="general", municipality=Municipality.objects.get(name=place)
            )
            for name, place in [
                ("Rīgas 1. vidusskola", "Rīga"),
                ("Cēsu 2. pamatskola", "Cēsu novads"),
            ]
        )
        semester = apps.get_model("schools", "Semester").objects.order_by("start_date").first()
        plans = {}
        for school in (riga, cesis):
            learner = Learner.objects.create(
                institution=school,
                first_name="Jānis",
                last_name="Ozols",
                birth_date=datetime.date(2011, 3, 4),
                education="general",
                grade=8,
                created_by=preparer,
            )
            plan = Plan.objects.create(
                learner=learner,
                semester=semester,
                start_date=semester.start_date,
                end_date=semester.end_date,
                module="II",
                monthly_hours=4,
                created_by=preparer,
            )
            HistoricalPlan.objects.create(
                id=plan.pk,
                learner_id=learner.pk,
                semester_id=semester.pk,
                start_date=plan.start_date,
                end_date=plan.end_date,
                module="II",
                monthly_hours=4,
                created_by_id=preparer.pk,
                created_at=plan.created_at,
                history_date=plan.created_at,
                history_type="+",
            )
            plans[plan.pk] = school.pk

        apps = migrate(AFTER)

        Plan = apps.get_model("iap", "Plan")
        HistoricalPlan = apps.get_model("iap", "HistoricalPlan")
        assert dict(Plan.objects.values_list("pk", "institution_id")) == plans
        assert dict(HistoricalPlan.objects.values_list("id", "institution_id")) == plans
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
