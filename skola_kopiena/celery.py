import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skola_kopiena.settings.dev")

app = Celery("skola_kopiena")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The one beat schedule of the portal. Periodic tasks run daily and decide inside whether
# today is the day (month-end reminders, payroll), in Europe/Riga time. Later issues add
# their entries here, each with a comment saying when and why.
app.conf.beat_schedule = {
    # DIA-3, DIA-7, APR-2: every morning before the working day (CELERY_TIMEZONE is
    # Europe/Riga); the task sends only the reminders whose working day is today, once each.
    "month-end-reminders": {
        "task": "payroll.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
}
