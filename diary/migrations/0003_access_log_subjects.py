"""ACC-1: the access log names the plan, mentor, region and month of each read; fill them in
for the entries written before it did. It lives here because it needs the plans and months,
which the accounts app must not depend on."""

from django.db import migrations


def fill_subjects(apps, schema_editor):
    AccessLog = apps.get_model("accounts", "AccessLog")
    Plan = apps.get_model("iap", "Plan")
    DiaryMonth = apps.get_model("diary", "DiaryMonth")
    months = {str(m.pk): m for m in DiaryMonth.objects.all()}
    plans = Plan.objects.select_related("mentor", "learner__institution__municipality")
    plans = {str(p.pk): p for p in plans}
    for entry in AccessLog.objects.filter(object_type__in=["iap.plan", "diary.diarymonth"]):
        month = months.get(entry.object_id) if entry.object_type == "diary.diarymonth" else None
        plan = plans.get(str(month.plan_id) if month else entry.object_id)
        if plan is None:
            continue
        entry.plan_pk = plan.pk
        entry.mentor_pk = plan.mentor_id
        entry.mentor_name = f"{plan.mentor.first_name} {plan.mentor.last_name}" if plan.mentor else ""
        entry.region_id = plan.learner.institution.municipality.region_id
        entry.month = month.month if month else None
        entry.save()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_access_log_in_words"),
        ("diary", "0002_no_overlapping_meetings"),
        ("iap", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill_subjects, migrations.RunPython.noop)]
